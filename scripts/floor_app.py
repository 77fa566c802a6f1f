"""The framework's floor for the API benchmark: one FastAPI endpoint that returns a constant."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/constant")
async def constant() -> dict[str, str]:
    return {"name": "Energy Consumption API", "api_version": "v1"}

"""Each API version documents itself: its own OpenAPI schema, Swagger UI and ReDoc, served offline.

v1's pages stay where its clients know them (`/api/v1/docs`, `/api/v1/redoc`, `/api/v1/openapi.json`)
and describe v1 only; v2's live under `/api/v2/` and describe v2 only, with its tags.
"""

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse

V2_PREFIX = "/api/v2"
V2_DESCRIPTION = """
Hourly electricity consumption in Denmark per price area and DE35 consumer type, for people and programs
that start today: times in any zone (ISO 8601 with offsets; `tz=Europe/Copenhagen` for Danish local time),
ranges over everything loaded (`start`, `end`), totals (`all`), 80 % and 95 % uncertainty ranges learnt
from past errors, error figures beyond MAPE, and tables (`format=csv|parquet` or the `Accept` header).

`/api/v1` stays as it is for existing clients.
"""
V2_TAGS = [
    {"name": "status", "description": "What is being served, and how fresh it is."},
    {"name": "forecasts", "description": "Observations, forecasts with uncertainty ranges, totals and tables."},
    {"name": "monitoring", "description": "How past forecasts did: MAPE, WAPE, bias, MASE and range coverage."},
]


def _referenced(node: object, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref.rsplit("/", 1)[-1])
        for value in node.values():
            _referenced(value, found)
    elif isinstance(node, list):
        for value in node:
            _referenced(value, found)


def _only_paths(schema: dict, keep) -> dict:
    """The schema with the paths `keep` accepts and the component schemas they (transitively) use."""
    paths = {path: item for path, item in schema["paths"].items() if keep(path)}
    components = schema.get("components", {}).get("schemas", {})
    used: set[str] = set()
    _referenced(paths, used)
    pending = list(used)
    while pending:
        name = pending.pop()
        more: set[str] = set()
        _referenced(components.get(name, {}), more)
        pending.extend(more - used)
        used |= more
    trimmed = {**schema, "paths": paths}
    if components:
        trimmed["components"] = {
            **schema["components"],
            "schemas": {n: components[n] for n in sorted(used) if n in components},
        }
    return trimmed


# FastAPI qualifies a component's name with its module path when two models share a name, as v1's and v2's
# `MonitoringSummary` do: v1's was published as `api__schemas__MonitoringSummary`, and clients generate code
# from that name. v1's models now live in `api.v1.schemas`; this keeps the published name (v1 is frozen; the
# answer pins hold both documents). v2's name is unchanged: its module did not move.
V1_PUBLISHED_NAMES = {"api__v1__schemas__MonitoringSummary": "api__schemas__MonitoringSummary"}
REF_PREFIX = "#/components/schemas/"


def _renamed_refs(node: object, names: dict[str, str]) -> object:
    if isinstance(node, dict):
        return {
            key: (
                REF_PREFIX + names.get(value.removeprefix(REF_PREFIX), value.removeprefix(REF_PREFIX))
                if key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX)
                else _renamed_refs(value, names)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_renamed_refs(value, names) for value in node]
    return node


def published(schema: dict, names: dict[str, str]) -> dict:
    """The schema with its components (and every reference to them) under their published names."""
    renamed: dict = _renamed_refs(schema, names)  # type: ignore[assignment]
    components = renamed.get("components", {}).get("schemas")
    if components:
        published_names = sorted((names.get(old, old), old) for old in components)
        renamed["components"]["schemas"] = {name: components[old] for name, old in published_names}
    return renamed


def split_docs(app: FastAPI, v1_prefix: str, static_url: str) -> None:
    """Restrict the app's own schema to v1 and serve v2's schema and pages beside it."""
    cached: dict[str, dict] = {}

    def v1_openapi() -> dict:
        if "v1" not in cached:
            full = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            cached["v1"] = published(_only_paths(full, lambda path: not path.startswith(V2_PREFIX)), V1_PUBLISHED_NAMES)
        return cached["v1"]

    def v2_openapi() -> dict:
        if "v2" not in cached:
            full = get_openapi(
                title=app.title, version="v2", description=V2_DESCRIPTION, routes=app.routes, tags=V2_TAGS
            )
            cached["v2"] = _only_paths(full, lambda path: path.startswith(V2_PREFIX))
        return cached["v2"]

    app.openapi = v1_openapi  # type: ignore[method-assign]

    @app.get(f"{V2_PREFIX}/openapi.json", include_in_schema=False)
    async def v2_schema() -> JSONResponse:
        return JSONResponse(v2_openapi())

    @app.get(f"{V2_PREFIX}/docs", include_in_schema=False)
    async def v2_swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{V2_PREFIX}/openapi.json",
            title=f"{app.title} v2 - Swagger UI",
            swagger_js_url=f"{root}{static_url}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{static_url}/swagger-ui.css",
            swagger_favicon_url=f"{root}{static_url}/favicon.png",
        )

    @app.get(f"{V2_PREFIX}/redoc", include_in_schema=False)
    async def v2_redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{V2_PREFIX}/openapi.json",
            title=f"{app.title} v2 - ReDoc",
            redoc_js_url=f"{root}{static_url}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{static_url}/favicon.png",
            with_google_fonts=False,
        )

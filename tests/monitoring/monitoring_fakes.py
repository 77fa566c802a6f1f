"""A fake HTTP layer for the monitoring page's `AppTest` runs: canned answers by API path."""

import json
from dataclasses import dataclass, field

import monitoring_canned as canned
import requests

API_URL = "http://api.test/api/v1"

Answer = tuple[int, dict] | Exception


@dataclass
class FakeApi:
    """Answers by path below `/api/v1`; anything else is a 404 like the real service."""

    answers: dict[str, Answer] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)

    def get(self, url: str, timeout: float | None = None) -> requests.Response:
        assert timeout is not None, "every API call must have a timeout"
        path = url.removeprefix(API_URL + "/")
        self.requested.append(path)
        answer = self.answers.get(path, (404, {"detail": f"Not Found: {path}"}))
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = url
        return response


def healthy_answers() -> dict[str, Answer]:
    """What the API answers for the golden bucket, plus one series with no observation yet."""
    answers: dict[str, Answer] = {
        "freshness": (200, canned.freshness()),
        "monitoring/metrics": (200, canned.golden("monitoring_metrics")),
        "monitoring/summary": (200, canned.summary()),
    }
    for (area, consumer_type), errors in canned.all_errors().items():
        answers[f"monitoring/errors/{area}/{consumer_type}"] = (200, errors)
    return answers

"""`/metrics` kept private: with `APP_API_METRICS_PORT` the API answers /metrics only on that port (and
nothing else there), so the public port (Service, ingress, Cloud Run URL) has no /metrics at all.
A real `python -m api` process with one worker and with two."""

import httpx
import pytest
from api.config import Settings
from devtools.processes import free_port
from pydantic import ValidationError
from support import BUCKET_PANDAS15, running_api

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("workers", ["1", "2"])
def test_metrics_only_on_the_metrics_port_and_only_metrics_there(workers):
    metrics_port = free_port()
    settings = {"APP_API_METRICS_PORT": str(metrics_port), "APP_API_WORKERS_COUNT": workers}
    with running_api(BUCKET_PANDAS15, settings, timeout=120) as base_url:
        public = base_url.removesuffix("/api/v1")
        private = f"http://127.0.0.1:{metrics_port}"
        assert httpx.get(f"{base_url}/predictions/1/111").status_code == 200
        hidden = httpx.get(f"{public}/metrics")
        scraped = httpx.get(f"{private}/metrics")
        nothing_else = [httpx.get(f"{private}{path}") for path in ("/api/v1/predictions/1/111", "/api/v1/ready", "/")]
    assert hidden.status_code == 404 and hidden.json() == {"detail": "Not Found"}
    # with two workers the scrape may reach the other one, which counted nothing yet: each has its registry
    assert scraped.status_code == 200 and "api_worker_info{" in scraped.text and "api_ready 1.0" in scraped.text
    assert [answer.status_code for answer in nothing_else] == [404, 404, 404]


def test_without_a_metrics_port_metrics_stay_on_the_api_port():
    with running_api(BUCKET_PANDAS15) as base_url:
        assert httpx.get(base_url.removesuffix("/api/v1") + "/metrics").status_code == 200


def test_the_metrics_port_must_differ_from_the_api_port():
    with pytest.raises(ValidationError, match="must differ"):
        Settings(PORT=8001, METRICS_PORT=8001, _env_file=None)

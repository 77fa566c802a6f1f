"""The alert rules end to end: a real Prometheus scrapes the real API and evaluates deploy/prometheus/alerts.yml.

Three APIs run as processes: one over a demo bucket whose last 24 hours hold a fresh incident (the
demo's unknown holiday: business types use a fifth less for ten hours), one over a healthy demo
bucket, and one over a healthy demo bucket that then receives a bad upload (that one refreshes
every second). One Prometheus (Debian's package) scrapes them every second with the shipped
`prometheus.yml`, pointed at them. The copy of `alerts.yml` it loads has every `for:` set to 0s,
so an alert fires on the first evaluation whose condition holds: the durations themselves are
covered by the promtool unit tests (test_alert_rules.py). Everything else is the shipped rules.
"""

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import yaml
from api.demo import build_demo_frames
from bad_uploads import CORPUS
from devtools.paths import ARTIFACTS, REPO_ROOT
from devtools.processes import free_port, running, running_api
from devtools.waiting import wait_until

pytestmark = [pytest.mark.prometheus, pytest.mark.e2e]

RULES_DIR = REPO_ROOT / "deploy" / "prometheus"
JOB = "energy-forecast-api"
INCIDENT_ALERTS = {"EnergyForecastErrorWorseThanWeekEarlier", "EnergyForecastBiased"}
DATA_AND_API_ALERTS = {
    "EnergyForecastObservationsStale",
    "EnergyForecastForecastExpired",
    "EnergyForecastApiDown",
    "EnergyForecastApiNotReady",
    "EnergyForecastRefreshFailing",
    "EnergyForecastQualityUnknown",
    "EnergyForecastUploadRejected",
    "EnergyForecastNoSuccessfulRefresh",
}
EVALUATIONS_AFTER = 2  # seconds after the scrape: two evaluations at the 1 s interval
# With every `for:` at 0s a refresh that records the rejection also fires the generic refresh alert
# at once; in the shipped rules it waits 30 minutes.
REJECTION_ALERTS = {"EnergyForecastUploadRejected", "EnergyForecastRefreshFailing"}
TIMEOUT_SECONDS = 90


def write_demo_bucket(folder: Path, **options) -> Path:
    folder.mkdir(parents=True)
    for name, frame in build_demo_frames(**options).items():
        with (folder / f"{name}.parquet").open("wb") as handle:
            frame.to_parquet(handle)
    return folder


def last_five_pm_utc() -> datetime:
    """The latest 17:00 UTC not in the future: a demo ending then has all ten incident hours
    (07:00-16:00) observed, inside its last 24 hours, whatever time of day the test runs; its data
    is less than a day old, so the staleness alerts must stay quiet."""
    now = datetime.now(UTC)
    cut = now.replace(hour=17, minute=0, second=0, microsecond=0)
    return cut if cut <= now else cut - timedelta(days=1)


def rules_without_durations(target: Path) -> Path:
    """alerts.yml with every `for:` set to 0s (see the module docstring)."""
    rules = yaml.safe_load((RULES_DIR / "alerts.yml").read_text())
    for group in rules["groups"]:
        for rule in group["rules"]:
            rule["for"] = "0s"
    target.write_text(yaml.safe_dump(rules, sort_keys=False, allow_unicode=True))
    return target


def prometheus_config(folder: Path, targets: list[str]) -> Path:
    """The shipped prometheus.yml, scraping `targets` every second with the duration-free rules."""
    config = yaml.safe_load((RULES_DIR / "prometheus.yml").read_text())
    config["global"] = {"scrape_interval": "1s", "evaluation_interval": "1s"}
    config["rule_files"] = [str(rules_without_durations(folder / "alerts.yml"))]
    (job,) = config["scrape_configs"]
    assert job["job_name"] == JOB
    job["static_configs"] = [{"targets": targets}]
    path = folder / "prometheus.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def query(prometheus: str, promql: str) -> list[dict]:
    answer = httpx.get(f"{prometheus}/api/v1/query", params={"query": promql}, timeout=5).json()
    assert answer["status"] == "success", answer
    return answer["data"]["result"]


def alerts(prometheus: str) -> list[dict]:
    answer = httpx.get(f"{prometheus}/api/v1/alerts", timeout=5).json()
    assert answer["status"] == "success", answer
    return answer["data"]["alerts"]


@pytest.fixture(scope="module")
def buckets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("alert-buckets")
    return {
        "incident": write_demo_bucket(root / "incident", now=last_five_pm_utc(), incident_days_ago=0),
        "healthy": write_demo_bucket(root / "healthy", incident_days_ago=None),
        "rejected": write_demo_bucket(root / "rejected", incident_days_ago=None),
    }


@pytest.fixture(scope="module")
def scraped(buckets, prometheus_server, tmp_path_factory) -> dict[str, str]:
    """Both APIs and a Prometheus scraping them; the Prometheus URL and each API's instance label."""
    folder = tmp_path_factory.mktemp("prometheus")
    with (
        running_api(buckets["incident"]) as incident_api,
        running_api(buckets["healthy"]) as healthy_api,
        running_api(buckets["rejected"], {"APP_API_REFRESH_SECONDS": "1"}) as rejected_api,
    ):
        apis = {"incident": incident_api, "healthy": healthy_api, "rejected": rejected_api}
        instances = {name: httpx.URL(url).netloc.decode() for name, url in apis.items()}
        port = free_port()
        prometheus = f"http://127.0.0.1:{port}"
        command = [
            prometheus_server,
            f"--config.file={prometheus_config(folder, list(instances.values()))}",
            f"--storage.tsdb.path={folder / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ]
        log = ARTIFACTS / f"prometheus-{port}.log"
        with running(command, folder, None, f"{prometheus}/-/ready", log_path=log):
            yield {"prometheus": prometheus, **instances, "buckets": buckets, "apis": apis}


def firing(prometheus: str, instance: str) -> set[tuple[str, str]]:
    return {
        (alert["labels"]["alertname"], alert["labels"].get("area", ""))
        for alert in alerts(prometheus)
        if alert["state"] == "firing" and alert["labels"].get("instance") == instance
    }


def test_prometheus_scrapes_the_gauges_of_both_apis(scraped):
    prometheus = scraped["prometheus"]
    for name in ("incident", "healthy"):
        instance = scraped[name]
        up = wait_until(
            lambda i=instance: query(prometheus, f'up{{job="{JOB}",instance="{i}"}} == 1'),
            TIMEOUT_SECONDS,
            f"{name} up",
        )
        assert up
        wape = wait_until(
            lambda i=instance: query(prometheus, f'energy_forecast_wape{{instance="{i}"}}'),
            TIMEOUT_SECONDS,
            f"{name} WAPE scraped",
        )
        assert {series["metric"]["area"] for series in wape} == {"1", "2", "all"}


def test_the_incident_fires_the_week_earlier_and_bias_alerts(scraped):
    prometheus, instance = scraped["prometheus"], scraped["incident"]
    expected = {(alert, area) for alert in INCIDENT_ALERTS for area in ("1", "2", "all")}

    def incident_alerts() -> set[tuple[str, str]] | None:
        fired = firing(prometheus, instance)
        return fired if expected <= fired else None

    fired = wait_until(incident_alerts, TIMEOUT_SECONDS, f"{sorted(expected)} firing")
    (ARTIFACTS / "prometheus-alerts-incident.json").write_text(json.dumps(alerts(prometheus), indent=1))
    assert not {alert for alert, _ in fired} & DATA_AND_API_ALERTS, fired
    wape = float(query(prometheus, f'energy_forecast_wape{{instance="{instance}",area="all"}}')[0]["value"][1])
    earlier = float(
        query(prometheus, f'energy_forecast_wape_week_earlier{{instance="{instance}",area="all"}}')[0]["value"][1]
    )
    bias = float(query(prometheus, f'energy_forecast_bias{{instance="{instance}",area="all"}}')[0]["value"][1])
    assert wape > 1.5 * earlier and bias > 0.05


def evaluated_at(text: str) -> float:
    """Prometheus' RFC 3339 time (nanoseconds, 'Z') as epoch seconds."""
    moment, _, fraction = text.removesuffix("Z").partition(".")
    return datetime.fromisoformat(moment).replace(tzinfo=UTC).timestamp() + float(f"0.{fraction or 0}")


def test_no_alert_fires_or_waits_on_the_healthy_bucket(scraped):
    prometheus, instance = scraped["prometheus"], scraped["healthy"]
    scrape = wait_until(
        lambda: query(prometheus, f'timestamp(energy_forecast_wape{{instance="{instance}",area="all"}})'),
        TIMEOUT_SECONDS,
        "WAPE scraped",
    )
    scraped_at = float(scrape[0]["value"][1])  # when that sample was scraped

    def groups_evaluated_after_the_scrape() -> list[dict] | None:
        groups = httpx.get(f"{prometheus}/api/v1/rules", timeout=5).json()["data"]["groups"]
        later = [group for group in groups if evaluated_at(group["lastEvaluation"]) > scraped_at + EVALUATIONS_AFTER]
        return groups if groups and len(later) == len(groups) else None

    # Every rule group has been evaluated (more than once) over the healthy API's gauges: with every
    # `for:` at 0s, whatever those evaluations found is in /api/v1/alerts now.
    groups = wait_until(groups_evaluated_after_the_scrape, TIMEOUT_SECONDS, "rule groups evaluated after the scrape")
    assert {rule["name"] for group in groups for rule in group["rules"]} >= INCIDENT_ALERTS
    about_healthy = [alert for alert in alerts(prometheus) if alert["labels"].get("instance") == instance]
    assert about_healthy == []
    assert not [alert for alert in alerts(prometheus) if "instance" not in alert["labels"]]  # e.g. ApiDown by absent()


def test_a_rejected_upload_fires_the_rejection_alert_naming_the_object(scraped):
    prometheus, instance = scraped["prometheus"], scraped["rejected"]
    wait_until(
        lambda: query(prometheus, f'api_upload_rejected{{instance="{instance}",object="y.parquet"}} == 0'),
        TIMEOUT_SECONDS,
        "the healthy gauge scraped first",
    )
    assert not firing(prometheus, instance)
    bad = next(bad for bad in CORPUS if bad.kind == "null_area")  # the case: a null price area
    partial = scraped["buckets"]["rejected"] / ".y.parquet.partial"
    partial.write_bytes(bad.build())
    uploaded = time.monotonic()
    partial.replace(scraped["buckets"]["rejected"] / "y.parquet")

    def rejection_alert() -> list[dict] | None:
        found = [
            alert
            for alert in alerts(prometheus)
            if alert["state"] == "firing"
            and alert["labels"].get("instance") == instance
            and alert["labels"]["alertname"] == "EnergyForecastUploadRejected"
        ]
        return found or None

    (alert,) = wait_until(rejection_alert, TIMEOUT_SECONDS, "EnergyForecastUploadRejected firing")
    seconds = time.monotonic() - uploaded
    (ARTIFACTS / "prometheus-alerts-rejected.json").write_text(
        json.dumps({"seconds_from_upload_to_firing": round(seconds, 1), "alerts": alerts(prometheus)}, indent=1)
    )
    assert alert["labels"]["object"] == "y.parquet" and alert["labels"]["severity"] == "warning"
    assert "y.parquet" in alert["annotations"]["summary"]
    assert {name for name, _ in firing(prometheus, instance)} <= REJECTION_ALERTS
    ready = httpx.get(f"{scraped['apis']['rejected']}/ready", timeout=5).json()
    assert ready["ready"] is True and ready["rejections"][0]["rule"] == "null_key"

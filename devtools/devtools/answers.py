"""Pins of what the API answers: a digest of every v1 and v2 answer over a few fixed buckets.

A change to the API's insides (one engine for both versions, caches moved out of the snapshot) must
not change a byte that clients get. `record(bucket)` serves a bucket with the real app in-process and
asks it every question a client can ask of that data: each v1 route for every (area, consumer_type)
key found in any of the bucket's files (so the 404s pin which keys each route serves), each v2 route
for every key and total, in UTC and Danish time, as JSON and as tables. Each answer becomes one line:
status, a digest of the body and a digest of the headers a cache keys on (content type, ETag, the
gzip encoding's bytes, `Vary`, `Cache-Control`).

What depends on the clock or the folder (load times, ages, the source path, local generations) is
masked in `/status`, `/ready` and `/freshness`. Parquet answers are compared as the CSV of the frame
read back, so a pyarrow upgrade that writes other bytes for the same table is not a change.

`scripts/record_answers.py` writes the pins (`tests/api/answers/`); `tests/api/test_answers_unchanged.py`
compares against them.
"""

import asyncio
import gzip
import hashlib
import io
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
from api.application import create_app
from api.config import Settings
from api.demo import build_demo_frames
from api.loading import FILE_SPECS, parse_file

from devtools.paths import BUCKET_PANDAS3, BUCKET_PANDAS15, REPO_ROOT

ANSWERS = REPO_ROOT / "tests" / "api" / "answers"
V1, V2 = "/api/v1", "/api/v2"
ZONES = ("UTC", "Europe/Copenhagen")
MASKED = "(masked)"
# Fields of /status, /ready and /freshness that depend on the clock, the folder or the parquet writer.
UNSTABLE_FIELDS = frozenset(
    {
        "loaded_at", "age_seconds", "last_successful_refresh_at", "last_refresh_at", "snapshot_loaded_at",
        "snapshot_age_seconds", "observed_to_age_seconds", "forecast_from_age_seconds", "source", "updated",
        "generation", "data_version",
    }
)  # fmt: skip
UNKNOWN_KEY = (9, 999)
ZONE_SAMPLE = 5  # observed series also asked for in Danish time (every total is)


# --- buckets -------------------------------------------------------------------------------------------

LAGGING_END = 475512 + 3 * 24  # 2024-04-03T00Z: the monitoring window holds Denmark's spring-forward day
NORMAL, LAGGING, GAPPY, COUNTRY = (1, 111), (1, 112), (2, 111), (0, 111)
Y_NOT_X, ONLY_PREDICTED_PAST, ONLY_OBSERVED_PAST, NEVER_OBSERVED = (2, 119), (2, 445), (2, 462), (2, 999)
LAG_HOURS = 10


def _frame(rows: list[tuple], value: str | None = "energy_consumption") -> pd.DataFrame:
    columns = ["area", "consumer_type", "datetime_utc"] + ([value] if value else [])
    data = pd.DataFrame(rows, columns=columns)
    data["datetime_utc"] = pd.PeriodIndex.from_ordinals(data["datetime_utc"].to_numpy(), freq="h")
    return data.set_index(["area", "consumer_type", "datetime_utc"])


def _write(folder: Path, frames: dict[str, pd.DataFrame]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in frames.items():
        with (folder / f"{name}.parquet").open("wb") as handle:
            data.to_parquet(handle)
    return folder


def lagging_frames() -> dict[str, pd.DataFrame]:
    """A bucket where the versions' rules differ, and the mess the contract promises to serve.

    - `LAGGING` is observed `LAG_HOURS` less than the others: v1 awaits its observations only after
      the last hour of y_monitoring as a whole, v2 after the series' own last observation;
    - `Y_NOT_X` is in y but not in X (v1 serves its predictions, v2 does not list it);
    - `ONLY_PREDICTED_PAST` and `ONLY_OBSERVED_PAST` are each in one monitoring file only;
    - `NEVER_OBSERVED` has a forecast and nothing else; `COUNTRY` is area 0;
    - a zero observation, a NaN, duplicated rows (the later wins), a gap, unsorted rows, random values
      (so sums taken in another order round differently) and pipeline MAPE for only some hours.
    """
    rng = np.random.default_rng(23)
    end = LAGGING_END
    monitored = range(end - 14 * 24, end)
    observed_rows, observed_past, predicted_past, forecast = [], [], [], []
    for key in (NORMAL, LAGGING, GAPPY, COUNTRY, Y_NOT_X):
        level = 1000.0 * (1 + key[0]) + key[1]
        last = end - LAG_HOURS if key == LAGGING else end
        hours = [h for h in range(end - 30 * 24, last) if not (key == GAPPY and end - 50 <= h < end - 44)]
        values = level * (1 + 0.3 * np.sin(np.array(hours) * 2 * np.pi / 24)) * rng.uniform(0.9, 1.1, len(hours))
        rows = [(*key, hour, float(value)) for hour, value in zip(hours, values, strict=True)]
        observed_rows += rows
        observed_past += [row for row in rows if row[2] >= monitored[0]]
        predicted_past += [(*key, h, level * float(rng.uniform(0.7, 1.3))) for h in range(monitored[0], end + 24)]
        forecast += [(*key, h, level * float(rng.uniform(0.8, 1.2))) for h in range(end, end + 24)]
    observed_past = [(*row[:3], 0.0) if row[:3] == (*NORMAL, end - 30) else row for row in observed_past]
    observed_past.append((*GAPPY, end - 60, float("nan")))
    observed_rows += [(*NORMAL, end - 5, 1.0), (*NORMAL, end - 5, 1234.5)]  # duplicated: the later wins
    observed_past += [(*ONLY_OBSERVED_PAST, h, 50.0 + h % 7) for h in monitored]
    predicted_past += [(*ONLY_PREDICTED_PAST, h, 60.0 + h % 5) for h in range(monitored[0], end + 24)]
    forecast += [(*NEVER_OBSERVED, h, 7.0) for h in range(end, end + 24)]
    in_x = [row[:3] for row in observed_rows if row[:2] != Y_NOT_X]
    metrics_hours = [h for h in monitored if h % 5] + [end]  # gaps, and one hour nothing was compared in
    metrics = pd.DataFrame({"datetime_utc": metrics_hours, "MAPE": rng.uniform(0.01, 0.2, len(metrics_hours))})
    metrics["datetime_utc"] = pd.PeriodIndex.from_ordinals(metrics["datetime_utc"].to_numpy(), freq="h")
    return {
        "X": _frame(in_x[::-1], value=None),
        "y": _frame(observed_rows[::-1]),
        "predictions": _frame(forecast),
        "y_monitoring": _frame(observed_past),
        "predictions_monitoring": _frame(predicted_past[::-1]),
        "metrics_monitoring": metrics.set_index("datetime_utc"),
    }


def _copy(source: Path) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        shutil.copytree(source, folder, dirs_exist_ok=True)
        return folder

    return write


def _demo(now: datetime) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        return _write(folder, build_demo_frames(now))

    return write


def _without_monitoring(frames: Callable[[], dict[str, pd.DataFrame]]) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        return _write(folder, {name: frame for name, frame in frames().items() if "monitoring" not in name})

    return write


BUCKETS: dict[str, Callable[[Path], Path]] = {
    "pandas15": _copy(BUCKET_PANDAS15),
    "pandas3": _copy(BUCKET_PANDAS3),
    "lagging": lambda folder: _write(folder, lagging_frames()),
    "no-monitoring": _without_monitoring(lagging_frames),
    "demo-spring": _demo(datetime(2025, 3, 30, 12, tzinfo=UTC)),  # Danish spring-forward day
    "demo-autumn": _demo(datetime(2025, 10, 26, 12, tzinfo=UTC)),  # Danish fall-back day
}


# --- answers -------------------------------------------------------------------------------------------


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes  # normalised (parquet as CSV, unstable fields masked)
    headers: str  # what a cache keys on, as one text

    def line(self) -> str:
        return f"{self.status} {_digest(self.body)} {_digest(self.headers.encode())}"


def _mask(value: object) -> object:
    if isinstance(value, dict):
        return {key: MASKED if key in UNSTABLE_FIELDS else _mask(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask(item) for item in value]
    return value


def _normalised(path: str, content_type: str, body: bytes) -> bytes:
    if "parquet" in content_type:
        return pd.read_parquet(io.BytesIO(body)).to_csv(index=False).encode()
    if path.endswith(("/status", "/ready", "/freshness")):
        return json.dumps(_mask(json.loads(body)), separators=(",", ":")).encode()
    if path.endswith("openapi.json"):
        return json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    return body


async def _ask(client: httpx.AsyncClient, path: str, params: dict[str, str]) -> Answer:
    async with client.stream("GET", path, params=params, headers={"accept-encoding": "gzip"}) as response:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    headers = response.headers
    encoded = headers.get("content-encoding") == "gzip"
    content_type = headers.get("content-type", "")
    body = gzip.decompress(raw) if encoded else raw
    stable = "parquet" not in content_type and not path.endswith(("/status", "/ready", "/freshness"))
    cache_keys = [
        content_type,
        headers.get("etag", "") if stable else MASKED,
        _digest(raw) if encoded and stable else str(encoded),
        headers.get("vary", ""),
        headers.get("cache-control", ""),
    ]
    return Answer(response.status_code, _normalised(path, content_type, body), "|".join(cache_keys))


def _name(path: str, params: dict[str, str]) -> str:
    return path + ("?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else "")


def bucket_keys(folder: Path) -> list[tuple[int, int]]:
    """Every (area, consumer_type) in any of the bucket's files, with one that is in none."""
    keys = {UNKNOWN_KEY}
    for name in FILE_SPECS:
        if name != "metrics_monitoring.parquet" and (folder / name).is_file():
            frame = parse_file((folder / name).read_bytes(), name)
            keys |= set(zip(frame["area"].tolist(), frame["consumer_type"].tolist(), strict=True))
    return sorted(keys)


def questions(keys: Iterable[tuple[int, int]], totals: list[tuple[object, object]]) -> list[tuple[str, dict]]:
    """Every request the pins hold for a bucket with these keys and totals, as (path, query) pairs."""
    keys = list(keys)
    asked: list[tuple[str, dict]] = [(f"{V1}/{p}", {}) for p in ("health", "ready", "freshness", "openapi.json")]
    asked += [(f"{V1}/{p}", {}) for p in ("area_values", "consumer_type_values", "predictions/x/111")]
    asked += [(f"{V1}/monitoring/{p}", {}) for p in ("metrics", "summary")]
    for area, consumer_type in keys:
        for route in ("predictions", "monitoring/values", "monitoring/errors"):
            asked.append((f"{V1}/{route}/{area}/{consumer_type}", {}))
    asked += [(f"{V2}/openapi.json", {}), (f"{V2}/status", {}), (f"{V2}/series/1/x", {})]
    for route in ("series", "forecasts", "monitoring/summary", "monitoring/hourly", "monitoring/hour_of_day"):
        for tz in ZONES:
            for form in ("json", "csv", "parquet"):
                asked.append((f"{V2}/{route}", {"tz": tz, "format": form}))
    observed = [key for key in keys if key != UNKNOWN_KEY]
    in_zones = {*observed[:ZONE_SAMPLE], *totals}
    for key in [*observed, *totals, UNKNOWN_KEY]:
        for route in ("series", "monitoring/series"):
            path = f"{V2}/{route}/{key[0]}/{key[1]}"
            asked += [(path, {}), (path, {"format": "csv"})]
            if key in in_zones:
                asked.append((path, {"tz": "Europe/Copenhagen"}))
    return asked


async def _record_served(folder: Path) -> dict[str, Answer]:
    settings = Settings(GCP_BUCKET=str(folder), EARLIEST_HOUR="1970-01-01T00:00:00Z", _env_file=None)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://answers.test") as client:
            listed = (await client.get(f"{V2}/series")).json()
            totals = [(entry["area"], entry["consumer_type"]) for entry in listed.get("totals", [])]
            answers = {}
            for path, params in questions(bucket_keys(folder), totals):
                answers[_name(path, params)] = await _ask(client, path, params)
            first = next(iter(listed.get("series", [])), None)
            if first is not None:  # one explicit range, in Danish time, across a day boundary
                path = f"{V2}/series/{first['area']}/{first['consumer_type']}"
                params = {"tz": "Europe/Copenhagen", "start": first["observed_to"][:10], "end": first["forecast_to"]}
                answers[_name(path, params)] = await _ask(client, path, params)
    return answers


def record(bucket: str, scratch: Path) -> dict[str, Answer]:
    """Every answer the app gives for the named bucket (written under `scratch`)."""
    folder = BUCKETS[bucket](scratch / bucket)
    return asyncio.run(_record_served(folder))


def lines(answers: dict[str, Answer]) -> dict[str, str]:
    return {name: answer.line() for name, answer in answers.items()}


def pins_file(bucket: str, root: Path = ANSWERS) -> Path:
    return root / f"{bucket}.json"


def save(bucket: str, answers: dict[str, Answer], root: Path = ANSWERS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = pins_file(bucket, root)
    text = "{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in lines(answers).items()) + "\n}\n"
    path.write_text(text)
    return path


def load(bucket: str, root: Path = ANSWERS) -> dict[str, str]:
    return json.loads(pins_file(bucket, root).read_text())


def differences(pinned: dict[str, str], answers: dict[str, Answer]) -> list[str]:
    """Requests whose answer is not the pinned one (or that one side does not ask), one line each."""
    found = lines(answers)
    changed = [f"{name}: pinned but not asked" for name in pinned if name not in found]
    changed += [
        f"{name}: pinned {old}, now {found[name]}" for name, old in pinned.items() if found.get(name, old) != old
    ]
    changed += [f"{name}: asked but not pinned" for name in found if name not in pinned]
    return changed


# --- answers with new fields ---------------------------------------------------------------------------


def _without_fields(value: object, fields: frozenset[str]) -> object:
    if isinstance(value, dict):
        return {key: _without_fields(item, fields) for key, item in value.items() if key not in fields}
    if isinstance(value, list):
        return [_without_fields(item, fields) for item in value]
    return value


def _csv_without_columns(body: bytes, fields: frozenset[str]) -> bytes:
    rows = [line.split(",") for line in body.decode().split("\n")]
    keep = [position for position, name in enumerate(rows[0]) if name not in fields]
    return "\n".join(",".join(row[p] for p in keep) if len(row) > 1 else ",".join(row) for row in rows).encode()


def body_without(answer: Answer, fields: frozenset[str]) -> bytes:
    """The body as it was before `fields` were added (JSON keys at any depth, or table columns)."""
    if answer.status != 200 or not fields:
        return answer.body
    content_type = answer.headers.split("|", 1)[0]
    if "json" in content_type:
        return json.dumps(_without_fields(json.loads(answer.body), fields), separators=(",", ":")).encode()
    return _csv_without_columns(answer.body, fields)


def new_fields_by_route(spec: str) -> list[tuple[str, frozenset[str]]]:
    """`--compare-without` text as (route part, fields) pairs: groups separated by `;`, each `[route part:]a,b`;
    a group's fields are taken out only of answers whose request contains its route part (all without one)."""
    groups = []
    for group in filter(None, (part.strip() for part in spec.split(";"))):
        route, _, fields = group.rpartition(":") if ":" in group else ("", "", group)
        groups.append((route, frozenset(field for field in fields.split(",") if field)))
    return groups


def old_bodies_changed(
    pinned: dict[str, str], answers: dict[str, Answer], new_fields: list[tuple[str, frozenset[str]]]
) -> list[str]:
    """Requests whose body, once the new fields are taken out, differs from the pinned body.

    What an additive change must leave alone: every other field's bytes (the headers change with the
    body, so only the bodies are compared)."""
    changed = []
    for name, line in pinned.items():
        answer = answers.get(name)
        if answer is None:
            changed.append(f"{name}: pinned but not asked")
            continue
        fields = frozenset().union(*(group for route, group in new_fields if route in name))
        status, body_digest, _ = line.split()
        if int(status) != answer.status or _digest(body_without(answer, fields)) != body_digest:
            changed.append(f"{name}: pinned {line}, now {answer.line()} (without {sorted(fields)})")
    return changed

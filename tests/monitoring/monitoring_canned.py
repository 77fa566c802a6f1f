"""Canned API answers for the monitoring dashboard's tests, built from the golden responses.

The golden bodies in `tests/fixtures/responses` predate `/monitoring/summary` and
`/monitoring/errors`; those two are derived here from the golden `/monitoring/values` bodies
with the contract's definitions, so the tests see the real numbers of bucket-pandas15.
"""

import json
import math
from functools import cache
from pathlib import Path

from support import freshness_body

RESPONSES = Path(__file__).resolve().parents[1] / "fixtures" / "responses"

# A series with predictions but no observation at all yet (area 0 on purpose: it must work).
UNOBSERVED_SERIES = (0, 999)
UNOBSERVED_FIRST_HOUR = 468552
UNOBSERVED_HOURS = 24


@cache
def golden(name: str) -> dict:
    return json.loads((RESPONSES / f"{name}.json").read_text())


def errors_from_values(values: dict, area: int, consumer_type: int) -> dict:
    """`/monitoring/errors/{area}/{consumer_type}` computed from a `/monitoring/values` body."""
    observed = dict(
        zip(
            values["y_monitoring_datetime_utc"],
            values["y_monitoring_energy_consumption"],
            strict=True,
        )
    )
    predicted = dict(
        zip(
            values["predictions_monitoring_datetime_utc"],
            values["predictions_monitoring_energy_consumptionc"],
            strict=True,
        )
    )
    hours = sorted(observed.keys() | predicted.keys())
    prediction = [predicted.get(hour) for hour in hours]
    observation = [observed.get(hour) for hour in hours]
    error = [None if p is None or o is None else p - o for p, o in zip(prediction, observation, strict=True)]
    ape = [None if e is None or o == 0 else abs(e) / abs(o) for e, o in zip(error, observation, strict=True)]
    return {
        "area": area,
        "consumer_type": consumer_type,
        "datetime_utc": hours,
        "prediction": prediction,
        "observation": observation,
        "error": error,
        "absolute_percentage_error": ape,
    }


def unobserved_errors() -> dict:
    area, consumer_type = UNOBSERVED_SERIES
    hours = list(range(UNOBSERVED_FIRST_HOUR, UNOBSERVED_FIRST_HOUR + UNOBSERVED_HOURS))
    return {
        "area": area,
        "consumer_type": consumer_type,
        "datetime_utc": hours,
        "prediction": [1000.0 + hour % 24 for hour in hours],
        "observation": [None] * len(hours),
        "error": [None] * len(hours),
        "absolute_percentage_error": [None] * len(hours),
    }


def summary_entry(errors: dict) -> dict:
    compared = [e for e in errors["error"] if e is not None]
    apes = [a for a in errors["absolute_percentage_error"] if a is not None]
    awaiting = sum(
        p is not None and o is None for p, o in zip(errors["prediction"], errors["observation"], strict=True)
    )
    return {
        "area": errors["area"],
        "consumer_type": errors["consumer_type"],
        "mape": sum(apes) / len(apes) if apes else None,
        "mae": sum(abs(e) for e in compared) / len(compared) if compared else None,
        "rmse": math.sqrt(sum(e * e for e in compared) / len(compared)) if compared else None,
        "hours_compared": len(compared),
        "hours_awaiting_observation": awaiting,
    }


def all_errors() -> dict[tuple[int, int], dict]:
    """Errors per series: the two golden series and one series with no observations."""
    return {
        (1, 111): errors_from_values(golden("monitoring_values_1_111"), 1, 111),
        (2, 462): errors_from_values(golden("monitoring_values_2_462"), 2, 462),
        UNOBSERVED_SERIES: unobserved_errors(),
    }


def summary() -> dict:
    """`/monitoring/summary` over `all_errors()`: worst MAPE first, unmeasured series last."""
    entries = [summary_entry(errors) for errors in all_errors().values()]
    entries.sort(key=lambda entry: (entry["mape"] is None, -(entry["mape"] or 0.0)))
    hours = [hour for errors in all_errors().values() for hour in errors["datetime_utc"]]
    return {"window_from": min(hours), "window_to": max(hours), "series": entries}


def freshness(*, monitoring_available: bool = True, is_demo: bool = False) -> dict:
    return freshness_body(monitoring_available=monitoring_available, is_demo=is_demo)

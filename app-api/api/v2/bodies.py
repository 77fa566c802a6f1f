"""The bodies `/api/v2` answers with, built from the catalog: as JSON-ready dicts or as long tables.

The snapshot renders the default forms once (UTC, latest week); routes call the same functions for
other zones and ranges, so there is one way to build each answer.
"""

import numpy as np

from api.catalog import Catalog, SeriesData
from api.quality import COVERAGE_FLOORS, WEEK_HOURS, Quality, hour_of_day
from api.tables import optional_floats
from api.timefmt import iso_hours, iso_hours_or_none, iso_moment
from api.totals import ALL

OBSERVATION_WINDOW_HOURS = 168
AREA_NAMES = {0: "DK", 1: "DK1", 2: "DK2"}
BOUND_NAMES = ("lower_80", "upper_80", "lower_95", "upper_95")


def area_name(area: int | str) -> str:
    if area == ALL:
        return "Denmark"
    return AREA_NAMES.get(area, f"area {area}")  # type: ignore[arg-type]


def _between(hours: np.ndarray, first: int | None, end: int | None) -> slice:
    """The slice of ascending `hours` inside [first, end)."""
    low = 0 if first is None else int(np.searchsorted(hours, first, side="left"))
    high = hours.size if end is None else int(np.searchsorted(hours, end, side="left"))
    return slice(low, max(low, high))


def selection(data: SeriesData, first: int | None, end: int | None) -> tuple[slice, slice]:
    """Observation and forecast slices: [first, end) when a range is given, else the latest week and all 24 h."""
    observed_hours = data.observed[0]
    if first is None and end is None:
        if observed_hours.size == 0:
            return slice(0, 0), slice(None)
        start = int(np.searchsorted(observed_hours, observed_hours[-1] - OBSERVATION_WINDOW_HOURS, side="right"))
        return slice(start, None), slice(None)
    return _between(observed_hours, first, end), _between(data.forecast.hours, first, end)


def selected_rows(data: SeriesData, first: int | None, end: int | None) -> tuple[int, int, int, int]:
    """What a request selects, as positions: observed rows [0]:[1] and forecast rows [2]:[3].

    Requests that select the same rows (a range past the data's ends, another spelling of an hour)
    give the same positions, so they share one built answer.
    """
    observed, forecast = selection(data, first, end)
    observed_start, observed_stop, _ = observed.indices(data.observed[0].size)
    forecast_start, forecast_stop, _ = forecast.indices(data.forecast.hours.size)
    return observed_start, max(observed_start, observed_stop), forecast_start, max(forecast_start, forecast_stop)


def interval_body(data: SeriesData) -> dict:
    model = data.interval
    return {
        "method": model.method,
        "calibration_hours": model.calibration_hours,
        "coverage_80": model.coverage_80,
        "coverage_95": model.coverage_95,
    }


def series_body(data: SeriesData, tz: str, first: int | None = None, end: int | None = None) -> dict:
    observed, forecast = selection(data, first, end)
    hours, kwh = data.observed[0][observed], data.observed[1][observed]
    plan = data.forecast
    bounds = [optional_floats(getattr(plan, name)[forecast]) for name in BOUND_NAMES]
    return {
        "area": data.key[0],
        "consumer_type": data.key[1],
        "unit": "kWh",
        "tz": tz,
        "observations": [
            {"time": time, "kwh": value} for time, value in zip(iso_hours(hours, tz), kwh.tolist(), strict=True)
        ],
        "forecast": [
            {"time": time, "kwh": value, "lower_80": l80, "upper_80": u80, "lower_95": l95, "upper_95": u95}
            for time, value, l80, u80, l95, u95 in zip(
                iso_hours(plan.hours[forecast], tz), plan.kwh[forecast].tolist(), *bounds, strict=True
            )
        ],
        "interval": interval_body(data),
        "forecast_total": forecast_total_body(data),
    }


def forecast_total_body(data: SeriesData) -> dict:
    """The whole forecast's total with its own ranges (not the sum of the hourly bounds)."""
    plan, total_range = data.forecast, data.forecast_sum_range
    total = float(plan.kwh.sum()) if plan.hours.size else None
    return {
        "hours": int(plan.hours.size),
        "kwh": total,
        **(total_range.of(total) if total is not None else dict.fromkeys(BOUND_NAMES)),
        "method": total_range.method,
        "calibration_windows": total_range.calibration_windows,
        "week_earlier": week_earlier_body(data),
    }


def week_earlier_body(data: SeriesData) -> dict:
    """The forecast against what was observed at the same hours one week (168 h) earlier, over the forecast
    hours whose week-earlier hour was observed (so a gap back then does not read as a rise)."""
    plan = data.forecast
    observed_hours, observed_kwh = data.observed
    earlier = np.searchsorted(observed_hours, plan.hours - WEEK_HOURS)
    found = earlier < observed_hours.size
    found[found] = observed_hours[earlier[found]] == plan.hours[found] - WEEK_HOURS
    hours = int(found.sum())
    if hours == 0:
        return {"hours": 0, "observed_kwh": None, "forecast_kwh": None, "change": None}
    observed = float(observed_kwh[earlier[found]].sum())
    forecast = float(plan.kwh[found].sum())
    return {
        "hours": hours,
        "observed_kwh": observed,
        "forecast_kwh": forecast,
        "change": forecast / observed - 1.0 if observed != 0 else None,
    }


def series_table(data: SeriesData, first: int | None = None, end: int | None = None) -> dict[str, np.ndarray]:
    """time, kind, kwh, lower_80 ... upper_95: observed rows first, bounds empty on them."""
    observed, forecast = selection(data, first, end)
    observed_count = data.observed[0][observed].size
    forecast_count = data.forecast.hours[forecast].size
    no_bounds = np.full(observed_count, np.nan)
    table = {
        "time": np.concatenate([data.observed[0][observed], data.forecast.hours[forecast]]),
        "kind": np.array(["observed"] * observed_count + ["forecast"] * forecast_count, dtype=object),
        "kwh": np.concatenate([data.observed[1][observed], data.forecast.kwh[forecast]]),
    }
    for name in BOUND_NAMES:
        table[name] = np.concatenate([no_bounds, getattr(data.forecast, name)[forecast]])
    return table


def forecasts_table(catalog: Catalog) -> dict[str, np.ndarray]:
    """Every observed series' forecast in one table: area, consumer_type, time, kwh, lower_80 ... upper_95."""
    parts = [catalog.series[key].forecast for key in catalog.observed_keys]
    counts = [part.hours.size for part in parts]
    table = {
        "area": np.repeat([key[0] for key in catalog.observed_keys], counts).astype(np.int64),
        "consumer_type": np.repeat([key[1] for key in catalog.observed_keys], counts).astype(np.int64),
        "time": np.concatenate([part.hours for part in parts]) if parts else np.empty(0, dtype=np.int64),
        "kwh": np.concatenate([part.kwh for part in parts]) if parts else np.empty(0),
    }
    for name in BOUND_NAMES:
        table[name] = np.concatenate([getattr(part, name) for part in parts]) if parts else np.empty(0)
    return table


def rows(table: dict[str, np.ndarray], tz: str, time_columns: tuple[str, ...] = ("time",)) -> list[dict]:
    """A long table as JSON rows: times in `tz`, NaN as null."""
    columns = {}
    for name, values in table.items():
        if name in time_columns:
            columns[name] = iso_hours_or_none(values, tz) if values.dtype.kind == "f" else iso_hours(values, tz)
        elif values.dtype.kind == "f":
            columns[name] = optional_floats(values)
        else:
            columns[name] = values.tolist()
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def series_list_table(catalog: Catalog) -> dict[str, np.ndarray]:
    """One row per observed series; a window's bounds are NaN where the series has no such hours."""

    def bounds(arrays: list[np.ndarray], which: int) -> np.ndarray:
        return np.array([float(hours[which]) if hours.size else np.nan for hours in arrays])

    observed = [catalog.series[key].observed[0] for key in catalog.observed_keys]
    forecast = [catalog.series[key].forecast.hours for key in catalog.observed_keys]
    return {
        "area": np.array([key[0] for key in catalog.observed_keys], dtype=np.int64),
        "area_name": np.array([area_name(key[0]) for key in catalog.observed_keys], dtype=object),
        "consumer_type": np.array([key[1] for key in catalog.observed_keys], dtype=np.int64),
        "observed_from": bounds(observed, 0),
        "observed_to": bounds(observed, -1),
        "forecast_from": bounds(forecast, 0),
        "forecast_to": bounds(forecast, -1),
    }


SERIES_LIST_TIMES = ("observed_from", "observed_to", "forecast_from", "forecast_to")


def series_list_body(catalog: Catalog, tz: str) -> dict:
    totals = [
        {"area": key[0], "area_name": area_name(key[0]), "consumer_type": key[1]}
        for key in catalog.series
        if ALL in key  # type: ignore[operator]
    ]
    return {"series": rows(series_list_table(catalog), tz, SERIES_LIST_TIMES), "totals": totals}


def summary_body(quality: Quality, tz: str) -> dict:
    window_from, window_to = quality.window
    return {
        "window_from": iso_moment(window_from, tz),
        "window_to": iso_moment(window_to, tz),
        "series": [
            {"area": area, "consumer_type": consumer_type, **figures.as_dict()}
            for (area, consumer_type), figures in sorted(quality.series.items())
        ],
        "overall": quality.overall.as_dict(),
        "areas": [{"area": label, **figures.as_dict()} for label, figures in quality.areas.items()],
        "periods": {
            name: {
                "from": iso_moment(first, tz),
                "to": iso_moment(last, tz),
                "overall": quality.by_area["all"][name].as_dict() if "all" in quality.by_area else None,
                "areas": [{"area": label, **by_period[name].as_dict()} for label, by_period in quality.by_area.items()],
            }
            for name, (first, last) in quality.periods.items()
        },
        "coverage_floors": dict(COVERAGE_FLOORS),
    }


def summary_table(quality: Quality) -> dict[str, np.ndarray]:
    keys = sorted(quality.series)
    table: dict[str, np.ndarray] = {
        "area": np.array([key[0] for key in keys], dtype=np.int64),
        "consumer_type": np.array([key[1] for key in keys], dtype=np.int64),
    }
    for name in ("hours_compared", "mape", "wape", "bias", "mase", "coverage_80", "coverage_95"):
        values = [getattr(quality.series[key], name) for key in keys]
        table[name] = np.array(
            values if name == "hours_compared" else [np.nan if v is None else v for v in values],
            dtype=np.int64 if name == "hours_compared" else float,
        )
    return table


def hourly_table(quality: Quality) -> dict[str, np.ndarray]:
    hourly = quality.hourly
    return {
        "time": hourly["hour"].to_numpy(dtype=np.int64),
        "mape": hourly["mape"].to_numpy(dtype=float),
        "wape": hourly["wape"].to_numpy(dtype=float),
        "bias": hourly["bias"].to_numpy(dtype=float),
        "series_compared": hourly["series_compared"].to_numpy(dtype=np.int64),
        "coverage_80": hourly["coverage_80"].to_numpy(dtype=float),
        "coverage_95": hourly["coverage_95"].to_numpy(dtype=float),
        "mape_24h": hourly["mape_24h"].to_numpy(dtype=float),
        "wape_24h": hourly["wape_24h"].to_numpy(dtype=float),
        "bias_24h": hourly["bias_24h"].to_numpy(dtype=float),
    }


HOUR_OF_DAY_FIGURES = ("hours_compared", "mape", "wape", "bias", "coverage_80", "coverage_95")


def hour_of_day_table(quality: Quality, tz: str) -> dict[str, np.ndarray]:
    """One row per hour of the day (0-23) on the clocks of `tz`, with the figures pooled over it."""
    figures = hour_of_day(quality, tz)
    table: dict[str, np.ndarray] = {"hour": np.arange(len(figures), dtype=np.int64)}
    for name in HOUR_OF_DAY_FIGURES:
        values = [getattr(entry, name) for entry in figures]
        if name == "hours_compared":
            table[name] = np.array(values, dtype=np.int64)
        else:
            table[name] = np.array([np.nan if value is None else value for value in values], dtype=float)
    return table


def hour_of_day_body(quality: Quality, tz: str) -> dict:
    window_from, window_to = quality.window
    return {
        "tz": tz,
        "window_from": iso_moment(window_from, tz),
        "window_to": iso_moment(window_to, tz),
        "hours": rows(hour_of_day_table(quality, tz), tz, time_columns=()),
    }


def monitored_body(data: SeriesData, tz: str) -> dict:
    monitored = data.monitored
    assert monitored is not None
    return {
        "area": data.key[0],
        "consumer_type": data.key[1],
        "tz": tz,
        **monitored.counts(),
        "hours": rows(monitored_table(data), tz),
    }


def monitored_table(data: SeriesData) -> dict[str, np.ndarray]:
    """time, observed_kwh, predicted_kwh, error_kwh, awaiting_observation, the backtested ranges, and the
    absolute percentage error (a fraction; added last, so tables read by position keep their columns)."""
    monitored = data.monitored
    assert monitored is not None
    return {
        "time": monitored.hours,
        "observed_kwh": monitored.observed,
        "predicted_kwh": monitored.predicted,
        "error_kwh": monitored.error,
        "awaiting_observation": monitored.awaiting_observation,
        "lower_80": monitored.lower_80,
        "upper_80": monitored.upper_80,
        "lower_95": monitored.lower_95,
        "upper_95": monitored.upper_95,
        "absolute_percentage_error": monitored.ape,
    }

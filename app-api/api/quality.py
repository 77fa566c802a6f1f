"""Error figures of past forecasts, as `../shared/contract.md` section 3 defines them, computed once per snapshot.

Over the hours where a series has both a prediction ŷ and an observation y:
- `mape` = mean(|ŷ − y| / |y|) over those hours with y ≠ 0;
- `wape` = Σ|ŷ − y| / Σ|y| (volume-weighted);
- `bias` = Σ(ŷ − y) / Σ|y| (positive: the model forecast too much);
- `mase` = mean|ŷ − y| / mean|y(t) − y(t − 168 h)| over every pair of hours a week apart in y.parquet;
- `coverage_80` / `coverage_95`: share of backtested hours whose observation fell inside the range.
Pooled figures apply the same formulas to all compared hours of a group of series together: over all
series, per area, per period, per UTC hour, per hour of the day in any zone, and over the 24 hours
ending at each hour. A figure that cannot be computed (no hours, all observations zero, no
week-earlier pairs) is None, never NaN.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from api.timefmt import local_hour_of_day

WEEK_HOURS = 168
HOURS_PER_DAY = 24
ALL_AREAS = "all"
# Trailing figures pool the 24 hours ending at each hour, once at least half of them were compared.
TRAILING_HOURS = 24
TRAILING_MIN_HOURS = 12
# The share of hours inside the 80 % / 95 % ranges below which the ranges are too narrow to trust: an
# operational judgement about a figure the API computes. The alert rules (deploy/prometheus/alerts.yml)
# fire below the same numbers (PromQL cannot read them from here: a test pins that the two agree), and
# the monitoring page flags series below them (it reads them from /api/v2/monitoring/summary).
COVERAGE_FLOORS = {"coverage_80": 0.65, "coverage_95": 0.85}

# Periods that end at the last compared hour L: (hours before L where they end, length in hours).
PERIODS: dict[str, tuple[int, int]] = {
    "last_24h": (0, 24),
    "week_before": (WEEK_HOURS, 24),
    "last_7d": (0, WEEK_HOURS),
    "previous_7d": (WEEK_HOURS, WEEK_HOURS),
}

SUM_COLUMNS = ["compared", "abs_error", "error", "abs_observed", "ape_sum", "ape_count", "in_80", "in_95", "tested"]


@dataclass(frozen=True)
class ErrorFigures:
    hours_compared: int
    mape: float | None
    wape: float | None
    bias: float | None
    mase: float | None
    coverage_80: float | None
    coverage_95: float | None

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "hours_compared": self.hours_compared,
            "mape": self.mape,
            "wape": self.wape,
            "bias": self.bias,
            "mase": self.mase,
            "coverage_80": self.coverage_80,
            "coverage_95": self.coverage_95,
        }


def _ratio(numerator: float, denominator: float) -> float | None:
    if denominator == 0 or not np.isfinite(numerator) or not np.isfinite(denominator):
        return None
    value = float(numerator / denominator)
    return value if np.isfinite(value) else None


def figures_from_sums(sums: pd.Series | dict, scale_sum: float, scale_count: float) -> ErrorFigures:
    """Figures from accumulated sums (see `SUM_COLUMNS`) and a MASE scale (Σ|y(t) − y(t−168)|, pairs)."""
    compared = int(sums["compared"])
    mean_abs_error = _ratio(sums["abs_error"], compared)
    naive = _ratio(scale_sum, scale_count)
    return ErrorFigures(
        hours_compared=compared,
        mape=_ratio(sums["ape_sum"], sums["ape_count"]),
        wape=_ratio(sums["abs_error"], sums["abs_observed"]),
        bias=_ratio(sums["error"], sums["abs_observed"]),
        mase=None if mean_abs_error is None or naive is None else _ratio(mean_abs_error, naive),
        coverage_80=_ratio(sums["in_80"], sums["tested"]),
        coverage_95=_ratio(sums["in_95"], sums["tested"]),
    )


def weekly_naive_scale(hours: np.ndarray, values: np.ndarray) -> tuple[float, int]:
    """Σ|y(t) − y(t − 168 h)| and the number of such pairs in one series' observations."""
    if hours.size == 0:
        return 0.0, 0
    earlier = np.searchsorted(hours, hours - WEEK_HOURS)
    found = earlier < hours.size
    found[found] = hours[earlier[found]] == hours[found] - WEEK_HOURS
    differences = np.abs(values[found] - values[earlier[found]])
    return float(differences.sum()), int(found.sum())


def compared_hours_frame(
    area: int, consumer_type: int, hours: np.ndarray, predicted: np.ndarray, observed: np.ndarray,
    inside_80: np.ndarray, inside_95: np.ndarray,
) -> pd.DataFrame:  # fmt: skip
    """One row per compared hour of one series, with everything the sums need."""
    error = predicted - observed
    abs_observed = np.abs(observed)
    nonzero = abs_observed != 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ape = np.where(nonzero, np.abs(error) / abs_observed, 0.0)
    tested = ~np.isnan(inside_80)
    return pd.DataFrame(
        {
            "area": area,
            "consumer_type": consumer_type,
            "hour": hours,
            "compared": 1,
            "abs_error": np.abs(error),
            "error": error,
            "abs_observed": abs_observed,
            "ape_sum": ape,
            "ape_count": nonzero.astype(np.int64),
            "in_80": np.where(tested, inside_80, 0.0),
            "in_95": np.where(tested, inside_95, 0.0),
            "tested": tested.astype(np.int64),
        }
    )


@dataclass(frozen=True)
class Quality:
    """Every error figure the API and its metrics report, for one snapshot."""

    window: tuple[int | None, int | None]
    series: dict[tuple[int, int], ErrorFigures]
    overall: ErrorFigures
    areas: dict[str, ErrorFigures]
    periods: dict[str, tuple[int, int]]  # name -> (first hour, last hour), inclusive
    by_area: dict[str, dict[str, ErrorFigures]]  # area label -> period (and "window") -> figures
    hourly: pd.DataFrame  # hour, mape, wape, bias, series_compared, coverage_80, coverage_95, *_24h
    hourly_sums: pd.DataFrame  # `SUM_COLUMNS` per UTC hour with a compared series (index: hour, ascending)


def _area_label(area: int) -> str:
    return str(area)


def build_quality(
    compared: pd.DataFrame,
    scales: dict[tuple[int, int], tuple[float, int]],
    pipeline_mape: pd.Series,
    all_area_members: set[int],
) -> Quality:
    """Figures per series, per area (and `all`), per period and per hour from the compared hours."""
    empty_sums = dict.fromkeys(SUM_COLUMNS, 0)

    def scale_of(keys) -> tuple[float, int]:
        pairs = [scales.get(key, (0.0, 0)) for key in keys]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    # A series observed but never compared (no prediction for any observed hour yet) is listed with
    # `hours_compared` 0 and every figure null, so a reader sees it exists and why it has no figures.
    nothing = figures_from_sums(empty_sums, 0.0, 0)
    never_compared = dict.fromkeys(scales, nothing)

    if compared.empty:
        hourly = pd.DataFrame(columns=["hour", *HOURLY_FIGURES, "series_compared", "coverage_80", "coverage_95"])
        for name in TRAILING_FIGURES:
            hourly[name] = pd.Series(dtype=float)
        no_sums = pd.DataFrame(columns=SUM_COLUMNS, index=pd.Index([], dtype=np.int64, name="hour"))
        return Quality((None, None), dict(sorted(never_compared.items())), nothing, {}, {}, {}, hourly, no_sums)

    per_series = compared.groupby(["area", "consumer_type"], sort=True)[SUM_COLUMNS].sum()
    series = {
        (int(area), int(consumer_type)): figures_from_sums(row, *scales.get((int(area), int(consumer_type)), (0.0, 0)))
        for (area, consumer_type), row in per_series.iterrows()
    }
    area_keys: dict[str, list[tuple[int, int]]] = {}
    for area, consumer_type in series:
        area_keys.setdefault(_area_label(area), []).append((area, consumer_type))
    area_keys[ALL_AREAS] = [key for key in series if key[0] in all_area_members]

    last = int(compared["hour"].max())
    periods = {
        name: (last - ends_before - length + 1, last - ends_before) for name, (ends_before, length) in PERIODS.items()
    }
    periods_with_window = {"window": (int(compared["hour"].min()), last), **periods}

    by_area: dict[str, dict[str, ErrorFigures]] = {}
    for label, keys in area_keys.items():
        members = compared[compared["area"].isin({key[0] for key in keys})]
        scale = scale_of(keys)
        by_area[label] = {}
        for name, (first, final) in periods_with_window.items():
            selected = members[(members["hour"] >= first) & (members["hour"] <= final)]
            sums = selected[SUM_COLUMNS].sum() if not selected.empty else empty_sums
            by_area[label][name] = figures_from_sums(sums, *scale)

    overall = figures_from_sums(compared[SUM_COLUMNS].sum(), *scale_of(list(series)))

    per_hour = compared.groupby("hour", sort=True)[SUM_COLUMNS].sum()
    hourly = pd.DataFrame(
        {
            "hour": per_hour.index.to_numpy(dtype=np.int64),
            "mape": _safe_divide(per_hour["ape_sum"], per_hour["ape_count"]),
            "wape": _safe_divide(per_hour["abs_error"], per_hour["abs_observed"]),
            "bias": _safe_divide(per_hour["error"], per_hour["abs_observed"]),
            "series_compared": per_hour["compared"].to_numpy(dtype=np.int64),
            "coverage_80": _safe_divide(per_hour["in_80"], per_hour["tested"]),
            "coverage_95": _safe_divide(per_hour["in_95"], per_hour["tested"]),
        }
    )
    if not pipeline_mape.empty:  # the pipeline's own figure wins where it has one
        own = pipeline_mape.reindex(hourly["hour"]).to_numpy()
        hourly["mape"] = np.where(np.isnan(own), hourly["mape"].to_numpy(), own)
        missing = pipeline_mape.index.difference(hourly["hour"])
        if len(missing):
            extra = pd.DataFrame(
                {"hour": missing.to_numpy(dtype=np.int64), "mape": pipeline_mape.loc[missing].to_numpy()}
            )
            extra["series_compared"] = 0
            hourly = pd.concat([hourly, extra], ignore_index=True).sort_values("hour", kind="stable")
            hourly = hourly.reset_index(drop=True)
    for name, values in trailing_figures(per_hour, hourly["hour"].to_numpy(dtype=np.int64)).items():
        hourly[name] = values
    return Quality(
        window=periods_with_window["window"],
        series=dict(sorted({**never_compared, **series}.items())),
        overall=overall,
        areas={label: figures["window"] for label, figures in by_area.items()},
        periods=periods,
        by_area=by_area,
        hourly=hourly,
        hourly_sums=per_hour,
    )


HOURLY_FIGURES = ("mape", "wape", "bias")
TRAILING_FIGURES = tuple(f"{name}_{TRAILING_HOURS}h" for name in HOURLY_FIGURES)


def trailing_figures(hourly_sums: pd.DataFrame, hours: np.ndarray) -> dict[str, np.ndarray]:
    """MAPE, WAPE and bias pooled over the `TRAILING_HOURS` hours ending at each of `hours` (inclusive):
    sums over the window divided, not a mean of the hours' ratios (a quiet night hour with a large
    ratio would count as much as a busy day hour). NaN where fewer than `TRAILING_MIN_HOURS` of the
    window's hours were compared. MAPE is ours (Σ APE / count), never the pipeline's hourly figure."""
    if hourly_sums.empty or hours.size == 0:
        return {name: np.full(hours.size, np.nan) for name in TRAILING_FIGURES}
    first = int(min(hourly_sums.index.min(), hours.min())) - TRAILING_HOURS
    every_hour = hourly_sums.reindex(np.arange(first, int(max(hourly_sums.index.max(), hours.max())) + 1), fill_value=0)
    window = every_hour.rolling(TRAILING_HOURS, min_periods=1).sum().loc[hours]
    measured = (every_hour["compared"] > 0).rolling(TRAILING_HOURS, min_periods=1).sum().loc[hours].to_numpy()
    figures = {
        "mape": _safe_divide(window["ape_sum"], window["ape_count"]),
        "wape": _safe_divide(window["abs_error"], window["abs_observed"]),
        "bias": _safe_divide(window["error"], window["abs_observed"]),
    }
    return {
        f"{name}_{TRAILING_HOURS}h": np.where(measured >= TRAILING_MIN_HOURS, values, np.nan)
        for name, values in figures.items()
    }


def hour_of_day(quality: Quality, tz: str) -> list[ErrorFigures]:
    """The figures pooled per hour of the day on the clocks of `tz`: 24 entries, hour 0 first.

    Each UTC hour's sums go to the local hour it starts at, so a spring-forward day adds nothing to
    its missing hour and a fall-back day adds both of its repeated hours to theirs. MASE is not
    computed per hour of day (None)."""
    sums = quality.hourly_sums
    local = local_hour_of_day(sums.index.to_numpy(dtype=np.int64), tz)
    per_hour = sums.groupby(local).sum().reindex(range(HOURS_PER_DAY), fill_value=0)
    return [figures_from_sums(row, 0.0, 0) for _, row in per_hour.iterrows()]


def _safe_divide(numerator: pd.Series, denominator: pd.Series) -> np.ndarray:
    top = numerator.to_numpy(dtype=float)
    bottom = denominator.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.where(bottom != 0, top / bottom, np.nan)
    result[~np.isfinite(result)] = np.nan
    return result

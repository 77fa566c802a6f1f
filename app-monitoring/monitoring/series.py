"""One series over the monitoring window: predictions, observations, errors, ranges, what is awaited.

Built from `/api/v2/monitoring/series/{area}/{consumer_type}`. Ground truth arrives late: the API
marks the predicted hours after the series' last observation as `awaiting_observation`, and the
page takes that as given. A gap inside the observed window is a missing observation (drawn as a
gap), never an awaited one. The hour counts (compared, awaiting, missing) and each hour's absolute
percentage error are the API's too (`hours_compared`, ..., `absolute_percentage_error`).
"""

import numpy as np
import pandas as pd
from dashboard_common.hours import UTC, every_hour, parse_times

PREDICTION = "predicted_kwh"
OBSERVATION = "observed_kwh"
ERROR = "error_kwh"
APE = "absolute_percentage_error_percent"
API_APE = "absolute_percentage_error"  # the API's, as a fraction
AWAITING = "awaiting_observation"
RANGES = ("lower_80", "upper_80", "lower_95", "upper_95")
VALUES = (PREDICTION, OBSERVATION, ERROR, *RANGES)


def series_frame(monitored: dict) -> pd.DataFrame:
    """Every hour of the window as a row; hours the API does not list become rows of NaN (not awaiting)."""
    rows = monitored["hours"]
    index = parse_times([row["time"] for row in rows], monitored.get("tz") or UTC, name="time")
    columns = {column: [row.get(column) for row in rows] for column in VALUES}
    columns[APE] = [None if row.get(API_APE) is None else row[API_APE] * 100 for row in rows]
    frame = pd.DataFrame(columns, index=index, dtype="float64")
    frame[AWAITING] = np.array([bool(row.get(AWAITING)) for row in rows], dtype=bool)
    frame = every_hour(frame)
    frame[AWAITING] = frame[AWAITING].fillna(False).astype(bool)
    return frame


def awaiting_spans(frame: pd.DataFrame) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Runs of consecutive awaiting hours as (first hour, last hour) pairs, oldest first."""
    awaiting = frame[AWAITING].to_numpy()
    edges = np.diff(np.r_[0, awaiting.astype(np.int8), 0])
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return [(frame.index[start], frame.index[end]) for start, end in zip(starts, ends, strict=True)]


def compared_errors(frame: pd.DataFrame) -> pd.Series:
    """The error (kWh) of every compared hour: what the histogram shows."""
    return frame.loc[frame[PREDICTION].notna() & frame[OBSERVATION].notna(), ERROR]


def series_csv(frame: pd.DataFrame) -> bytes:
    """The series as CSV with ISO UTC hours and explicit units in the column names: a data file for
    a spreadsheet or a script, the same whatever the page's clock and language (its hours are
    instants, its column names the API's)."""
    export = frame.copy()
    export.index = export.index.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
    return export.to_csv(index_label="time").encode("utf-8")

"""One series over the monitoring window: predictions, observations, errors and what is still open.

Ground truth arrives late: the newest predicted hours have no observation yet. Those hours are
neither an error of zero nor a gap in the data, so they are kept apart as "awaiting observation".
"""

import pandas as pd
from dashboard_common.timeutils import hours_to_timestamps

PREDICTION = "prediction"
OBSERVATION = "observation"
ERROR = "error"
APE = "absolute_percentage_error_percent"
AWAITING = "awaiting_observation"

CSV_COLUMNS = {
    PREDICTION: "prediction_kwh",
    OBSERVATION: "observation_kwh",
    ERROR: "error_kwh",
    APE: "absolute_percentage_error_percent",
    AWAITING: "awaiting_observation",
}


def series_frame(errors: dict) -> pd.DataFrame:
    """Every hour of the window as a row: prediction, observation, error (kWh), APE (%), awaiting.

    Hours the API does not list become rows of NaN, so charts show them as gaps.
    """
    index = hours_to_timestamps(errors["datetime_utc"])
    frame = pd.DataFrame(
        {
            PREDICTION: errors["prediction"],
            OBSERVATION: errors["observation"],
            ERROR: errors["error"],
            APE: [None if value is None else value * 100 for value in errors["absolute_percentage_error"]],
        },
        index=index,
        dtype="float64",
    )
    frame = frame[~frame.index.duplicated(keep="last")].sort_index()
    if len(frame):
        every_hour = pd.date_range(frame.index[0], frame.index[-1], freq="h", name="datetime_utc")
        frame = frame.reindex(every_hour)
    frame.index.name = "datetime_utc"
    frame[AWAITING] = frame[PREDICTION].notna() & frame[OBSERVATION].isna()
    return frame


def awaiting_spans(frame: pd.DataFrame) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Runs of consecutive awaiting hours as (first hour, last hour) pairs, oldest first."""
    awaiting = frame[AWAITING].to_numpy()
    spans: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    start: int | None = None
    for position, is_awaiting in enumerate(awaiting):
        if is_awaiting and start is None:
            start = position
        if not is_awaiting and start is not None:
            spans.append((frame.index[start], frame.index[position - 1]))
            start = None
    if start is not None:
        spans.append((frame.index[start], frame.index[len(awaiting) - 1]))
    return spans


def hours_awaiting(frame: pd.DataFrame) -> int:
    return int(frame[AWAITING].sum())


def hours_compared(frame: pd.DataFrame) -> int:
    return int((frame[PREDICTION].notna() & frame[OBSERVATION].notna()).sum())


def series_csv(frame: pd.DataFrame) -> bytes:
    """The series as CSV with ISO UTC hours and explicit units in the column names."""
    export = frame.rename(columns=CSV_COLUMNS)
    export.index = export.index.strftime("%Y-%m-%dT%H:%M:%SZ")
    return export.to_csv(index_label="datetime_utc").encode("utf-8")

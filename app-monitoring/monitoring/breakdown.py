"""The per-series breakdown: which area and consumer type the model gets wrong, worst first.

Built from `/monitoring/summary`. The table keeps the raw codes (`area`, `consumer_type`) next to
the readable labels so that a chosen row maps back to a series without parsing text.
"""

import pandas as pd
from dashboard_common.labels import area_label, consumer_type_label

AREA = "area"
CONSUMER_TYPE = "consumer_type"
AREA_LABEL = "Area"
CONSUMER_TYPE_LABEL = "Consumer type"
MAPE = "MAPE (%)"
MAE = "MAE (kWh)"
RMSE = "RMSE (kWh)"
HOURS_COMPARED = "Hours compared"
HOURS_AWAITING = "Hours awaiting observation"
ABOVE_THRESHOLD = "Above threshold"

COLUMNS = [
    AREA,
    CONSUMER_TYPE,
    AREA_LABEL,
    CONSUMER_TYPE_LABEL,
    MAPE,
    MAE,
    RMSE,
    HOURS_COMPARED,
    HOURS_AWAITING,
    ABOVE_THRESHOLD,
]


def breakdown_table(summary: dict) -> pd.DataFrame:
    """One row per series, worst MAPE first; series with no hour compared (MAPE unknown) last."""
    rows = [
        {
            AREA: entry["area"],
            CONSUMER_TYPE: entry["consumer_type"],
            AREA_LABEL: area_label(entry["area"]),
            CONSUMER_TYPE_LABEL: consumer_type_label(entry["consumer_type"]),
            MAPE: None if entry["mape"] is None else entry["mape"] * 100,
            MAE: entry["mae"],
            RMSE: entry["rmse"],
            HOURS_COMPARED: entry["hours_compared"],
            HOURS_AWAITING: entry["hours_awaiting_observation"],
            ABOVE_THRESHOLD: False,
        }
        for entry in summary["series"]
    ]
    table = pd.DataFrame(rows, columns=COLUMNS)
    table = table.astype({AREA: "int64", CONSUMER_TYPE: "int64"})
    table = table.astype({MAPE: "float64", MAE: "float64", RMSE: "float64", ABOVE_THRESHOLD: "bool"})
    table = table.sort_values(
        [MAPE, AREA, CONSUMER_TYPE],
        ascending=[False, True, True],
        na_position="last",
        kind="stable",
    )
    return table.reset_index(drop=True)


def flag_above_threshold(table: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """The table with `Above threshold` set for the series whose MAPE exceeds `threshold` (%)."""
    return table.assign(**{ABOVE_THRESHOLD: table[MAPE] > threshold})


def series_of_row(table: pd.DataFrame, row: int) -> tuple[int, int]:
    """The (area, consumer_type) shown in position `row` of `table`."""
    return int(table[AREA].iloc[row]), int(table[CONSUMER_TYPE].iloc[row])


def row_of_series(table: pd.DataFrame, series: tuple[int, int]) -> int | None:
    """Position of `series` in `table`, or None when the table does not list it."""
    area, consumer_type = series
    matches = (table[AREA] == area) & (table[CONSUMER_TYPE] == consumer_type)
    positions = matches.to_numpy().nonzero()[0]
    return int(positions[0]) if len(positions) else None


def mape_heatmap(table: pd.DataFrame) -> pd.DataFrame:
    """MAPE in percent with consumer types as rows and areas as columns, NaN where not measured."""
    matrix = table.set_index([CONSUMER_TYPE, AREA])[MAPE].unstack(AREA)
    return matrix.sort_index(axis=0).sort_index(axis=1)


def breakdown_csv(table: pd.DataFrame) -> bytes:
    """The table as CSV with the raw codes, for a spreadsheet or a bug report."""
    return table.to_csv(index=False).encode("utf-8")

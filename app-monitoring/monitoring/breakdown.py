"""The per-series breakdown: which area and consumer type the model gets wrong, worst first.

Built from `/api/v2/monitoring/summary`. The table keeps the raw codes (`area`, `consumer_type`)
next to the readable labels so that a chosen row maps back to a series without parsing text.
Figures are in display units (see `measures`); a figure the API could not compute stays empty.
"""

import pandas as pd
from dashboard_common.i18n import ENGLISH, N_
from dashboard_common.labels import area_label, consumer_type_label

from monitoring.language import texts
from monitoring.measures import ALL_MEASURES, COVERAGE_80, COVERAGE_95, MASE, THRESHOLDED, Measure

AREA = "area"
CONSUMER_TYPE = "consumer_type"
# Column names: English keys; a viewer reads them translated (`headers`).
AREA_LABEL = N_("Area")
CONSUMER_TYPE_LABEL = N_("Consumer type")
HOURS_COMPARED = N_("Hours compared")
BEYOND_THRESHOLD = N_("Beyond threshold")
FIGURE_COLUMNS = [measure.unit_label for measure in ALL_MEASURES]
COLUMNS = [AREA, CONSUMER_TYPE, AREA_LABEL, CONSUMER_TYPE_LABEL, *FIGURE_COLUMNS, HOURS_COMPARED, BEYOND_THRESHOLD]
# MASE above 1 means "same hour last week" would have done better (the definition of MASE).
MASE_CEILING = 1.0

SeriesKey = tuple[int, int]


def breakdown_table(summary: dict, language: str = ENGLISH) -> pd.DataFrame:
    """One row per series, in the API's order; `rank` orders it. Areas are named in the page's language."""
    _ = texts(language)
    rows = [
        {
            AREA: entry["area"],
            CONSUMER_TYPE: entry["consumer_type"],
            AREA_LABEL: area_label(entry["area"], _),
            CONSUMER_TYPE_LABEL: consumer_type_label(entry["consumer_type"]),
            **{measure.unit_label: measure.display(entry.get(measure.field)) for measure in ALL_MEASURES},
            HOURS_COMPARED: entry["hours_compared"],
            BEYOND_THRESHOLD: False,
        }
        for entry in summary["series"]
    ]
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.astype({AREA: "int64", CONSUMER_TYPE: "int64", BEYOND_THRESHOLD: "bool"}).astype(
        dict.fromkeys(FIGURE_COLUMNS, "float64")
    )


def rank(table: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """Worst first by `measure` (largest error, largest |bias|, lowest coverage); unknown figures last."""
    badness = table[measure.unit_label].map(measure.badness, na_action="ignore")
    order = table.assign(_badness=badness).sort_values(
        ["_badness", AREA, CONSUMER_TYPE], ascending=[False, True, True], na_position="last", kind="stable"
    )
    return order.drop(columns="_badness").reset_index(drop=True)


def coverage_floors(summary: dict) -> dict[str, float]:
    """The API's coverage floors (`summary.coverage_floors`, where its alerts fire) in display units;
    a floor the API does not send flags nothing."""
    floors = summary.get("coverage_floors") or {}
    measures = (COVERAGE_80, COVERAGE_95)
    return {measure.field: measure.display(floors[measure.field]) for measure in measures if measure.field in floors}


def flag_beyond_threshold(
    table: pd.DataFrame, measure: Measure, threshold: float, floors: dict[str, float]
) -> pd.DataFrame:
    """`Beyond threshold` for `measure`: MAPE, WAPE, |bias| above `threshold` (%); MASE above 1;
    coverage below the API's floor for it (`coverage_floors`). An unknown figure is never flagged."""
    values = table[measure.unit_label]
    if measure.field in THRESHOLDED:
        flagged = (values.abs() if measure.signed else values) > threshold
    elif measure is MASE:
        flagged = values > MASE_CEILING
    else:
        flagged = values < floors.get(measure.field, float("-inf"))
    return table.assign(**{BEYOND_THRESHOLD: flagged.fillna(False).astype(bool)})


def series_of_row(table: pd.DataFrame, row: int) -> SeriesKey:
    """The (area, consumer_type) shown in position `row` of `table`."""
    return int(table[AREA].iloc[row]), int(table[CONSUMER_TYPE].iloc[row])


def series_of_rows(table: pd.DataFrame) -> list[SeriesKey]:
    """`series_of_row` of every row, in order, from two column reads: the page asked for it row by row
    (pandas row access per table row, twice per run: ~9 % of a view's server time, BENCHMARKS.md,
    "Capacity")."""
    return [
        (int(area), int(code)) for area, code in zip(table[AREA].tolist(), table[CONSUMER_TYPE].tolist(), strict=True)
    ]


def row_of_series(table: pd.DataFrame, series: SeriesKey) -> int | None:
    """Position of `series` in `table`, or None when the table does not list it."""
    area, consumer_type = series
    matches = (table[AREA] == area) & (table[CONSUMER_TYPE] == consumer_type)
    positions = matches.to_numpy().nonzero()[0]
    return int(positions[0]) if len(positions) else None


def heatmap_matrix(table: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """`measure` with consumer types as rows and areas as columns, NaN where not computed."""
    matrix = table.set_index([CONSUMER_TYPE, AREA])[measure.unit_label].unstack(AREA)
    return matrix.sort_index(axis=0).sort_index(axis=1)


def headers(language: str = ENGLISH) -> dict[str, str]:
    """Every column's header in the page's language (the codes keep their API names)."""
    _ = texts(language)
    figures = {measure.unit_label: measure.unit_name(_) for measure in ALL_MEASURES}
    named = {column: _(column) for column in (AREA_LABEL, CONSUMER_TYPE_LABEL, HOURS_COMPARED, BEYOND_THRESHOLD)}
    return figures | named


def beyond_cells(table: pd.DataFrame) -> list[SeriesKey]:
    """The (area, consumer_type) of every row flagged `Beyond threshold` (see `flag_beyond_threshold`):
    the heatmap marks these cells, so what is bad does not rest on colour alone."""
    flagged = table[table[BEYOND_THRESHOLD]]
    return [(int(area), int(code)) for area, code in zip(flagged[AREA], flagged[CONSUMER_TYPE], strict=True)]


def breakdown_csv(table: pd.DataFrame, language: str = ENGLISH) -> bytes:
    """The table as CSV with the raw codes and headers in the page's language, for a spreadsheet or
    a bug report (numbers with a point: what every spreadsheet reads from CSV)."""
    return table.rename(columns=headers(language)).to_csv(index=False).encode("utf-8")

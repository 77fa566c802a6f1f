"""This week against last week: the real API's periods laid out side by side."""

import pytest
from monitoring.comparison import FIGURE, PERIOD_LABELS, WINDOW_LABEL, change, comparison_table, formatted
from monitoring.measures import ALL_MEASURES, BIAS, MASE, WAPE


@pytest.fixture(scope="module")
def summary(fixture_api) -> dict:
    return fixture_api.answer("/api/v2/monitoring/summary")[1]


def test_each_column_is_one_period_of_the_api_in_display_units(summary):
    table = comparison_table(summary).set_index(FIGURE)
    assert list(table.columns) == [*PERIOD_LABELS.values(), WINDOW_LABEL]
    for period, label in PERIOD_LABELS.items():
        pooled = summary["periods"][period]["overall"]
        for measure in ALL_MEASURES:
            value = pooled[measure.field]
            expected = float("nan") if value is None else value * (1 if measure is MASE else 100)
            assert table.loc[measure.unit_label, label] == pytest.approx(expected, nan_ok=True)
    assert table.loc[WAPE.unit_label, WINDOW_LABEL] == pytest.approx(summary["overall"]["wape"] * 100)


def test_change_is_the_difference_in_display_units(summary):
    last, before = summary["periods"]["last_7d"]["overall"], summary["periods"]["previous_7d"]["overall"]
    assert change(summary, WAPE, "last_7d", "previous_7d") == pytest.approx((last["wape"] - before["wape"]) * 100)
    assert change(summary, MASE, "last_7d", "previous_7d") == pytest.approx(last["mase"] - before["mase"])


def test_a_missing_period_or_figure_has_no_change_and_an_empty_cell(summary):
    without = {**summary, "periods": {}}
    assert change(without, BIAS, "last_7d", "previous_7d") is None
    assert comparison_table(without)[PERIOD_LABELS["last_7d"]].isna().all()


def test_formatted_table_has_two_decimals_and_a_dash_for_unknown_figures(summary):
    without = {**summary, "periods": {}}
    shown = formatted(comparison_table(without))
    assert shown.loc[WAPE.unit_label, WINDOW_LABEL] == f"{summary['overall']['wape'] * 100:.2f}"
    assert (shown[PERIOD_LABELS["last_7d"]] == "–").all()

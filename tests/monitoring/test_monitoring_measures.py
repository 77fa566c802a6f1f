"""The error figures' units and texts, with the expected values written out: every page and table
test that compares with `Measure.display`/`Measure.text` rests on these."""

import pytest
from monitoring.measures import (
    ALL_MEASURES,
    BIAS,
    BY_FIELD,
    BY_LABEL,
    COVERAGE_80,
    COVERAGE_95,
    HOURLY_MEASURES,
    MAPE,
    MASE,
    THRESHOLDED,
    WAPE,
)


@pytest.mark.parametrize(
    ("measure", "fraction", "shown"),
    [
        (WAPE, 0.0523, 5.23),
        (MAPE, 0.5, 50.0),
        (BIAS, -0.0123, -1.23),  # the sign stays
        (MASE, 1.95, 1.95),  # a ratio, not a percent
        (COVERAGE_80, 0.799, 79.9),
        (COVERAGE_95, 1.0, 100.0),
        (WAPE, 0.0, 0.0),
    ],
)
def test_display_is_the_apis_fraction_in_percent_except_mase(measure, fraction, shown):
    assert measure.display(fraction) == pytest.approx(shown)


@pytest.mark.parametrize("measure", ALL_MEASURES, ids=lambda measure: measure.label)
def test_an_unknown_figure_stays_unknown_and_reads_as_a_dash(measure):
    assert measure.display(None) is None
    assert measure.text(None) == "–"


@pytest.mark.parametrize(
    ("measure", "fraction", "text"),
    [
        (WAPE, 0.0523, "5.23 %"),
        (MAPE, 0.12345, "12.35 %"),
        (BIAS, 0.0123, "+1.23 %"),
        (BIAS, -0.0123, "-1.23 %"),
        (BIAS, 0.0, "+0.00 %"),
        (MASE, 1.954, "1.95"),
        (MASE, 0.0, "0.00"),
        (COVERAGE_80, 0.799, "79.90 %"),
        (COVERAGE_95, 0.943, "94.30 %"),
        (WAPE, 0.0, "0.00 %"),
    ],
)
def test_text_has_two_decimals_a_sign_only_on_bias_and_no_percent_on_mase(measure, fraction, text):
    assert measure.text(fraction) == text


@pytest.mark.parametrize(
    ("measure", "label"),
    [
        (WAPE, "WAPE (%)"),
        (MAPE, "MAPE (%)"),
        (BIAS, "Bias (%)"),
        (MASE, "MASE"),
        (COVERAGE_80, "Coverage 80 % (%)"),
        (COVERAGE_95, "Coverage 95 % (%)"),
    ],
)
def test_unit_label_names_the_unit(measure, label):
    assert measure.unit_label == label


@pytest.mark.parametrize(
    ("measure", "shown", "badness"),
    [
        (WAPE, 4.0, 4.0),
        (MASE, 1.5, 1.5),
        (BIAS, -3.0, 3.0),  # too low is as bad as too high
        (BIAS, 2.0, 2.0),
        (COVERAGE_80, 70.0, 10.0),  # below the honest 80 %
        (COVERAGE_95, 96.0, -1.0),  # above 95 %: better than honest, ranks last
    ],
)
def test_badness_grows_with_how_bad_a_value_is(measure, shown, badness):
    assert measure.badness(shown) == pytest.approx(badness)


def test_the_figures_their_order_and_lookups():
    assert [measure.field for measure in ALL_MEASURES] == ["wape", "mape", "bias", "mase", "coverage_80", "coverage_95"]
    assert [measure.field for measure in HOURLY_MEASURES] == ["wape", "mape", "bias"]
    assert frozenset({"mape", "wape", "bias"}) == THRESHOLDED
    assert BY_FIELD["coverage_95"] is COVERAGE_95 and BY_LABEL["Bias"] is BIAS
    assert [(m.signed, m.percent, m.target) for m in (BIAS, MASE, COVERAGE_80)] == [
        (True, True, None),
        (False, False, None),
        (False, True, 80.0),
    ]


def test_every_figure_has_its_own_meaning_for_the_page():
    meanings = [measure.meaning for measure in ALL_MEASURES]
    assert len(set(meanings)) == len(ALL_MEASURES) and min(map(len, meanings)) > 20

"""Deep links: series and threshold from the URL query, with fallbacks that say what happened."""

import pytest
from monitoring.aggregate import DEFAULT_THRESHOLD_PERCENT
from monitoring.deeplink import VIEWS, link_params, parse_link, parse_threshold, sync_link
from monitoring.measures import BIAS, MAPE, WAPE

AVAILABLE = [(1, 111), (2, 462), (0, 999)]


def test_link_selects_series_and_threshold():
    view = parse_link({"area": "1", "consumer_type": "111", "threshold": "7.5"}, AVAILABLE)
    assert view.series == (1, 111)
    assert view.threshold == 7.5
    assert view.notices == []


def test_area_zero_in_a_link_is_a_real_area():
    view = parse_link({"area": "0", "consumer_type": "999"}, AVAILABLE)
    assert view.series == (0, 999)
    assert view.notices == []


def test_link_without_parameters_uses_defaults_silently():
    view = parse_link({}, AVAILABLE)
    assert view.series is None
    assert view.threshold == DEFAULT_THRESHOLD_PERCENT
    assert view.notices == []


@pytest.mark.parametrize(
    "params",
    [
        {"area": "one", "consumer_type": "111"},
        {"area": "1"},
        {"consumer_type": "111"},
        {"area": "1.5", "consumer_type": "111"},
    ],
)
def test_malformed_series_falls_back_with_a_notice(params):
    view = parse_link(params, AVAILABLE)
    assert view.series is None
    assert len(view.notices) == 1
    assert "worst series" in view.notices[0]


def test_unknown_series_falls_back_with_a_notice_naming_it():
    view = parse_link({"area": "2", "consumer_type": "999"}, AVAILABLE)
    assert view.series is None
    assert "DK2" in view.notices[0]
    assert "999" in view.notices[0]


@pytest.mark.parametrize("raw", ["abc", "-3", "0", "nan", "inf", "5000"])
def test_unusable_threshold_falls_back_to_default_with_a_notice(raw):
    threshold, notice = parse_threshold(raw)
    assert threshold == DEFAULT_THRESHOLD_PERCENT
    assert notice is not None
    assert raw in notice


def test_both_bad_values_give_two_notices():
    view = parse_link({"area": "x", "consumer_type": "111", "threshold": "y"}, AVAILABLE)
    assert len(view.notices) == 2


def test_link_params_round_trip_including_area_zero():
    params = link_params((0, 999), 12.5)
    assert params == {"threshold": "12.5", "area": "0", "consumer_type": "999"}
    view = parse_link(params, AVAILABLE)
    assert (view.series, view.threshold) == ((0, 999), 12.5)


def test_figures_round_trip_by_field_name_and_defaults_stay_out_of_the_link():
    assert "rank" not in link_params(None, 10.0) and "figure" not in link_params(None, 10.0)
    params = link_params((1, 111), 10.0, BIAS, MAPE)
    assert (params["rank"], params["figure"]) == ("bias", "mape")
    view = parse_link({**params, "rank": "BIAS"}, AVAILABLE)
    assert (view.rank, view.chart, view.notices) == (BIAS, MAPE, [])


def test_a_figure_the_page_does_not_offer_there_falls_back_with_a_notice():
    view = parse_link({"rank": "rmse", "figure": "mase"}, AVAILABLE)  # MASE ranks, but has no hourly series
    assert (view.rank, view.chart) == (WAPE, WAPE)
    assert len(view.notices) == 2 and "`rmse`" in view.notices[0] and "`mase`" in view.notices[1]


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_in_a_link_is_accepted_silently(view):
    assert parse_link({"view": view}, AVAILABLE).notices == []


def test_an_unknown_view_gives_a_notice_naming_the_views():
    (notice,) = parse_link({"view": "by series"}, AVAILABLE).notices  # labels are taken verbatim
    assert "`by series`" in notice and "Over time, By series, One series" in notice


def test_sync_link_writes_only_changes_and_leaves_the_open_tab_alone():
    written: list[str] = []

    class Recording(dict):
        def __setitem__(self, key, value):
            written.append(key)
            super().__setitem__(key, value)

    query = Recording({"view": "One series", "threshold": "10", "area": "1", "consumer_type": "111", "rank": "bias"})
    sync_link(query, link_params((1, 462), 10.0))
    assert query == {"view": "One series", "threshold": "10", "area": "1", "consumer_type": "462"}
    assert written == ["consumer_type"]


@pytest.mark.parametrize(
    ("params", "notices"),
    [
        (
            {"area": "x", "consumer_type": "111"},
            [
                "The link's series (area `x`, consumer type `111`) needs two whole numbers; "
                "showing the worst series instead."
            ],
        ),
        (
            {"area": "2", "consumer_type": "998"},
            ["There is no monitoring data for DK2 (east), consumer type 998; showing the worst series instead."],
        ),
        (
            {"rank": "rmse", "figure": "mase"},
            [
                "The link's ranking figure `rmse` is not one of wape, mape, bias, mase, coverage_80, coverage_95; "
                "using WAPE instead.",
                "The link's hourly figure `mase` is not one of wape, mape, bias; using WAPE instead.",
            ],
        ),
        (
            {"view": "Everything", "threshold": "0"},
            [
                "The link's view `Everything` is not one of Over time, By series, One series; "
                "showing Over time instead.",
                "The link's threshold `0` is not a percentage above 0 and at most 1000; using 10 % instead.",
            ],
        ),
    ],
)
def test_each_notice_says_what_the_link_asked_and_what_is_shown_instead(params, notices):
    assert parse_link(params, AVAILABLE).notices == notices


@pytest.mark.parametrize(
    ("raw", "threshold"),
    [("0.5", 0.5), ("1", 1.0), ("1000", 1000.0), (" 7 ", 7.0), ("", 10.0), ("   ", 10.0), ("1000.01", 10.0)],
)
def test_threshold_bounds_are_above_zero_and_at_most_1000(raw, threshold):
    value, notice = parse_threshold(raw)
    assert value == threshold
    assert (notice is None) == (raw.strip() in {"0.5", "1", "1000", "7", ""})


@pytest.mark.parametrize(("raw", "measure"), [("", WAPE), ("  ", WAPE), (" MAPE ", MAPE), ("bias", BIAS)])
def test_an_empty_or_differently_written_figure_in_a_link_is_read_without_a_notice(raw, measure):
    view = parse_link({"rank": raw, "figure": raw}, AVAILABLE)
    assert (view.rank, view.chart, view.notices) == (measure, measure, [])

"""The monitoring page's link: series, threshold and figures from the URL query, with fallbacks that say
what happened, and written back with only what changed."""

import pytest
from dashboard_common.i18n import N_
from dashboard_common.links import read_link, write_link
from monitoring.aggregate import DEFAULT_THRESHOLD_PERCENT
from monitoring.links import VIEWS, link_params, link_values, parse_threshold
from monitoring.measures import BIAS, MAPE, WAPE

AVAILABLE = [(1, 111), (2, 462), (0, 999)]


def params():
    """Built inside each test, so mutation testing sees the tests that run it."""
    return link_params(AVAILABLE)


def parse_link(query: dict[str, str]):
    return read_link(query, params())


def written(series, threshold, rank=WAPE, chart=WAPE) -> dict[str, str]:
    query: dict[str, str] = {}
    write_link(query, params(), link_values(series, threshold, rank, chart))
    return query


def test_link_selects_series_and_threshold():
    view = parse_link({"area": "1", "consumer_type": "111", "threshold": "7.5"})
    assert view.values["series"] == (1, 111)
    assert view.values["threshold"] == 7.5
    assert view.notices_for() == []


def test_area_zero_in_a_link_is_a_real_area():
    view = parse_link({"area": "0", "consumer_type": "999"})
    assert view.values["series"] == (0, 999)
    assert view.notices_for() == []


def test_link_without_parameters_uses_defaults_silently():
    view = parse_link({})
    assert view.values["series"] is None
    assert view.values["threshold"] == DEFAULT_THRESHOLD_PERCENT
    assert view.notices_for() == []


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
    view = parse_link(params)
    assert view.values["series"] is None
    assert len(view.notices_for()) == 1
    assert "worst series" in view.notices_for()[0]


def test_unknown_series_falls_back_with_a_notice_naming_it():
    view = parse_link({"area": "2", "consumer_type": "999"})
    assert view.values["series"] is None
    assert "DK2" in view.notices_for()[0]
    assert "999" in view.notices_for()[0]


@pytest.mark.parametrize("raw", ["abc", "-3", "0", "nan", "inf", "5000"])
def test_unusable_threshold_falls_back_to_default_with_a_notice(raw):
    threshold, notices = parse_threshold(N_, (raw,))
    assert threshold is None
    assert parse_link({"threshold": raw}).values["threshold"] == DEFAULT_THRESHOLD_PERCENT
    (notice,) = notices
    assert raw in notice


def test_both_bad_values_give_two_notices():
    view = parse_link({"area": "x", "consumer_type": "111", "threshold": "y"})
    assert len(view.notices_for()) == 2


def test_link_params_round_trip_including_area_zero():
    params = written((0, 999), 12.5)
    assert params == {"threshold": "12.5", "area": "0", "consumer_type": "999"}
    view = parse_link(params)
    assert (view.values["series"], view.values["threshold"]) == ((0, 999), 12.5)


def test_figures_round_trip_by_field_name_and_defaults_stay_out_of_the_link():
    assert "rank" not in written(None, 10.0) and "figure" not in written(None, 10.0)
    params = written((1, 111), 10.0, BIAS, MAPE)
    assert (params["rank"], params["figure"]) == ("bias", "mape")
    view = parse_link({**params, "rank": "BIAS"})
    assert (view.values["rank"], view.values["figure"], view.notices_for()) == (BIAS, MAPE, [])


def test_a_figure_the_page_does_not_offer_there_falls_back_with_a_notice():
    view = parse_link({"rank": "rmse", "figure": "mase"})  # MASE ranks, but has no hourly series
    assert (view.values["rank"], view.values["figure"]) == (WAPE, WAPE)
    notices = view.notices_for()
    assert len(notices) == 2 and "`rmse`" in notices[0] and "`mase`" in notices[1]


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_in_a_link_is_accepted_silently(view):
    assert parse_link({"view": view}).notices_for() == []


def test_an_unknown_view_gives_a_notice_naming_the_views():
    (notice,) = parse_link({"view": "by series"}).notices_for()  # labels are taken verbatim
    assert "`by series`" in notice and "Over time, By series, One series" in notice


def test_writing_the_link_changes_only_what_differs():
    changed: list[str] = []

    class Recording(dict):
        def __setitem__(self, key, value):
            changed.append(key)
            super().__setitem__(key, value)

    query = Recording({"view": "One series", "threshold": "10", "area": "1", "consumer_type": "111", "rank": "bias"})
    write_link(query, params(), link_values((1, 462), 10.0, WAPE, WAPE, "One series"))
    assert query == {"view": "One series", "threshold": "10", "area": "1", "consumer_type": "462"}
    assert changed == ["consumer_type"]


def test_without_a_series_the_link_loses_area_and_consumer_type():
    query = {"threshold": "10", "area": "1", "consumer_type": "111"}
    write_link(query, params(), link_values(None, 10.0, WAPE, WAPE))
    assert query == {"threshold": "10"}


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
    assert parse_link(params).notices_for() == notices


@pytest.mark.parametrize(
    ("raw", "threshold"),
    [("0.5", 0.5), ("1", 1.0), ("1000", 1000.0), (" 7 ", 7.0), ("", 10.0), ("   ", 10.0), ("1000.01", 10.0)],
)
def test_threshold_bounds_are_above_zero_and_at_most_1000(raw, threshold):
    view = parse_link({"threshold": raw})
    assert view.values["threshold"] == threshold
    assert (view.notices_for() == []) == (raw.strip() in {"0.5", "1", "1000", "7", ""})


@pytest.mark.parametrize(("raw", "measure"), [("", WAPE), ("  ", WAPE), (" MAPE ", MAPE), ("bias", BIAS)])
def test_an_empty_or_differently_written_figure_in_a_link_is_read_without_a_notice(raw, measure):
    view = parse_link({"rank": raw, "figure": raw})
    assert (view.values["rank"], view.values["figure"], view.notices_for()) == (measure, measure, [])

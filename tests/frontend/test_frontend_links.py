"""The forecast page's link read through its parameters, and the choice labels, with the expected texts written out."""

import pytest
from dashboard_common.links import read_link
from frontend.choices import (
    area_choice_label,
    area_short_label,
    consumer_type_choice_label,
    zone_label,
)
from frontend.links import link_params

AREAS = ["all", "1", "2"]
CODES = ["all", "111", "112", "461"]


def read(query: dict[str, str], max_types: int = 3):
    return read_link(query, link_params(AREAS, CODES, max_types))


def test_choice_labels():
    assert area_choice_label("all") == "All of Denmark (DK1 + DK2)"
    assert area_choice_label("1") == "DK1 (west of the Great Belt)"
    assert area_short_label("all") == "All Denmark" and area_short_label("1") == "DK1"
    assert consumer_type_choice_label("all") == "All consumer types"
    assert consumer_type_choice_label("111") == "111"
    assert zone_label("Europe/Copenhagen") == "Danish time" and zone_label("UTC") == "UTC"


@pytest.mark.parametrize("raw", ["1", "true", "yes", " YES ", "True"])
def test_a_flag_is_on_for_each_way_of_saying_yes(raw):
    reading = read({"past": raw, "share": raw})
    assert (reading.values["past"], reading.values["share"], reading.notices_for()) == (True, True, [])


@pytest.mark.parametrize("raw", ["0", "false", "no", "NO", "False"])
def test_a_flag_is_off_without_a_notice_for_each_way_of_saying_no(raw):
    reading = read({"past": raw})
    assert (reading.values["past"], reading.notices_for()) == (False, [])


def test_a_flag_the_page_does_not_understand_is_left_off_with_a_notice():
    reading = read({"share": "maybe"})
    assert not reading.values["share"]
    assert reading.notices_for() == ["The link's `share=maybe` is not understood (use `share=1`); left off."]


@pytest.mark.parametrize(("raw", "multiples"), [("multiples", True), ("Multiples", True), ("overlaid", False),
                                                ("OVERLAID", False)])  # fmt: skip
def test_both_layouts_are_read_without_a_notice(raw, multiples):
    reading = read({"compare": "types", "layout": raw})
    assert (reading.values["layout"], reading.notices_for()) == (multiples, [])


def test_an_unknown_layout_shows_the_series_overlaid_with_a_notice():
    reading = read({"layout": "grid"})
    assert not reading.values["layout"]
    assert reading.notices_for() == ["The link asks for layout `grid`; showing the series overlaid."]


def test_types_without_data_are_left_out_and_named_and_too_many_are_cut():
    reading = read({"compare": "TYPES", "types": "111, 999,x,112,461"}, max_types=2)
    assert (reading.values["compare"], reading.values["types"]) == ("types", ("111", "112"))
    assert reading.notices_for() == [
        "The link names consumer types without data (`999`, `x`); left out.",
        "The link names 3 consumer types; the page compares up to 2.",
    ]


def test_an_unknown_comparison_is_named():
    reading = read({"compare": "regions"})
    assert reading.values["compare"] is None
    assert reading.notices_for() == ["The link asks to compare `regions`; the page compares `types` or `areas`."]


def test_as_many_types_as_the_page_compares_need_no_notice():
    reading = read({"compare": "types", "types": "111,112"}, max_types=2)
    assert (reading.values["types"], reading.notices_for()) == (("111", "112"), [])


@pytest.mark.parametrize(
    ("query", "notices"),
    [
        ({"area": "7"}, ["The link asks for area `7`, which has no data; showing All of Denmark (DK1 + DK2) instead."]),
        (
            {"consumer_type": "**999**"},
            ["The link asks for consumer type `**999**`, which has no data; showing All consumer types instead."],
        ),
        (
            {"tz": "Mars"},
            ["The link asks for time zone `Mars`, which this page does not offer; showing Danish time instead."],
        ),
    ],
)
def test_a_series_or_zone_the_page_cannot_show_is_named_with_what_is_shown_instead(query, notices):
    reading = read(query)
    assert (reading.values["area"], reading.values["consumer_type"], reading.values["zone"]) == (
        "all",
        "all",
        "Europe/Copenhagen",
    )
    assert reading.notices_for() == notices

"""Link reading and the choice labels, with the expected texts written out."""

import pytest
from frontend.links import (
    ViewOptions,
    area_choice_label,
    area_short_label,
    consumer_type_choice_label,
    view_options_from_link,
    view_options_link,
    zone_label,
)

CODES = ["all", "111", "112", "461"]


def test_choice_labels():
    assert area_choice_label("all") == "All of Denmark (DK1 + DK2)"
    assert area_choice_label("1") == "DK1 (west of the Great Belt)"
    assert area_short_label("all") == "All Denmark" and area_short_label("1") == "DK1"
    assert consumer_type_choice_label("all") == "All consumer types"
    assert consumer_type_choice_label("111") == "111"
    assert zone_label("Europe/Copenhagen") == "Danish time" and zone_label("UTC") == "UTC"


@pytest.mark.parametrize("raw", ["1", "true", "yes", " YES ", "True"])
def test_a_flag_is_on_for_each_way_of_saying_yes(raw):
    options, notices = view_options_from_link({"past": raw, "share": raw}, CODES, 3)
    assert (options.show_past, options.as_share, notices) == (True, True, [])


@pytest.mark.parametrize("raw", ["0", "false", "no", "NO", "False"])
def test_a_flag_is_off_without_a_notice_for_each_way_of_saying_no(raw):
    options, notices = view_options_from_link({"past": raw}, CODES, 3)
    assert (options.show_past, notices) == (False, [])


def test_a_flag_the_page_does_not_understand_is_left_off_with_a_notice():
    options, notices = view_options_from_link({"share": "maybe"}, CODES, 3)
    assert not options.as_share
    assert notices == ["The link's `share=maybe` is not understood (use `share=1`); left off."]


@pytest.mark.parametrize(("raw", "multiples"), [("multiples", True), ("Multiples", True), ("overlaid", False),
                                                ("OVERLAID", False)])  # fmt: skip
def test_both_layouts_are_read_without_a_notice(raw, multiples):
    options, notices = view_options_from_link({"compare": "types", "layout": raw}, CODES, 3)
    assert (options.small_multiples, notices) == (multiples, [])


def test_an_unknown_layout_shows_the_series_overlaid_with_a_notice():
    options, notices = view_options_from_link({"layout": "grid"}, CODES, 3)
    assert not options.small_multiples
    assert notices == ["The link asks for layout `grid`; showing the series overlaid."]


def test_types_without_data_are_left_out_and_named_and_too_many_are_cut():
    options, notices = view_options_from_link({"compare": "TYPES", "types": "111, 999,x,112,461"}, CODES, 2)
    assert options == ViewOptions(compare=True, by_area=False, types=("111", "112"))
    assert notices == [
        "The link names consumer types without data (`999`, `x`); left out.",
        "The link names 3 consumer types; the page compares up to 2.",
    ]


def test_an_unknown_comparison_is_named():
    options, notices = view_options_from_link({"compare": "regions"}, CODES, 3)
    assert not options.compare
    assert notices == ["The link asks to compare `regions`; the page compares `types` or `areas`."]


def test_as_many_types_as_the_page_compares_need_no_notice():
    options, notices = view_options_from_link({"compare": "types", "types": "111,112"}, CODES, 2)
    assert (options.types, notices) == (("111", "112"), [])


@pytest.mark.parametrize(
    ("options", "link"),
    [
        (ViewOptions(), {}),
        (ViewOptions(show_past=True), {"past": "1"}),
        (ViewOptions(compare=True, by_area=True, as_share=True), {"compare": "areas", "share": "1"}),
        (
            ViewOptions(compare=True, types=("111", "112"), small_multiples=True, show_past=True),
            {"compare": "types", "types": "111,112", "layout": "multiples"},  # no overlay while comparing
        ),
    ],
)
def test_the_link_of_a_view_names_only_what_differs_from_the_defaults(options, link):
    assert view_options_link(options) == link

"""`dashboard_common.hours`: the API's ISO times on a continuous hourly axis, gaps kept as gaps,
daylight-saving days with their 23 or 25 hours, duplicates and unordered input."""

import math

import pandas as pd
import pytest
from dashboard_common.hours import day_ticks, every_hour, hour_axis, instants, moment, parse_times, time_label

DK = "Europe/Copenhagen"


def test_times_with_any_offset_or_fraction_are_read_as_instants_in_the_zone_asked_for():
    times = ["2023-06-01T02:00:00+02:00", "2023-06-01T00:30:00.5Z", "2023-05-31T20:00:00-05:00"]
    index = parse_times(times, name="time")
    assert index.name == "time" and str(index.tz) == "UTC"
    assert list(index) == [
        pd.Timestamp("2023-06-01T00:00Z"),
        pd.Timestamp("2023-06-01T00:30:00.5Z"),
        pd.Timestamp("2023-06-01T01:00Z"),
    ]
    in_danish_time = parse_times(times, DK)
    assert str(in_danish_time.tz) == DK and in_danish_time[0].hour == 2
    assert list(in_danish_time) == list(index), "the same instants"


def test_no_times_give_an_empty_index_in_the_zone():
    index = parse_times([], DK)
    assert len(index) == 0 and str(index.tz) == DK


def test_missing_hours_become_nan_rows_not_interpolated_values():
    index = parse_times(["2023-06-15T00:00Z", "2023-06-15T01:00Z", "2023-06-15T04:00Z"])
    series = every_hour(pd.Series([10.0, 11.0, 14.0], index=index))
    assert list(series.index) == list(pd.date_range("2023-06-15T00:00Z", periods=5, freq="h"))
    assert series.iloc[[0, 1, 4]].tolist() == [10.0, 11.0, 14.0]
    assert series.iloc[[2, 3]].isna().all()


def test_unsorted_and_duplicated_hours_are_sorted_and_the_last_row_kept():
    index = parse_times(["2023-06-15T03:00Z", "2023-06-15T01:00Z", "2023-06-15T02:00Z", "2023-06-15T03:00Z"])
    frame = every_hour(pd.DataFrame({"kwh": [30.0, 10.0, 20.0, 31.0]}, index=index))
    assert frame["kwh"].tolist() == [10.0, 20.0, 31.0]
    assert frame.index.freqstr == "h"


def test_a_fall_back_day_keeps_25_distinct_hours_each_with_its_offset():
    # 29 Oct 2023: Danish clocks go from 03:00 CEST back to 02:00 CET, so 02:00 happens twice.
    first, last = pd.Timestamp("2023-10-28T22:00Z"), pd.Timestamp("2023-10-29T22:00Z")
    index = parse_times([first.isoformat(), last.isoformat()], DK)
    series = every_hour(pd.Series([1.0, 2.0], index=index))
    assert len(series) == 25 and series.index.is_unique and str(series.index.tz) == DK
    labels = [time_label(hour) for hour in series.index]
    assert labels.count("Sun 29 Oct 02:00 CEST") == 1 and labels.count("Sun 29 Oct 02:00 CET") == 1


def test_a_spring_forward_day_has_23_hours_and_no_invented_one():
    # 26 Mar 2023: 02:00 CET jumps to 03:00 CEST, so there is no 02:00.
    index = parse_times(["2023-03-25T23:00Z", "2023-03-26T21:00Z"], DK)
    series = every_hour(pd.Series([1.0, 1.0], index=index))
    assert len(series) == 23
    assert [hour.hour for hour in series.index[:4]] == [0, 1, 3, 4]


def test_the_axis_can_be_converted_to_another_zone_on_the_way():
    index = parse_times(["2023-06-15T00:00Z", "2023-06-15T02:00Z"])
    series = every_hour(pd.Series([1.0, 3.0], index=index), DK)
    assert str(series.index.tz) == DK and [hour.hour for hour in series.index] == [2, 3, 4]
    assert math.isnan(series.iloc[1])


def test_empty_input_stays_empty():
    assert every_hour(pd.Series([], index=parse_times([]), dtype="float64")).empty


def test_time_labels_name_the_zone():
    assert time_label(pd.Timestamp("2023-06-15T00:00Z")) == "Thu 15 Jun 00:00 UTC"
    assert time_label(pd.Timestamp("2023-06-15T00:00Z").tz_convert(DK)) == "Thu 15 Jun 02:00 CEST"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-06-15T02:00:00+02:00", pd.Timestamp("2023-06-15T00:00Z")),
        ("2023-06-15T00:00:00", pd.Timestamp("2023-06-15T00:00Z")),  # no offset: UTC, as the API writes
        ("not a time", None),
        ("", None),
        (468552, None),  # a v1 wire hour is not a v2 time
        (None, None),
    ],
)
def test_a_moment_is_an_iso_time_or_nothing(value, expected):
    assert moment(value) == expected


def test_time_labels_in_either_language_name_the_zone_with_babel_weekdays_and_months():
    hour = pd.Timestamp("2023-10-29T00:30Z").floor("h").tz_convert(DK)
    assert time_label(hour, "da") == "søn. 29. okt. 02:00 CEST"
    assert time_label(hour, "en") == time_label(hour) == "Sun 29 Oct 02:00 CEST"


def test_day_ticks_sit_at_the_zones_midnights_on_daylight_saving_days_and_name_the_month_where_it_starts():
    # 28 Oct - 1 Nov 2023 in Danish time: 29 Oct has 25 hours; midnights are 22:00 UTC before, 23:00 after.
    index = pd.date_range("2023-10-28T00:00", "2023-11-01T23:00", freq="h", tz=DK)
    values, texts = day_ticks(index, "da")
    assert [f"{value:%d %H}" for value in values] == ["27 22", "28 22", "29 23", "30 23", "31 23"]
    assert texts == ["lø.<br>28. okt.", "sø.<br>29.", "ma.<br>30.", "ti.<br>31.", "on.<br>1. nov."]
    assert day_ticks(index, "en")[1] == ["Sat<br>28 Oct", "Sun<br>29", "Mon<br>30", "Tue<br>31", "Wed<br>1 Nov"]


def test_day_ticks_thin_out_to_at_most_the_ticks_asked_for_and_the_axis_spans_every_hour_whole():
    month = pd.date_range("2023-06-01T00:00", "2023-06-30T23:00", freq="h", tz="UTC")
    all_days, _ = day_ticks(month, "en")
    thinned, texts = day_ticks(month, "en", max_ticks=5)
    assert len(all_days) == 30 and len(thinned) == 5 and thinned == all_days[::6]
    assert texts[0] == "Thu<br>1 Jun" and texts[1] == "Wed<br>7"
    axis = hour_axis(month, "en", max_ticks=5)
    assert axis["tickvals"] == thinned and axis["ticktext"] == texts
    assert axis["range"] == [pd.Timestamp("2023-05-31T23:30"), pd.Timestamp("2023-06-30T23:30")]
    assert hour_axis(month[:0], "en") == {} and day_ticks(month[:0], "da") == ([], [])
    # Hours within one day, no midnight among them: no ticks, and still the range.
    afternoon = pd.date_range("2023-06-01T12:00", "2023-06-01T17:00", freq="h", tz=DK)
    assert day_ticks(afternoon, "da") == ([], [])
    assert hour_axis(afternoon, "da")["range"] == [pd.Timestamp("2023-06-01T09:30"), pd.Timestamp("2023-06-01T15:30")]
    assert list(instants(month[:2].tz_convert(DK))) == [
        pd.Timestamp("2023-06-01T00:00"),
        pd.Timestamp("2023-06-01T01:00"),
    ]

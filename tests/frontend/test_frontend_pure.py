"""Pure parts of the forecast page: v2 body to hourly data, key figures and ranges, holidays, links, figures."""

import math

import numpy as np
import pandas as pd
import pytest
from dashboard_common import theme
from dashboard_common.charts import HOVER_TITLE_META
from dashboard_common.hours import day_ticks, time_label
from dashboard_common.links import read_link, write_link
from frontend.calendar_days import holidays_between
from frontend.choices import DANISH_TIME, UTC, area_short_label, choices
from frontend.figures import (
    RANGE_80_TEXT,
    RANGE_95_TEXT,
    CompareMember,
    compare_figure,
    forecast_figure,
    share_of_weekly_mean,
)
from frontend.keyfigures import format_change, format_kwh, format_range, key_figures
from frontend.links import compare_state, link_params, link_values
from frontend.series import (
    chart_csv,
    chart_table,
    past_forecast,
    series_view,
)

DK = "Europe/Copenhagen"


def hours(start_utc: str, count: int) -> pd.DatetimeIndex:
    return pd.date_range(pd.Timestamp(start_utc), periods=count, freq="h")


def body(
    observed: dict[pd.Timestamp, float | None],
    forecast: dict[pd.Timestamp, float],
    zone: str = DK,
    spread: float | None = 0.1,
    interval: dict | None = None,
) -> dict:
    """A `/api/v2/series` body as the contract writes it: ISO times with the zone's offset."""

    def iso(hour: pd.Timestamp) -> str:
        return hour.tz_convert(zone).isoformat()

    def bound(value: float, factor: float) -> float | None:
        return None if spread is None else value * (1 + factor * spread)

    return {
        "area": "1",
        "consumer_type": "all",
        "unit": "kWh",
        "tz": zone,
        "observations": [{"time": iso(hour), "kwh": value} for hour, value in observed.items()],
        "forecast": [
            {
                "time": iso(hour),
                "kwh": value,
                "lower_80": bound(value, -1),
                "upper_80": bound(value, 1),
                "lower_95": bound(value, -2),
                "upper_95": bound(value, 2),
            }
            for hour, value in forecast.items()
        ],
        "interval": interval
        or {"method": "empirical", "calibration_hours": 336, "coverage_80": 0.79, "coverage_95": 0.94},
    }


def week_and_day(start_utc: str, zone: str = DK, **kwargs) -> dict:
    observed_hours, forecast_hours = hours(start_utc, 168), hours(start_utc, 192)[168:]
    return body(
        {hour: 100.0 + (hour.hour % 24) for hour in observed_hours},
        {hour: 200.0 + hour.hour for hour in forecast_hours},
        zone=zone,
        **kwargs,
    )


# --- links -------------------------------------------------------------------------------------


def test_short_area_labels_fit_a_chart_title_on_a_phone() -> None:
    assert [area_short_label(choice) for choice in ["all", "0", "1", "2"]] == ["All Denmark", "DK", "DK1", "DK2"]


def test_choices_put_the_total_first() -> None:
    assert choices([2, 1, 2]) == ["all", "1", "2"]


AREAS = ["all", "1", "2"]
CODES = ["111", "112", "122", "130"]


def params():
    """Built inside each test, so mutation testing sees the tests that run it."""
    return link_params(AREAS, ["all", *CODES], max_types=3)


DEFAULTS = {"area": "all", "consumer_type": "all", "zone": DANISH_TIME, "compare": None, "types": None,
            "share": False, "layout": False, "past": False}  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ("all", False)),
        ("all", ("all", False)),
        ("ALL", ("all", False)),
        ("2", ("2", False)),
        ("02", ("2", False)),
        ("7", ("all", True)),
        ("DK1", ("all", True)),
        ("", ("all", True)),
    ],
)
def test_choice_from_link(raw: str | None, expected: tuple[str, bool]) -> None:
    reading = read_link({} if raw is None else {"area": raw}, params())
    assert (reading.values["area"], bool(reading.notices_for())) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, (DANISH_TIME, False)),
        ("utc", (UTC, False)),
        ("UTC", (UTC, False)),
        ("dk", (DANISH_TIME, False)),
        ("Europe/Copenhagen", (DANISH_TIME, False)),
        ("Mars/Olympus", (DANISH_TIME, True)),
    ],
)
def test_zone_from_link(raw: str | None, expected: tuple[str, bool]) -> None:
    reading = read_link({} if raw is None else {"tz": raw}, params())
    assert (reading.values["zone"], bool(reading.notices_for())) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {}),
        ({"past": "1"}, {"past": True}),
        ({"compare": "types"}, {"compare": "types"}),
        ({"compare": "areas", "share": "1"}, {"compare": "areas", "share": True}),
        (
            {"compare": "types", "types": "122,111", "layout": "multiples", "share": "true"},
            {"compare": "types", "types": ("122", "111"), "share": True, "layout": True},
        ),
    ],
)
def test_view_options_round_trip_through_the_link(query: dict[str, str], expected: dict) -> None:
    reading = read_link(query, params())
    assert (reading.values, reading.notices_for()) == ({**DEFAULTS, **expected}, [])
    written: dict[str, str] = {}
    write_link(written, params(), reading.values)
    assert read_link(written, params()).values == reading.values


def test_view_options_the_page_cannot_honour_fall_back_with_notices() -> None:
    query = {"compare": "everything", "types": "111,999,0111,x", "share": "maybe", "layout": "grid", "past": "0"}
    reading = read_link(query, params())
    assert reading.values == {**DEFAULTS, "types": ("111",)}
    notices = reading.notices_for()
    assert len(notices) == 4
    assert any("(`999`, `x`)" in notice for notice in notices)


def test_view_options_keep_at_most_the_page_limit_of_types() -> None:
    reading = read_link({"compare": "types", "types": ",".join(CODES)}, params())
    assert reading.values["types"] == ("111", "112", "122")
    assert reading.notices_for() == ["The link names 4 consumer types; the page compares up to 3."]


def test_a_fresh_link_names_the_series_and_the_zone_and_leaves_defaults_out() -> None:
    written: dict[str, str] = {}
    write_link(written, params(), DEFAULTS)
    assert list(written.items()) == [("area", "all"), ("consumer_type", "all"), ("tz", "dk")]
    # The overlay is off in compare mode, so the link does not carry it there.
    write_link(written, params(), {**DEFAULTS, "compare": "areas", "past": True, "types": ("111",)})
    assert written == {"area": "all", "consumer_type": "all", "tz": "dk", "compare": "areas"}


def test_writing_the_link_keeps_its_order_and_parameters_the_page_does_not_own() -> None:
    written = {"utm_source": "mail", "tz": "utc", "area": "2"}
    write_link(written, params(), {**DEFAULTS, "area": "2", "zone": UTC, "past": True})
    assert list(written.items()) == [
        ("utm_source", "mail"),
        ("tz", "utc"),
        ("area", "2"),
        ("consumer_type", "all"),
        ("past", "1"),
    ]


def test_the_widgets_state_and_the_link_say_the_same() -> None:
    values = {**DEFAULTS, "compare": "types", "types": ("122",), "share": True, "layout": True}
    state = {"area": "all", "consumer_type": "all", "zone": DANISH_TIME, **compare_state(values, CODES)}
    assert state["compare_types"] == ["122"] and state["compare_layout"] == "small multiples"
    assert link_values(state) == values
    defaults = compare_state(DEFAULTS, CODES)
    assert defaults["compare_types"] == CODES[:3], "no types in the link: the page's first few"
    assert defaults["compare"] is False and defaults["past_forecasts"] is False


# --- series ------------------------------------------------------------------------------------


def test_body_becomes_a_week_and_a_day_in_the_zone_asked_for() -> None:
    view = series_view(week_and_day("2023-06-08T00:00Z"))

    assert (len(view.observed), len(view.forecast)) == (168, 24)
    assert str(view.observed.index.tz) == DK
    assert view.observed.index[0] == pd.Timestamp("2023-06-08T02:00+02:00")
    assert view.forecast.index[0] == view.observed.index[-1] + pd.Timedelta(hours=1)
    assert view.has_ranges
    assert view.interval["coverage_80"] == 0.79


def test_a_fall_back_day_keeps_25_distinct_hours_each_with_its_offset() -> None:
    # 29 Oct 2023: Danish clocks go from 03:00 CEST back to 02:00 CET, so 02:00 happens twice.
    day = hours("2023-10-28T22:00Z", 25)
    view = series_view(body({hour: float(number) for number, hour in enumerate(day)}, {}))

    assert len(view.observed) == 25
    assert view.observed.index.is_unique
    labels = [time_label(hour) for hour in view.observed.index]
    assert labels.count("Sun 29 Oct 02:00 CEST") == 1
    assert labels.count("Sun 29 Oct 02:00 CET") == 1
    assert list(view.observed) == [float(n) for n in range(25)]


def test_a_spring_forward_day_has_23_hours_and_no_invented_one() -> None:
    # 26 Mar 2023: 02:00 CET jumps to 03:00 CEST, so there is no 02:00.
    day = hours("2023-03-25T23:00Z", 23)
    view = series_view(body({hour: 1.0 for hour in day}, {}))

    assert len(view.observed) == 23
    assert view.observed.notna().all()
    assert [hour.hour for hour in view.observed.index[:4]] == [0, 1, 3, 4]


def test_missing_and_null_hours_become_gaps() -> None:
    start = pd.Timestamp("2023-06-01T00:00Z")
    observed = {start: 1.0, start + pd.Timedelta(hours=1): None, start + pd.Timedelta(hours=3): 4.0}
    view = series_view(body(observed, {}))

    assert len(view.observed) == 4
    assert view.observed.isna().tolist() == [False, True, True, False]


def test_forecast_without_ranges_says_so() -> None:
    view = series_view(week_and_day("2023-06-08T00:00Z", spread=None))

    assert not view.has_ranges
    figure = forecast_figure(view, "t", "Danish time")
    assert [trace.name for trace in figure.data] == ["Danish time", "Observed", "Forecast (next 24 h)"]


def test_table_and_csv_carry_every_hour_with_its_offset_and_the_ranges() -> None:
    view = series_view(week_and_day("2023-10-24T00:00Z"))

    table = chart_table(view)
    csv_lines = chart_csv(view).splitlines()

    assert list(table.columns) == [
        "time",
        "observed_kwh",
        "forecast_kwh",
        "lower_80",
        "upper_80",
        "lower_95",
        "upper_95",
    ]
    assert len(table) == 192
    assert csv_lines[0] == "time,observed_kwh,forecast_kwh,lower_80,upper_80,lower_95,upper_95"
    assert csv_lines[1].startswith("2023-10-24T02:00+02:00,")
    times = [line.split(",")[0] for line in csv_lines[1:]]
    assert "2023-10-29T02:00+02:00" in times and "2023-10-29T02:00+01:00" in times
    assert len(set(times)) == 192


def test_utc_body_stays_utc() -> None:
    view = series_view(week_and_day("2023-06-08T00:00Z", zone=UTC))

    assert view.observed.index[0] == pd.Timestamp("2023-06-08T00:00Z")
    assert chart_csv(view).splitlines()[1].startswith("2023-06-08T00:00+00:00,")


# --- key figures -------------------------------------------------------------------------------


WEEK_EARLIER = {"hours": 3, "observed_kwh": 30.0, "forecast_kwh": 38.0, "change": 38.0 / 30.0 - 1}


def test_key_figures_of_a_handmade_series() -> None:
    start = pd.Timestamp("2023-06-01T00:00Z")
    week_before = {start + pd.Timedelta(hours=h): 10.0 for h in range(3)}
    forecast = {start + pd.Timedelta(hours=168 + h): v for h, v in enumerate([11.0, 15.0, 12.0])}
    view = series_view(body({**week_before, start + pd.Timedelta(hours=167): 1.0}, forecast))
    api_total = {"hours": 3, "kwh": 38.0, "calibration_windows": 0, "week_earlier": WEEK_EARLIER}

    figures = key_figures(view.forecast, api_total)

    assert figures.total_kwh == 38.0
    assert figures.peak_kwh == 15.0
    assert figures.peak_hour == start + pd.Timedelta(hours=169)
    assert figures.peak_range_80 == pytest.approx((13.5, 16.5))
    assert figures.peak_range_95 == pytest.approx((12.0, 18.0))
    assert figures.change_vs_week_before == pytest.approx(38.0 / 30.0 - 1)
    assert (figures.week_before_total_kwh, figures.hours_compared) == (30.0, 3)
    assert figures.total_range_80 is None, "no total range from the API, so none shown"


def test_the_week_earlier_change_is_the_apis_not_recomputed_from_the_hours() -> None:
    view = series_view(week_and_day("2023-06-08T00:00Z"))
    api_total = {"hours": 24, "kwh": 5076.0, "week_earlier": {**WEEK_EARLIER, "hours": 7, "change": 0.25}}

    figures = key_figures(view.forecast, api_total)

    assert (figures.change_vs_week_before, figures.hours_compared) == (0.25, 7)
    no_pairs = {"hours": 0, "observed_kwh": None, "forecast_kwh": None, "change": None}
    assert key_figures(view.forecast, {**api_total, "week_earlier": no_pairs}).change_vs_week_before is None


def test_total_and_its_range_are_the_apis_not_a_sum_of_hourly_bounds() -> None:
    view = series_view(week_and_day("2023-06-08T00:00Z"))
    api_total = {
        "hours": 24,
        "kwh": 5076.0,
        "lower_80": 4900.0,
        "upper_80": 5200.0,
        "lower_95": 4800.0,
        "upper_95": None,
        "method": "conformal on past sums",
        "calibration_windows": 313,
        "week_earlier": WEEK_EARLIER,
    }

    figures = key_figures(view.forecast, api_total)

    assert figures.total_kwh == 5076.0
    assert figures.total_range_80 == (4900.0, 5200.0)
    assert figures.total_range_95 is None, "half a range is no range"
    assert figures.total_range_windows == 313
    summed_80 = (float(view.forecast["lower_80"].sum()), float(view.forecast["upper_80"].sum()))
    assert figures.total_range_80 != pytest.approx(summed_80)


def test_a_total_the_api_has_not_got_stays_empty_rather_than_summed_here() -> None:
    view = series_view(week_and_day("2023-06-08T00:00Z"))

    figures = key_figures(view.forecast, {"hours": 0, "kwh": None, "calibration_windows": 0})

    assert figures.total_kwh is None and format_kwh(figures.total_kwh) == "—"
    assert figures.total_range_80 is None and figures.total_range_windows == 0
    assert figures.peak_kwh == pytest.approx(float(view.forecast["kwh"].max()))


def test_key_figures_without_forecast_are_empty() -> None:
    view = series_view(body({pd.Timestamp("2023-06-01T00:00Z"): 5.0}, {}))

    figures = key_figures(view.forecast, view.forecast_total)

    assert figures.total_kwh is None and figures.peak_hour is None
    assert format_kwh(figures.total_kwh) == "—"
    assert format_change(figures.change_vs_week_before) == "—"
    assert format_range(figures.peak_range_80) == "—"


def test_formats() -> None:
    assert format_kwh(1234567.4) == "1,234,567 kWh"
    assert format_change(0.0321) == "+3.2 %"
    assert format_change(-0.004) == "-0.4 %"
    assert format_range((1200.2, 1450.7)) == "1,200 – 1,451 kWh"


# --- holidays ----------------------------------------------------------------------------------


def test_holidays_in_the_window_come_from_the_calendar_in_danish_days() -> None:
    first, last = pd.Timestamp("2023-12-22T00:00Z"), pd.Timestamp("2023-12-27T23:00Z")

    found = holidays_between(first, last)

    assert [holiday.name for holiday in found] == ["Christmas Day", "Second Day of Christmas"]
    assert found[0].start == pd.Timestamp("2023-12-24T23:00Z")
    assert found[0].end == pd.Timestamp("2023-12-25T23:00Z")


def test_great_prayer_day_is_a_holiday_only_until_2023() -> None:
    assert [h.name for h in holidays_between(pd.Timestamp("2023-05-05T06:00Z"), pd.Timestamp("2023-05-05T07:00Z"))] == [
        "Great Prayer Day"
    ]
    assert holidays_between(pd.Timestamp("2024-04-26T00:00Z"), pd.Timestamp("2024-04-26T23:00Z")) == []


# --- figures -----------------------------------------------------------------------------------


def test_figure_draws_both_ranges_named_for_what_they_are() -> None:
    view = series_view(week_and_day("2023-06-08T00:00Z"))

    figure = forecast_figure(view, "DK1 · all", "Danish time")

    names = [trace.name for trace in figure.data]
    assert names == ["Danish time", None, RANGE_95_TEXT, None, RANGE_80_TEXT, "Observed", "Forecast (next 24 h)"]
    assert "80 % of past errors fall inside" in RANGE_80_TEXT
    lower_95, upper_95, lower_80, upper_80 = figure.data[1:5]
    assert list(lower_95.y) == list(view.forecast["lower_95"])
    assert upper_95.fill == upper_80.fill == "tonexty"
    assert list(lower_80.y) == list(view.forecast["lower_80"])
    assert list(upper_95.y) == list(view.forecast["upper_95"])
    alpha = [float(trace.fillcolor.rsplit(",", 1)[1].rstrip(")")) for trace in (upper_95, upper_80)]
    assert alpha[0] < alpha[1], "the 95 % band is the lighter one"
    forecast = figure.data[-1]
    assert forecast.line.dash == "dash" and forecast.line.color == theme.FORECAST
    assert "80 % range" in forecast.hovertemplate and "95 % range" in forecast.hovertemplate
    assert forecast.customdata[0][0] == format_range(tuple(view.forecast.iloc[0][["lower_80", "upper_80"]]))


def test_figure_places_a_fall_back_day_on_25_evenly_spaced_hours_labelled_in_danish_time() -> None:
    view = series_view(week_and_day("2023-10-24T00:00Z"))

    figure = forecast_figure(view, "", "Danish time")

    time_row, observed = figure.data[0], figure.data[5]
    x = pd.DatetimeIndex(observed.x)
    assert x.tz is None and set(x[1:] - x[:-1]) == {pd.Timedelta(hours=1)}, "every hour once, one hour apart"
    labels = list(time_row.customdata)
    assert "Sun 29 Oct 02:00 CEST" in labels and "Sun 29 Oct 02:00 CET" in labels
    assert len(labels) == len(set(labels)) == 192
    assert list(time_row.x) == list(observed.x) + list(figure.data[-1].x)
    assert time_row.line.width == 0 and time_row.showlegend is False
    # The hover box's title is this row's hour (the chart component writes it there; plotly.js can
    # format only x, a UTC instant, which stays the fallback and says UTC).
    assert time_row.meta == HOVER_TITLE_META and time_row.hoverinfo == "none"
    assert figure.layout.xaxis.unifiedhovertitle.text == "%{x|%a %d %b %H:%M} UTC"
    assert "Hours in Danish time" in figure.layout.title.text
    ticks = dict(zip(figure.layout.xaxis.ticktext, figure.layout.xaxis.tickvals, strict=True))
    # Local midnight of 29 Oct is 22:00 UTC the day before; of 30 Oct, 23:00 UTC (a 25-hour day).
    assert pd.Timestamp(ticks["Sun<br>29"]) == pd.Timestamp("2023-10-28T22:00")
    assert pd.Timestamp(ticks["Mon<br>30"]) == pd.Timestamp("2023-10-29T23:00")


def test_day_ticks_in_utc_are_utc_midnights() -> None:
    index = hours("2023-06-08T00:00Z", 48)
    values, texts = day_ticks(index, "en")
    assert [pd.Timestamp(v) for v in values] == [pd.Timestamp("2023-06-08"), pd.Timestamp("2023-06-09")]
    assert texts == ["Thu<br>8 Jun", "Fri<br>9"]


def test_figure_marks_the_boundary_half_an_hour_before_the_first_forecast_hour() -> None:
    view = series_view(week_and_day("2023-06-08T00:00Z"))

    figure = forecast_figure(view, "", "UTC")

    time_row = figure.data[0]
    assert time_row.meta == HOVER_TITLE_META and time_row.customdata[0] == "Thu 8 Jun 02:00 CEST"
    assert figure.layout.xaxis.unifiedhovertitle.text == "%{x|%a %d %b %H:%M} UTC"
    boundary = pd.Timestamp("2023-06-14T23:30")
    assert [pd.Timestamp(s.x0) for s in figure.layout.shapes if s.type == "line"] == [boundary]


def test_holidays_are_shaded_and_named_on_the_chart() -> None:
    view = series_view(week_and_day("2023-12-20T00:00Z"))
    found = holidays_between(view.observed.index[0], view.forecast.index[-1])

    figure = forecast_figure(view, "", "Danish time", holidays=found)

    texts = [annotation.text for annotation in figure.layout.annotations]
    assert "Christmas Day (public holiday)" in texts
    holiday_rects = [s for s in figure.layout.shapes if s.type == "rect" and s.fillcolor == "#3ecf8e"]
    assert len(holiday_rects) == len(found) == 2


def test_past_forecast_is_drawn_over_the_observed_week_only() -> None:
    view = series_view(week_and_day("2023-06-08T00:00Z"))
    monitoring = {
        "hours": [
            {"time": hour.isoformat(), "observed_kwh": 1.0, "predicted_kwh": 2.0, "error_kwh": 1.0}
            for hour in hours("2023-06-01T00:00Z", 24 * 13)
        ]
    }
    past = past_forecast(monitoring, DK)

    figure = forecast_figure(view, "", "Danish time", past_forecast=past)

    overlay = next(t for t in figure.data if t.name == "What the model had predicted for these hours")
    assert len(overlay.x) == 168 - 24, "the monitoring window ends a day before the observed week does"
    assert pd.Timestamp(overlay.x[0]) == pd.Timestamp("2023-06-08T00:00")


def test_past_forecast_of_nothing_is_empty() -> None:
    assert past_forecast(None, DK).empty
    assert past_forecast({"hours": []}, DK).empty


def test_missing_hours_stay_gaps_in_the_figure() -> None:
    start = pd.Timestamp("2023-06-01T00:00Z")
    observed = {start: 1.0, start + pd.Timedelta(hours=1): 2.0, start + pd.Timedelta(hours=4): 5.0}
    view = series_view(body(observed, {start + pd.Timedelta(hours=5): 6.0}))

    figure = forecast_figure(view, "", "Danish time")

    observed = next(trace for trace in figure.data if trace.name == "Observed")
    observed_y = list(observed.y)
    assert len(observed_y) == 5 and math.isnan(observed_y[2]) and math.isnan(observed_y[3])
    assert observed.connectgaps is False


# --- compare -----------------------------------------------------------------------------------


def test_share_of_weekly_mean_makes_series_of_any_size_comparable() -> None:
    index = hours("2023-06-01T00:00Z", 168)
    small = pd.Series(np.where(index.hour < 12, 1.0, 3.0), index=index)
    big = small * 1000

    small_share, _ = share_of_weekly_mean(small, small.iloc[:24])
    big_share, big_forecast_share = share_of_weekly_mean(big, big.iloc[:24])

    assert small_share.mean() == pytest.approx(1.0)
    assert list(small_share) == pytest.approx(list(big_share))
    assert big_forecast_share.iloc[0] == pytest.approx(0.5)


def test_share_of_a_series_without_observations_is_empty_not_infinite() -> None:
    index = hours("2023-06-01T00:00Z", 3)
    observed, forecast = share_of_weekly_mean(
        pd.Series([0.0, 0.0, 0.0], index=index), pd.Series([1.0], index=index[:1])
    )
    assert observed.isna().all() and forecast.isna().all()


def compare_members() -> list[CompareMember]:
    members = []
    for scale, label in ((1.0, "111"), (1000.0, "112"), (50.0, "119")):
        view = series_view(week_and_day("2023-06-08T00:00Z"))
        members.append(CompareMember(label, view.observed * scale, view.forecast["kwh"] * scale))
    return members


def test_compare_overlaid_draws_each_series_once_observed_and_forecast_on_one_axis() -> None:
    figure = compare_figure(compare_members(), "t", "Danish time", as_share=False, small_multiples=False)

    assert [trace.name for trace in figure.data if trace.showlegend] == ["111", "112", "119"]
    assert len(figure.data) == 1 + 6
    assert {trace.yaxis for trace in figure.data[1:]} == {"y"}
    assert figure.layout.yaxis.title.text == "Consumption (kWh)"


def test_compare_as_share_puts_different_sizes_on_the_same_scale() -> None:
    figure = compare_figure(compare_members(), "t", "Danish time", as_share=True, small_multiples=False)

    observed = [trace for trace in figure.data if trace.showlegend]
    assert np.nanmean(observed[0].y) == pytest.approx(1.0)
    assert list(observed[0].y) == pytest.approx(list(observed[1].y))
    assert figure.layout.yaxis.tickformat == ".0%"


def test_compare_small_multiples_gives_each_series_its_own_row() -> None:
    figure = compare_figure(compare_members(), "t", "Danish time", as_share=False, small_multiples=True)

    assert [trace.yaxis for trace in figure.data[1:]] == ["y", "y", "y2", "y2", "y3", "y3"]
    assert figure.layout.yaxis3.title.text == "119"
    assert figure.layout.yaxis.domain[0] > figure.layout.yaxis2.domain[1] > figure.layout.yaxis3.domain[1]
    assert figure.layout.xaxis.anchor == "y3"

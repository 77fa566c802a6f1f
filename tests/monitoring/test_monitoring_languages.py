"""The monitoring page in Danish and English, on Danish time or UTC (`AppTest`, the real API in-process).

The language comes from the link (`lang=da|en`), else from the browser's preferred language
(`st.context.locale`; AppTest's default is none, so English); the clock from the link (`tz=dk|utc`),
Danish time by default. Expected texts are the catalogue's (`translator`), expected numbers the
API's answers formatted here the Danish way, stated rather than taken from the page's own helpers.
"""

import base64

import numpy as np
import pytest
from dashboard_common.i18n import translator
from devtools.apptest import plotly_figures
from monitoring.links import BY_SERIES, ONE_SERIES, OVER_TIME
from monitoring.measures import ALL_MEASURES, WAPE

SUMMARY = "/api/v2/monitoring/summary"
DA = translator("da", "monitoring")


def texts(elements) -> str:
    return "\n".join(str(element.value) for element in elements)


def titles(page) -> list[str]:
    return [figure["layout"]["title"]["text"] for figure in plotly_figures(page)]


def array(values: list | dict) -> np.ndarray:
    """A trace's values; Plotly sends numeric arrays as base64 typed arrays."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.array(values, dtype=float)


def danish_percent(fraction: float) -> str:
    """0.12345 -> '12,35 %': the Danish decimal comma (no grouping needed below 1000 %)."""
    return f"{fraction * 100:.2f}".replace(".", ",") + " %"


def open_view(page, view: str):
    page.session_state["view"] = view
    page.query_params.pop("view", None)
    return page.run()


def test_lang_da_shows_the_page_in_danish_with_danish_numbers(app, page_api):
    last_7d = page_api.answer(SUMMARY)[1]["periods"]["last_7d"]["overall"]
    page = app(lang="da").run()
    assert not page.exception
    assert page.title[0].value == "Overvågning af prognoser"
    assert [header.value for header in page.header][:1] == ["Nøgletal"]
    headline = page.metric[: len(ALL_MEASURES)]
    assert [metric.label for metric in headline] == [DA(measure.label) for measure in ALL_MEASURES]
    assert "Dækning 80 %" in [metric.label for metric in headline]
    assert headline[0].value == danish_percent(last_7d["wape"])
    assert "Seneste 7 dage" in page.table[0].value.columns
    assert titles(page)[0] == "WAPE for alle serier, pr. time"
    assert titles(page)[1] == "Fejl efter time på døgnet"
    assert "Graf over WAPE for alle serier time for time" in texts(page.caption)
    assert page.radio(key="language").value == "da"
    assert page.query_params["lang"] == "da"
    assert not page.warning


def test_lang_en_shows_the_page_in_english(app):
    page = app(lang="en").run()
    assert not page.exception
    assert page.title[0].value == "Forecast monitoring"
    assert titles(page)[0] == "WAPE over all series, per hour"
    assert "Chart of WAPE over all series for each hour" in texts(page.caption)
    # English is this browser's language (AppTest has none): the link leaves `lang` out, as a link
    # without it follows each viewer's browser.
    assert "lang" not in page.query_params


@pytest.mark.parametrize(
    ("locale", "title"),
    [("da-DK", "Overvågning af prognoser"), ("da", "Overvågning af prognoser"), ("en-GB", "Forecast monitoring"),
     ("de-DE", "Forecast monitoring"), (None, "Forecast monitoring")],
)  # fmt: skip
def test_without_lang_the_page_follows_the_browsers_language(app, locale, title):
    page = app()
    page.context = {"locale": locale}
    page.run()
    assert not page.exception
    assert page.title[0].value == title
    assert "lang" not in page.query_params  # the browser's language: nothing to keep in the link


def test_an_unknown_lang_gives_a_notice_in_the_browsers_language_and_the_page_in_it(app):
    page = app(lang="xx<b>")
    page.context = {"locale": "da-DK"}
    page.run()
    assert not page.exception
    assert page.title[0].value == "Overvågning af prognoser"
    (notice,) = [warning.value for warning in page.warning]
    assert "`xx<b>`" in notice and "dansk (`da`) og engelsk (`en`)" in notice
    assert "lang" not in page.query_params


def test_the_language_switch_changes_every_text_and_keeps_the_other_choices(app):
    page = app(lang="en", view=ONE_SERIES, area="1", consumer_type="111", threshold="7.5").run()
    page.radio(key="language").set_value("da").run()
    assert not page.exception
    assert page.title[0].value == "Overvågning af prognoser"
    assert page.query_params["lang"] == "da"
    # The view keeps its English name in the link (a link means the same view in either language).
    assert page.query_params["view"] == ONE_SERIES
    assert (page.query_params["area"], page.query_params["consumer_type"]) == ("1", "111")
    assert page.number_input(key="threshold").value == 7.5
    assert page.selectbox(key="series").value == (1, 111)
    assert "forbrugertype 111" in titles(page)[0]
    assert "Graf over prognoser og observationer for" in texts(page.caption)


def test_the_view_chooser_and_figure_choices_are_shown_in_danish(app):
    page = app(lang="da").run()
    chooser = page.button_group(key="view")
    assert chooser.options == ["Over tid", "Efter serie", "Én serie"]
    assert chooser.value == OVER_TIME  # the value: its English name, as in the link
    by_series = open_view(page, BY_SERIES)
    assert titles(by_series) == ["WAPE efter forbrugertype og område"]
    assert "Varmekort over WAPE for" in texts(by_series.caption)


def test_danish_notices_about_the_rest_of_the_link(app):
    page = app(lang="da", threshold="-3", rank="rmse").run()
    notices = texts(page.warning)
    assert "Linkets grænse `-3` er ikke en procent over 0" in notices
    assert "Linkets rangordningsmål `rmse` er ikke en af" in notices


def test_danish_time_is_the_default_and_the_api_is_asked_in_it(app, page_api):
    page = app().run()
    assert not page.exception
    assert page.query_params["tz"] == "dk"
    assert page.radio(key="zone").value == "Europe/Copenhagen"
    for path in ("summary", "hourly", "hour_of_day"):
        assert f"/api/v2/monitoring/{path}?tz=Europe/Copenhagen" in page_api.requested
    hourly, profile = plotly_figures(page)
    assert hourly["layout"]["xaxis"]["title"]["text"] == "Hour (Danish time)"
    assert profile["layout"]["xaxis"]["title"]["text"] == "Hour of day (Danish time)"
    # June data: Danish summer time in the captions and the hover box's first line.
    assert "CEST" in texts(page.caption)
    (clock,) = [trace for trace in hourly["data"] if trace.get("hovertemplate") == "%{customdata}<extra></extra>"]
    assert all(label.endswith("CEST") for label in clock["customdata"])


def test_tz_utc_asks_the_api_in_utc_and_shows_utc_everywhere(app, page_api):
    page = app(tz="utc").run()
    assert not page.exception
    assert page.radio(key="zone").value == "UTC"
    assert "/api/v2/monitoring/hourly?tz=UTC" in page_api.requested
    assert "/api/v2/monitoring/hour_of_day?tz=UTC" in page_api.requested
    hourly, profile = plotly_figures(page)
    assert hourly["layout"]["xaxis"]["title"]["text"] == "Hour (UTC)"
    assert profile["layout"]["xaxis"]["title"]["text"] == "Hour of day (UTC)"
    assert "CEST" not in texts(page.caption) and "UTC" in texts(page.caption)
    assert page.query_params["tz"] == "utc"


def test_the_hour_of_day_profile_follows_the_clock(app, page_api):
    danish = page_api.answer("/api/v2/monitoring/hour_of_day?tz=Europe/Copenhagen")[1]["hours"]
    utc = page_api.answer("/api/v2/monitoring/hour_of_day?tz=UTC")[1]["hours"]
    assert [row["wape"] for row in danish] != [row["wape"] for row in utc]  # CEST is two hours off UTC
    for tz, rows in (("dk", danish), ("utc", utc)):
        page = app(tz=tz).run()
        (wape,) = [trace for trace in plotly_figures(page)[1]["data"] if trace["name"] == WAPE.label]
        assert array(wape["y"]) == pytest.approx([row["wape"] * 100 for row in rows])


def test_an_unknown_tz_falls_back_to_danish_time_with_a_notice(app):
    page = app(tz="Mars/Olympus").run()
    assert not page.exception
    assert page.radio(key="zone").value == "Europe/Copenhagen"
    assert "The link asks for time zone `Mars/Olympus`" in texts(page.warning)
    assert page.query_params["tz"] == "dk"


def test_switching_the_clock_redraws_in_the_other_zone(app, page_api):
    page = app(lang="da").run()
    page.radio(key="zone").set_value("UTC").run()
    assert not page.exception
    assert page.query_params["tz"] == "utc"
    hourly = plotly_figures(page)[0]
    assert hourly["layout"]["xaxis"]["title"]["text"] == "Time (UTC)"
    assert "/api/v2/monitoring/hourly?tz=UTC" in page_api.requested

"""The forecast page in Danish and English (issue 25): the language from the link or the browser, every
text and number in it, the charts' text alternatives, and the sentence about a model running low or high.

AppTest against the real API as a process (fixture bucket; a demo bucket whose DK1 model runs 5 % low).
AppTest's browser has no locale unless a test gives one (`app.context["locale"]`): English then.
"""

from collections.abc import Callable

import httpx
import pandas as pd
import pytest
from conftest import MAIN_SCRIPT
from dashboard_common.i18n import translator
from devtools.apptest import plotly_figures
from frontend.describe import compare_chart_text, forecast_chart_text
from frontend.keyfigures import BIAS_THRESHOLD, ForecastKeyFigures, bias_warning, key_figures, recent_bias
from frontend.series import series_view
from frontend.views import bias_text
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.e2e


def open_page(query: dict[str, str] | None = None, locale: str | None = None) -> AppTest:
    app = AppTest.from_file(str(MAIN_SCRIPT), default_timeout=60)
    if locale is not None:
        app.context["locale"] = locale
    for name, value in (query or {}).items():
        app.query_params[name] = value
    return app.run()


def metric_values(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def captions(app: AppTest) -> str:
    return " ".join(caption.value for caption in app.caption)


def api_body(api_url: str, path: str) -> dict:
    v2 = api_url.removesuffix("/v1") + "/v2"
    return httpx.get(f"{v2}/{path}", params={"tz": "Europe/Copenhagen"}, timeout=10).raise_for_status().json()


def test_lang_da_shows_danish_titles_numbers_dates_and_chart(
    page_on: Callable[[str], None], api_on_fixture_bucket: str
) -> None:
    page_on(api_on_fixture_bucket)
    total = api_body(api_on_fixture_bucket, "series/all/all")["forecast_total"]["kwh"]

    app = open_page({"lang": "da"})

    assert not app.exception
    assert app.title[0].value == "Prognose for elforbruget time for time"
    assert app.radio(key="language").value == "da"
    assert app.selectbox(key="area").options[:3] == [
        "Hele Danmark (DK1 + DK2)",
        "DK1 (vest for Storebælt)",
        "DK2 (øst)",
    ]
    metrics = metric_values(app)
    # Danish grouping: 151.383.289 kWh (the fixture's total), never 151,383,289.
    assert metrics["Prognose, næste 24 t."] == f"{round(total):,} kWh".replace(",", ".")
    assert metrics["Spidstime (dansk tid)"].endswith("CEST")
    assert "," in metrics["Ændring mod samme timer ugen før"], "one decimal, with a decimal comma"
    assert "Prognose for tors. 15. jun. 02:00 CEST – fre. 16. jun. 01:00 CEST · data indlæst for " in captions(app)
    (figure,) = plotly_figures(app)
    names = [trace.get("name") for trace in figure["data"]]
    assert "Målt" in names and "Prognose (næste 24 t.)" in names
    assert figure["layout"]["separators"] == ",."
    assert figure["layout"]["yaxis"]["title"]["text"] == "Forbrug (kWh)"
    assert figure["layout"]["xaxis"]["ticktext"][:2] == ["fr.<br>9. jun.", "lø.<br>10."]
    assert "Graf over Hele Danmark · Alle forbrugertyper: forbruget målt fra " in captions(app)
    assert app.query_params["lang"] == "da", "a language other than the browser's is kept in the link"


def test_lang_en_shows_english_even_for_a_danish_browser(
    page_on: Callable[[str], None], api_on_fixture_bucket: str
) -> None:
    page_on(api_on_fixture_bucket)

    app = open_page({"lang": "en"}, locale="da-DK")

    assert not app.exception
    assert app.title[0].value == "Hourly electricity consumption forecast"
    assert metric_values(app)["Forecast, next 24 h"].count(",") >= 2
    assert "Chart of All Denmark · All consumer types: consumption observed from " in captions(app)
    assert plotly_figures(app)[0]["layout"]["separators"] == ".,"


@pytest.mark.parametrize(
    ("locale", "title"),
    [
        ("da-DK", "Prognose for elforbruget time for time"),
        ("da", "Prognose for elforbruget time for time"),
        ("en-US", "Hourly electricity consumption forecast"),
        ("de-DE", "Hourly electricity consumption forecast"),
        (None, "Hourly electricity consumption forecast"),
    ],
)
def test_without_lang_the_page_follows_the_browsers_language(
    page_on: Callable[[str], None], api_on_fixture_bucket: str, locale: str | None, title: str
) -> None:
    page_on(api_on_fixture_bucket)

    app = open_page(locale=locale)

    assert not app.exception
    assert app.title[0].value == title
    assert "lang" not in app.query_params, "the browser's own language is not written into the link"


def test_a_bad_lang_gives_a_notice_in_the_browsers_language(
    page_on: Callable[[str], None], api_on_fixture_bucket: str
) -> None:
    page_on(api_on_fixture_bucket)

    app = open_page({"lang": "**fr** [x](https://evil.example)"}, locale="da-DK")

    assert not app.exception
    assert app.title[0].value == "Prognose for elforbruget time for time"
    notices = [info.value for info in app.info]
    assert any(n.startswith("Linket beder om sproget `**fr** [x](https://evil.example)`") for n in notices)


def test_switching_language_redraws_everything_and_keeps_it_in_the_link(
    page_on: Callable[[str], None], api_on_fixture_bucket: str
) -> None:
    page_on(api_on_fixture_bucket)
    app = open_page()

    app.radio(key="language").set_value("da").run()

    assert app.title[0].value == "Prognose for elforbruget time for time"
    assert "Prognose, næste 24 t." in metric_values(app)
    assert app.query_params["lang"] == "da"
    app.radio(key="language").set_value("en").run()
    assert app.title[0].value == "Hourly electricity consumption forecast"
    assert "lang" not in app.query_params


def test_the_data_table_in_danish_has_danish_headers_times_and_numbers(
    page_on: Callable[[str], None], api_on_fixture_bucket: str
) -> None:
    page_on(api_on_fixture_bucket)
    first = api_body(api_on_fixture_bucket, "series/1/111")["observations"][0]["kwh"]
    app = open_page({"area": "1", "consumer_type": "111", "lang": "da"})
    app.session_state["data_behind_chart"] = True
    app.run()

    table = app.dataframe[0].value
    assert table["time"].iloc[0] == "tors. 8. jun. 02:00 CEST"
    assert table["observed_kwh"].iloc[0] == f"{first:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    assert [button.label for button in app.get("download_button")] == ["Hent CSV"]


def test_danish_link_notices_and_compare_view(page_on: Callable[[str], None], api_on_fixture_bucket: str) -> None:
    page_on(api_on_fixture_bucket)

    app = open_page({"lang": "da", "area": "9", "compare": "areas"})

    assert not app.exception
    notices = " ".join(info.value for info in app.info)
    assert "Linket beder om området `9`, som ikke har data; viser Hele Danmark (DK1 + DK2) i stedet." in notices
    assert (
        "Graf der sammenligner DK1 (vest for Storebælt), DK2 (øst) (Begge områder · Alle forbrugertyper)"
        in captions(app)
    )


# -- the text alternative is built from the chart's own data -------------------------------------------------


def test_text_alternative_follows_the_data(api_on_fixture_bucket: str) -> None:
    body = api_body(api_on_fixture_bucket, "series/1/111")
    view = series_view(body)
    peak = view.forecast["kwh"].idxmax()

    text = forecast_chart_text(view, "DK1 · 111")

    assert f"{view.forecast['kwh'].max():,.0f} kWh" in text and peak.strftime("%H:%M") in text
    assert f"{view.forecast.loc[peak, 'lower_80']:,.0f} – {view.forecast.loc[peak, 'upper_80']:,.0f} kWh" in text
    changed = series_view({**body, "forecast": [{**row, "kwh": row["kwh"] * 2} for row in body["forecast"]]})
    doubled = forecast_chart_text(changed, "DK1 · 111")
    assert doubled != text and f"{2 * view.forecast['kwh'].max():,.0f} kWh" in doubled
    assert f"{view.observed.max():,.0f} kWh" in text, "the observed week's highest hour"
    later_peak = series_view(
        {
            **body,
            "forecast": [{**row, "kwh": row["kwh"] * (3 if n == 5 else 1)} for n, row in enumerate(body["forecast"])],
        }
    )
    assert later_peak.forecast.index[5].strftime("%H:%M") in forecast_chart_text(later_peak, "DK1 · 111")


def test_compare_text_alternative_names_the_highest_peak() -> None:
    hours = pd.date_range("2026-03-28T22:00Z", periods=3, freq="h").tz_convert("Europe/Copenhagen")
    low, high = pd.Series([1.0, 2.0, 3.0], index=hours), pd.Series([5.0, 9.0, 4.0], index=hours)

    text = compare_chart_text(["111", "122"], [low, high], "DK1", as_share=False)
    danish = compare_chart_text(["111", "122"], [low * 1000, high * 1000], "DK1", as_share=False, language="da")

    assert text.endswith("The highest forecast peak is that of 122: 9 kWh on Sun 29 Mar 00:00 CET.")
    assert "9.000 kWh" in danish and "søn. 29. mar. 00:00 CET" in danish


# -- honest about a model running low or high ----------------------------------------------------------------


def test_a_model_running_low_is_said_in_one_sentence_in_either_language(
    page_on: Callable[[str], None], api_on_biased_bucket: str
) -> None:
    page_on(api_on_biased_bucket)
    body = api_body(api_on_biased_bucket, "series/1/all")
    total = body["forecast_total"]
    assert total["kwh"] < total["lower_80"], "the biased bucket has the issue's DK1 shape: range above the forecast"

    english = open_page({"area": "1", "consumer_type": "all"})
    danish = open_page({"area": "1", "consumer_type": "all", "lang": "da"})

    (warning,) = [w.value for w in english.warning]
    assert warning.startswith("The model has been running low: over the last week its forecasts were ")
    assert f"this forecast lies {total['lower_80'] - total['kwh']:,.0f} kWh below its own 80 % range" in warning
    (advarsel,) = [w.value for w in danish.warning]
    assert advarsel.startswith("Modellen har ramt for lavt: den seneste uge lå dens prognoser ")
    assert f"{round(total['lower_80'] - total['kwh']):,} kWh under".replace(",", ".") in advarsel


def test_no_bias_sentence_where_the_model_is_within_bounds(
    page_on: Callable[[str], None], api_on_biased_bucket: str
) -> None:
    page_on(api_on_biased_bucket)

    app = open_page({"area": "2", "consumer_type": "all"})

    assert not app.exception
    assert not [w.value for w in app.warning if "running" in w.value]


def test_bias_warning_rules(api_on_biased_bucket: str) -> None:
    """The range test and the week's bias each trigger the sentence; inside both, nothing."""
    body = api_body(api_on_biased_bucket, "series/1/all")
    view = series_view(body)
    figures = key_figures(view.forecast, view.forecast_total)
    monitoring = api_body(api_on_biased_bucket, "monitoring/series/1/all")
    bias = recent_bias(monitoring)
    assert bias is not None and bias < -BIAS_THRESHOLD

    warning = bias_warning(figures, bias)
    assert warning is not None and warning.running_low and warning.outside_range == "below" and warning.bias == bias
    assert bias_warning(figures, 0.0).outside_range == "below", "the range alone is enough"
    inside = key_figures(view.forecast, {**view.forecast_total, "kwh": total_inside(view.forecast_total)})
    assert bias_warning(inside, -0.5 * BIAS_THRESHOLD) is None
    high = bias_warning(inside, 2 * BIAS_THRESHOLD)
    assert high is not None and not high.running_low and high.outside_range is None
    rows = monitoring["hours"]
    assert recent_bias({"hours": rows[:-168]}) != bias, "only the last week counts"
    assert recent_bias({"hours": []}) is None and recent_bias(None) is None


def total_inside(total: dict) -> float:
    return (total["lower_80"] + total["upper_80"]) / 2


def test_a_bias_and_a_range_pointing_different_ways_are_both_said() -> None:
    figures = ForecastKeyFigures(
        total_kwh=1_100.0,
        total_range_80=(900.0, 1_000.0),
        total_range_95=None,
        total_range_windows=10,
        peak_hour=None,
        peak_kwh=None,
        peak_range_80=None,
        peak_range_95=None,
        week_before_total_kwh=None,
        change_vs_week_before=None,
        hours_compared=0,
    )

    warning = bias_warning(figures, -0.05)

    assert warning is not None and warning.running_low and warning.outside_range == "above"
    assert bias_text(warning, figures, str, "en") == (
        "The model has been running low: over the last week its forecasts were 5% below what was observed. "
        "This forecast lies 100 kWh above its own 80 % range."
    )
    assert bias_text(bias_warning(figures, None), figures, translator("da", "frontend"), "da") == (
        "Modellen har ramt for højt: denne prognose ligger 100 kWh over sit eget 80 %-interval, som er lært af "
        "modellens tidligere fejl."
    )

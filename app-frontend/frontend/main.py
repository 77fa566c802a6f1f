"""The forecast dashboard: a price area (or all of Denmark) and a consumer type (or all), the last
week and the next 24 hours with how far the forecast can be trusted, in Danish time or UTC.

Run from `app-frontend/` with `python -m frontend` (warms up, then serves this page). The page reads
top to bottom: header, then the status line and the controls, key figures, chart and data table
(`views`). Everything below the header is a fragment, so changing a control reruns and redraws only
that part. Ranges, totals and time zones come from the API (`/api/v2`); the page only draws them.

Language: Danish or English (`lang=da|en` in the link; without it, the browser's preferred
language), switched at the top of the page; every text comes through the page's `_`
(`dashboard_common.i18n`), and the document's `<html lang>` follows.
"""

from functools import partial

import streamlit as st
from dashboard_common.client import ApiError, DataVersionMismatch
from dashboard_common.freshness import render_api_unavailable, render_status
from dashboard_common.i18n import language_param, preferred_language, translator
from dashboard_common.language import language_switch, set_document_language
from dashboard_common.links import read_link, write_link
from dashboard_common.status import data_version
from dashboard_common.theme import apply_theme

from frontend import data
from frontend.choices import (
    DANISH_TIME,
    UTC,
    area_choice_label,
    choices,
    codes_only,
    consumer_type_choice_label,
    zone_label,
)
from frontend.links import compare_state, link_values
from frontend.views import PageContext, compared_series, single_series

# Below 640 px Streamlit already stacks columns; these rules keep the rest inside a phone's width.
PHONE_CSS = """
<style>
@media (max-width: 640px) {
  .block-container { padding-left: 0.75rem; padding-right: 0.75rem; }
  [data-testid="stMetricValue"] { font-size: 1.5rem; }
  h1 { font-size: 1.7rem !important; }
}
</style>
"""


def start_from_link(context: PageContext) -> list[str]:
    """Take the choices the session does not have yet (first run, or options that changed) from the
    link; the notices for what the link asked and the page cannot show."""
    state = st.session_state
    reading = read_link(st.query_params, context.link)
    applied = []
    for key, options in (("area", context.area_options), ("consumer_type", context.consumer_type_options)):
        if state.get(key) not in options:
            state[key] = reading.values[key]
            applied.append(key)
    if "zone" not in state:
        state["zone"] = reading.values["zone"]
        applied.append("zone")
    if "compare" not in state:
        state.update(compare_state(reading.values, codes_only(context.consumer_type_options)))
        applied += ["compare", "types", "share", "layout", "past"]
    return reading.notices_for(applied)


@st.fragment
def forecast_section(context: PageContext) -> None:
    """Status line, controls and the chosen view; the link follows every choice."""
    _, language = context._, context.language
    notices = start_from_link(context)
    # In the fragment: the status line gives the forecast window in the zone chosen below.
    render_status(context.status, st.session_state["zone"], _=_, language=language)
    for notice in notices:
        st.info(notice, icon=":material/link_off:")
    area_column, consumer_type_column, zone_column = st.columns([2, 2, 1])
    area = area_column.selectbox(
        _("Price area"), context.area_options, format_func=partial(area_choice_label, _=_), key="area"
    )
    consumer_type = consumer_type_column.selectbox(
        _("Consumer type (DE35 code, type to search)"),
        context.consumer_type_options,
        format_func=partial(consumer_type_choice_label, _=_),
        key="consumer_type",
    )
    zone = zone_column.radio(
        _("Times in"), [DANISH_TIME, UTC], format_func=partial(zone_label, _=_), horizontal=True, key="zone"
    )
    compare_column, past_column = st.columns(2)
    compare = compare_column.toggle(_("Compare several series"), key="compare")
    show_past = past_column.toggle(
        _("Show what the model had predicted for the past week"), key="past_forecasts", disabled=compare
    )
    if compare:
        compared_series(context, area, consumer_type, zone)
    else:
        single_series(context, area, consumer_type, zone, show_past)
    write_link(st.query_params, context.link, link_values(st.session_state))


def page_language() -> tuple[str, str, list[str]]:
    """(the page's language, the browser's, notices about the link's `lang`): the link's `lang` on the
    session's first run, then the switch's; the browser's preferred language without either."""
    browser = preferred_language(st.context.locale)
    reading = read_link(st.query_params, [language_param(browser, translator(browser, "frontend"))])
    if "language" not in st.session_state:
        st.session_state["language"] = reading.values["lang"]
        return st.session_state["language"], browser, reading.notices_for()
    return st.session_state["language"], browser, []


language, browser_language, language_notices = page_language()
_ = translator(language, "frontend")
st.set_page_config(page_title=_("Energy consumption forecast"), page_icon="⚡", layout="wide")
apply_theme()
set_document_language(language)
st.markdown(PHONE_CSS, unsafe_allow_html=True)
st.title(_("Hourly electricity consumption forecast"))
language_switch(_)
for notice in language_notices:
    st.info(notice, icon=":material/link_off:")
st.markdown(
    _(
        "Observed consumption over the last week and the model's forecast for the next 24 hours, with the "
        "range it usually stays within, for Denmark, a price area, or one consumer type (DE35 industry code)."
    )
)

api_url = data.api_root()
try:
    status = data.status(api_url)  # never older data after newer, whichever replica answers
    version = data_version(status)
    listed = data.series_list(api_url=api_url, data_version=version)
except ApiError as error:
    if isinstance(error, DataVersionMismatch):
        data.follow_new_version(api_url, version)
    render_api_unavailable(error, _=_)
    st.stop()

if not listed:
    render_status(status, DANISH_TIME, _=_, language=language)
    st.info(_("The API serves no series yet. Come back once the batch pipeline has written data."))
    st.stop()

forecast_section(
    PageContext(
        api_url=api_url,
        status=status,
        data_version=version,
        area_options=choices([entry["area"] for entry in listed]),
        consumer_type_options=choices([entry["consumer_type"] for entry in listed]),
        language=language,
        browser_language=browser_language,
    )
)

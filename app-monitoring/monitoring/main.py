"""The model-monitoring dashboard: can the forecasts be trusted, and which series fail?

Run from `app-monitoring/`: `python -m monitoring` (the API's address from `APP_MONITORING_API_URL`).
The page reads top to bottom: the language and clock switches, status, headline figures (this week
against last week), then one of three views (a chooser): the aggregated error over time, the
breakdown by series (a row opens that series), one series in detail. Links carry the language, the
clock, the view, the series, the threshold and the chosen figures, e.g.
`?lang=da&tz=dk&view=One+series&area=1&consumer_type=111&threshold=10`.

The language (`lang=da|en`) defaults to the browser's preferred one (`st.context.locale`), the clock
(`tz=dk|utc`) to Danish time, as on the forecast page. Both are read first: the API is asked in the
page's zone, and every notice about the rest of the link is in the page's language. This script
loads what the page shows into one `state.PageData` and hands it to the headline and the views
(`headline.py`, `views.py`); nothing is kept in module globals.
"""

import streamlit as st
from dashboard_common.client import ApiError
from dashboard_common.freshness import render_api_unavailable, render_status
from dashboard_common.i18n import Translate, language_param, preferred_language
from dashboard_common.language import language_switch, set_document_language
from dashboard_common.links import read_link, write_link
from dashboard_common.status import data_version
from dashboard_common.theme import apply_theme

from monitoring.clock import ZONES, zone_name, zone_param
from monitoring.data import api_root, load_status, shared_version_data
from monitoring.headline import render_headline
from monitoring.language import texts
from monitoring.state import (
    CHART_MEASURE_KEY,
    LANGUAGE_KEY,
    NOTICES_KEY,
    PAGE_TITLE,
    RANK_MEASURE_KEY,
    THRESHOLD_KEY,
    VIEW_KEY,
    ZONE_KEY,
    page_from,
)
from monitoring.views import views


def render_monitoring_unavailable(error: ApiError, _: Translate) -> None:
    st.info(
        _(
            "No monitoring data to show yet: {reason}. Monitoring data appears after the pipeline's first "
            "monitoring run has compared predictions with observations."
        ).format(reason=error.message),
        icon=":material/hourglass_empty:",
    )
    st.button(_("Check again"), key="retry_monitoring", on_click=st.cache_data.clear, icon=":material/refresh:")


def language_and_zone_from_link() -> list[str]:
    """Take the language and the clock from the link when the session has none yet; the notices
    about them, in the language the page falls back to (the browser's)."""
    browser = preferred_language(st.context.locale)
    params = [language_param(browser, texts(browser)), zone_param(texts(browser))]
    reading = read_link(st.query_params, params)
    state = st.session_state
    if LANGUAGE_KEY not in state:
        state[LANGUAGE_KEY] = reading.values["lang"]
        state[ZONE_KEY] = reading.values["zone"]
        return reading.notices_for()
    return []


link_notices = language_and_zone_from_link()
language = st.session_state[LANGUAGE_KEY]
_ = texts(language)
st.set_page_config(page_title=_(PAGE_TITLE), page_icon=":material/monitoring:", layout="wide")
apply_theme()
set_document_language(language)
title_column, language_column, zone_column = st.columns([4, 1, 1], vertical_alignment="bottom")
title_column.title(_(PAGE_TITLE))
with language_column:
    language_switch(_, key=LANGUAGE_KEY)
zone = zone_column.radio(
    _("Times in"), ZONES, format_func=lambda zone: zone_name(zone, _), horizontal=True, key=ZONE_KEY
)
browser = preferred_language(st.context.locale)
write_link(st.query_params, [language_param(browser), zone_param()], {"lang": language, "zone": zone})
st.caption(
    _(
        "How far the hourly consumption forecasts were from what was observed afterwards, "
        "over all series and per area and consumer type."
    )
)

api_url = api_root()
try:
    status = load_status(api_url)  # never older data after newer, whichever replica answers
except ApiError as error:
    render_api_unavailable(error, _=_)
    st.stop()
render_status(status, zone, _=_, language=language)

version = data_version(status)
try:
    shared = shared_version_data(api_url, version, language, zone)  # the same for every viewer of it
except ApiError as error:
    render_monitoring_unavailable(error, _)
    st.stop()
page = page_from(api_url, status, version, st.query_params, language, zone, shared)

# The URL holds the view: it initialises whatever the session does not know yet (first visit, or
# state dropped while the API was away); its notices are shown until the user changes the view.
st.session_state.setdefault(NOTICES_KEY, link_notices + page.link.notices_for())
st.session_state.setdefault(VIEW_KEY, page.link.values["view"])
st.session_state.setdefault(THRESHOLD_KEY, page.link.values["threshold"])
st.session_state.setdefault(RANK_MEASURE_KEY, page.link.values["rank"].label)
st.session_state.setdefault(CHART_MEASURE_KEY, page.link.values["figure"].label)

render_headline(page)
views(page)

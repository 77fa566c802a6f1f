"""The page's language on screen: the Dansk / English switch and the document's `<html lang>`.

Streamlit serves every page as `<html lang="en">`; a screen reader reads a Danish page with
English pronunciation unless the document says otherwise (axe: html-has-lang, valid-lang). So each
run sets `lang` on the document from the page's language, with a small Streamlit component (the
same components-v2 mechanism as `dashboard_common.charts`, in the page's DOM, no iframe).
"""

import streamlit as st

from dashboard_common.i18n import LANGUAGE_NAMES, LANGUAGES, Translate

_JS = """
export default function (component) {
  const language = String(component.data || '');
  if (/^[a-z]{2}$/.test(language) && document.documentElement.lang !== language) {
    document.documentElement.lang = language;
  }
}
"""

_component = st.components.v2.component("energy_forecast_document_language", js=_JS, isolate_styles=False)


def set_document_language(language: str) -> None:
    """Make the browser's document say it is in `language` (`da`/`en`): `<html lang>`."""
    _component(data=language, key="document_language", height="content")


def language_switch(_: Translate, key: str = "language") -> str:
    """The Dansk / English switch (each language in its own name), bound to `st.session_state[key]`,
    which the page sets from its link before the first run; returns the chosen language."""
    # A radio, not a segmented control: the forecast page's primary red draws a chosen segment's
    # label below WCAG AA contrast (see app-frontend/README.md, Accessibility).
    return st.radio(_("Language"), LANGUAGES, format_func=LANGUAGE_NAMES.__getitem__, key=key, horizontal=True)

"""Text alternatives of the charts: one or two sentences a screen reader reads in place of a chart.

Built from the same data as the figure (the `SeriesView`, the compared members), in the page's
language, so a chart and its sentences never disagree: what is shown, the peak and when, the range.
"""

from collections.abc import Sequence

import numpy as np
import pandas as pd
from dashboard_common.hours import time_label
from dashboard_common.i18n import ENGLISH, N_, Translate, number

from frontend.keyfigures import format_range
from frontend.series import SeriesView


def _peak(series: pd.Series) -> tuple[pd.Timestamp, float] | None:
    values = series.dropna()
    if values.empty:
        return None
    hour = values.idxmax()
    return hour, float(values.loc[hour])


def _kwh(value: float, language: str) -> str:
    return f"{number(value, language)} kWh"


def forecast_chart_text(view: SeriesView, title: str, _: Translate = N_, language: str = ENGLISH) -> str:
    """'Chart of DK1 · 111: consumption observed from … to … (between … and … kWh an hour) and the
    forecast for the next 24 hours. The forecast peaks at … kWh on …; its 80 % range for that hour
    is … kWh.' Each part is left out when the data has none."""
    observed = view.observed.dropna()
    sentences = []
    if observed.empty:
        sentences.append(_("Chart of {title}: no observed consumption to show.").format(title=title))
    else:
        sentences.append(
            _(
                "Chart of {title}: consumption observed from {first} to {last}, between {low} and {high} an hour, "
                "and the forecast for the next 24 hours."
            ).format(
                title=title,
                first=time_label(observed.index[0], language),
                last=time_label(observed.index[-1], language),
                low=_kwh(float(observed.min()), language),
                high=_kwh(float(observed.max()), language),
            )
        )
    peak = _peak(view.forecast["kwh"]) if len(view.forecast) else None
    if peak is None:
        sentences.append(_("There is no forecast to show."))
    else:
        hour, value = peak
        text = _("The forecast peaks at {value} on {when}").format(
            value=_kwh(value, language), when=time_label(hour, language)
        )
        row = view.forecast.loc[hour]
        lower, upper = row.get("lower_80"), row.get("upper_80")
        if lower is not None and upper is not None and np.isfinite(lower) and np.isfinite(upper):
            text += _("; its 80 % range for that hour is {range}").format(
                range=format_range((float(lower), float(upper)), language)
            )
        sentences.append(text + ".")
    return " ".join(sentences)


def compare_chart_text(
    labels: Sequence[str],
    forecasts: Sequence[pd.Series],
    title: str,
    as_share: bool,
    _: Translate = N_,
    language: str = ENGLISH,
) -> str:
    """'Chart comparing …: the last week observed and the next 24 hours forecast for each. The highest
    forecast peak is …'s, … on ….'"""
    text = _("Chart comparing {names} ({title}): the last week observed and the next 24 hours forecast for each.")
    text = text.format(names=", ".join(labels), title=title)
    peaks = [(label, _peak(series)) for label, series in zip(labels, forecasts, strict=True)]
    peaks = [(label, peak) for label, peak in peaks if peak is not None]
    if not peaks:
        return text
    label, (hour, value) = max(peaks, key=lambda item: item[1][1])
    shown = _kwh(value, language)
    if as_share:
        shown = _("{value} % of its own weekly mean").format(value=number(value * 100, language))
    highest = _("The highest forecast peak is that of {name}: {value} on {when}.")
    return text + " " + highest.format(name=label, value=shown, when=time_label(hour, language))

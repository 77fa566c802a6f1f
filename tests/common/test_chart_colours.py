"""Chart colours stay apart for readers with a colour-vision deficiency (issue 25, item 1).

Every pair of colours drawn together on a chart must differ by at least `theme.MIN_CVD_DELTA_E` in
CAM02-UCS (colorspacious) after simulating deuteranopia, protanopia and tritanopia at severity 100,
and in normal vision too. Covered: the shared palette (`dashboard_common.theme`: the named colours
both pages use and the Plotly colourway) and the forecast page's own colours (its chart's lines and
marks, the colours of compared series). The charts also never rely on colour alone (dash and fill
differ; checked on the figure below).
"""

import itertools

import numpy as np
import pandas as pd
import pytest
from colorspacious import cspace_convert, deltaE
from dashboard_common import theme
from frontend import figures as forecast_figures
from frontend.series import series_view

DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")
NAMED = {
    "OBSERVED": theme.OBSERVED,
    "FORECAST": theme.FORECAST,
    "GOOD": theme.GOOD,
    "ERROR": theme.ERROR,
    "THRESHOLD": theme.THRESHOLD,
}
FORECAST_CHART = {
    "observed": theme.OBSERVED,
    "forecast": theme.FORECAST,
    "past forecast": forecast_figures.PAST_FORECAST_COLOR,
    "holiday": forecast_figures.HOLIDAY_COLOR,
    "forecast boundary": theme.THRESHOLD,
}
PALETTES = {
    "theme named colours": list(NAMED.values()),
    "theme colourway": theme.COLORWAY,
    "forecast chart": list(FORECAST_CHART.values()),
    "forecast compare colours": forecast_figures.COMPARE_COLORS,
}


def srgb(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)]) / 255


def seen_with(hex_color: str, deficiency: str | None) -> np.ndarray:
    colour = srgb(hex_color)
    if deficiency is None:
        return colour
    space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    return np.clip(cspace_convert(colour, space, "sRGB1"), 0, 1)


def distance(first: str, second: str, deficiency: str | None) -> float:
    return float(
        deltaE(
            seen_with(first, deficiency), seen_with(second, deficiency), input_space="sRGB1", uniform_space="CAM02-UCS"
        )
    )


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
@pytest.mark.parametrize("palette", sorted(PALETTES))
def test_every_pair_of_chart_colours_drawn_together_is_told_apart(palette: str, deficiency: str | None) -> None:
    colours = PALETTES[palette]
    assert len(set(colours)) == len(colours), f"{palette} repeats a colour"
    close = {
        (first, second): round(distance(first, second, deficiency), 1)
        for first, second in itertools.combinations(colours, 2)
        if distance(first, second, deficiency) < theme.MIN_CVD_DELTA_E
    }
    assert not close, (
        f"{palette} under {deficiency or 'normal vision'}: pairs closer than {theme.MIN_CVD_DELTA_E}: {close}"
    )


def test_the_check_finds_a_pair_that_only_colour_vision_tells_apart() -> None:
    """Red and green of equal lightness: far apart in normal vision, close under deuteranopia."""
    assert distance("#d62728", "#2ca02c", None) > 40
    assert distance("#d62728", "#2ca02c", "deuteranomaly") < theme.MIN_CVD_DELTA_E
    assert distance("#4c9be8", "#b07cf0", "deuteranomaly") < theme.MIN_CVD_DELTA_E, "the old past-forecast purple"


def test_the_forecast_chart_tells_its_parts_apart_by_more_than_colour() -> None:
    """Observed solid, forecast dashed with markers, past forecasts dotted, the two ranges filled at
    different strengths; each has its own legend entry."""
    hours = pd.date_range("2026-03-24T00:00Z", periods=192, freq="h")
    rows = [{"time": h.isoformat(), "kwh": 100.0 + n % 24} for n, h in enumerate(hours[:168])]
    forecast = [
        {"time": h.isoformat(), "kwh": 100.0, "lower_80": 90.0, "upper_80": 110.0, "lower_95": 80.0, "upper_95": 120.0}
        for h in hours[168:]
    ]
    body = {"observations": rows, "forecast": forecast, "interval": {}, "tz": "UTC", "forecast_total": {}}
    view = series_view(body)
    past = pd.Series(100.0, index=view.observed.index)

    figure = forecast_figures.forecast_figure(view, "t", "UTC", past_forecast=past)

    by_name = {trace.name: trace for trace in figure.data if trace.showlegend is not False}
    observed = by_name["Observed"]
    predicted = by_name["Forecast (next 24 h)"]
    earlier = by_name["What the model had predicted for these hours"]
    assert observed.line.dash is None and predicted.line.dash == "dash" and "markers" in predicted.mode
    assert earlier.line.dash == "dot"
    fills = [trace.fillcolor for trace in figure.data if trace.fill == "tonexty"]
    assert len(fills) == 2 and len(set(fills)) == 2, "the 80 % and 95 % bands are filled at different strengths"
    assert {forecast_figures.RANGE_80_TEXT, forecast_figures.RANGE_95_TEXT} <= set(by_name)


def test_compared_series_differ_by_marker_shape_as_well_as_colour() -> None:
    hours = pd.date_range("2026-03-24T00:00Z", periods=48, freq="h")
    members = [
        forecast_figures.CompareMember(str(code), pd.Series(1.0, index=hours[:24]), pd.Series(1.0, index=hours[24:]))
        for code in range(len(forecast_figures.COMPARE_COLORS))
    ]

    figure = forecast_figures.compare_figure(members, "t", "UTC", as_share=False, small_multiples=False)

    shown = [trace for trace in figure.data if trace.showlegend is not False]
    assert len({trace.marker.symbol for trace in shown}) == len(members)
    assert all("markers" in trace.mode for trace in shown)

"""The monitoring charts' colours stay apart under colour-vision deficiency, and colour is never alone.

Each chart is built from the real API's answers and its colours are read from the figure itself
(trace lines and markers; range fills composited on the plot background; the heatmap's colour
scale stops), never listed here by hand. Every pair a chart tells apart, and each against the plot
background, must differ by at least `MIN_DELTA_E` in CIECAM02-UCS (colorspacious) with normal vision
and under simulated deuteranopia, protanopia and tritanopia at severity 100 (Machado et al. 2009, as
colorspacious implements it). 15 is well above a just-noticeable difference (about 1-2) and keeps
thin lines apart; the closest pair at present is the 95 % range fill against the plot, 15.5 under
tritanopia. And since colour alone is not enough: lines of one chart differ in dash, markers in
symbol, and the heatmap writes each value in its cell.
"""

import itertools
import re

import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE
from dashboard_common import theme
from monitoring.aggregate import hour_of_day_frame, hourly_frame, trailing_day
from monitoring.breakdown import beyond_cells, breakdown_table, coverage_floors, flag_beyond_threshold, heatmap_matrix
from monitoring.clock import DANISH_TIME
from monitoring.figures import heatmap_figure, hour_of_day_figure, hourly_figure, series_figure
from monitoring.measures import BIAS, COVERAGE_80, WAPE
from monitoring.series import series_frame

MIN_DELTA_E = 15.0
DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")  # at severity 100: -anopia
TZ = "tz=Europe/Copenhagen"


def srgb(colour: str, background: str = theme.PLOT_BACKGROUND) -> np.ndarray:
    """'#rrggbb' or 'rgba(r, g, b, a)' as sRGB in 0..1, a translucent colour composited on `background`."""
    if colour.startswith("#"):
        return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    red, green, blue, alpha = (float(part) for part in re.findall(r"[\d.]+", colour))
    return alpha * np.array([red, green, blue]) / 255 + (1 - alpha) * srgb(background)


def seen(colour: np.ndarray, deficiency: str | None) -> np.ndarray:
    if deficiency is None:
        return colour
    space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    return np.clip(cspace_convert(colour, space, "sRGB1"), 0, 1)


def closest_pair(colours: dict[str, str]) -> tuple[float, str]:
    """The smallest CIECAM02-UCS distance between any two of `colours` (and the plot background),
    over normal vision and the three deficiencies; with which pair and vision."""
    named = {name: srgb(colour) for name, colour in colours.items()} | {"plot": srgb(theme.PLOT_BACKGROUND)}
    found = []
    for deficiency in (None, *DEFICIENCIES):
        for (a, first), (b, second) in itertools.combinations(named.items(), 2):
            distance = float(deltaE(seen(first, deficiency), seen(second, deficiency), input_space="sRGB1"))
            found.append((distance, f"{a} / {b} ({deficiency or 'normal vision'})"))
    return min(found)


def trace_colours(figure) -> dict[str, str]:
    """The colour of every visible-in-legend or hoverable trace: line, marker or fill."""
    colours = {}
    for trace in figure.data:
        if trace.type != "scatter" or (trace.line and trace.line.width == 0 and not trace.fill):
            continue  # the hover-only clock line and a band's hidden lower edge draw nothing
        if trace.fill:
            colours[trace.name] = trace.fillcolor
        elif trace.mode and "lines" in trace.mode:
            colours[trace.name] = trace.line.color
        else:
            colours[trace.name] = trace.marker.color
    return colours


@pytest.fixture(scope="module")
def frame(fixture_api):
    return hourly_frame(fixture_api.answer(f"/api/v2/monitoring/hourly?{TZ}")[1], DANISH_TIME)


def test_hourly_chart_colours_and_the_threshold_stay_apart(frame):
    figure = hourly_figure(frame[WAPE.field], WAPE, 5.0, trailing_day(frame, WAPE))
    colours = trace_colours(figure) | {"threshold": figure.layout.shapes[0].line.color}
    assert len(colours) == 4
    distance, pair = closest_pair(colours)
    assert distance >= MIN_DELTA_E, pair
    # Not colour alone: the figure's line solid, the 24 h line dashed, the hours beyond as crosses.
    styles = {trace.name: (trace.mode, trace.line.dash, trace.marker.symbol) for trace in figure.data if trace.name}
    assert len(set(styles.values())) == len(styles)
    assert figure.layout.shapes[0].line.dash == "dash"


def test_hour_of_day_lines_differ_in_colour_dash_and_marker(fixture_api):
    profile = hour_of_day_frame(fixture_api.answer(f"/api/v2/monitoring/hour_of_day?{TZ}")[1])
    figure = hour_of_day_figure(profile, DANISH_TIME)
    distance, pair = closest_pair(trace_colours(figure))
    assert distance >= MIN_DELTA_E, pair
    assert len({trace.line.dash for trace in figure.data}) == 3
    assert len({trace.marker.symbol for trace in figure.data}) == 3


def test_series_chart_lines_and_ranges_stay_apart(fixture_api):
    detail = series_frame(fixture_api.answer(f"/api/v2/monitoring/series/1/111?{TZ}")[1])
    figure = series_figure(detail, (1, 111))
    colours = {name: colour for name, colour in trace_colours(figure).items() if name != "error"}
    assert set(colours) == {"95 % range", "80 % range", "observed", "predicted"}
    distance, pair = closest_pair(colours)
    assert distance >= MIN_DELTA_E, pair
    lines = {trace.name: trace.line.dash for trace in figure.data if trace.name in ("observed", "predicted")}
    assert lines == {"observed": "solid", "predicted": "dot"}


@pytest.mark.parametrize("measure", [WAPE, BIAS, COVERAGE_80])
def test_heatmap_scales_stay_apart_and_cells_beyond_the_threshold_carry_a_cross(edge_api, measure):
    summary = edge_api.answer("/api/v2/monitoring/summary")[1]
    table = flag_beyond_threshold(breakdown_table(summary), measure, 0.5, coverage_floors(summary))
    beyond = beyond_cells(table)
    figure = heatmap_figure(heatmap_matrix(table, measure), measure, 0.5, beyond=beyond)
    cells = figure.data[0]
    stops = {f"stop {position}": colour for position, colour in cells.colorscale}
    distance, pair = closest_pair(stops)
    assert distance >= MIN_DELTA_E, pair
    # Not colour alone: a cross on exactly the flagged cells, named in the legend.
    assert beyond or measure is COVERAGE_80, "a 0.5 % threshold flags some WAPE and bias"
    if beyond:
        (marks,) = figure.data[1:]
        assert (marks.marker.symbol, marks.name, figure.layout.showlegend) == ("x", "beyond threshold", True)
        assert len(marks.x) == len(beyond) == int(table["Beyond threshold"].sum())
    else:
        assert figure.data[1:] == ()


def test_the_check_fails_for_colours_a_deficiency_merges():
    # Red and green at the same lightness: apart with normal vision, merged under deuteranopia.
    distance, pair = closest_pair({"red": "#d05a3c", "green": "#6a8a2c"})
    assert distance < MIN_DELTA_E and ("deuteranomaly" in pair or "protanomaly" in pair), (distance, pair)
    assert float(deltaE(srgb("#d05a3c"), srgb("#6a8a2c"), input_space="sRGB1")) > MIN_DELTA_E

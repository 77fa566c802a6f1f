"""Labels for area and consumer-type codes, and the shared Plotly template."""

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from dashboard_common import theme
from dashboard_common.labels import area_label, consumer_type_label


@pytest.mark.parametrize(
    ("code", "label"),
    [(0, "DK (all Denmark)"), (1, "DK1 (west of the Great Belt)"), (2, "DK2 (east)"), (7, "7")],
)
def test_area_label(code: int, label: str) -> None:
    assert area_label(code) == label


def test_consumer_type_label_starts_with_the_code_also_for_unknown_codes() -> None:
    assert consumer_type_label(111).startswith("111")
    assert consumer_type_label(12345) == "12345"


def test_apply_theme_makes_the_dark_template_the_default() -> None:
    previous = pio.templates.default
    try:
        name = theme.apply_theme()
        figure = go.Figure(go.Scatter(x=[1], y=[1]))

        assert name == pio.templates.default == theme.TEMPLATE_NAME
        assert figure.layout.template.layout.paper_bgcolor == theme.BACKGROUND
        assert list(figure.layout.template.layout.colorway[:2]) == [theme.OBSERVED, theme.FORECAST]
    finally:
        pio.templates.default = previous


def test_apply_theme_builds_the_template_once_per_process_and_restores_a_changed_default() -> None:
    """Pages call it on every run: the second call must not rebuild (BENCHMARKS.md, "Capacity"), yet a
    default someone else changed is set back."""
    previous = pio.templates.default
    try:
        theme.apply_theme()
        registered = pio.templates[theme.TEMPLATE_NAME]
        theme.apply_theme()
        assert pio.templates[theme.TEMPLATE_NAME] is registered

        pio.templates.default = "plotly"
        assert theme.apply_theme() == pio.templates.default == theme.TEMPLATE_NAME
    finally:
        pio.templates.default = previous

"""Both pages build their figures as plain dicts handed to Plotly without validation
(`dashboard_common.figures`). What validation would catch, this test catches: every figure builder
of both pages, run on the warm-up's samples (shaped like the API's answers), is re-created with
Plotly's validation on, so a misspelt property or a wrong value type fails here."""

import importlib

import plotly.graph_objects as go
import pytest
from dashboard_common.figures import figure, scatter

PAGES = ("frontend", "monitoring")


def figures_the_page_builds(page: str, monkeypatch) -> list[tuple[str, go.Figure]]:
    """Every figure the page's warm-up builds (it builds each builder of `<page>.figures`)."""
    figures, warmup = importlib.import_module(f"{page}.figures"), importlib.import_module(f"{page}.warmup")
    built: list[tuple[str, go.Figure]] = []
    for name in [name for name in vars(figures) if name.endswith("_figure") and not name.startswith("_")]:
        original = getattr(warmup, name)
        monkeypatch.setattr(
            warmup, name, lambda *a, _n=name, _o=original, **k: built.append((_n, _o(*a, **k))) or built[-1][1]
        )
    warmup.warm_up()
    return built


@pytest.mark.parametrize("page", PAGES)
def test_every_figure_of_the_page_passes_plotlys_validation(page, monkeypatch):
    built = figures_the_page_builds(page, monkeypatch)
    assert built
    for name, unvalidated in built:
        validated = go.Figure(unvalidated.to_plotly_json())  # raises on any invalid property
        assert len(validated.data) == len(unvalidated.data), name


def test_the_check_catches_a_misspelt_property():
    unvalidated = figure([scatter(x=[1, 2], y=[3, 4], linee={"width": 2})], {"title": {"text": "t"}})
    with pytest.raises(ValueError, match="linee"):
        go.Figure(unvalidated.to_plotly_json())

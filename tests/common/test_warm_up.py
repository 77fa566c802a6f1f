"""Both pages start the same way (`python -m <page>`, `dashboard_common.start`), and their warm-up
does the first view's one-off work before the server listens. The convention, per page:

1. after the warm-up, every module the page script imports is loaded, and so is what the first run
   would load on first use (Plotly's JSON encoder, pyarrow's pandas bridge, the holiday calendar,
   Streamlit's emoji and Material icon tables), with Plotly's validators for each trace type drawn
   and the dashboards' template as Plotly's default. A fresh interpreter checks this work is still
   to do, runs `prepare`, and checks it is done: a warm-up that skips any part fails;
2. every sample the warm-up draws from is shaped exactly like the API's answer it stands for (the
   API's own response models), so the samples cannot drift from what the page really gets;
3. the warm-up builds every figure the page draws.
"""

import json
import subprocess
import sys
from collections.abc import Callable

import pytest
from api.v2 import schemas
from dashboard_common.start import page_imports
from devtools.paths import REPO_ROOT
from pydantic import BaseModel

PAGES = {
    "frontend": {
        "first_use": [
            "plotly.io._json",
            "streamlit.emojis",
            "streamlit.material_icon_names",
            "holidays.countries.denmark",
        ],
        # The theme's, and a figure's own (its traces are plain dicts, built without validation).
        "validators": [["layout", "hovermode"], ["layout.xaxis", "gridcolor"], ["", "layout"]],
    },
    "monitoring": {
        "first_use": [
            "plotly.io._json",
            "pyarrow.pandas_compat",
            "pandas.io.formats.csvs",
            "streamlit.emojis",
            "streamlit.material_icon_names",
        ],
        # As on the forecast page: the figures are plain dicts built without validation.
        "validators": [["layout", "hovermode"], ["layout.xaxis", "gridcolor"], ["", "layout"]],
    },
}

PROBE = """
import json, sys
from pathlib import Path
from dashboard_common.start import page_imports, prepare
from plotly.validator_cache import ValidatorCache
import plotly.io as pio
from {page}.warmup import warm_up

MAIN = Path("{page}/main.py").resolve()

def state():
    return {{"modules": [name for name in MODULES if name in sys.modules],
             "validators": [list(key) for key in map(tuple, VALIDATORS) if key in ValidatorCache._cache],
             "template": pio.templates.default}}

before = state()
seconds = prepare(MAIN, warm_up)
after = state()
after["page_imports_missing"] = [name for name in page_imports(MAIN) if name not in sys.modules]
print(json.dumps({{"before": before, "after": after, "seconds": seconds}}))
"""


@pytest.mark.parametrize("page", PAGES)
def test_the_warm_up_does_the_first_views_one_off_work_in_a_fresh_interpreter(page):
    expected = PAGES[page]
    code = f"MODULES = {expected['first_use']!r}\nVALIDATORS = {expected['validators']!r}\n{PROBE.format(page=page)}"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT / f"app-{page}", capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "No runtime found" not in result.stderr, "the cache decorators' start-up warning is silenced"
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    before = probe["before"]
    assert (before["modules"], before["validators"]) == ([], []), "importing the page already did this work"
    assert before["template"] != "energy_dark"
    assert probe["after"] == {
        "modules": expected["first_use"],
        "validators": expected["validators"],
        "template": "energy_dark",
        "page_imports_missing": [],
    }
    assert probe["seconds"] > 0  # what `run_page` reports on stderr


def test_the_page_imports_are_read_from_the_script_with_modules_named_in_from_imports():
    imports = page_imports(REPO_ROOT / "app-frontend" / "frontend" / "main.py")
    assert {"streamlit", "dashboard_common.status", "frontend.data", "frontend.views"} <= set(imports)
    assert "frontend.choices.DANISH_TIME" not in imports, "a name imported from a module is not a module"


def shaped_like(model: type[BaseModel], body: dict) -> bool:
    """The body has exactly the model's fields, each valid: what the API itself would send."""
    return model.model_validate(body).model_dump(by_alias=True) == body


def frontend_samples() -> list[tuple[type[BaseModel], dict]]:
    import pandas as pd
    from frontend import warmup

    now = pd.Timestamp("2026-03-29T12:00Z")  # a daylight-saving day in the week shown
    return [
        (schemas.SeriesForecast, warmup.sample_series(now)),
        (schemas.MonitoredSeries, warmup.sample_monitored_series(now)),
    ]


def monitoring_samples() -> list[tuple[type[BaseModel], dict]]:
    from monitoring import warmup

    return [
        (schemas.MonitoringSummary, warmup.sample_summary()),
        (schemas.MonitoringHourly, warmup.sample_hourly()),
        (schemas.MonitoringHourOfDay, warmup.sample_hour_of_day()),
        (schemas.MonitoredSeries, warmup.sample_monitored_series()),
    ]


@pytest.mark.parametrize("samples", [frontend_samples, monitoring_samples])
def test_every_warm_up_sample_is_shaped_like_the_apis_answer(samples: Callable[[], list]):
    for model, body in samples():
        assert shaped_like(model, body), model.__name__


@pytest.mark.parametrize("page", PAGES)
def test_the_warm_up_builds_every_figure_the_page_draws(page, monkeypatch):
    import importlib

    figures, warmup = importlib.import_module(f"{page}.figures"), importlib.import_module(f"{page}.warmup")
    builders = [name for name in vars(figures) if name.endswith("_figure") and not name.startswith("_")]
    assert builders
    built: list[str] = []
    for name in builders:
        assert name in vars(warmup), f"the warm-up does not use {name}"
        original = getattr(warmup, name)
        monkeypatch.setattr(
            warmup, name, lambda *a, _name=name, _original=original, **k: built.append(_name) or _original(*a, **k)
        )
    warmup.warm_up()
    assert sorted(set(built)) == sorted(builders)

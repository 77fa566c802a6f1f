"""`python -m frontend` warms up before it serves: the first view's one-off work is done when the server starts.

The work is observable in the process afterwards: the page's modules and those its first run would
load on first use (Plotly's JSON encoder, Streamlit's emoji and Material icon tables, the Danish
holiday calendar), Plotly's validators for the dashboard's template (built per property on first use, kept in
`plotly.validator_cache`) and that template as Plotly's default. A fresh
interpreter imports `frontend.__main__` (which imports nothing of this), checks the work is still to
do, runs `warm_up()` and checks it is done: a warm-up that skips any part of it fails.
"""

import json
import subprocess
import sys

from devtools.paths import REPO_ROOT

FIRST_USE_MODULES = [
    "frontend.figures",
    "frontend.data",
    "dashboard_common.freshness",
    "plotly.io._json",
    "streamlit.emojis",
    "streamlit.material_icon_names",
    "holidays.countries.denmark",
]
FIRST_USE_VALIDATORS = [["layout", "hovermode"], ["layout.xaxis", "gridcolor"], ["scatter", "marker"]]  # the theme

PROBE = """
import json, sys
import frontend.__main__ as entry
from plotly.validator_cache import ValidatorCache
import plotly.io as pio

def state():
    return {"modules": [name for name in MODULES if name in sys.modules],
            "validators": [list(key) for key in map(tuple, VALIDATORS) if key in ValidatorCache._cache],
            "template": pio.templates.default}

before = state()
seconds = entry.warm_up()
print(json.dumps({"before": before, "after": state(), "seconds": seconds}))
"""


def test_warm_up_does_the_first_views_first_use_work_in_a_fresh_interpreter():
    code = f"MODULES = {FIRST_USE_MODULES!r}\nVALIDATORS = {FIRST_USE_VALIDATORS!r}\n{PROBE}"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT / "app-frontend",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["before"] == {"modules": [], "validators": [], "template": "plotly"}
    assert probe["after"] == {
        "modules": FIRST_USE_MODULES,
        "validators": FIRST_USE_VALIDATORS,
        "template": "energy_dark",
    }
    assert probe["seconds"] > 0  # what `main` reports on stderr

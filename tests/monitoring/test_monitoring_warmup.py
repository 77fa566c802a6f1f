"""The start-up warm-up does, before the first visitor, the first-use work the page would otherwise do in its run.

What that work leaves behind is observable in the process: modules imported on first use (Plotly's
JSON encoder, pyarrow's pandas bridge, pandas' CSV writer) and Plotly's validators, built per trace
type and property on first use and kept in `plotly.validator_cache`. A fresh interpreter imports
the warm-up module (and with it the page's modules), then the test checks that this work is still
to do, runs `warm_up()`, and checks that it is done: a warm-up that does nothing fails.
"""

import json
import subprocess
import sys

from devtools.paths import REPO_ROOT

# Loaded on first use, not by importing the page's modules.
FIRST_USE_MODULES = ["plotly.io._json", "pyarrow.pandas_compat", "pandas.io.formats.csvs", "plotly.graph_objs.heatmap"]
# (trace or layout path, property): one validator per figure the page draws.
FIRST_USE_VALIDATORS = [
    ["scatter", "y"],  # hourly chart, series chart
    ["heatmap", "z"],  # heatmap
    ["histogram", "nbinsy"],  # the series chart's error distribution
    ["layout.shape", "y0"],  # threshold lines, awaited hours
]

PROBE = """
import json, sys
from monitoring.warmup import warm_up
from plotly.validator_cache import ValidatorCache

def state():
    return {"modules": [name for name in MODULES if name in sys.modules],
            "validators": [list(key) for key in map(tuple, VALIDATORS) if key in ValidatorCache._cache]}

before = state()
warm_up()
print(json.dumps({"before": before, "after": state()}))
"""


def run_probe() -> dict:
    code = f"MODULES = {FIRST_USE_MODULES!r}\nVALIDATORS = {FIRST_USE_VALIDATORS!r}\n{PROBE}"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT / "app-monitoring",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_warm_up_does_the_first_views_first_use_work_in_a_fresh_interpreter():
    probe = run_probe()
    assert probe["before"] == {"modules": [], "validators": []}, "importing the page already did this work"
    assert probe["after"] == {"modules": FIRST_USE_MODULES, "validators": FIRST_USE_VALIDATORS}

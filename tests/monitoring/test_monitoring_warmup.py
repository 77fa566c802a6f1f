"""The start-up warm-up: it runs the page's code paths on its sample and leaves their modules loaded."""

import subprocess
import sys

from devtools.paths import REPO_ROOT

LOADED_AFTER_WARM_UP = """
import sys
from monitoring.warmup import warm_up
warm_up()
needed = ["pandas", "pyarrow", "plotly.graph_objects", "plotly.io", "monitoring.figures",
          "monitoring.report", "monitoring.series", "streamlit.dataframe_util"]
missing = [name for name in needed if name not in sys.modules]
print(missing)
"""


def test_warm_up_loads_what_the_first_view_needs_in_a_fresh_interpreter():
    result = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER_WARM_UP],
        cwd=REPO_ROOT / "app-monitoring",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"

"""Fetch plotly.js's cartesian bundle (the dashboards' chart renderer) into dashboard_common/static/.

The dashboards draw their charts with `dashboard_common.charts.plotly_chart`, which loads
`plotly-cartesian.min.js` (1.5 MB: scatter, bar, heatmap, histogram, box, ...) from the app's static
files instead of Streamlit's full plotly.js chunk (4.6 MB). The bundle is the npm package
`plotly.js-cartesian-dist-min` at the plotly.js version the Python `plotly` package is built for,
so figures serialised by Python are drawn by the plotly.js they were written for; the registry's
sha512 integrity is checked before anything is written. Run after upgrading `plotly`:

    uv run python scripts/vendor_plotly.py
"""

import base64
import hashlib
import io
import json
import tarfile
import urllib.request
from pathlib import Path

import plotly.offline

PACKAGE = "plotly.js-cartesian-dist-min"
REGISTRY = "https://registry.npmjs.org"
TARGET = Path(__file__).resolve().parent.parent / "dashboard-common" / "dashboard_common" / "static"
FILES = {"package/plotly-cartesian.min.js": "plotly-cartesian.min.js", "package/LICENSE": "plotly.js-LICENSE.txt"}


def main() -> None:
    version = plotly.offline.get_plotlyjs_version()
    with urllib.request.urlopen(f"{REGISTRY}/{PACKAGE}/{version}", timeout=60) as response:
        dist = json.load(response)["dist"]
    with urllib.request.urlopen(dist["tarball"], timeout=120) as response:
        tarball = response.read()
    algorithm, expected = dist["integrity"].split("-", 1)
    if algorithm != "sha512" or base64.b64encode(hashlib.sha512(tarball).digest()).decode() != expected:
        raise SystemExit(f"{PACKAGE} {version}: the tarball does not match the registry's {dist['integrity']}")
    TARGET.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(tarball)) as archive:
        for member, name in FILES.items():
            (TARGET / name).write_bytes(archive.extractfile(member).read())
    print(f"{PACKAGE} {version} -> {TARGET}")


if __name__ == "__main__":
    main()

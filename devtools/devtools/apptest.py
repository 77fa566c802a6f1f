"""Reading a Streamlit AppTest run the way the browser would see it."""

import json
from typing import Any

from dashboard_common.charts import COMPONENT_NAME


def plotly_figures(app_test: Any) -> list[dict]:
    """The figures the page drew with `dashboard_common.charts.plotly_chart`, in page order, as plotly.js reads them."""
    return [
        json.loads(json.loads(element.proto.json))
        for element in app_test.get("bidi_component")
        if element.proto.component_name == COMPONENT_NAME
    ]

"""`python -m frontend [streamlit flags]`: do the first view's one-off work at start, then serve the page.

Streamlit runs a page's imports and first-use work (pandas, Plotly and its figure validators and
JSON encoder, the zone database, the holiday calendar, Streamlit's emoji and icon tables) inside
the first visitor's request, which
made the first view after every start about twice as slow as later ones. Here that work is done
once before the server listens, so a new process (local run, container, new replica) is only
reported healthy when its first visitor will be served as fast as the later ones. The same code
paths as the page are exercised, on synthetic data: nothing is fetched from the API.
"""

import logging
import sys
import time
from pathlib import Path

MAIN_SCRIPT = Path(__file__).resolve().parent / "main.py"


def warm_up() -> float:
    """Build and serialise both charts once, as the page would; returns the seconds it took."""
    started = time.perf_counter()
    import dashboard_common.client
    import pandas as pd
    from dashboard_common.charts import figure_json
    from dashboard_common.theme import apply_theme
    from streamlit.string_util import is_emoji, validate_material_icon

    from frontend.calendar_days import holidays_between
    from frontend.choices import DANISH_TIME
    from frontend.figures import CompareMember, compare_figure, forecast_figure
    from frontend.keyfigures import key_figures
    from frontend.series import chart_csv, series_view

    # Streamlit's own first-use work: the emoji table (page icon) and the Material icon names
    # (notices, buttons) are loaded on first use, ~0.35 s inside the first visitor's run.
    is_emoji("⚡")
    validate_material_icon(":material/link_off:")
    apply_theme()
    now = pd.Timestamp.now(tz="UTC").floor("h")
    observed_hours = pd.date_range(now - pd.Timedelta(hours=167), now, freq="h")
    forecast_hours = pd.date_range(now + pd.Timedelta(hours=1), periods=24, freq="h")
    body = {
        "tz": DANISH_TIME,
        "observations": [{"time": hour.isoformat(), "kwh": 100.0 + hour.hour} for hour in observed_hours],
        "forecast": [
            {
                "time": hour.isoformat(),
                "kwh": 100.0,
                "lower_80": 90.0,
                "upper_80": 110.0,
                "lower_95": 80.0,
                "upper_95": 120.0,
            }
            for hour in forecast_hours
        ],
        "interval": {},
    }
    view = series_view(body)
    key_figures(view.observed, view.forecast)
    holidays = holidays_between(view.observed.index[0], view.forecast.index[-1] + pd.Timedelta(days=366))
    members = [CompareMember("warm-up", view.observed, view.forecast["kwh"])]
    for figure in (
        forecast_figure(view, "warm-up", "Danish time", holidays=holidays, past_forecast=view.observed),
        compare_figure(members, "warm-up", "Danish time", as_share=True, small_multiples=True),
    ):
        figure_json(figure)
    chart_csv(view)
    # The page's own modules: outside a server, Streamlit's cache decorators warn that they will
    # use an in-memory store; that is only their check at definition time, so it is silenced here.
    caching_log = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = caching_log.level
    caching_log.setLevel(logging.ERROR)
    try:
        import dashboard_common.freshness
        import dashboard_common.status  # noqa: F401

        import frontend.data  # noqa: F401
    finally:
        caching_log.setLevel(level)
    return time.perf_counter() - started


def main() -> None:
    seconds = warm_up()
    sys.stderr.write(f"frontend: warmed up in {seconds:.1f} s; starting Streamlit\n")
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(MAIN_SCRIPT), *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()

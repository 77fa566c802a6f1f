"""`python -m monitoring [streamlit flags]`: the monitoring page, its first view's one-off work done
first (`dashboard_common.start`)."""

from pathlib import Path

from dashboard_common.start import run_page

from monitoring.warmup import warm_up

if __name__ == "__main__":
    run_page(Path(__file__).resolve().with_name("main.py"), warm_up)

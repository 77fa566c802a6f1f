"""`python -m frontend [streamlit flags]`: the forecast page, its first view's one-off work done first
(`dashboard_common.start`)."""

from pathlib import Path

from dashboard_common.start import run_page

from frontend.warmup import warm_up

if __name__ == "__main__":
    run_page(Path(__file__).resolve().with_name("main.py"), warm_up)

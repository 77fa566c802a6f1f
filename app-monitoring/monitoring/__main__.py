"""`python -m monitoring [streamlit flags]`: the dashboard, with its start-up work done before the first visitor.

Same as `streamlit run monitoring/main.py [flags]`, after `warmup.warm_up()` in this process (see
there why). The image starts the dashboard this way (dashboard-common/Dockerfile); `dev.py up` keeps
`streamlit run` with its file watcher for development, which works too, only slower on the first
view after a start.
"""

import sys
from pathlib import Path

from streamlit.web import cli

from monitoring.warmup import warm_up

MAIN = Path(__file__).resolve().with_name("main.py")


def main() -> None:
    warm_up()
    sys.argv = ["streamlit", "run", str(MAIN), *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()

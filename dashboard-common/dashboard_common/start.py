"""`python -m <dashboard>`: the one way both pages start, with the first view's one-off work done first.

Streamlit runs a page's imports and first-use work (pandas, Plotly and its figure validators and
JSON encoder, pyarrow's pandas bridge, the zone database, Streamlit's emoji and icon tables) inside
the first visitor's run, which made the first view after every start about twice as slow as later
ones (BENCHMARKS.md, "Dashboards"). `run_page` does that work once in the server's process before
it listens, so a new process (local run, container, new replica) is reported healthy only when its
first visitor will be served as fast as later ones:

1. every module the page script imports is imported (its Streamlit cache decorators' warning that
   there is no server yet is only their check at definition time, so it is silenced);
2. Streamlit's own first-use tables are loaded (page icons, notices' icons);
3. the page's `warmup.warm_up()` builds and serialises each of its figures and tables once, from
   samples shaped like the API's answers: nothing is fetched and nothing is cached in Streamlit.

Then it hands over to `streamlit run <main.py>` with the command line's flags.
"""

import ast
import importlib
import importlib.util
import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

CACHING_LOGGER = "streamlit.runtime.caching.cache_data_api"


def page_imports(main_script: Path) -> list[str]:
    """The modules a page script imports (absolute imports, with `from package import module` resolved
    to the module), in the order it imports them."""
    names: list[str] = []
    for node in ast.walk(ast.parse(main_script.read_text(), str(main_script))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            within = [f"{node.module}.{alias.name}" for alias in node.names]
            names += [node.module, *(name for name in within if _is_module(name))]
    return list(dict.fromkeys(names))


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the parent is a module, not a package: `name` is an attribute
        return False


def _errors_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.ERROR


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Drop the logger's records below ERROR (a filter: Streamlit resets its loggers' levels when it
    reads its configuration)."""
    logger = logging.getLogger(logger_name)
    logger.addFilter(_errors_only)
    try:
        yield
    finally:
        logger.removeFilter(_errors_only)


def prepare(main_script: Path, warm_up: Callable[[], None]) -> float:
    """The first view's one-off work (see the module's docstring); the seconds it took."""
    started = time.perf_counter()
    with _quiet(CACHING_LOGGER):
        for name in page_imports(main_script):
            importlib.import_module(name)
    from streamlit.string_util import is_emoji, validate_material_icon

    is_emoji("⚡")
    validate_material_icon(":material/link_off:")
    warm_up()
    return time.perf_counter() - started


def run_page(main_script: Path, warm_up: Callable[[], None]) -> None:
    """Prepare, then serve `main_script` as `streamlit run` would, with this command line's flags."""
    seconds = prepare(main_script, warm_up)
    sys.stderr.write(f"{main_script.parent.name}: warmed up in {seconds:.1f} s; starting Streamlit\n")
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(main_script), *sys.argv[1:]]
    cli.main()

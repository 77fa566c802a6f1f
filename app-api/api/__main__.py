"""`python -m api`: serve the API with uvicorn, configured by `APP_API_*` environment variables only.

With `APP_API_METRICS_PORT` set, every worker serves two listening sockets: the API's port and the
metrics port (`api.middleware.MetricsPortMiddleware` keeps /metrics to the latter).
"""

import logging.config
import os
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

from api.config import Settings, get_settings
from api.logs import logging_config

WORKER_HEALTHCHECK_SECONDS = 30


def main() -> None:
    settings = get_settings()
    log_config = logging_config(settings.LOG_LEVEL, settings.LOG_FORMAT)
    logging.config.dictConfig(log_config)
    if settings.is_demo:
        # Imported here, and only for the demo: with several workers this process only supervises, and
        # need not hold pandas (worker_memory.py measures the supervisor).
        from api.demo import demo_folder

        # Workers are separate processes: they share one demo folder (the first to list it writes it, under
        # its lock: `api.demo.DemoStorage`) instead of each writing its own.
        os.environ["APP_API_DEMO_DIR"] = str(demo_folder(settings))
        # With one worker uvicorn runs the app in this process: re-read the settings so it sees the folder.
        get_settings.cache_clear()
    options = {
        "factory": True,
        "host": settings.HOST,
        "port": settings.PORT,
        "workers": settings.WORKERS_COUNT if not settings.RELOAD else None,
        "reload": settings.RELOAD,
        "log_level": settings.LOG_LEVEL,
        "log_config": log_config,
        "access_log": False,
        # A worker answers the supervisor's ping only once its interpreter is up; on a busy host that takes
        # longer than uvicorn's 5 s default, and it would kill and respawn workers forever.
        "timeout_worker_healthcheck": WORKER_HEALTHCHECK_SECONDS,
        "proxy_headers": True,
    }
    if settings.METRICS_PORT and not settings.RELOAD:
        serve_with_metrics_port(uvicorn.Config("api.application:create_app", **options), settings)
    else:
        uvicorn.run("api.application:create_app", **options)


def serve_with_metrics_port(config: uvicorn.Config, settings: Settings) -> None:
    """What `uvicorn.run` does for one or several workers, with a second listening socket for /metrics."""
    metrics = socket.socket(socket.AF_INET6 if ":" in settings.HOST else socket.AF_INET)
    metrics.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    metrics.bind((settings.HOST, settings.METRICS_PORT))
    metrics.set_inheritable(True)
    logging.getLogger("api").info("metrics on %s:%d/metrics only", settings.HOST, settings.METRICS_PORT)
    sockets = [config.bind_socket(), metrics]
    if config.workers > 1:
        Multiprocess(config, sockets=sockets).run()
    else:
        uvicorn.Server(config).run(sockets=sockets)


if __name__ == "__main__":
    main()

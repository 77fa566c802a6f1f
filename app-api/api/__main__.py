"""`python -m api`: serve the API with uvicorn, configured by `APP_API_*` environment variables only."""

import logging.config
import os

import uvicorn

from api.config import get_settings
from api.logs import logging_config

WORKER_HEALTHCHECK_SECONDS = 30


def main() -> None:
    settings = get_settings()
    log_config = logging_config(settings.LOG_LEVEL, settings.LOG_FORMAT)
    logging.config.dictConfig(log_config)
    if settings.is_demo:
        # Imported here: with several workers this process only supervises, and need not hold pandas.
        from api.application import demo_folder
        from api.demo import demo_is_outdated, write_demo_bucket

        # Workers are separate processes: they share one demo folder instead of each writing its own.
        folder = demo_folder(settings)
        if demo_is_outdated(folder):
            write_demo_bucket(str(folder))
        os.environ["APP_API_DEMO_DIR"] = str(folder)
        # With one worker uvicorn runs the app in this process: re-read the settings so it sees the folder.
        get_settings.cache_clear()
    uvicorn.run(
        "api.application:create_app",
        factory=True,
        host=settings.HOST,
        port=settings.PORT,
        workers=settings.WORKERS_COUNT if not settings.RELOAD else None,
        reload=settings.RELOAD,
        log_level=settings.LOG_LEVEL,
        log_config=log_config,
        access_log=False,
        # A worker answers the supervisor's ping only once its interpreter is up; on a busy host that takes
        # longer than uvicorn's 5 s default, and it would kill and respawn workers forever.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        proxy_headers=True,
    )


if __name__ == "__main__":
    main()

"""Debian's nginx as a shared HTTP cache in front of the API: the test that the API's headers make a
standards-following shared cache correct (tests/api/test_shared_cache.py) and the benchmark through it
(scripts/bench_shared_cache.py) start it from here.

The cache follows only what the API's answers say: no `proxy_cache_valid`, no `proxy_ignore_headers`,
no `proxy_cache_use_stale`, so freshness, `stale-while-revalidate`, `stale-if-error` and `Vary` come
from the API's headers alone (nginx honours all of them since 1.11.10). `proxy_cache_revalidate`
makes it revalidate an expired entry with `If-None-Match` (a 304 keeps the entry); `proxy_cache_lock`
lets one request fill a missing entry while the others wait. `X-Cache-Status` says what the cache did.

nginx runs unprivileged in a temporary folder: its own configuration (`-c`), prefix (`-p`), error log
(`-e`), pid file and temp paths there, `daemon off` so the test holds the process. Started by root
(CI), it is started as `nobody` instead.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from devtools.paths import ARTIFACTS
from devtools.processes import free_port, stop_process
from devtools.waiting import wait_for_http

NGINX = os.environ.get("NGINX_PATH", "/usr/sbin/nginx")

CONFIG = """
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log notice;
events {{ worker_connections 1024; }}
http {{
    log_format cache '$remote_addr "$request" $status $upstream_cache_status $body_bytes_sent "$http_accept"';
    access_log {folder}/access.log cache;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy_temp;
    fastcgi_temp_path {folder}/fastcgi_temp;
    uwsgi_temp_path {folder}/uwsgi_temp;
    scgi_temp_path {folder}/scgi_temp;
    proxy_cache_path {folder}/cache levels=1:2 keys_zone=api:16m max_size=512m inactive=10m use_temp_path=off;
    upstream api {{
        server 127.0.0.1:{upstream_port} max_fails=0;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://api;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_cache api;
            proxy_cache_revalidate on;
            proxy_cache_lock on;
            add_header X-Cache-Status $upstream_cache_status always;
        }}
    }}
}}
"""


def nginx_found() -> bool:
    return Path(NGINX).exists() or shutil.which(NGINX) is not None


@contextmanager
def running_nginx_cache(upstream_port: int, startup_timeout: float = 30) -> Iterator[str]:
    """nginx caching `127.0.0.1:upstream_port` on a free port; yields its base URL, stops it afterwards.

    Its access and error logs are copied to test-artifacts/nginx-cache-<port>-*.log when it stops.
    """
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="nginx-cache-"))
    try:
        folder.chmod(0o777)  # nginx's own user (nobody, when started by root) writes here
        (folder / "nginx.conf").write_text(CONFIG.format(folder=folder, upstream_port=upstream_port, port=port))
        as_nobody = {"user": pwd.getpwnam("nobody").pw_uid} if os.geteuid() == 0 else {}
        command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, cwd=folder, **as_nobody
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for_http(f"{base}/api/v1/health", timeout=startup_timeout, process=process)
            yield base
        finally:
            stop_process(process, stop_signal=15)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for log in ("access.log", "error.log"):
                if (folder / log).exists():
                    shutil.copy(folder / log, ARTIFACTS / f"nginx-cache-{port}-{log}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)

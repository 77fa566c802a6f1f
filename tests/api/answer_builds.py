"""Build functions for the answer store's tests (tests/api/test_answers.py and test_answers_units.py)."""

import threading

from api.http_caching import prepare_body


class Builds:
    """Build functions that record their calls and, when gated, wait until the gate opens."""

    def __init__(self, gated: bool = False) -> None:
        self.calls: list[str] = []
        self.gate = threading.Event()
        if not gated:
            self.gate.set()

    def of(self, text: str, size: int = 10):
        def build():
            self.calls.append(text)
            assert self.gate.wait(timeout=10), "the test never opened the gate"
            return prepare_body((text * size).encode(), compressible=False)

        return build

"""`edinsights serve` (or any server) in the background for tests that talk HTTP to it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def serving(
    home: Path,
    environment: dict[str, str] | None = None,
    workers: int = 1,
    edinsights: Sequence[str] = (sys.executable, "-m", "edinsights"),
    cwd: Path | None = None,
) -> Iterator[str]:
    """`edinsights serve` on HOME on a free loopback port, once it answers; yields its base URL.

    `edinsights` is the command to run (by default the tests' own package), from `cwd`.
    """
    port = free_port()
    command = [*edinsights, "--home", str(home), "serve", "--port", str(port), "--workers", str(workers)]
    url = f"http://127.0.0.1:{port}"
    with running(command, f"{url}/health/", "edinsights serve", environment, cwd=cwd):
        yield url


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(
    command: list[str],
    ready_url: str,
    name: str,
    environment: dict[str, str] | None = None,
    timeout: float = 60,
    cwd: Path | None = None,
) -> Iterator[None]:
    """Run `command` in the background until the block ends, once `ready_url` answers 2xx."""
    server = subprocess.Popen(
        command,
        env={**os.environ, **(environment or {})},
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(ready_url, timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, f"{name} did not start"
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait(timeout=20)

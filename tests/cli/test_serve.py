"""``tradetrace serve`` as a user runs it: a real process answering HTTP."""

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def serve(tmp_path):
    processes = []

    def _serve(*args: str) -> str:
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRADETRACE_")}
        command = [sys.executable, "-m", "tradetrace", "--data-dir", str(tmp_path / "d"), *args]
        process = subprocess.Popen(
            [*command, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(process.stdout.read().decode())
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                return base
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("server did not start in 30 s")

    yield _serve
    for process in processes:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def test_serve_answers_health_and_renders_console(serve, database_url):
    base = serve("--db", database_url)
    health = httpx.get(f"{base}/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "ok"}
    page = httpx.get(f"{base}/")
    assert page.status_code == 200
    assert "<nav" in page.text
    assert httpx.get(f"{base}/readyz").json()["status"] == "ready"

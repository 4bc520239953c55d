"""``tradetrace serve`` as a user runs it: a real process answering HTTP."""

import os
import socket
import subprocess
import sys
import time

import click
import httpx
import pytest

from tradetrace.cli._root import cli, make_settings


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
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    assert f"<dt>Database</dt><dd>{backend}</dd>" in page.text  # the global --db is used


def test_the_global_db_option_reaches_serve(tmp_path):
    """``serve`` has its own ``--db``; not giving it keeps the global one."""
    global_url = f"sqlite:///{(tmp_path / 'elsewhere.db').as_posix()}"
    ctx = click.Context(cli, obj={"data_dir": tmp_path, "database_url": global_url})
    assert make_settings(ctx, database_url=None).effective_database_url == global_url
    assert make_settings(ctx, database_url="sqlite://").effective_database_url == "sqlite://"
    assert make_settings(ctx, port=None).port == 8000

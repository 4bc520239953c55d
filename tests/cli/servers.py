"""Real ``tradetrace serve`` processes for tests that need them (crash, concurrency, HTTP)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """One running server process."""

    process: subprocess.Popen[bytes]
    base: str
    log_path: Path

    def kill(self) -> None:
        """``kill -9``: no shutdown hooks, no flush."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """A normal shutdown (SIGTERM)."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@dataclass
class ServerPool:
    """Starts servers and stops whatever is left at the end of the test."""

    tmp_path: Path
    started: list[Server] = field(default_factory=list)

    def start(
        self, data_dir: Path, database_url: str, *, port: int | None = None, **env: str
    ) -> Server:
        """Start ``tradetrace serve`` on ``port`` (a free one by default) with ``env`` as
        ``TRADETRACE_*`` settings; return once it answers ``/healthz``."""
        port = port or free_port()
        environment = {k: v for k, v in os.environ.items() if not k.startswith("TRADETRACE_")}
        environment.update({f"TRADETRACE_{key.upper()}": value for key, value in env.items()})
        log_path = self.tmp_path / f"server-{port}.log"
        with open(log_path, "wb") as output:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tradetrace",
                    "--data-dir",
                    str(data_dir),
                    "--db",
                    database_url,
                    "serve",
                    "--port",
                    str(port),
                ],
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        server = Server(process, f"http://127.0.0.1:{port}", log_path)
        self.started.append(server)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(log_path.read_text())
            try:
                httpx.get(f"{server.base}/healthz", timeout=1)
                return server
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("server did not start in 60 s")

    def stop_all(self) -> None:
        for server in self.started:
            if server.process.poll() is None:
                server.process.kill()
                server.process.wait(timeout=10)

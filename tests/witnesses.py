"""Witnesses for tests: in-process witness apps reachable through one ``httpx.Client``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from tests.conftest import FIXED_NOW
from tradetrace.api.witness import create_witness_app
from tradetrace.ledger import note, notekeys
from tradetrace.workflows.witness import Witness, WitnessState


def make_witness(
    state: Path, logs: Mapping[str, Sequence[note.Verifier]], name: str = "witness.test/w1"
) -> Witness:
    """A witness with a fresh key, its state in ``state``, stamping :data:`FIXED_NOW`."""
    cosigner = notekeys.Cosigner.generate(name)
    return Witness(cosigner, logs, state=WitnessState(state), clock=lambda: FIXED_NOW)


def witness_client(
    witnesses: Mapping[str, Witness],
    *,
    down: Sequence[str] = (),
    spy: Callable[[httpx.Request], None] | None = None,
) -> httpx.Client:
    """One client that routes ``http://<host>/...`` to the witness app named ``host``.

    Hosts in ``down`` refuse connections, as a witness that is not running.
    """
    apps = {host: TestClient(create_witness_app(witness)) for host, witness in witnesses.items()}

    def handle(request: httpx.Request) -> httpx.Response:
        if spy is not None:
            spy(request)
        host = request.url.host
        if host in down or host not in apps:
            raise httpx.ConnectError("connection refused", request=request)
        answer = apps[host].request(
            request.method, request.url.path, content=request.content, headers=request.headers
        )
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    return httpx.Client(transport=httpx.MockTransport(handle))

"""Two tradetrace platforms exchange a steel shipment's credentials end to end, each a real
``tradetrace serve`` process with its own data directory, organisation and did:web on its own
port: discovery, token, presentation, nothing lost while the recipient is down, 409 on resend,
verification on arrival, ledger entries on both sides.

The importer's platform issues a mill test report and a commercial invoice (VC-JWT, ES256),
presents them for one workflow instance (the customs entry) and sends the presentation with
``tradetrace presentation send``; the customs broker's platform receives it. did:web needs
HTTPS; here both hosts are ``did_web_insecure_hosts``, the local-testing switch.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx
import pytest

from tests.cli.servers import ServerPool, free_port
from tests.conftest import ASSETS
from tradetrace.credentials import model

CONTENT = ASSETS / "vc" / "content"
STEEL_WORKFLOW = "https://w3id.org/traceability#cbp-steel-tech-demo-2023"
ENTRY_INSTANCE = f"urn:uuid:{uuid.uuid4()}"

pytestmark = pytest.mark.slow


class Node:
    """One platform: its data directory, SQLite database, port and settings for the CLI."""

    def __init__(self, root: Path, name: str, port: int, hosts: list[str]) -> None:
        self.dir = root / name
        self.db = f"sqlite:///{(self.dir / 'tradetrace.db').as_posix()}"
        self.port = port
        self.did = f"did:web:localhost%3A{port}"
        self.base = f"http://127.0.0.1:{port}"
        self.env = {  # settings of its server and of the CLI run on its data
            "did_web_allow_hosts": json.dumps(hosts),
            "did_web_insecure_hosts": json.dumps(hosts),
            "outbox_retry_interval_seconds": "0",  # the CLI flushes: no race with the server
        }


@pytest.fixture
def pool(tmp_path):
    servers = ServerPool(tmp_path)
    yield servers
    servers.stop_all()


@pytest.fixture
def nodes(tmp_path):
    ports = free_port(), free_port()
    hosts = [f"localhost:{port}" for port in ports]
    return Node(tmp_path, "importer", ports[0], hosts), Node(tmp_path, "customs", ports[1], hosts)


@pytest.fixture
def tt(run, monkeypatch):
    """Run the CLI in-process as ``node``."""

    def invoke(node: Node, *args: str, expect: int = 0):
        for key, value in {**node.env, "port": str(node.port)}.items():
            monkeypatch.setenv(f"TRADETRACE_{key.upper()}", value)
        result = run("--data-dir", str(node.dir), "--db", node.db, *args)
        assert result.exit_code == expect, result.stderr
        return result

    return invoke


def _credential(name: str, issuer: str) -> dict:
    document = json.loads((CONTENT / name).read_text())
    document["issuer"] = {**document["issuer"], "id": issuer}
    document["id"] = f"urn:uuid:{uuid.uuid4()}"
    return document


def _lookup(base: str, digest: str) -> list[int]:
    response = httpx.get(f"{base}/log/lookup/{digest}", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["indexes"]


def test_two_platforms_exchange_a_steel_shipment(tmp_path, pool, nodes, tt):
    importer, customs = nodes

    # Each platform: its organisation as the host's DID; customs registers the importer.
    created = tt(importer, "org", "create", "importer", "--name", "Importer of Record",
                 "--country", "US", "--root", "--json")  # fmt: skip
    assert json.loads(created.stdout)["did"] == importer.did
    tt(customs, "org", "create", "broker", "--name", "Customs Broker", "--country", "US", "--root")
    granted = tt(customs, "client", "create", "--org", "broker", "--scope",
                 "submit:presentations", "--json")  # fmt: skip
    client = json.loads(granted.stdout)
    tt(importer, "peer", "add", customs.did, "--client-id", client["client_id"],
       "--client-secret", client["client_secret"])  # fmt: skip

    # The importer issues the shipment's credentials (logged on its ledger) and presents them.
    issued = []
    for name in ("valid-mill-test-report.json", "valid-commercial-invoice.json"):
        source = tmp_path / name
        source.write_text(json.dumps(_credential(name, importer.did)))
        out = tt(importer, "credential", "issue", "--org", "importer", "--format", "vc-jwt",
                 str(source))  # fmt: skip
        issued.append(out.stdout.strip())
    presentation = tmp_path / "shipment-vp.json"
    presentation.write_text(
        json.dumps(
            {
                "@context": [
                    "https://www.w3.org/ns/credentials/v2",
                    "https://w3id.org/traceability/v1",
                ],
                "id": f"urn:uuid:{uuid.uuid4()}",
                "type": ["VerifiablePresentation", "TraceablePresentation"],
                "workflow": {"definition": [STEEL_WORKFLOW], "instance": [ENTRY_INSTANCE]},
                "verifiableCredential": issued,
            }
        )
    )

    # The importer's platform is up; the broker's is not yet: the send stays in the outbox.
    pool.start(importer.dir, importer.db, port=importer.port, **importer.env)
    send = ("presentation", "send", "--to", customs.did, "--org", "importer", "--json",
            str(presentation))  # fmt: skip
    (queued,) = json.loads(tt(importer, *send).stdout)
    assert (queued["state"], queued["attempts"]) == ("failed-retrying", 1)
    assert (
        f"fetching http://localhost:{customs.port}/.well-known/did.json failed"
        in (queued["lastError"])
    )

    # The broker's platform comes up; a flush delivers: discovery, token, POST /presentations.
    pool.start(customs.dir, customs.db, port=customs.port, **customs.env)
    (delivered,) = json.loads(tt(importer, "outbox", "flush", "--all", "--json").stdout)
    assert (delivered["id"], delivered["state"], delivered["attempts"]) == (
        queued["id"], "sent", 2,
    )  # fmt: skip
    assert delivered["lastStatus"] == 200 and delivered["lastError"] is None

    # Verified on arrival, in the broker's inbox under the entry's workflow instance.
    inbox = tt(customs, "presentation", "inbox", "--instance", ENTRY_INSTANCE, "--json")
    (group,) = json.loads(inbox.stdout)
    (received,) = group["presentations"]
    assert received["verified"] is True
    assert (received["holder"], received["credentials"]) == (importer.did, 2)
    assert group["definitions"] == [STEEL_WORKFLOW]
    listing = tt(customs, "presentation", "inbox").stdout
    assert f"{ENTRY_INSTANCE}  1 received" in listing
    assert f"verified  2 credentials  {importer.did}  {received['id']}" in listing

    # Sending it again: the broker answers 409, the outbox records a duplicate.
    (again,) = json.loads(tt(importer, *send).stdout)
    assert (again["state"], again["lastStatus"]) == ("duplicate", 409)
    assert "already received" in again["lastError"]
    states = {item["id"]: item["state"] for item in json.loads(
        tt(importer, "outbox", "list", "--json").stdout)}  # fmt: skip
    assert states == {queued["id"]: "sent", again["id"]: "duplicate"}

    # Ledgers: the importer logged what it issued; the broker the presentation and each
    # credential it carried.
    for credential in issued:
        digest = model.secured_digest(credential)
        assert _lookup(importer.base, digest), "importer did not log an issued credential"
        assert _lookup(customs.base, digest), "broker did not log a received credential"
    assert _lookup(customs.base, received["digest"])
    assert not _lookup(importer.base, received["digest"])

    # A credential that does not verify is refused (422): rejected, not retried.
    header, payload, signature = issued[0].split(".")
    forged = f"{header}.{payload[:-4]}AAAA.{signature}"
    tampered = tmp_path / "tampered-vp.json"
    tampered.write_text(
        json.dumps(
            {
                **json.loads(presentation.read_text()),
                "id": f"urn:uuid:{uuid.uuid4()}",
                "verifiableCredential": [forged, issued[1]],
            }
        )
    )
    refused = tt(importer, "presentation", "send", "--to", customs.did, "--org", "importer",
                 "--json", str(tampered), expect=1)  # fmt: skip
    (rejected,) = json.loads(refused.stdout)
    assert (rejected["state"], rejected["lastStatus"]) == ("rejected", 422)
    assert json.loads(tt(importer, "outbox", "flush", "--all", "--json").stdout) == []
    (group,) = json.loads(
        tt(customs, "presentation", "inbox", "--instance", ENTRY_INSTANCE, "--json").stdout
    )
    assert [item["id"] for item in group["presentations"]] == [received["id"]]

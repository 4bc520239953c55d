"""Benchmark: verifying the node's own credentials with everything the node knows.

A node verifies with its whole context (:meth:`NodeContext.verifier`): the issuer's did:web
from the database, both Bitstring Status Lists the credential points into (fetched from the
database and verified), the trust registry and the ledger. This measures that path for a
hosted organisation's steel mill test report in the three formats the platform issues, with
the node's verification caches on (``verification_cache_seconds``: verified status lists, each
checked against its stored version, and hosted DID documents) and, as the baseline in the same
run, off (every list fetched and verified, every DID document read, on every verification).

Run from the repository root: ``.venv/bin/python bench/node_verify.py [--seconds 1]
[--rounds 5] [--database-url URL]``. Without a URL the node uses a fresh SQLite database in a
temporary directory; with one (PostgreSQL), it creates a scratch schema and drops it after.
Rates are wall-clock verifications per second of one thread, best round of each.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bench._machine import describe  # noqa: E402
from tradetrace import storage  # noqa: E402
from tradetrace.config import Settings  # noqa: E402
from tradetrace.credentials import issue  # noqa: E402
from tradetrace.credentials.report import CheckId  # noqa: E402
from tradetrace.workflows import credentials, identity, trust  # noqa: E402
from tradetrace.workflows.ledger import LedgerService, load_or_create_log_key  # noqa: E402

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
CREDENTIAL = ROOT / "tests" / "assets" / "vc" / "content" / "valid-mill-test-report.json"
FORMATS = (issue.Format.VC_JWT, issue.Format.EDDSA_JCS_2022, issue.Format.ECDSA_JCS_2019)
MILL_DID = "did:web:localhost%3A8000:orgs:mill"


@contextmanager
def _database(url: str | None, data_dir: Path) -> Iterator[str]:
    """The database URL to use: SQLite in ``data_dir``, or a scratch schema of ``url``."""
    if url is None:
        yield f"sqlite:///{(data_dir / 'tradetrace.db').as_posix()}"
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _issued(settings: Settings) -> tuple[Callable[[float], credentials.NodeContext], list[bytes]]:
    """A node with a steel mill and a customs root, one credential per format, and a factory of
    node contexts with a given cache time."""
    engine = storage.make_engine(settings.effective_database_url)
    storage.upgrade(engine)
    sessions = storage.make_session_factory(engine)
    signer = load_or_create_log_key(settings.effective_log_key_path, settings.effective_log_origin)
    ledger = LedgerService(engine, signer=signer, tiles_dir=None, clock=lambda: NOW)
    document = json.loads(CREDENTIAL.read_text())
    unsigned = {
        name: value
        for name, value in document.items()
        if name not in ("proof", "issuer", "id", "validFrom", "validUntil")
    }
    unsigned["issuer"] = {**document["issuer"], "id": MILL_DID}  # schema-valid, as issued
    with sessions() as session:
        identity.create_organisation(
            session, settings, slug="mill", name="Mill", country="CA", roles=["steel_mill"],
            now=NOW,
        )  # fmt: skip
        identity.create_organisation(
            session, settings, slug="cbp", name="CBP", country="US",
            roles=["customs_authority"], root=True, now=NOW,
        )  # fmt: skip
        secured = [
            credentials.issue_as_organisation(
                session, settings, ledger, slug="mill", credential=unsigned, format=fmt, now=NOW
            ).to_bytes()
            for fmt in FORMATS
        ]
        trust.accredit(
            session, did=MILL_DID, roles=["steel_mill"], accredited_by="did:web:localhost%3A8000",
            valid_from=NOW, now=NOW,
        )  # fmt: skip
    readers = storage.make_session_factory(engine, write=False)

    def node(cache_seconds: float) -> credentials.NodeContext:
        configured = settings.model_copy(update={"verification_cache_seconds": cache_seconds})
        return credentials.NodeContext(configured, readers, ledger=ledger, clock=lambda: NOW)

    return node, secured


def _rate(run: Callable[[], object], seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        run()
        count += 1
    return count / (time.perf_counter() - start)


def main() -> None:
    """Print the machine, then each format's rate with the caches on and off."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; the best one counts")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        data_dir = Path(temporary) / "data"
        data_dir.mkdir()
        with _database(args.database_url, data_dir) as url:
            settings = Settings(data_dir=data_dir, database_url=url)
            node, secured = _issued(settings)
            print(f"machine: {describe()}")
            print(f"database: {'PostgreSQL' if args.database_url else 'SQLite'}")
            for fmt, data in zip(FORMATS, secured, strict=True):
                rates = {}
                for label, cache_seconds in (("caches on", 300.0), ("caches off", 0.0)):
                    verifier = node(cache_seconds).verifier()
                    report = verifier.verify(data, now=NOW)
                    assert report.verified(require=[CheckId.TRUST, CheckId.LEDGER]), report
                    codes = {check.id: check.code for check in report.checks}
                    assert codes[CheckId.STATUS] == "status_active", codes
                    assert codes[CheckId.SCHEMA] == "schema_valid", codes
                    run = lambda v=verifier, d=data: v.verify(d, now=NOW)  # noqa: E731
                    rates[label] = max(_rate(run, args.seconds) for _ in range(args.rounds))
                on, off = rates["caches on"], rates["caches off"]
                print(
                    f"{fmt.value:16} caches on {on:8,.0f}/s ({1e6 / on:7.0f} us)   "
                    f"caches off {off:8,.0f}/s ({1e6 / off:7.0f} us)   {on / off:5.1f}x"
                )


if __name__ == "__main__":
    main()

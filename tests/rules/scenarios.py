"""Scenario builders for the rule tests: a complete shipment per family, changed one way each.

``build_case`` reads an entry and its credentials from ``tests/assets/customs/`` and presents each
credential as verified, trusted and logged on the ledger an hour after it was issued. Keyword
overrides change one thing:

- ``entry={"lines[0].spi": None}``: edit the entry JSON by path (``DELETE`` removes a field);
- ``edits={"certificate": {"validUntil": "2025-06-30T23:59:59Z"}}``: edit a credential;
- ``omit={"certificate"}``: do not present it;
- ``revoked``, ``unverified``, ``untrusted``, ``unlogged`` (sets of credential keys), and
  ``logged_at={"invoice": datetime(...)}``: change its verdicts or ledger record;
- ``extra={"key": document}``: present one more credential;
- ``trace=...``, ``recordations=...``: replace the trace facts or the IPR recordations.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from tradetrace.credentials.report import Check, CheckId, CheckStatus, VerificationReport
from tradetrace.entries import Entry
from tradetrace.rules import (
    Case,
    CustodyStep,
    FoodRecord,
    LedgerRecord,
    PresentedCredential,
    ProductionRecord,
    Recordation,
    RightKind,
    Trace,
)
from tradetrace.rules.case import parse_time
from tradetrace.trust import TrustDecision

ASSETS = Path(__file__).parents[1] / "assets"
CUSTOMS = ASSETS / "customs"
DELETE = object()
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
LOG_ORIGIN = "ledger.tradetrace.example/log"
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def load(name: str) -> dict[str, Any]:
    """A fresh copy of ``tests/assets/customs/<name>``."""
    return json.loads((CUSTOMS / name).read_text(encoding="utf-8"))


def edit(document: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` with each ``path: value`` set (``DELETE`` removes the field)."""
    result = copy.deepcopy(dict(document))
    for path, value in changes.items():
        parts: list[str | int] = [
            name if name else int(index) for name, index in _PART.findall(path)
        ]
        target: Any = result
        for part in parts[:-1]:
            target = target[part]
        if value is DELETE:
            del target[parts[-1]]
        else:
            target[parts[-1]] = copy.deepcopy(value)
    return result


def report(
    document: Mapping[str, Any], *, revoked: bool = False, verified: bool = True
) -> VerificationReport:
    """A verification report of named checks, as the verifier writes it."""
    status = (
        Check(CheckId.STATUS, CheckStatus.INVALID, "credential_revoked", "revoked in status list")
        if revoked
        else Check(CheckId.STATUS, CheckStatus.VALID, "status_valid", "not revoked")
    )
    proof = (
        Check(CheckId.PROOF, CheckStatus.VALID, "proof_valid", "signature verified")
        if verified
        else Check(CheckId.PROOF, CheckStatus.INVALID, "signature_invalid", "bad signature")
    )
    checks = (
        Check(CheckId.FORMAT, CheckStatus.VALID, "format_valid", "VC 2.0, vc+jwt"),
        proof,
        Check(CheckId.ISSUER, CheckStatus.VALID, "issuer_resolved", "did:web resolved"),
        Check(CheckId.VALIDITY, CheckStatus.VALID, "validity_valid", "within validity"),
        status,
        Check(CheckId.SCHEMA, CheckStatus.VALID, "schema_valid", "matches its schema"),
    )
    issuer = document.get("issuer")
    return VerificationReport(
        format="vc+jwt",
        checks=checks,
        document_id=document.get("id"),
        issuer=issuer if isinstance(issuer, str) else dict(issuer or {}).get("id"),
        types=tuple(document.get("type", ())),
    )


def trust(issuer: str, *, trusted: bool = True) -> TrustDecision:
    """The trust registry's decision on ``issuer``."""
    if trusted:
        return TrustDecision(True, "issuer_accredited", f"{issuer} is accredited by CBP")
    return TrustDecision(False, "issuer_not_accredited", f"{issuer} has no accreditation")


def present(
    document: Mapping[str, Any],
    *,
    index: int = 0,
    revoked: bool = False,
    verified: bool = True,
    trusted: bool = True,
    logged: bool = True,
    logged_at: datetime | None = None,
) -> PresentedCredential:
    """Present ``document``, logged an hour after its ``validFrom`` unless told otherwise."""
    issued = parse_time(document.get("validFrom")) or NOW
    issuer = document["issuer"]
    ledger = LedgerRecord(
        log_origin=LOG_ORIGIN, index=index, logged_at=logged_at or issued + timedelta(hours=1)
    )
    return PresentedCredential(
        document=document,
        report=report(document, revoked=revoked, verified=verified),
        trust=trust(issuer if isinstance(issuer, str) else issuer["id"], trusted=trusted),
        ledger=ledger if logged else None,
    )


def build_case(
    entry_asset: str,
    credentials: Mapping[str, str],
    *,
    entry: Mapping[str, Any] | None = None,
    edits: Mapping[str, Mapping[str, Any]] | None = None,
    omit: Iterable[str] = (),
    revoked: Iterable[str] = (),
    unverified: Iterable[str] = (),
    untrusted: Iterable[str] = (),
    unlogged: Iterable[str] = (),
    logged_at: Mapping[str, datetime] | None = None,
    extra: Mapping[str, Mapping[str, Any]] | None = None,
    trace: Trace | None = None,
    recordations: tuple[Recordation, ...] = (),
) -> Case:
    """A case from asset files, changed by the overrides (see the module docstring)."""
    edits, logged_at = edits or {}, logged_at or {}
    documents = {key: load(name) for key, name in credentials.items() if key not in set(omit)}
    documents |= {key: dict(document) for key, document in (extra or {}).items()}
    presented = tuple(
        present(
            edit(document, edits.get(key, {})),
            index=index,
            revoked=key in set(revoked),
            verified=key not in set(unverified),
            trusted=key not in set(untrusted),
            logged=key not in set(unlogged),
            logged_at=logged_at.get(key),
        )
        for index, (key, document) in enumerate(documents.items())
    )
    return Case(
        entry=Entry.from_json(edit(load(entry_asset), entry or {})),
        credentials=presented,
        trace=trace or Trace(),
        recordations=recordations,
    )


def rule_ids(findings: Iterable[Any]) -> set[tuple[str, str]]:
    """``(rule id, severity label)`` of each finding."""
    return {(finding.rule_id, finding.severity.label) for finding in findings}


# --- the scenarios ------------------------------------------------------------------------------


def at(text: str) -> datetime:
    """A UTC time from ISO 8601 text."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


USMCA_CREDENTIALS = {
    "certificate": "usmca-conductors-certification.json",
    "invoice": "usmca-conductors-invoice.json",
    "bill_of_lading": "usmca-conductors-bill-of-lading.json",
    "packing_list": "usmca-conductors-packing-list.json",
}
CAFTA_CREDENTIALS = {"certificate": "cafta-tshirts-certification.json"}
STEEL_CREDENTIALS = {
    "mill_test_report": "steel-sheet-mill-test-report.json",
    "licence": "steel-sheet-sima-licence.json",
}
PIPELINE_CREDENTIALS = {
    "certificate": "pipeline-crude-certification.json",
    "ticket_1": "pipeline-crude-delivery-ticket-1.json",
    "ticket_2": "pipeline-crude-delivery-ticket-2.json",
    "manifest": "pipeline-crude-monthly-manifest.json",
}
IPR_CREDENTIALS = {
    "rights": "ipr-stride-rights.json",
    "licence": "ipr-stride-licence-to-apac.json",
    "sublicence": "ipr-stride-sublicence-to-saigon.json",
}
FOOD_CREDENTIALS = {"fsvp": "food-cucumbers-fsvp.json"}

MILL = "did:web:aceros-del-norte.example.mx"
STEEL_TRACE = Trace(
    production=tuple(
        ProductionRecord(
            lot=heat,
            facility="Aceros del Norte melt shop 2, Monterrey",
            producer=MILL,
            country="MX",
            at=at(poured),
            event_id=f"ni:///sha-256;{event}?ver=CBV2.0",
        )
        for heat, poured, event in (
            ("H25-4471", "2025-06-20T04:00:00Z", "7f1e0c2b9a8d"),
            ("H25-4472", "2025-06-20T09:00:00Z", "2b9a8d7f1e0c"),
        )
    )
)

PRODUCER = "did:web:prairie-crude.example.ca"
CARRIER = "did:web:prairie-pipeline.example.ca"
REFINER = "did:web:great-lakes-refining.example.com"
FIELD = "Cold Lake field, well 100.12-04-091-05-W5.00"


def pipeline_trace(*, skip_step: str | None = None, field_country: str = "CA") -> Trace:
    """Both batches produced in ``field_country`` and carried producer -> pipeline -> refiner;
    ``skip_step`` drops one custody event (a gap)."""
    production = tuple(
        ProductionRecord(
            lot=batch,
            facility=FIELD,
            producer=PRODUCER,
            country=field_country,
            at=at(produced),
            quantity=Decimal("50000"),
            unit="BBL",
            event_id=f"urn:uuid:prod-{batch}",
        )
        for batch, produced in (
            ("CDB-2507-01", "2025-07-05T00:00:00Z"),
            ("CDB-2507-02", "2025-07-12T00:00:00Z"),
        )
    )
    steps = (
        ("CDB-2507-01", PRODUCER, CARRIER, "CA", "2025-07-08T06:00:00Z", "evt-0101"),
        ("CDB-2507-01", CARRIER, REFINER, "US", "2025-07-09T02:30:00Z", "evt-0102"),
        ("CDB-2507-02", PRODUCER, CARRIER, "CA", "2025-07-15T06:00:00Z", "evt-0201"),
        ("CDB-2507-02", CARRIER, REFINER, "US", "2025-07-16T01:45:00Z", "evt-0202"),
    )
    custody = tuple(
        CustodyStep(
            lot=lot,
            from_party=giver,
            to_party=taker,
            country=country,
            at=at(when),
            event_id=f"urn:uuid:{event}",
        )
        for lot, giver, taker, country, when, event in steps
        if event != skip_step
    )
    return Trace(production=production, custody=custody)


STRIDE = Recordation(
    number="TMK 24-00123",
    kind=RightKind.TRADEMARK,
    mark="STRIDE",
    owner="Stride Athletics Inc.",
    owner_did="did:web:stride-athletics.example.com",
    valid_until=date(2034, 10, 31),
    goods=("6402", "6403", "6404"),
)

LOT = "AVS-CUC-260205-07"


def food_trace(*, missing: tuple[str, ...] = ()) -> Trace:
    """The cucumber lot packed and shipped; ``missing`` KDEs of the shipping record."""
    return Trace(
        food=(
            FoodRecord(
                lot_code=LOT, cte="initial_packing", at=at("2026-02-05T14:00:00Z"), event_id="f-1"
            ),
            FoodRecord(
                lot_code=LOT,
                cte="shipping",
                at=at("2026-02-09T18:00:00Z"),
                missing_kdes=missing,
                event_id="f-2",
            ),
        )
    )


def usmca_case(**overrides: Any) -> Case:
    """Insulated conductors from Mexico claiming USMCA, by truck at Laredo, 15 Jul 2025."""
    return build_case("usmca-conductors-entry.json", USMCA_CREDENTIALS, **overrides)


def cafta_case(**overrides: Any) -> Case:
    """Knit T-shirts from El Salvador claiming CAFTA-DR, by vessel at Miami, 10 Mar 2026."""
    return build_case("cafta-tshirts-entry.json", CAFTA_CREDENTIALS, **overrides)


def steel_case(**overrides: Any) -> Case:
    """Hot-rolled pickled steel from Mexico, two heats, by truck at Laredo, 15 Jul 2025."""
    overrides.setdefault("trace", STEEL_TRACE)
    return build_case("steel-sheet-entry.json", STEEL_CREDENTIALS, **overrides)


def pipeline_case(**overrides: Any) -> Case:
    """Canadian crude by pipeline at Pembina claiming USMCA, two batches, 20 Jul 2025."""
    overrides.setdefault("trace", pipeline_trace())
    return build_case("pipeline-crude-entry.json", PIPELINE_CREDENTIALS, **overrides)


def ipr_case(**overrides: Any) -> Case:
    """STRIDE sneakers made in Viet Nam under a sub-licence, by vessel at Los Angeles."""
    overrides.setdefault("recordations", (STRIDE,))
    return build_case("ipr-sneakers-entry.json", IPR_CREDENTIALS, **overrides)


def ecommerce_case(**overrides: Any) -> Case:
    """One pair of STRIDE sneakers as an Entry Type 86 by air at JFK, 15 Jun 2025."""
    overrides.setdefault("recordations", (STRIDE,))
    return build_case("ecommerce-sneakers-type86-entry.json", IPR_CREDENTIALS, **overrides)


def food_case(**overrides: Any) -> Case:
    """Fresh cucumbers from Mexico (a Food Traceability List food) at Nogales, 10 Feb 2026."""
    overrides.setdefault("trace", food_trace())
    return build_case("food-cucumbers-entry.json", FOOD_CREDENTIALS, **overrides)

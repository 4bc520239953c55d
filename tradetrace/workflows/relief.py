"""Relief programs as use cases: evaluate, attest, record entries, pay, report, simulate.

The verdicts and amounts come from the pure domain (:mod:`tradetrace.facilitation.relief`);
this module parses loose input once, stores attestations and the deferral ledger, and rebuilds
statements and the program report from what is stored. Recording an entry uses the newest
attestation of its importer of record; without one the entry cannot be evaluated (the hardship
test needs the figures). Only operators record anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from tradetrace.errors import Conflict, FieldProblem, Forbidden, InvalidDocument, NotFound
from tradetrace.facilitation.cases import Actor, Role, parse_entry_number
from tradetrace.facilitation.parsing import parse_amount, parse_enum
from tradetrace.facilitation.relief import (
    Charge,
    Deferral,
    Eligibility,
    EntryRecord,
    ImporterRecord,
    ImporterStatement,
    PaymentMethod,
    ProgramReport,
    ReliefProgram,
    build_report,
    compute_deferral,
    compute_deferrals,
    evaluate_entry,
    generate_population,
    importer_statements,
    load_program,
)
from tradetrace.storage.relief import (
    Attestation,
    DocumentReference,
    LedgerEntry,
    ReliefRepository,
)

__all__ = [
    "DEFAULT_PROGRAM",
    "Simulation",
    "attest",
    "check_report",
    "evaluate",
    "explain_entry",
    "load_demo_population",
    "mark_paid",
    "parse_entry",
    "program_report",
    "record_entry",
    "simulate",
    "statement",
]

DEFAULT_PROGRAM = "us-covid-2020"
"""The program commands and pages use unless told otherwise (19 CFR 24.1a)."""

_IOR = re.compile(r"^[0-9A-Z][0-9A-Z-]{3,19}$")
_PORT = re.compile(r"^\d{4}$")


def _operator(actor: Actor, what: str) -> None:
    if actor.role is not Role.OPERATOR:
        raise Forbidden(f"only operators {what}, not {actor.id}")


def evaluate(
    program_id: str,
    *,
    entry_date: date,
    entry_type: str,
    excluded_duties: Iterable[str] = (),
    receipts_2019: Decimal | int | str,
    receipts_2020: Decimal | int | str,
    suspended: bool,
    payment: str = "single",
) -> Eligibility:
    """Evaluate one entry against a program (the ``relief evaluate`` contract); no storage.

    Raises :class:`~tradetrace.errors.NotFound` for an unknown program and
    :class:`~tradetrace.errors.InvalidDocument` naming every malformed field.
    """
    return evaluate_entry(
        load_program(program_id),
        entry_date=entry_date,
        entry_type=entry_type,
        excluded_duties=list(excluded_duties),
        receipts_2019=receipts_2019,
        receipts_2020=receipts_2020,
        suspended=suspended,
        payment=payment,
    )


def _ior(raw: str, problems: list[FieldProblem]) -> str:
    ior = raw.strip().upper()
    if not _IOR.match(ior):
        problems.append(FieldProblem("ior", f"expected an importer of record number, got {raw!r}"))
    return ior


def attest(
    session: Session,
    *,
    program_id: str,
    ior: str,
    importer_name: str,
    receipts_2019: Decimal | int | str,
    receipts_2020: Decimal | int | str,
    suspended: bool,
    comparison_period: str,
    documents: Sequence[DocumentReference] = (),
    by: Actor,
    now: datetime,
) -> Attestation:
    """Record an importer's hardship attestation (figures and evidence) and commit.

    ``comparison_period`` is one of the program's periods (``April 2020``); the receipts are
    the importer's gross receipts for it in 2019 and 2020. Raises
    :class:`~tradetrace.errors.InvalidDocument` naming every field at fault.
    """
    _operator(by, "record attestations")
    program = load_program(program_id)
    problems: list[FieldProblem] = []
    number = _ior(ior, problems)
    name = importer_name.strip()
    if not 1 <= len(name) <= 200:
        problems.append(FieldProblem("importer_name", "expected 1 to 200 characters"))
    before = parse_amount(receipts_2019, "receipts_2019", problems)
    during = parse_amount(receipts_2020, "receipts_2020", problems)
    if comparison_period not in program.hardship.periods:
        expected = ", ".join(program.hardship.periods)
        reason = f"expected one of {expected}, got {comparison_period!r}"
        problems.append(FieldProblem("comparison_period", reason))
    for index, document in enumerate(documents):
        if not document.title.strip() or not document.reference.strip():
            problems.append(FieldProblem(f"documents[{index}]", "needs a title and a reference"))
    if problems or before is None or during is None:
        raise InvalidDocument.from_problems("attestation", problems)
    importer = ImporterRecord(
        ior=number, name=name, receipts_2019=before, receipts_2020=during, suspended=suspended
    )
    [stored] = ReliefRepository(session).add_attestations(
        program.id,
        [importer],
        comparison_period=comparison_period,
        documents=documents,
        by=by.id,
        now=now,
    )
    session.commit()
    return stored


def _charges(
    raw: Mapping[str, Any], field: str, problems: list[FieldProblem]
) -> dict[Charge, Decimal]:
    amounts: dict[Charge, Decimal] = {}
    for key, value in raw.items():
        charge = parse_enum(Charge, key, f"{field}.{key}", problems)
        amount = parse_amount(value, f"{field}.{key}", problems)
        if charge is not None and amount is not None:
            amounts[charge] = amount
    return amounts


def parse_entry(
    *,
    entry_number: str,
    ior: str,
    port: str,
    entry_date: date,
    entry_type: str,
    payment: str,
    charges: Mapping[str, Any],
    paid: Mapping[str, Any] | None = None,
) -> EntryRecord:
    """An entry summary for the ledger, from loose input.

    ``charges`` and ``paid`` map charge codes (``duty``, ``tax``, ``mpf``, ``hmf``,
    ``other_fee``, ``ad``, ``cvd``, ``201``, ``232``, ``301``) to dollar amounts, as the duty
    computation (``tradetrace duty compute``) or the entry summary gives them. Raises
    :class:`~tradetrace.errors.InvalidDocument` naming every field at fault.
    """
    problems: list[FieldProblem] = []
    number = entry_number
    try:
        number = parse_entry_number(entry_number)
    except InvalidDocument as exc:
        problems.extend(exc.problems)
    importer = _ior(ior, problems)
    if not _PORT.match(port.strip()):
        problems.append(FieldProblem("port", f"expected a 4-digit CBP port code, got {port!r}"))
    method = parse_enum(PaymentMethod, payment, "payment", problems)
    amounts = _charges(charges, "charges", problems)
    deposits = _charges(paid or {}, "paid", problems)
    if not amounts:
        problems.append(FieldProblem("charges", "an entry lists at least one charge"))
    if problems or method is None:
        raise InvalidDocument.from_problems("entry", problems)
    return EntryRecord(
        entry_number=number,
        ior=importer,
        port=port.strip(),
        entry_date=entry_date,
        entry_type=entry_type.strip(),
        payment=method,
        charges=amounts,
        paid=deposits,
    )


def record_entry(
    session: Session, program_id: str, entry: EntryRecord, *, by: Actor, now: datetime
) -> Deferral:
    """Evaluate an entry on its importer's newest attestation, add it to the ledger, commit.

    Raises :class:`~tradetrace.errors.NotFound` when the importer has no attestation and
    :class:`~tradetrace.errors.Conflict` when the entry is already in the ledger.
    """
    _operator(by, "record entries")
    program = load_program(program_id)
    repository = ReliefRepository(session)
    attestation = repository.latest_attestations(program.id, [entry.ior]).get(entry.ior)
    if attestation is None:
        raise NotFound(f"importer of record {entry.ior} has no attestation under {program.id}")
    deferral = compute_deferral(program, entry, attestation.importer)
    try:
        repository.get(program.id, entry.entry_number)
    except NotFound:
        pass
    else:
        raise Conflict(f"entry {entry.entry_number} is already in the {program.id} ledger")
    repository.add_deferrals(
        program.id, [(deferral, attestation.id)], source="api", by=by.id, now=now
    )
    session.commit()
    return deferral


def explain_entry(
    session: Session, program_id: str, entry_number: str
) -> tuple[LedgerEntry, Deferral]:
    """A ledger entry and its deferral recomputed in full (every reason with its citation)."""
    repository = ReliefRepository(session)
    stored = repository.get(program_id, parse_entry_number(entry_number))
    attestation = repository.attestation(stored.attestation_id)
    full = compute_deferral(load_program(program_id), stored.deferral.entry, attestation.importer)
    return stored, full


def mark_paid(
    session: Session, program_id: str, entry_number: str, *, paid_date: date, by: Actor
) -> LedgerEntry:
    """Record the payment of an entry's postponed dollars and commit."""
    _operator(by, "record payments")
    stored = ReliefRepository(session).mark_paid(
        program_id, parse_entry_number(entry_number), paid_date=paid_date
    )
    session.commit()
    return stored


def statement(session: Session, program_id: str, ior: str) -> ImporterStatement:
    """An importer's statement: each postponed entry, its new due date and amount."""
    entries = ReliefRepository(session).entries(program_id, ior=ior.strip().upper())
    found = importer_statements(entry.deferral for entry in entries)
    return found[0] if found else ImporterStatement(ior.strip().upper(), ())


def program_report(session: Session, program_id: str) -> ProgramReport:
    """The program's report (importers, entries and dollars, by month and port) from the ledger."""
    program = load_program(program_id)
    entries = ReliefRepository(session).entries(program.id)
    return build_report(program.id, (entry.deferral for entry in entries))


def check_report(report: ProgramReport, statements: Sequence[ImporterStatement]) -> list[str]:
    """The ways ``report`` disagrees with itself or with ``statements`` (empty when consistent)."""
    problems = []
    for name, groups in (("month", report.by_month), ("port", report.by_port)):
        dollars = sum((group.deferred for group in groups.values()), Decimal("0.00"))
        if dollars != report.total_deferred:
            problems.append(f"by {name}: {dollars} deferred, total {report.total_deferred}")
        entries = sum(group.entries for group in groups.values())
        if entries != report.entries_deferred:
            problems.append(f"by {name}: {entries} entries, total {report.entries_deferred}")
        if any(group.importers > report.importers_deferring for group in groups.values()):
            problems.append(f"by {name}: a group has more importers than the program")
    owed = sum((item.total for item in statements), Decimal("0.00"))
    if owed != report.total_deferred:
        problems.append(f"statements: {owed} owed, total {report.total_deferred}")
    if len(statements) != report.importers_deferring:
        problems.append(
            f"statements: {len(statements)} importers, total {report.importers_deferring}"
        )
    return problems


@dataclass(frozen=True, slots=True)
class Simulation:
    """A generated population run through a program: the report from the ledger, and whether
    it matches the report computed in memory and the importers' statements."""

    importers: int
    entries: int
    report: ProgramReport
    problems: tuple[str, ...]


def _load_population(
    session: Session,
    program: ReliefProgram,
    *,
    seed: int,
    importers: int,
    entries: int,
    source: str,
    by: str,
    now: datetime,
) -> ProgramReport:
    population = generate_population(seed, importers=importers, entries=entries)
    repository = ReliefRepository(session)
    stored = repository.add_attestations(
        program.id,
        population.importers,
        comparison_period=program.hardship.periods[-1],
        documents=[DocumentReference("synthetic population", f"seed {seed}")],
        by=by,
        now=now,
    )
    ids = {attestation.importer.ior: attestation.id for attestation in stored}
    deferrals = compute_deferrals(program, population.importers, population.entries)
    pairs = [(deferral, ids[deferral.entry.ior]) for deferral in deferrals]
    repository.add_deferrals(program.id, pairs, source=source, by=by, now=now)
    session.commit()
    return build_report(program.id, deferrals)


def simulate(
    session: Session,
    *,
    program_id: str,
    seed: int,
    importers: int,
    entries: int,
    by: Actor,
    now: datetime,
) -> Simulation:
    """Generate a population, record it in an empty ledger, and check the stored report.

    Raises :class:`~tradetrace.errors.Conflict` when the program's ledger already has entries.
    """
    _operator(by, "load simulated populations")
    program = load_program(program_id)
    held = ReliefRepository(session).count(program.id)
    if held:
        raise Conflict(f"the {program.id} ledger already holds {held} entries: use an empty one")
    computed = _load_population(
        session,
        program,
        seed=seed,
        importers=importers,
        entries=entries,
        source=f"simulation seed {seed}",
        by=by.id,
        now=now,
    )
    report = program_report(session, program.id)
    stored = ReliefRepository(session).entries(program.id)
    problems = check_report(report, importer_statements(entry.deferral for entry in stored))
    if report != computed:
        problems.append("the report from the ledger differs from the report computed in memory")
    return Simulation(importers, entries, report, tuple(problems))


def load_demo_population(session: Session, *, now: datetime) -> int:
    """Load a small generated population into an empty ``us-covid-2020`` ledger; idempotent.

    Returns the number of entries added (0 when the ledger already has some).
    """
    program = load_program(DEFAULT_PROGRAM)
    if ReliefRepository(session).count(program.id):
        return 0
    report = _load_population(
        session,
        program,
        seed=2020,
        importers=60,
        entries=400,
        source="demo",
        by="demo",
        now=now,
    )
    return report.entries_evaluated

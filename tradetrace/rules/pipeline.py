"""Pipeline crude oil and natural gas: quantities reconcile, custody reaches a producing field.

Oil and gas crossing by pipeline is traded in transit, so its origin is hard to trace from
wellhead to refinery (customs.md §7, the SVIP pipeline projects). The evidence is the carrier's
``OilAndGasDeliveryTicketCredential`` per batch (metered volumes as ``observation`` entries such as
``nsv_bbl``, net standard volume, or ``gsv_bbl``), the ``MonthlyAdvanceManifestCredential`` of
scheduled deliveries per port, and the trace: the production record of each batch (its producing
field or well) and the custody steps that carried it to the importer. Pipeline lines are lines of
headings 2709-2711 entered by fixed transport installation (mode of transport 70). The rules:

- ``pipeline.delivery_tickets`` (exam): every batch has tickets, and their metered volume is
  within 0.5% of the declared quantity;
- ``pipeline.monthly_manifest`` (warning if none, exam if off): the scheduled deliveries for the
  port of entry are within 5% of the quantity entered;
- ``pipeline.custody_chain`` (deny): each batch's custody runs without a gap from its producer to
  the importer or consignee;
- ``pipeline.producing_field_country`` (deny): each batch was produced in the declared country
  of origin.

The tolerances are tradetrace policy (⚠ not from a regulation): a metering tolerance for tickets,
a wider one for an advance schedule. A custody or origin failure denies any origin-based claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from tradetrace.entries import EntryLine
from tradetrace.entries import vocabulary as vocab
from tradetrace.rules.base import CheckRule, Family, Outcome, Severity, rule
from tradetrace.rules.case import Case, PresentedCredential
from tradetrace.rules.matching import ledger_references, same_name, within_tolerance

__all__ = [
    "MANIFEST_TOLERANCE",
    "RULES",
    "TICKET_TOLERANCE",
    "metered_volume",
    "pipeline_lines",
]

TICKET_TOLERANCE = Decimal("0.005")
"""Delivery tickets must meter within 0.5% of the declared quantity."""
MANIFEST_TOLERANCE = Decimal("0.05")
"""The monthly advance manifest must schedule within 5% of the quantity entered."""

_TICKET = "OilAndGasDeliveryTicketCredential"
_MANIFEST = "MonthlyAdvanceManifestCredential"
_SVIP = "customs.md §7 (SVIP pipeline oil and natural gas); W3C CCG Traceability Vocabulary"
_ORIGIN = "HTSUS General Note 11; USMCA Art. 4.2; customs.md §7 (wellhead to refinery)"


def pipeline_lines(case: Case) -> Iterator[tuple[int, EntryLine]]:
    """The lines of oil or gas (headings 2709-2711) entered by pipeline (mode 70)."""
    mode = case.entry.mode_of_transport
    if mode is None or not mode.pipeline:
        return
    for number, line in case.lines():
        if "2709" <= line.hts10[:4] <= "2711":
            yield number, line


def _unit(line: EntryLine) -> tuple[str, Decimal] | None:
    """The declared quantity in barrels or, failing that, cubic metres."""
    for unit in ("BBL", "M3"):
        amount = line.quantity(unit)
        if amount is not None:
            return unit, amount
    return None


def metered_volume(ticket: PresentedCredential, unit: str) -> Decimal | None:
    """A ticket's net standard volume in ``unit`` (gross when no net volume is given)."""
    observations = ticket.subject.get("observation")
    volumes: dict[str, Decimal] = {}
    for item in observations if isinstance(observations, list) else []:
        name = (vocab.text(vocab.field(item, "property", "name")) or "").casefold()
        measured = vocab.mapping(vocab.mapping(item).get("measurement"))
        amount = vocab.amount(measured.get("value"))
        if amount is not None and vocab.hts_unit(measured.get("unitCode")) == unit:
            volumes.setdefault(name[:3], amount)
    return volumes.get("nsv", volumes.get("gsv"))


def _tickets(case: Case, batch: str) -> tuple[PresentedCredential, ...]:
    return tuple(
        t for t in case.of_type(_TICKET) if vocab.text(t.subject.get("batchNumber")) == batch
    )


@rule(
    "pipeline.delivery_tickets",
    family=Family.PIPELINE,
    source=f"{_SVIP}; 19 CFR Part 151 subpart C ⚠",
)
def _delivery_tickets(case: Case) -> Iterator[Outcome]:
    """Each batch must have delivery tickets whose metered volume matches the declaration."""
    for number, line in pipeline_lines(case):
        declared = _unit(line)
        tickets = [t for batch in line.batch_numbers for t in _tickets(case, batch)]
        missing = [batch for batch in line.batch_numbers if not _tickets(case, batch)]
        if not line.batch_numbers or missing or declared is None:
            what = ", ".join(missing) if missing else "the line (no batches or no BBL or M3)"
            message = f"line {number}: no delivery ticket reconciles {what}"
            yield Outcome(severity=Severity.EXAM, message=message, line=number)
            continue
        unit, amount = declared
        volumes = [metered_volume(ticket, unit) for ticket in tickets]
        metered = sum((v for v in volumes if v is not None), Decimal(0))
        if None in volumes or not within_tolerance(amount, metered, TICKET_TOLERANCE):
            message = (
                f"line {number}: delivery tickets meter {metered} {unit}, declared {amount} "
                f"{unit} (tolerance {TICKET_TOLERANCE * 100}%)"
            )
            yield Outcome(
                severity=Severity.EXAM,
                message=message,
                line=number,
                credential_ids=tuple(t.id for t in tickets),
                ledger_references=ledger_references(tickets),
            )


def _scheduled(manifest: PresentedCredential, port: str, unit: str) -> Decimal:
    deliveries = manifest.subject.get("scheduledDeliveries")
    total = Decimal(0)
    for item in deliveries if isinstance(deliveries, list) else []:
        ports = {vocab.text(vocab.field(item, "portOfArrival", "usPortCode"))}
        ports.add(vocab.text(vocab.mapping(item).get("portCode")))
        sums = vocab.mapping(item).get("sumOfScheduledDeliveries")
        for quantity in sums if port in ports and isinstance(sums, list) else []:
            if vocab.hts_unit(vocab.mapping(quantity).get("unitCode")) == unit:
                total += vocab.amount(vocab.mapping(quantity).get("value")) or Decimal(0)
    return total


@rule("pipeline.monthly_manifest", family=Family.PIPELINE, source=_SVIP)
def _monthly_manifest(case: Case) -> Iterator[Outcome]:
    """The monthly advance manifest must schedule what the entry declares for the port."""
    declared = [found for _, line in pipeline_lines(case) if (found := _unit(line)) is not None]
    if not declared:
        return
    unit = declared[0][0]
    total = sum((amount for u, amount in declared if u == unit), Decimal(0))
    manifests = case.of_type(_MANIFEST)
    if not manifests:
        message = f"no monthly advance manifest was presented for the {total} {unit} entered"
        yield Outcome(severity=Severity.WARNING, message=message)
        return
    scheduled = sum((_scheduled(m, case.entry.port_of_entry, unit) for m in manifests), Decimal(0))
    if not within_tolerance(total, scheduled, MANIFEST_TOLERANCE):
        message = (
            f"the monthly manifests schedule {scheduled} {unit} through port "
            f"{case.entry.port_of_entry}, the entry declares {total} {unit}"
        )
        yield Outcome(
            severity=Severity.EXAM,
            message=message,
            credential_ids=tuple(m.id for m in manifests),
            ledger_references=ledger_references(manifests),
        )


def _same_party(first: str, second: str) -> bool:
    return first == second or same_name(first, second)


def _receivers(case: Case) -> list[str]:
    parties = (case.entry.importer, case.entry.consignee)
    return [value for p in parties if p is not None for value in (p.did, p.name) if value]


def _custody_gap(case: Case, batch: str) -> str | None:
    """Why ``batch``'s custody does not run from its producer to the importer, or ``None``."""
    records = case.trace.production_of(batch)
    if not records:
        return f"batch {batch} has no production record (no producing field)"
    holder = records[0].producer
    for step in case.trace.custody_of(batch):
        if not _same_party(step.from_party, holder):
            return (
                f"custody gap in batch {batch}: {holder} held it, "
                f"but {step.from_party} handed it on"
            )
        holder = step.to_party
    if not any(_same_party(holder, receiver) for receiver in _receivers(case)):
        return f"custody of batch {batch} ends with {holder}, not the importer or consignee"
    return None


def _events(case: Case, batches: Iterable[str]) -> tuple[str, ...]:
    steps = [s.event_id for b in batches for s in case.trace.custody_of(b)]
    records = [r.event_id for b in batches for r in case.trace.production_of(b)]
    return tuple(event for event in records + steps if event)


@rule("pipeline.custody_chain", family=Family.PIPELINE, source=_ORIGIN)
def _custody_chain(case: Case) -> Iterator[Outcome]:
    """Each batch's custody must run without a gap from its producer to the importer."""
    for number, line in pipeline_lines(case):
        for batch in line.batch_numbers:
            gap = _custody_gap(case, batch)
            if gap is not None:
                yield Outcome(
                    severity=Severity.DENY,
                    message=f"line {number}: origin not established: {gap}",
                    line=number,
                    event_ids=_events(case, [batch]),
                )


@rule("pipeline.producing_field_country", family=Family.PIPELINE, source=_ORIGIN)
def _producing_field_country(case: Case) -> Iterator[Outcome]:
    """Each batch must have been produced in the declared country of origin."""
    for number, line in pipeline_lines(case):
        for batch in line.batch_numbers:
            for record in case.trace.production_of(batch):
                if record.country != line.origin_country:
                    message = (
                        f"line {number}: batch {batch} was produced at {record.facility} in "
                        f"{record.country}, not the declared {line.origin_country}"
                    )
                    yield Outcome(
                        severity=Severity.DENY,
                        message=message,
                        line=number,
                        event_ids=(record.event_id,) if record.event_id else (),
                    )


RULES: tuple[CheckRule, ...] = (
    _delivery_tickets,
    _monthly_manifest,
    _custody_chain,
    _producing_field_country,
)
"""The pipeline rules, in the order they run."""

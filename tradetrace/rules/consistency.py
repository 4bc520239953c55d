"""The documents agree with the entry, and every credential was on the ledger before filing.

The commercial invoice (19 CFR 141.81-141.86), packing list (141.86(e)) and bill of lading
(141.11) presented as credentials must tell the entry's story: the same parties, the same value
and the same quantities, within a tolerance (1% for value, 2% for weight: tradetrace policy ⚠).
Documents are compared only where they were presented and name the entry (an invoice number the
entry lists, the entry's bill of lading number). The rules:

- ``consistency.invoice_value`` (exam): the invoices' goods total the entered value;
- ``consistency.parties`` (warning): the seller and buyer of the invoices and packing lists are
  the entry's;
- ``consistency.invoice_quantities`` (exam): the invoices' net weight and item count are what the
  entry declares (``KG`` within 2%, ``NO`` exactly);
- ``consistency.transport_documents`` (warning for a different consignee or number, exam for a
  weight that differs): bills of lading and packing lists agree with the entry;
- ``consistency.documents_verified`` (exam): those documents verify and are not revoked;
- ``consistency.ledger_before_filing`` (warning if never logged, exam if logged after filing):
  each credential was logged on the transparency log before the entry was filed, so it cannot
  have been made up after the fact (MISSION.md capability 3).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from tradetrace.entries import vocabulary as vocab
from tradetrace.rules.base import CheckRule, Family, Outcome, Severity, rule
from tradetrace.rules.case import Case, PresentedCredential
from tradetrace.rules.matching import ledger_references, same_name, within_tolerance

__all__ = [
    "BILL_OF_LADING_TYPES",
    "RULES",
    "TRADE_DOCUMENT_TYPES",
    "VALUE_TOLERANCE",
    "WEIGHT_TOLERANCE",
    "entry_invoices",
]

VALUE_TOLERANCE = Decimal("0.01")
"""Invoice and entered value may differ by 1%."""
WEIGHT_TOLERANCE = Decimal("0.02")
"""Document and declared net weight may differ by 2%."""
BILL_OF_LADING_TYPES = (
    "BillOfLadingCredential",
    "HouseBillOfLadingCredential",
    "MasterBillOfLadingCredential",
    "MultiModalBillOfLadingCredential",
)
"""The vocabulary's bill of lading credential types."""

_INVOICE = "CommercialInvoiceCredential"
_PACKING_LIST = "PackingListCredential"
TRADE_DOCUMENT_TYPES = (
    _INVOICE,
    _PACKING_LIST,
    *BILL_OF_LADING_TYPES,
    "OilAndGasDeliveryTicketCredential",
    "MonthlyAdvanceManifestCredential",
)
"""Documents whose failed verification calls for an examination."""
_INVOICE_RULE = "19 U.S.C. 1484; 19 CFR 141.81-141.86 (commercial invoice)"


def entry_invoices(case: Case) -> tuple[PresentedCredential, ...]:
    """The commercial invoices for the entry: those whose number the entry lists (all presented
    invoices when the entry lists none)."""
    invoices = case.of_type(_INVOICE)
    numbers = case.entry.invoice_numbers
    if not numbers:
        return invoices
    return tuple(i for i in invoices if vocab.text(i.subject.get("invoiceNumber")) in numbers)


def _invoice_total(invoice: PresentedCredential) -> tuple[Decimal | None, str | None]:
    """The invoice's goods total and its currency (line totals, or the subtotal)."""
    items = invoice.subject.get("itemsShipped")
    listed = items if isinstance(items, list) else []
    prices = [vocab.mapping(vocab.mapping(item).get("lineItemTotalPrice")) for item in listed]
    subtotal = vocab.mapping(invoice.subject.get("invoiceSubtotal"))
    sources = [p for p in prices if p] or ([subtotal] if subtotal else [])
    amounts = [vocab.amount(p.get("price")) for p in sources]
    currencies = {vocab.text(p.get("priceCurrency")) for p in sources}
    if not sources or None in amounts or len(currencies) != 1:
        return None, None
    return sum((a for a in amounts if a is not None), Decimal(0)), currencies.pop()


@rule(
    "consistency.invoice_value",
    family=Family.CONSISTENCY,
    source=f"{_INVOICE_RULE}; 19 CFR 152.103",
)
def _invoice_value(case: Case) -> Iterator[Outcome]:
    """The invoices' goods must total the entered value, within 1%."""
    invoices = entry_invoices(case)
    if not invoices:
        return
    totals = [_invoice_total(invoice) for invoice in invoices]
    ids = tuple(invoice.id for invoice in invoices)
    if any(total is None or currency != "USD" for total, currency in totals):
        message = "the invoice value cannot be compared: no goods total in USD"
        yield Outcome(severity=Severity.WARNING, message=message, credential_ids=ids)
        return
    invoiced = sum((total for total, _ in totals if total is not None), Decimal(0))
    if not within_tolerance(case.entry.value, invoiced, VALUE_TOLERANCE):
        message = (
            f"inconsistent invoice value: the invoices total {invoiced} USD, the entry "
            f"declares {case.entry.value} USD"
        )
        yield Outcome(
            severity=Severity.EXAM,
            message=message,
            credential_ids=ids,
            ledger_references=ledger_references(invoices),
        )


@rule("consistency.parties", family=Family.CONSISTENCY, source=f"{_INVOICE_RULE}, 141.86(e)")
def _parties(case: Case) -> Iterator[Outcome]:
    """The seller and buyer of the invoices and packing lists must be the entry's."""
    for invoice in (*entry_invoices(case), *case.of_type(_PACKING_LIST)):
        for role, party in (("seller", case.entry.seller), ("buyer", case.entry.buyer)):
            named = vocab.party_name(invoice.subject.get(role))
            if party is not None and named is not None and not same_name(named, party.name):
                message = (
                    f"invoice {invoice.id} names the {role} {named!r}, the entry {party.name!r}"
                )
                yield Outcome(
                    severity=Severity.WARNING, message=message, credential_ids=(invoice.id,)
                )


def _invoice_amounts(invoices: tuple[PresentedCredential, ...]) -> dict[str, Decimal | None]:
    """The invoices' net weight in KG and item count in NO (``None`` when an item lacks one)."""
    totals: dict[str, Decimal | None] = {"KG": Decimal(0), "NO": Decimal(0)}
    for invoice in invoices:
        items = invoice.subject.get("itemsShipped")
        for item in items if isinstance(items, list) else []:
            found = {
                "KG": _kilograms(vocab.mapping(item).get("netWeight")),
                "NO": vocab.amount(vocab.mapping(item).get("itemCount")),
            }
            for unit, amount in found.items():
                total = totals[unit]
                totals[unit] = None if total is None or amount is None else total + amount
    return totals


@rule("consistency.invoice_quantities", family=Family.CONSISTENCY, source=_INVOICE_RULE)
def _invoice_quantities(case: Case) -> Iterator[Outcome]:
    """The invoices' net weight and item count must be what the entry declares."""
    invoices = entry_invoices(case)
    if not invoices:
        return
    for unit, invoiced in _invoice_amounts(invoices).items():
        declared = [line.quantity(unit) for line in case.entry.lines]
        if invoiced is None or None in declared:
            continue
        total = sum((amount for amount in declared if amount is not None), Decimal(0))
        tolerance = WEIGHT_TOLERANCE if unit == "KG" else Decimal(0)
        if not within_tolerance(total, invoiced, tolerance):
            message = f"the invoices state {invoiced} {unit}, the entry declares {total} {unit}"
            yield Outcome(
                severity=Severity.EXAM,
                message=message,
                credential_ids=tuple(invoice.id for invoice in invoices),
            )


def _kilograms(value: Any) -> Decimal | None:
    item = vocab.mapping(value)
    return vocab.amount(item.get("value")) if vocab.hts_unit(item.get("unitCode")) == "KG" else None


def _declared_kilograms(case: Case) -> Decimal | None:
    amounts = [line.quantity("KG") for line in case.entry.lines]
    return None if None in amounts else sum((a for a in amounts if a is not None), Decimal(0))


def _document_weight(document: PresentedCredential) -> Decimal | None:
    """The net weight in kilograms a bill of lading or packing list states, if it does."""
    subject = document.subject
    total = _kilograms(subject.get("totalNetWeight"))
    particulars = subject.get("particulars")
    if total is None and isinstance(particulars, list) and particulars:
        weights = [_kilograms(vocab.mapping(item).get("netWeight")) for item in particulars]
        total = None if None in weights else sum((w for w in weights if w), Decimal(0))
    return total


@rule(
    "consistency.transport_documents", family=Family.CONSISTENCY, source="19 CFR 141.11, 141.86(e)"
)
def _transport_documents(case: Case) -> Iterator[Outcome]:
    """Bills of lading and packing lists must name the entry's bill and consignee and weigh
    what the entry declares, within 2%."""
    entry = case.entry
    documents = case.of_type(*BILL_OF_LADING_TYPES, _PACKING_LIST)
    declared = _declared_kilograms(case)
    for document in documents:
        number = vocab.text(document.subject.get("billOfLadingNumber"))
        consignee = vocab.party_name(document.subject.get("consignee"))
        ids = (document.id,)
        if (
            number is not None
            and entry.bill_of_lading is not None
            and number != entry.bill_of_lading
        ):
            message = f"{document.id} is for bill {number}, the entry for {entry.bill_of_lading}"
            yield Outcome(severity=Severity.WARNING, message=message, credential_ids=ids)
            continue
        if entry.consignee and consignee and not same_name(consignee, entry.consignee.name):
            message = (
                f"{document.id} names consignee {consignee!r}, the entry {entry.consignee.name!r}"
            )
            yield Outcome(severity=Severity.WARNING, message=message, credential_ids=ids)
        weight = _document_weight(document)
        if weight is None or declared is None:
            continue
        if not within_tolerance(declared, weight, WEIGHT_TOLERANCE):
            message = f"{document.id} states {weight} kg net, the entry declares {declared} kg"
            yield Outcome(severity=Severity.EXAM, message=message, credential_ids=ids)


@rule(
    "consistency.documents_verified",
    family=Family.CONSISTENCY,
    source="VC Data Model 2.0 §7; Bitstring Status List; 19 CFR 141.86",
)
def _documents_verified(case: Case) -> Iterator[Outcome]:
    """Trade documents the entry is checked against (invoices, bills of lading, packing lists,
    delivery tickets, manifests) must verify and not be revoked."""
    for document in case.of_type(*TRADE_DOCUMENT_TYPES):
        if not document.verified:
            message = f"trade document {document.id} did not verify ({document.failure})"
            yield Outcome(
                severity=Severity.EXAM,
                message=message,
                credential_ids=(document.id,),
                ledger_references=ledger_references([document]),
            )


@rule(
    "consistency.ledger_before_filing",
    family=Family.CONSISTENCY,
    source="MISSION.md capability 3; RFC 9162 (transparency log)",
)
def _ledger_before_filing(case: Case) -> Iterator[Outcome]:
    """Every presented credential must have been logged on the ledger before the entry was
    filed."""
    filed = case.filed_at
    for credential in case.credentials:
        record = credential.ledger
        if record is None:
            message = f"credential {credential.id} was never logged on the ledger"
            yield Outcome(
                severity=Severity.WARNING, message=message, credential_ids=(credential.id,)
            )
        elif record.logged_at > filed:
            message = (
                f"credential {credential.id} was logged at {record.logged_at.isoformat()}, "
                f"after the entry was filed at {filed.isoformat()}"
            )
            yield Outcome(
                severity=Severity.EXAM,
                message=message,
                credential_ids=(credential.id,),
                ledger_references=(record.reference,),
            )


RULES: tuple[CheckRule, ...] = (
    _invoice_value,
    _parties,
    _invoice_quantities,
    _transport_documents,
    _documents_verified,
    _ledger_before_filing,
)
"""The consistency rules, in the order they run."""

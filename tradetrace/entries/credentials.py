"""Entries expressed as W3C CCG Traceability Vocabulary credentials (standards.md §3).

Two vocabulary credential types carry an entry:

- ``CBPEntryType86Credential`` (credentialSubject ``CBPEntryType86``): the ten Type 86 data
  elements of customs.md §7.1 for one shipment: ``bolNumber``, ``entryNumber``, ``portOfEntry``,
  ``shipper``, ``consignee``, ``countryOfOrigin``, ``quantity``, ``fairRetailValue``,
  ``htsusNumber``, ``importerOfRecord``. It becomes a one-line Type 86 :class:`Entry`.
- ``CBP7501EntrySummaryCredential`` (credentialSubject ``CBPEntrySummary``): the entry summary,
  one ``descriptionOfMerchandise`` item per line. Its lines carry no country of their own, so the
  summary's ``countryOfOrigin`` is each line's (``MULTI`` cannot be mapped).

The entry date is the ``entryDate`` of the summary, or for Type 86 the date of ``validFrom``; the
credential's ``validFrom`` is also taken as the filing time. Problems are reported by the
credential's own paths (``credentialSubject.entryNumber: check digit should be 4 ...``). Neither
function checks the credential's proof: verify it first.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tradetrace.entries import vocabulary as vocab
from tradetrace.entries.model import Entry
from tradetrace.errors import FieldProblem, InvalidDocument

__all__ = [
    "entry_from_entry_summary_credential",
    "entry_from_type86_credential",
]

_SUBJECT = "credentialSubject"
# Vocabulary transportMode words -> CBP mode of transportation codes (7501 block 9).
_MODES = {
    "ocean": "11",
    "vessel": "11",
    "sea": "11",
    "air": "40",
    "truck": "30",
    "road": "30",
    "rail": "20",
    "mail": "50",
    "pipeline": "70",
}


def _valid_from(credential: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """``(date, date-time)`` of the credential's ``validFrom`` (or VC 1.1 ``issuanceDate``)."""
    raw = vocab.text(credential.get("validFrom")) or vocab.text(credential.get("issuanceDate"))
    if raw is None:
        return None, None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return raw[:10], None
    return moment.date().isoformat(), moment.isoformat() if moment.tzinfo else None


def _price(value: Any, where: str, problems: list[FieldProblem]) -> Any:
    """The USD amount of a ``PriceSpecification`` or ``MonetaryAmount``."""
    item = vocab.mapping(value)
    currency = vocab.text(item.get("priceCurrency")) or vocab.text(item.get("currency"))
    if currency is not None and currency.upper() != "USD":
        problems.append(FieldProblem(where, f"expected an amount in USD, got {currency}"))
    raw = item.get("price", item.get("value"))
    return str(raw) if raw is not None else None


def _quantity(value: Any) -> list[dict[str, Any]]:
    item = vocab.mapping(value)
    amount = item.get("value")
    if amount is None:
        return []
    return [{"amount": str(amount), "unit": vocab.hts_unit(item.get("unitCode")) or "NO"}]


def _drop_none(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if value is not None}


def _subject(credential: Mapping[str, Any], kind: str) -> Mapping[str, Any]:
    types = credential.get("type")
    names = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    if kind not in names:
        raise InvalidDocument.from_problems(
            "credential", [FieldProblem("type", f"expected a {kind}")]
        )
    subject = credential.get(_SUBJECT)
    if not isinstance(subject, Mapping):
        raise InvalidDocument.from_problems(
            "credential", [FieldProblem(_SUBJECT, "expected a JSON object")]
        )
    return subject


def _parse(
    data: dict[str, Any], where: Mapping[str, str], problems: list[FieldProblem], what: str
) -> Entry:
    """Parse ``data`` as an entry, reporting its problems by the credential's paths."""
    try:
        entry = Entry.from_json(data)
    except InvalidDocument as exc:
        problems = problems + [_relocate(problem, where) for problem in exc.problems]
        raise InvalidDocument.from_problems(what, problems) from exc
    if problems:
        raise InvalidDocument.from_problems(what, problems)
    return entry


def _relocate(problem: FieldProblem, where: Mapping[str, str]) -> FieldProblem:
    """Name the credential field an entry field came from (the longest known prefix)."""
    for prefix in sorted(where, key=len, reverse=True):
        if problem.field == prefix or problem.field.startswith((f"{prefix}.", f"{prefix}[")):
            return FieldProblem(where[prefix] + problem.field[len(prefix) :], problem.reason)
    return problem


def entry_from_type86_credential(credential: Mapping[str, Any]) -> Entry:
    """Map a ``CBPEntryType86Credential`` to a one-line Type 86 entry (customs.md §7.1).

    Raises :class:`InvalidDocument` naming every credential field at fault.
    """
    subject = _subject(credential, "CBPEntryType86Credential")
    problems: list[FieldProblem] = []
    entry_date, filed_at = _valid_from(credential)
    s = f"{_SUBJECT}."
    line = _drop_none(
        {
            "hts10": vocab.text(vocab.field(subject, "htsusNumber", "commodityCode")),
            "description": vocab.text(vocab.field(subject, "htsusNumber", "description")),
            "origin_country": subject.get("countryOfOrigin"),
            "value": _price(subject.get("fairRetailValue"), f"{s}fairRetailValue", problems),
            "quantities": _quantity(subject.get("quantity")),
        }
    )
    data = _drop_none(
        {
            "entry_number": subject.get("entryNumber"),
            "entry_type": "86",
            "importer_of_record_number": vocab.field(subject, "importerOfRecord", "number"),
            "port_of_entry": vocab.field(subject, "portOfEntry", "usPortCode"),
            "entry_date": entry_date,
            "filed_at": filed_at,
            "bill_of_lading": subject.get("bolNumber"),
            "shipper": vocab.party_json(subject.get("shipper")),
            "consignee": vocab.party_json(subject.get("consignee")),
            "lines": [line],
        }
    )
    where = {
        "entry_number": f"{s}entryNumber",
        "importer_of_record_number": f"{s}importerOfRecord.number",
        "port_of_entry": f"{s}portOfEntry.usPortCode",
        "entry_date": "validFrom",
        "filed_at": "validFrom",
        "bill_of_lading": f"{s}bolNumber",
        "shipper": f"{s}shipper",
        "consignee": f"{s}consignee",
        "lines[0].hts10": f"{s}htsusNumber.commodityCode",
        "lines[0].description": f"{s}htsusNumber.description",
        "lines[0].origin_country": f"{s}countryOfOrigin",
        "lines[0].value": f"{s}fairRetailValue",
        "lines[0].quantities": f"{s}quantity",
    }
    return _parse(data, where, problems, "CBPEntryType86Credential")


def entry_from_entry_summary_credential(credential: Mapping[str, Any]) -> Entry:
    """Map a ``CBP7501EntrySummaryCredential`` to an entry (CBP Form 7501).

    Raises :class:`InvalidDocument` naming every credential field at fault.
    """
    subject = _subject(credential, "CBP7501EntrySummaryCredential")
    problems: list[FieldProblem] = []
    s = f"{_SUBJECT}."
    _, filed_at = _valid_from(credential)
    origin = vocab.text(subject.get("countryOfOrigin"))
    if origin is not None and origin.upper() == "MULTI":
        reason = "MULTI cannot be mapped: the vocabulary's lines carry no country of origin"
        problems.append(FieldProblem(f"{s}countryOfOrigin", reason))
    items = subject.get("descriptionOfMerchandise")
    where = {
        "entry_number": f"{s}entryNumber",
        "entry_type": f"{s}entryType",
        "importer_of_record_number": f"{s}importerNumber.number",
        "importer": f"{s}importerOfRecord",
        "port_of_entry": f"{s}portCode.usPortCode",
        "port_of_unlading": f"{s}portOfUnlading.usPortCode",
        "entry_date": f"{s}entryDate",
        "import_date": f"{s}importDate",
        "filed_at": "validFrom",
        "mode_of_transport": f"{s}transportMode",
        "bill_of_lading": f"{s}billOfLadingNumber",
        "consignee": f"{s}ultimateConsignee",
        "lines": f"{s}descriptionOfMerchandise",
    }
    lines: list[dict[str, Any]] = []
    for index, raw in enumerate(items if isinstance(items, list) else []):
        item = vocab.mapping(raw)
        at = f"{s}descriptionOfMerchandise[{index}]"
        lines.append(
            _drop_none(
                {
                    "hts10": vocab.text(vocab.field(item, "commodity", "commodityCode")),
                    "description": vocab.text(vocab.field(item, "commodity", "description")),
                    "origin_country": origin,
                    "export_country": vocab.text(subject.get("exportingCountry")),
                    "value": _price(item.get("enteredValue"), f"{at}.enteredValue", problems),
                    "quantities": _quantity(item.get("netQuantity")),
                    "mid": vocab.text(subject.get("manufacturerId")),
                    "adcvd_case_number": vocab.text(item.get("adCvdNumber")),
                }
            )
        )
        where |= {
            f"lines[{index}].hts10": f"{at}.commodity.commodityCode",
            f"lines[{index}].origin_country": f"{s}countryOfOrigin",
            f"lines[{index}].export_country": f"{s}exportingCountry",
            f"lines[{index}].value": f"{at}.enteredValue",
            f"lines[{index}].quantities": f"{at}.netQuantity",
            f"lines[{index}].mid": f"{s}manufacturerId",
            f"lines[{index}].adcvd_case_number": f"{at}.adCvdNumber",
        }
    mode = vocab.text(subject.get("transportMode"))
    data = _drop_none(
        {
            "entry_number": subject.get("entryNumber"),
            "entry_type": subject.get("entryType"),
            "importer_of_record_number": vocab.field(subject, "importerNumber", "number"),
            "importer": vocab.party_json(subject.get("importerOfRecord")),
            "port_of_entry": vocab.field(subject, "portCode", "usPortCode"),
            "port_of_unlading": vocab.field(subject, "portOfUnlading", "usPortCode"),
            "entry_date": (vocab.text(subject.get("entryDate")) or "")[:10] or None,
            "import_date": (vocab.text(subject.get("importDate")) or "")[:10] or None,
            "filed_at": filed_at,
            "mode_of_transport": _MODES.get(mode.casefold(), mode) if mode else None,
            "bill_of_lading": subject.get("billOfLadingNumber"),
            "consignee": vocab.party_json(subject.get("ultimateConsignee")),
            "lines": lines,
        }
    )
    return _parse(data, where, problems, "CBP7501EntrySummaryCredential")

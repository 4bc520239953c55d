"""Reading the W3C CCG Traceability Vocabulary's common classes out of credential JSON.

The vocabulary (standards.md §3) writes parties as ``Organization`` (``name`` or ``legalName``,
``id``, ``location.address``), addresses as ``PostalAddress`` whose ``addressCountry`` is an
ISO 3166-1 code or, in several of its own examples, a country name ("Mexico", "United States"),
amounts as ``PriceSpecification`` (``price``, ``priceCurrency``) or ``MonetaryAmount``
(``value``, ``currency``), quantities as ``QuantitativeValue``/``MeasuredValue`` (``value``,
``unitCode``, UN/ECE Recommendation 20 or free text), and commodities as ``Commodity``
(``commodityCode``, ``commodityCodeType``). These readers never raise: a value that is missing or
of the wrong shape reads as ``None``, and the caller decides whether that is a problem.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from tradetrace.tariff import codes

__all__ = [
    "amount",
    "country_code",
    "digits",
    "field",
    "hts_unit",
    "mapping",
    "party_did",
    "party_json",
    "party_name",
    "text",
]

# Country names the vocabulary's examples use in addressCountry, and a few common spellings.
_COUNTRY_NAMES = {
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "mexico": "MX",
    "méxico": "MX",
    "canada": "CA",
    "china": "CN",
    "germany": "DE",
    "el salvador": "SV",
    "guatemala": "GT",
    "honduras": "HN",
    "nicaragua": "NI",
    "costa rica": "CR",
    "dominican republic": "DO",
    "viet nam": "VN",
    "vietnam": "VN",
}
# UN/ECE Recommendation 20 codes and spellings seen in vocabulary examples -> HTS units.
_UNITS = {
    "KGM": "KG",
    "C62": "NO",
    "H87": "NO",
    "EA": "NO",
    "EACH": "NO",
    "BLL": "BBL",
    "LTR": "L",
    "MTR": "M",
    "MTK": "M2",
    "MTQ": "M3",
    "TNE": "T",
    "GRM": "G",
    "DZN": "DOZ",
    "PR": "PRS",
    "PAIR": "PRS",
}
_DIGITS = re.compile(r"[\s.\-]")


def mapping(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a JSON object, else an empty mapping."""
    return value if isinstance(value, Mapping) else {}


def field(document: Any, *path: str) -> Any:
    """The value at ``path`` inside nested JSON objects, or ``None``."""
    current = document
    for name in path:
        if not isinstance(current, Mapping):
            return None
        current = current.get(name)
    return current


def text(value: Any) -> str | None:
    """A non-empty string with its whitespace trimmed, or ``None``."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def digits(value: Any) -> str | None:
    """A code with its dots, spaces and hyphens removed (``"9403 7000 00"`` to ``9403700000``)."""
    found = text(value)
    return _DIGITS.sub("", found) if found is not None else None


def amount(value: Any) -> Decimal | None:
    """A decimal amount from a JSON number or numeric string, or ``None``."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def country_code(value: Any) -> str | None:
    """An ISO 3166-1 alpha-2 code from a code or a known country name, or ``None``."""
    found = text(value)
    if found is None:
        return None
    if found.upper() in codes.COUNTRY_CODES:
        return found.upper()
    return _COUNTRY_NAMES.get(found.casefold())


def hts_unit(value: Any) -> str | None:
    """An HTS unit of quantity for a UN/ECE or free-text unit (``KGM`` and ``kg`` are ``KG``)."""
    found = text(value)
    if found is None:
        return None
    upper = found.upper()
    return _UNITS.get(upper, upper)


def party_name(party: Any) -> str | None:
    """The ``name`` (or ``legalName``) of an ``Organization``/``Person``/``Entity``."""
    item = mapping(party)
    name = text(item.get("name")) or text(item.get("legalName"))
    if name is None and (text(item.get("firstName")) or text(item.get("lastName"))):
        name = " ".join(filter(None, (text(item.get("firstName")), text(item.get("lastName")))))
    return name


def party_did(party: Any) -> str | None:
    """The party's ``id`` when it is a DID."""
    found = text(mapping(party).get("id"))
    return found if found is not None and found.startswith("did:") else None


def party_json(party: Any) -> dict[str, Any] | None:
    """A vocabulary party as the JSON of :class:`tradetrace.entries.Party`, or ``None``."""
    item = mapping(party)
    if not item:
        return None
    address = mapping(item.get("address")) or mapping(field(item, "location", "address"))
    result: dict[str, Any] = {"name": party_name(item)}
    if party_did(item) is not None:
        result["did"] = party_did(item)
    if address:
        country = address.get("addressCountry")
        result["address"] = {
            key: value
            for key, value in (
                ("street", text(address.get("streetAddress"))),
                ("city", text(address.get("addressLocality"))),
                ("region", text(address.get("addressRegion"))),
                ("postal_code", text(address.get("postalCode"))),
                ("country", country_code(country) or country),
            )
            if value is not None
        }
    return result

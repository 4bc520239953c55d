"""GS1 Digital Link URIs, their conversion to and from EPC URIs, and the canonical form.

GS1 Digital Link URI Syntax 1.2: ``https://id.gs1.org/01/09521234543213/21/12345`` is the
primary key AI and its value, then key qualifiers (§4.5), on any domain. The *canonical*
form (§4.11) uses the domain ``id.gs1.org``, numeric AIs and a 14-digit GTIN. Following the
CBV 2.0 Event Hash ID rules (CBV 2.0 §8.9, rules 17-18), :func:`canonical_identifier` also
drops the query string and keeps only the finest level of identification (a serial wins over
a lot, the consumer product variant (22) is dropped). That constrained canonical form is how
tradetrace compares identifiers: an EPC URI and the Digital Link URI of the same object have
the same canonical form.

Converting a Digital Link URI to an EPC URI needs the length of the GS1 company prefix, which
the Digital Link URI does not carry: pass it, or keep the identifier that an EPC URI gave.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tradetrace.errors import InvalidDocument
from tradetrace.events import epc_uri
from tradetrace.events.identifiers import EpcScheme, Gs1Identifier

__all__ = [
    "CANONICAL_DOMAIN",
    "canonical_identifier",
    "canonical_identifier_or_none",
    "digital_link_to_epc_uri",
    "epc_uri_to_digital_link",
    "format_digital_link",
    "is_digital_link",
    "parse_digital_link",
    "parse_identifier",
]

CANONICAL_DOMAIN = "https://id.gs1.org"
"""The domain of canonical GS1 Digital Link URIs (GS1 Digital Link 1.2 §4.11)."""

# Short names for AIs from GS1 Digital Link 1.0, still accepted when parsing (§4.6).
_SHORT_NAMES = {
    "gtin": "01",
    "sscc": "00",
    "gln": "414",
    "party": "417",
    "grai": "8003",
    "giai": "8004",
    "gsrn": "8018",
    "gsrnp": "8017",
    "gdti": "253",
    "gcn": "255",
    "ginc": "401",
    "gsin": "402",
    "itip": "8006",
    "cpid": "8010",
    "cpv": "22",
    "lot": "10",
    "ser": "21",
}
# primary key AI -> (scheme, key qualifiers it may carry, in their order)
_PRIMARY: dict[str, tuple[EpcScheme, tuple[str, ...]]] = {
    "00": (EpcScheme.SSCC, ()),
    "01": (EpcScheme.SGTIN, ("22", "10", "21")),
    "253": (EpcScheme.GDTI, ()),
    "255": (EpcScheme.SGCN, ()),
    "401": (EpcScheme.GINC, ()),
    "402": (EpcScheme.GSIN, ()),
    "414": (EpcScheme.SGLN, ("254",)),
    "417": (EpcScheme.PGLN, ()),
    "8003": (EpcScheme.GRAI, ()),
    "8004": (EpcScheme.GIAI, ()),
    "8006": (EpcScheme.ITIP, ("22", "21")),
    "8010": (EpcScheme.CPI, ("8011",)),
    "8017": (EpcScheme.GSRNP, ()),
    "8018": (EpcScheme.GSRN, ()),
}
_AI_FOR_SCHEME = {scheme: ai for ai, (scheme, _) in reversed(_PRIMARY.items())}
_AI_FOR_SCHEME |= {EpcScheme.LGTIN: "01", EpcScheme.UPUI: "01"}
_UPUI_QUALIFIER = "235"  # (01) + (235) is a UPUI; it cannot be combined with (10) or (21)
_SERIAL_IN_KEY = {EpcScheme.GDTI: 13, EpcScheme.SGCN: 13, EpcScheme.GRAI: 14}
_PERCENT_RE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_URI_RE = re.compile(r"https?://[^/?#]+(/[^?#]*)(?:\?[^#]*)?(?:#.*)?")
# Characters of AI character set 82 that are percent-encoded in a Digital Link path segment.
_ENCODE = str.maketrans({char: f"%{ord(char):02X}" for char in '!"%&()*+,/:<>?#'})


def _encode(value: str) -> str:
    return value.translate(_ENCODE)


def _decode(segment: str, uri: str) -> str:
    if "%" not in segment:
        return segment
    if _PERCENT_RE.search(segment):
        raise InvalidDocument(f"invalid GS1 Digital Link URI {uri!r}: bad percent-encoding")
    return re.sub(r"%([0-9A-Fa-f]{2})", lambda match: chr(int(match.group(1), 16)), segment)


def _from_path(segments: list[str], uri: str) -> Gs1Identifier:
    primary = _SHORT_NAMES.get(segments[0], segments[0])
    scheme, allowed = _PRIMARY[primary]
    value = _decode(segments[1], uri)
    qualifiers: dict[str, str] = {}
    position = -1
    pairs = segments[2:]
    if len(pairs) % 2:
        raise InvalidDocument(f"invalid GS1 Digital Link URI {uri!r}: an AI without a value")
    for ai, raw in zip(pairs[::2], pairs[1::2], strict=True):
        ai = _SHORT_NAMES.get(ai, ai)
        if not raw:
            raise InvalidDocument(f"invalid GS1 Digital Link URI {uri!r}: AI ({ai}) is empty")
        if scheme == EpcScheme.SGTIN and ai == _UPUI_QUALIFIER and not qualifiers:
            scheme, allowed = EpcScheme.UPUI, (_UPUI_QUALIFIER,)
        if ai not in allowed or allowed.index(ai) <= position:
            raise InvalidDocument(f"invalid GS1 Digital Link URI {uri!r}: AI ({ai}) out of place")
        position = allowed.index(ai)
        qualifiers[ai] = _decode(raw, uri)
    if scheme in _SERIAL_IN_KEY:
        cut = _SERIAL_IN_KEY[scheme]
        value, serial = value[:cut], value[cut:] or None
        return Gs1Identifier(scheme, value, serial)
    if scheme in {EpcScheme.SGTIN, EpcScheme.UPUI} and len(value) in (8, 12, 13):
        value = value.zfill(14)  # canonical GTIN-14 (GS1 Digital Link 1.2 §4.11)
    if scheme == EpcScheme.SGTIN and "10" in qualifiers and "21" not in qualifiers:
        return Gs1Identifier(EpcScheme.LGTIN, value, qualifiers["10"])
    qualifier = qualifiers.get("21") or qualifiers.get("254") or qualifiers.get("8011")
    return Gs1Identifier(scheme, value, qualifier or qualifiers.get(_UPUI_QUALIFIER))


def _key_path(uri: str) -> list[str] | None:
    """The path segments from the primary key AI on, or None if there is no primary key."""
    match = _URI_RE.fullmatch(uri)
    if match is None:
        return None
    segments = match.group(1).split("/")[1:]
    if segments[-1] == "":
        segments.pop()  # a trailing slash
    for start, segment in enumerate(segments[:-1]):
        if _SHORT_NAMES.get(segment, segment) in _PRIMARY:
            return segments[start:]
    return None


def is_digital_link(uri: str) -> bool:
    """Whether ``uri`` is shaped as a GS1 Digital Link URI: http(s), then a primary key AI
    (or its short name) and a value in the path (GS1 Digital Link URI Syntax 1.2 §4.3).

    It says nothing of the key's validity; :func:`parse_digital_link` checks that.
    """
    return _key_path(uri) is not None


def parse_digital_link(uri: str) -> Gs1Identifier:
    """Parse a GS1 Digital Link URI on any domain (GS1 Digital Link URI Syntax 1.2 §4).

    The path may start with segments of the domain's own before the primary key. The query
    string, the fragment, the consumer product variant (22) and, when there is a serial, the
    lot (10) are not part of the identity and are dropped. Check digits are verified. Raises
    :class:`~tradetrace.errors.InvalidDocument` with the reason.
    """
    segments = _key_path(uri)
    if segments is None:
        raise InvalidDocument(f"not a GS1 Digital Link URI (no GS1 primary key): {uri!r}")
    return _from_path(segments, uri)


def format_digital_link(identifier: Gs1Identifier, *, domain: str = CANONICAL_DOMAIN) -> str:
    """Write ``identifier`` as a GS1 Digital Link URI, canonical on the default domain.

    GS1 Digital Link URI Syntax 1.2 §4.11; values are percent-encoded where character set
    82 meets URI syntax (``/``, ``%``, ``?``, ``&``, ``+`` and so on).
    """
    scheme, key, qualifier = identifier.scheme, identifier.key, identifier.qualifier
    path = f"{domain}/{_AI_FOR_SCHEME[scheme]}/{_encode(key)}"
    if qualifier is None:
        return path
    if scheme in _SERIAL_IN_KEY:
        return path + _encode(qualifier)
    qualifier_ai = {
        EpcScheme.LGTIN: "10",
        EpcScheme.UPUI: _UPUI_QUALIFIER,
        EpcScheme.SGLN: "254",
        EpcScheme.CPI: "8011",
    }.get(scheme, "21")
    return f"{path}/{qualifier_ai}/{_encode(qualifier)}"


@lru_cache(maxsize=32768)
def parse_identifier(uri: str) -> Gs1Identifier:
    """Parse an EPC URI or a GS1 Digital Link URI (EPCIS 2.0 §7.3.3 allows either).

    Results are cached (identifiers are immutable): read points, locations and classes recur
    in every event of a stream.
    """
    if uri.startswith("urn:epc:"):
        return epc_uri.parse_epc_uri(uri)
    return parse_digital_link(uri)


def canonical_identifier(uri: str) -> str:
    """The constrained canonical GS1 Digital Link URI of an EPC or Digital Link URI.

    CBV 2.0 §8.9 (Event Hash ID) rules 17-18; see the module docstring. Raises
    :class:`~tradetrace.errors.InvalidDocument` when ``uri`` is not a well-formed GS1
    identifier with correct check digits.
    """
    return format_digital_link(parse_identifier(uri))


@lru_cache(maxsize=65536)
def canonical_identifier_or_none(uri: str) -> str | None:
    """:func:`canonical_identifier`, or ``None`` when ``uri`` is not a GS1 identifier.

    For values that may or may not be GS1 identifiers, such as a sensor's ``rawData`` URL.
    Results are cached (bounded): capture, hashing and tracing all ask for the same
    identifiers, and an object's identifier recurs in every event of its life.
    """
    if not uri.startswith("urn:epc:") and not is_digital_link(uri):
        return None  # most such values are plain URLs: no exception to raise and catch
    try:
        return canonical_identifier(uri)
    except InvalidDocument:
        return None


def epc_uri_to_digital_link(uri: str, *, domain: str = CANONICAL_DOMAIN) -> str:
    """Convert an EPC URI to a GS1 Digital Link URI (TDS 2.x §6 to GS1 Digital Link §4)."""
    return format_digital_link(epc_uri.parse_epc_uri(uri), domain=domain)


def digital_link_to_epc_uri(uri: str, *, company_prefix_length: int) -> str:
    """Convert a GS1 Digital Link URI to an EPC URI, given the GS1 company prefix length.

    The length comes from GS1's company prefix length table (or the company's own
    knowledge of its prefix); it cannot be derived from the URI (TDS 2.x §6, GS1 Digital
    Link 1.2 §4.11). Raises :class:`~tradetrace.errors.InvalidDocument` when it does not fit.
    """
    identifier = parse_digital_link(uri)
    return epc_uri.format_epc_uri(identifier, company_prefix_length=company_prefix_length)

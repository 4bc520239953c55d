"""EPC pure-identity, EPC class and EPC pattern URIs (GS1 EPC Tag Data Standard 2.x §6).

``urn:epc:id:sgtin:0614141.107346.2017`` names one trade item, ``urn:epc:class:lgtin:
4012345.012345.998877`` a lot of a GTIN (TDS §6.4) and ``urn:epc:idpat:sgtin:
4012345.012345.*`` every instance of a GTIN (TDS §6.5, used in EPCIS for class-level
quantities). The dot between the GS1 company prefix and the rest of the key is the only place
the company prefix length is recorded, so an identifier parsed from an EPC URI keeps it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tradetrace.errors import InvalidDocument
from tradetrace.events.identifiers import EpcScheme, Gs1Identifier, gs1_check_digit

__all__ = ["format_epc_uri", "parse_epc_uri"]

# TDS §6.3 "GS3A3" component: characters that may appear literally, or a %-escape.
_GS3A3_RE = re.compile(r"(?:[A-Za-z0-9!'()*+,\-.:;=_]|%[0-9A-Fa-f]{2})+")
# TDS §6.3.10 CPI reference: upper-case letters, digits, '-', and %23 ('#') or %2F ('/').
_CPREF_RE = re.compile(r"(?:[0-9A-Z\-]|%2[3Ff])+")
_ESCAPE_RE = re.compile(r"%([0-9A-Fa-f]{2})")
_ESCAPES = str.maketrans(
    {'"': "%22", "%": "%25", "&": "%26", "/": "%2F", "<": "%3C", ">": "%3E", "?": "%3F"}
)

# scheme name in the URI -> (scheme, number of dot-separated parts, digits of CP + reference)
_Table = dict[str, tuple[EpcScheme, int, int | None]]
_ID_SCHEMES: _Table = {
    "sgtin": (EpcScheme.SGTIN, 3, 13),
    "sscc": (EpcScheme.SSCC, 2, 17),
    "sgln": (EpcScheme.SGLN, 3, 12),
    "pgln": (EpcScheme.PGLN, 2, 12),
    "grai": (EpcScheme.GRAI, 3, 12),
    "giai": (EpcScheme.GIAI, 2, None),
    "gsrn": (EpcScheme.GSRN, 2, 17),
    "gsrnp": (EpcScheme.GSRNP, 2, 17),
    "gdti": (EpcScheme.GDTI, 3, 12),
    "cpi": (EpcScheme.CPI, 3, None),
    "sgcn": (EpcScheme.SGCN, 3, 12),
    "ginc": (EpcScheme.GINC, 2, None),
    "gsin": (EpcScheme.GSIN, 2, 16),
    "itip": (EpcScheme.ITIP, 5, 13),
    "upui": (EpcScheme.UPUI, 3, 13),
}
_CLASS_SCHEMES: _Table = {"lgtin": (EpcScheme.LGTIN, 3, 13)}
# Pattern URIs name the class of a serialisable scheme (the serial is '*').
_PATTERN_SCHEMES: _Table = {
    name: _ID_SCHEMES[name] for name in ("sgtin", "grai", "gdti", "cpi", "sgcn", "itip", "upui")
}
_GTIN_BASED = frozenset({EpcScheme.SGTIN, EpcScheme.LGTIN, EpcScheme.UPUI, EpcScheme.ITIP})
_ALPHANUMERIC = frozenset({EpcScheme.GIAI, EpcScheme.GINC, EpcScheme.CPI})
_KINDS: dict[str, _Table] = {"id": _ID_SCHEMES, "class": _CLASS_SCHEMES, "idpat": _PATTERN_SCHEMES}
_SERIALISED = frozenset(scheme for scheme, _, _ in _PATTERN_SCHEMES.values()) - {EpcScheme.UPUI}


def _is_digits(text: str) -> bool:
    return text.isdigit() and text.isascii()  # str methods: faster than a regex here


def _unescape(component: str, pattern: re.Pattern[str], uri: str) -> str:
    if pattern.fullmatch(component) is None:
        raise InvalidDocument(f"invalid EPC URI {uri!r}: bad characters in {component!r}")
    if "%" not in component:
        return component
    return _ESCAPE_RE.sub(lambda match: chr(int(match.group(1), 16)), component)


def _escape(value: str) -> str:
    return value.translate(_ESCAPES)


@lru_cache(maxsize=4096)
def _gtin(company_prefix: str, indicator_item: str) -> str:
    body = indicator_item[:1] + company_prefix + indicator_item[1:]
    return body + str(gs1_check_digit(body))


def parse_epc_uri(uri: str) -> Gs1Identifier:
    """Parse an EPC pure-identity, class or pattern URI for a GS1 key (TDS 2.x §6.3-§6.5).

    Check digits are computed, so a well-formed URI always names a valid key. Raises
    :class:`~tradetrace.errors.InvalidDocument` with the reason when ``uri`` is not one.
    """
    kind, _, tail = uri.removeprefix("urn:epc:").partition(":")
    schemes = _KINDS.get(kind) if uri.startswith("urn:epc:") else None
    if schemes is None:
        raise InvalidDocument(f"not an EPC URI: {uri!r}")
    name, _, body = tail.partition(":")
    if name not in schemes:
        raise InvalidDocument(f"unsupported EPC scheme {name!r} in {uri!r}")
    scheme, count, numeric_length = schemes[name]
    parts = body.split(".", count - 1)
    if len(parts) != count:
        raise InvalidDocument(f"invalid EPC URI {uri!r}: expected {count} dot-separated parts")
    company_prefix, reference, *rest = parts
    if not (6 <= len(company_prefix) <= 12 and _is_digits(company_prefix)):
        raise InvalidDocument(f"invalid EPC URI {uri!r}: company prefix must be 6 to 12 digits")
    if numeric_length is not None and (
        len(company_prefix) + len(reference) != numeric_length
        or not (reference == "" or _is_digits(reference))
    ):
        raise InvalidDocument(
            f"invalid EPC URI {uri!r}: company prefix and reference must be {numeric_length} digits"
        )
    qualifier: str | None = None
    if kind == "idpat":
        if rest[-1] != "*":
            raise InvalidDocument(f"invalid EPC pattern URI {uri!r}: expected '*' at the end")
        rest = rest[:-1]
    elif rest:
        qualifier = _unescape(rest[-1], _GS3A3_RE, uri)
        rest = rest[:-1]
    if numeric_length == 13:
        key = _gtin(company_prefix, reference)
        if scheme == EpcScheme.ITIP:
            if not all(len(part) == 2 and _is_digits(part) for part in rest):
                raise InvalidDocument(f"invalid EPC URI {uri!r}: piece and total are 2 digits")
            key += "".join(rest)
        elif scheme == EpcScheme.UPUI and qualifier is None:
            scheme = EpcScheme.SGTIN  # a UPUI pattern is every instance of the GTIN
    elif scheme == EpcScheme.SSCC:
        body = reference[:1] + company_prefix + reference[1:]
        key = body + str(gs1_check_digit(body))
    elif scheme == EpcScheme.GRAI:
        key = "0" + company_prefix + reference + str(gs1_check_digit(company_prefix + reference))
    elif numeric_length is not None:
        key = company_prefix + reference + str(gs1_check_digit(company_prefix + reference))
    elif scheme == EpcScheme.CPI:
        key = company_prefix + _unescape(reference, _CPREF_RE, uri)
    else:
        key = company_prefix + _unescape(reference, _GS3A3_RE, uri)
    if scheme == EpcScheme.SGLN and qualifier == "0":
        qualifier = None  # TDS §6.3.3: extension "0" means the GLN has no extension
    return Gs1Identifier(scheme, key, qualifier, len(company_prefix))


def format_epc_uri(identifier: Gs1Identifier, *, company_prefix_length: int | None = None) -> str:
    """Write ``identifier`` as an EPC URI (TDS 2.x §6.3-§6.5).

    Serialised schemes without a serial become pattern URIs (``urn:epc:idpat:...*``) and
    ``lgtin`` a class URI. The GS1 company prefix length comes from ``company_prefix_length``
    or else from the identifier (known when it was parsed from an EPC URI); GS1 publishes the
    lengths of issued prefixes in its company prefix length table. Raises
    :class:`~tradetrace.errors.InvalidDocument` when the length is unknown or does not fit.
    """
    length = identifier.company_prefix_length
    if company_prefix_length is not None:
        length = company_prefix_length
    if length is None:
        raise InvalidDocument(
            f"GS1 company prefix length unknown for {identifier.scheme.upper()} "
            f"{identifier.key}: pass company_prefix_length"
        )
    if not 6 <= length <= 12:
        raise InvalidDocument(f"invalid GS1 company prefix length {length}: expected 6 to 12")
    scheme, key, qualifier = identifier.scheme, identifier.key, identifier.qualifier
    if scheme in _GTIN_BASED:
        parts = [key[1 : 1 + length], key[0] + key[1 + length : 13]]
        if scheme == EpcScheme.ITIP:
            parts += [key[14:16], key[16:18]]
    elif scheme == EpcScheme.SSCC:
        parts = [key[1 : 1 + length], key[0] + key[1 + length : 17]]
    elif scheme == EpcScheme.GRAI:
        parts = [key[1 : 1 + length], key[1 + length : 13]]
    elif scheme in _ALPHANUMERIC:
        if len(key) <= length or not key[:length].isdigit():
            raise InvalidDocument(
                f"GS1 company prefix length {length} does not fit {scheme.upper()} {key!r}"
            )
        reference = key[length:]
        if scheme == EpcScheme.CPI:  # character set 39: only '#' and '/' are escaped
            reference = reference.replace("#", "%23").replace("/", "%2F")
        else:
            reference = _escape(reference)
        parts = [key[:length], reference]
    else:  # SGLN, PGLN, GDTI, SGCN (12 + check), GSRN, GSRNP (17 + check), GSIN (16 + check)
        parts = [key[:length], key[length:-1]]
    kind = "class" if scheme == EpcScheme.LGTIN else "id"
    if scheme == EpcScheme.SGLN:
        parts.append(_escape(qualifier) if qualifier is not None else "0")
    elif qualifier is not None:
        parts.append(_escape(qualifier))
    elif scheme in _SERIALISED:
        kind = "idpat"
        parts.append("*")
    return f"urn:epc:{kind}:{scheme.value}:" + ".".join(parts)

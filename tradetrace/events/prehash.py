"""The canonical pre-hash string of an EPCIS event (CBV 2.0 §8.9, Event Hash ID).

The string is ``eventType=...`` followed by the event's fields in the canonical property order
(rule 1), each as ``name=value`` (rule 3) with no separators (rule 2), lists sorted (rules
10-13), then the ILMD and the user extensions with their namespaces written ``{iri}local``
(rules 19-21). Values are normalised: timestamps to UTC with milliseconds, rounded half-up
(rules 8-9), numbers without trailing zeros (rule 6), CBV URNs, CURIEs and bare codes to CBV
Web URIs (rules 14-16), and EPC and Digital Link URIs to constrained canonical GS1 Digital
Link URIs (rules 17-18). This follows the CBV 2.0 profile of the GS1 reference
implementation (RalphTro/epcis-event-hash-generator): ``recordTime``, ``eventID``,
``errorDeclaration`` and ``certificationInfo`` are not hashed; user extensions inside
``readPoint``, ``bizLocation`` and the sensor elements go to the trailing block under their
parent's name; the ``sensorElementList`` wrapper name is not written; a user extension whose
name ends in ``List`` is written as an XML-style list. Known differences from that program
(which works on XML element trees): a bare code is expanded only in the field it belongs to,
not wherever the same word appears; numbers are normalised exactly (with :class:`Decimal`,
never in exponent form); a JSON ``null`` is written as an empty value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any, Final, Literal

from tradetrace.events import digital_link
from tradetrace.events.cbv import Vocabulary, code_list

__all__ = ["WELL_KNOWN_NAMESPACES", "namespaces_from_context", "prehash_string"]

WELL_KNOWN_NAMESPACES: Mapping[str, str] = {
    "gs1": "https://ref.gs1.org/voc/",
    "cbv": "https://ref.gs1.org/cbv/",
    "epcis": "https://ref.gs1.org/epcis/",
    "cbvmda": "urn:epcglobal:cbv:mda",
}
"""Prefixes every EPCIS document may use, as the reference implementation expands them."""

_TIMESTAMP_RE = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:[Zz]|([+-])(\d\d):(\d\d))"
)
_NUMBER_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NUMBER_START = frozenset("+-.0123456789")
_CANONICAL_TIMESTAMP_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
_GS1_NAMESPACES = ("https://ref.gs1.org", "https://gs1.org")
_TIME: Final = "time"
_IGNORED = frozenset(
    {"type", "eventID", "recordTime", "errorDeclaration", "certificationInfo", "@context"}
)
_COMMENTS = frozenset({"comment", "rdfs:comment"})  # JSON-LD comments are not event data
_EPC_LISTS = frozenset({"epcList", "inputEPCList", "childEPCs", "outputEPCList"})
_QUANTITY_LISTS = frozenset(
    {"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"}
)

_Kind = Vocabulary | Literal["time"] | None
_Fields = tuple[tuple[str, _Kind], ...]
_QUANTITY: _Fields = (("epcClass", None), ("quantity", None), ("uom", None))
_METADATA: _Fields = (
    *(("time", _TIME), ("startTime", _TIME), ("endTime", _TIME)),
    *((name, None) for name in ("deviceID", "deviceMetadata", "rawData")),
    *((name, None) for name in ("dataProcessingMethod", "bizRules")),
)
_REPORT: _Fields = (
    ("type", Vocabulary.MEASUREMENT_TYPE),
    ("exception", Vocabulary.SENSOR_ALERT_TYPE),
    *((name, None) for name in ("deviceID", "deviceMetadata", "rawData", "dataProcessingMethod")),
    ("time", _TIME),
    *((name, None) for name in ("microorganism", "chemicalSubstance", "value")),
    ("component", Vocabulary.COMPONENT),
    *((name, None) for name in ("stringValue", "booleanValue", "hexBinaryValue", "uriValue")),
    *((name, None) for name in ("minValue", "maxValue", "meanValue", "sDev", "percRank")),
    *((name, None) for name in ("percValue", "uom", "coordinateReferenceSystem")),
)
_TYPED_LISTS = {
    "bizTransactionList": ("bizTransaction", Vocabulary.BIZ_TRANSACTION_TYPE),
    "sourceList": ("source", Vocabulary.SOURCE_DESTINATION_TYPE),
    "destinationList": ("destination", Vocabulary.SOURCE_DESTINATION_TYPE),
}
# CBV 2.0 §8.9 canonical property order of the event's own fields.
_ORDER: _Fields = (
    ("eventTime", _TIME),
    *((name, None) for name in ("eventTimeZoneOffset", "epcList", "parentID", "inputEPCList")),
    *((name, None) for name in ("childEPCs", "quantityList", "childQuantityList")),
    *((name, None) for name in ("inputQuantityList", "outputEPCList", "outputQuantityList")),
    *((name, None) for name in ("action", "transformationID")),
    ("bizStep", Vocabulary.BIZ_STEP),
    ("disposition", Vocabulary.DISPOSITION),
    *((name, None) for name in ("persistentDisposition", "readPoint", "bizLocation")),
    *((name, None) for name in ("bizTransactionList", "sourceList", "destinationList")),
)  # then sensorElementList
_NOT_EXTENSIONS = frozenset(name for name, _ in _ORDER) | _IGNORED | {"sensorElementList", "ilmd"}
_METADATA_NAMES = frozenset(name for name, _ in _METADATA)
_REPORT_NAMES = frozenset(name for name, _ in _REPORT)
_SENSOR_ELEMENT_NAMES = frozenset({"sensorMetadata", "sensorReport"})
_LOCATIONS = frozenset({"readPoint", "bizLocation"})
_ID = frozenset({"id"})
_DISPOSITION = Vocabulary.DISPOSITION
_NO_NAMESPACES: Mapping[str, str] = {}


@cache
def _urn_prefixes() -> tuple[tuple[str, str], ...]:
    lists = (code_list(vocabulary) for vocabulary in Vocabulary)
    return tuple((c.urn_prefix, c.web_prefix) for c in lists if c.urn_prefix is not None)


def namespaces_from_context(
    context: object, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Prefix-to-IRI map of a JSON-LD ``@context`` (JSON-LD 1.1 §4.1), over ``base``.

    Remote contexts (strings) and expanded term definitions are skipped. ``gs1`` always means
    ``https://ref.gs1.org/voc/``, as in the CBV hash reference implementation.
    """
    namespaces = dict(WELL_KNOWN_NAMESPACES if base is None else base)
    entries = context if isinstance(context, list) else [context]
    for entry in entries:
        if isinstance(entry, dict):
            for prefix, iri in entry.items():
                if isinstance(iri, str) and not prefix.startswith("@"):
                    namespaces[prefix] = iri
    namespaces["gs1"] = WELL_KNOWN_NAMESPACES["gs1"]
    return namespaces


def _timestamp(text: str) -> str:
    if _CANONICAL_TIMESTAMP_RE.fullmatch(text):
        return text  # already UTC with milliseconds
    match = _TIMESTAMP_RE.fullmatch(text)
    if match is None:
        return text
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction, sign, offset_hours, offset_minutes = match.groups()[6:]
    offset = timedelta(hours=int(offset_hours or 0), minutes=int(offset_minutes or 0))
    digits = (fraction or "").ljust(4, "0")
    milliseconds = int(digits[:3]) + (digits[3] >= "5")  # rule 9: round half-up
    try:
        moment = datetime(
            year,
            month,
            day,
            hour,
            minute,
            second,
            tzinfo=timezone(-offset if sign == "-" else offset),
        )
    except ValueError:
        return text
    moment = moment.astimezone(UTC) + timedelta(milliseconds=milliseconds)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _number(value: Decimal) -> str:
    if not value:
        return "0"
    return format(value.normalize(), "f")


def _text(text: str, namespaces: Mapping[str, str]) -> str:
    if ":" in text:
        prefix, _, rest = text.partition(":")
        iri = namespaces.get(prefix)
        if iri is not None and iri.startswith(_GS1_NAMESPACES):
            text = iri + rest  # rule 15: GS1 CURIEs are expanded
    return _scalar(text)


@lru_cache(maxsize=4096)
def _scalar(text: str) -> str:
    """CBV URNs, numbers and GS1 identifiers in canonical form; cached, as values recur."""
    if text.startswith("urn:epcglobal:cbv:"):
        for urn, web in _urn_prefixes():
            if text.startswith(urn):
                return web + text[len(urn) :]  # rule 14
    if text[0] in _NUMBER_START and _NUMBER_RE.fullmatch(text):
        return _number(Decimal(text))
    if text.startswith(("urn:epc:", "http")):
        return digital_link.canonical_identifier_or_none(text) or text
    return text


def _value(value: Any, namespaces: Mapping[str, str], kind: _Kind = None) -> str:
    """The canonical text of a scalar, or "" for an absent, empty or non-scalar value."""
    if type(value) is str:
        text = value.strip()
        if not text:
            return ""
        if kind is None:
            return _text(text, namespaces)
        if kind == _TIME:
            return _timestamp(text)
        return code_list(kind).web_uri(text) or _text(text, namespaces)  # rule 16
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    if type(value) is float:
        return _float(value)
    return ""


@lru_cache(maxsize=4096)
def _float(value: float) -> str:
    # Cached: quantities recur. 0.0 and -0.0 share an entry, and both are written "0".
    return _number(Decimal(repr(value)))


def _field(name: str, value: Any, namespaces: Mapping[str, str], kind: _Kind = None) -> str:
    if type(value) is str and kind != _TIME:
        colon = value.find(":")
        if colon < 0 or value[:colon].lstrip() not in namespaces:
            return _plain_field(name, value, kind)  # the namespaces play no part
    text = _value(value, namespaces, kind)
    return f"{name}={text}" if text else ""


@lru_cache(maxsize=32768)
def _plain_field(name: str, value: str, kind: _Kind) -> str:
    """``name=value`` of a text whose prefix is no namespace of the document; cached, as
    locations, parties, classes, codes and units recur from event to event."""
    text = _value(value, _NO_NAMESPACES, kind)
    return f"{name}={text}" if text else ""


def _fields(data: dict[str, Any], fields: _Fields, ns: Mapping[str, str]) -> str:
    return "".join([_field(name, data[name], ns, kind) for name, kind in fields if name in data])


def _wrap(name: str, parts: Iterable[str]) -> str:
    """``name`` then its non-empty parts in lexical order (rules 11-12), or "" if none."""
    body = "".join(sorted(filter(None, parts)))
    return name + body if body else ""


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if type(item) is dict] if type(value) is list else []


def _key(key: str, namespaces: Mapping[str, str]) -> str:
    prefix, colon, local = key.partition(":")
    if colon and prefix in namespaces:
        return "{" + namespaces[prefix] + "}" + local
    return key


def _generic(key: str, value: Any, namespaces: Mapping[str, str]) -> list[str]:
    """User extension ``key: value`` as sibling strings (rules 19-21); arrays repeat the key."""
    if key in _COMMENTS:
        return []
    name = _key(key, namespaces)
    if name.endswith("List"):  # written as an XML list element: <xList><x>..</x></xList>
        children = _node(name[:-4], value, namespaces)
        return [name + "".join(sorted(children))] if children else []
    return _node(name, value, namespaces)


def _node(name: str, value: Any, namespaces: Mapping[str, str]) -> list[str]:
    if type(value) is list:
        return [part for item in value for part in _node(name, item, namespaces)]
    if type(value) is dict:
        return [name + "".join(sorted(_extensions(value, frozenset(), namespaces)))]
    text = _value(value, namespaces)
    return [f"{name}={text}" if text else name]


def _extensions(data: dict[str, Any], known: frozenset[str], ns: Mapping[str, str]) -> list[str]:
    return [
        part for key, item in data.items() if key not in known for part in _generic(key, item, ns)
    ]


def _sensor_element(element: dict[str, Any], ns: Mapping[str, str]) -> tuple[str, str]:
    """A sensor element's pre-hash part, and its user extensions for the trailing block."""
    metadata = element.get("sensorMetadata")
    metadata = metadata if type(metadata) is dict else {}
    reports = _dicts(element.get("sensorReport"))
    regular = _wrap(
        "sensorElement",
        [
            _wrap("sensorMetadata", [_fields(metadata, _METADATA, ns)]),
            *(_wrap("sensorReport", [_fields(report, _REPORT, ns)]) for report in reports),
        ],
    )
    leftovers = [
        _wrap("sensorMetadata", _extensions(metadata, _METADATA_NAMES, ns)),
        *(_wrap("sensorReport", _extensions(report, _REPORT_NAMES, ns)) for report in reports),
        *_extensions(element, _SENSOR_ELEMENT_NAMES, ns),
    ]
    return regular, _wrap("sensorElement", leftovers)


# The handlers of the ordered fields by kind of value: (name, value, kind, ns, trailing).
_Handler = Callable[[str, Any, _Kind, Mapping[str, str], list[str]], str]


def _epc_list(name: str, value: Any, kind: _Kind, ns: Mapping[str, str], _: list[str]) -> str:
    if type(value) is not list:
        return ""
    return _wrap(name, [_field("epc", epc, ns) for epc in value])


def _quantity_list(name: str, value: Any, kind: _Kind, ns: Mapping[str, str], _: list[str]) -> str:
    elements = []
    for element in _dicts(value):
        body = "".join(
            [_field(key, element[key], ns, of) for key, of in _QUANTITY if key in element]
        )
        if body:
            elements.append("quantityElement" + body)
    return _wrap(name, elements)


def _typed_list(name: str, value: Any, kind: _Kind, ns: Mapping[str, str], _: list[str]) -> str:
    member, vocabulary = _TYPED_LISTS[name]  # rule 13: the type comes first
    entries = [
        _field("type", e.get("type"), ns, vocabulary) + _field(member, e.get(member), ns)
        for e in _dicts(value)
    ]
    return _wrap(name, entries)


def _scalar_field(name: str, value: Any, kind: _Kind, ns: Mapping[str, str], _: list[str]) -> str:
    return "" if type(value) is dict else _field(name, value, ns, kind)


def _persistent(name: str, value: Any, kind: _Kind, ns: Mapping[str, str], _: list[str]) -> str:
    if type(value) is not dict:
        return _field(name, value, ns, kind)
    parts = [
        "".join(sorted([_field(key, item, ns, _DISPOSITION) for item in value[key]]))
        for key in ("set", "unset")
        if type(value.get(key)) is list
    ]
    return _wrap(name, ["".join(parts)])


def _location(
    name: str, value: Any, kind: _Kind, ns: Mapping[str, str], trailing: list[str]
) -> str:
    if type(value) is not dict:
        return _field(name, value, ns, kind)
    if len(value) > 1 or "id" not in value:
        trailing.append(_wrap(name, _extensions(value, _ID, ns)))  # CBV 2.0 rule 21
    identifier = _field("id", value.get("id"), ns)
    return name + identifier if identifier else ""


_HANDLERS: dict[str, _Handler] = {
    **dict.fromkeys(_EPC_LISTS, _epc_list),
    **dict.fromkeys(_QUANTITY_LISTS, _quantity_list),
    **dict.fromkeys(_TYPED_LISTS, _typed_list),
    "persistentDisposition": _persistent,
    **dict.fromkeys(_LOCATIONS, _location),
}
_ORDER_HANDLERS = tuple((name, kind, _HANDLERS.get(name, _scalar_field)) for name, kind in _ORDER)


def _sensors(value: Any, ns: Mapping[str, str], trailing: list[str]) -> str:
    sensors = [_sensor_element(element, ns) for element in _dicts(value)]
    trailing.extend(extra for _, extra in sensors)
    return "".join(sorted(regular for regular, _ in sensors))  # CBV 2.0: no list name


def prehash_string(event: Mapping[str, Any], *, namespaces: Mapping[str, str] | None = None) -> str:
    """The CBV 2.0 pre-hash string of one EPCIS event in its JSON-LD form (CBV 2.0 §8.9).

    ``namespaces`` maps the prefixes of the enclosing document's ``@context`` (see
    :func:`namespaces_from_context`); an ``@context`` on the event itself adds to them.
    """
    ns = namespaces if namespaces is not None else WELL_KNOWN_NAMESPACES
    if "@context" in event:
        ns = namespaces_from_context(event["@context"], ns)
    data = event if type(event) is dict else dict(event)
    trailing: list[str] = []
    parts = [f"eventType={data.get('type', '')}"]
    for name, kind, handler in _ORDER_HANDLERS:
        if name in data:
            parts.append(handler(name, data[name], kind, ns, trailing))
    if "sensorElementList" in data:
        parts.append(_sensors(data["sensorElementList"], ns, trailing))
    if type(data.get("ilmd")) is dict:
        trailing.append(_wrap("ilmd", _extensions(data["ilmd"], frozenset(), ns)))
    trailing.extend(_extensions(data, _NOT_EXTENSIONS, ns))
    return "".join(parts) + "".join(sorted(filter(None, trailing)))

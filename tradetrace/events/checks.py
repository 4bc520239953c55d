"""Checks of EPCIS 2.0 events that the JSON Schema leaves out (EPCIS 2.0 §7, CBV 2.0 §6-§8).

The bundled schema is compiled without format assertions, so these checks cover what matters
for tracing: CBV code list values (a bare word must be a standard code, CBV 2.0 §6), time
stamps with a time zone offset (EPCIS 2.0 §7.3.1, RFC 3339 §5.6), GS1 identifiers that are
well-formed with correct check digits (EPCIS 2.0 §7.3.3, TDS 2.x, GS1 Digital Link 1.2),
instance identifiers in EPC lists and class identifiers in quantity lists, and user extension
names in a namespace the ``@context`` declares (EPCIS 2.0 §7.5). Each check appends
:class:`~tradetrace.errors.FieldProblem` s; none raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.events import digital_link
from tradetrace.events.cbv import Vocabulary, code_list

__all__ = ["event_problems", "extension_problems", "timestamp_problem"]

_TIMESTAMP_RE = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)"
)
_URI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+")
_ABSOLUTE_KEY_RE = re.compile(r"(?:https?://|urn:)\S+")
# EPC schemes of the TDS for keys that are not GS1 keys; accepted as they are.
_OTHER_EPC_RE = re.compile(r"urn:epc:(?:id|idpat):(?:gid|usdod|adi|bic|imovn):\S+")
_EVENT_TYPES = frozenset(
    {"ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent"}
    | {"AssociationEvent"}
)
_SENSOR_METADATA = frozenset(
    {"time", "deviceID", "deviceMetadata", "rawData", "startTime", "endTime"}
    | {"dataProcessingMethod", "bizRules"}
)
_SENSOR_REPORT = frozenset(
    {"type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod"}
    | {"bizRules", "time", "microorganism", "chemicalSubstance", "coordinateReferenceSystem"}
    | {"value", "component", "stringValue", "booleanValue", "hexBinaryValue", "uriValue"}
    | {"minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue", "uom"}
)

Problems = list[FieldProblem]


def timestamp_problem(value: object) -> str | None:
    """Why ``value`` is not an xsd:dateTimeStamp with a time zone offset (EPCIS 2.0 §7.3.1)."""
    if not isinstance(value, str):
        return None  # the schema reports the type
    if _TIMESTAMP_RE.fullmatch(value) is None:
        return f"{value!r} is not a date-time with a time zone offset (2005-04-03T20:33:31Z)"
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not a real date and time"
    return None


def extension_problems(
    data: Mapping[str, Any], known: Collection[str], prefixes: Collection[str], path: str
) -> Problems:
    """User extension names in ``data`` (fields not in ``known``) that are not namespaced.

    EPCIS 2.0 §7.5 and §9.3: an extension name is a CURIE whose prefix the ``@context``
    declares, or an absolute URI.
    """
    problems = []
    for key in data:
        if key in known:
            continue
        prefix, colon, _ = key.partition(":")
        if not colon:
            reason = "unknown field; a user extension needs a namespace prefix (example:field)"
        elif prefix not in prefixes and _ABSOLUTE_KEY_RE.fullmatch(key) is None:
            reason = f"namespace prefix {prefix!r} is not declared in @context"
        else:
            continue
        problems.append(FieldProblem(f"{path}.{key}" if path else key, reason))
    return problems


@lru_cache(maxsize=32768)
def _identifier_problem(value: str, instance: bool) -> str | None:
    if not value.startswith("urn:epc:") and not digital_link.is_digital_link(value):
        return None if _URI_RE.fullmatch(value) else f"{value!r} is not a URI"
    try:
        identifier = digital_link.parse_identifier(value)
    except InvalidDocument as exc:
        return None if _OTHER_EPC_RE.fullmatch(value) else exc.message
    if instance and identifier.is_class:
        return f"{value!r} names a class of objects, not one object"
    if not instance and not identifier.is_class:
        return f"{value!r} names one object, not a class of objects"
    return None


# Each handler checks one standard field: (value, path of the field, prefixes, problems).
_Handler = Callable[[Any, str, Collection[str], Problems], None]


def _add(problems: Problems, path: str, reason: str | None) -> None:
    if reason is not None:
        problems.append(FieldProblem(path, reason))


def _instance(value: Any, path: str, prefixes: Collection[str], problems: Problems) -> None:
    if isinstance(value, str):
        _add(problems, path, _identifier_problem(value, True))


def _instances(value: Any, path: str, prefixes: Collection[str], problems: Problems) -> None:
    for index, item in enumerate(value if isinstance(value, list) else ()):
        if isinstance(item, str) and (reason := _identifier_problem(item, True)):
            problems.append(FieldProblem(f"{path}[{index}]", reason))


def _classes(value: Any, path: str, prefixes: Collection[str], problems: Problems) -> None:
    for index, item in enumerate(value if isinstance(value, list) else ()):
        epc_class = item.get("epcClass") if isinstance(item, dict) else None
        if isinstance(epc_class, str) and (reason := _identifier_problem(epc_class, False)):
            problems.append(FieldProblem(f"{path}[{index}].epcClass", reason))


def _time(value: Any, path: str, prefixes: Collection[str], problems: Problems) -> None:
    _add(problems, path, timestamp_problem(value))


def _vocabulary(vocabulary: Vocabulary) -> _Handler:
    def check(value: Any, path: str, prefixes: Collection[str], problems: Problems) -> None:
        if isinstance(value, str):
            codes = code_list(vocabulary)  # read once, on first use
            if value not in codes.codes:  # a bare standard code, the usual case, is fine
                _add(problems, path, codes.problem(value))
        elif value is not None:  # the schema's anyOf for these is left to this check
            _add(problems, path, f"{value!r} is not a string")

    return check


def _typed(member: str, vocabulary: Vocabulary) -> _Handler:
    type_check = _vocabulary(vocabulary)

    def check(value: Any, path: str, prefixes: Collection[str], problems: Problems) -> None:
        # Paths are written only for a problem: most entries have none.
        codes = code_list(vocabulary).codes
        for index, item in enumerate(value if isinstance(value, list) else ()):
            if isinstance(item, dict):
                kind = item.get("type")
                if kind is not None and not (isinstance(kind, str) and kind in codes):
                    type_check(kind, f"{path}[{index}].type", prefixes, problems)
                party = item.get(member)
                if isinstance(party, str) and (reason := _identifier_problem(party, True)):
                    problems.append(FieldProblem(f"{path}[{index}].{member}", reason))

    return check


def _location(value: Any, path: str, prefixes: Collection[str], problems: Problems) -> None:
    if isinstance(value, dict):
        if len(value) != 1 or "id" not in value:  # only then can there be an extension
            problems += extension_problems(value, ("id",), prefixes, path)
        place = value.get("id")
        if isinstance(place, str) and (reason := _identifier_problem(place, True)):
            problems.append(FieldProblem(f"{path}.id", reason))


def _persistent(value: Any, path: str, prefixes: Collection[str], problems: Problems) -> None:
    dispositions = _vocabulary(Vocabulary.DISPOSITION)
    for key in ("set", "unset"):
        items = value.get(key) if isinstance(value, dict) else None
        for index, item in enumerate(items if isinstance(items, list) else ()):
            dispositions(item, f"{path}.{key}[{index}]", prefixes, problems)


def _error_declaration(
    value: Any, path: str, prefixes: Collection[str], problems: Problems
) -> None:
    if isinstance(value, dict):
        known = ("declarationTime", "reason", "correctiveEventIDs")
        problems += extension_problems(value, known, prefixes, path)
        _time(value.get("declarationTime"), f"{path}.declarationTime", prefixes, problems)
        reasons = _vocabulary(Vocabulary.ERROR_REASON)
        reasons(value.get("reason"), f"{path}.reason", prefixes, problems)


def _ilmd(value: Any, path: str, prefixes: Collection[str], problems: Problems) -> None:
    if isinstance(value, dict):
        problems += extension_problems(value, (), prefixes, path)


def _sensors(value: Any, path: str, prefixes: Collection[str], problems: Problems) -> None:
    for index, element in enumerate(value if isinstance(value, list) else ()):
        if isinstance(element, dict):
            _sensor_element(element, f"{path}[{index}]", prefixes, problems)


def _sensor_element(
    element: dict[str, Any], path: str, prefixes: Collection[str], problems: Problems
) -> None:
    problems += extension_problems(element, ("sensorMetadata", "sensorReport"), prefixes, path)
    metadata = element.get("sensorMetadata")
    if isinstance(metadata, dict):
        where = f"{path}.sensorMetadata"
        problems += extension_problems(metadata, _SENSOR_METADATA, prefixes, where)
        for name in ("time", "startTime", "endTime"):
            _time(metadata.get(name), f"{where}.{name}", prefixes, problems)
    reports = element.get("sensorReport")
    for index, report in enumerate(reports if isinstance(reports, list) else ()):
        if isinstance(report, dict):
            where = f"{path}.sensorReport[{index}]"
            problems += extension_problems(report, _SENSOR_REPORT, prefixes, where)
            _time(report.get("time"), f"{where}.time", prefixes, problems)
            for name, vocabulary in _REPORT_VOCABULARIES:
                _vocabulary(vocabulary)(report.get(name), f"{where}.{name}", prefixes, problems)


_REPORT_VOCABULARIES = (
    ("type", Vocabulary.MEASUREMENT_TYPE),
    ("exception", Vocabulary.SENSOR_ALERT_TYPE),
    ("component", Vocabulary.COMPONENT),
)
_HANDLERS: dict[str, _Handler] = {
    "eventTime": _time,
    "recordTime": _time,
    "bizStep": _vocabulary(Vocabulary.BIZ_STEP),
    "disposition": _vocabulary(Vocabulary.DISPOSITION),
    "persistentDisposition": _persistent,
    "epcList": _instances,
    "childEPCs": _instances,
    "inputEPCList": _instances,
    "outputEPCList": _instances,
    "parentID": _instance,
    "quantityList": _classes,
    "childQuantityList": _classes,
    "inputQuantityList": _classes,
    "outputQuantityList": _classes,
    "bizTransactionList": _typed("bizTransaction", Vocabulary.BIZ_TRANSACTION_TYPE),
    "sourceList": _typed("source", Vocabulary.SOURCE_DESTINATION_TYPE),
    "destinationList": _typed("destination", Vocabulary.SOURCE_DESTINATION_TYPE),
    "readPoint": _location,
    "bizLocation": _location,
    "errorDeclaration": _error_declaration,
    "ilmd": _ilmd,
    "sensorElementList": _sensors,
}


def event_problems(
    event: Mapping[str, Any], path: str, *, known: Collection[str], prefixes: Collection[str]
) -> Problems:
    """Every problem of one event beyond the JSON Schema (see the module docstring).

    ``known`` are the standard field names of the event's type and ``prefixes`` the
    namespace prefixes in scope.
    """
    problems: Problems = []
    kind = event.get("type")
    if not isinstance(kind, str) or kind not in _EVENT_TYPES:
        if "type" in event:  # a missing type is reported by the schema
            _add(problems, f"{path}.type", f"unsupported event type {kind!r}")
        return problems
    handlers = _HANDLERS
    for key, value in event.items():
        if key not in known:  # a field of another event type is no extension either
            problems += extension_problems({key: value}, known, prefixes, path)
        elif key in handlers:
            handlers[key](value, f"{path}.{key}", prefixes, problems)
    return problems

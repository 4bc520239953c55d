"""EPCIS 2.0 event queries: the common query parameters, parsed once, and page tokens.

EPCIS 2.0 §8.2.7.1 (SimpleEventQuery) and the REST binding's ``GET /events``: ``eventType``,
``GE_eventTime``/``LT_eventTime``, ``GE_recordTime``/``LT_recordTime``, ``EQ_action``,
``EQ_bizStep``, ``EQ_disposition``, ``EQ_readPoint``, ``EQ_bizLocation``, ``MATCH_epc``
(epcList, childEPCs, inputEPCList, outputEPCList), ``MATCH_anyEPC`` (those and parentID),
``MATCH_parentID``, ``MATCH_inputEPC``, ``MATCH_outputEPC``, ``MATCH_epcClass`` (the four
quantity lists), ``perPage`` and ``nextPageToken``. A parameter takes one value or several
(repeated, or separated by commas). ``MATCH_`` values may be EPC pattern URIs
(``urn:epc:idpat:sgtin:0614141.107346.*``, TDS §8) for every serial or lot of a product.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.events import checks, digital_link
from tradetrace.events.cbv import Vocabulary
from tradetrace.events.ingest import Role, canonical_or_given, standard_code

__all__ = [
    "DEFAULT_PER_PAGE",
    "MAX_PER_PAGE",
    "EventQuery",
    "IdentifierMatch",
    "page_token",
    "parse_query",
]

DEFAULT_PER_PAGE = 30
"""Events per page when ``perPage`` is not given (EPCIS 2.0 REST binding default)."""
MAX_PER_PAGE = 1000
"""The largest ``perPage`` this repository serves."""

_EVENT_TYPES = frozenset(
    {"ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent"}
    | {"AssociationEvent"}
)
_INSTANCE_ROLES = (Role.EPC, Role.CHILD, Role.INPUT, Role.OUTPUT)
_CLASS_ROLES = (Role.QUANTITY, Role.CHILD, Role.INPUT, Role.OUTPUT)
_MATCHES: Mapping[str, tuple[tuple[Role, ...], bool]] = {
    "MATCH_epc": (_INSTANCE_ROLES, False),
    "MATCH_anyEPC": ((*_INSTANCE_ROLES, Role.PARENT), False),
    "MATCH_parentID": ((Role.PARENT,), False),
    "MATCH_inputEPC": ((Role.INPUT,), False),
    "MATCH_outputEPC": ((Role.OUTPUT,), False),
    "MATCH_epcClass": (_CLASS_ROLES, True),
}
_TIMES = ("GE_eventTime", "LT_eventTime", "GE_recordTime", "LT_recordTime")
_PAGING = ("perPage", "nextPageToken")
_KNOWN = frozenset(_MATCHES) | frozenset(_TIMES) | frozenset(_PAGING)
_KNOWN |= {"eventType", "EQ_action", "EQ_bizStep", "EQ_disposition", "EQ_readPoint"}
_KNOWN |= {"EQ_bizLocation"}


@dataclass(frozen=True, slots=True)
class IdentifierMatch:
    """One ``MATCH_`` parameter: identifiers (exact) or canonical prefixes, in some roles."""

    roles: tuple[Role, ...]
    is_class: bool
    exact: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EventQuery:
    """A parsed SimpleEventQuery (EPCIS 2.0 §8.2.7.1); empty fields do not filter."""

    event_types: tuple[str, ...] = ()
    times: Mapping[str, datetime] = field(default_factory=dict)
    actions: tuple[str, ...] = ()
    biz_steps: tuple[str, ...] = ()
    dispositions: tuple[str, ...] = ()
    read_points: tuple[str, ...] = ()
    biz_locations: tuple[str, ...] = ()
    matches: tuple[IdentifierMatch, ...] = ()
    per_page: int = DEFAULT_PER_PAGE
    after: int | None = None
    fingerprint: str = ""


def _values(raw: Sequence[str]) -> tuple[str, ...]:
    return tuple(part.strip() for value in raw for part in value.split(",") if part.strip())


def _pattern(value: str, is_class: bool) -> tuple[list[str], list[str]]:
    """The exact canonical identifiers and canonical prefixes a ``MATCH_`` value stands for.

    Raises :class:`~tradetrace.errors.InvalidDocument` for a malformed GS1 identifier.
    """
    if value.startswith("urn:epc:idpat:") and value.endswith(".*"):
        scheme, _, body = value.removeprefix("urn:epc:idpat:").partition(":")
        probe = digital_link.canonical_identifier(f"urn:epc:id:{scheme}:{body[:-2]}.0")
        if scheme != "sgtin":
            return [], [probe[:-1]]
        product = probe.removesuffix("21/0")  # https://id.gs1.org/01/<GTIN>/
        if is_class:  # the product itself and each of its lots
            return [product[:-1]], [product + "10/"]
        return [], [product + "21/"]
    if value.startswith("urn:epc:") or digital_link.is_digital_link(value):
        return [digital_link.canonical_identifier(value)], []
    return [value], []


def _time(name: str, value: str, problems: list[FieldProblem]) -> datetime | None:
    reason = checks.timestamp_problem(value)
    if reason is not None:
        problems.append(FieldProblem(name, reason))
        return None
    return datetime.fromisoformat(value).astimezone(UTC)


def page_token(after: int, fingerprint: str) -> str:
    """An opaque ``nextPageToken``: the last event seen and the query it belongs to."""
    return base64.urlsafe_b64encode(f"v1:{after}:{fingerprint}".encode()).decode().rstrip("=")


def _read_token(token: str, fingerprint: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        version, after, owner = text.split(":")
        if version != "v1" or owner != fingerprint:
            raise ValueError("token of another query")
        return int(after)
    except ValueError as exc:
        raise InvalidDocument(
            "invalid nextPageToken: not a token this query issued",
            problems=(FieldProblem("nextPageToken", "not a token this query issued"),),
        ) from exc


def _fingerprint(params: Mapping[str, Sequence[str]]) -> str:
    parts = sorted((k, tuple(v)) for k, v in params.items() if k not in _PAGING)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def parse_query(params: Mapping[str, Sequence[str]]) -> EventQuery:
    """Parse query parameters (name -> values) into an :class:`EventQuery`.

    Raises :class:`~tradetrace.errors.InvalidDocument` naming every bad parameter (EPCIS 2.0
    §8.2.7: ``QueryParameterException``), an unknown one included.
    """
    problems: list[FieldProblem] = []
    fingerprint = _fingerprint(params)
    values = {name: _values(raw) for name, raw in params.items()}
    for name in values:
        if name not in _KNOWN:
            problems.append(FieldProblem(name, "unknown query parameter"))
    for name in values.get("eventType", ()):
        if name not in _EVENT_TYPES:
            problems.append(FieldProblem("eventType", f"{name!r} is not an EPCIS event type"))
    for action in values.get("EQ_action", ()):
        if action not in {"ADD", "OBSERVE", "DELETE"}:
            problems.append(FieldProblem("EQ_action", f"{action!r} is not ADD, OBSERVE or DELETE"))
    times = {}
    for name in _TIMES:
        for value in values.get(name, ())[:1]:
            moment = _time(name, value, problems)
            if moment is not None:
                times[name] = moment
    matches = []
    for name, (roles, is_class) in _MATCHES.items():
        exact: list[str] = []
        prefixes: list[str] = []
        for value in values.get(name, ()):
            try:
                more, starts = _pattern(value, is_class)
            except InvalidDocument as exc:
                problems.append(FieldProblem(name, exc.message))
                continue
            exact += more
            prefixes += starts
        if exact or prefixes:
            matches.append(IdentifierMatch(roles, is_class, tuple(exact), tuple(prefixes)))
    per_page = DEFAULT_PER_PAGE
    for value in values.get("perPage", ())[:1]:
        if not value.isdigit() or not 1 <= int(value) <= MAX_PER_PAGE:
            problems.append(FieldProblem("perPage", f"expected 1 to {MAX_PER_PAGE}"))
        else:
            per_page = int(value)
    after = None
    for token in values.get("nextPageToken", ())[:1]:
        try:
            after = _read_token(token, fingerprint)
        except InvalidDocument as exc:
            problems += exc.problems
    if problems:
        raise InvalidDocument.from_problems("EPCIS query", problems)
    return EventQuery(
        event_types=values.get("eventType", ()),
        times=times,
        actions=values.get("EQ_action", ()),
        biz_steps=tuple(
            str(standard_code(Vocabulary.BIZ_STEP, v)) for v in values.get("EQ_bizStep", ())
        ),
        dispositions=tuple(
            str(standard_code(Vocabulary.DISPOSITION, v)) for v in values.get("EQ_disposition", ())
        ),
        read_points=tuple(canonical_or_given(v) for v in values.get("EQ_readPoint", ())),
        biz_locations=tuple(canonical_or_given(v) for v in values.get("EQ_bizLocation", ())),
        matches=tuple(matches),
        per_page=per_page,
        after=after,
        fingerprint=fingerprint,
    )

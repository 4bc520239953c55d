"""The demo shipments' data files (``demo_data/<name>.json``), parsed once and checked.

Each file is one JSON object:

- ``name``, ``domain``, ``story``: the shipment in a line;
- ``entry``: the entry in the camelCase wire form of :class:`tradetrace.entries.Entry`;
- ``credentials``: each with a ``key``, the demo organisation that ``issuer``-s it, its
  ``format`` (:class:`tradetrace.credentials.issue.Format`), ``issuedAt`` (when it is issued
  and logged) and the unsigned ``document``, whose ``id`` is fixed so that loading is idempotent;
- ``events``: EPCIS 2.0 documents, each captured by a demo ``party`` at ``capturedAt``;
- ``recordations``: the CBP IPR recordations (19 CFR Part 133) the shipment relies on, the
  ``owner`` a demo organisation;
- ``expected``: the decision an assessment must reach: the ``recommendation``, the rule ids of
  the findings that drive it (``reasons``), each line's ``preference`` and ``admissible``, some
  ``duties`` amounts, and the ``evidence`` beyond the credentials it relies on (``trace``: the
  captured EPCIS events; ``recordations``: the recordation registry).

``did:demo:<slug>`` anywhere in a file stands for the demo organisation ``slug``'s did:web on
this node (:func:`with_dids`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from tradetrace.credentials import issue
from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.rules import PreferenceStatus, Recommendation, RightKind

__all__ = [
    "SHIPMENT_NAMES",
    "CredentialSpec",
    "EventsSpec",
    "ExpectedLineSpec",
    "ExpectedSpec",
    "RecordationSpec",
    "ShipmentSpec",
    "parse_shipment_spec",
    "read_shipment_specs",
    "with_dids",
]

SHIPMENT_NAMES = (
    "usmca-conductors",
    "cafta-tshirts",
    "steel-sheet",
    "pipeline-crude",
    "pipeline-gas",
    "ecommerce-type86",
    "ecommerce-formal",
    "food-cucumbers",
    "ipr-licensed-shoes",
    "ipr-unlicensed-shoes",
)
"""The demo shipments, in the order they are loaded and listed."""

_PLACEHOLDER = re.compile(r"did:demo:([a-z0-9-]+)")


class _Spec(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True
    )


class CredentialSpec(_Spec):
    """A credential to issue as demo organisation ``issuer`` at ``issued_at``."""

    key: str
    issuer: str
    format: issue.Format
    issued_at: AwareDatetime
    document: dict[str, Any]


class EventsSpec(_Spec):
    """An EPCIS document captured by demo organisation ``party`` at ``captured_at``."""

    party: str
    captured_at: AwareDatetime
    document: dict[str, Any]


class RecordationSpec(_Spec):
    """A CBP recordation of a mark owned by demo organisation ``owner``."""

    number: str
    kind: RightKind
    mark: str
    owner: str
    valid_until: date
    goods: tuple[str, ...] = ()


class ExpectedLineSpec(_Spec):
    """One line's expected preference and admissibility."""

    preference: PreferenceStatus
    admissible: bool


class ExpectedSpec(_Spec):
    """The expected decision (see the module docstring)."""

    recommendation: Recommendation
    reasons: tuple[str, ...] = ()
    lines: tuple[ExpectedLineSpec, ...]
    duties: dict[Literal["duty", "additional_duties", "mpf", "hmf", "total"], Decimal] = {}
    evidence: tuple[Literal["trace", "recordations"], ...] = ()


class ShipmentSpec(_Spec):
    """One demo shipment as its data file states it."""

    name: str
    domain: str
    story: str
    entry: dict[str, Any]
    credentials: tuple[CredentialSpec, ...] = ()
    events: tuple[EventsSpec, ...] = ()
    recordations: tuple[RecordationSpec, ...] = ()
    expected: ExpectedSpec


def _problems(error: ValidationError) -> list[FieldProblem]:
    return [
        FieldProblem(".".join(str(part) for part in item["loc"]) or "(file)", item["msg"])
        for item in error.errors()
    ]


def parse_shipment_spec(name: str, text: str) -> ShipmentSpec:
    """The demo shipment ``name`` from the text of its data file.

    Raises :class:`InvalidDocument` naming the shipment and each field at fault.
    """
    what = f"demo shipment {name}"
    try:
        spec = ShipmentSpec.model_validate(json.loads(text))
    except ValidationError as exc:
        raise InvalidDocument.from_problems(what, _problems(exc)) from exc
    except ValueError as exc:
        problem = FieldProblem("(file)", f"not JSON: {exc}")
        raise InvalidDocument.from_problems(what, [problem]) from exc
    if spec.name != name:
        problem = FieldProblem("name", f"expected {name!r}, got {spec.name!r}")
        raise InvalidDocument.from_problems(what, [problem])
    return spec


def read_shipment_specs() -> tuple[ShipmentSpec, ...]:
    """Every demo shipment's data file, parsed, in :data:`SHIPMENT_NAMES` order."""
    folder = resources.files(__package__ or "tradetrace.workflows").joinpath("demo_data")
    return tuple(
        parse_shipment_spec(name, folder.joinpath(f"{name}.json").read_text(encoding="utf-8"))
        for name in SHIPMENT_NAMES
    )


def with_dids(value: Any, dids: Mapping[str, str]) -> Any:
    """``value`` (JSON data) with every ``did:demo:<slug>`` replaced by ``dids[slug]``.

    Raises :class:`InvalidDocument` for a slug that is not a demo organisation here.
    """
    if isinstance(value, str):

        def replace(match: re.Match[str]) -> str:
            slug = match.group(1)
            if slug not in dids:
                reason = f"no demo organisation {slug!r} on this node (load the demo first)"
                raise InvalidDocument.from_problems(
                    "demo shipment data", [FieldProblem(match.group(0), reason)]
                )
            return dids[slug]

        return _PLACEHOLDER.sub(replace, value)
    if isinstance(value, Mapping):
        return {key: with_dids(item, dids) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [with_dids(item, dids) for item in value]
    return value

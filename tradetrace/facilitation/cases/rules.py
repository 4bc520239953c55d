"""The triage rules file: what operators can tune without touching code.

A file lists rules (each a ``kind`` with its parameters and the points it adds), the age points,
and the priority levels with their minimum score and service level in hours. It is parsed field
by field; :mod:`~tradetrace.facilitation.cases.triage` applies it. Example (the bundled default,
``data/triage-rules.json``)::

    {"version": "2020-04-14",
     "rules": [{"id": "critical-medical-goods", "kind": "hts_list", "list": "covid19-medical",
                "points": 60, "description": "..."}, ...],
     "age": {"points_per_day": 5, "max_points": 30},
     "priorities": [{"priority": "p1", "min_score": 100, "sla_hours": 4}, ...]}
"""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from tradetrace.facilitation.cases.identifiers import HtsCodeField
from tradetrace.facilitation.cases.vocabulary import Agency, InquiryCategory, Priority
from tradetrace.facilitation.parsing import parse_json_model

__all__ = [
    "AgePoints",
    "AgencyRequestRule",
    "CargoOnHoldRule",
    "CategoryRule",
    "HtsListRule",
    "PriorityLevel",
    "Rule",
    "TriageRules",
]

_Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Rule(_Data):
    id: _Slug
    points: Annotated[int, Field(ge=0, le=1000)]
    description: _Text


class HtsListRule(_Rule):
    """Matches goods whose HTS number is on a code list or starts with one of ``codes``."""

    kind: Literal["hts_list"]
    list: _Slug | None = None
    codes: tuple[HtsCodeField, ...] = ()
    include_uncertain: bool = False

    @model_validator(mode="after")
    def _has_codes(self) -> HtsListRule:
        if self.list is None and not self.codes:
            raise ValueError("an hts_list rule names a code list or lists codes")
        return self


class CargoOnHoldRule(_Rule):
    """Matches cargo that the requester reports on hold at a port."""

    kind: Literal["cargo_on_hold"]


class AgencyRequestRule(_Rule):
    """Matches requests from a partner government agency (any, or one of ``agencies``)."""

    kind: Literal["agency_request"]
    agencies: tuple[Agency, ...] = ()


class CategoryRule(_Rule):
    """Matches inquiries in one portal category."""

    kind: Literal["category"]
    category: InquiryCategory


Rule = Annotated[
    HtsListRule | CargoOnHoldRule | AgencyRequestRule | CategoryRule, Field(discriminator="kind")
]


class AgePoints(_Data):
    """Points a case gains per full day of waiting, up to a cap."""

    points_per_day: Annotated[int, Field(ge=0, le=1000)]
    max_points: Annotated[int, Field(ge=0, le=1000)]


class PriorityLevel(_Data):
    """A priority, the lowest score that reaches it, and its service level."""

    priority: Priority
    min_score: Annotated[int, Field(ge=0)]
    sla_hours: Annotated[int, Field(ge=1, le=24 * 60)]


class TriageRules(_Data):
    """A complete, consistent set of triage rules."""

    version: _Text
    description: str = ""
    rules: tuple[Rule, ...]
    age: AgePoints
    priorities: tuple[PriorityLevel, ...]

    @model_validator(mode="after")
    def _consistent(self) -> TriageRules:
        ids = [rule.id for rule in self.rules]
        if len(set(ids)) != len(ids):
            raise ValueError(f"rule ids must be unique, got {', '.join(ids)}")
        levels = [level.priority for level in self.priorities]
        if levels != list(Priority):
            raise ValueError("priorities must list p1, p2, p3 and p4 once each, in that order")
        scores = [level.min_score for level in self.priorities]
        if any(higher <= lower for higher, lower in pairwise(scores)):
            raise ValueError(f"min_score must fall from p1 to p4, got {scores}")
        if scores[-1] != 0:
            raise ValueError(
                f"p4 must start at min_score 0 so every case has a priority, got {scores[-1]}"
            )
        return self

    @classmethod
    def from_json(cls, text: str | bytes) -> TriageRules:
        """Parse a rules file; raises :class:`~tradetrace.errors.InvalidDocument` per field."""
        return parse_json_model(cls, text, what="triage rules")

    def priority_for(self, score: int) -> Priority:
        """The highest priority whose minimum score ``score`` reaches."""
        return next(level.priority for level in self.priorities if score >= level.min_score)

    def service_level(self, priority: Priority) -> timedelta:
        """How long a case of ``priority`` may wait before it is overdue."""
        hours = next(level.sla_hours for level in self.priorities if level.priority is priority)
        return timedelta(hours=hours)

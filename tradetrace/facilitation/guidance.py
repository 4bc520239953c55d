"""The public guidance page of the cargo-resolution desk: questions, answers, review dates.

CBP's COVID-19 Relief Imports portal put FAQs beside each of its four tabs (customs.md §4,
CSMS #42364745). Here an entry is a question with its answer, the portal category it belongs
to (or none), the date an operator last reviewed the answer, and the case numbers it came from,
so an answer links back to the cases that prompted it. :meth:`GuidanceDraft.parse` checks what
an operator submits; :func:`search_guidance` is the page's search (every word must appear).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from tradetrace.errors import InvalidDocument
from tradetrace.facilitation.cases.vocabulary import InquiryCategory
from tradetrace.facilitation.parsing import problems_from_validation_error

__all__ = [
    "CASE_NUMBER_PATTERN",
    "GuidanceDraft",
    "GuidanceEntry",
    "search_guidance",
]

CASE_NUMBER_PATTERN = r"^CRT-\d{4}-\d{6}$"
"""A desk case number: ``CRT-``, the year received and a six-digit serial (``CRT-2020-000042``)."""

_Slug = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80),
]


def _case_number(text: str) -> str:
    number = text.strip().upper()
    if re.match(CASE_NUMBER_PATTERN, number) is None:
        raise ValueError(f"expected a case number like CRT-2020-000042, got {text!r}")
    return number


_CaseNumber = Annotated[str, AfterValidator(_case_number)]


class GuidanceDraft(BaseModel):
    """A question and answer as an operator submits it, checked field by field."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    slug: _Slug
    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=500)]
    answer: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
    category: InquiryCategory | None = None
    last_reviewed: date
    case_numbers: tuple[_CaseNumber, ...] = Field(default=(), max_length=50)

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> GuidanceDraft:
        """Validate a submitted entry; raises :class:`~tradetrace.errors.InvalidDocument`
        naming every field at fault."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems = problems_from_validation_error(exc)
            raise InvalidDocument.from_problems("guidance entry", problems) from exc


@dataclass(frozen=True, slots=True)
class GuidanceEntry:
    """A published question and answer, with who last changed it and when."""

    slug: str
    question: str
    answer: str
    category: InquiryCategory | None
    last_reviewed_date: date
    case_numbers: tuple[str, ...]
    updated_by: str
    updated_at: datetime


def _words(query: str) -> list[str]:
    return [word for word in re.split(r"\s+", query.casefold()) if word]


def search_guidance(entries: Iterable[GuidanceEntry], query: str) -> tuple[GuidanceEntry, ...]:
    """The entries whose question or answer contains every word of ``query`` (any case).

    An empty query matches everything; the order of ``entries`` is kept.
    """
    words = _words(query)
    found = []
    for entry in entries:
        text = f"{entry.question}\n{entry.answer}".casefold()
        if all(word in text for word in words):
            found.append(entry)
    return tuple(found)

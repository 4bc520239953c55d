"""Guidance entries: parsed field by field, searched word by word."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.facilitation.cases import InquiryCategory
from tradetrace.facilitation.guidance import GuidanceDraft, GuidanceEntry, search_guidance


def _entry(slug, question, answer):
    return GuidanceEntry(
        slug,
        question,
        answer,
        None,
        date(2020, 4, 20),
        (),
        "officer-7",
        datetime(2020, 4, 20, tzinfo=UTC),
    )


def test_draft_parse_normalises_case_numbers_and_category():
    draft = GuidanceDraft.parse(
        {
            "slug": "masks",
            "question": "Masks: which HTS?",
            "answer": "6307.90",
            "category": "classification_duty",
            "last_reviewed": "2020-04-20",
            "case_numbers": [" crt-2020-000001 "],
        }
    )

    assert draft.case_numbers == ("CRT-2020-000001",)
    assert draft.category is InquiryCategory.CLASSIFICATION_DUTY


def test_draft_parse_names_every_field_at_fault():
    with pytest.raises(InvalidDocument, match="invalid guidance entry: ") as caught:
        GuidanceDraft.parse(
            {
                "slug": "No Spaces",
                "question": "?",
                "last_reviewed": "later",
                "case_numbers": ["42"],
                "colour": "red",
            }
        )

    assert caught.value.code == "invalid_document"
    assert {p.field for p in caught.value.problems} == {
        "slug",
        "question",
        "answer",
        "last_reviewed",
        "case_numbers[0]",
        "colour",
    }


def test_search_needs_every_word_in_any_case_and_keeps_order():
    entries = [
        _entry("a", "Face masks", "Subheading 6307.90"),
        _entry("b", "Ventilators", "Subheading 9019.20; masks excluded"),
    ]

    assert [e.slug for e in search_guidance(entries, "MASKS")] == ["a", "b"]
    assert [e.slug for e in search_guidance(entries, "masks 6307")] == ["a"]
    assert [e.slug for e in search_guidance(entries, "  ")] == ["a", "b"]
    assert search_guidance(entries, "gloves") == ()

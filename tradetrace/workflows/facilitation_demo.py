"""Demo data for facilitation: desk cases at several stages, guidance, a relief population.

Everything is fictional; the inquiries follow the portal's four categories (customs.md §4) and
the goods the COVID-19 medical list names (§3.3). Loading is idempotent: demo cases (requester
ids starting ``demo:``) and a non-empty relief ledger are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from tradetrace.facilitation.cases import (
    Actor,
    Resolution,
    Role,
    answer_case,
    assign_case,
    close_case,
    request_information,
)
from tradetrace.storage.facilitation import CaseRepository
from tradetrace.workflows import cases, guidance, relief

__all__ = ["FacilitationDemo", "load_demo_facilitation"]

_OPERATOR = Actor("officer-demo", Role.OPERATOR)


def _contact(name: str, organisation: str, kind: str, **extra: str) -> dict[str, str]:
    email = f"{name.split()[0].lower()}@example.org"
    return {"name": name, "organisation": organisation, "email": email, "kind": kind, **extra}


_INQUIRIES: tuple[dict[str, Any], ...] = (
    {
        "category": "cargo_hold",
        "channel": "portal",
        "subject": "ICU ventilators held at O'Hare",
        "message": "Twenty ICU ventilators are on hold at ORD; three hospitals are waiting.",
        "contact": _contact("Dana Reyes", "Mercy Hospital Supply", "importer"),
        "shipment": {"mode": "air", "status": "on_hold", "air_waybill_numbers": ["589-81140743"]},
        "conveyance": {
            "carrier": "Atlas Air",
            "flight_number": "5Y8140",
            "port_of_arrival": "3901",
            "port_of_entry": "3901",
        },
        "goods": [{"description": "ICU ventilators", "hts_code": "9019.20.0000"}],
        "country_of_manufacture": "CN",
        "country_of_export": "CN",
    },
    {
        "category": "cargo_hold",
        "channel": "email",
        "subject": "Project Airbridge flight with test kits to LAX",
        "message": "FEMA-arranged flight lands tomorrow with COVID-19 test kits for state labs.",
        "contact": _contact("Sam Okafor", "FEMA Region IX", "government_agency", agency="fema"),
        "shipment": {"mode": "air", "status": "in_transit", "manifest_numbers": ["AIRBRIDGE-17"]},
        "conveyance": {
            "carrier": "Atlas Air",
            "flight_number": "5Y9733",
            "port_of_arrival": "2720",
            "port_of_entry": "2720",
        },
        "goods": [{"description": "COVID-19 test kits", "hts_code": "3822.00.0000"}],
    },
    {
        "category": "classification_duty",
        "channel": "portal",
        "subject": "Classification of disposable face masks",
        "message": "Which HTS number applies to three-ply disposable face masks?",
        "contact": _contact("Lee Wong", "Pacific Medical Imports", "broker"),
        "goods": [{"description": "three-ply disposable textile face masks"}],
    },
    {
        "category": "ppe_guidance",
        "channel": "portal",
        "subject": "FDA data for KN95 respirators",
        "message": "What FDA information do we transmit for KN95 respirators?",
        "contact": _contact("Ana Silva", "Harbor Health Distributors", "importer"),
    },
    {
        "category": "admissibility",
        "channel": "portal",
        "subject": "Hand sanitiser from Mexico",
        "message": "Can we import alcohol-based hand sanitiser made in Mexico for resale?",
        "contact": _contact("Mo Patel", "CleanHands Retail", "importer"),
        "goods": [{"description": "alcohol-based hand sanitiser gel", "hts_code": "3808.94"}],
        "country_of_manufacture": "MX",
        "country_of_export": "MX",
    },
)

_GUIDANCE: tuple[dict[str, Any], ...] = (
    {
        "slug": "cargo-on-hold",
        "question": "Our medical supplies are on hold at a port. What should we send?",
        "answer": "File a Cargo Holding/Facilitation request with the air waybill or bill of "
        "lading, the entry number, the carrier and flight or voyage, the ports of arrival and "
        "entry, and a full description of the goods. The desk coordinates with the port and the "
        "partner agencies (FDA, FEMA) and answers you directly.",
        "category": "cargo_hold",
        "case": 0,
    },
    {
        "slug": "face-mask-classification",
        "question": "How are disposable textile face masks classified?",
        "answer": "Textile face masks without a replaceable filter or mechanical parts fall in "
        "subheading 6307.90 (ruling NY N311153: 6307.90.9889). Respirators with mechanical "
        "parts or replaceable filters fall in 9020.00.",
        "category": "classification_duty",
        "case": 2,
    },
    {
        "slug": "fda-data-for-ppe",
        "question": "What FDA data do PPE and medical device entries need?",
        "answer": "Transmit the FDA data elements with the entry: manufacturer, device "
        "registration and listing numbers and, for devices under an Emergency Use "
        "Authorization, the EUA intended-use code (CSMS #42124872 and #42448725).",
        "category": "ppe_guidance",
        "case": 3,
    },
    {
        "slug": "duty-deferral-2020",
        "question": "Can we postpone paying duties on entries made in March and April 2020?",
        "answer": "Under 19 CFR 24.1a, importers whose operations were suspended by government "
        "order and whose gross receipts fell below 60% of the same period of 2019 may pay "
        "estimated duties, taxes and fees on formal entries 90 days later. Entries with "
        "antidumping, countervailing, Section 201, 232 or 301 duties do not qualify.",
        "category": None,
        "case": None,
    },
)


@dataclass(frozen=True, slots=True)
class FacilitationDemo:
    """What :func:`load_demo_facilitation` added."""

    cases: int
    guidance: int
    relief_entries: int


def _work_cases(session: Session, numbers: list[str], now: datetime) -> None:
    minute = timedelta(minutes=1)
    ventilators, _, masks, kn95, _ = numbers
    cases.change_case(
        session,
        ventilators,
        lambda c: assign_case(c, actor=_OPERATOR, assignee=_OPERATOR.id, now=now - 50 * minute),
    )
    cases.change_case(
        session,
        ventilators,
        lambda c: answer_case(
            c, actor=_OPERATOR, message="FDA released the shipment; CBP release follows.", now=now
        ),
    )
    cases.change_case(
        session,
        masks,
        lambda c: assign_case(c, actor=_OPERATOR, assignee=_OPERATOR.id, now=now - 9 * minute),
    )
    cases.change_case(
        session,
        masks,
        lambda c: answer_case(
            c, actor=_OPERATOR, message="Subheading 6307.90 (see ruling NY N311153).", now=now
        ),
    )
    cases.change_case(
        session,
        masks,
        lambda c: close_case(c, actor=_OPERATOR, resolution=Resolution.ANSWERED, now=now),
    )
    cases.change_case(
        session,
        kn95,
        lambda c: assign_case(c, actor=_OPERATOR, assignee=_OPERATOR.id, now=now - 5 * minute),
    )
    cases.change_case(
        session,
        kn95,
        lambda c: request_information(
            c, actor=_OPERATOR, message="Is the respirator for medical use (EUA)?", now=now
        ),
    )


def load_demo_facilitation(session: Session, *, now: datetime) -> FacilitationDemo:
    """Load demo cases, guidance linked to them and a small relief population (idempotent)."""
    relief_entries = relief.load_demo_population(session, now=now)
    if CaseRepository(session).count_for_requester_prefix("demo:"):
        return FacilitationDemo(0, 0, relief_entries)
    numbers = []
    for index, data in enumerate(_INQUIRIES):
        received = now - timedelta(hours=3 * (len(_INQUIRIES) - index))
        submitted = cases.submit_inquiry(
            session, data, now=received, requester_id=f"demo:requester-{index + 1}"
        )
        numbers.append(submitted.case.id)
    _work_cases(session, numbers, now)
    for item in _GUIDANCE:
        linked = [] if item["case"] is None else [numbers[item["case"]]]
        fields = {key: value for key, value in item.items() if key != "case"}
        data = {**fields, "last_reviewed": now.date().isoformat(), "case_numbers": linked}
        guidance.save_guidance(session, data, by=_OPERATOR, now=now)
    return FacilitationDemo(len(numbers), len(_GUIDANCE), relief_entries)

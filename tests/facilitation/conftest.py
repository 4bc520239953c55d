"""Fixtures for the facilitation tests: the 2020 program, program variants defined as data,
inquiry and case factories, actors and a fixed clock."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import pytest

from tradetrace.facilitation.cases import (
    Actor,
    Case,
    Inquiry,
    Role,
    TriagePolicy,
    load_triage_policy,
    open_case,
)
from tradetrace.facilitation.relief import ReliefProgram, load_program

NOW = datetime(2020, 4, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def program() -> ReliefProgram:
    """The bundled ``us-covid-2020`` program (19 CFR 24.1a)."""
    return load_program("us-covid-2020")


@pytest.fixture(scope="session")
def program_data() -> dict[str, Any]:
    """The bundled program file as JSON data, to derive variants from."""
    folder = resources.files("tradetrace.facilitation.relief").joinpath("programs")
    return json.loads(folder.joinpath("us-covid-2020.json").read_text(encoding="utf-8"))


@pytest.fixture
def make_program(program_data: dict[str, Any]) -> Callable[..., ReliefProgram]:
    """``make_program(edit)``: the 2020 program with ``edit(data)`` applied, parsed from JSON."""

    def _make(edit: Callable[[dict[str, Any]], None]) -> ReliefProgram:
        data = copy.deepcopy(program_data)
        edit(data)
        return ReliefProgram.from_json(json.dumps(data))

    return _make


@pytest.fixture(scope="session")
def policy() -> TriagePolicy:
    """The bundled triage rules with the COVID-19 medical code list."""
    return load_triage_policy()


_CONTACT = {
    "name": "Dana Reyes",
    "organisation": "Mercy Hospital Supply",
    "email": "dana@example.org",
    "phone": "+1 (312) 555-0100",
    "kind": "importer",
}

_SCENARIOS: dict[str, dict[str, Any]] = {
    "ventilators_on_hold": {
        "category": "cargo_hold",
        "channel": "portal",
        "subject": "ventilators held at O'Hare",
        "message": "Twenty ICU ventilators are on hold; hospitals are waiting.",
        "contact": _CONTACT,
        "shipment": {
            "mode": "air",
            "status": "on_hold",
            "air_waybill_numbers": ["589-81140743"],
            "entry_numbers": ["ABC-1234567-8"],
        },
        "conveyance": {
            "carrier": "Atlas Air",
            "flight_number": "5Y 8140",
            "port_of_arrival": "3901",
            "port_of_entry": "3901",
        },
        "goods": [{"description": "ICU ventilators", "hts_code": "9019.20.0000", "quantity": "20"}],
        "country_of_manufacture": "CN",
        "country_of_export": "CN",
        "manufacturer": {"name": "Shenzhen Medical", "city": "Shenzhen", "country": "CN"},
        "importer": {"name": "Mercy Hospital Supply", "city": "Chicago", "country": "US"},
    },
    "classification_question": {
        "category": "classification_duty",
        "channel": "email",
        "subject": "classification of exam tables",
        "message": "Which HTS number applies to folding examination tables?",
        "contact": _CONTACT,
        "goods": [{"description": "folding examination tables of steel"}],
    },
    "ppe_guidance": {
        "category": "ppe_guidance",
        "channel": "portal",
        "subject": "FDA requirements for masks",
        "message": "What do we file with FDA for KN95 masks?",
        "contact": _CONTACT,
    },
}


@pytest.fixture
def make_inquiry() -> Callable[..., Inquiry]:
    """``make_inquiry(scenario, **overrides)``: a valid inquiry, top-level fields replaced."""

    def _make(scenario: str = "ventilators_on_hold", **overrides: Any) -> Inquiry:
        data = copy.deepcopy(_SCENARIOS[scenario])
        data.update(overrides)
        return Inquiry.parse(data)

    return _make


@pytest.fixture
def inquiry_data() -> Callable[[str], dict[str, Any]]:
    """``inquiry_data(scenario)``: a fresh copy of a scenario's form data, to break."""
    return lambda scenario: copy.deepcopy(_SCENARIOS[scenario])


@pytest.fixture
def requester() -> Actor:
    """The requester who owns the cases the factories open."""
    return Actor("requester-1", Role.REQUESTER)


@pytest.fixture
def operator() -> Actor:
    """A desk operator."""
    return Actor("officer-7", Role.OPERATOR)


@pytest.fixture
def make_case(make_inquiry: Callable[..., Inquiry], requester: Actor) -> Callable[..., Case]:
    """``make_case(case_id, scenario, received_at)``: a new case opened by ``requester``."""

    def _make(
        case_id: str = "case-1", scenario: str = "ventilators_on_hold", received_at: datetime = NOW
    ) -> Case:
        return open_case(
            make_inquiry(scenario), case_id=case_id, requester=requester, now=received_at
        )

    return _make

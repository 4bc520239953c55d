"""The cargo-resolution case desk: inquiries, triage by operator rules, and the case workflow.

Modelled on CBP's COVID-19 Cargo Resolution Team (customs.md §4): :class:`Inquiry` holds the
data CSMS #42231420 asked for; :func:`triage_inquiry` scores it under a :class:`TriagePolicy`
loaded from data (critical medical goods by the HTS lists of customs.md §3.3, cargo on hold,
agency requests, age); the workflow functions move a :class:`Case` through its states with every
step recorded; :func:`order_queue` says what the desk works on next.
"""

from __future__ import annotations

from tradetrace.facilitation.cases.case import (
    Actor,
    Case,
    CaseEvent,
    CaseState,
    Resolution,
    Role,
)
from tradetrace.facilitation.cases.code_lists import CodeList, load_code_list
from tradetrace.facilitation.cases.identifiers import parse_air_waybill, parse_entry_number
from tradetrace.facilitation.cases.inquiry import Inquiry
from tradetrace.facilitation.cases.rules import TriageRules
from tradetrace.facilitation.cases.triage import (
    Triage,
    TriagePolicy,
    load_triage_policy,
    triage_inquiry,
)
from tradetrace.facilitation.cases.vocabulary import InquiryCategory, Priority
from tradetrace.facilitation.cases.workflow import (
    QueueEntry,
    answer_case,
    assign_case,
    close_case,
    escalate_case,
    link_entry,
    open_case,
    order_queue,
    reply_to_case,
    request_information,
    triage_case,
)

__all__ = [
    "Actor",
    "Case",
    "CaseEvent",
    "CaseState",
    "CodeList",
    "Inquiry",
    "InquiryCategory",
    "Priority",
    "QueueEntry",
    "Resolution",
    "Role",
    "Triage",
    "TriagePolicy",
    "TriageRules",
    "answer_case",
    "assign_case",
    "close_case",
    "escalate_case",
    "link_entry",
    "load_code_list",
    "load_triage_policy",
    "open_case",
    "order_queue",
    "parse_air_waybill",
    "parse_entry_number",
    "reply_to_case",
    "request_information",
    "triage_case",
    "triage_inquiry",
]

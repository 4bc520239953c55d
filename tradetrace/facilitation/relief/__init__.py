"""Relief programs: the 2020 COVID-19 duty postponement as data, its checks and its reports.

``load_program("us-covid-2020")`` gives 19 CFR 24.1a (CBP Dec. 20-05); :func:`evaluate_entry`
says whether an entry qualifies and why; :func:`compute_deferral` splits its charges;
:func:`importer_statements` and :func:`build_report` aggregate (customs.md §1).
"""

from __future__ import annotations

from tradetrace.facilitation.relief.checks import Reason, TradeRemedyLine
from tradetrace.facilitation.relief.deferral import (
    Charge,
    Deferral,
    EntryRecord,
    ImporterRecord,
    compute_deferral,
    compute_deferrals,
)
from tradetrace.facilitation.relief.eligibility import (
    Eligibility,
    deferred_due_date,
    evaluate_entry,
    original_due_date,
)
from tradetrace.facilitation.relief.population import Population, generate_population
from tradetrace.facilitation.relief.program import (
    ExcludedDuty,
    PaymentMethod,
    ReliefProgram,
    load_program,
    program_ids,
)
from tradetrace.facilitation.relief.report import (
    ImporterStatement,
    ProgramReport,
    build_report,
    importer_statements,
)

__all__ = [
    "Charge",
    "Deferral",
    "Eligibility",
    "EntryRecord",
    "ExcludedDuty",
    "ImporterRecord",
    "ImporterStatement",
    "PaymentMethod",
    "Population",
    "ProgramReport",
    "Reason",
    "ReliefProgram",
    "TradeRemedyLine",
    "build_report",
    "compute_deferral",
    "compute_deferrals",
    "deferred_due_date",
    "evaluate_entry",
    "generate_population",
    "importer_statements",
    "load_program",
    "original_due_date",
    "program_ids",
]

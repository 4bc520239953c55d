"""Statements and the program report over a small hand-made set of entries."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from tradetrace.facilitation.relief import (
    Charge,
    EntryRecord,
    ImporterRecord,
    PaymentMethod,
    build_report,
    compute_deferrals,
    importer_statements,
)

D = Decimal


def _importer(ior, *, suspended=True):
    return ImporterRecord(
        ior=ior, name=ior, receipts_2019=D(1000), receipts_2020=D(100), suspended=suspended
    )


def _entry(number, ior, port, entry_date, duty, **overrides):
    fields = {
        "entry_number": number,
        "ior": ior,
        "port": port,
        "entry_date": entry_date,
        "entry_type": "01",
        "payment": PaymentMethod.SINGLE,
        "charges": {Charge.DUTY: D(duty)},
    }
    fields.update(overrides)
    return EntryRecord(**fields)


@pytest.fixture
def deferrals(program):
    importers = [
        _importer("11-000000100"),
        _importer("22-000000200"),
        _importer("33-000000300", suspended=False),
    ]
    entries = [
        _entry("AAA-0000001-1", "11-000000100", "2704", date(2020, 4, 16), "100.00"),
        _entry("AAA-0000002-2", "11-000000100", "2709", date(2020, 4, 2), "50.00"),
        _entry(
            "AAA-0000003-3",
            "11-000000100",
            "2704",
            date(2020, 3, 20),
            "25.00",
            payment=PaymentMethod.MONTHLY,
        ),
        _entry("BBB-0000004-4", "22-000000200", "2704", date(2020, 4, 20), "10.00"),
        _entry(
            "BBB-0000005-5", "22-000000200", "3901", date(2020, 4, 21), "70.00", entry_type="11"
        ),
        _entry(
            "BBB-0000006-6",
            "22-000000200",
            "3901",
            date(2020, 3, 3),
            "40.00",
            paid={Charge.DUTY: D("40.00")},
        ),
        _entry("CCC-0000007-7", "33-000000300", "2704", date(2020, 4, 1), "999.00"),
    ]
    return compute_deferrals(program, importers, entries)


def test_build_report_counts_importers_entries_and_dollars(deferrals):
    report = build_report("us-covid-2020", deferrals)

    assert report.entries_evaluated == 7
    assert report.entries_eligible == 5  # the informal and the unsuspended importer's fail
    assert report.entries_deferred == 4  # the fully paid March entry defers nothing
    assert report.importers_deferring == 2
    assert report.total_deferred == D("185.00")


def test_build_report_breaks_down_by_month_and_port_consistently(deferrals):
    report = build_report("us-covid-2020", deferrals)

    assert report.by_month["2020-03"].deferred == D("25.00")
    assert report.by_month["2020-04"].deferred == D("160.00")
    assert report.by_month["2020-04"].importers == 2
    assert report.by_port["2704"].entries == 3
    assert set(report.by_port) == {"2704", "2709"}
    for breakdown in (report.by_month, report.by_port):
        assert sum(b.deferred for b in breakdown.values()) == report.total_deferred
        assert sum(b.entries for b in breakdown.values()) == report.entries_deferred


def test_build_report_counts_each_failed_condition(deferrals):
    report = build_report("us-covid-2020", deferrals)

    assert report.ineligible_reasons == {"entry_type_informal": 1, "operations_not_suspended": 1}


def test_program_report_to_json_dict_has_string_amounts(deferrals):
    document = build_report("us-covid-2020", deferrals).to_json_dict()

    assert document["total_deferred"] == "185.00"
    assert document["by_port"]["2709"] == {"importers": 1, "entries": 1, "deferred": "50.00"}
    assert json.loads(json.dumps(document)) == document


def test_importer_statements_list_postponed_entries_by_due_date(deferrals):
    first, second = importer_statements(deferrals)

    assert first.ior == "11-000000100"
    assert [line.entry_number for line in first.lines] == [
        "AAA-0000002-2",
        "AAA-0000003-3",
        "AAA-0000001-1",
    ]
    assert first.by_due_date() == {
        date(2020, 7, 15): D("50.00"),
        date(2020, 7, 22): D("25.00"),
        date(2020, 7, 29): D("100.00"),
    }
    assert second.total == D("10.00")
    assert first.total + second.total == build_report("us-covid-2020", deferrals).total_deferred


def test_build_report_of_nothing_is_all_zero():
    report = build_report("us-covid-2020", [])

    assert report.total_deferred == D("0.00")
    assert report.by_month == {}
    assert importer_statements([]) == ()

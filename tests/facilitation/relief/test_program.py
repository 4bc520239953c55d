"""Relief programs as data: the bundled 2020 program, program files validated field by field,
and a next program defined without code."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from tradetrace.errors import InvalidDocument, NotFound
from tradetrace.facilitation.relief import (
    ExcludedDuty,
    PaymentMethod,
    ReliefProgram,
    evaluate_entry,
    load_program,
    program_ids,
)
from tradetrace.facilitation.relief.program import EntryTreatment


def test_load_program_us_covid_2020_carries_the_rule_and_its_figures(program):
    assert program.id == "us-covid-2020"
    assert program.legal_basis[0].citation == "19 CFR 24.1a"
    assert "85 FR 22349" in program.legal_basis[0].source
    assert program.effective_date == date(2020, 4, 20)
    assert (program.entry_period.start, program.entry_period.end) == (
        date(2020, 3, 1),
        date(2020, 4, 30),
    )
    assert program.payment.deferral_days == 90
    assert program.hardship.threshold_percent == Decimal(60)
    assert program.hardship.baseline_year == 2019
    assert {rule.duty for rule in program.trade_remedies.duties} == set(ExcludedDuty)
    assert program.trade_remedies.whole_entry_summary


def test_load_program_entry_types_follow_customs_md(program):
    eligible = {
        rule.code for rule in program.entry_types.types if rule.treatment is EntryTreatment.ELIGIBLE
    }

    assert eligible == {"01", "02", "06", "31", "32"}
    assert program.entry_types.get("11").treatment is EntryTreatment.INFORMAL
    assert program.entry_types.get("99") is None


def test_program_ids_lists_the_bundled_programs():
    assert "us-covid-2020" in program_ids()


def test_load_program_rejects_unknown_id():
    with pytest.raises(
        NotFound, match=r"unknown relief program 'us-covid-2021': expected one of"
    ) as info:
        load_program("us-covid-2021")

    assert info.value.code == "not_found"


def test_load_program_reads_a_next_program_from_an_operator_folder(tmp_path, program_data):
    data = dict(program_data, id="us-example-2030", name="A later postponement")
    data["entry_period"] = {"start": "2030-01-01", "end": "2030-01-31"}
    (tmp_path / "us-example-2030.json").write_text(json.dumps(data), encoding="utf-8")

    program = load_program("us-example-2030", tmp_path)
    result = evaluate_entry(
        program,
        entry_date=date(2030, 1, 15),
        entry_type="01",
        receipts_2019=100,
        receipts_2020=10,
        suspended=True,
        payment=PaymentMethod.SINGLE,
    )

    assert program_ids(tmp_path) == ("us-example-2030",)
    assert result.eligible
    # Due 30 Jan 2030 (10 working days on, Martin Luther King Jr. Day skipped), + 90 days.
    assert result.due_date == date(2030, 4, 30)


def test_load_program_rejects_a_file_whose_id_is_not_its_name(tmp_path, program_data):
    (tmp_path / "renamed.json").write_text(json.dumps(program_data), encoding="utf-8")

    with pytest.raises(InvalidDocument, match=r"renamed.json has id 'us-covid-2020'") as info:
        load_program("renamed", tmp_path)

    assert info.value.code == "invalid_document"


def test_program_from_json_names_every_field_at_fault(program_data):
    data = json.loads(json.dumps(program_data))
    data["id"] = "US COVID"
    data["entry_period"] = {"start": "2020-04-30", "end": "2020-03-01"}
    data["entry_types"]["types"].append({"code": "01", "name": "again", "treatment": "eligible"})
    data["hardship"]["threshold_percent"] = "0"
    data["payment"]["single"]["working_days"] = 0
    data["payment"]["daily"]["deferred"] = "add_weeks"
    data["trade_remedies"]["duties"][0]["duty"] = "steel"
    data["surprise"] = True

    with pytest.raises(InvalidDocument, match=r"^invalid relief program: id: ") as info:
        ReliefProgram.from_json(json.dumps(data))

    assert info.value.code == "invalid_document"
    fields = {problem.field for problem in info.value.problems}
    assert fields == {
        "id",
        "entry_period",
        "entry_types",
        "trade_remedies.duties[0].duty",
        "hardship.threshold_percent",
        "payment.single.working_days",
        "payment.daily.deferred",
        "surprise",
    }
    reasons = {problem.field: problem.reason for problem in info.value.problems}
    assert reasons["entry_period"] == "end 2020-03-01 is before start 2020-04-30"
    assert reasons["entry_types"] == "entry type codes listed twice: 01"


def test_program_from_json_requires_a_source_for_published_dates(program_data):
    data = json.loads(json.dumps(program_data))
    data["payment"]["monthly"]["published_citation"] = " "

    with pytest.raises(
        InvalidDocument, match=r"published due dates need a published_citation"
    ) as info:
        ReliefProgram.from_json(json.dumps(data))

    assert info.value.problems[0].field == "payment.monthly"
    assert info.value.code == "invalid_document"


def test_program_from_json_rejects_text_that_is_not_json():
    with pytest.raises(
        InvalidDocument, match=r"^invalid relief program: \(document\): invalid JSON"
    ) as info:
        ReliefProgram.from_json("{not json")

    assert info.value.code == "invalid_document"


def test_date_range_contains_only_dates_inside(program):
    period = program.entry_period

    assert date(2020, 3, 1) in period
    assert date(2020, 5, 1) not in period
    assert "2020-03-01" not in period

"""What is postponed on one entry: excluded duties and paid deposits are not (customs.md §1.2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tradetrace.errors import InvalidDocument, NotFound
from tradetrace.facilitation.relief import (
    Charge,
    EntryRecord,
    ExcludedDuty,
    ImporterRecord,
    PaymentMethod,
    compute_deferral,
    compute_deferrals,
)

D = Decimal

IMPORTER = ImporterRecord(
    ior="12-345678900",
    name="Harbor Home Goods",
    receipts_2019=D("2500000.00"),
    receipts_2020=D("900000.00"),
    suspended=True,
)


def _entry(**overrides):
    fields = {
        "entry_number": "ABC-1234567-8",
        "ior": IMPORTER.ior,
        "port": "2704",
        "entry_date": date(2020, 4, 16),
        "entry_type": "01",
        "payment": PaymentMethod.SINGLE,
        "charges": {Charge.DUTY: D("1250.00"), Charge.MPF: D("86.60"), Charge.HMF: D("31.25")},
    }
    fields.update(overrides)
    return EntryRecord(**fields)


def _balanced(deferral):
    for charge, amount in deferral.entry.charges.items():
        parts = (
            deferral.deferred[charge]
            + deferral.due_on_original[charge]
            + deferral.already_paid[charge]
        )
        assert parts == amount, charge
    return True


def test_compute_deferral_postpones_every_charge_of_an_eligible_entry(program):
    deferral = compute_deferral(program, _entry(), IMPORTER)

    assert deferral.eligibility.eligible
    assert deferral.total_deferred == D("1367.85")
    assert deferral.total_due_on_original == D("0.00")
    assert deferral.due_date == date(2020, 7, 29)
    assert _balanced(deferral)


def test_compute_deferral_whole_entry_stays_due_when_one_line_has_section_301(program):
    charges = {Charge.DUTY: D("1000.00"), Charge.SECTION_301: D("250.00"), Charge.MPF: D("40.00")}

    deferral = compute_deferral(program, _entry(charges=charges), IMPORTER)

    assert not deferral.eligibility.eligible
    assert deferral.due_date is None
    assert deferral.total_deferred == D("0.00")
    assert deferral.total_due_on_original == D("1290.00")
    assert [r.code for r in deferral.eligibility.failed] == ["excluded_duty_section_301"]
    assert _balanced(deferral)


def test_compute_deferral_zero_excluded_charge_does_not_taint_the_entry(program):
    charges = {Charge.DUTY: D("10.00"), Charge.ANTIDUMPING: D("0.00")}

    assert compute_deferral(program, _entry(charges=charges), IMPORTER).eligibility.eligible


def test_compute_deferral_lenient_program_keeps_only_the_excluded_duty_due(make_program):
    lenient = make_program(lambda data: data["trade_remedies"].update(whole_entry_summary=False))
    charges = {Charge.DUTY: D("1000.00"), Charge.SECTION_232: D("250.00")}

    deferral = compute_deferral(lenient, _entry(charges=charges), IMPORTER)

    assert deferral.deferred == {Charge.DUTY: D("1000.00"), Charge.SECTION_232: D(0)}
    assert deferral.due_on_original == {Charge.DUTY: D(0), Charge.SECTION_232: D("250.00")}


def test_compute_deferral_never_refunds_what_was_already_paid(program):
    entry = _entry(
        entry_date=date(2020, 3, 2),
        charges={Charge.DUTY: D("500.00"), Charge.MPF: D("26.79")},
        paid={Charge.DUTY: D("200.00"), Charge.MPF: D("26.79")},
    )

    deferral = compute_deferral(program, entry, IMPORTER)

    assert deferral.deferred == {Charge.DUTY: D("300.00"), Charge.MPF: D("0.00")}
    assert deferral.already_paid == {Charge.DUTY: D("200.00"), Charge.MPF: D("26.79")}
    assert deferral.eligibility.reasons[-1].code == "paid_deposits_not_refunded"
    assert _balanced(deferral)


def test_compute_deferral_ineligible_importer_pays_on_the_original_date(program):
    thriving = ImporterRecord(
        ior=IMPORTER.ior,
        name="Harbor Home Goods",
        receipts_2019=D(100),
        receipts_2020=D(100),
        suspended=False,
    )

    deferral = compute_deferral(program, _entry(), thriving)

    assert deferral.total_deferred == 0
    assert deferral.eligibility.original_due_date == date(2020, 4, 30)
    assert {r.code for r in deferral.eligibility.failed} == {
        "operations_not_suspended",
        "gross_receipts_not_below_threshold",
    }


def test_compute_deferral_rejects_negative_amounts_overpayment_and_a_foreign_importer(program):
    entry = _entry(
        ior="98-765432100",
        charges={Charge.DUTY: D("-1.00"), Charge.MPF: D("30.00")},
        paid={Charge.MPF: D("31.00"), Charge.TAX: D("5.00")},
    )

    with pytest.raises(
        InvalidDocument, match=r"^invalid entry ABC-1234567-8: charges.duty: "
    ) as info:
        compute_deferral(program, entry, IMPORTER)

    assert info.value.code == "invalid_document"
    assert [problem.field for problem in info.value.problems] == [
        "charges.duty",
        "paid.mpf",
        "paid.tax",
        "ior",
    ]


def test_compute_deferrals_joins_entries_to_importers_by_ior(program):
    deferrals = compute_deferrals(
        program, [IMPORTER], [_entry(), _entry(entry_number="ABC-1234568-0")]
    )

    assert [d.entry.entry_number for d in deferrals] == ["ABC-1234567-8", "ABC-1234568-0"]


def test_compute_deferrals_rejects_an_entry_whose_importer_is_unknown(program):
    with pytest.raises(
        NotFound, match=r"importer of record 98-765432100 of entry ABC-1234567-8"
    ) as info:
        compute_deferrals(program, [IMPORTER], [_entry(ior="98-765432100")])

    assert info.value.code == "not_found"


@pytest.mark.parametrize(
    ("charge", "duty"),
    [
        (Charge.ANTIDUMPING, ExcludedDuty.ANTIDUMPING),
        (Charge.COUNTERVAILING, ExcludedDuty.COUNTERVAILING),
        (Charge.SECTION_201, ExcludedDuty.SECTION_201),
        (Charge.SECTION_232, ExcludedDuty.SECTION_232),
        (Charge.SECTION_301, ExcludedDuty.SECTION_301),
        (Charge.DUTY, None),
        (Charge.MPF, None),
    ],
)
def test_charge_excluded_duty_maps_trade_remedies_only(charge, duty):
    assert charge.excluded_duty is duty

"""``tradetrace relief``: the evaluate contract for every 19 CFR 24.1a condition, due dates,
attestations, the ledger, statements, reports and the simulated population."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tradetrace.facilitation.relief import ExcludedDuty, load_program
from tradetrace.facilitation.relief.program import EntryTreatment

PROGRAM = load_program("us-covid-2020")
QUALIFYING = ["--receipts-2019", "100000", "--receipts-2020", "40000", "--suspended"]


def _evaluate(run, *extra, entry_date="2020-04-16", entry_type="01", importer=QUALIFYING):
    result = run(
        "relief",
        "evaluate",
        "--program",
        "us-covid-2020",
        "--entry-date",
        entry_date,
        "--entry-type",
        entry_type,
        *importer,
        *extra,
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {"eligible", "reasons", "due_date"}
    return document


def _failed(document):
    return [reason["code"] for reason in document["reasons"] if not reason["met"]]


def test_evaluate_eligible_entry_prints_the_contract(run):
    document = _evaluate(run)

    assert document["eligible"] is True
    assert document["due_date"] == "2020-07-29"
    assert _failed(document) == []
    assert {"code", "message", "citation", "met"} == set(document["reasons"][0])


@pytest.mark.parametrize("entry_date", ["2020-02-29", "2020-05-01"])
def test_evaluate_entry_outside_march_and_april_2020(run, entry_date):
    document = _evaluate(run, entry_date=entry_date)

    assert (document["eligible"], document["due_date"]) == (False, None)
    assert _failed(document) == ["entry_date_outside_period"]


# The program's own entry-type table (19 CFR 24.1a(a); CBP FAQ), one case per row.
@pytest.mark.parametrize("rule", PROGRAM.entry_types.types, ids=lambda rule: rule.code)
def test_evaluate_each_entry_type_of_the_program_table(run, rule):
    document = _evaluate(run, entry_type=rule.code)

    expected = {
        EntryTreatment.ELIGIBLE: [],
        EntryTreatment.INFORMAL: ["entry_type_informal"],
        EntryTreatment.TRADE_REMEDY: ["entry_type_trade_remedy"],
        EntryTreatment.NOT_COVERED: ["entry_type_not_covered"],
    }[rule.treatment]
    assert _failed(document) == expected
    assert document["eligible"] is (rule.treatment is EntryTreatment.ELIGIBLE)


@pytest.mark.parametrize("duty", list(ExcludedDuty), ids=lambda duty: duty.value)
def test_evaluate_any_excluded_duty_makes_the_whole_entry_ineligible(run, duty):
    document = _evaluate(run, "--excluded-duty", duty.value)

    assert document["eligible"] is False
    assert _failed(document) == [f"excluded_duty_{duty.name.lower()}"]


def test_evaluate_several_excluded_duties_are_each_reported(run):
    document = _evaluate(run, "--excluded-duty", "ad", "--excluded-duty", "301")

    assert _failed(document) == ["excluded_duty_antidumping", "excluded_duty_section_301"]


def test_evaluate_requires_suspension_by_government_order(run):
    document = _evaluate(run, importer=["--receipts-2019", "100000", "--receipts-2020", "40000"])

    assert _failed(document) == ["operations_not_suspended"]


@pytest.mark.parametrize(
    ("receipts_2020", "eligible"), [("59999.99", True), ("60000", False), ("90000", False)]
)
def test_evaluate_receipts_must_fall_below_60_percent_of_2019(run, receipts_2020, eligible):
    importer = ["--receipts-2019", "100000", "--receipts-2020", receipts_2020, "--suspended"]

    document = _evaluate(run, importer=importer)

    assert document["eligible"] is eligible
    assert _failed(document) == ([] if eligible else ["gross_receipts_not_below_threshold"])


def test_evaluate_without_2019_receipts_cannot_show_a_fall(run):
    document = _evaluate(
        run, importer=["--receipts-2019", "0", "--receipts-2020", "0", "--suspended"]
    )

    assert _failed(document) == ["gross_receipts_no_baseline"]


# customs.md §1.3: single pay and daily statement +90 days; monthly statements on CBP's dates.
@pytest.mark.parametrize(
    ("payment", "entry_date", "due_date"),
    [
        ("single", "2020-04-16", "2020-07-29"),
        ("daily", "2020-04-16", "2020-07-29"),
        ("single", "2020-03-02", "2020-06-14"),
        ("monthly", "2020-03-02", "2020-07-22"),
        ("monthly", "2020-03-31", "2020-07-22"),
        ("monthly", "2020-04-01", "2020-08-21"),
        ("monthly", "2020-04-30", "2020-08-21"),
    ],
)
def test_evaluate_due_dates_by_payment_method(run, payment, entry_date, due_date):
    document = _evaluate(run, "--payment", payment, entry_date=entry_date)

    assert document["due_date"] == due_date


def test_evaluate_notes_that_paid_deposits_are_not_refunded(run):
    document = _evaluate(run, entry_date="2020-03-02")

    assert "paid_deposits_not_refunded" in [reason["code"] for reason in document["reasons"]]


def test_evaluate_text_output_lists_each_condition(run):
    result = run(
        "relief", "evaluate", "--entry-date", "2020-04-16", "--entry-type", "11", *QUALIFYING
    )

    assert result.exit_code == 0
    assert result.stdout.startswith("not eligible\n")
    assert "[ ] entry_type_informal" in result.stdout


def test_evaluate_malformed_receipts_is_a_domain_error(run):
    result = run(
        "relief",
        "evaluate",
        "--entry-date",
        "2020-04-16",
        "--entry-type",
        "01",
        "--receipts-2019",
        "lots",
        "--receipts-2020",
        "1",
    )

    assert result.exit_code == 1
    assert result.stderr.startswith("error: invalid_document: ")
    assert "receipts_2019" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--excluded-duty", "vat"],
        ["--payment", "weekly"],
        ["--entry-date", "16/04/2020"],
    ],
)
def test_evaluate_usage_errors_exit_2(run, args):
    base = {"--entry-date": "2020-04-16", "--entry-type": "01"}
    for option, value in zip(args[::2], args[1::2], strict=True):
        base[option] = value
    flat = [item for pair in base.items() for item in pair]

    assert run("relief", "evaluate", *flat, *QUALIFYING).exit_code == 2


def test_evaluate_unknown_program_is_not_found(run):
    result = run(
        "relief",
        "evaluate",
        "--program",
        "nope",
        "--entry-date",
        "2020-04-16",
        "--entry-type",
        "01",
        *QUALIFYING,
    )

    assert result.exit_code == 1
    assert "not_found: unknown relief program 'nope'" in result.stderr


def _db(tmp_path, database_url):
    return ["--data-dir", str(tmp_path / "data"), "--db", database_url]


def test_attest_record_entry_statement_and_pay(run, tmp_path, database_url):
    db = _db(tmp_path, database_url)
    attested = run(
        *db,
        "relief",
        "attest",
        "--ior",
        "12-345678900",
        "--name",
        "Acme Imports",
        "--receipts-2019",
        "100000",
        "--receipts-2020",
        "40000",
        "--suspended",
        "--document",
        "April 2020 P&L=books/2020-04.pdf",
        "--operator",
        "officer-7",
        "--json",
    )
    assert attested.exit_code == 0, attested.stderr
    assert json.loads(attested.stdout)["ior"] == "12-345678900"

    entry = run(
        *db,
        "relief",
        "entry",
        "ABC-1234567-8",
        "--ior",
        "12-345678900",
        "--port",
        "2704",
        "--entry-date",
        "2020-04-16",
        "--charge",
        "duty=1200",
        "--charge",
        "mpf=41.57",
        "--operator",
        "officer-7",
        "--json",
    )
    assert entry.exit_code == 0, entry.stderr
    assert json.loads(entry.stdout)["deferred"] == "1241.57"
    assert json.loads(entry.stdout)["due_date"] == "2020-07-29"

    again = run(
        *db,
        "relief",
        "entry",
        "ABC-1234567-8",
        "--ior",
        "12-345678900",
        "--port",
        "2704",
        "--entry-date",
        "2020-04-16",
        "--charge",
        "duty=1",
        "--operator",
        "o",
    )
    assert again.exit_code == 1
    assert "conflict: entry ABC-1234567-8 is already in the us-covid-2020 ledger" in again.stderr

    statement = json.loads(run(*db, "relief", "statement", "12-345678900", "--json").stdout)
    assert statement["total"] == "1241.57"
    assert statement["by_due_date"] == {"2020-07-29": "1241.57"}

    paid = run(*db, "relief", "pay", "ABC-1234567-8", "--date", "2020-07-28", "--operator", "o7")
    assert paid.exit_code == 0, paid.stderr
    assert "paid on 2020-07-28" in paid.stdout
    shown = run(*db, "relief", "statement", "12-345678900")
    assert shown.stdout == "12-345678900: $1,241.57 postponed\n  due 2020-07-29: $1,241.57\n"
    twice = run(*db, "relief", "pay", "ABC-1234567-8", "--operator", "o7", "--json")
    assert twice.exit_code == 1
    assert "has no unpaid postponed amount" in twice.stderr


def test_entry_without_attestation_is_not_found(run, tmp_path, database_url):
    result = run(
        *_db(tmp_path, database_url),
        "relief",
        "entry",
        "ABC-1234567-8",
        "--ior",
        "12-345678900",
        "--port",
        "2704",
        "--entry-date",
        "2020-04-16",
        "--charge",
        "duty=10",
        "--operator",
        "o7",
    )

    assert result.exit_code == 1
    assert "not_found: importer of record 12-345678900 has no attestation" in result.stderr


def test_entry_with_bad_charges_names_each_field(run, tmp_path, database_url):
    result = run(
        *_db(tmp_path, database_url),
        "relief",
        "entry",
        "nope",
        "--ior",
        "x",
        "--port",
        "27",
        "--entry-date",
        "2020-04-16",
        "--charge",
        "vat=1",
        "--charge",
        "duty=-1",
        "--operator",
        "o7",
    )

    assert result.exit_code == 1
    for field in ("entry_number", "ior", "port", "charges.vat", "charges.duty"):
        assert field in result.stderr


def test_simulate_loads_a_population_and_the_report_is_consistent(run, tmp_path, database_url):
    db = _db(tmp_path, database_url)

    simulated = run(
        *db,
        "relief",
        "simulate",
        "--seed",
        "11",
        "--importers",
        "120",
        "--entries",
        "900",
        "--json",
    )

    assert simulated.exit_code == 0, simulated.stderr
    document = json.loads(simulated.stdout)
    assert document["problems"] == []
    report = json.loads(run(*db, "relief", "report", "--json").stdout)
    assert report == document["report"]
    assert report["entries_evaluated"] == 900
    assert 0 < report["importers_deferring"] <= 120
    total = Decimal(report["total_deferred"])
    assert sum(Decimal(group["deferred"]) for group in report["by_month"].values()) == total
    assert sum(Decimal(group["deferred"]) for group in report["by_port"].values()) == total
    assert set(report["by_month"]) == {"2020-03", "2020-04"}
    again = run(*db, "relief", "simulate", "--seed", "12", "--importers", "5", "--entries", "5")
    assert again.exit_code == 1
    assert "conflict: the us-covid-2020 ledger already holds 900 entries" in again.stderr
    text = run(*db, "relief", "report").stdout
    assert text.startswith(f"us-covid-2020: {report['importers_deferring']:,} importers")


@pytest.mark.slow
def test_simulate_thousands_of_importers_and_tens_of_thousands_of_entries(
    run, tmp_path, database_url
):
    result = run(
        *_db(tmp_path, database_url),
        "relief",
        "simulate",
        "--seed",
        "2020",
        "--importers",
        "3000",
        "--entries",
        "30000",
        "--json",
    )

    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["problems"] == []
    assert document["report"]["entries_evaluated"] == 30000
    assert document["report"]["importers_deferring"] > 300


def test_entry_text_output_and_malformed_charge_option(run, tmp_path, database_url):
    db = _db(tmp_path, database_url)
    run(
        *db,
        "relief",
        "attest",
        "--ior",
        "12-345678900",
        "--name",
        "Acme",
        "--receipts-2019",
        "100",
        "--receipts-2020",
        "90",
        "--operator",
        "o7",
    )
    common = [
        "--ior",
        "12-345678900",
        "--port",
        "2704",
        "--entry-date",
        "2020-04-16",
        "--operator",
        "o7",
    ]

    text = run(*db, "relief", "entry", "ABC-1234567-8", *common, "--charge", "duty=10")
    malformed = run(*db, "relief", "entry", "ABC-1234567-9", *common, "--charge", "duty")

    assert text.exit_code == 0, text.stderr
    assert text.stdout.startswith("ABC-1234567-8: $0.00 deferred\nnot eligible\n")
    assert "[ ] operations_not_suspended" in text.stdout
    assert malformed.exit_code == 2
    assert "expected CODE=AMOUNT, got 'duty'" in malformed.stderr


def test_simulate_text_output(run, tmp_path, database_url):
    result = run(
        *_db(tmp_path, database_url),
        "relief",
        "simulate",
        "--seed",
        "5",
        "--importers",
        "20",
        "--entries",
        "100",
    )

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("us-covid-2020: ")
    assert "  month 2020-04: $" in result.stdout

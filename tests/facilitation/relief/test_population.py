"""The synthetic population, run through ``us-covid-2020``: realistic, reproducible and with
totals that agree however they are added up."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from tradetrace.facilitation import workdays
from tradetrace.facilitation.relief import (
    Charge,
    build_report,
    compute_deferrals,
    generate_population,
    importer_statements,
)
from tradetrace.facilitation.relief.population import PORTS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def population():
    return generate_population(2020)


@pytest.fixture(scope="module")
def deferrals(population, program):
    return compute_deferrals(program, population.importers, population.entries)


@pytest.fixture(scope="module")
def report(deferrals):
    return build_report("us-covid-2020", deferrals)


def test_generate_population_has_thousands_of_importers_and_tens_of_thousands_of_entries(
    population,
):
    assert len(population.importers) == 3000
    assert len(population.entries) == 30000
    assert len({entry.entry_number for entry in population.entries}) == 30000
    assert len({importer.ior for importer in population.importers}) == 3000


def test_generate_population_looks_like_march_and_april_2020(population):
    ports = {code for code, *_ in PORTS}
    types = Counter(entry.entry_type for entry in population.entries)
    remedies = Counter(
        charge
        for entry in population.entries
        for charge, amount in entry.charges.items()
        if amount > 0
    )

    for entry in population.entries:
        assert date(2020, 3, 1) <= entry.entry_date <= date(2020, 4, 30)
        assert workdays.is_working_day(entry.entry_date)
        assert entry.port in ports
    assert types.most_common(1)[0][0] == "01"
    assert {"01", "11", "06", "31", "03", "21", "86"} <= set(types)
    assert 0.2 < remedies[Charge.SECTION_301] / len(population.entries) < 0.3
    assert (
        remedies[Charge.SECTION_232]
        and remedies[Charge.ANTIDUMPING]
        and remedies[Charge.SECTION_201]
    )


def test_generate_population_is_reproducible_by_seed():
    first = generate_population(7, importers=50, entries=200)

    assert first == generate_population(7, importers=50, entries=200)
    assert first != generate_population(8, importers=50, entries=200)


def test_population_report_totals_agree_every_way_they_are_added(deferrals, report):
    statements = importer_statements(deferrals)

    assert report.entries_evaluated == 30000
    assert report.total_deferred > 0
    assert sum(statement.total for statement in statements) == report.total_deferred
    assert len(statements) == report.importers_deferring
    assert sum(len(statement.lines) for statement in statements) == report.entries_deferred
    assert sum(b.deferred for b in report.by_month.values()) == report.total_deferred
    assert sum(b.deferred for b in report.by_port.values()) == report.total_deferred
    assert sum(b.entries for b in report.by_port.values()) == report.entries_deferred
    assert set(report.by_month) == {"2020-03", "2020-04"}
    assert sum(d.total_deferred for d in deferrals) == report.total_deferred


def test_population_every_dollar_is_deferred_due_or_already_paid(deferrals):
    for deferral in deferrals:
        for charge, amount in deferral.entry.charges.items():
            parts = deferral.deferred[charge] + deferral.due_on_original[charge]
            assert parts + deferral.already_paid[charge] == amount


def test_population_deferrals_respect_every_condition(population, deferrals):
    importers = {importer.ior: importer for importer in population.importers}
    for deferral in deferrals:
        if deferral.total_deferred == 0:
            continue
        importer = importers[deferral.entry.ior]
        assert importer.suspended
        assert importer.receipts_2020 < importer.receipts_2019 * Decimal("0.6")
        assert deferral.entry.entry_type in {"01", "02", "06", "31", "32"}
        assert not any(
            amount > 0 and charge.excluded_duty for charge, amount in deferral.entry.charges.items()
        )


def test_population_statement_due_dates_are_the_program_dates(deferrals):
    due_dates = {
        line.due_date for statement in importer_statements(deferrals) for line in statement.lines
    }

    assert date(2020, 7, 22) in due_dates and date(2020, 8, 21) in due_dates
    assert all(date(2020, 6, 1) <= day <= date(2020, 8, 31) for day in due_dates)

"""``tradetrace duty`` and ``tradetrace tariff``: duties, fees and tariff lines."""

from __future__ import annotations

import json
from datetime import datetime

import click

from tradetrace import tariff
from tradetrace.cli._root import cli, json_option, make_settings
from tradetrace.workflows import setup

__all__ = ["duty", "duty_compute", "tariff_group", "tariff_lookup"]


def _quantities(values: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for value in values:
        unit, separator, amount = value.partition("=")
        if not separator or not unit or not amount:
            raise click.BadParameter(
                f"expected UNIT=AMOUNT, got {value!r}", param_hint="--quantity"
            )
        parsed[unit.strip().upper()] = amount.strip()
    return parsed


@cli.group()
def duty() -> None:
    """Duties and fees (HTSUS General Note 3, 19 CFR 24.23, 24.24)."""


@duty.command("compute")
@click.option("--hts", "hts10", required=True, help="10-digit HTS code (dots allowed).")
@click.option("--value", required=True, help="Customs value in USD.")
@click.option("--origin", required=True, help="Country of origin, ISO 3166-1 alpha-2.")
@click.option("--entry-date", required=True, help="Entry date, YYYY-MM-DD.")
@click.option(
    "--mode", type=click.Choice([mode.value for mode in tariff.TransportMode]), help="Transport."
)
@click.option("--spi", help="Special program indicator claimed (S, S+, P, P+, ...).")
@click.option(
    "--preference-denied",
    is_flag=True,
    help="Compute the claim as denied (general rate). By default a claimed SPI is applied.",
)
@click.option("--entry-type", default="01", help="01 formal, 11 informal, 86 Section 321.")
@click.option("--quantity", "quantities", multiple=True, help="UNIT=AMOUNT, e.g. KG=650.")
@json_option
@click.pass_context
def duty_compute(
    ctx: click.Context,
    hts10: str,
    value: str,
    origin: str,
    entry_date: str,
    mode: str | None,
    spi: str | None,
    preference_denied: bool,
    entry_type: str,
    quantities: tuple[str, ...],
    as_json: bool,
) -> None:
    """Compute duty, additional duties, MPF and HMF for a one-line entry.

    Example: tradetrace duty compute --hts 7208.10.1500 --value 10000 --origin DE
    --entry-date 2025-07-01 --mode vessel --json
    """
    result = tariff.compute_line(
        hts10=hts10,
        value=value,
        origin=origin,
        entry_date=entry_date,
        mode=mode,
        spi=spi,
        preference_allowed=spi is not None and not preference_denied,
        entry_type=entry_type,
        quantities=_quantities(quantities),
        data=setup.tariff_data(make_settings(ctx)),
    )
    document = result.to_json_dict()
    if as_json:
        click.echo(json.dumps(document))
        return
    for name in ("duty", "additional_duties", "mpf", "hmf", "total"):
        click.echo(f"{name.replace('_', ' '):18} {document[name]:>14}")
    for item in result.basis:
        click.echo(
            f"  - {item.component}: {item.rate} on {item.applied_to} = {item.amount}"
            f" ({item.source})"
        )


@cli.group("tariff")
def tariff_group() -> None:
    """The bundled tariff schedule (USITC HTS)."""


@tariff_group.command("lookup")
@click.argument("hts")
@click.option(
    "--on", "on_date", type=click.DateTime(["%Y-%m-%d"]), help="Rates in force on this date."
)
@json_option
@click.pass_context
def tariff_lookup(ctx: click.Context, hts: str, on_date: datetime | None, as_json: bool) -> None:
    """Show a tariff line: description, rates, programs, chapter 99 and Section 301 references.

    Example: tradetrace tariff lookup 7208.10.15 --json
    """
    data = setup.tariff_data(make_settings(ctx))
    result = tariff.lookup(hts, on=on_date.date() if on_date else None, data=data)
    document = result.to_json_dict()
    click.echo(json.dumps(document, indent=None if as_json else 2))

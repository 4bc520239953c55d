"""``tradetrace duty compute`` and ``tradetrace tariff lookup`` as a user runs them."""

import json
from pathlib import Path

import pytest

from tradetrace import tariff


def test_duty_compute_json_contract_section_232_steel(run):
    result = run(
        "duty", "compute", "--hts", "7208.10.1500", "--value", "10000", "--origin", "DE",
        "--entry-date", "2025-07-01", "--mode", "vessel", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {"duty", "additional_duties", "mpf", "hmf", "total", "basis"}
    # Free MFN; Section 232 at 50% from 4 June 2025: 10,000 x 0.50 = 5,000.00;
    # MPF 10,000 x 0.3464% = 34.64 (inside the FY2025 minimum and maximum);
    # HMF 10,000 x 0.125% = 12.50 (vessel). Total 5,047.14.
    assert document["duty"] == "0.00"
    assert document["additional_duties"] == "5000.00"
    assert document["mpf"] == "34.64"
    assert document["hmf"] == "12.50"
    assert document["total"] == "5047.14"
    assert all(item["source"] for item in document["basis"])


def test_duty_compute_air_has_no_hmf_and_text_output(run):
    result = run(
        "duty", "compute", "--hts", "7208.10.1500", "--value", "10000", "--origin", "DE",
        "--entry-date", "2025-07-01", "--mode", "air",
    )  # fmt: skip
    assert result.exit_code == 0
    assert [line.split() for line in result.stdout.splitlines()[3:5]] == [
        ["hmf", "0.00"],
        ["total", "5034.64"],
    ]


def test_duty_compute_bad_input_names_each_field(run):
    result = run(
        "duty", "compute", "--hts", "12", "--value", "-1", "--origin", "XX",
        "--entry-date", "2025-07-01",
    )  # fmt: skip
    assert result.exit_code == 1
    for field in ("hts10:", "origin:", "value:"):
        assert field in result.stderr


@pytest.mark.parametrize("quantity", ["KG", "=5", "KG="])
def test_duty_compute_rejects_malformed_quantity(run, quantity):
    result = run(
        "duty", "compute", "--hts", "7208.10.1500", "--value", "1", "--origin", "DE",
        "--entry-date", "2025-07-01", "--quantity", quantity,
    )  # fmt: skip
    assert result.exit_code == 2
    assert "UNIT=AMOUNT" in result.stderr


def test_tariff_lookup_prints_the_line(run):
    result = run("tariff", "lookup", "7208.10.15", "--json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["tariff_line"] == "7208.10.15"
    assert document["periods"][0]["general"]["text"] == "Free"


def test_newer_tariff_data_in_the_configured_directory_is_used(run, tmp_path, monkeypatch):
    """A fee update is a file dropped in ``TRADETRACE_TARIFF_DATA_DIR``: no code change."""
    bundled = Path(tariff.__file__).parent / "data" / "cbp_fees_2026.csv"
    rows = bundled.read_text().splitlines()
    # the same schedule with a made-up FY2026 MPF minimum of 40.00 (test data only)
    rows = [row.replace(",33.58,651.50,", ",40.00,651.50,") for row in rows]
    (tmp_path / "cbp_fees_2026-12.csv").write_text("\n".join(rows) + "\n")
    command = (
        "duty", "compute", "--hts", "7208.10.1500", "--value", "1000", "--origin", "DE",
        "--entry-date", "2025-11-03", "--json",
    )  # fmt: skip
    assert json.loads(run(*command).stdout)["mpf"] == "33.58"  # bundled FY2026 minimum
    monkeypatch.setenv("TRADETRACE_TARIFF_DATA_DIR", str(tmp_path))
    updated = run(*command)
    assert updated.exit_code == 0, updated.stderr
    assert json.loads(updated.stdout)["mpf"] == "40.00"
    monkeypatch.setenv("TRADETRACE_TARIFF_DATA_DIR", str(tmp_path / "missing"))
    missing = run(*command)
    assert missing.exit_code == 2
    assert "tariff data directory" in missing.stderr

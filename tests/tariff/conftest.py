"""Fixtures for the tariff tests: the bundled data and a one-line entry factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tradetrace import tariff


@pytest.fixture(scope="session")
def data() -> tariff.TariffData:
    """The bundled tariff data (loaded once for the whole run)."""
    return tariff.load_tariff_data()


@pytest.fixture
def compute(data: tariff.TariffData) -> Callable[..., tariff.EntryResult]:
    """``compute(**overrides)``: a one-line formal entry by air, 1 July 2025, computed."""

    def _compute(**overrides: Any) -> tariff.EntryResult:
        arguments: dict[str, Any] = {
            "hts10": "8471300100",
            "value": "1000",
            "origin": "DE",
            "entry_date": "2025-07-01",
            "mode": "air",
            "data": data,
        }
        arguments.update(overrides)
        return tariff.compute_line(**arguments)

    return _compute

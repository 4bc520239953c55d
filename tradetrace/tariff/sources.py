"""Where the tariff data files are, and reading them (plain or gzipped CSV, standard library only).

Each kind of file is named ``<kind>_<stamp>.csv`` or ``<kind>_<stamp>.csv.gz``, the stamp being a
year or an ISO date (``2025``, ``2026-02``, ``2026-10-01``). :meth:`TariffFiles.discover` looks in
one or more directories and keeps, for each kind, the file with the greatest stamp: dropping a
newer file into an update directory replaces the bundled one without a code change.

========================== ==================================================================
kind                       content
========================== ==================================================================
``tariff_database``        USITC annual tariff database, one row per HTS-8 line and period
``hts10_products``         10-digit statistical lines (HTS extract)
``chapter99_headings``     chapter 99 headings (HTS extract)
``section301_product_lists`` HTS-8 → Section 301 list and 9903 heading
``cbp_fees``               MPF rate, minimum, maximum and informal fee by fiscal year
========================== ==================================================================
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from tradetrace.errors import ConfigurationError

__all__ = [
    "BUNDLED_DATA",
    "TariffFiles",
    "read_csv_rows",
    "read_csv_table",
    "read_text",
]

BUNDLED_DATA = Path(__file__).parent / "data"
_NAME = re.compile(r"(?P<kind>[a-z0-9_]+?)_(?P<stamp>\d{4}(?:-\d{2}){0,2})\.csv(?:\.gz)?")


@dataclass(frozen=True, slots=True)
class TariffFiles:
    """The five data files one :class:`~tradetrace.tariff.schedule.TariffData` is built from."""

    tariff_database: Path
    hts10_products: Path
    chapter99_headings: Path
    section301_product_lists: Path
    cbp_fees: Path

    @classmethod
    def discover(cls, *directories: Path) -> TariffFiles:
        """Pick, for each kind, the file with the greatest stamp across ``directories``.

        Raises :class:`ConfigurationError` when a directory is missing or a kind has no file.
        """
        newest: dict[str, tuple[str, Path]] = {}
        for directory in directories:
            if not directory.is_dir():
                raise ConfigurationError(f"tariff data directory {directory} does not exist")
            for path in sorted(directory.iterdir()):
                match = _NAME.fullmatch(path.name)
                if match is None:
                    continue
                kind, stamp = match["kind"], match["stamp"]
                if kind not in newest or stamp > newest[kind][0]:
                    newest[kind] = (stamp, path)
        missing = [field.name for field in fields(cls) if field.name not in newest]
        if missing:
            where = ", ".join(str(directory) for directory in directories)
            raise ConfigurationError(f"no tariff data file for {', '.join(missing)} in {where}")
        return cls(**{field.name: newest[field.name][1] for field in fields(cls)})

    @classmethod
    def bundled(cls) -> TariffFiles:
        """The files shipped in ``tradetrace/tariff/data`` (see its README)."""
        return cls.discover(BUNDLED_DATA)

    def stamp(self, kind: str) -> str:
        """The stamp in the name of the file chosen for ``kind`` (``"2025"``)."""
        path: Path = getattr(self, kind)
        match = _NAME.fullmatch(path.name)
        return match["stamp"] if match else ""


def read_text(path: Path) -> str:
    """Return a data file's text, gunzipping ``.gz`` and dropping a UTF-8 byte-order mark."""
    try:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        return raw.decode("utf-8-sig")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read tariff data file {path}: {exc}") from exc


def read_csv_table(path: Path, required: tuple[str, ...]) -> tuple[list[str], list[list[str]]]:
    """Return a CSV file's header and rows, after checking the header has ``required`` columns."""
    reader = csv.reader(read_text(path).splitlines(keepends=True))
    header = next(reader, [])
    absent = [name for name in required if name not in header]
    if absent:
        raise ConfigurationError(f"tariff data file {path.name} lacks columns {', '.join(absent)}")
    return header, [row for row in reader if row]


def read_csv_rows(path: Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """Yield a CSV file's rows as dicts, after checking the header has ``required`` columns."""
    header, rows = read_csv_table(path, required)
    for row in rows:
        yield dict(zip(header, row, strict=False))

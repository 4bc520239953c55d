"""The loaded tariff data: HTS-8 lines, statistical lines, chapter 99, Section 301 lists and fees.

:func:`load_tariff_data` returns one :class:`TariffData` per set of files (cached on the files'
paths, sizes and modification times, so a replaced file is read again). Nothing is parsed until it
is needed: the tariff database is split into raw records per HTS-8 code on first use and a code's
rows are parsed when that code is asked for; the smaller files are parsed whole on first use.
"""

from __future__ import annotations

import csv
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from tradetrace.errors import ConfigurationError, NotFound
from tradetrace.tariff.codes import format_hts
from tradetrace.tariff.fees import FEE_COLUMNS, FeeSchedule
from tradetrace.tariff.model import (
    Chapter99Heading,
    Coverage,
    Section301Listing,
    StatisticalLine,
    TariffLine,
)
from tradetrace.tariff.rows import (
    CHAPTER99_COLUMNS,
    HTS10_COLUMNS,
    SECTION301_COLUMNS,
    TARIFF_COLUMNS,
    parse_chapter99_row,
    parse_hts10_row,
    parse_section301_row,
    parse_tariff_row,
)
from tradetrace.tariff.sources import TariffFiles, read_csv_rows, read_csv_table, read_text

__all__ = [
    "TariffData",
    "load_tariff_data",
]

_T = TypeVar("_T")


class _Table:
    """A CSV file kept as raw rows grouped by the code in its first column, parsed on demand."""

    def __init__(self, path: Path, header: list[str], rows: list[list[str]], width: int) -> None:
        self.name = path.name
        self.header = header
        self.by_code: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
        for number, row in enumerate(rows, start=2):
            self.by_code[row[0].strip().zfill(width)].append((number, row))

    @classmethod
    def load(cls, path: Path, required: tuple[str, ...], width: int) -> _Table:
        header, rows = read_csv_table(path, required)
        return cls(path, header, rows, width)

    def codes(self) -> Iterator[str]:
        return iter(self.by_code)

    def get(self, code: str, parse: Callable[..., _T]) -> tuple[_T, ...]:
        return tuple(
            parse(dict(zip(self.header, row, strict=False)), where=f"{self.name}:{number}")
            for number, row in self.by_code.get(code, ())
        )

    def parse_all(self, parse: Callable[..., _T]) -> Iterator[_T]:
        rows = sorted(row for rows in self.by_code.values() for row in rows)
        for number, row in rows:
            yield parse(dict(zip(self.header, row, strict=False)), where=f"{self.name}:{number}")


class TariffData:
    """Read-only access to one set of tariff data files (see :mod:`tradetrace.tariff.sources`)."""

    def __init__(self, files: TariffFiles) -> None:
        self.files = files
        self._lock = threading.Lock()
        self._loaded: dict[str, object] = {}
        self._lines: dict[str, tuple[TariffLine, ...]] = {}

    def _once(self, key: str, build: Callable[[], _T]) -> _T:
        with self._lock:
            if key not in self._loaded:
                self._loaded[key] = build()
            return self._loaded[key]  # type: ignore[return-value]

    # -- tariff database -------------------------------------------------------------------

    def _records(self) -> tuple[list[str], dict[str, list[tuple[int, str]]]]:
        return self._once("records", self._split_tariff_database)

    def _split_tariff_database(self) -> tuple[list[str], dict[str, list[tuple[int, str]]]]:
        path = self.files.tariff_database
        text_lines = read_text(path).splitlines(keepends=True)
        header = next(csv.reader(text_lines[:1]), [])
        absent = [name for name in TARIFF_COLUMNS if name not in header]
        if absent:
            raise ConfigurationError(
                f"tariff data file {path.name} lacks columns {', '.join(absent)}"
            )
        records: dict[str, list[tuple[int, str]]] = defaultdict(list)
        pending, start = "", 0
        for number, text in enumerate(text_lines[1:], start=2):
            if not pending:
                start = number
            pending += text
            if pending.count('"') % 2:  # a quoted field runs on to the next line
                continue
            if pending.strip():
                records[pending.split(",", 1)[0].strip('"').zfill(8)].append((start, pending))
            pending = ""
        return header, dict(records)

    def tariff_lines(self, hts8: str) -> tuple[TariffLine, ...]:
        """Every effective period of HTS-8 line ``hts8`` (digits only), oldest first."""
        if hts8 in self._lines:
            return self._lines[hts8]
        header, records = self._records()
        name = self.files.tariff_database.name
        lines = tuple(
            sorted(
                (
                    parse_tariff_row(dict(zip(header, row, strict=False)), where=f"{name}:{number}")
                    for number, record in records.get(hts8, [])
                    for row in csv.reader(record.splitlines(keepends=True))
                ),
                key=lambda line: line.period.begin,
            )
        )
        with self._lock:
            self._lines[hts8] = lines
        return lines

    def tariff_line(self, hts8: str, on: date, *, field: str = "hts") -> TariffLine:
        """The HTS-8 line in force on ``on``; raises :class:`NotFound` naming ``field``."""
        lines = self.tariff_lines(hts8)
        for line in lines:
            if line.period.contains(on):
                return line
        if not lines:
            raise NotFound(f"{field} {format_hts(hts8)}: no such tariff line in {self._db_name}")
        spans = ", ".join(f"{line.period.begin}..{line.period.end}" for line in lines)
        raise NotFound(
            f"{field} {format_hts(hts8)}: no tariff line in force on {on.isoformat()} "
            f"(in force {spans})"
        )

    @property
    def _db_name(self) -> str:
        return f"tariff database {self.files.stamp('tariff_database')}"

    def tariff_codes(self) -> tuple[str, ...]:
        """Every HTS-8 code in the tariff database, sorted."""
        return tuple(sorted(self._records()[1]))

    def iter_tariff_lines(self) -> Iterator[TariffLine]:
        """Every row of the tariff database, parsed (slow: for checks and exports)."""
        for code in self.tariff_codes():
            yield from self.tariff_lines(code)

    # -- the other files --------------------------------------------------------------------

    def _statistical(self) -> _Table:
        return self._once(
            "hts10", lambda: _Table.load(self.files.hts10_products, HTS10_COLUMNS, 10)
        )

    def statistical_line(self, hts10: str, *, field: str = "hts10") -> StatisticalLine:
        """The 10-digit statistical line ``hts10``; raises :class:`NotFound` naming ``field``."""
        found = self._statistical().get(hts10, parse_hts10_row)
        if not found:
            stamp = self.files.stamp("hts10_products")
            raise NotFound(
                f"{field} {format_hts(hts10)}: no such statistical reporting number "
                f"in the HTS-10 list {stamp}"
            )
        return found[0]

    def statistical_lines(self, hts8: str) -> tuple[StatisticalLine, ...]:
        """The statistical lines under HTS-8 line ``hts8``, in code order."""
        table = self._statistical()
        codes = sorted(code for code in table.codes() if code.startswith(hts8))
        return tuple(line for code in codes for line in table.get(code, parse_hts10_row))

    def iter_statistical_lines(self) -> Iterator[StatisticalLine]:
        """Every statistical line, in file order."""
        yield from self._statistical().parse_all(parse_hts10_row)

    def _chapter99(self) -> dict[str, Chapter99Heading]:
        def build() -> dict[str, Chapter99Heading]:
            path = self.files.chapter99_headings
            rows = read_csv_rows(path, CHAPTER99_COLUMNS)
            parsed = (
                parse_chapter99_row(row, where=f"{path.name}:{n}") for n, row in enumerate(rows, 2)
            )
            return {heading.code: heading for heading in parsed}

        return self._once("chapter99", build)

    def chapter99_heading(self, code: str) -> Chapter99Heading | None:
        """The chapter 99 heading ``9903.88.03`` (with dots), if the extract has it."""
        return self._chapter99().get(code)

    def iter_chapter99_headings(self) -> Iterator[Chapter99Heading]:
        """Every chapter 99 heading, in file order."""
        yield from self._chapter99().values()

    def _section301(self) -> _Table:
        return self._once(
            "section301",
            lambda: _Table.load(self.files.section301_product_lists, SECTION301_COLUMNS, 8),
        )

    def section301_listings(self, hts8: str) -> tuple[Section301Listing, ...]:
        """The Section 301 lists that name HTS-8 line ``hts8``."""
        return self._section301().get(hts8, parse_section301_row)

    def iter_section301_listings(self) -> Iterator[Section301Listing]:
        """Every Section 301 list row, in file order."""
        yield from self._section301().parse_all(parse_section301_row)

    @property
    def fees(self) -> FeeSchedule:
        """The MPF figures by fiscal year."""

        def build() -> FeeSchedule:
            path = self.files.cbp_fees
            return FeeSchedule.from_rows(read_csv_rows(path, FEE_COLUMNS), name=path.name)

        return self._once("fees", build)

    @property
    def coverage(self) -> Coverage:
        """The entry dates this data answers for (see :class:`.Coverage`)."""
        year = int(self.files.stamp("tariff_database")[:4])
        return Coverage(date(year, 1, 1), self.fees.end)


def load_tariff_data(source: Path | TariffFiles | None = None) -> TariffData:
    """Return the tariff data of ``source``, loading it at most once per set of files.

    ``source`` is ``None`` for the bundled data, a directory (searched together with the bundled
    data, the newest file of each kind winning; see :class:`TariffFiles`), or explicit files.
    """
    if source is None:
        files = TariffFiles.bundled()
    elif isinstance(source, Path):
        files = TariffFiles.discover(source, TariffFiles.bundled().tariff_database.parent)
    else:
        files = source
    stamps = []
    for path in (getattr(files, name) for name in files.__slots__):
        try:
            status = path.stat()
        except OSError as exc:
            raise ConfigurationError(f"cannot read tariff data file {path}: {exc}") from exc
        stamps.append((status.st_size, status.st_mtime_ns))
    return _load(files, tuple(stamps))


@lru_cache(maxsize=8)
def _load(files: TariffFiles, stamps: tuple[tuple[int, int], ...]) -> TariffData:
    del stamps  # part of the cache key only: a changed file is loaded again
    return TariffData(files)

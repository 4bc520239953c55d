"""Moments stored and read back as aware UTC datetimes, on every backend.

PostgreSQL's ``timestamptz`` keeps the instant and returns it in the session's time zone;
SQLite keeps text and SQLAlchemy writes it without an offset, so an aware non-UTC datetime lost
its offset and every value read back was naive. :class:`UtcDateTime` writes the instant in UTC
(a naive value is taken as UTC, as the domain's own parsers do) and reads it back aware, in UTC,
so a timestamp round-trips the same on both (STYLE.md: all datetimes are timezone-aware UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = ["UtcDateTime"]


class UtcDateTime(TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` whose values are aware UTC datetimes both ways (the column
    type in the schema is unchanged)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """The instant in UTC; a naive value is taken as UTC."""
        if value is None or value.tzinfo is UTC:
            return value
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """The stored instant, aware, in UTC."""
        if value is None:
            return None
        moment: datetime = value
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)

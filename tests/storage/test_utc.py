"""Timestamps round-trip as aware UTC datetimes on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import DateTime, select, text

from tradetrace.storage.tables import OrganisationRow
from tradetrace.storage.utc import UtcDateTime

EASTERN = timezone(timedelta(hours=-5))


def _stored(session, slug, moment):
    session.add(OrganisationRow(slug=slug, name=slug, country="US", roles=[], created_at=moment))
    session.commit()
    session.expunge_all()
    return session.scalars(select(OrganisationRow.created_at).where(OrganisationRow.slug == slug))


def test_an_aware_moment_in_another_zone_keeps_its_instant(session):
    moment = datetime(2026, 11, 27, 7, 0, tzinfo=EASTERN)
    read = _stored(session, "eastern", moment).one()
    assert read == moment
    assert read.tzinfo is UTC
    assert read.hour == 12


def test_a_naive_moment_is_taken_as_utc_and_read_back_aware(session):
    read = _stored(session, "naive", datetime(2026, 11, 27, 12, 0)).one()
    assert read == datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert read.tzinfo is UTC


def test_comparisons_use_the_instant(session, engine):
    _stored(session, "eastern", datetime(2026, 11, 27, 7, 0, tzinfo=EASTERN))
    later = datetime(2026, 11, 27, 8, 0, tzinfo=EASTERN)  # 13:00 UTC
    earlier = datetime(2026, 11, 27, 11, 59, tzinfo=UTC)
    found = session.scalars(
        select(OrganisationRow.slug).where(
            OrganisationRow.created_at < later, OrganisationRow.created_at > earlier
        )
    ).all()
    assert found == ["eastern"]
    if engine.dialect.name == "sqlite":  # stored as UTC wall time
        raw = session.execute(text("SELECT created_at FROM organisation")).scalar_one()
        assert str(raw).startswith("2026-11-27 12:00:00")


def test_the_schema_type_is_unchanged():
    impl = UtcDateTime().impl
    assert isinstance(impl, DateTime)
    assert impl.timezone is True

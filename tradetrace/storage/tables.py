"""Typed SQLAlchemy 2 mappings of every table. Only ``storage`` sees these classes.

Tables are singular snake_case; timestamps end in ``_at`` (STYLE.md §3). The schema itself is
owned by the Alembic migrations in ``migrations/versions``; a test checks that these mappings
and the migrated schema agree.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from tradetrace.storage.utc import UtcDateTime

__all__ = [
    "AccreditationRow",
    "Base",
    "LeaseRow",
    "LogBundleRow",
    "LogCheckpointRow",
    "LogHeadRow",
    "LogKeyChunkRow",
    "LogKeyRunRow",
    "LogTileRow",
    "OrganisationIdentifierRow",
    "OrganisationKeyRow",
    "OrganisationRow",
]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with an explicit constraint-naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class OrganisationRow(Base):
    """A trade party or authority known to this node."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    roles: Mapped[list[str]] = mapped_column(JSON)
    did: Mapped[str | None] = mapped_column(String(512), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    identifiers: Mapped[list[OrganisationIdentifierRow]] = relationship(
        back_populates="organisation",
        cascade="all, delete-orphan",
        order_by="OrganisationIdentifierRow.scheme",
        lazy="selectin",
    )


class OrganisationIdentifierRow(Base):
    """One registered identifier (EORI, LEI, GLN, CBP importer number, MID) of an organisation."""

    __tablename__ = "organisation_identifier"
    __table_args__ = (UniqueConstraint("scheme", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    scheme: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(64))
    organisation: Mapped[OrganisationRow] = relationship(back_populates="identifiers")


class LogHeadRow(Base):
    """The sequenced tree of the transparency log: one row, locked by every append."""

    __tablename__ = "log_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(BigInteger)
    edge: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LogTileRow(Base):
    """A tile of hashes, stored at its newest (longest) width; partial widths are prefixes."""

    __tablename__ = "log_tile"

    level: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    tile_index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class LogBundleRow(Base):
    """An entry bundle (tlog-tiles), stored at its newest width."""

    __tablename__ = "log_bundle"

    bundle_index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class LogKeyRunRow(Base):
    """One sorted run of the lookup-key index: its id and how many keys it holds.

    A run is written by the append that logged its keys (its id is that batch's first leaf
    index) and later merged with others; see :mod:`tradetrace.storage.ledger_keys`.
    """

    __tablename__ = "log_key_run"

    run: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    records: Mapped[int] = mapped_column(BigInteger)


class LogKeyChunkRow(Base):
    """Up to about a thousand sorted ``(key digest, leaf index)`` records of one run.

    ``low`` is the key digest of the chunk's first record; a lookup reads the one chunk per run
    whose ``low`` is the greatest not above the digest it looks for.
    """

    __tablename__ = "log_key_chunk"

    run: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    low: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class LogCheckpointRow(Base):
    """A signed checkpoint the log published (with any witness cosignatures added later)."""

    __tablename__ = "log_checkpoint"

    size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    note: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class LeaseRow(Base):
    """A named, expiring lease: which process currently does a singleton job."""

    __tablename__ = "lease"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AccreditationRow(Base):
    """A trust-registry entry: a DID accredited for roles and credential types."""

    __tablename__ = "accreditation"

    id: Mapped[int] = mapped_column(primary_key=True)
    did: Mapped[str] = mapped_column(String(512), index=True)
    roles: Mapped[list[str]] = mapped_column(JSON)
    credential_types: Mapped[list[str]] = mapped_column(JSON)
    accredited_by: Mapped[str] = mapped_column(String(512))
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime)
    valid_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OrganisationKeyRow(Base):
    """A signing key of an organisation: public part here, private part encrypted on disk."""

    __tablename__ = "organisation_key"
    __table_args__ = (UniqueConstraint("organisation_id", "fragment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    fragment: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    public_multibase: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


from tradetrace.storage import credentials_tables as _credentials  # noqa: E402,F401
from tradetrace.storage import entries_tables as _entries  # noqa: E402,F401
from tradetrace.storage import events_tables as _events  # noqa: E402,F401
from tradetrace.storage import facilitation_tables as _facilitation  # noqa: E402,F401
from tradetrace.storage import oauth_tables as _oauth  # noqa: E402,F401
from tradetrace.storage import outbox_tables as _outbox  # noqa: E402,F401
from tradetrace.storage import recordations_tables as _recordations  # noqa: E402,F401

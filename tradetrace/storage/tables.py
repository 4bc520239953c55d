"""Typed SQLAlchemy 2 mappings of every table. Only ``storage`` sees these classes.

Tables are singular snake_case; timestamps end in ``_at`` (STYLE.md §3). The schema itself is
owned by the Alembic migrations in ``migrations/versions``; a test checks that these mappings
and the migrated schema agree.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, MetaData, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = ["Base", "OrganisationIdentifierRow", "OrganisationRow"]

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
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
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

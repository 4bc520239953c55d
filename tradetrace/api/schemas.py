"""Request and response bodies of the API (``…Create`` / ``…Public`` / ``…List``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from tradetrace.organisations.model import Organisation

__all__ = [
    "Health",
    "OrganisationCreate",
    "OrganisationList",
    "OrganisationPublic",
    "Readiness",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Health(_Frozen):
    """Liveness: the process answers."""

    status: str = "ok"


class Readiness(_Frozen):
    """Readiness: the database answers and its schema is current."""

    status: str
    database: str
    schema_revision: str


class OrganisationCreate(_Frozen):
    """A new organisation."""

    slug: str = Field(description="Short unique name used in URLs and did:web paths.")
    name: str
    country: str = Field(description="ISO 3166-1 alpha-2 country code.")
    roles: list[str] = Field(default_factory=list)
    identifiers: dict[str, str] = Field(
        default_factory=dict, description="Scheme to value: eori, lei, gln, cbp_importer, mid."
    )


class OrganisationIdentifiersAdd(_Frozen):
    """Identifiers to give an organisation, in schemes it has none of."""

    identifiers: dict[str, str] = Field(
        description="Scheme to value: eori, lei, gln, cbp_importer, mid."
    )


class OrganisationPublic(_Frozen):
    """An organisation as the API shows it."""

    slug: str
    name: str
    country: str
    roles: list[str]
    identifiers: dict[str, str]
    did: str | None
    created_at: datetime

    @classmethod
    def from_domain(cls, organisation: Organisation) -> OrganisationPublic:
        """Render a stored organisation."""
        return cls(
            slug=organisation.slug,
            name=organisation.name,
            country=organisation.country,
            roles=[role.value for role in organisation.roles],
            identifiers={item.scheme.value: item.value for item in organisation.identifiers},
            did=organisation.did,
            created_at=organisation.created_at,
        )


class OrganisationList(_Frozen):
    """A page of organisations."""

    items: list[OrganisationPublic]

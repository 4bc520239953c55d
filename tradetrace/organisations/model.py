"""The organisation record: who a party is, where, in what roles, under which identifiers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.organisations.identifiers import IdentifierScheme, validate_identifier

__all__ = [
    "NewOrganisation",
    "Organisation",
    "OrganisationIdentifier",
    "Role",
    "parse_identifiers",
]

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class Role(StrEnum):
    """What an organisation does in the trade; the trust registry accredits DIDs per role."""

    PRODUCER = "producer"
    STEEL_MILL = "steel_mill"
    PIPELINE_OPERATOR = "pipeline_operator"
    GROWER = "grower"
    MANUFACTURER = "manufacturer"
    EXPORTER = "exporter"
    IMPORTER = "importer"
    BROKER = "broker"
    FORWARDER = "forwarder"
    CARRIER = "carrier"
    ECOMMERCE_PLATFORM = "ecommerce_platform"
    RIGHTS_HOLDER = "rights_holder"
    LICENSEE = "licensee"
    CERTIFIER = "certifier"
    LABORATORY = "laboratory"
    CUSTOMS_AUTHORITY = "customs_authority"


@dataclass(frozen=True, slots=True)
class OrganisationIdentifier:
    """One registered identifier, already validated for its scheme."""

    scheme: IdentifierScheme
    value: str


@dataclass(frozen=True, slots=True)
class NewOrganisation:
    """A validated organisation not yet stored. Build it with :meth:`parse`."""

    slug: str
    name: str
    country: str
    roles: tuple[Role, ...]
    identifiers: tuple[OrganisationIdentifier, ...]

    @classmethod
    def parse(
        cls,
        *,
        slug: str,
        name: str,
        country: str,
        roles: Iterable[str] = (),
        identifiers: Mapping[str, str] | None = None,
    ) -> NewOrganisation:
        """Validate every field and return the organisation, or raise :class:`InvalidDocument`
        listing each field at fault."""
        problems: list[FieldProblem] = []
        if not _SLUG.match(slug):
            problems.append(FieldProblem("slug", "expected 1-64 lower-case letters, digits or '-'"))
        clean_name = name.strip()
        if not clean_name or len(clean_name) > 200:
            problems.append(FieldProblem("name", "expected 1-200 characters"))
        if not _COUNTRY.match(country):
            problems.append(FieldProblem("country", "expected an ISO 3166-1 alpha-2 code"))
        parsed_roles: list[Role] = []
        for index, role in enumerate(roles):
            try:
                parsed_roles.append(Role(role))
            except ValueError:
                problems.append(FieldProblem(f"roles[{index}]", f"unknown role {role!r}"))
        parsed_ids = _parse_identifiers(identifiers or {}, problems)
        if problems:
            raise InvalidDocument.from_problems("organisation", problems)
        return cls(
            slug=slug,
            name=clean_name,
            country=country,
            roles=tuple(dict.fromkeys(parsed_roles)),
            identifiers=parsed_ids,
        )


def parse_identifiers(identifiers: Mapping[str, str]) -> tuple[OrganisationIdentifier, ...]:
    """Validate ``identifiers`` (scheme name to value), sorted by scheme, or raise
    :class:`InvalidDocument` naming each ``identifiers.<scheme>`` at fault."""
    problems: list[FieldProblem] = []
    parsed = _parse_identifiers(identifiers, problems)
    if not parsed and not problems:
        problems.append(FieldProblem("identifiers", "expected at least one identifier"))
    if problems:
        raise InvalidDocument.from_problems("identifiers", problems)
    return parsed


def _parse_identifiers(
    identifiers: Mapping[str, str], problems: list[FieldProblem]
) -> tuple[OrganisationIdentifier, ...]:
    """The valid identifiers, sorted by scheme; a problem for each invalid one."""
    parsed: list[OrganisationIdentifier] = []
    for scheme_name, value in identifiers.items():
        field = f"identifiers.{scheme_name}"
        try:
            scheme = IdentifierScheme(scheme_name)
        except ValueError:
            problems.append(FieldProblem(field, "unknown identifier scheme"))
            continue
        reason = validate_identifier(scheme, value)
        if reason is not None:
            problems.append(FieldProblem(field, reason))
        else:
            parsed.append(OrganisationIdentifier(scheme, value))
    return tuple(sorted(parsed, key=lambda item: item.scheme.value))


@dataclass(frozen=True, slots=True)
class Organisation:
    """A stored organisation."""

    id: int
    slug: str
    name: str
    country: str
    roles: tuple[Role, ...]
    identifiers: tuple[OrganisationIdentifier, ...]
    created_at: datetime
    did: str | None = None

    def identifier(self, scheme: IdentifierScheme) -> str | None:
        """The organisation's identifier in ``scheme``, if it has one."""
        for item in self.identifiers:
            if item.scheme is scheme:
                return item.value
        return None

"""Organisations: the trade parties and authorities that hold DIDs and issue credentials."""

from tradetrace.organisations.identifiers import IdentifierScheme, validate_identifier
from tradetrace.organisations.model import (
    NewOrganisation,
    Organisation,
    OrganisationIdentifier,
    Role,
)

__all__ = [
    "IdentifierScheme",
    "NewOrganisation",
    "Organisation",
    "OrganisationIdentifier",
    "Role",
    "validate_identifier",
]

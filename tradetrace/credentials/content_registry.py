"""The credential types whose content tradetrace validates, and the JSON Schema for each.

Each :class:`CredentialType` maps a VC ``type`` value to one schema bundled in
``tradetrace/credentials/schemas/`` (its ``README.md`` records origin, commit and licence) and to
the domain that needs it. The names are the vocabulary's exact type names, as each schema's
``type`` constant spells them. Twenty types come from the W3C CCG Traceability Vocabulary
(w3c-ccg/traceability-vocab ``docs/openapi/components/schemas/credentials/<Name>.yml`` at commit
961fb742), which is the content profile of the CBP/DHS SVIP credentials; one,
``CAFTADRCertificationOfOrigin``, is tradetrace's own, written from 19 CFR 10.584, because the
vocabulary has no CAFTA-DR type.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

__all__ = ["CredentialType", "Domain", "find_credential_type", "supported_types"]

_VOCABULARY_SCHEMAS: Final = "https://w3id.org/traceability/openapi/components/schemas/credentials/"
_VOCABULARY_SOURCE: Final = (
    "w3c-ccg/traceability-vocab: docs/openapi/components/schemas/credentials/{name}.yml"
    " (commit 961fb742f18ad088ee753f9138c82f12e6d2d919)"
)


class Domain(StrEnum):
    """The trade domain a credential type serves (MISSION.md; customs.md §5-§7)."""

    STEEL = "steel"
    """Steel mill certificates: melt-and-pour country, Section 232 (customs.md §7)."""
    OIL_AND_GAS = "oil_and_gas"
    """Pipeline crude oil and natural gas custody and origin (customs.md §7)."""
    E_COMMERCE = "e_commerce"
    """Low-value shipments (Section 321, Type 86) and IPR licences (customs.md §6, §7.1)."""
    FOOD = "food"
    """FSMA 204 food traceability events (standards.md §7)."""
    ORIGIN = "origin"
    """Free trade agreement certifications of origin: USMCA, CAFTA-DR (customs.md §5)."""
    TRADE = "trade"
    """Commercial and transport documents used in every domain: invoices, bills of lading."""


@dataclass(frozen=True, slots=True)
class CredentialType:
    """One supported credential type: its VC ``type`` name, domain and content schema.

    ``schema_id`` is the schema's ``$id``: for vocabulary types the URL a credential's
    ``credentialSchema.id`` names, for tradetrace's own types a ``urn:tradetrace:schema:`` URN.
    ``source`` says where the schema comes from (repository, path and commit, or the
    regulation it was written from).
    """

    name: str
    domain: Domain
    schema_id: str
    source: str

    def __hash__(self) -> int:
        # The name identifies the type; hashing it alone keeps cached lookups by type quick.
        return hash(self.name)


def _vocabulary(name: str, domain: Domain) -> CredentialType:
    return CredentialType(
        name=name,
        domain=domain,
        schema_id=f"{_VOCABULARY_SCHEMAS}{name}.yml",
        source=_VOCABULARY_SOURCE.format(name=name),
    )


_TYPES: Final = (
    _vocabulary("BillOfLadingCredential", Domain.TRADE),
    CredentialType(
        name="CAFTADRCertificationOfOrigin",
        domain=Domain.ORIGIN,
        schema_id="urn:tradetrace:schema:credentials:CAFTADRCertificationOfOrigin",
        source="tradetrace: written from 19 CFR 10.584(a) and 10.594 (CAFTA-DR)",
    ),
    _vocabulary("CBPEntryType86Credential", Domain.E_COMMERCE),
    # The schema's type constant and its example say CBPSection321DeMinimisCredential; its
    # $linkedData term (and so the JSON-LD context) says CBPSection321DeMinimisDeMinimisCredential.
    # Credentials carry the former, so that is the name matched here.
    _vocabulary("CBPSection321DeMinimisCredential", Domain.E_COMMERCE),
    _vocabulary("CertificationOfOrigin", Domain.ORIGIN),
    _vocabulary("CommercialInvoiceCredential", Domain.TRADE),
    _vocabulary("FSMACreatingCTECredential", Domain.FOOD),
    _vocabulary("FSMAFirstReceiverDataCredential", Domain.FOOD),
    _vocabulary("FSMAGrowingCTECredential", Domain.FOOD),
    _vocabulary("FSMAReceivingCTECredential", Domain.FOOD),
    _vocabulary("FSMAShippingCTECredential", Domain.FOOD),
    _vocabulary("FSMATransformingCTECredential", Domain.FOOD),
    _vocabulary("HouseBillOfLadingCredential", Domain.TRADE),
    _vocabulary("IntellectualPropertyRightsCredential", Domain.E_COMMERCE),
    _vocabulary("IntellectualPropertyRightsLicenseCredential", Domain.E_COMMERCE),
    _vocabulary("MasterBillOfLadingCredential", Domain.TRADE),
    _vocabulary("MillTestReportCredential", Domain.STEEL),
    _vocabulary("MultiModalBillOfLadingCredential", Domain.TRADE),
    _vocabulary("OilAndGasDeliveryTicketCredential", Domain.OIL_AND_GAS),
    _vocabulary("OilAndGasProductCredential", Domain.OIL_AND_GAS),
    _vocabulary("USMCACertificationOfOrigin", Domain.ORIGIN),
)

_BY_NAME: Final = MappingProxyType({entry.name: entry for entry in _TYPES})


def supported_types() -> tuple[CredentialType, ...]:
    """Every credential type whose content can be validated, sorted by name.

    The list and each schema's origin are in ``tradetrace/credentials/schemas/README.md``.
    """
    return _TYPES


def find_credential_type(name: str) -> CredentialType | None:
    """The supported type whose VC ``type`` name is exactly ``name``, or ``None``."""
    return _BY_NAME.get(name)

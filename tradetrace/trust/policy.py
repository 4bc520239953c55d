"""Which roles may issue which credential types: the policy behind the trust check.

The roles follow the parties of the CBP pilots (MISSION.md): a mill test report comes from a
steel mill or an accredited laboratory; a USMCA certification of origin may be completed by the
importer, exporter or producer (USMCA Art. 5.2.1; 19 CFR 182.12) and a CAFTA-DR certification by
the importer, exporter or producer (19 CFR 10.584(a)); an IPR licence comes from the rights holder
or, for a sub-licence, a licensee (19 CFR Part 133); FSMA 204 records come from the firm that
performed the critical tracking event (21 CFR 1.1325 to 1.1350).
"""

from __future__ import annotations

from collections.abc import Iterable

from tradetrace.organisations.model import Role

__all__ = ["ROLES_BY_CREDENTIAL_TYPE", "roles_for"]

_ORIGIN_CERTIFIERS = frozenset(
    {Role.CERTIFIER, Role.EXPORTER, Role.IMPORTER, Role.MANUFACTURER, Role.PRODUCER}
)
_SHIPPERS = frozenset({Role.CARRIER, Role.FORWARDER})
_FOOD_FIRMS = frozenset(
    {Role.GROWER, Role.PRODUCER, Role.MANUFACTURER, Role.EXPORTER, Role.IMPORTER, Role.CARRIER}
)

ROLES_BY_CREDENTIAL_TYPE: dict[str, frozenset[Role]] = {
    "MillTestReportCredential": frozenset({Role.STEEL_MILL, Role.LABORATORY}),
    "USMCACertificationOfOrigin": _ORIGIN_CERTIFIERS,
    "CAFTADRCertificationOfOrigin": _ORIGIN_CERTIFIERS,
    "CertificationOfOrigin": _ORIGIN_CERTIFIERS,
    "CommercialInvoiceCredential": frozenset(
        {Role.EXPORTER, Role.MANUFACTURER, Role.PRODUCER, Role.STEEL_MILL, Role.ECOMMERCE_PLATFORM}
    ),
    "BillOfLadingCredential": _SHIPPERS,
    "HouseBillOfLadingCredential": _SHIPPERS,
    "MasterBillOfLadingCredential": _SHIPPERS,
    "MultiModalBillOfLadingCredential": _SHIPPERS,
    "OilAndGasDeliveryTicketCredential": frozenset({Role.PIPELINE_OPERATOR, Role.PRODUCER}),
    "OilAndGasProductCredential": frozenset({Role.PIPELINE_OPERATOR, Role.PRODUCER}),
    "CBPEntryType86Credential": frozenset({Role.ECOMMERCE_PLATFORM, Role.IMPORTER, Role.BROKER}),
    "CBPSection321DeMinimisCredential": frozenset(
        {Role.ECOMMERCE_PLATFORM, Role.IMPORTER, Role.BROKER}
    ),
    "IntellectualPropertyRightsCredential": frozenset({Role.RIGHTS_HOLDER}),
    "IntellectualPropertyRightsLicenseCredential": frozenset({Role.RIGHTS_HOLDER, Role.LICENSEE}),
    "FSMAGrowingCTECredential": frozenset({Role.GROWER}),
    "FSMACreatingCTECredential": _FOOD_FIRMS,
    "FSMAFirstReceiverDataCredential": _FOOD_FIRMS,
    "FSMAShippingCTECredential": _FOOD_FIRMS,
    "FSMAReceivingCTECredential": _FOOD_FIRMS,
    "FSMATransformingCTECredential": _FOOD_FIRMS,
}
"""Roles whose accreditation lets a DID issue each credential type."""


def roles_for(credential_types: Iterable[str]) -> frozenset[Role]:
    """Roles that may issue a credential of these types (any of its specific types)."""
    roles: set[Role] = set()
    for name in credential_types:
        roles |= ROLES_BY_CREDENTIAL_TYPE.get(name, frozenset())
    return frozenset(roles)

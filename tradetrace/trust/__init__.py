"""The trust registry: which DIDs are accredited, by whom, for which roles and credential types."""

from tradetrace.trust.policy import ROLES_BY_CREDENTIAL_TYPE, roles_for
from tradetrace.trust.registry import Accreditation, NewAccreditation, TrustDecision, decide_trust

__all__ = [
    "ROLES_BY_CREDENTIAL_TYPE",
    "Accreditation",
    "NewAccreditation",
    "TrustDecision",
    "decide_trust",
    "roles_for",
]

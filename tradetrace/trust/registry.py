"""Accreditations and the trust decision for an issuer at a moment in time.

An accreditation says: DID X is accredited by authority Y for roles R (and, optionally, named
credential types T) from ``valid_from`` until ``valid_until``. An issuer is trusted for a
credential when a current accreditation names one of the credential's types, or one of the roles
the policy (:mod:`.policy`) allows for those types.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.organisations.model import Role
from tradetrace.trust.policy import roles_for

__all__ = ["Accreditation", "NewAccreditation", "TrustDecision", "decide_trust"]

_DID = re.compile(r"^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$")
_TYPE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,99}$")


@dataclass(frozen=True, slots=True)
class NewAccreditation:
    """A validated accreditation not yet stored. Build it with :meth:`parse`."""

    did: str
    roles: tuple[Role, ...]
    credential_types: tuple[str, ...]
    accredited_by: str
    valid_from: datetime
    valid_until: datetime | None

    @classmethod
    def parse(
        cls,
        *,
        did: str,
        roles: Iterable[str],
        credential_types: Iterable[str] = (),
        accredited_by: str,
        valid_from: datetime,
        valid_until: datetime | None = None,
    ) -> NewAccreditation:
        """Validate every field; :class:`InvalidDocument` lists each one at fault."""
        problems: list[FieldProblem] = []
        for field, value in (("did", did), ("accredited_by", accredited_by)):
            if not _DID.match(value):
                problems.append(FieldProblem(field, "expected a DID"))
        parsed_roles: list[Role] = []
        given_roles = tuple(roles)
        for index, role in enumerate(given_roles):
            try:
                parsed_roles.append(Role(role))
            except ValueError:
                problems.append(FieldProblem(f"roles[{index}]", f"unknown role {role!r}"))
        types = tuple(credential_types)
        for index, name in enumerate(types):
            if not _TYPE.match(name):
                problems.append(FieldProblem(f"credential_types[{index}]", "expected a type name"))
        if not given_roles and not types:
            problems.append(FieldProblem("roles", "name at least one role or credential type"))
        for field, moment in (("valid_from", valid_from), ("valid_until", valid_until)):
            if moment is not None and moment.tzinfo is None:
                problems.append(FieldProblem(field, "expected a timezone-aware time"))
        aware = valid_from.tzinfo is not None
        if valid_until is not None and aware and valid_until.tzinfo and valid_until <= valid_from:
            problems.append(FieldProblem("valid_until", "must be after valid_from"))
        if problems:
            raise InvalidDocument.from_problems("accreditation", problems)
        return cls(
            did=did,
            roles=tuple(dict.fromkeys(parsed_roles)),
            credential_types=tuple(dict.fromkeys(types)),
            accredited_by=accredited_by,
            valid_from=valid_from,
            valid_until=valid_until,
        )


@dataclass(frozen=True, slots=True)
class Accreditation(NewAccreditation):
    """A stored accreditation."""

    id: int = 0

    def current(self, at: datetime) -> bool:
        """Whether the accreditation is in force at ``at``."""
        return self.valid_from <= at and (self.valid_until is None or at < self.valid_until)


@dataclass(frozen=True, slots=True)
class TrustDecision:
    """Whether an issuer is trusted for a credential, and why: a stable code and a message."""

    trusted: bool
    code: str
    message: str
    accreditation: Accreditation | None = None


def decide_trust(
    accreditations: Sequence[Accreditation],
    *,
    issuer: str,
    credential_types: Sequence[str],
    at: datetime,
) -> TrustDecision:
    """Decide whether ``issuer`` is accredited for a credential of ``credential_types`` at ``at``.

    Codes: ``issuer_accredited``, ``issuer_not_accredited`` (no accreditation at all),
    ``accreditation_not_current`` (outside its dates), ``accreditation_wrong_scope`` (current,
    but not for these types or roles).
    """
    specific = [name for name in credential_types if name != "VerifiableCredential"]
    mine = [item for item in accreditations if item.did == issuer]
    if not mine:
        return TrustDecision(False, "issuer_not_accredited", f"{issuer} has no accreditation")
    current = [item for item in mine if item.current(at)]
    if not current:
        return TrustDecision(
            False,
            "accreditation_not_current",
            f"no accreditation of {issuer} is in force on {at.date().isoformat()}",
        )
    allowed_roles = roles_for(specific)
    for item in current:
        if set(specific) & set(item.credential_types) or allowed_roles & set(item.roles):
            scope = ", ".join(role.value for role in item.roles) or ", ".join(item.credential_types)
            return TrustDecision(
                True,
                "issuer_accredited",
                f"{issuer} is accredited by {item.accredited_by} ({scope})",
                item,
            )
    wanted = ", ".join(sorted(role.value for role in allowed_roles)) or "a matching type"
    return TrustDecision(
        False,
        "accreditation_wrong_scope",
        f"{issuer} is accredited, but not for {', '.join(specific) or 'this credential'} "
        f"(needs {wanted})",
    )

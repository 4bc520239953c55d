"""The OAuth 2.0 scopes of the Traceability Interop API, one per endpoint (standards.md §2.2).

The newer spellings (``resolve:dids``, ``issue:credentials``...) are those of the interop
``openapi.yml`` ``components.securitySchemes.OAuth2``; the older ``create:credential`` is read
as ``issue:credentials``. A scope value is a space-delimited, case-sensitive list (RFC 6749 §3.3).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Final

from tradetrace import errors

__all__ = ["ALL_SCOPES", "Scope", "format_scopes", "parse_scopes"]


class Scope(StrEnum):
    """One interop scope (Traceability Interop ``openapi.yml`` OAuth2 scopes)."""

    RESOLVE_DIDS = "resolve:dids"
    """``GET /identifiers/{did}``."""
    ISSUE_CREDENTIALS = "issue:credentials"
    """``POST /credentials/issue``."""
    VERIFY_CREDENTIALS = "verify:credentials"
    """``POST /credentials/verify``."""
    READ_CREDENTIALS = "read:credentials"
    """``GET /credentials/{id}`` (the endpoint is also public)."""
    UPDATE_CREDENTIALS = "update:credentials"
    """``POST /credentials/status``."""
    PROVE_PRESENTATIONS = "prove:presentations"
    """``POST /presentations/prove``."""
    VERIFY_PRESENTATIONS = "verify:presentations"
    """``POST /presentations/verify``."""
    SUBMIT_PRESENTATIONS = "submit:presentations"
    """``POST /presentations``: the one required interop endpoint (standards.md §2.2)."""


ALL_SCOPES: Final = frozenset(Scope)
"""Every interop scope."""

_OLDER_SPELLINGS: Final = {"create:credential": Scope.ISSUE_CREDENTIALS}
_MAX_SCOPE_LENGTH: Final = 1000


def parse_scopes(
    text: str | None, *, field: str = "scope", strict: bool = True
) -> frozenset[Scope]:
    """Parse a space-delimited scope list (RFC 6749 §3.3); ``None`` or blank gives no scope.

    With ``strict`` an unknown scope is an error; without, it is ignored (a token from an
    external issuer may carry scopes of other APIs).

    Raises:
        errors.InvalidDocument: an unknown scope (``strict``) or an over-long value; the problem
            names ``field``.
    """
    if text is None:
        return frozenset()
    if len(text) > _MAX_SCOPE_LENGTH:
        problem = errors.FieldProblem(field, f"at most {_MAX_SCOPE_LENGTH} characters")
        raise errors.InvalidDocument.from_problems("scope", [problem])
    found: set[Scope] = set()
    for token in text.split():
        if token in _OLDER_SPELLINGS:
            found.add(_OLDER_SPELLINGS[token])
        elif token in Scope._value2member_map_:
            found.add(Scope(token))
        elif strict:
            problem = errors.FieldProblem(field, f"unknown scope {token[:60]!r}")
            raise errors.InvalidDocument.from_problems("scope", [problem])
    return frozenset(found)


def format_scopes(scopes: Iterable[Scope]) -> str:
    """The scope value for ``scopes``: sorted, space-delimited (RFC 6749 §3.3)."""
    return " ".join(sorted(scope.value for scope in scopes))

"""Who is calling: operators by their configured bearer token, requesters by their case token.

``Authorization: Bearer TOKEN`` carries either an operator token (``TRADETRACE_OPERATOR_TOKENS``)
or the status link token of a case. :data:`CurrentOperator` admits operators only (401 for
anything else); :data:`CurrentActor` admits both, and the domain then decides (403 when a
requester tries what only operators may do). OAuth replaces the operator tokens later.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from tradetrace.api.deps import SessionDep, SettingsDep
from tradetrace.facilitation.cases import Actor
from tradetrace.workflows import cases

__all__ = ["CurrentActor", "CurrentOperator", "bearer_token"]


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header, or ``None``."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _operator(
    settings: SettingsDep, authorization: Annotated[str | None, Header()] = None
) -> Actor:
    return cases.operator_for_token(settings, bearer_token(authorization))


def _actor(
    session: SessionDep,
    settings: SettingsDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Actor:
    return cases.actor_for_token(session, settings, bearer_token(authorization))


CurrentOperator = Annotated[Actor, Depends(_operator)]
CurrentActor = Annotated[Actor, Depends(_actor)]

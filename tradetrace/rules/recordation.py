"""IPR recordations: trademarks and copyrights recorded with CBP (19 CFR Part 133).

A rights holder records a USPTO-registered trademark (19 CFR 133.1-133.7) or a registered
copyright (133.31-133.37) with CBP through e-Recordation (customs.md §6.2), which gives it a
number such as ``TMK 24-00123`` or ``COP 19-00042``. CBP then detains goods bearing the mark that
are suspected of infringing (133.21-133.25); the ``ipr`` rules ask such goods for a licence chain
from the recorded owner. A recordation here is what those rules need: the number, the word mark
or work title as it appears on goods, the owner (by name and DID, the root of the licence
chain), the end of its term and the HS headings of the goods it covers.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from tradetrace.errors import FieldProblem, InvalidDocument

__all__ = ["Recordation", "RightKind"]

_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9 ./-]{0,39}$")
_DID = re.compile(r"^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$")
_GOODS = re.compile(r"^\d{2}(\d{2}){0,4}$")
_TEXT_LIMIT = 200


class RightKind(StrEnum):
    """What an IPR recordation protects (19 CFR 133.1 trademarks, 133.31 copyrights)."""

    TRADEMARK = "trademark"
    COPYRIGHT = "copyright"


# CBP numbers trademark recordations TMK and copyright recordations COP
_PREFIXES = {"TMK": RightKind.TRADEMARK, "COP": RightKind.COPYRIGHT}


def _text_problem(name: str, value: object, *, limit: int = _TEXT_LIMIT) -> FieldProblem | None:
    if not isinstance(value, str) or not value.strip():
        return FieldProblem(name, "expected a non-empty string")
    if len(value) > limit or value != value.strip():
        return FieldProblem(name, f"expected at most {limit} characters, no outer whitespace")
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Recordation:
    """A trademark or copyright recorded with CBP (19 CFR Part 133; customs.md §6.2).

    ``mark`` is the word mark or work title as it appears on goods; ``goods`` are the HS
    chapters, headings or subheadings (2 to 10 digits) the recordation covers (empty: any
    goods); ``valid_until`` is the last day of its term. Raises :class:`InvalidDocument` naming
    each field at fault; :meth:`parse` reads loose input first.
    """

    number: str
    kind: RightKind
    mark: str
    owner: str
    owner_did: str
    valid_until: date
    goods: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        problems = [
            problem
            for problem in (
                _text_problem("number", self.number, limit=40),
                _text_problem("mark", self.mark),
                _text_problem("owner", self.owner),
            )
            if problem is not None
        ]
        if not any(problem.field == "number" for problem in problems):
            problems += self._number_problems()
        if not isinstance(self.kind, RightKind):
            problems.append(
                FieldProblem("kind", f"expected trademark or copyright, got {self.kind!r}")
            )
        if not isinstance(self.owner_did, str) or not _DID.match(self.owner_did):
            problems.append(FieldProblem("owner_did", "expected a DID such as did:web:example.com"))
        if not isinstance(self.valid_until, date) or isinstance(self.valid_until, datetime):
            problems.append(FieldProblem("valid_until", "expected a date (YYYY-MM-DD)"))
        for index, prefix in enumerate(self.goods):
            if not isinstance(prefix, str) or not _GOODS.match(prefix):
                reason = "expected an HS chapter, heading or subheading: 2 to 10 digits, even"
                problems.append(FieldProblem(f"goods[{index}]", reason))
            elif prefix in self.goods[:index]:
                problems.append(FieldProblem(f"goods[{index}]", f"{prefix} is listed twice"))
        if problems:
            raise InvalidDocument.from_problems("recordation", problems)

    def _number_problems(self) -> list[FieldProblem]:
        if not _NUMBER.match(self.number):
            reason = "expected upper-case letters, digits, spaces or ./- (such as TMK 24-00123)"
            return [FieldProblem("number", reason)]
        kind = _PREFIXES.get(self.number[:3])
        if kind is not None and isinstance(self.kind, RightKind) and kind is not self.kind:
            reason = f"a {self.number[:3]} number is a {kind.value} recordation, not {self.kind}"
            return [FieldProblem("number", reason)]
        return []

    @classmethod
    def parse(
        cls,
        *,
        number: Any,
        kind: Any,
        mark: Any,
        owner: Any,
        owner_did: Any,
        valid_until: Any,
        goods: Iterable[Any] = (),
    ) -> Recordation:
        """A recordation from loose input (API bodies, command-line options): text is trimmed,
        ``kind`` is a :class:`RightKind` value, ``valid_until`` a date or ``YYYY-MM-DD``, and
        goods codes may carry dots (``6403.99``). Raises :class:`InvalidDocument` naming each
        field at fault."""
        # values that cannot be read are passed on as given: the constructor names them
        parsed_kind: Any = kind
        if isinstance(kind, str) and kind in {item.value for item in RightKind}:
            parsed_kind = RightKind(kind)
        until: Any = valid_until
        if isinstance(valid_until, str):
            with contextlib.suppress(ValueError):
                until = date.fromisoformat(valid_until.strip())
        codes = [code.strip().replace(".", "") if isinstance(code, str) else code for code in goods]
        return cls(
            number=number.strip().upper() if isinstance(number, str) else number,
            kind=parsed_kind,
            mark=mark.strip() if isinstance(mark, str) else mark,
            owner=owner.strip() if isinstance(owner, str) else owner,
            owner_did=owner_did.strip() if isinstance(owner_did, str) else owner_did,
            valid_until=until,
            goods=tuple(dict.fromkeys(codes)),
        )

    def in_force(self, on: date) -> bool:
        """Whether the recordation's term includes ``on``."""
        return on <= self.valid_until

    def covers(self, brand: str, hts10: str, on: date) -> bool:
        """Whether goods under ``hts10`` bearing ``brand`` fall under this recordation on ``on``."""
        goods_ok = not self.goods or any(hts10.startswith(prefix) for prefix in self.goods)
        return brand.casefold() == self.mark.casefold() and goods_ok and self.in_force(on)

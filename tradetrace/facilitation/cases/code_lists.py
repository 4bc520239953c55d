"""HTS code lists that triage rules refer to, bundled as data with their sources.

The bundled list ``covid19-medical`` is the COVID-19 medical-supply and PPE table of
customs.md §3.3: CBP's "PGA Codes Related to COVID-19", the WCO/WHO "HS Classification Reference
for COVID-19 Medical Supplies" (2nd ed., April 2020) and USITC Pub. 5047. A code matches a
declared HTS number when it is a prefix of it (``9019.20`` matches ``9019.20.0000``). Codes the
reference itself doubts (3926.90 for face shields, 3004.90 for sanitiser, 6307.90.9875) are kept
as ``uncertain_codes`` and match only when a rule asks. Operators add a list by adding a file to
``data/code-lists/``.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from tradetrace.errors import InvalidDocument, NotFound
from tradetrace.facilitation.cases.identifiers import HtsCodeField
from tradetrace.facilitation.cases.vocabulary import Agency
from tradetrace.facilitation.parsing import parse_json_model
from tradetrace.types import HsCode

__all__ = [
    "CodeList",
    "CodeListItem",
    "code_list_ids",
    "load_code_list",
]

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CodeListItem(_Data):
    """One product group, its HTS codes, the agencies involved and where the codes come from."""

    product: _Text
    codes: tuple[HtsCodeField, ...] = Field(min_length=1)
    uncertain_codes: tuple[HtsCodeField, ...] = ()
    agencies: tuple[Agency, ...] = ()
    source: _Text

    def matches(self, hts: HsCode, *, include_uncertain: bool = False) -> bool:
        """Whether one of the item's codes is a prefix of ``hts``."""
        codes = self.codes + self.uncertain_codes if include_uncertain else self.codes
        return any(hts.startswith(code) for code in codes)


class CodeList(_Data):
    """A named list of HTS codes with its sources (customs.md §3.3 for ``covid19-medical``)."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
    name: _Text
    sources: tuple[_Text, ...] = Field(min_length=1)
    note: str = ""
    items: tuple[CodeListItem, ...] = Field(min_length=1)

    def match(self, hts: HsCode, *, include_uncertain: bool = False) -> CodeListItem | None:
        """The first item whose codes cover ``hts``, or ``None``."""
        for item in self.items:
            if item.matches(hts, include_uncertain=include_uncertain):
                return item
        return None

    @classmethod
    def from_json(cls, text: str | bytes) -> CodeList:
        """Parse a code-list file; raises :class:`~tradetrace.errors.InvalidDocument` per field."""
        return parse_json_model(cls, text, what="HTS code list")


def _bundled() -> Traversable:
    return resources.files("tradetrace.facilitation.cases").joinpath("data", "code-lists")


def code_list_ids(folder: Traversable | None = None) -> tuple[str, ...]:
    """The ids of the code lists in ``folder`` (default: the bundled ones), sorted."""
    entries = (folder or _bundled()).iterdir()
    names = (entry.name for entry in entries if entry.name.endswith(".json"))
    return tuple(sorted(name.removesuffix(".json") for name in names))


def load_code_list(list_id: str, folder: Traversable | None = None) -> CodeList:
    """Load a code list by id from ``folder`` (default: bundled, such as ``covid19-medical``).

    ``folder`` lets operators keep their own lists, one ``<id>.json`` file each. Raises
    :class:`~tradetrace.errors.NotFound` for an unknown id and
    :class:`~tradetrace.errors.InvalidDocument` for a file whose ``id`` is not its name.
    """
    folder = folder or _bundled()
    if list_id not in code_list_ids(folder):
        known = ", ".join(code_list_ids(folder))
        raise NotFound(f"unknown HTS code list {list_id!r}: expected one of {known}")
    code_list = CodeList.from_json(folder.joinpath(f"{list_id}.json").read_bytes())
    if code_list.id != list_id:
        raise InvalidDocument(
            f"code list file {list_id}.json has id {code_list.id!r}: expected {list_id!r}"
        )
    return code_list

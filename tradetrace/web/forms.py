"""Turn a flat HTML form into the nested document the domain parses.

Field names are paths: ``contact.email``, ``goods[1].hts_code``. Empty fields are dropped, and
so are objects left empty, so a section the requester skipped is absent rather than invalid.
Fields named in ``lists`` hold several values separated by commas, semicolons or line breaks.
The domain then reports every field at fault under the same paths, which the form shows next
to its inputs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["nest_form"]

_PART = re.compile(r"^([a-z_0-9]+)(?:\[(\d{1,2})\])?$")
_SEPARATORS = re.compile(r"[,;\n]+")


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        pruned = {key: _prune(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item not in ({}, [], None)}
    if isinstance(value, list):
        return [item for item in (_prune(entry) for entry in value) if item not in ({}, None)]
    return value


def nest_form(fields: Iterable[tuple[str, str]], *, lists: frozenset[str]) -> dict[str, Any]:
    """A nested document from ``(name, value)`` pairs; unknown name shapes are ignored."""
    document: dict[str, Any] = {}
    for name, raw in fields:
        value = raw.strip()
        if not value:
            continue
        parts = [_PART.match(part) for part in name.split(".")]
        if not parts or any(part is None for part in parts):
            continue
        target: dict[str, Any] = document
        for index, match in enumerate(parts):
            assert match is not None  # noqa: S101 - checked above
            key, position = match.group(1), match.group(2)
            last = index == len(parts) - 1
            if position is not None:
                items = target.setdefault(key, [])
                while len(items) <= int(position):
                    items.append({})
                if last:
                    items[int(position)] = value
                else:
                    target = items[int(position)]
            elif last:
                target[key] = (
                    [v.strip() for v in _SEPARATORS.split(value) if v.strip()]
                    if key in lists
                    else value
                )
            else:
                target = target.setdefault(key, {})
    pruned: dict[str, Any] = _prune(document)
    return pruned

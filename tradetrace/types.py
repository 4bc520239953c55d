"""Names for encoded strings, so that one kind cannot be passed where another is expected.

These are :func:`typing.NewType` aliases: free at run time, checked by mypy (STYLE.md §4).
"""

from __future__ import annotations

from typing import NewType

__all__ = [
    "Did",
    "Gln",
    "Gtin",
    "HsCode",
    "Multibase",
    "Sha256Digest",
]

Did = NewType("Did", str)
"""A decentralized identifier, for example ``did:web:example.com``."""

Sha256Digest = NewType("Sha256Digest", str)
"""A SHA-256 digest as 64 lower-case hexadecimal characters."""

Multibase = NewType("Multibase", str)
"""A multibase-encoded value, its first character naming the base (``z`` for base58btc)."""

Gtin = NewType("Gtin", str)
"""A GS1 Global Trade Item Number (8, 12, 13 or 14 digits, check digit included)."""

Gln = NewType("Gln", str)
"""A GS1 Global Location Number (13 digits, check digit included)."""

HsCode = NewType("HsCode", str)
"""A Harmonized System or HTSUS code as digits only (6, 8 or 10 of them)."""

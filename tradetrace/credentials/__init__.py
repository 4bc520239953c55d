"""Verifiable credentials: Data Integrity proofs, canonicalization and status (VC 2.0)."""

__all__: list[str] = []

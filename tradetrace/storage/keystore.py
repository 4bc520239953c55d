"""Private keys at rest: PKCS#8 PEM files encrypted with the node's key passphrase.

Files live under ``DATA_DIR/keys/orgs/<slug>/<fragment>.pem`` with mode 0600 and are never
overwritten. Only :mod:`tradetrace.keys` reads their contents.
"""

from __future__ import annotations

import re
from pathlib import Path

from tradetrace.errors import InvalidDocument, NotFound
from tradetrace.keys import SigningKey

__all__ = ["KeyStore"]

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class KeyStore:
    """Encrypted private keys of the organisations hosted by this node."""

    def __init__(self, directory: Path, *, passphrase: str) -> None:
        self._directory = directory
        self._passphrase = passphrase

    def _path(self, slug: str, fragment: str) -> Path:
        for value in (slug, fragment):
            if not _NAME.match(value):
                raise InvalidDocument(f"invalid key name {value!r}")
        return self._directory / "orgs" / slug / f"{fragment}.pem"

    def save(self, slug: str, fragment: str, key: SigningKey) -> None:
        """Write ``key`` encrypted; :class:`Conflict` if that key file already exists."""
        path = self._path(slug, fragment)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key.save(path, passphrase=self._passphrase)

    def load(self, slug: str, fragment: str) -> SigningKey:
        """Read and decrypt a key; :class:`NotFound` when there is no such file."""
        path = self._path(slug, fragment)
        if not path.exists():
            raise NotFound(f"no private key {fragment!r} for organisation {slug!r}")
        return SigningKey.load(path, passphrase=self._passphrase)

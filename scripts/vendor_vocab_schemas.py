"""Convert the Traceability Vocabulary schemas tradetrace validates against from YAML to JSON.

Reads the vocabulary bundled in ``shared/standards/traceability-vocab`` (w3c-ccg/traceability-vocab,
``docs/openapi/components/schemas/**`` at commit 961fb742f18ad088ee753f9138c82f12e6d2d919) and
writes ``tradetrace/credentials/schemas/traceability/<folder>/<Name>.json`` for each credential
schema in ``CREDENTIALS`` and every class schema and snippet they reference, followed through
``$ref`` until closed. Run it again after changing ``CREDENTIALS``; ``tests/credentials/
test_content.py`` fails when the committed files differ from what it writes.

The conversion changes the notation, not the schema:

- YAML is read with YAML 1.2 scalars (only ``true``/``false`` are booleans; dates stay strings),
  which is how the vocabulary's own build (js-yaml) reads it.
- ``$schema`` (JSON Schema 2020-12, the dialect of OpenAPI 3.1, which the vocabulary's
  ``openapi.yml`` declares), ``$id`` (the schema's published URL under
  ``https://w3id.org/traceability/openapi/components/schemas/``, the URL that a credential's
  ``credentialSchema.id`` names) and a ``$comment`` naming the source are put first.
- Everything else is copied as it is: relative ``$ref``s resolve against ``$id`` unchanged, and
  ``example`` stays a JSON string as in the source.

Usage: ``python scripts/vendor_vocab_schemas.py [--source DIR] [--check]``. PyYAML is needed here
only; the package reads the JSON files.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "standards" / "traceability-vocab"
DESTINATION = ROOT / "tradetrace" / "credentials" / "schemas" / "traceability"

REPOSITORY = "w3c-ccg/traceability-vocab"
COMMIT = "961fb742f18ad088ee753f9138c82f12e6d2d919"
SOURCE_PREFIX = "docs/openapi/components/schemas"
BASE_URL = "https://w3id.org/traceability/openapi/components/schemas/"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# The credential types the five domains need (the "content validation" issue); the class
# schemas and snippets follow from their ``$ref``s.
CREDENTIALS = (
    "BillOfLadingCredential",
    "CBPEntryType86Credential",
    "CBPSection321DeMinimisCredential",
    "CertificationOfOrigin",
    "CommercialInvoiceCredential",
    "FSMACreatingCTECredential",
    "FSMAFirstReceiverDataCredential",
    "FSMAGrowingCTECredential",
    "FSMAReceivingCTECredential",
    "FSMAShippingCTECredential",
    "FSMATransformingCTECredential",
    "HouseBillOfLadingCredential",
    "IntellectualPropertyRightsCredential",
    "IntellectualPropertyRightsLicenseCredential",
    "MasterBillOfLadingCredential",
    "MillTestReportCredential",
    "MultiModalBillOfLadingCredential",
    "OilAndGasDeliveryTicketCredential",
    "OilAndGasProductCredential",
    "USMCACertificationOfOrigin",
)


class _Yaml12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core-schema booleans and no timestamp type."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [
        (tag, pattern)
        for tag, pattern in resolvers
        if tag not in {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _refs(node: Any) -> set[str]:
    """Every ``$ref`` value anywhere below ``node``."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.add(value)
            else:
                found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _resolve(relative_to: str, ref: str) -> str:
    """The schema path (``common/Place.yml``) that ``ref`` names from the file ``relative_to``."""
    if "#" in ref or "://" in ref:
        raise SystemExit(f"unsupported $ref {ref!r} in {relative_to}")
    parts: list[str] = []
    for part in (PurePosixPath(relative_to).parent / ref).parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def convert(source: Path) -> dict[str, str]:
    """Map each output path (relative to ``DESTINATION``) to the JSON text written there."""
    schemas = source / "openapi" / "components" / "schemas"
    pending = [f"credentials/{name}.yml" for name in CREDENTIALS]
    loaded: dict[str, Any] = {}
    while pending:
        path = pending.pop()
        if path in loaded:
            continue
        document = yaml.load((schemas / path).read_text(encoding="utf-8"), _Yaml12Loader)  # noqa: S506
        loaded[path] = document
        pending.extend(_resolve(path, ref) for ref in sorted(_refs(document)))
    outputs: dict[str, str] = {}
    for path, document in sorted(loaded.items()):
        converted = {
            "$schema": DIALECT,
            "$id": BASE_URL + path,
            "$comment": f"converted from {REPOSITORY}: {SOURCE_PREFIX}/{path} at commit {COMMIT}",
            **document,
        }
        text = json.dumps(converted, indent=2, ensure_ascii=False) + "\n"
        outputs[str(PurePosixPath(path).with_suffix(".json"))] = text
    return outputs


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the converted schemas; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--check", action="store_true", help="fail if the files are stale")
    args = parser.parse_args(argv)
    outputs = convert(args.source)
    existing = {str(p.relative_to(DESTINATION)) for p in DESTINATION.rglob("*.json")}
    stale = sorted(
        name
        for name, text in outputs.items()
        if not (DESTINATION / name).exists()
        or (DESTINATION / name).read_text(encoding="utf-8") != text
    )
    extra = sorted(existing - set(outputs))
    if args.check:
        for name in stale + extra:
            sys.stderr.write(f"stale: {name}\n")
        return 1 if stale or extra else 0
    for name in extra:
        (DESTINATION / name).unlink()
    for name in stale:
        (DESTINATION / name).parent.mkdir(parents=True, exist_ok=True)
        (DESTINATION / name).write_text(outputs[name], encoding="utf-8")
    sys.stderr.write(f"{len(outputs)} schemas, {len(stale)} written, {len(extra)} removed\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

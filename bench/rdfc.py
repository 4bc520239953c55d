"""Benchmark: RDFC-1.0 canonicalization of a credential, ours against pyld, plus the poison graph.

Run from the repository root: ``.venv/bin/python bench/rdfc.py [--seconds 2]``.

Prints the machine, then operations per second of ``jsonld.canonicalize_document`` (JSON-LD
expansion, RDF conversion and RDFC-1.0, contexts compiled once and cached) and of pyld's
``jsonld.normalize(..., {"algorithm": "URDNA2015", "format": "application/n-quads"})`` with an
in-memory document loader, on a ~2.5 KB steel mill test report that uses the credentials v2 and
traceability v1 contexts; then their ratio, and how long the W3C poison graph (test074) takes
to be refused.
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tradetrace.credentials import contexts, jsonld, rdfc  # noqa: E402
from tradetrace.errors import LimitExceeded  # noqa: E402

CREDENTIAL = ROOT / "tests" / "assets" / "rdfc" / "mill-test-report-unsigned.json"
POISON = ROOT / "tests" / "assets" / "vectors" / "w3c-rdf-canon" / "rdfc10" / "test074-in.nq"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ops_per_second(run: Callable[[], Any], seconds: float, repeats: int = 5) -> float:
    """Median rate over ``repeats`` timed windows of about ``seconds / repeats`` each."""
    rates = []
    for _ in range(repeats):
        count, started = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds / repeats or count == 0:
            run()
            count += 1
        rates.append(count / elapsed)
    return statistics.median(rates)


def _pyld_normalizer(document: dict[str, Any]) -> Callable[[], str] | None:
    try:
        from pyld import jsonld as pyld
    except ImportError:
        return None
    documents = {url: contexts.load_bundled_context(url) for url in contexts.INDEX}

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        return {"contextUrl": None, "documentUrl": url, "document": documents[url]}

    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader}
    return lambda: pyld.normalize(copy.deepcopy(document), dict(options))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = parser.parse_args()

    print(f"machine: {platform.platform()}; CPU: {_cpu_model()}")
    print(f"python: {platform.python_implementation()} {platform.python_version()}")

    document = json.loads(CREDENTIAL.read_text(encoding="utf-8"))
    size = len(json.dumps(document, separators=(",", ":")))
    ours = jsonld.canonicalize_document(document).nquads  # compiles and caches the contexts
    print(f"credential: {CREDENTIAL.name}, {size} bytes, {ours.count(chr(10))} canonical quads")

    ours_rate = _ops_per_second(lambda: jsonld.canonicalize_document(document), args.seconds)
    print(f"ours: {ours_rate:,.0f} ops/s ({1000 / ours_rate:.3f} ms/op)")
    normalize = _pyld_normalizer(document)
    if normalize is None:
        print("pyld: not installed (pip install pyld) - no comparison")
    else:
        same = normalize() == ours
        pyld_rate = _ops_per_second(normalize, args.seconds)
        print(f"pyld: {pyld_rate:,.0f} ops/s ({1000 / pyld_rate:.3f} ms/op), same output: {same}")
        print(f"ratio: {ours_rate / pyld_rate:.1f}x faster than pyld")

    poison = POISON.read_text(encoding="utf-8")
    started = time.perf_counter()
    try:
        rdfc.canonicalize_nquads(poison)
        print("poison: NOT refused")
    except LimitExceeded as error:
        elapsed = time.perf_counter() - started
        print(f"poison (W3C test074c): refused in {elapsed * 1000:.1f} ms: {error.message}")


if __name__ == "__main__":
    main()

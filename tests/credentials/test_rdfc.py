"""RDFC-1.0 against the W3C test suite (w3c/rdf-canon), plus work limits and invariants."""

from __future__ import annotations

import json
import random
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradetrace.credentials import rdfc
from tradetrace.credentials.nquads import BlankNode, Iri, Literal, Quad, parse_nquads
from tradetrace.errors import CanonicalizationError, LimitExceeded

SUITE = Path(__file__).parents[1] / "assets" / "vectors" / "w3c-rdf-canon"
MANIFEST = json.loads((SUITE / "manifest.jsonld").read_text(encoding="utf-8"))["entries"]
EVAL = [entry for entry in MANIFEST if entry["type"] == "rdfc:RDFC10EvalTest"]
MAP = [entry for entry in MANIFEST if entry["type"] == "rdfc:RDFC10MapTest"]
NEGATIVE = [entry for entry in MANIFEST if entry["type"] == "rdfc:RDFC10NegativeEvalTest"]


@contextmanager
def _fails(error: type[Exception], code: str, match: str):
    """``pytest.raises`` that pins the message and the error's ``code``."""
    with pytest.raises(error, match=match) as info:
        yield info
    assert info.value.code == code  # type: ignore[attr-defined]


def _run(entry: dict[str, Any], **options: Any) -> rdfc.CanonicalDataset:
    algorithm: rdfc.HashAlgorithm = "sha384" if entry.get("hashAlgorithm") == "SHA384" else "sha256"
    text = (SUITE / entry["action"]).read_text(encoding="utf-8")
    return rdfc.canonicalize_nquads(text, hash_algorithm=algorithm, **options)


def test_suite_has_the_expected_number_of_tests():
    assert (len(EVAL), len(MAP), len(NEGATIVE)) == (64, 21, 1)


@pytest.mark.parametrize("entry", EVAL, ids=lambda entry: entry["id"].lstrip("#"))
def test_canonicalize_matches_w3c_eval_test(entry):
    expected = (SUITE / entry["result"]).read_text(encoding="utf-8")
    assert _run(entry).nquads == expected


@pytest.mark.parametrize("entry", MAP, ids=lambda entry: entry["id"].lstrip("#"))
def test_canonicalize_matches_w3c_issued_identifiers_map(entry):
    expected = json.loads((SUITE / entry["result"]).read_text(encoding="utf-8"))
    assert _run(entry).issued == expected


@pytest.mark.parametrize("entry", NEGATIVE, ids=lambda entry: entry["id"].lstrip("#"))
def test_canonicalize_rejects_poison_graph_quickly(entry):
    started = time.perf_counter()
    with _fails(LimitExceeded, "limit_exceeded", "canonicalization work limit exceeded"):
        _run(entry)
    # The work limit refuses it after a bounded number of steps (about 0.1 s here); pyld runs
    # for more than 20 s. The wide bound only guards against a regression to unbounded work.
    assert time.perf_counter() - started < 10.0


def test_canonicalize_admits_the_suite_poison_graphs_within_default_limits():
    evil = [entry for entry in EVAL if entry["name"].startswith("poison")]
    assert len(evil) == 3
    for entry in evil:
        assert _run(entry).nquads


def test_canonicalize_stops_at_the_injected_deadline():
    ticks = iter(range(1_000_000))
    deadline = rdfc.Deadline.after(50, clock=lambda: float(next(ticks)))
    limits = rdfc.Limits(max_n_degree_calls=10**9, max_permutations=10**9)
    with _fails(LimitExceeded, "limit_exceeded", "deadline exceeded"):
        _run(NEGATIVE[0], limits=limits, deadline=deadline)


def test_canonicalize_leaves_a_distant_deadline_alone():
    deadline = rdfc.Deadline.after(10.0, clock=lambda: 0.0)
    entry = next(entry for entry in EVAL if entry["id"] == "#test044c")
    assert _run(entry, deadline=deadline).nquads


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (rdfc.Limits(max_n_degree_calls=10), "n-degree hash calls > 10"),
        (rdfc.Limits(max_permutations=10), "permutations > 10"),
        (rdfc.Limits(max_recursion_depth=1), "recursion depth > 1"),
        (rdfc.Limits(max_quads=5), "too many quads: limit 5"),
        (rdfc.Limits(max_blank_nodes=5), "too many blank nodes: limit 5, got 12"),
    ],
)
def test_canonicalize_enforces_each_limit(limits, message):
    entry = next(entry for entry in EVAL if entry["id"] == "#test044c")
    with _fails(LimitExceeded, "limit_exceeded", message):
        _run(entry, limits=limits)


def test_canonicalize_rejects_unknown_hash_algorithm():
    with _fails(CanonicalizationError, "canonicalization_failed", "unsupported hash algorithm"):
        rdfc.canonicalize([], hash_algorithm="md5")  # type: ignore[arg-type]


def test_canonicalize_removes_duplicate_quads():
    quad = Quad(BlankNode("x"), Iri("urn:p"), Literal("v"))
    result = rdfc.canonicalize([quad, quad])
    assert result.nquads == '_:c14n0 <urn:p> "v" .\n'
    assert result.issued == {"x": "c14n0"}


def test_canonicalize_of_empty_dataset_is_empty():
    assert rdfc.canonicalize([]) == rdfc.CanonicalDataset("", {})


def _relabel(quads: list[Quad], names: dict[str, str]) -> list[Quad]:
    def term(value: Any) -> Any:
        return BlankNode(names[value.label]) if isinstance(value, BlankNode) else value

    return [Quad(term(q.subject), q.predicate, term(q.object), term(q.graph)) for q in quads]


_NODES = st.sampled_from(["a", "b", "c", "d", "e"])
_QUADS = st.lists(
    st.builds(
        lambda s, p, o, literal, g: Quad(
            BlankNode(s),
            Iri(f"urn:p{p}"),
            Literal(literal) if literal is not None else BlankNode(o),
            BlankNode(g) if g else None,
        ),
        _NODES,
        st.integers(0, 2),
        _NODES,
        st.one_of(st.none(), st.sampled_from(["x", "y"])),
        st.one_of(st.none(), _NODES),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(_QUADS, st.randoms(use_true_random=False))
def test_canonicalize_ignores_blank_node_labels_and_quad_order(quads, rng: random.Random):
    names = ["a", "b", "c", "d", "e"]
    renamed = dict(zip(names, rng.sample([f"n{i}" for i in range(9)], len(names)), strict=True))
    shuffled = _relabel(quads, renamed)
    rng.shuffle(shuffled)
    assert rdfc.canonicalize(shuffled).nquads == rdfc.canonicalize(quads).nquads


@given(_QUADS)
def test_canonicalize_is_idempotent(quads):
    once = rdfc.canonicalize(quads).nquads
    assert rdfc.canonicalize(parse_nquads(once)).nquads == once


def test_canonicalize_skips_repeated_permutations_of_one_graph_node():
    # Two identical blank nodes, each with nine quads in its own blank-node graph: the graph
    # node is "related" nine times, so a naive search tries 9! identical permutations.
    lines = [
        f'_:n{copy} <urn:p{index}> "v" _:g{copy} .\n' for copy in (0, 1) for index in range(9)
    ] + ["<urn:root> <urn:has> _:g0 .\n", "<urn:root> <urn:has> _:g1 .\n"]
    result = rdfc.canonicalize_nquads("".join(lines), limits=rdfc.Limits(max_permutations=20))
    assert result.nquads.count("\n") == 20
    assert sorted(result.issued.values()) == ["c14n0", "c14n1", "c14n2", "c14n3"]


@given(st.lists(st.sampled_from("abcd"), max_size=6))
def test_distinct_permutations_yield_each_ordering_once(items):
    from itertools import permutations

    produced = list(rdfc._distinct_permutations(items))
    assert len(produced) == len(set(produced))
    assert set(produced) == set(permutations(items))

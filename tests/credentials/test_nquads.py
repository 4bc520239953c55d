"""N-Quads parsing and the canonical serialization RDFC-1.0 hashes (RDF 1.1 N-Quads)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradetrace.credentials.nquads import (
    RDF_LANG_STRING,
    XSD_STRING,
    BlankNode,
    Iri,
    Literal,
    Quad,
    parse_nquads,
    serialize_nquads,
    serialize_quad,
    serialize_term,
)
from tradetrace.errors import CanonicalizationError

SUITE = Path(__file__).parents[1] / "assets" / "vectors" / "w3c-rdf-canon" / "rdfc10"


@contextmanager
def _fails(match: str):
    """``pytest.raises`` for a canonicalization error, pinning the message and the code."""
    with pytest.raises(CanonicalizationError, match=match) as info:
        yield info
    assert info.value.code == "canonicalization_failed"


@pytest.mark.parametrize(
    "path", sorted(SUITE.glob("*-rdfc10.nq")), ids=lambda path: path.name.split("-")[0]
)
def test_serialize_nquads_is_identity_on_canonical_outputs(path):
    text = path.read_text(encoding="utf-8")
    assert serialize_nquads(parse_nquads(text)) == text


def test_parse_nquads_decodes_test060_escapes():
    quads = parse_nquads((SUITE / "test060-in.nq").read_text(encoding="utf-8"))
    expected = (SUITE / "test060-rdfc10.nq").read_text(encoding="utf-8")
    assert "".join(serialize_quad(quad) for quad in quads) == expected
    assert len(quads) == expected.count("\n") == 43


@pytest.mark.parametrize(
    ("lexical", "written"),
    [
        ('"', '"\\""'),
        ("\\", '"\\\\"'),
        ("\t\b\n\r\f", '"\\t\\b\\n\\r\\f"'),
        ("\x00\x0b\x1f\x7f", '"\\u0000\\u000B\\u001F\\u007F"'),
        ("'", '"\'"'),
        ("\x80\u221e\U0001f303", '"\x80\u221e\U0001f303"'),
    ],
)
def test_serialize_term_uses_canonical_literal_escapes(lexical, written):
    assert serialize_term(Literal(lexical)) == written


def test_serialize_term_writes_each_kind_of_term():
    assert serialize_term(Iri("urn:ex:\u221e")) == "<urn:ex:\u221e>"
    assert serialize_term(BlankNode("b0")) == "_:b0"
    assert serialize_term(Literal("x", "urn:ex:dt")) == '"x"^^<urn:ex:dt>'
    assert serialize_term(Literal("x", XSD_STRING)) == '"x"'
    assert serialize_term(Literal("chat", RDF_LANG_STRING, "fr-CA")) == '"chat"@fr-CA'


def test_parse_nquads_skips_comments_and_blank_lines():
    text = '# a comment\n\n<urn:s> <urn:p> _:o <urn:g> . # trailing\r\n\t<urn:s> <urn:p> "v"@en .\n'
    assert parse_nquads(text) == [
        Quad(Iri("urn:s"), Iri("urn:p"), BlankNode("o"), Iri("urn:g")),
        Quad(Iri("urn:s"), Iri("urn:p"), Literal("v", RDF_LANG_STRING, "en")),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('"s" <urn:p> <urn:o> .', "line 1: expected a subject"),
        ("<urn:s> _:p <urn:o> .", "line 1: expected a predicate IRI"),
        ("<urn:s> <urn:p> .", "line 1: expected an object"),
        ("<urn:s> <urn:p> <urn:o>", "line 1: expected a graph name or '.'"),
        ("<urn:s> <urn:p> <urn:o> <urn:g>", r"line 1: expected '\.'"),
        ("<urn:s> <urn:p> <urn:o> . junk", "line 1: expected end of line"),
        ('<urn:s> <urn:p> "x"^^"y" .', "line 1: expected a datatype IRI"),
        ('<urn:s> <urn:p> "\\uD800" .', "invalid code point escape"),
        ('<urn:s> <urn:p> "\\U00110000" .', "invalid code point escape"),
        ("<urn:s> <urn:p> <urn:\\u0020> .", "invalid IRI"),
        ("<relative> <urn:p> <urn:o> .", "invalid IRI"),
    ],
)
def test_parse_nquads_rejects_malformed_statements(line, message):
    with _fails(message):
        parse_nquads(line)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Iri("urn:a b"), "invalid IRI"),
        (lambda: Iri("urn:a>b"), "invalid IRI"),
        (lambda: Iri("no-scheme"), "invalid IRI"),
        (lambda: Iri("urn:\ud800"), "invalid IRI"),
        (lambda: BlankNode("-bad"), "invalid blank node label"),
        (lambda: BlankNode("a."), "invalid blank node label"),
        (lambda: Literal("x", RDF_LANG_STRING, "en_US"), "invalid language tag"),
        (lambda: Literal("x", XSD_STRING, "en"), "must be rdf:langString"),
        (lambda: Literal("x", RDF_LANG_STRING), "needs a language tag"),
        (lambda: Literal("x", "not an iri"), "invalid datatype IRI"),
        (lambda: Literal("\udc00"), "lone surrogate"),
    ],
)
def test_terms_reject_values_that_cannot_be_written_unambiguously(build, message):
    with _fails(message):
        build()


_LEXICAL = st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)
_IRI_CHARS = st.characters(
    blacklist_categories=["Cs", "Cc", "Zs"], blacklist_characters='<>"{}|^`\\'
)
_IRIS = st.builds(lambda tail: Iri("urn:ex:" + tail), st.text(_IRI_CHARS, max_size=10))
_OBJECTS = st.one_of(
    _IRIS,
    st.builds(BlankNode, st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True)),
    st.builds(Literal, _LEXICAL),
    st.builds(lambda text, tag: Literal(text, RDF_LANG_STRING, tag), _LEXICAL,
              st.from_regex(r"[a-z]{2}(-[A-Z]{2})?", fullmatch=True)),
    st.builds(Literal, _LEXICAL, st.just("urn:ex:type")),
)  # fmt: skip


@given(_IRIS, _IRIS, _OBJECTS, st.one_of(st.none(), _IRIS))
def test_parse_nquads_round_trips_any_serialized_quad(subject, predicate, obj, graph):
    quad = Quad(subject, predicate, obj, graph)
    assert parse_nquads(serialize_quad(quad)) == [quad]

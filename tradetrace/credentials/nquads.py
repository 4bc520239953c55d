"""RDF terms, quads, and the N-Quads syntax with the canonical form RDFC-1.0 hashes.

Parsing follows RDF 1.1 N-Quads (W3C Recommendation 2014, §2 and the grammar in §5).
Serialization produces the canonical N-Quads form that RDFC-1.0 §4.4 and §4.5 hash and emit
(RDF 1.2 N-Quads "canonical form"): no escapes in IRIs, and in literals only ``\\" \\\\``, the
five short escapes ``\\b \\t \\n \\f \\r`` and ``\\uXXXX`` (upper-case hex) for the other
control characters U+0000-U+001F and U+007F. Everything else is written as the UTF-8
character itself.

Terms are validated when they are built, so an IRI that cannot be written between ``<`` and
``>`` (a space, a ``>``, a control character) never reaches a hash: otherwise two different
datasets could serialize to the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tradetrace.errors import CanonicalizationError

__all__ = [
    "RDF_LANG_STRING",
    "XSD_STRING",
    "BlankNode",
    "Iri",
    "Literal",
    "Quad",
    "parse_nquads",
    "serialize_nquads",
    "serialize_quad",
    "serialize_term",
]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# IRIREF characters after UCHAR decoding (N-Quads §5: [^#x00-#x20<>"{}|^`\]).
_BAD_IRI_CHAR = re.compile(r'[\x00-\x20<>"{}|^`\\\ud800-\udfff]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_LANGTAG = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*\Z")
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_:"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_LABEL = f"[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_LABEL_RE = re.compile(_LABEL + r"\Z")

# The canonical literal escapes of RDFC-1.0 §4.4 / RDF 1.2 N-Quads canonical form.
_LITERAL_ESCAPES: dict[int, str] = {code: f"\\u{code:04X}" for code in range(0x20)}
_LITERAL_ESCAPES.update(
    {
        0x7F: "\\u007F",
        0x08: "\\b",
        0x09: "\\t",
        0x0A: "\\n",
        0x0C: "\\f",
        0x0D: "\\r",
        0x22: '\\"',
        0x5C: "\\\\",
    }
)


@dataclass(frozen=True, slots=True)
class Iri:
    """An absolute IRI (RDF 1.1 Concepts §3.2), written ``<value>`` in N-Quads."""

    value: str

    def __post_init__(self) -> None:
        if _BAD_IRI_CHAR.search(self.value) or not _SCHEME.match(self.value):
            raise CanonicalizationError(f"invalid IRI for N-Quads: {self.value[:80]!r}")


@dataclass(frozen=True, slots=True)
class BlankNode:
    """A blank node with a local label (RDF 1.1 Concepts §3.4), written ``_:label``."""

    label: str

    def __post_init__(self) -> None:
        if not _LABEL_RE.match(self.label):
            raise CanonicalizationError(f"invalid blank node label: {self.label[:80]!r}")


@dataclass(frozen=True, slots=True)
class Literal:
    """A literal (RDF 1.1 Concepts §3.3): lexical form, datatype IRI, optional language tag.

    A language-tagged string has datatype ``rdf:langString``; any other literal has no tag.
    """

    lexical: str
    datatype: str = XSD_STRING
    language: str | None = None

    def __post_init__(self) -> None:
        if self.language is not None:
            if not _LANGTAG.match(self.language):
                raise CanonicalizationError(f"invalid language tag: {self.language[:40]!r}")
            if self.datatype != RDF_LANG_STRING:
                raise CanonicalizationError("a language-tagged literal must be rdf:langString")
        elif self.datatype == RDF_LANG_STRING:
            raise CanonicalizationError("an rdf:langString literal needs a language tag")
        if _BAD_IRI_CHAR.search(self.datatype) or not _SCHEME.match(self.datatype):
            raise CanonicalizationError(f"invalid datatype IRI: {self.datatype[:80]!r}")
        if _SURROGATE.search(self.lexical):
            raise CanonicalizationError("literal contains a lone surrogate")


Subject = Iri | BlankNode
Term = Iri | BlankNode | Literal


@dataclass(frozen=True, slots=True)
class Quad:
    """One RDF quad (RDF 1.1 Concepts §4): a triple plus a graph name (``None``: default)."""

    subject: Iri | BlankNode
    predicate: Iri
    object: Iri | BlankNode | Literal
    graph: Iri | BlankNode | None = None


def serialize_term(term: Term) -> str:
    """Write one term in canonical N-Quads form (RDFC-1.0 §4.4, RDF 1.1 N-Quads §2)."""
    if isinstance(term, Iri):
        return f"<{term.value}>"
    if isinstance(term, BlankNode):
        return f"_:{term.label}"
    text = f'"{term.lexical.translate(_LITERAL_ESCAPES)}"'
    if term.language is not None:
        return f"{text}@{term.language}"
    if term.datatype == XSD_STRING:
        return text
    return f"{text}^^<{term.datatype}>"


def serialize_quad(quad: Quad) -> str:
    """Write one quad as a canonical N-Quads line ending in ``" .\\n"`` (RDFC-1.0 §4.4)."""
    head = f"{serialize_term(quad.subject)} <{quad.predicate.value}> {serialize_term(quad.object)}"
    if quad.graph is None:
        return f"{head} .\n"
    return f"{head} {serialize_term(quad.graph)} .\n"


def serialize_nquads(quads: Iterable[Quad]) -> str:
    """Write quads as an N-Quads document, one canonical line per quad, in the given order."""
    return "".join(serialize_quad(quad) for quad in quads)


_WS = re.compile(r"[ \t]*")
_IRIREF = re.compile(r'<((?:[^\x00-\x20<>"{}|^`\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*)>')
_BNODE = re.compile("_:(" + _LABEL + ")")
_STRING = re.compile(r'"((?:[^"\\\n\r]|\\[tbnrf"\'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*)"')
_LANG = re.compile(r"@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*)")
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        short, long, echar = match.groups()
        if echar is not None:
            return _ECHARS[echar]
        code = int(short or long, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise CanonicalizationError(f"invalid code point escape: {match.group(0)}")
        return chr(code)

    return _ESCAPE.sub(replace, text)


_END = re.compile(r"(?:#.*)?\Z")
_DOT = re.compile(r"\.")


class _Line:
    """A cursor over one N-Quads statement."""

    def __init__(self, text: str, number: int) -> None:
        self.text = text
        self.number = number
        self.pos = 0

    def fail(self, what: str) -> CanonicalizationError:
        return CanonicalizationError(f"n-quads line {self.number}: expected {what}")

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1
        match = pattern.match(self.text, self.pos)
        if match:
            self.pos = match.end()
        return match

    def iri(self, what: str) -> Iri:
        if match := self.take(_IRIREF):
            return Iri(_unescape(match.group(1)))
        raise self.fail(what)

    def node(self, what: str) -> Iri | BlankNode:
        if match := self.take(_BNODE):
            return BlankNode(match.group(1))
        return self.iri(what)

    def term(self) -> Term:
        if not (match := self.take(_STRING)):
            return self.node("an object")
        lexical = _unescape(match.group(1))
        if self.text.startswith("^^", self.pos):
            self.pos += 2
            if not (datatype := self.take(_IRIREF)):
                raise self.fail("a datatype IRI")
            return Literal(lexical, _unescape(datatype.group(1)))
        if tag := _LANG.match(self.text, self.pos):
            self.pos = tag.end()
            return Literal(lexical, RDF_LANG_STRING, tag.group(1))
        return Literal(lexical)


def parse_nquads(text: str) -> list[Quad]:
    """Parse an N-Quads document into quads (RDF 1.1 N-Quads §2-§5), keeping duplicates.

    Comments and blank lines are skipped. Raises :class:`CanonicalizationError` naming the
    line on any syntax error or invalid term.
    """
    quads: list[Quad] = []
    for number, raw in enumerate(re.split(r"[\r\n]+", text), start=1):
        line = _Line(raw, number)
        if line.take(_END):
            continue
        subject = line.node("a subject IRI or blank node")
        predicate = line.iri("a predicate IRI")
        obj = line.term()
        graph = None if line.take(_DOT) else line.node("a graph name or '.'")
        if graph is not None and not line.take(_DOT):
            raise line.fail("'.'")
        if not line.take(_END):
            raise line.fail("end of line")
        quads.append(Quad(subject, predicate, obj, graph))
    return quads

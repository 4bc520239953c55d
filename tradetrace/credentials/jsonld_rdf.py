"""Deserialize expanded JSON-LD to RDF quads (JSON-LD 1.1 API §8.1, with the §7.2 node map).

Instead of building the node map of JSON-LD 1.1 API §7.2 and then walking it (§8.1.2), this
module emits each triple where the node object that states it appears. The two give the same
RDF dataset: the node map only merges node objects with the same ``@id`` and the same graph,
and a dataset is a set. Blank node labels differ, which canonicalization removes anyway.

Literals follow §8.1.2 "Object to RDF Conversion": booleans, integers as ``xsd:integer``,
numbers with a fraction (or ``xsd:double``, or magnitude ≥ 10^21) in the canonical
``xsd:double`` form ``1.5E0``, ``@json`` values as JCS-canonical ``rdf:JSON`` (RFC 8785).
Integers beyond ±2^53 raise: JavaScript processors read them as doubles, so a signature made
with one would not match ours.
"""

from __future__ import annotations

import math
import re
from typing import Any

from tradetrace.credentials import jcs
from tradetrace.credentials.jsonld_expand import JsonLdLimits, unsafe
from tradetrace.credentials.jsonld_terms import invalid, is_absolute_iri
from tradetrace.credentials.nquads import RDF_LANG_STRING, BlankNode, Iri, Literal, Quad
from tradetrace.errors import CanonicalizationError, LimitExceeded

__all__ = ["to_quads"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_TYPE, _FIRST, _REST, _NIL = (Iri(_RDF + name) for name in ("type", "first", "rest", "nil"))
_BCP47 = re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*\Z")
_DOUBLE_EXPONENT = re.compile(r"(\d)0*E\+?(-)?0*(\d)")
_MAX_SAFE_INTEGER = 2**53


def canonical_double(value: float) -> str:
    """The canonical ``xsd:double`` lexical form JSON-LD uses (§8.1.2 step 10), e.g. 1.5E0."""
    if not math.isfinite(value):
        raise CanonicalizationError(f"number is not finite: {value!r}")
    return _DOUBLE_EXPONENT.sub(r"\1E\2\3", f"{value:1.15E}")


class _Writer:
    """Emits the quads of expanded JSON-LD (JSON-LD 1.1 API §8.1.2, §8.1.3)."""

    def __init__(self, *, safe: bool, limits: JsonLdLimits) -> None:
        self.safe = safe
        self.limits = limits
        self.quads: list[Quad] = []
        self.labels: dict[str, BlankNode] = {}
        self.indexes: dict[tuple[Iri | BlankNode | None, Iri | BlankNode], str] = {}

    def flag(self, message: str) -> None:
        if self.safe:
            raise unsafe(message)

    def emit(
        self,
        subject: Iri | BlankNode,
        predicate: Iri,
        obj: Iri | BlankNode | Literal,
        graph: Iri | BlankNode | None,
    ) -> None:
        if len(self.quads) >= self.limits.max_quads:
            raise LimitExceeded(f"JSON-LD document yields over {self.limits.max_quads} quads")
        self.quads.append(Quad(subject, predicate, obj, graph))

    def blank(self, label: str | None = None) -> BlankNode:
        """A fresh blank node, or the one already issued for an input label (§7.2 step 2)."""
        if label is not None and label in self.labels:
            return self.labels[label]
        node = BlankNode(f"b{len(self.labels)}")
        self.labels[label if label is not None else f"\0{node.label}"] = node
        return node

    def resource(self, iri: str | None, what: str) -> Iri | BlankNode | None:
        """An IRI or blank node for an ``@id``, ``@type`` or graph name; None if relative."""
        if iri is None:
            return self.blank()
        if iri.startswith("_:"):
            return self.blank(iri)
        if not is_absolute_iri(iri):
            self.flag(f"relative {what} {iri!r}")
            return None
        return Iri(iri)

    def node(self, node: dict[str, Any], graph: Iri | BlankNode | None) -> Iri | BlankNode | None:
        """Emit a node object's triples into ``graph``; return its subject (§7.2, §8.1.2)."""
        subject = self.resource(node.get("@id"), "subject reference")
        index = node.get("@index")
        # §7.2 step 6.6: a node has at most one index per graph.
        if index is not None and subject is not None:
            known = self.indexes.setdefault((graph, subject), index)
            if known != index:
                raise invalid("conflicting indexes", str(subject))
        for type_iri in node.get("@type", ()):
            type_node = self.resource(type_iri, "type reference")
            if subject is not None and type_node is not None:
                self.emit(subject, _TYPE, type_node, graph)
        for key, values in node.items():
            if key.startswith("@"):
                continue
            predicate: Iri | None = None
            if key.startswith("_:"):
                self.flag(f"blank node predicate {key!r}")
            elif not is_absolute_iri(key):
                self.flag(f"relative property reference {key!r}")
            else:
                predicate = Iri(key)
            for item in values:
                obj = self.object(item, graph)
                if subject is not None and predicate is not None and obj is not None:
                    self.emit(subject, predicate, obj, graph)
        for item in node.get("@graph", ()):
            if "@value" in item or "@list" in item:
                self.flag("free-floating value in @graph")
            elif subject is not None:
                self.node(item, subject)
        return subject

    def object(
        self, item: dict[str, Any], graph: Iri | BlankNode | None
    ) -> Iri | BlankNode | Literal | None:
        """Object to RDF Conversion (§8.1.3) and List Conversion (§8.1.4)."""
        if "@value" in item:
            return self.literal(item)
        if "@list" in item:
            head: Iri | BlankNode = _NIL
            for value in reversed(item["@list"]):
                cell = self.blank()
                obj = self.object(value, graph)
                if obj is not None:
                    self.emit(cell, _FIRST, obj, graph)
                self.emit(cell, _REST, head, graph)
                head = cell
            return head
        return self.node(item, graph)

    def literal(self, item: dict[str, Any]) -> Literal | None:
        """A value object to a literal (§8.1.3 steps 5-13)."""
        value, datatype = item["@value"], item.get("@type")
        language = item.get("@language")
        if language is not None and not _BCP47.match(language):
            self.flag(f"invalid @language value {language!r}")
            return None
        if datatype == "@json":
            try:
                return Literal(jcs.canonicalize(value).decode("utf-8"), _RDF + "JSON")
            except CanonicalizationError as exc:
                raise CanonicalizationError(f"@json value cannot be canonicalized: {exc}") from exc
        if isinstance(value, bool):
            return Literal("true" if value else "false", datatype or _XSD + "boolean")
        if isinstance(value, int | float):
            if isinstance(value, int) and abs(value) > _MAX_SAFE_INTEGER:
                raise CanonicalizationError(f"integer beyond ±2^53 is ambiguous in JSON: {value}")
            if (
                (isinstance(value, float) and not value.is_integer())
                or datatype == _XSD + "double"
                or abs(value) >= 1e21
            ):
                return Literal(canonical_double(float(value)), datatype or _XSD + "double")
            return Literal(str(int(value)), datatype or _XSD + "integer")
        if language is not None:
            return Literal(value, RDF_LANG_STRING, language)
        return Literal(value, datatype or _XSD + "string")


def to_quads(expanded: list[dict[str, Any]], *, safe: bool, limits: JsonLdLimits) -> list[Quad]:
    """Deserialize expanded JSON-LD to RDF quads (JSON-LD 1.1 API §8.1.2), default graph first."""
    writer = _Writer(safe=safe, limits=limits)
    for node in expanded:
        writer.node(node, None)
    return writer.quads

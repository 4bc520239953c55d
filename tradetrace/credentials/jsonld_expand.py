"""JSON-LD 1.1 Expansion for the subset Verifiable Credentials use, with safe mode and limits.

Implements JSON-LD 1.1 Processing Algorithms and API (W3C Recommendation, 16 July 2020)
§5.1.2 Expansion and §5.3.2 Value Expansion. Supported: term definitions, ``@id``/``@type``/
``@vocab``/``@json`` coercion, ``@protected``, property- and type-scoped contexts (with
``@propagate``), embedded ``@context``, ``@container`` ``@set``/``@list``/``@graph``/
``@index``/``@language``, value objects, lists, graphs and nested node objects.

Safe mode (Data Integrity 1.0 §2.4 "Securing Data Losslessly"; jsonld.js ``safe: true``)
raises :class:`~tradetrace.errors.CanonicalizationError` whenever expansion would drop data or
keep a relative IRI: an undefined term, a relative ``@id`` or ``@type``, a free-floating value.
It also rejects index-map keys and ``@index``, which RDF cannot carry, so they go unsigned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tradetrace.credentials.jsonld_context import process_context
from tradetrace.credentials.jsonld_terms import (
    KEYWORDS,
    ActiveContext,
    TermDefinition,
    invalid,
    is_absolute_iri,
)
from tradetrace.errors import CanonicalizationError, LimitExceeded

__all__ = ["JsonLdLimits", "expand_document"]

_SCALARS = (str, int, float, bool)
_VALUE_KEYS = frozenset({"@value", "@language", "@type", "@index"})
_UNSUPPORTED_KEYWORDS = frozenset({"@included", "@reverse", "@nest", "@direction"})


@dataclass(frozen=True, slots=True)
class JsonLdLimits:
    """Bounds on a JSON-LD input: nesting depth, JSON values visited, quads produced."""

    max_depth: int = 64
    max_values: int = 100_000
    max_quads: int = 100_000


def unsafe(message: str) -> CanonicalizationError:
    """The error safe mode raises when processing would lose or misplace data."""
    return CanonicalizationError(f"JSON-LD safe mode: {message}")


class _Expander:
    """One run of the Expansion algorithm (JSON-LD 1.1 API §5.1.2)."""

    def __init__(self, *, safe: bool, limits: JsonLdLimits) -> None:
        self.safe = safe
        self.limits = limits
        self.values = 0

    def flag(self, message: str) -> None:
        if self.safe:
            raise unsafe(message)

    def apply(
        self,
        ctx: ActiveContext,
        local: Any,
        *,
        override_protected: bool = False,
        propagate: bool = True,
        stable: bool = False,
    ) -> ActiveContext:
        result = process_context(
            ctx, local, override_protected=override_protected, propagate=propagate, stable=stable
        )
        if result.warnings:
            self.flag(result.warnings[0])
        return result

    def scoped(
        self, ctx: ActiveContext, definition: TermDefinition, **flags: bool
    ) -> ActiveContext:
        return self.apply(ctx, definition.context, stable=definition.stable, **flags)

    def expand(
        self, ctx: ActiveContext, prop: str | None, element: Any, depth: int, from_map: bool = False
    ) -> Any:
        """Expansion (§5.1.2) of ``element`` under active property ``prop``."""
        self.values += 1
        if self.values > self.limits.max_values:
            raise LimitExceeded(f"JSON-LD document too large: over {self.limits.max_values} values")
        if depth > self.limits.max_depth:
            raise LimitExceeded(f"JSON-LD document nested deeper than {self.limits.max_depth}")
        if element is None:
            return None
        definition = ctx.terms.get(prop) if prop is not None else None
        if isinstance(element, list):
            result: list[Any] = []
            in_list = definition is not None and "@list" in definition.container
            for item in element:
                expanded = self.expand(ctx, prop, item, depth + 1, from_map)
                if in_list and isinstance(expanded, list):
                    expanded = {"@list": expanded}
                if isinstance(expanded, list):
                    result.extend(expanded)
                elif expanded is not None:
                    result.append(expanded)
            return result
        if not isinstance(element, dict):
            if not isinstance(element, _SCALARS):
                raise CanonicalizationError(f"not a JSON value: {type(element).__name__}")
            if prop is None or prop == "@graph":
                self.flag(f"free-floating value {element!r:.60}")
                return None
            if definition is not None and definition.has_context:
                ctx = self.scoped(ctx, definition, override_protected=True)
            return self.expand_value(ctx, prop, element)
        return self.expand_object(ctx, prop, definition, element, depth, from_map)

    def expand_value(self, ctx: ActiveContext, prop: str, value: Any) -> dict[str, Any] | None:
        """Value Expansion (§5.3.2)."""
        definition = ctx.terms.get(prop)
        mapping = definition.type_mapping if definition is not None else None
        if mapping in ("@id", "@vocab") and isinstance(value, str):
            return self.reference(ctx.expand_iri(value, vocab=mapping == "@vocab"), value)
        result: dict[str, Any] = {"@value": value}
        if mapping is not None and mapping not in ("@id", "@vocab", "@none"):
            result["@type"] = mapping
        elif isinstance(value, str):
            language = ctx.language
            if definition is not None and definition.has_language:
                language = definition.language
            if language is not None:
                result["@language"] = language
        return result

    def reference(self, iri: str | None, raw: str) -> dict[str, Any] | None:
        if iri is None:
            self.flag(f"reserved @id value {raw!r}")
            return None
        if not is_absolute_iri(iri):
            self.flag(f"relative @id reference {raw!r}")
        return {"@id": iri}

    def expand_object(
        self,
        ctx: ActiveContext,
        prop: str | None,
        definition: TermDefinition | None,
        element: dict[str, Any],
        depth: int,
        from_map: bool,
    ) -> Any:
        """Expansion steps 7-20 for a map (§5.1.2)."""
        if ctx.previous is not None and not from_map:  # step 7: type scopes end here
            keys = [ctx.expand_iri(key, vocab=True) for key in element]
            if "@value" not in keys and keys != ["@id"]:
                ctx = ctx.previous
        if definition is not None and definition.has_context:  # step 8
            ctx = self.scoped(ctx, definition, override_protected=True)
        if "@context" in element:  # step 9
            ctx = self.apply(ctx, element["@context"])
        type_scoped = ctx  # steps 10-11
        type_keys = sorted(key for key in element if ctx.expand_iri(key, vocab=True) == "@type")
        input_type = None
        for key in type_keys:
            values = element[key] if isinstance(element[key], list) else [element[key]]
            for term in sorted(value for value in values if isinstance(value, str)):
                scoped = type_scoped.terms.get(term)
                if scoped is not None and scoped.has_context:
                    ctx = self.scoped(ctx, scoped, propagate=False)
        if type_keys:  # step 12: the last value of the first @type entry
            first = element[type_keys[0]]
            last = first[-1] if isinstance(first, list) and first else first
            input_type = ctx.expand_iri(last, vocab=True) if isinstance(last, str) else None
        result: dict[str, Any] = {}
        for key, value in element.items():  # step 13
            if key == "@context":
                continue
            definition = ctx.terms.get(key)
            if definition is not None and definition.unsupported is not None:
                raise CanonicalizationError(
                    f"unsupported JSON-LD feature: {definition.unsupported} (term {key!r})"
                )
            expanded = ctx.expand_iri(key, vocab=True)
            if expanded is None or (":" not in expanded and expanded not in KEYWORDS):
                self.flag(f"undefined term {key!r} (not in the active context)")
                continue
            if expanded in KEYWORDS:
                self.keyword(
                    ctx, type_scoped, prop, result, expanded, key, value, depth, input_type
                )
            else:
                self.property(ctx, result, expanded, key, value, depth)
        type_list = any(isinstance(element[key], list) for key in type_keys)
        return self.finish(prop, result, element, type_list)

    def keyword(
        self,
        ctx: ActiveContext,
        type_scoped: ActiveContext,
        prop: str | None,
        result: dict[str, Any],
        keyword: str,
        key: str,
        value: Any,
        depth: int,
        input_type: str | None,
    ) -> None:
        """Expansion step 13.4: a key that expands to a keyword."""
        if keyword in result and keyword != "@type":
            raise invalid("colliding keywords", keyword)
        if keyword in _UNSUPPORTED_KEYWORDS:
            raise CanonicalizationError(f"unsupported JSON-LD feature: {keyword} (key {key!r})")
        if keyword == "@id":
            if not isinstance(value, str):
                raise invalid("invalid @id value", repr(value)[:60])
            reference = self.reference(ctx.expand_iri(value, vocab=False), value)
            if reference is not None:
                result["@id"] = reference["@id"]
        elif keyword == "@type":
            values = value if isinstance(value, list) else [value]
            if not all(isinstance(item, str) for item in values):
                raise invalid("invalid type value", repr(value)[:60])
            types = result.setdefault("@type", [])
            for item in values:
                iri = type_scoped.expand_iri(item, vocab=True)
                if iri is None or (iri != "@json" and not is_absolute_iri(iri)):
                    self.flag(f"relative @type reference {item!r}")
                if iri is not None:
                    types.append(iri)
        elif keyword == "@graph":
            graph = self.expand(ctx, "@graph", value, depth + 1)
            result["@graph"] = graph if isinstance(graph, list) else [graph]
        elif keyword == "@value":
            if input_type != "@json" and value is not None and not isinstance(value, _SCALARS):
                raise invalid("invalid value object value", repr(value)[:60])
            result["@value"] = value
        elif keyword == "@language":
            if not isinstance(value, str):
                raise invalid("invalid language-tagged string", repr(value)[:60])
            result["@language"] = value.lower()
        elif keyword == "@index":
            if not isinstance(value, str):
                raise invalid("invalid @index value", repr(value)[:60])
            self.flag(f"@index {value!r} is not preserved in RDF")
            result["@index"] = value
        elif keyword in ("@list", "@set"):
            if keyword == "@list" and prop in (None, "@graph"):
                self.flag("free-floating @list")
                return
            items = self.expand(ctx, prop, value, depth + 1)
            result[keyword] = items if isinstance(items, list) or keyword == "@set" else [items]
        else:
            raise CanonicalizationError(f"unsupported JSON-LD keyword in a node: {keyword}")

    def property(
        self,
        ctx: ActiveContext,
        result: dict[str, Any],
        iri: str,
        key: str,
        value: Any,
        depth: int,
    ) -> None:
        """Expansion steps 13.5-13.14: a key that expands to an IRI."""
        definition = ctx.terms.get(key)
        container: frozenset[str] = frozenset()
        if definition is not None:
            container = definition.container
            if definition.type_mapping == "@json":
                result.setdefault(iri, []).append({"@value": value, "@type": "@json"})
                return
        if "@language" in container and isinstance(value, dict):
            expanded: Any = self.language_map(key, value)
        elif "@index" in container and isinstance(value, dict):
            expanded = self.index_map(ctx, key, value, depth)
        else:
            expanded = self.expand(ctx, key, value, depth + 1)
        if expanded is None:
            return
        if "@list" in container and not (isinstance(expanded, dict) and "@list" in expanded):
            expanded = {"@list": expanded if isinstance(expanded, list) else [expanded]}
        items = expanded if isinstance(expanded, list) else [expanded]
        if "@graph" in container:
            items = [{"@graph": item if isinstance(item, list) else [item]} for item in items]
        result.setdefault(iri, []).extend(items)

    def language_map(self, key: str, value: dict[str, Any]) -> list[dict[str, Any]]:
        """Expansion step 13.7: a language map."""
        expanded = []
        for language, items in value.items():
            for item in items if isinstance(items, list) else [items]:
                if item is None:
                    continue
                if not isinstance(item, str):
                    raise invalid("invalid language map value", f"{key}: {item!r:.60}")
                entry = {"@value": item}
                if language != "@none":
                    entry["@language"] = language.lower()
                expanded.append(entry)
        return expanded

    def index_map(
        self, ctx: ActiveContext, key: str, value: dict[str, Any], depth: int
    ) -> list[Any]:
        """Expansion step 13.8 for an ``@index`` container (no property-valued index)."""
        expanded = []
        for index, items in value.items():
            if index != "@none":
                self.flag(f"index map key {index!r} of {key!r} is not preserved in RDF")
            items = items if isinstance(items, list) else [items]
            for item in self.expand(ctx, key, items, depth + 1, from_map=True):
                if index != "@none" and "@index" not in item:
                    item["@index"] = index
                expanded.append(item)
        return expanded

    def finish(
        self, prop: str | None, result: dict[str, Any], element: dict[str, Any], type_list: bool
    ) -> Any:
        """Expansion steps 15-20: check value, list and set objects; drop free-floaters."""
        if "@value" in result:
            if not set(result) <= _VALUE_KEYS or ("@type" in result and "@language" in result):
                raise invalid("invalid value object", repr(sorted(result))[:80])
            if "@type" in result:
                if type_list or len(result["@type"]) != 1:
                    raise invalid("invalid typed value", repr(result["@type"])[:80])
                result["@type"] = result["@type"][0]
            value, datatype = result["@value"], result.get("@type")
            if value is None:
                self.flag("null @value")
                return None
            if datatype not in (None, "@json") and (
                not is_absolute_iri(datatype) or datatype.startswith("_:")
            ):
                raise invalid("invalid typed value", repr(datatype)[:80])
            if "@language" in result and not isinstance(value, str):
                raise invalid("invalid language-tagged value", repr(value)[:60])
        elif "@list" in result or "@set" in result:
            if not set(result) <= {"@list", "@set", "@index"} or len(result) > 1 + (
                "@index" in result
            ):
                raise invalid("invalid set or list object", repr(sorted(result))[:80])
            if "@set" in result:
                return result["@set"]
        if list(result) == ["@language"]:
            self.flag("object with only @language")
            return None
        free_floating = not result or "@value" in result or "@list" in result
        if prop in (None, "@graph") and (free_floating or list(result) == ["@id"]):
            self.flag(f"free-floating object {sorted(element)!r:.80}")
            return None
        return result


def expand_document(
    ctx: ActiveContext, document: Any, *, safe: bool, limits: JsonLdLimits
) -> list[dict[str, Any]]:
    """Expand a JSON-LD document (JSON-LD 1.1 API §5.1.2 plus the §5.1 wrapper steps)."""
    expanded = _Expander(safe=safe, limits=limits).expand(ctx, None, document, 0)
    if isinstance(expanded, dict) and list(expanded) == ["@graph"]:
        expanded = expanded["@graph"]
    if expanded is None:
        return []
    return expanded if isinstance(expanded, list) else [expanded]

"""JSON-LD 1.1 term definitions, active contexts and IRI expansion.

Implements the data model of JSON-LD 1.1 Processing Algorithms and API (W3C Recommendation,
16 July 2020) §4.1 (active context, term definition), §4.2.2 Create Term Definition and
§5.2.2 IRI Expansion, for the subset Verifiable Credentials use. Context Processing (§4.1.2),
the loader and the caches are in :mod:`tradetrace.credentials.jsonld_context`.

A feature outside the subset (``@reverse``, ``@nest``, property-valued ``@index``, ``@id`` and
``@type`` maps, ``@direction``) is recorded on the term definition as ``unsupported``; the
expansion raises :class:`~tradetrace.errors.CanonicalizationError` when a document uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from tradetrace.errors import CanonicalizationError

if TYPE_CHECKING:
    from tradetrace.credentials.jsonld_context import DocumentLoader

__all__ = [
    "KEYWORDS",
    "ActiveContext",
    "TermDefinition",
    "define_term",
    "invalid",
    "is_absolute_iri",
]

KEYWORDS = frozenset(
    {
        "@base",
        "@container",
        "@context",
        "@direction",
        "@graph",
        "@id",
        "@import",
        "@included",
        "@index",
        "@json",
        "@language",
        "@list",
        "@nest",
        "@none",
        "@prefix",
        "@propagate",
        "@protected",
        "@reverse",
        "@set",
        "@type",
        "@value",
        "@version",
        "@vocab",
    }
)
KEYWORD_FORM = re.compile(r"@[A-Za-z]+\Z")
# The absolute-IRI test jsonld.js and pyld use (JSON-LD 1.1 API §5.2.2 step 6.4).
_ABSOLUTE = re.compile(r"([A-Za-z][A-Za-z0-9+\-.]*|_):\S*\Z")
_TERM_KEYS = frozenset(
    {
        "@id",
        "@reverse",
        "@container",
        "@context",
        "@direction",
        "@index",
        "@language",
        "@nest",
        "@prefix",
        "@protected",
        "@type",
    }
)
# Containers we expand; @id and @type maps and @graph+@index/@id are outside the subset.
_CONTAINERS = frozenset({"@list", "@set", "@language", "@index", "@graph"})
_GEN_DELIMS = frozenset(":/?#[]@")
_MAX_MEMOIZED = 4096


def is_absolute_iri(value: str) -> bool:
    """True when ``value`` has the form of an absolute IRI or a blank node identifier."""
    return _ABSOLUTE.match(value) is not None


def invalid(code: str, detail: str) -> CanonicalizationError:
    """A JSON-LD processing error (JSON-LD 1.1 API §9.4.2 error codes) as our exception."""
    return CanonicalizationError(f"invalid JSON-LD ({code}): {detail}")


@dataclass(frozen=True, slots=True)
class TermDefinition:
    """One term definition of an active context (JSON-LD 1.1 API §4.1, §4.2).

    ``unsupported`` names a feature outside our subset; using the term then raises.
    ``stable`` marks terms from loaded contexts, whose scoped context may be cached by identity.
    """

    iri: str | None
    prefix: bool = False
    protected: bool = False
    type_mapping: str | None = None
    container: frozenset[str] = frozenset()
    language: str | None = None
    has_language: bool = False
    context: Any = None
    has_context: bool = False
    unsupported: str | None = None
    stable: bool = field(default=False, compare=False)


class ActiveContext:
    """An active context (JSON-LD 1.1 API §4.1): terms, ``@vocab``, default language.

    Instances are immutable once built, because the caches share them. ``warnings`` lists
    conditions that safe mode rejects; ``derived`` caches contexts processed on top of this one.
    """

    __slots__ = ("_iris", "derived", "language", "loader", "previous", "terms", "vocab", "warnings")

    def __init__(self, loader: DocumentLoader) -> None:
        self.loader = loader
        self.terms: dict[str, TermDefinition] = {}
        self.vocab: str | None = None
        self.language: str | None = None
        self.previous: ActiveContext | None = None
        self.warnings: tuple[str, ...] = ()
        self.derived: dict[tuple[Any, ...], tuple[Any, ActiveContext]] = {}
        self._iris: dict[str, str | None] = {}

    def copy(self) -> ActiveContext:
        """A private copy to build a new context from (JSON-LD 1.1 API §4.1.2 step 1)."""
        result = ActiveContext(self.loader)
        result.terms = dict(self.terms)
        result.vocab, result.language = self.vocab, self.language
        result.previous, result.warnings = self.previous, self.warnings
        return result

    def expand_iri(self, value: str, *, vocab: bool) -> str | None:
        """IRI Expansion (JSON-LD 1.1 API §5.2.2) without a local context.

        There is never a base IRI: a relative reference comes back unchanged and the caller
        treats it as data loss. Property names and types (``vocab``) are memoized, up to a
        bound: documents choose them, and cached contexts live as long as the loader.
        """
        if not vocab:
            return expand_iri(self, value, vocab=False)
        try:
            return self._iris[value]
        except KeyError:
            result = expand_iri(self, value, vocab=True)
            if len(self._iris) < _MAX_MEMOIZED:
                self._iris[value] = result
            return result


def expand_iri(ctx: ActiveContext, value: str, *, vocab: bool) -> str | None:
    """IRI Expansion (JSON-LD 1.1 API §5.2.2) over the terms already in ``ctx``."""
    if value in KEYWORDS:
        return value
    if KEYWORD_FORM.match(value):
        return None
    term = ctx.terms.get(value)
    if term is not None and (term.iri in KEYWORDS or vocab):
        return term.iri
    colon = value.find(":", 1)
    if colon != -1:
        prefix, suffix = value[:colon], value[colon + 1 :]
        if prefix == "_" or suffix.startswith("//"):
            return value
        definition = ctx.terms.get(prefix)
        if definition is not None and definition.iri is not None and definition.prefix:
            return definition.iri + suffix
        if is_absolute_iri(value):
            return value
    if vocab and ctx.vocab is not None:
        return ctx.vocab + value
    return value


class TermProcessor(Protocol):
    """What Create Term Definition needs from the running Context Processing call."""

    override_protected: bool
    stable: bool

    def expand(
        self, result: ActiveContext, local: dict[str, Any], defined: dict[str, bool], value: str
    ) -> str | None:
        """IRI Expansion with the local context (§5.2.2 steps 3 and 6.3)."""

    def validate_scoped(self, result: ActiveContext, scoped: Any) -> None:
        """Process a scoped context once to validate it (§4.2.2 step 21.3)."""


def define_term(
    processor: TermProcessor,
    result: ActiveContext,
    local: dict[str, Any],
    term: str,
    defined: dict[str, bool],
) -> TermDefinition | None:
    """Build the definition of ``term`` (JSON-LD 1.1 API §4.2.2 steps 7-26).

    Returns ``None`` when the term is ignored (a keyword-like ``@id``, recorded as a warning).
    The caller handles steps 1-6 and the protected-term check of step 27.
    """
    value = local[term]
    simple = isinstance(value, str)
    if value is None or simple:
        value = {"@id": value}
    elif not isinstance(value, dict):
        raise invalid("invalid term definition", term)
    if extra := set(value) - _TERM_KEYS:
        raise invalid("invalid term definition", f"{term}: {sorted(extra)[0]}")
    protected = value.get("@protected", local.get("@protected", False))
    if not isinstance(protected, bool):
        raise invalid("invalid @protected value", term)
    options: dict[str, Any] = {"protected": protected, "stable": processor.stable}
    if "@reverse" in value:  # outside the subset: keep the term, fail when it is used
        return TermDefinition(None, unsupported="@reverse", **options)
    unsupported = [key for key in ("@nest", "@index", "@direction") if key in value]
    if "@type" in value:
        mapping = value["@type"]
        if not isinstance(mapping, str):
            raise invalid("invalid type mapping", term)
        mapping = processor.expand(result, local, defined, mapping)
        if mapping not in ("@id", "@json", "@none", "@vocab") and not (
            mapping and is_absolute_iri(mapping) and not mapping.startswith("_:")
        ):
            raise invalid("invalid type mapping", term)
        options["type_mapping"] = mapping
    iri = _term_iri(processor, result, local, term, defined, value)
    if iri == _IGNORED:
        result.warnings += (f"reserved @id value: {term!r}",)
        return None
    options["iri"] = iri
    # §4.2.2 step 14.4: a simple term whose IRI ends in a gen-delim may be used as a prefix.
    options["prefix"] = bool(
        simple
        and iri
        and value["@id"] != term
        and ":" not in term
        and "/" not in term
        and (iri[-1] in _GEN_DELIMS or iri.startswith("_:"))
    )
    if "@container" in value:
        options["container"] = _container(term, value["@container"], unsupported)
    if "@context" in value:
        processor.validate_scoped(result, value["@context"])
        options.update(context=value["@context"], has_context=True)
    if "@language" in value and "@type" not in value:
        language = value["@language"]
        if language is not None and not isinstance(language, str):
            raise invalid("invalid language mapping", term)
        options.update(language=language and language.lower(), has_language=True)
    if "@prefix" in value:
        if not isinstance(value["@prefix"], bool) or ":" in term or "/" in term:
            raise invalid("invalid term definition", f"{term}: @prefix")
        if value["@prefix"] and iri in KEYWORDS:
            raise invalid("invalid term definition", f"{term}: keyword prefix")
        options["prefix"] = value["@prefix"]
    if unsupported:
        options["unsupported"] = unsupported[0]
    return TermDefinition(**options)


_IGNORED = "@ignored"


def _term_iri(
    processor: TermProcessor,
    result: ActiveContext,
    local: dict[str, Any],
    term: str,
    defined: dict[str, bool],
    value: dict[str, Any],
) -> str | None:
    """The IRI mapping of a term (JSON-LD 1.1 API §4.2.2 steps 14-18)."""
    if "@id" in value and value["@id"] != term:
        target = value["@id"]
        if target is None:
            return None
        if not isinstance(target, str):
            raise invalid("invalid IRI mapping", term)
        if target not in KEYWORDS and KEYWORD_FORM.match(target):
            return _IGNORED
        iri = processor.expand(result, local, defined, target)
        if iri is None or (iri not in KEYWORDS and ":" not in iri):
            raise invalid("invalid IRI mapping", f"{term}: {target}")
        if iri == "@context":
            raise invalid("invalid keyword alias", term)
        if ":" in term[1:-1] or "/" in term:
            defined[term] = True
            if processor.expand(result, local, defined, term) != iri:
                raise invalid("invalid IRI mapping", f"{term} does not expand to {iri}")
        return iri
    colon = term.find(":", 1)
    if colon != -1:
        prefix, suffix = term[:colon], term[colon + 1 :]
        if prefix in local:
            processor.expand(result, local, defined, prefix)
        definition = result.terms.get(prefix)
        if definition is not None:
            if definition.iri is None:
                raise invalid("invalid IRI mapping", term)
            return definition.iri + suffix
        return term
    if "/" in term:  # a relative IRI as a term: never via the local context (it is the term)
        iri = expand_iri(result, term, vocab=True)
        if iri is None or not is_absolute_iri(iri):
            raise invalid("invalid IRI mapping", term)
        return iri
    if result.vocab is None:
        raise invalid("invalid IRI mapping", f"{term} has no @id and there is no @vocab")
    return result.vocab + term


def _container(term: str, value: Any, unsupported: list[str]) -> frozenset[str]:
    """Validate a container mapping (JSON-LD 1.1 API §4.2.2 step 19, §9.4.2)."""
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) for item in items):
        raise invalid("invalid container mapping", term)
    container = frozenset(items)
    kinds = container - {"@set"}
    if "@list" in container:
        valid = len(container) == 1
    elif "@graph" in kinds:
        valid = kinds - {"@graph"} in ({"@id"}, {"@index"}, set())
    else:
        valid = len(kinds) <= 1 and kinds <= _CONTAINERS | {"@id", "@type"}
    if not valid:
        raise invalid("invalid container mapping", f"{term}: {sorted(container)}")
    if not kinds <= _CONTAINERS or len(kinds) > 1:
        unsupported.append("@container " + " ".join(sorted(container)))
    return container

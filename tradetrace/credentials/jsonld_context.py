"""JSON-LD 1.1 Context Processing with an offline document loader and a compiled-context cache.

Implements JSON-LD 1.1 Processing Algorithms and API (W3C Recommendation, 16 July 2020)
§4.1.2 Context Processing and the steps of §4.2.2 Create Term Definition that touch the
active context (keyword checks, protected terms); the term data model is in
:mod:`tradetrace.credentials.jsonld_terms`. Contexts come only from a
:class:`DocumentLoader`, which serves bundled files and never the network (§9.4).

Every processed context is cached on the context it was applied to, keyed by URL or by the
identity of a scoped context that belongs to a loaded term definition. The credentials v2 and
traceability contexts, and each type-scoped context they define, are therefore compiled once
per loader, and expanding a credential costs only dictionary look-ups.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from tradetrace.credentials import contexts
from tradetrace.credentials.jsonld_terms import (
    KEYWORD_FORM,
    KEYWORDS,
    ActiveContext,
    define_term,
    expand_iri,
    invalid,
    is_absolute_iri,
)
from tradetrace.errors import CanonicalizationError, ConfigurationError, LimitExceeded

__all__ = ["MAX_CACHED_CONTEXTS", "DocumentLoader", "process_context"]

_CONTEXT_KEYS = frozenset(
    {
        "@base",
        "@direction",
        "@import",
        "@language",
        "@propagate",
        "@protected",
        "@version",
        "@vocab",
    }
)
_MAX_REMOTE_DEPTH = 16
# Compiled contexts a loader keeps by default (each is a copy of ~300 terms). Documents pick
# the types they use, so without a bound they could grow the cache without end.
MAX_CACHED_CONTEXTS = 2048


class DocumentLoader:
    """Serves JSON-LD context documents from memory only (JSON-LD 1.1 API §9.4).

    :meth:`bundled` serves the contexts in :mod:`tradetrace.credentials.contexts`;
    :meth:`from_documents` adds caller-supplied documents (tests, private contexts), which may
    not replace a bundled URL. Nothing is ever fetched: an unknown URL raises
    :class:`CanonicalizationError`. Each loader owns the cache of contexts compiled from it,
    holding at most ``max_cached_contexts``; past that, contexts are compiled per document.
    """

    _bundled: DocumentLoader | None = None

    def __init__(
        self, documents: Mapping[str, Any], *, max_cached_contexts: int = MAX_CACHED_CONTEXTS
    ) -> None:
        clash = sorted(set(documents) & set(contexts.INDEX))
        if clash:
            raise ConfigurationError(f"cannot replace bundled JSON-LD context: {clash[0]}")
        self._documents = MappingProxyType(dict(documents))
        self.initial = ActiveContext(self)
        self.cache_room = max_cached_contexts

    @classmethod
    def bundled(cls) -> DocumentLoader:
        """The shared loader of the bundled contexts (its compiled contexts are cached)."""
        if cls._bundled is None:
            cls._bundled = cls({})
        return cls._bundled

    @classmethod
    def from_documents(
        cls, documents: Mapping[str, Any], *, max_cached_contexts: int = MAX_CACHED_CONTEXTS
    ) -> DocumentLoader:
        """A loader for the bundled contexts plus ``documents`` (URL → parsed JSON-LD)."""
        return cls(documents, max_cached_contexts=max_cached_contexts)

    def load(self, url: str) -> Any:
        """The parsed document for ``url`` (LoadDocumentCallback, JSON-LD 1.1 API §9.4)."""
        if url in self._documents:
            return self._documents[url]
        return contexts.load_bundled_context(url)


def process_context(
    active: ActiveContext,
    local: Any,
    *,
    override_protected: bool = False,
    propagate: bool = True,
    stable: bool = False,
) -> ActiveContext:
    """Context Processing (JSON-LD 1.1 API §4.1.2), cached on ``active``.

    ``stable`` says ``local`` belongs to a term definition of a loaded context, so its
    identity is a safe cache key. A URL or a list of URLs is always a cache key.
    """
    return _process(active, local, (), override_protected, propagate, stable, validate=True)


def _process(
    active: ActiveContext,
    local: Any,
    remote: tuple[str, ...],
    override_protected: bool,
    propagate: bool,
    stable: bool,
    *,
    validate: bool,
) -> ActiveContext:
    key: tuple[Any, ...] | None = None
    if isinstance(local, str):
        key = (local, override_protected, propagate, validate)
    elif isinstance(local, list) and all(isinstance(item, str) for item in local):
        key = (tuple(local), override_protected, propagate, validate)
    elif stable:
        key = (id(local), override_protected, propagate, validate)
    if key is not None and (hit := active.derived.get(key)) is not None:
        return hit[1]
    processor = _Processor(remote, override_protected, stable, validate)
    result = processor.run(active, local, propagate)
    if key is not None and active.loader.cache_room > 0:
        active.loader.cache_room -= 1
        active.derived[key] = (local, result)  # holds ``local``, so its id stays unique
    return result


class _Processor:
    """One Context Processing call (JSON-LD 1.1 API §4.1.2); implements TermProcessor."""

    def __init__(
        self, remote: tuple[str, ...], override_protected: bool, stable: bool, validate: bool
    ) -> None:
        self.remote = remote
        self.override_protected = override_protected
        self.stable = stable
        self.validate = validate

    def run(self, active: ActiveContext, local: Any, propagate: bool) -> ActiveContext:
        if isinstance(local, dict) and "@propagate" in local:
            propagate = local["@propagate"]
            if not isinstance(propagate, bool):
                raise invalid("invalid @propagate value", repr(propagate))
        result = active
        for item in local if isinstance(local, list) else [local]:
            if item is None:
                if not self.override_protected and any(
                    term.protected for term in result.terms.values()
                ):
                    raise invalid("invalid context nullification", "protected terms in scope")
                previous, result = result, ActiveContext(active.loader)
                if not propagate:
                    result.previous = previous
            elif isinstance(item, str):
                result = self._remote(result, item)
            elif isinstance(item, dict):
                result = self._local(result.copy(), item)
            else:
                raise invalid("invalid local context", repr(item)[:80])
        if not propagate and result.previous is None:
            result = result.copy()
            result.previous = active
        return result

    def _remote(self, result: ActiveContext, url: str) -> ActiveContext:
        """§4.1.2 step 5.2: dereference a context URL through the loader, never the network."""
        if not is_absolute_iri(url):
            raise invalid("loading remote context failed", f"relative context URL {url!r}")
        if url in self.remote:
            if not self.validate:
                return result  # §4.1.2 step 5.2.3
            raise invalid("recursive context inclusion", url)
        if len(self.remote) >= _MAX_REMOTE_DEPTH:
            raise LimitExceeded(f"too many nested JSON-LD contexts: limit {_MAX_REMOTE_DEPTH}")
        document = result.loader.load(url)
        if not isinstance(document, dict) or "@context" not in document:
            raise invalid("invalid remote context", url)
        remote = (*self.remote, url)
        return _process(
            result, document["@context"], remote, False, True, True, validate=self.validate
        )

    def _local(self, result: ActiveContext, local: dict[str, Any]) -> ActiveContext:
        """§4.1.2 step 5.5 onwards: apply one context definition to ``result`` (a copy)."""
        if "@version" in local and local["@version"] != 1.1:
            raise invalid("invalid @version value", repr(local["@version"]))
        for keyword in ("@import", "@direction", "@base"):
            if local.get(keyword) is not None:
                raise CanonicalizationError(f"unsupported JSON-LD feature in context: {keyword}")
        defined: dict[str, bool] = {}
        if "@vocab" in local:
            vocab = local["@vocab"]
            if vocab is not None and not isinstance(vocab, str):
                raise invalid("invalid vocab mapping", repr(vocab)[:80])
            result.vocab = None if vocab is None else self.expand(result, local, defined, vocab)
            if result.vocab is not None and not is_absolute_iri(result.vocab):
                result.warnings += (f"relative @vocab reference: {vocab!r}",)
        if "@language" in local:
            language = local["@language"]
            if language is not None and not isinstance(language, str):
                raise invalid("invalid default language", repr(language)[:80])
            result.language = language.lower() if language is not None else None
        if not isinstance(local.get("@protected", False), bool):
            raise invalid("invalid @protected value", repr(local["@protected"]))
        for term in local:
            if term not in _CONTEXT_KEYS:
                self.define(result, local, term, defined)
        return result

    def expand(
        self, result: ActiveContext, local: dict[str, Any], defined: dict[str, bool], value: str
    ) -> str | None:
        """IRI Expansion with a local context (JSON-LD 1.1 API §5.2.2, vocab true)."""
        if value in KEYWORDS:
            return value
        if value in local and defined.get(value) is not True:
            self.define(result, local, value, defined)
        colon = value.find(":", 1)
        if colon != -1 and value[:colon] in local and defined.get(value[:colon]) is not True:
            self.define(result, local, value[:colon], defined)
        return expand_iri(result, value, vocab=True)

    def validate_scoped(self, result: ActiveContext, scoped: Any) -> None:
        """§4.2.2 step 21.3: process a scoped context once, so a broken one fails early."""
        if self.validate:
            _Processor(self.remote, True, False, False).run(result, scoped, True)

    def define(
        self, result: ActiveContext, local: dict[str, Any], term: str, defined: dict[str, bool]
    ) -> None:
        """Create Term Definition (JSON-LD 1.1 API §4.2.2) steps 1-6 and 27."""
        if term in defined:
            if defined[term]:
                return
            raise invalid("cyclic IRI mapping", term)
        if term == "":
            raise invalid("invalid term definition", "empty term")
        defined[term] = False
        value = local[term]
        if term == "@type":
            if not (
                isinstance(value, dict)
                and value
                and set(value) <= {"@container", "@protected"}
                and value.get("@container", "@set") == "@set"
            ):
                raise invalid("keyword redefinition", "@type")
            defined[term] = True
            return
        if term in KEYWORDS:
            raise invalid("keyword redefinition", term)
        defined[term] = True  # an ignored term is settled too, so a reference is no cycle
        if KEYWORD_FORM.match(term):
            result.warnings += (f"reserved term: {term!r}",)
            return
        defined[term] = False
        previous = result.terms.pop(term, None)
        definition = define_term(self, result, local, term, defined)
        defined[term] = True
        if definition is None:
            return
        if not self.override_protected and previous is not None and previous.protected:
            if replace(definition, protected=True) != replace(previous, protected=True):
                raise invalid("protected term redefinition", term)
            definition = previous
        result.terms[term] = definition

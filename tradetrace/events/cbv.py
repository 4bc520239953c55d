"""The GS1 Core Business Vocabulary (CBV) 2.0 code lists and their three spellings.

A standard value may be written as a bare code (``shipping``, the EPCIS 2.0 JSON-LD form),
as its Web URI (``https://ref.gs1.org/cbv/BizStep-shipping``, CBV 2.0 §6), as the CBV 1.x
URN (``urn:epcglobal:cbv:bizstep:shipping``, CBV 2.0 §8.2) or as a CURIE of the Web URI
(``cbv:BizStep-shipping``). Anything else must be a namespaced URI of the user's own
(CBV 2.0 §6: "Any other value must be a URI"); a bare word that is not a standard code is an
error. The code lists are the bundled CBV 2.0 JSON-LD contexts (``standards/cbv/``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

__all__ = ["CodeList", "Vocabulary", "code_list"]

_ABSOLUTE_URI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+")
_HTTP_WITHOUT_AUTHORITY_RE = re.compile(r"https?:(?!//[^/\s])", re.IGNORECASE)


class Vocabulary(StrEnum):
    """A CBV 2.0 / GS1 Web Vocabulary code list used in EPCIS events."""

    BIZ_STEP = "business step"
    DISPOSITION = "disposition"
    BIZ_TRANSACTION_TYPE = "business transaction type"
    SOURCE_DESTINATION_TYPE = "source/destination type"
    ERROR_REASON = "error reason"
    COMPONENT = "sensor component"
    MEASUREMENT_TYPE = "sensor measurement type"
    SENSOR_ALERT_TYPE = "sensor alert type"


# vocabulary -> (bundled context file, Web URI prefix, CBV 1.x URN prefix or None)
_SOURCES: dict[Vocabulary, tuple[str, str, str | None]] = {
    Vocabulary.BIZ_STEP: (
        "cbv-context-bizstep.jsonld",
        "https://ref.gs1.org/cbv/BizStep-",
        "urn:epcglobal:cbv:bizstep:",
    ),
    Vocabulary.DISPOSITION: (
        "cbv-context-disposition.jsonld",
        "https://ref.gs1.org/cbv/Disp-",
        "urn:epcglobal:cbv:disp:",
    ),
    Vocabulary.BIZ_TRANSACTION_TYPE: (
        "cbv-context-biztransaction-type.jsonld",
        "https://ref.gs1.org/cbv/BTT-",
        "urn:epcglobal:cbv:btt:",
    ),
    Vocabulary.SOURCE_DESTINATION_TYPE: (
        "cbv-context-sourcedest-type.jsonld",
        "https://ref.gs1.org/cbv/SDT-",
        "urn:epcglobal:cbv:sdt:",
    ),
    Vocabulary.ERROR_REASON: (
        "cbv-context-error-reason.jsonld",
        "https://ref.gs1.org/cbv/ER-",
        "urn:epcglobal:cbv:er:",
    ),
    Vocabulary.COMPONENT: ("cbv-context-component.jsonld", "https://ref.gs1.org/cbv/Comp-", None),
    # GS1 Web Vocabulary terms; the CBV 2.0 hash rules expand them under ref.gs1.org/voc/.
    Vocabulary.MEASUREMENT_TYPE: (
        "gs1-context-measurement-type.jsonld",
        "https://ref.gs1.org/voc/",
        None,
    ),
    Vocabulary.SENSOR_ALERT_TYPE: (
        "gs1-context-sensor-alert-type.jsonld",
        "https://ref.gs1.org/voc/",
        None,
    ),
}


@dataclass(frozen=True, slots=True)
class CodeList:
    """One CBV code list: its codes and the prefixes of their URI spellings (CBV 2.0 §6-§8)."""

    vocabulary: Vocabulary
    codes: frozenset[str]
    web_prefix: str
    urn_prefix: str | None

    def _code_of(self, value: str) -> str | None:
        """The code a standard spelling names (known or not), or None for other values."""
        if self.web_prefix.startswith("https://ref.gs1.org/cbv/"):
            curie = "cbv:" + self.web_prefix.removeprefix("https://ref.gs1.org/cbv/")
        else:
            curie = "gs1:"
        for prefix in (self.web_prefix, curie, self.urn_prefix):
            if prefix is not None and value.startswith(prefix):
                return value[len(prefix) :]
        return None

    def web_uri(self, value: str) -> str | None:
        """The Web URI of a standard value in any spelling, or ``None`` for other values.

        CBV 2.0 §8.9 rules 14-16 (the Event Hash ID writes standard values as Web URIs).
        """
        code = value if value in self.codes else self._code_of(value)
        if code is None or code not in self.codes:
            return None
        return self.web_prefix + code

    def problem(self, value: str) -> str | None:
        """Why ``value`` is not an acceptable value of this vocabulary, or ``None`` if it is."""
        if value in self.codes:
            return None
        code = self._code_of(value)
        if code is not None:
            if code in self.codes:
                return None
            return f"{code!r} is not a CBV 2.0 {self.vocabulary}"
        if ":" not in value:
            return (
                f"{value!r} is not a CBV 2.0 {self.vocabulary}; a value of your own must be a"
                " namespaced URI"
            )
        if _ABSOLUTE_URI_RE.fullmatch(value) is None or _HTTP_WITHOUT_AUTHORITY_RE.match(value):
            return f"{value!r} is not a well-formed URI"
        return None


@cache
def code_list(vocabulary: Vocabulary) -> CodeList:
    """The CBV 2.0 code list of ``vocabulary``, read once from the bundled JSON-LD context."""
    filename, web_prefix, urn_prefix = _SOURCES[vocabulary]
    source = resources.files("tradetrace.events").joinpath("standards", "cbv", filename)
    context = json.loads(source.read_text(encoding="utf-8"))["@context"]
    codes = frozenset(
        name
        for name, value in context.items()
        if not name.startswith("@") and not value.startswith("https://")
    )
    return CodeList(vocabulary, codes, web_prefix, urn_prefix)

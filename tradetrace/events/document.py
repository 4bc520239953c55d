"""EPCIS 2.0 documents: the capture document and the query document (EPCIS 2.0 §9.3, §8.2.4).

An ``EPCISDocument`` carries its events in ``epcisBody.eventList``; an ``EPCISQueryDocument``
carries query results in ``epcisBody.queryResults.resultsBody.eventList``. Both have a JSON-LD
``@context`` whose prefixes name the namespaces of user extensions. :func:`document_from_wire`
checks structure only; :func:`tradetrace.events.validation.parse_epcis_document` is the entry
point for untrusted input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, JsonValue, TypeAdapter, ValidationError

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.events.model import Context, EpcisEvent, ExtensibleModel, UtcDatetime

__all__ = [
    "EpcisBody",
    "EpcisDocument",
    "EpcisQueryBody",
    "EpcisQueryDocument",
    "QueryResults",
    "QueryResultsBody",
    "document_from_wire",
    "problems_from_validation_error",
]


class EpcisBody(ExtensibleModel):
    """The body of a capture document: its events (EPCIS 2.0 §9.3)."""

    event_list: tuple[EpcisEvent, ...]


class EpcisDocument(ExtensibleModel):
    """An EPCIS 2.0 capture document (EPCIS 2.0 §9.3, JSON Schema ``epcisDocument``)."""

    context: Context = Field(alias="@context")
    type: Literal["EPCISDocument"] = "EPCISDocument"
    schema_version: str
    creation_date: UtcDatetime
    id: str | None = None
    instance_identifier: str | None = None
    sender: str | None = None
    receiver: str | None = None
    epcis_header: dict[str, JsonValue] | None = None
    epcis_body: EpcisBody

    @property
    def events(self) -> tuple[EpcisEvent, ...]:
        """The document's events, in order."""
        return self.epcis_body.event_list


class QueryResultsBody(ExtensibleModel):
    """Events (and master data) a query returned (EPCIS 2.0 §8.2.4)."""

    event_list: tuple[EpcisEvent, ...]
    vocabulary_list: tuple[JsonValue, ...] | None = None


class QueryResults(ExtensibleModel):
    """The results of one named query or subscription (EPCIS 2.0 §8.2.4)."""

    query_name: str
    subscription_id: str | None = Field(None, alias="subscriptionID")
    results_body: QueryResultsBody


class EpcisQueryBody(ExtensibleModel):
    """The body of a query document (EPCIS 2.0 §8.2.4)."""

    query_results: QueryResults


class EpcisQueryDocument(ExtensibleModel):
    """An EPCIS 2.0 query document (JSON Schema ``epcisQueryDocument``)."""

    context: Context = Field(alias="@context")
    type: Literal["EPCISQueryDocument"] = "EPCISQueryDocument"
    id: str | None = None
    schema_version: str | None = None
    creation_date: UtcDatetime | None = None
    epcis_body: EpcisQueryBody

    @property
    def events(self) -> tuple[EpcisEvent, ...]:
        """The events of the query results, in order."""
        return self.epcis_body.query_results.results_body.event_list


_DOCUMENT: TypeAdapter[EpcisDocument | EpcisQueryDocument] = TypeAdapter(
    Annotated[EpcisDocument | EpcisQueryDocument, Field(discriminator="type")]
)


def problems_from_validation_error(error: ValidationError) -> list[FieldProblem]:
    """The pydantic errors as field problems named by wire path (``epcisBody.eventList[3].x``)."""
    problems: dict[str, str] = {}
    for item in error.errors(include_url=False):
        path = ""
        for part in item["loc"]:
            if isinstance(part, int):
                path += f"[{part}]"
            elif not _is_union_tag(part):
                path += f".{part}" if path else part
        message = item["msg"]
        problems.setdefault(path or "(document)", message[:1].lower() + message[1:])
    return [FieldProblem(field, reason) for field, reason in problems.items()]


def _is_union_tag(part: str) -> bool:
    # pydantic puts the union member it tried into the error location: a discriminator
    # value ("ObjectEvent") or a type ("int", "tuple[str, ...]", "function-after[...]").
    return part in _UNION_TAGS or "[" in part


_UNION_TAGS = frozenset(
    {"ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent"}
    | {"AssociationEvent", "EPCISDocument", "EPCISQueryDocument", "int", "float", "str"}
)


def document_from_wire(data: Mapping[str, Any]) -> EpcisDocument | EpcisQueryDocument:
    """Build the document model from its JSON-LD form, checking structure and types only.

    For trusted data, such as documents read back from storage. Raises
    :class:`~tradetrace.errors.InvalidDocument` listing every field at fault.
    """
    try:
        return _DOCUMENT.validate_python(data, by_alias=True, by_name=False)
    except ValidationError as exc:
        problems = problems_from_validation_error(exc)
        raise InvalidDocument.from_problems("EPCIS document", problems) from exc

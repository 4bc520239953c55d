import copy
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradetrace.errors import InvalidDocument
from tradetrace.events import hashing, prehash, validation

VECTORS = Path(__file__).parents[1] / "assets" / "epcis" / "hash"
DOCUMENTS = sorted(p for p in VECTORS.iterdir() if p.suffix in {".json", ".jsonld"})


def _events(document):
    body = document["epcisBody"]
    return body.get("eventList") or body["queryResults"]["resultsBody"]["eventList"]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.name)
def test_published_event_hash_ids_match(path):
    document = json.loads(path.read_text())
    expected = path.with_suffix(".hashes").read_text().split()
    assert hashing.document_event_hash_ids(document) == expected


@pytest.mark.parametrize(
    "path", [p for p in DOCUMENTS if p.with_suffix(".prehashes").exists()], ids=lambda p: p.name
)
def test_published_prehash_strings_match(path):
    document = json.loads(path.read_text())
    namespaces = prehash.namespaces_from_context(document["@context"])
    expected = path.with_suffix(".prehashes").read_text().splitlines()
    assert [prehash.prehash_string(e, namespaces=namespaces) for e in _events(document)] == expected


def test_published_vector_documents_are_valid_epcis():
    for path in DOCUMENTS:
        assert validation.document_problems(json.loads(path.read_text())) == [], path.name


# --- normalisation (CBV 2.0 §8.9 rules) ------------------------------------------------------

EVENT = {
    "type": "ObjectEvent",
    "eventTime": "2026-11-20T08:00:00.000+01:00",
    "eventTimeZoneOffset": "+01:00",
    "epcList": ["urn:epc:id:sgtin:0614141.107346.2017", "urn:epc:id:sgtin:0614141.107346.2018"],
    "action": "OBSERVE",
    "bizStep": "shipping",
    "disposition": "in_transit",
    "readPoint": {"id": "urn:epc:id:sgln:0614141.07346.1234"},
    "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epc:id:gdti:0614141.00001.1"}],
    "example:seal": "S-1",
}
NS = prehash.namespaces_from_context([{"example": "https://ns.example.com/epcis/"}])


def _hash(event):
    return hashing.event_hash_id(event, namespaces=NS)


def _with(**changes):
    return copy.deepcopy(EVENT) | changes


def test_event_hash_id_is_an_ni_uri():
    hash_id = _hash(EVENT)
    assert hash_id.startswith("ni:///sha-256;") and hash_id.endswith("?ver=CBV2.0")
    assert len(hash_id.split(";")[1].split("?")[0]) == 64


def test_field_order_does_not_matter():
    assert _hash(dict(reversed(list(EVENT.items())))) == _hash(EVENT)


def test_list_order_does_not_matter():
    assert _hash(_with(epcList=list(reversed(EVENT["epcList"])))) == _hash(EVENT)


@pytest.mark.parametrize(
    "event_time",
    [
        "2026-11-20T07:00:00Z",
        "2026-11-20T02:00:00-05:00",
        "2026-11-20T07:00:00.0004Z",
        "2026-11-20T12:30:00.000+05:30",
    ],
)
def test_time_zone_offsets_and_precision_do_not_matter(event_time):
    assert _hash(_with(eventTime=event_time)) == _hash(EVENT)


def test_sub_millisecond_time_is_rounded_half_up():
    text = prehash.prehash_string(_with(eventTime="2026-12-31T23:59:59.9995Z"), namespaces=NS)
    assert "eventTime=2027-01-01T00:00:00.000Z" in text
    assert _hash(_with(eventTime="2026-11-20T07:00:00.0005Z")) != _hash(EVENT)


def test_digital_link_and_epc_uri_give_the_same_hash():
    links = [
        "https://id.gs1.org/01/10614141073464/21/2017",
        "https://brand.example.com/gtin/10614141073464/ser/2018?linkType=pip",
    ]
    assert _hash(
        _with(epcList=links, readPoint={"id": "https://id.gs1.org/414/0614141073467/254/1234"})
    ) == _hash(EVENT)


def test_cbv_urns_web_uris_and_bare_codes_give_the_same_hash():
    spelled = _with(
        bizStep="urn:epcglobal:cbv:bizstep:shipping",
        disposition="https://ref.gs1.org/cbv/Disp-in_transit",
        bizTransactionList=[
            {
                "type": "urn:epcglobal:cbv:btt:po",
                "bizTransaction": "urn:epc:id:gdti:0614141.00001.1",
            }
        ],
    )
    assert _hash(spelled) == _hash(EVENT)
    assert _hash(_with(bizStep="cbv:BizStep-shipping")) == _hash(EVENT)


def test_fields_outside_the_hash_do_not_change_it():
    extra = _with(
        eventID="urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8",
        recordTime="2026-11-21T00:00:00Z",
        certificationInfo="https://cert.example.org/1",
        errorDeclaration={"declarationTime": "2026-11-22T00:00:00Z", "reason": "incorrect_data"},
        **{"@context": [{"other": "https://ns.example.com/other/"}], "rdfs:comment": "hello"},
    )
    assert _hash(extra) == _hash(EVENT)


@pytest.mark.parametrize(
    "changes",
    [
        {"epcList": ["urn:epc:id:sgtin:0614141.107346.2017"]},
        {"action": "ADD"},
        {"bizStep": "receiving"},
        {"readPoint": {"id": "urn:epc:id:sgln:0614141.07346.1235"}},
        {"example:seal": "S-2"},
        {"example:other": "S-1"},
        {"eventTimeZoneOffset": "+02:00"},
        {"quantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.012345.L1", "quantity": 1}]},
    ],
)
def test_any_change_to_the_event_changes_the_hash(changes):
    assert _hash(_with(**changes)) != _hash(EVENT)


def test_extension_prefix_does_not_matter_only_the_namespace():
    renamed = {k.replace("example:", "ex:"): v for k, v in EVENT.items()}
    namespaces = prehash.namespaces_from_context([{"ex": "https://ns.example.com/epcis/"}])
    assert hashing.event_hash_id(renamed, namespaces=namespaces) == _hash(EVENT)


def test_extensions_nested_objects_and_arrays_are_sorted():
    one = _with(**{"example:box": {"example:b": ["2", "1"], "example:a": {"example:z": True}}})
    two = _with(**{"example:box": {"example:a": {"example:z": True}, "example:b": ["1", "2"]}})
    assert _hash(one) == _hash(two)
    text = prehash.prehash_string(one, namespaces=NS)
    assert text.endswith(
        "{https://ns.example.com/epcis/}box{https://ns.example.com/epcis/}a"
        "{https://ns.example.com/epcis/}z=true{https://ns.example.com/epcis/}b=1"
        "{https://ns.example.com/epcis/}b=2{https://ns.example.com/epcis/}seal=S-1"
    )


def test_numbers_have_no_trailing_zeros():
    quantities = [
        {"epcClass": "urn:epc:class:lgtin:4012345.012345.L1", "quantity": q, "uom": "KGM"}
        for q in (2.50, 3)
    ]
    text = prehash.prehash_string(_with(quantityList=quantities), namespaces=NS)
    assert "quantity=2.5uom=KGM" in text and "quantity=3uom=KGM" in text
    assert _hash(_with(**{"example:seal": "1.50"})) == _hash(_with(**{"example:seal": "1.5"}))
    assert "example.com/epcis/}n=0" in prehash.prehash_string(
        _with(**{"example:n": -0.0}), namespaces=NS
    )
    assert "}n=0.0000001" in prehash.prehash_string(_with(**{"example:n": 1e-7}), namespaces=NS)


def test_list_extensions_are_written_as_xml_lists():
    text = prehash.prehash_string(
        _with(**{"example:itemList": ["a", "b"], "example:empty": []}), namespaces=NS
    )
    assert "{https://ns.example.com/epcis/}itemList{https://ns.example.com/epcis/}item=a" in text
    assert "empty" not in text


def test_unparsable_values_are_hashed_as_written():
    text = prehash.prehash_string(
        _with(
            eventTime="not a time",
            **{"example:when": "2026-02-30T00:00:00Z", "example:nothing": None},
        ),
        namespaces=NS,
    )
    assert "eventTime=not a time" in text
    assert "}nothing" in text and "nothing=" not in text
    time = prehash.prehash_string(_with(eventTime="2026-02-30T00:00:00Z"), namespaces=NS)
    assert "eventTime=2026-02-30T00:00:00Z" in time


def test_hash_without_document_namespaces_uses_the_standard_prefixes():
    event = _with(**{"cbvmda:lotNumber": "L1"})
    assert "{urn:epcglobal:cbv:mda}lotNumber=L1" in prehash.prehash_string(event)
    assert hashing.event_hash_id(event) == hashing.event_hash_id(event, namespaces=None)


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"epcisBody": {"eventList": "x"}},
        {"epcisBody": {"queryResults": {"resultsBody": []}}},
        {"epcisBody": {"eventList": [1]}},
    ],
)
def test_document_event_hash_ids_needs_an_event_list(document):
    with pytest.raises(InvalidDocument, match="epcisBody has no list of events") as info:
        hashing.document_event_hash_ids(document)
    assert info.value.code == "invalid_document"


@given(st.permutations(list(EVENT.items())), st.sampled_from(["Z", "+00:00", "-00:00"]))
def test_hash_is_stable_under_reordering(items, zone):
    event = dict(items) | {"eventTime": "2026-11-20T07:00:00.000" + zone}
    assert _hash(event) == _hash(EVENT)


def test_gs1_curies_and_cbv_urns_are_expanded_in_any_value():
    text = prehash.prehash_string(
        _with(
            **{
                "example:step": "cbv:BizStep-shipping",
                "example:disp": "urn:epcglobal:cbv:disp:in_transit",
                "example:blank": "  ",
            }
        ),
        namespaces=NS,
    )
    assert "}step=https://ref.gs1.org/cbv/BizStep-shipping" in text
    assert "}disp=https://ref.gs1.org/cbv/Disp-in_transit" in text
    assert "{https://ns.example.com/epcis/}blank{" in text


def test_malformed_values_do_not_break_the_prehash():
    text = prehash.prehash_string(
        _with(action={"odd": 1}, readPoint="x", epcList="x"), namespaces=NS
    )
    assert "odd" not in text and "epcList" not in text
    assert "readPoint=x" in text  # a scalar where an object belongs is hashed as written


def test_namespaces_from_context_skips_keywords_and_term_definitions():
    namespaces = prehash.namespaces_from_context(
        [
            "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
            {"@vocab": "https://x/", "t": {"@id": "https://y/"}, "ex": "https://z/"},
        ]
    )
    assert namespaces["ex"] == "https://z/"
    assert "@vocab" not in namespaces and "t" not in namespaces
    assert (
        prehash.namespaces_from_context({"gs1": "https://gs1.org/voc/"})["gs1"]
        == "https://ref.gs1.org/voc/"
    )

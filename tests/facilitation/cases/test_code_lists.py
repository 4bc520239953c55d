"""The COVID-19 medical-supply HTS list of customs.md §3.3, bundled with its sources."""

from __future__ import annotations

import json

import pytest

from tradetrace.errors import InvalidDocument, NotFound
from tradetrace.facilitation.cases import CodeList, load_code_list
from tradetrace.facilitation.cases.code_lists import code_list_ids
from tradetrace.types import HsCode


@pytest.fixture(scope="module")
def medical():
    return load_code_list("covid19-medical")


def test_load_code_list_covid19_medical_cites_its_sources(medical):
    assert medical.id == "covid19-medical"
    assert any("PGA Codes Related to COVID-19" in source for source in medical.sources)
    assert any("USITC Publication 5047" in source for source in medical.sources)
    assert len(medical.items) == 17


@pytest.mark.parametrize(
    ("hts", "product"),
    [
        ("9019200000", "ventilators"),
        ("6307909889", "textile face masks"),
        ("902000", "gas masks"),
        ("40151910", "surgical and other rubber gloves"),
        ("3822000000", "COVID-19 test kits"),
        ("3002150000", "COVID-19 test kits"),
        ("9018190000", "pulse oximeters"),
        ("3808940000", "disinfectants"),
    ],
)
def test_code_list_match_finds_the_product_by_hts_prefix(medical, hts, product):
    item = medical.match(HsCode(hts))

    assert item is not None
    assert item.product.startswith(product)


def test_code_list_match_ignores_other_goods(medical):
    assert medical.match(HsCode("9403200000")) is None  # steel furniture


def test_code_list_uncertain_codes_match_only_on_request(medical):
    face_shield = HsCode("3926909990")

    assert medical.match(face_shield) is None
    assert medical.match(face_shield, include_uncertain=True).product.startswith(
        "plastic face shields"
    )


def test_load_code_list_rejects_unknown_id():
    with pytest.raises(
        NotFound, match=r"unknown HTS code list 'covid19-food': expected one of"
    ) as info:
        load_code_list("covid19-food")

    assert info.value.code == "not_found"


def test_load_code_list_reads_an_operator_folder(tmp_path):
    data = {
        "id": "ppe-extra",
        "name": "Extra PPE",
        "sources": ["desk decision 2020-05-01"],
        "items": [{"product": "face shields", "codes": ["3926.90.9990"], "source": "operator"}],
    }
    (tmp_path / "ppe-extra.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "README.txt").write_text("not a list", encoding="utf-8")

    assert code_list_ids(tmp_path) == ("ppe-extra",)
    assert load_code_list("ppe-extra", tmp_path).match(HsCode("3926909990")) is not None


def test_load_code_list_rejects_a_file_whose_id_is_not_its_name(tmp_path):
    data = {
        "id": "other",
        "name": "x",
        "sources": ["y"],
        "items": [{"product": "p", "codes": ["901920"], "source": "s"}],
    }
    (tmp_path / "mine.json").write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(InvalidDocument, match=r"code list file mine.json has id 'other'") as info:
        load_code_list("mine", tmp_path)

    assert info.value.code == "invalid_document"


def test_code_list_from_json_names_every_field_at_fault():
    bad = {
        "id": "Bad List",
        "name": "",
        "sources": [],
        "items": [{"product": "x", "codes": ["90"], "agencies": ["nasa"], "source": "s"}],
    }

    with pytest.raises(InvalidDocument, match=r"^invalid HTS code list: id: ") as info:
        CodeList.from_json(json.dumps(bad))

    assert info.value.code == "invalid_document"
    assert [p.field for p in info.value.problems] == [
        "id",
        "name",
        "sources",
        "items[0].codes[0]",
        "items[0].agencies[0]",
    ]

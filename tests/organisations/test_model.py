import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.organisations import IdentifierScheme, NewOrganisation, Role


def test_parse_normalises_and_orders():
    org = NewOrganisation.parse(
        slug="acme",
        name="  Acme Steel  ",
        country="CA",
        roles=["steel_mill", "exporter", "steel_mill"],
        identifiers={"mid": "CAACMSTE1MON", "gln": "0614141000012"},
    )
    assert org.name == "Acme Steel"
    assert org.roles == (Role.STEEL_MILL, Role.EXPORTER)
    assert [item.scheme for item in org.identifiers] == [IdentifierScheme.GLN, IdentifierScheme.MID]


def test_parse_lists_every_problem():
    with pytest.raises(InvalidDocument, match="invalid organisation") as caught:
        NewOrganisation.parse(
            slug="Bad Slug",
            name="",
            country="Canada",
            roles=["pirate"],
            identifiers={"gln": "1", "ssn": "x"},
        )
    assert caught.value.code == "invalid_document"
    fields = [problem.field for problem in caught.value.problems]
    assert fields == ["slug", "name", "country", "roles[0]", "identifiers.gln", "identifiers.ssn"]

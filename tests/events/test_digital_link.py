import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.events.test_epc_uri import KEYS
from tradetrace.errors import InvalidDocument
from tradetrace.events import digital_link, epc_uri
from tradetrace.events.identifiers import EpcScheme, Gs1Identifier, gs1_check_digit

# The canonical Digital Link URIs the published CBV hash vector epcisDocWithAllGS1Keys (and
# ObjectEvent_all_possible_fields) gives for these EPC URIs in its pre-hash string.
CANONICAL = {
    "urn:epc:id:sgtin:4012345.012345.12": "https://id.gs1.org/01/04012345123456/21/12",
    "urn:epc:id:sscc:4012345.0000000333": "https://id.gs1.org/00/040123450000003338",
    "urn:epc:id:grai:4012345.66666.87": "https://id.gs1.org/8003/0401234566666387",
    "urn:epc:id:giai:4012345.AAbb": "https://id.gs1.org/8004/4012345AAbb",
    "urn:epc:id:gsrn:4012345.9876540000": "https://id.gs1.org/8018/401234598765400000",
    "urn:epc:id:gsrnp:4012345.0000098765": "https://id.gs1.org/8017/401234500000987658",
    "urn:epc:id:gdti:4012345.55555.98": "https://id.gs1.org/253/401234555555498",
    "urn:epc:id:cpi:4012345.ABC.123": "https://id.gs1.org/8010/4012345ABC/8011/123",
    "urn:epc:id:sgcn:4012345.99999.44": "https://id.gs1.org/255/401234599999044",
    "urn:epc:id:ginc:4012345.333": "https://id.gs1.org/401/4012345333",
    "urn:epc:id:gsin:4012345.999987654": "https://id.gs1.org/402/40123459999876541",
    "urn:epc:id:itip:4012345.012345.01.02.999": "https://id.gs1.org/8006/040123451234560102/21/999",
    "urn:epc:id:upui:4012345.012345.AB12": "https://id.gs1.org/01/04012345123456/235/AB12",
    "urn:epc:id:pgln:4012345.00000": "https://id.gs1.org/417/4012345000009",
    "urn:epc:id:sgln:4012345.00011.987": "https://id.gs1.org/414/4012345000115/254/987",
    "urn:epc:id:sgln:4012345.00005.0": "https://id.gs1.org/414/4012345000054",
    "urn:epc:class:lgtin:4054739.099914.20160711": "https://id.gs1.org/01/04054739999148/10/20160711",
    "urn:epc:idpat:sgtin:4054739.099914.*": "https://id.gs1.org/01/04054739999148",
    "urn:epc:idpat:grai:4012345.66666.*": "https://id.gs1.org/8003/04012345666663",
    "urn:epc:idpat:gdti:4012345.55555.*": "https://id.gs1.org/253/4012345555554",
    "urn:epc:idpat:sgcn:4012345.99999.*": "https://id.gs1.org/255/4012345999990",
    "urn:epc:idpat:cpi:4012345.ABC.*": "https://id.gs1.org/8010/4012345ABC",
    "urn:epc:idpat:itip:4012345.012345.01.02.*": "https://id.gs1.org/8006/040123451234560102",
    "urn:epc:id:sgtin:0614141.107346.2017": "https://id.gs1.org/01/10614141073464/21/2017",
}


@pytest.mark.parametrize("uri", [uri for uri, *_ in KEYS])
def test_epc_uri_and_digital_link_convert_both_ways(uri):
    link = digital_link.epc_uri_to_digital_link(uri)
    assert link == CANONICAL[uri]
    assert digital_link.canonical_identifier(uri) == link
    assert digital_link.canonical_identifier(link) == link
    length = epc_uri.parse_epc_uri(uri).company_prefix_length
    assert digital_link.digital_link_to_epc_uri(link, company_prefix_length=length) == uri


@pytest.mark.parametrize(
    ("uri", "canonical"),
    [
        # custom domains, short names, query strings and the finest level of identification
        (
            "https://id.gs1.de/01/04012345999990/21/XYZ-1234",
            "https://id.gs1.org/01/04012345999990/21/XYZ-1234",
        ),
        (
            "https://example.com/shop/gtin/9521234543213/ser/12345?linkType=all",
            "https://id.gs1.org/01/09521234543213/21/12345",
        ),
        (
            "https://id.gs1.org/01/09521234543213/22/2A/10/ABC/21/x#frag",
            "https://id.gs1.org/01/09521234543213/21/x",
        ),
        (
            "https://id.gs1.org/01/09521234543213/10/ABC1/",
            "https://id.gs1.org/01/09521234543213/10/ABC1",
        ),
        ("http://id.gs1.org/01/96385074", "https://id.gs1.org/01/00000096385074"),
        (
            "https://id.gs1.org/01/614141000036/235/TPX%2F1",
            "https://id.gs1.org/01/00614141000036/235/TPX%2F1",
        ),
        ("https://example.org/8004/401234599999", "https://id.gs1.org/8004/401234599999"),
        (
            "https://id.gs1.org/8006/040123451234560102/22/V1/21/9",
            "https://id.gs1.org/8006/040123451234560102/21/9",
        ),
        (
            "https://id.gs1.org/01/09521234543213/21/a%21b",
            "https://id.gs1.org/01/09521234543213/21/a%21b",
        ),
    ],
)
def test_canonical_identifier_of_digital_links(uri, canonical):
    assert digital_link.canonical_identifier(uri) == canonical


def test_format_digital_link_uses_the_given_domain():
    identifier = digital_link.parse_identifier("urn:epc:id:sgtin:0614141.107346.2017")
    assert digital_link.format_digital_link(identifier, domain="https://example.com") == (
        "https://example.com/01/10614141073464/21/2017"
    )
    assert digital_link.epc_uri_to_digital_link(
        "urn:epc:id:sscc:0614141.1234567890", domain="https://example.com"
    ) == ("https://example.com/00/106141412345678908")


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("https://example.com/products/42", "no GS1 primary key"),
        ("ftp://id.gs1.org/01/09521234543213", "no GS1 primary key"),
        ("https://id.gs1.org/01/09521234543214", "check digit expected 3, got 4"),
        ("https://id.gs1.org/01/09521234543213/21", "an AI without a value"),
        ("https://id.gs1.org/01/09521234543213/21//10/1", r"AI \(21\) is empty"),
        ("https://id.gs1.org/01/09521234543213/21/1/10/A", r"AI \(10\) out of place"),
        ("https://id.gs1.org/01/09521234543213/254/1", r"AI \(254\) out of place"),
        ("https://id.gs1.org/01/09521234543213/235/1/21/2", r"AI \(21\) out of place"),
        ("https://id.gs1.org/01/09521234543213/21/a%2", "bad percent-encoding"),
        ("https://id.gs1.org/00/12345", "invalid SSCC '12345'"),
        ("https://id.gs1.org/8010/4012345ABC/8011/12A", "invalid CPI qualifier '12A'"),
    ],
)
def test_parse_digital_link_gives_the_reason(uri, message):
    with pytest.raises(InvalidDocument, match=message) as info:
        digital_link.parse_digital_link(uri)
    assert info.value.code == "invalid_document"


def test_canonical_identifier_or_none_leaves_other_values_alone():
    assert digital_link.canonical_identifier_or_none("geo:50.9,6.9") is None
    assert digital_link.canonical_identifier_or_none("https://example.com/po/12") is None
    assert digital_link.canonical_identifier_or_none("https://id.gs1.org/01/1") is None
    assert digital_link.canonical_identifier_or_none("urn:epc:id:sgtin:1.2.3") is None
    assert digital_link.is_digital_link("https://example.com/a/01/x")
    assert not digital_link.is_digital_link("https://example.com/")


def test_digital_link_to_epc_uri_rejects_a_prefix_length_that_does_not_fit():
    with pytest.raises(InvalidDocument, match="length 13: expected 6 to 12") as info:
        digital_link.digital_link_to_epc_uri(
            "https://id.gs1.org/00/106141412345678908", company_prefix_length=13
        )
    assert info.value.code == "invalid_document"


@given(
    st.text(alphabet="0123456789", min_size=13, max_size=13),
    st.integers(min_value=6, max_value=12),
    st.text(alphabet="ABCxyz0189-._!'()*+,:;=%&/<>?\"", min_size=1, max_size=20),
)
def test_epc_uri_digital_link_round_trip_keeps_the_identifier(body, length, serial):
    gtin = body + str(gs1_check_digit(body))
    identifier = Gs1Identifier(EpcScheme.SGTIN, gtin, serial, length)
    uri = epc_uri.format_epc_uri(identifier)
    link = digital_link.epc_uri_to_digital_link(uri)
    assert digital_link.parse_digital_link(link) == Gs1Identifier(EpcScheme.SGTIN, gtin, serial)
    assert digital_link.digital_link_to_epc_uri(link, company_prefix_length=length) == uri
    assert digital_link.canonical_identifier(uri) == digital_link.canonical_identifier(link)

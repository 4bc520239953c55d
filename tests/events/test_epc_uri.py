import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradetrace.errors import InvalidDocument
from tradetrace.events import epc_uri
from tradetrace.events.identifiers import EpcScheme, Gs1Identifier, gs1_check_digit

# Every EPC URI of the published CBV hash vector epcisDocWithAllGS1Keys, with the GS1 key it
# names there (its pre-hash string gives the Digital Link of each).
KEYS = [
    ("urn:epc:id:sgtin:4012345.012345.12", EpcScheme.SGTIN, "04012345123456", "12"),
    ("urn:epc:id:sscc:4012345.0000000333", EpcScheme.SSCC, "040123450000003338", None),
    ("urn:epc:id:grai:4012345.66666.87", EpcScheme.GRAI, "04012345666663", "87"),
    ("urn:epc:id:giai:4012345.AAbb", EpcScheme.GIAI, "4012345AAbb", None),
    ("urn:epc:id:gsrn:4012345.9876540000", EpcScheme.GSRN, "401234598765400000", None),
    ("urn:epc:id:gsrnp:4012345.0000098765", EpcScheme.GSRNP, "401234500000987658", None),
    ("urn:epc:id:gdti:4012345.55555.98", EpcScheme.GDTI, "4012345555554", "98"),
    ("urn:epc:id:cpi:4012345.ABC.123", EpcScheme.CPI, "4012345ABC", "123"),
    ("urn:epc:id:sgcn:4012345.99999.44", EpcScheme.SGCN, "4012345999990", "44"),
    ("urn:epc:id:ginc:4012345.333", EpcScheme.GINC, "4012345333", None),
    ("urn:epc:id:gsin:4012345.999987654", EpcScheme.GSIN, "40123459999876541", None),
    ("urn:epc:id:itip:4012345.012345.01.02.999", EpcScheme.ITIP, "040123451234560102", "999"),
    ("urn:epc:id:upui:4012345.012345.AB12", EpcScheme.UPUI, "04012345123456", "AB12"),
    ("urn:epc:id:pgln:4012345.00000", EpcScheme.PGLN, "4012345000009", None),
    ("urn:epc:id:sgln:4012345.00011.987", EpcScheme.SGLN, "4012345000115", "987"),
    ("urn:epc:id:sgln:4012345.00005.0", EpcScheme.SGLN, "4012345000054", None),
    ("urn:epc:class:lgtin:4054739.099914.20160711", EpcScheme.LGTIN, "04054739999148", "20160711"),
    ("urn:epc:idpat:sgtin:4054739.099914.*", EpcScheme.SGTIN, "04054739999148", None),
    ("urn:epc:idpat:grai:4012345.66666.*", EpcScheme.GRAI, "04012345666663", None),
    ("urn:epc:idpat:gdti:4012345.55555.*", EpcScheme.GDTI, "4012345555554", None),
    ("urn:epc:idpat:sgcn:4012345.99999.*", EpcScheme.SGCN, "4012345999990", None),
    ("urn:epc:idpat:cpi:4012345.ABC.*", EpcScheme.CPI, "4012345ABC", None),
    ("urn:epc:idpat:itip:4012345.012345.01.02.*", EpcScheme.ITIP, "040123451234560102", None),
    ("urn:epc:id:sgtin:0614141.107346.2017", EpcScheme.SGTIN, "10614141073464", "2017"),
]


@pytest.mark.parametrize(("uri", "scheme", "key", "qualifier"), KEYS)
def test_parse_epc_uri_reads_each_scheme_and_formats_it_back(uri, scheme, key, qualifier):
    identifier = epc_uri.parse_epc_uri(uri)
    assert (identifier.scheme, identifier.key, identifier.qualifier) == (scheme, key, qualifier)
    assert identifier.company_prefix_length == len(uri.split(":")[4].split(".")[0])
    assert epc_uri.format_epc_uri(identifier) == uri


def test_parse_epc_uri_unescapes_and_format_escapes_serials():
    identifier = epc_uri.parse_epc_uri("urn:epc:id:sgtin:0614141.107346.a%2Fb%22c%25")
    assert identifier.qualifier == 'a/b"c%'
    assert epc_uri.format_epc_uri(identifier) == "urn:epc:id:sgtin:0614141.107346.a%2Fb%22c%25"
    cpi = epc_uri.parse_epc_uri("urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345")
    assert cpi.key == "06141415PQ7/Z43"
    assert epc_uri.format_epc_uri(cpi) == "urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345"


def test_parse_epc_uri_reads_a_upui_pattern_as_the_gtin_class():
    identifier = epc_uri.parse_epc_uri("urn:epc:idpat:upui:4012345.012345.*")
    assert (identifier.scheme, identifier.qualifier) == (EpcScheme.SGTIN, None)


def test_parse_epc_uri_accepts_an_empty_reference_with_a_12_digit_prefix():
    identifier = epc_uri.parse_epc_uri("urn:epc:id:pgln:401234500000.")
    assert identifier.key == "4012345000009"
    assert epc_uri.format_epc_uri(identifier) == "urn:epc:id:pgln:401234500000."


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("urn:uuid:123", "not an EPC URI"),
        ("urn:epc:foo:sgtin:0614141.107346.1", "not an EPC URI"),
        ("urn:epc:id:usdod:CAGE1.5678", "unsupported EPC scheme 'usdod'"),
        ("urn:epc:class:sgtin:0614141.107346.1", "unsupported EPC scheme 'sgtin'"),
        ("urn:epc:id:sgtin:0614141.107346", "expected 3 dot-separated parts"),
        ("urn:epc:id:sgtin:06141.1073460.1", "company prefix must be 6 to 12 digits"),
        ("urn:epc:id:sgtin:0614141.10734.1", "must be 13 digits"),
        ("urn:epc:id:sgtin:0614141.10734x.1", "must be 13 digits"),
        ("urn:epc:id:sgtin:0614141.107346.a/b", "bad characters in 'a/b'"),
        ("urn:epc:id:sgtin:0614141.107346.a%2", "bad characters"),
        ("urn:epc:idpat:sgtin:0614141.107346.1", "expected '\\*' at the end"),
        ("urn:epc:id:itip:4012345.012345.1.02.999", "piece and total are 2 digits"),
        ("urn:epc:id:cpi:4012345.abc.1", "bad characters in 'abc'"),
        ("urn:epc:id:giai:4012345.", "bad characters in ''"),
        ("urn:epc:id:sgtin:0614141.107346.%20", "invalid SGTIN qualifier ' '"),
    ],
)
def test_parse_epc_uri_gives_the_reason(uri, message):
    with pytest.raises(InvalidDocument, match=message) as info:
        epc_uri.parse_epc_uri(uri)
    assert info.value.code == "invalid_document"


def test_format_epc_uri_needs_a_company_prefix_length():
    identifier = Gs1Identifier(EpcScheme.SSCC, "106141412345678908")
    with pytest.raises(InvalidDocument, match="prefix length unknown for SSCC") as info:
        epc_uri.format_epc_uri(identifier)
    assert info.value.code == "invalid_document"
    assert epc_uri.format_epc_uri(identifier, company_prefix_length=7) == (
        "urn:epc:id:sscc:0614141.1234567890"
    )


@pytest.mark.parametrize(
    ("identifier", "length", "message"),
    [
        (Gs1Identifier(EpcScheme.SSCC, "106141412345678908"), 13, "length 13: expected 6 to 12"),
        (Gs1Identifier(EpcScheme.GIAI, "4012345"), 7, "length 7 does not fit GIAI"),
        (Gs1Identifier(EpcScheme.GINC, "40123A5333"), 7, "length 7 does not fit GINC"),
    ],
)
def test_format_epc_uri_rejects_prefix_lengths_that_do_not_fit(identifier, length, message):
    with pytest.raises(InvalidDocument, match=message) as info:
        epc_uri.format_epc_uri(identifier, company_prefix_length=length)
    assert info.value.code == "invalid_document"


def test_format_epc_uri_writes_a_gln_without_extension_as_zero_and_a_lot_as_a_class():
    gln = Gs1Identifier(EpcScheme.SGLN, "4012345000115")
    assert epc_uri.format_epc_uri(gln, company_prefix_length=7) == "urn:epc:id:sgln:4012345.00011.0"
    lot = Gs1Identifier(EpcScheme.LGTIN, "04012345123456", "L/1")
    assert epc_uri.format_epc_uri(lot, company_prefix_length=9) == (
        "urn:epc:class:lgtin:401234512.0345.L%2F1"
    )


SERIAL = st.text(alphabet="ABCXYZabcxyz0189-._!'()*+,:;=%&/<>?\"", min_size=1, max_size=20)


@given(
    st.text(alphabet="0123456789", min_size=13, max_size=13),
    st.integers(min_value=6, max_value=12),
    SERIAL,
)
def test_sgtin_epc_uri_round_trips(body, length, serial):
    gtin = body + str(gs1_check_digit(body))
    identifier = Gs1Identifier(EpcScheme.SGTIN, gtin, serial, length)
    uri = epc_uri.format_epc_uri(identifier)
    assert epc_uri.parse_epc_uri(uri) == identifier

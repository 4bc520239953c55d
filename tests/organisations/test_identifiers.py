import pytest

from tradetrace.organisations import IdentifierScheme, validate_identifier


@pytest.mark.parametrize(
    ("scheme", "value"),
    [
        (IdentifierScheme.LEI, "5493001KJTIIGC8Y1R12"),  # ISO 17442 example (Bloomberg)
        (IdentifierScheme.GLN, "0614141000012"),
        (IdentifierScheme.EORI, "DE4711081512345"),
        (IdentifierScheme.CBP_IMPORTER, "36-4123456"),
        (IdentifierScheme.CBP_IMPORTER, "36-412345601"),
        (IdentifierScheme.CBP_IMPORTER, "200115-12345"),
        (IdentifierScheme.MID, "XOHAMSTE1330HAM"),
    ],
)
def test_validate_identifier_accepts_well_formed(scheme, value):
    assert validate_identifier(scheme, value) is None


@pytest.mark.parametrize(
    ("scheme", "value", "reason"),
    [
        (IdentifierScheme.LEI, "5493001KJTIIGC8Y1R13", "check digits do not match"),
        (IdentifierScheme.LEI, "SHORT", "expected 20 characters"),
        (IdentifierScheme.GLN, "0614141000013", "GS1 check digit"),
        (IdentifierScheme.EORI, "de123", "country code"),
        (IdentifierScheme.CBP_IMPORTER, "364123456", "IRS number"),
        (IdentifierScheme.MID, "X", "country code"),
    ],
)
def test_validate_identifier_names_the_reason(scheme, value, reason):
    message = validate_identifier(scheme, value)
    assert message is not None and reason in message

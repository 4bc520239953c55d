from datetime import UTC, datetime, timedelta

import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.trust import Accreditation, NewAccreditation, decide_trust, roles_for

T0 = datetime(2026, 1, 1, tzinfo=UTC)
MILL = "did:web:tradetrace.example:orgs:hamilton-steelworks"
CBP = "did:web:cbp.example"


def _accreditation(**overrides):
    values = {
        "did": MILL,
        "roles": ["steel_mill"],
        "accredited_by": CBP,
        "valid_from": T0,
        "valid_until": T0 + timedelta(days=365),
    }
    new = NewAccreditation.parse(**{**values, **overrides})
    return Accreditation(**{name: getattr(new, name) for name in new.__dataclass_fields__}, id=1)


def _decide(accreditations, types=("VerifiableCredential", "MillTestReportCredential"), at=None):
    return decide_trust(
        accreditations, issuer=MILL, credential_types=list(types), at=at or T0 + timedelta(days=10)
    )


def test_steel_mill_is_trusted_for_mill_test_reports():
    decision = _decide([_accreditation()])
    assert decision.trusted
    assert decision.code == "issuer_accredited"
    assert CBP in decision.message


def test_unknown_issuer_is_not_accredited():
    decision = _decide([_accreditation(did="did:web:other.example")])
    assert (decision.trusted, decision.code) == (False, "issuer_not_accredited")


@pytest.mark.parametrize("days", [-1, 365, 400])
def test_accreditation_outside_its_dates_does_not_count(days):
    decision = _decide([_accreditation()], at=T0 + timedelta(days=days))
    assert (decision.trusted, decision.code) == (False, "accreditation_not_current")


def test_wrong_role_is_wrong_scope():
    decision = _decide(
        [_accreditation()], types=["VerifiableCredential", "USMCACertificationOfOrigin"]
    )
    assert (decision.trusted, decision.code) == (False, "accreditation_wrong_scope")
    assert "certifier" in decision.message


def test_explicit_credential_type_grants_trust_without_role():
    accreditation = _accreditation(roles=[], credential_types=["CommercialInvoiceCredential"])
    decision = _decide(
        [accreditation], types=["VerifiableCredential", "CommercialInvoiceCredential"]
    )
    assert decision.trusted


def test_open_ended_accreditation_stays_current():
    assert _decide([_accreditation(valid_until=None)], at=T0 + timedelta(days=5000)).trusted


def test_roles_for_unions_the_policies():
    assert {role.value for role in roles_for(["MillTestReportCredential"])} == {
        "steel_mill",
        "laboratory",
    }
    assert roles_for(["SomethingElse"]) == frozenset()


def test_parse_lists_every_problem():
    with pytest.raises(InvalidDocument, match="invalid accreditation") as caught:
        NewAccreditation.parse(
            did="mill",
            roles=["wizard"],
            credential_types=["bad type"],
            accredited_by="cbp",
            valid_from=datetime(2026, 1, 1),
            valid_until=T0 - timedelta(days=1),
        )
    assert caught.value.code == "invalid_document"
    assert [p.field for p in caught.value.problems] == [
        "did",
        "accredited_by",
        "roles[0]",
        "credential_types[0]",
        "valid_from",
    ]


def test_parse_requires_a_scope_and_order():
    with pytest.raises(InvalidDocument, match="name at least one role"):
        NewAccreditation.parse(did=MILL, roles=[], accredited_by=CBP, valid_from=T0)
    with pytest.raises(InvalidDocument, match="must be after valid_from"):
        NewAccreditation.parse(
            did=MILL, roles=["steel_mill"], accredited_by=CBP, valid_from=T0, valid_until=T0
        )

from sqlalchemy import delete

from tests.conftest import FIXED_NOW
from tradetrace.organisations.identifiers import IdentifierScheme
from tradetrace.storage.tables import OrganisationIdentifierRow
from tradetrace.workflows import demo, organisations


def test_load_demo_is_idempotent(session, settings):
    first = demo.load_demo(session, settings, now=FIXED_NOW)
    assert first.organisations_created == len(demo.DEMO_ORGANISATIONS)
    second = demo.load_demo(session, settings, now=FIXED_NOW)
    assert second.organisations_created == 0
    assert second.organisations_present == len(demo.DEMO_ORGANISATIONS)


def test_demo_covers_every_domain_party(session, settings):
    demo.load_demo(session, settings, now=FIXED_NOW)
    roles = {role.value for org in organisations.list_organisations(session) for role in org.roles}
    assert {
        "steel_mill",
        "pipeline_operator",
        "ecommerce_platform",
        "grower",
        "rights_holder",
        "licensee",
        "certifier",
        "customs_authority",
        "importer",
    } <= roles


def _drop_identifier(session, slug, scheme):
    """What a demo database made before the identifier was added to the demo looks like."""
    organisation = organisations.get_organisation(session, slug)
    session.execute(
        delete(OrganisationIdentifierRow).where(
            OrganisationIdentifierRow.organisation_id == organisation.id,
            OrganisationIdentifierRow.scheme == scheme,
        )
    )
    session.commit()


def test_load_demo_adds_identifiers_an_older_demo_lacks(session, settings):
    demo.load_demo(session, settings, now=FIXED_NOW)
    _drop_identifier(session, "gulf-refining", "gln")
    _drop_identifier(session, "san-quintin-growers", "mid")
    again = demo.load_demo(session, settings, now=FIXED_NOW)
    session.commit()
    assert again.organisations_created == 0
    assert again.identifiers_added == 2
    refinery = organisations.get_organisation(session, "gulf-refining")
    assert refinery.identifier(IdentifierScheme.GLN) == "0614141000043"
    assert refinery.identifier(IdentifierScheme.CBP_IMPORTER) == "74-2156789"
    grower = organisations.get_organisation(session, "san-quintin-growers")
    assert grower.identifier(IdentifierScheme.MID) == "MXAGRSAN190SAN"
    assert demo.load_demo(session, settings, now=FIXED_NOW).identifiers_added == 0


def test_load_demo_leaves_an_identifier_another_organisation_now_holds(session, settings):
    demo.load_demo(session, settings, now=FIXED_NOW)
    _drop_identifier(session, "gulf-refining", "gln")
    organisations.create_organisation(
        session,
        slug="squatter",
        name="Squatter Inc.",
        country="US",
        identifiers={"gln": "0614141000043"},
        now=FIXED_NOW,
    )
    again = demo.load_demo(session, settings, now=FIXED_NOW)
    session.commit()
    assert again.identifiers_added == 0
    refinery = organisations.get_organisation(session, "gulf-refining")
    assert refinery.identifier(IdentifierScheme.GLN) is None
    assert refinery.identifier(IdentifierScheme.CBP_IMPORTER) == "74-2156789"

from tests.conftest import FIXED_NOW
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

from tests.conftest import FIXED_NOW
from tradetrace.web import NAVIGATION
from tradetrace.workflows import demo


def test_overview_renders_with_navigation(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    for item in NAVIGATION:
        assert f'href="{item.path}"' in response.text
    assert 'aria-current="page">Overview' in response.text


def test_overview_and_list_show_demo_parties(client, session, settings):
    demo.load_demo(session, settings, now=FIXED_NOW)
    overview = client.get("/").text
    assert f'<p class="figure">{len(demo.DEMO_ORGANISATIONS)}</p>' in overview
    listing = client.get("/organisations").text
    assert "Hamilton Steelworks Ltd." in listing
    assert "Ruhrstahl Hütte GmbH" in listing


def test_organisation_page_shows_identifiers(client, session, settings):
    demo.load_demo(session, settings, now=FIXED_NOW)
    page = client.get("/organisations/hamilton-steelworks")
    assert page.status_code == 200
    assert "<code>0754000000019</code>" in page.text
    assert "did:web:localhost%3A8000:orgs:hamilton-steelworks" in page.text
    assert 'href="/orgs/hamilton-steelworks/did.json"' in page.text


def test_empty_list_tells_how_to_load_the_demo(client):
    assert "tradetrace demo" in client.get("/organisations").text


def test_static_stylesheet_is_served(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert "--accent" in response.text

import pytest

from tradetrace import errors
from tradetrace.delivery import default_token_endpoint, traceability_endpoint
from tradetrace.did import DidDocument

DID = "did:web:customs.example"


def _document(*services):
    return DidDocument.from_dict({"id": DID, "service": list(services)})


def test_traceability_endpoint_is_the_first_traceability_service():
    document = _document(
        {"id": f"{DID}#other", "type": "LinkedDomains", "serviceEndpoint": "https://x.example"},
        {
            "id": f"{DID}#api",
            "type": ["TraceabilityAPI"],
            "serviceEndpoint": "https://customs.example/interop/",
        },
        {"id": f"{DID}#api2", "type": "TraceabilityAPI", "serviceEndpoint": "https://b.example"},
    )
    assert traceability_endpoint(document) == "https://customs.example/interop"


@pytest.mark.parametrize(
    ("service", "match"),
    [
        (None, "lists no TraceabilityAPI service"),
        ({"type": "TraceabilityAPI", "serviceEndpoint": {"uri": "https://a"}}, "no URL endpoint"),
        ({"type": "TraceabilityAPI", "serviceEndpoint": "ftp://a.example"}, "not a plain http"),
        ({"type": "TraceabilityAPI", "serviceEndpoint": "https://u:p@a.example"}, "not a plain"),
        ({"type": "TraceabilityAPI", "serviceEndpoint": "https://a.example/?x=1"}, "query"),
    ],
)
def test_traceability_endpoint_fails_closed(service, match):
    services = [] if service is None else [{"id": f"{DID}#api", **service}]
    with pytest.raises(errors.ResolutionError, match=match) as info:
        traceability_endpoint(_document(*services))
    assert info.value.code == "did_resolution_failed"


def test_default_token_endpoint_is_oauth_token_at_the_origin():
    assert default_token_endpoint("http://localhost:8001/interop") == (
        "http://localhost:8001/oauth/token"
    )
    with pytest.raises(errors.ResolutionError, match="not a plain http") as info:
        default_token_endpoint("customs.example/interop")
    assert info.value.code == "did_resolution_failed"

from datetime import UTC, datetime

import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.events import query
from tradetrace.events.ingest import Role


def test_parse_common_parameters():
    parsed = query.parse_query(
        {
            "eventType": ["ObjectEvent,AggregationEvent"],
            "GE_eventTime": ["2026-01-01T00:00:00+01:00"],
            "EQ_bizStep": ["urn:epcglobal:cbv:bizstep:shipping"],
            "MATCH_epc": ["urn:epc:id:sgtin:0614141.107346.2017"],
            "MATCH_epcClass": ["urn:epc:idpat:sgtin:0614141.107346.*"],
            "EQ_bizLocation": ["urn:epc:id:sgln:0614141.07346.1234"],
            "perPage": ["10"],
        }
    )
    assert parsed.event_types == ("ObjectEvent", "AggregationEvent")
    assert parsed.times["GE_eventTime"] == datetime(2025, 12, 31, 23, tzinfo=UTC)
    assert parsed.biz_steps == ("shipping",)
    epc, epc_class = parsed.matches
    assert epc.exact == ("https://id.gs1.org/01/10614141073464/21/2017",)
    assert epc.roles == (Role.EPC, Role.CHILD, Role.INPUT, Role.OUTPUT)
    assert epc_class.exact == ("https://id.gs1.org/01/10614141073464",)
    assert epc_class.prefixes == ("https://id.gs1.org/01/10614141073464/10/",)
    assert parsed.biz_locations == ("https://id.gs1.org/414/0614141073467/254/1234",)
    assert parsed.per_page == 10


def test_page_tokens_belong_to_their_query():
    first = query.parse_query({"eventType": ["ObjectEvent"]})
    token = query.page_token(41, first.fingerprint)
    assert query.parse_query({"eventType": ["ObjectEvent"], "nextPageToken": [token]}).after == 41
    with pytest.raises(InvalidDocument, match="nextPageToken: not a token this query") as e:
        query.parse_query({"eventType": ["AggregationEvent"], "nextPageToken": [token]})
    assert e.value.code == "invalid_document"


def test_every_bad_parameter_is_named():
    with pytest.raises(InvalidDocument, match="invalid EPCIS query") as e:
        query.parse_query(
            {
                "eventType": ["Shipment"],
                "EQ_action": ["MOVE"],
                "LT_recordTime": ["tomorrow"],
                "MATCH_epc": ["urn:epc:id:sgtin:0614141.107346.2017x%"],
                "perPage": ["0"],
                "colour": ["red"],
            }
        )
    assert e.value.code == "invalid_document"
    fields = [problem.field for problem in e.value.problems]
    assert set(fields) == {
        "eventType",
        "EQ_action",
        "LT_recordTime",
        "MATCH_epc",
        "perPage",
        "colour",
    }

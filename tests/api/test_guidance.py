"""The guidance entries over HTTP: public reads and search, operator edits linked to cases."""

from __future__ import annotations

from tests.api.desk import OPERATOR, Clock, desk_client, inquiry
from tests.conftest import FIXED_NOW

ENTRY = {
    "question": "How are disposable face masks classified?",
    "answer": "Subheading 6307.90 (ruling NY N311153).",
    "category": "classification_duty",
    "last_reviewed": "2020-04-20",
}


def test_operators_edit_and_everyone_reads_and_searches(settings, engine):
    with desk_client(settings, engine, Clock(FIXED_NOW)) as desk:
        number = desk.post("/api/cases", json=inquiry("classification-question")).json()["number"]
        saved = desk.put(
            "/api/guidance/face-masks", json={**ENTRY, "case_numbers": [number]}, headers=OPERATOR
        )
        assert saved.status_code == 200, saved.text
        assert saved.json()["updated_by"] == "officer-7"

        found = desk.get("/api/guidance", params={"q": "MASKS 6307"}).json()["items"]
        assert [item["slug"] for item in found] == ["face-masks"]
        assert found[0]["last_reviewed"] == "2020-04-20"
        assert desk.get("/api/guidance", params={"q": "ventilator"}).json()["items"] == []
        assert desk.get("/api/guidance/face-masks").json()["case_numbers"] == [number]
        case = desk.get(f"/api/cases/{number}", headers=OPERATOR).json()
        assert case["guidance"] == ["face-masks"]


def test_guidance_edits_need_an_operator_and_valid_fields(settings, engine):
    with desk_client(settings, engine, Clock(FIXED_NOW)) as desk:
        anonymous = desk.put("/api/guidance/face-masks", json=ENTRY)
        invalid = desk.put(
            "/api/guidance/Bad Slug",
            json={**ENTRY, "last_reviewed": "soon", "case_numbers": ["CRT-2020-000404"]},
            headers=OPERATOR,
        )
        missing = desk.get("/api/guidance/none")

    assert anonymous.status_code == 401
    assert invalid.status_code == 400
    assert {e["field"] for e in invalid.json()["errors"]} == {"slug", "last_reviewed"}
    assert missing.status_code == 404

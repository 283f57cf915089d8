"""The API over real HTTP: shapes, problem+json errors naming field and limit, limits, idempotency."""

from __future__ import annotations

from datetime import date, timedelta

from tests.servers import RunningApi

NOTES = """Career check-in with Lena.
- Lena wants to grow toward staff engineer over the next year.
- Lena will write the design doc for the payments retry service by next Friday.
- I'll introduce her to Tom from the platform team this week.
- Next check-in in 6 weeks.
"""
PARTICIPANTS = [{"name": "Daniel Kim", "role": "manager"}, {"name": "Lena Fischer", "role": "employee"}]


def summary_body(**overrides: object) -> dict:
    body = {"employee_id": "lena-fischer", "notes": NOTES, "meeting_date": "2026-03-02", "participants": PARTICIPANTS}
    body.update(overrides)
    return body


def test_health_ready_and_docs(api: RunningApi) -> None:
    with api.client() as c:
        assert c.get("/health").json() == {"status": "ok"}
        ready = c.get("/v1/ready")
        assert ready.status_code == 200 and ready.json()["status"] == "ready"
        assert c.get("/docs").status_code == 200
        paths = c.get("/openapi.json").json()["paths"]
        assert {"/v1/questions", "/v1/development-maps", "/v1/summaries", "/v1/roles/{role_id}/paths"} <= set(paths)


def test_token_required_as_problem_json(api: RunningApi) -> None:
    with api.client() as c:
        r = c.get("/v1/roles")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "Bearer" in r.json()["detail"]
    with api.client() as c:
        assert c.get("/v1/roles", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_questions_endpoint(api: RunningApi) -> None:
    body = {"name": "Priya", "role": "data-analyst", "aspiration": "move toward product management in about two years",
            "context": "last time we talked about her SQL dashboards", "count": 6}
    with api.client("manager") as c:
        r = c.post("/v1/questions", json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["source"] == "rules" and len(data["questions"]) == 6
    assert {"text", "stage", "purpose", "rationale", "sources", "followups"} <= set(data["questions"][0])


def test_validation_errors_name_field_and_limit(api: RunningApi) -> None:
    with api.client("manager") as c:
        r = c.post("/v1/questions", json={"role": "data-analyst", "count": 40})
        assert r.status_code == 422
        problem = r.json()
        assert problem["field"] == "count" and problem["errors"][0]["limit"] == {"le": 15}
        r = c.post("/v1/questions", json={"role": "qqqq zzzz xxxx"})
        assert r.status_code == 422 and r.json()["field"] == "role" and r.json()["details"]["closest"]
        r = c.post("/v1/questions", content=b"{not json", headers={"content-type": "application/json"})
        assert r.status_code == 422


def test_oversized_body_is_refused_before_work(api: RunningApi) -> None:
    with api.client("manager") as c:
        r = c.post("/v1/questions", json={"role": "data-analyst", "context": "x" * 300_000})
    assert r.status_code == 413 and r.json()["field"] == "body"


def test_knowledge_endpoints(api: RunningApi) -> None:
    with api.client("employee") as c:
        roles = c.get("/v1/roles", params={"track": "management"}).json()
        assert roles and all(r["track"] == "management" for r in roles)
        assert c.get("/v1/roles/data-analyst").json()["title"]
        assert c.get("/v1/roles/no-such-role").status_code == 404
        paths = c.get("/v1/roles/senior-data-analyst/paths", params={"interests": "customers", "limit": 4}).json()
        assert 1 <= len(paths["paths"]) <= 4
        assert c.get("/v1/competencies").json()
        assert c.get("/v1/competencies/not-a-competency").status_code == 422
        hits = c.get("/v1/search", params={"q": "mentoring", "kind": "resource", "top": 3}).json()
        assert len(hits) == 3 and all(h["kind"] == "resource" for h in hits)


def test_development_map_is_stored_for_the_employee(api: RunningApi) -> None:
    body = {"employee_id": "lena-fischer", "current_role": "senior-software-engineer",
            "aspiration": "I want to become a staff engineer", "horizon_months": 12, "start": "2026-01-05"}
    with api.client("manager") as c:
        r = c.post("/v1/development-maps", json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["id"] and data["target_role"]["id"] and data["gaps"] is not None
    assert all({"resource_id", "competency_id", "milestone", "due"} <= set(a) for a in data["actions"])


def test_summary_commitments_and_status_changes(api: RunningApi) -> None:
    with api.client("manager") as c:
        r = c.post("/v1/summaries", json=summary_body(), headers={"Idempotency-Key": "api-test-1"})
        assert r.status_code == 200, r.text
        summary = r.json()
        assert summary["note_id"] and summary["markdown"]
        owners = {x["owner"] for x in summary["commitments"]}
        assert owners <= {"Daniel Kim", "Lena Fischer", None}
        assert any(x["due"] == "2026-03-13" for x in summary["commitments"])
        again = c.post("/v1/summaries", json=summary_body(), headers={"Idempotency-Key": "api-test-1"}).json()
        assert again["note_id"] == summary["note_id"] and again["replayed"] is True
        assert sorted(again["commitment_ids"]) == sorted(summary["commitment_ids"])
        # A summary is a draft: nothing is tracked until its author confirms it.
        listed = c.get("/v1/employees/lena-fischer/commitments", params={"status": "open"}).json()["items"]
        assert not [x for x in listed if x["note_id"] == summary["note_id"]]
        assert c.post(f"/v1/notes/{summary['note_id']}/confirm").status_code == 200
        listed = c.get("/v1/employees/lena-fischer/commitments", params={"status": "open", "limit": 200}).json()
        mine = [x for x in listed["items"] if x["note_id"] == summary["note_id"]]
        assert len(mine) == len(summary["commitments"]) and all("overdue" in x for x in mine)
        patched = c.patch(f"/v1/commitments/{mine[0]['id']}", json={"status": "done", "comment": "shipped"})
        assert patched.status_code == 200 and patched.json()["status"] == "done"
        assert [e["to_status"] for e in patched.json()["history"]][-1] == "done"
        assert c.patch(f"/v1/commitments/{mine[0]['id']}", json={"status": "finished"}).status_code == 422


def test_summary_bad_input(api: RunningApi) -> None:
    future = (date.today() + timedelta(days=3)).isoformat()
    with api.client("manager") as c:
        cases = {
            "notes": summary_body(notes="   "),
            "meeting_date": summary_body(meeting_date=future),
            "participants": summary_body(participants=[PARTICIPANTS[0]]),
        }
        for field, body in cases.items():
            r = c.post("/v1/summaries", json=body)
            assert r.status_code == 422 and r.json()["field"] == field, (field, r.text)
        r = c.post("/v1/summaries", json=summary_body(notes="a\x00b"))
        assert r.status_code == 422 and r.json()["field"] == "notes", r.text
        r = c.post("/v1/summaries", json=summary_body(notes="word " * 5000))
        assert r.status_code == 413 and r.json()["field"] == "notes"


def test_summary_author_says_who_i_is(api: RunningApi) -> None:
    notes = "- I'll draft the onboarding guide by Friday"
    with api.client("manager") as c:
        owners = {}
        for author in ("manager", "employee"):
            r = c.post("/v1/summaries", json=summary_body(notes=notes, author=author))
            assert r.status_code == 200, r.text
            owners[author] = [x["owner"] for x in r.json()["commitments"]]
        assert owners == {"manager": ["Daniel Kim"], "employee": ["Lena Fischer"]}
        r = c.post("/v1/summaries", json=summary_body(author="intern"))
        assert r.status_code == 422 and "author" in r.text, r.text


def test_reindex_needs_admin(api: RunningApi) -> None:
    with api.client("manager") as c:
        assert c.post("/v1/knowledge/reindex").status_code == 403
    with api.client("admin") as c:
        r = c.post("/v1/knowledge/reindex")
    assert r.status_code == 200 and r.json()["added"] == 0

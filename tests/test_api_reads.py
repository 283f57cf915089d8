"""Read endpoints over real HTTP: stored notes and development maps, and the progress of a map's actions."""

from __future__ import annotations

from datetime import date

from tests.servers import RunningApi
from tests.test_api import summary_body

DENIED = "you may not access this employee's records"
MAP_BODY = {"employee_id": "lena-fischer", "current_role": "senior-software-engineer",
            "aspiration": "I want to become a staff engineer", "horizon_months": 12, "start": "2026-01-05"}


def test_notes_list_for_the_manager_and_the_employee(api: RunningApi, store) -> None:  # noqa: ANN001
    older, _ = store.save_note("lena-fischer", "daniel-kim", date(2025, 1, 6), "An older conversation, no summary.")
    with api.client("manager") as c:
        r = c.post("/v1/summaries", json=summary_body(meeting_date="2026-03-03"),
                   headers={"Idempotency-Key": "reads-notes-1"})
        assert r.status_code == 200, r.text
        summary = r.json()
        as_manager = c.get("/v1/employees/lena-fischer/notes")
    with api.client("employee") as c:
        as_employee = c.get("/v1/employees/lena-fischer/notes")
    assert as_manager.status_code == as_employee.status_code == 200, as_employee.text
    notes = as_employee.json()
    assert notes == as_manager.json()
    dates = [n["meeting_date"] for n in notes]
    assert dates == sorted(dates, reverse=True) and dates.index("2026-03-03") < dates.index("2025-01-06")
    new = next(n for n in notes if n["id"] == summary["note_id"])
    assert new["status"] == "summarized" and new["author_id"] == "daniel-kim" and new["confirmed"] is False
    assert new["excerpt"].startswith(summary["recap"][0]) and len(new["excerpt"]) <= 200
    assert new["commitments"] == {"proposed": len(summary["commitment_ids"]), "confirmed": 0, "rejected": 0}
    assert set(new) == {"id", "meeting_date", "author_id", "status", "created_at", "confirmed", "excerpt",
                        "commitments"}  # a list page never carries the full notes
    plain = next(n for n in notes if n["id"] == older.id)
    assert plain["excerpt"] == "An older conversation, no summary." and plain["status"] == "received"


def test_notes_list_is_forbidden_outside_the_reporting_line(api: RunningApi) -> None:
    with api.client("other_employee") as c:
        r = c.get("/v1/employees/lena-fischer/notes")
    assert r.status_code == 403 and r.json()["detail"] == DENIED
    with api.client() as c:
        assert c.get("/v1/employees/lena-fischer/notes").status_code == 401


def test_maps_list_and_view_with_progress_set_by_employee_and_manager(api: RunningApi) -> None:
    with api.client("manager") as c:
        created = c.post("/v1/development-maps", json=MAP_BODY).json()
    map_id, actions = created["id"], created["actions"]
    assert len(actions) >= 2
    with api.client("employee") as c:
        listed = c.get("/v1/employees/lena-fischer/development-maps").json()
        assert listed[0] == {"id": map_id, "created_at": listed[0]["created_at"], "created_by": "daniel-kim",
                             "target_role": created["target_role"]["title"], "horizon_months": 12,
                             "gaps": len(created["gaps"]), "actions": len(actions)}
        stamps = [m["created_at"] for m in listed]
        assert stamps == sorted(stamps, reverse=True)
        view = c.get(f"/v1/development-maps/{map_id}").json()
        assert view["id"] == map_id and view["employee_id"] == "lena-fischer" and view["actions"] == actions
        assert [p["status"] for p in view["progress"]] == ["not_started"] * len(actions)
        mine = c.put(f"/v1/development-maps/{map_id}/actions/1/progress", json={"status": "in_progress"})
        assert mine.status_code == 200, mine.text
        assert mine.json()["updated_by"] == "lena-fischer" and mine.json()["evidence"] is None
    with api.client("manager") as c:
        done = c.put(f"/v1/development-maps/{map_id}/actions/1/progress",
                     json={"status": "done", "evidence": "Design doc reviewed by the staff group"})
        assert done.status_code == 200, done.text
        view = c.get(f"/v1/development-maps/{map_id}").json()
    assert view["progress"][1]["status"] == "done" and view["progress"][1]["updated_by"] == "daniel-kim"
    assert view["progress"][1]["evidence"] == "Design doc reviewed by the staff group"
    assert view["progress"][0]["status"] == "not_started" and view["progress"][0]["updated_at"] is None


def test_maps_are_forbidden_outside_the_reporting_line_and_unknown_is_404(api: RunningApi) -> None:
    with api.client("manager") as c:
        map_id = c.post("/v1/development-maps", json=MAP_BODY).json()["id"]
    with api.client("other_employee") as c:
        for r in (c.get("/v1/employees/lena-fischer/development-maps"), c.get(f"/v1/development-maps/{map_id}"),
                  c.put(f"/v1/development-maps/{map_id}/actions/0/progress", json={"status": "done"})):
            assert r.status_code == 403 and r.json()["detail"] == DENIED
    with api.client("manager") as c:
        view = c.get(f"/v1/development-maps/{map_id}").json()
        assert all(p["status"] == "not_started" for p in view["progress"])  # the denied update wrote nothing
        for r in (c.get("/v1/development-maps/no-such-map"),
                  c.put("/v1/development-maps/no-such-map/actions/0/progress", json={"status": "done"})):
            assert r.status_code == 404 and r.json()["field"] == "map_id"


def test_bad_progress_input_is_422_naming_the_field(api: RunningApi) -> None:
    with api.client("manager") as c:
        created = c.post("/v1/development-maps", json=MAP_BODY).json()
        url = f"/v1/development-maps/{created['id']}/actions"
        last = len(created["actions"]) - 1
        cases = [
            (f"{url}/0/progress", {"status": "finished"}, "status", "not_started"),
            (f"{url}/0/progress", {"status": "done", "evidence": "x" * 2001}, "evidence", "2000"),
            (f"{url}/0/progress", {"status": "done", "note": "?"}, "note", "not permitted"),
            (f"{url}/0/progress", {}, "status", "required"),
            (f"{url}/{last + 1}/progress", {"status": "done"}, "action_index", f"0 to {last}"),
            (f"{url}/-1/progress", {"status": "done"}, "action_index", "0"),
            (f"{url}/0/progress", {"status": "done", "evidence": "a\x00b"}, "evidence", "control character"),
        ]
        for path, body, field, words in cases:
            r = c.put(path, json=body)
            assert r.status_code == 422, (body, r.text)
            assert r.json()["field"] == field and words in r.text, (body, r.text)
        view = c.get(f"/v1/development-maps/{created['id']}").json()
    assert all(p["status"] == "not_started" for p in view["progress"])  # nothing refused was written

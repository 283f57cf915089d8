"""Security and integrity findings of issue #13 over real HTTP, and summaries a manager corrects (issue #16 part 5)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from coach.followup.service import tracked_commitments
from coach.followup.summaries import Commitment
from tests.servers import RunningApi, loopback_client
from tests.test_api import NOTES, PARTICIPANTS, summary_body

JSON = {"content-type": "application/json"}


def _problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    return response.json()


# --- 1. malformed bodies -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method,path,who", [("POST", "/v1/summaries", "manager"), ("POST", "/v1/nowhere", None),
                                             ("PATCH", "/v1/commitments/x", "employee"), ("POST", "/health", None)])
def test_deep_nesting_and_lone_surrogates_are_400_on_any_path(api: RunningApi, method: str, path: str,
                                                               who: str | None) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    deep_with_surrogate = b'{"a":' + b"[" * 50_000 + b'"\\ud800"' + b"]" * 50_000 + b"}"
    lone = json.dumps({"notes": "ship it \ud800"}).encode()
    moderately_deep = b"[" * 40 + b"]" * 40  # parses, but deeper than the limit
    with api.client(who) as c:
        for body in (deep, deep_with_surrogate, lone, moderately_deep):
            problem = _problem(c.request(method, path, content=body, headers=JSON), 400)
            assert problem["status"] == 400 and problem["detail"]


def test_control_characters_in_any_text_field_are_422_naming_it(api: RunningApi) -> None:
    with api.client("manager") as c:
        nul_name = [{"name": "Daniel\x00Kim", "role": "manager"}, PARTICIPANTS[1]]
        assert _problem(c.post("/v1/summaries", json=summary_body(participants=nul_name)), 422)["field"] == \
            "participants.0.name"
        assert _problem(c.patch("/v1/commitments/x", json={"comment": "ok\x07"}), 422)["field"] == "comment"
        assert _problem(c.post("/v1/questions", json={"role": "data-analyst", "context": "a\x1bb"}), 422)["field"] == \
            "context"


@pytest.mark.parametrize("notes", ["\u200b\u200b\u200b", "\ufeff \u2060\n\t\u200d", " \u00a0 "])
def test_notes_empty_after_normalisation_are_422(api: RunningApi, notes: str) -> None:
    with api.client("manager") as c:
        problem = _problem(c.post("/v1/summaries", json=summary_body(notes=notes)), 422)
    assert problem["field"] == "notes" and "empty" in problem["detail"]


# --- 3. idempotency compares the whole request -----------------------------------------------------------------


def test_idempotency_replay_with_other_participants_is_refused(api: RunningApi) -> None:
    key = {"Idempotency-Key": "sec-replay-participants"}
    with api.client("manager") as c:
        assert c.post("/v1/summaries", json=summary_body(), headers=key).status_code == 200
        assert c.post("/v1/summaries", json=summary_body(), headers=key).json()["replayed"] is True
        others = [*PARTICIPANTS, {"name": "Tom Berg", "role": "other"}]
        problem = _problem(c.post("/v1/summaries", json=summary_body(participants=others), headers=key), 422)
    assert problem["field"] == "idempotency_key" and "Idempotency-Key" in problem["detail"]


# --- 5. commitments per summary deduplicated and capped -----------------------------------------------------------


def test_a_repeated_line_is_one_commitment(api: RunningApi) -> None:
    line = "- Lena will write the design doc for the payments retry service by next Friday.\n"
    notes = "Career check-in with Lena.\n" + line * ((20_000 - 30) // len(line))
    assert len(notes) <= 20_000 and notes.count("\n") > 200
    with api.client("manager") as c:
        r = c.post("/v1/summaries", json=summary_body(notes=notes))
    assert r.status_code == 200, r.text
    assert len(r.json()["commitments"]) == 1 and len(r.json()["commitment_ids"]) == 1


def test_commitments_are_capped() -> None:
    items = [Commitment(owner="Lena", action=f"Task {i}", due=None, due_phrase=None, evidence=f"Task {i}")
             for i in range(80)]
    kept = tracked_commitments(items + items, cap=50)
    assert [c.action for c in kept] == [f"Task {i}" for i in range(50)]


# --- 6. HTML in notes never reaches the drafts raw ------------------------------------------------------------


def test_html_in_notes_is_escaped_in_drafts_but_kept_in_json(api: RunningApi) -> None:
    notes = NOTES + "- Lena will publish the <script>alert('x')</script> <b>demo</b> page by next Friday.\n"
    with api.client("manager") as c:
        summary = c.post("/v1/summaries", json=summary_body(notes=notes)).json()
    for draft in (summary["markdown"], summary["email"]):
        assert "<script" not in draft and "<b>" not in draft
        assert "&lt;script&gt;" in draft
    assert any("<script>" in x["evidence"] for x in summary["commitments"])  # JSON keeps the user's text


# --- 2 and 11. drafts a person corrects; an employee never acts for the manager ------------------------------


def test_draft_edit_add_reject_confirm_round_trip(api: RunningApi) -> None:
    with api.client("manager") as c:
        summary = c.post("/v1/summaries", json=summary_body(notes=NOTES + "- Lena will pair with Mei weekly.\n")).json()
        note_id = summary["note_id"]
        view = c.get(f"/v1/notes/{note_id}").json()
        assert view["confirmed"] is False and view["note"]["text"].startswith("Career check-in")
        drafts = view["commitments"]
        assert drafts and all(x["review"] == "proposed" and x["created_by"] == "daniel-kim" for x in drafts)

        def tracked() -> list[dict]:
            items = c.get("/v1/employees/lena-fischer/commitments", params={"limit": 200}).json()["items"]
            return [x for x in items if x["note_id"] == note_id]

        assert tracked() == []  # a draft is not tracked
        first = next(x for x in drafts if x["owner"] == "Lena Fischer")
        wrong = next(x for x in drafts if x["id"] != first["id"])
        edit = {"owner": "Daniel Kim", "action": "Review the design doc", "due": "2026-03-20",
                "success_indicator": "Doc approved", "comment": "fixed the owner"}
        edited = c.patch(f"/v1/commitments/{first['id']}", json=edit)
        assert edited.status_code == 200, edited.text
        assert (edited.json()["owner"], edited.json()["due"], edited.json()["owner_role"]) == \
            ("Daniel Kim", "2026-03-20", "manager")
        changes = edited.json()["history"][-1]["changes"]
        assert changes["owner"] == [first["owner"], "Daniel Kim"] and changes["due"][1] == "2026-03-20"
        assert edited.json()["proposed"]["action"] == first["action"]  # what the engine proposed is kept
        assert _problem(c.patch(f"/v1/commitments/{first['id']}", json={"priority": "high"}), 422)["field"] == \
            "priority"
        assert _problem(c.patch(f"/v1/commitments/{first['id']}", json={"owner": "Somebody Else"}), 422)["field"] == \
            "owner"
        added = c.post(f"/v1/notes/{note_id}/commitments",
                       json={"owner": "Lena Fischer", "action": "Book the staff-engineer course", "due": "2026-04-01"})
        assert added.status_code == 201 and added.json()["review"] == "proposed" and added.json()["proposed"] is None
        rejected = c.post(f"/v1/commitments/{wrong['id']}/reject", json={"comment": "not agreed"})
        assert rejected.json()["review"] == "rejected"
        confirmed = c.post(f"/v1/notes/{note_id}/confirm")
        assert confirmed.status_code == 200 and confirmed.json()["confirmed"] is True
        ids = {x["id"] for x in tracked()}
        assert first["id"] in ids and added.json()["id"] in ids and wrong["id"] not in ids
        kept = next(x for x in c.get(f"/v1/notes/{note_id}").json()["commitments"] if x["id"] == first["id"])
        history = [e["changes"] for e in kept["history"]]
        assert history[0]["review"] == [None, "proposed"] and history[-1]["review"] == ["proposed", "confirmed"]
    with api.client("other_employee") as c:  # the same access rules as every personal record
        assert c.get(f"/v1/notes/{note_id}").status_code == 403
        assert c.post(f"/v1/notes/{note_id}/confirm").status_code == 403


def test_employee_cannot_commit_or_close_for_the_manager(api: RunningApi) -> None:
    notes = ("1:1 with Daniel.\n- Daniel commits to a 20% raise by next Friday.\n"
             "- I will finish the on-call runbook by next Friday.\n")
    with api.client("employee") as c:
        r = c.post("/v1/summaries", json=summary_body(notes=notes))
        assert r.status_code == 200, r.text
        note_id = r.json()["note_id"]
        view = c.post(f"/v1/notes/{note_id}/confirm").json()
        raise_ = next(x for x in view["commitments"] if x["owner"] == "Daniel Kim")
        assert raise_["created_by"] == "lena-fischer" and raise_["review"] == "proposed"  # still needs the manager
        assert _problem(c.post(f"/v1/commitments/{raise_['id']}/confirm", json={}), 403)["field"] == "commitment_id"
        assert _problem(c.patch(f"/v1/commitments/{raise_['id']}", json={"status": "done"}), 403)["field"] == "status"
        open_ids = {x["id"] for x in c.get("/v1/employees/lena-fischer/commitments").json()["items"]}
        assert raise_["id"] not in open_ids
    with api.client("manager") as c:
        confirmed = c.post(f"/v1/commitments/{raise_['id']}/confirm", json={})
        assert confirmed.status_code == 200 and confirmed.json()["review"] == "confirmed"
    with api.client("employee") as c:
        assert _problem(c.patch(f"/v1/commitments/{raise_['id']}", json={"status": "done"}), 403)["field"] == "status"
        assert c.post(f"/v1/commitments/{raise_['id']}/reject", json={}).status_code == 403
        assert raise_["id"] in {x["id"] for x in c.get("/v1/employees/lena-fischer/commitments").json()["items"]}
    with api.client("manager") as c:
        assert c.patch(f"/v1/commitments/{raise_['id']}", json={"status": "done"}).json()["status"] == "done"


# --- 10. cursor paging ---------------------------------------------------------------------------------------------


def test_cursor_paging_is_stable_under_inserts(api: RunningApi) -> None:
    def confirmed_summary(c: httpx.Client) -> None:
        note_id = c.post("/v1/summaries", json=summary_body(employee_id="tomas-silva", participants=[
            PARTICIPANTS[0], {"name": "Tomás Silva", "role": "employee"}],
            notes="Check-in.\n- Tomás will write the test plan by next Friday.\n"
                  "- Tomás will demo the search page by 2026-04-10.\n")).json()["note_id"]
        assert c.post(f"/v1/notes/{note_id}/confirm").status_code == 200

    with api.client("manager") as c:
        for _ in range(3):
            confirmed_summary(c)
        url = "/v1/employees/tomas-silva/commitments"
        before = c.get(url, params={"limit": 200}).json()["items"]
        seen, cursor, pages = [], None, 0
        while True:
            page = c.get(url, params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
            assert len(page["items"]) <= 2
            seen += [x["id"] for x in page["items"]]
            pages += 1
            if pages == 1:
                confirmed_summary(c)  # inserts while paging: no repeats, nothing of the first snapshot lost
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen)) and {x["id"] for x in before} <= set(seen)
        assert _problem(c.get(url, params={"limit": 0}), 422)["field"] == "limit"
        assert _problem(c.get(url, params={"limit": 201}), 422)["field"] == "limit"
        assert _problem(c.get(url, params={"cursor": "not-a-cursor"}), 422)["field"] == "cursor"


# --- 7. token expiry and last use --------------------------------------------------------------------------------


def test_expired_token_is_401_and_last_use_is_recorded(api: RunningApi, store) -> None:  # noqa: ANN001
    from sqlalchemy import update

    from coach.store.models import ApiToken

    token = store.create_token("manager", "daniel-kim", "expiring",
                               expires_at=datetime.now(timezone.utc) + timedelta(hours=1))
    with loopback_client(api.base_url, headers={"Authorization": f"Bearer {token}"}) as c:
        assert c.get("/v1/employees/lena-fischer/commitments").status_code == 200
        record = next(t for t in store.list_tokens() if t.label == "expiring")
        assert record.last_used_at is not None and record.expires_at is not None
        # The hour passes: the stored expiry moves to a second ago (a sleep would cost the suite seconds).
        with store._engine.begin() as conn:
            conn.execute(update(ApiToken).where(ApiToken.label == "expiring")
                         .values(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
        assert _problem(c.get("/v1/employees/lena-fischer/commitments"), 401)["status"] == 401

"""The web app over HTTP: sign-in links and sessions, cookie flags, CSRF on every form, access rules, error pages."""

from __future__ import annotations

import re
from contextlib import closing
from datetime import timedelta

import httpx
import pytest

from coach.questions import agenda
from coach.store.rhythm import list_reflections
from coach.store.web import create_signin_code, redeem_signin_code
from tests.servers import loopback_client

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _browser(api) -> httpx.Client:
    return loopback_client(api.base_url, timeout=120, follow_redirects=True)


def _signed_in(api, store, role: str = "manager", person: str | None = "daniel-kim") -> tuple[httpx.Client, str]:
    client = _browser(api)
    code = create_signin_code(store, role, person, valid_for=timedelta(minutes=5))
    page = client.get(f"/signin/link?code={code}")
    landing = client.post("/signin/link", data={"code": code, "csrf": CSRF.search(page.text).group(1)})
    assert landing.status_code == 200
    return client, CSRF.search(landing.text).group(1)


def test_pages_need_a_session_and_come_back_after_sign_in(api) -> None:
    with _browser(api) as client:
        first = client.get("/people/lena-fischer", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/signin?next=%2Fpeople%2Flena-fischer"
        form = client.get(first.headers["location"])
        done = client.post("/signin", data={"token": api.tokens["manager"], "csrf": CSRF.search(form.text).group(1),
                                            "next": "/people/lena-fischer"})
        assert done.url.path == "/people/lena-fischer"


def test_session_cookie_is_httponly_and_samesite(api, store) -> None:
    code = create_signin_code(store, "employee", "lena-fischer", valid_for=timedelta(minutes=5))
    with _browser(api) as client:
        page = client.get(f"/signin/link?code={code}")
        response = client.post("/signin/link", data={"code": code, "csrf": CSRF.search(page.text).group(1)},
                               follow_redirects=False)
        cookie = response.headers["set-cookie"].lower()
        assert "coach_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_a_sign_in_link_works_once_and_not_after_expiry(api, store) -> None:
    code = create_signin_code(store, "employee", "lena-fischer", valid_for=timedelta(minutes=5))
    assert redeem_signin_code(store, code) is not None
    assert redeem_signin_code(store, code) is None
    expired = create_signin_code(store, "employee", "lena-fischer", valid_for=timedelta(seconds=-1))
    with _browser(api) as client:
        page = client.get(f"/signin/link?code={expired}")
        refused = client.post("/signin/link", data={"code": expired, "csrf": CSRF.search(page.text).group(1)})
        assert refused.status_code == 401 and "already used or has expired" in refused.text


def test_a_wrong_token_is_refused_with_a_page(api) -> None:
    with _browser(api) as client:
        form = client.get("/signin")
        refused = client.post("/signin", data={"token": "nope", "csrf": CSRF.search(form.text).group(1)})
        assert refused.status_code == 401 and "unknown, revoked or expired" in refused.text


def test_sign_in_form_needs_its_own_csrf_token(api) -> None:
    with _browser(api) as client:
        refused = client.post("/signin", data={"token": api.tokens["manager"], "csrf": "guess"})
        assert refused.status_code == 403 and "This form has expired" in refused.text


def test_sign_out_ends_the_session(api, store) -> None:
    client, csrf = _signed_in(api, store)
    with closing(client):
        assert client.post("/signout", data={"csrf": csrf}).url.path == "/signin"
        assert client.get("/team", follow_redirects=False).status_code == 303


def test_next_never_leaves_the_site(api) -> None:
    with _browser(api) as client:
        form = client.get("/signin?next=//evil.example/x")
        assert 'name="next" value="/"' in form.text
        done = client.post("/signin", data={"token": api.tokens["manager"], "csrf": CSRF.search(form.text).group(1),
                                            "next": "https://evil.example/"}, follow_redirects=False)
        assert done.headers["location"] == "/"


@pytest.mark.parametrize("path, data", [
    ("/people/lena-fischer/notes", {"notes": "Lena will send the slides by Friday.", "meeting_date": "2026-11-30",
                                    "manager": "Daniel Kim", "employee": "Lena Fischer"}),
    ("/people/lena-fischer/prepare", {"role": "senior-software-engineer"}),
    ("/people/lena-fischer/map", {"role": "senior-software-engineer"}),
    ("/people/lena-fischer/feedback", {"text": "You are lazy.", "action": "give"}),
    ("/signout", {}),
])
def test_every_form_refuses_a_missing_or_forged_csrf_token(api, store, path: str, data: dict) -> None:
    client, _ = _signed_in(api, store)
    with closing(client):
        for forged in ({}, {"csrf": "forged"}):
            refused = client.post(path, data={**data, **forged})
            assert refused.status_code == 403 and "This form has expired" in refused.text
        assert client.get("/team").status_code == 200  # still signed in: nothing happened


def test_access_rules_are_the_apis(api, store) -> None:
    client, _ = _signed_in(api, store, "employee", "priya-raman")
    with closing(client):
        for path in ("/people/lena-fischer", "/people/lena-fischer/map", "/people/lena-fischer/paths",
                     "/people/lena-fischer/notes/new", "/people/priya-raman/prepare", "/team"):
            page = client.get(path)
            assert page.status_code == 403, path
            assert "Traceback" not in page.text and "<h1>Not yours to see</h1>" in page.text
        assert client.get("/people/priya-raman").status_code == 200
    manager, _ = _signed_in(api, store)  # daniel-kim manages lena-fischer, not priya-raman
    with closing(manager):
        assert manager.get("/people/lena-fischer").status_code == 200
        assert manager.get("/people/priya-raman").status_code == 403


def test_notes_with_an_error_come_back_with_the_text_and_the_reason(api, store) -> None:
    client, csrf = _signed_in(api, store)
    with closing(client):
        text = "Lena will send the slides by Friday. " * 1000  # over the 20,000-character limit
        page = client.post("/people/lena-fischer/notes", data={
            "csrf": csrf, "notes": text, "meeting_date": "2026-11-30", "manager": "Daniel Kim",
            "employee": "Lena Fischer", "author": "manager", "key": "too-long"})
        assert page.status_code == 413 and "20000" in page.text.replace(",", "")
        assert "Lena will send the slides by Friday." in page.text  # nothing typed is lost
        future = client.post("/people/lena-fischer/notes", data={
            "csrf": csrf, "notes": "Lena will send the slides.", "meeting_date": "2999-01-01",
            "manager": "Daniel Kim", "employee": "Lena Fischer", "author": "manager", "key": "future"})
        assert future.status_code == 422 and "meeting_date" in future.text


def test_the_same_form_sent_twice_files_the_notes_once(api, store) -> None:
    client, csrf = _signed_in(api, store)
    with closing(client):
        form = {"csrf": csrf, "notes": "Lena will book the architecture review by Friday.",
                "meeting_date": "2026-11-29", "manager": "Daniel Kim", "employee": "Lena Fischer",
                "author": "manager", "key": "double-click-1"}
        first, second = client.post("/people/lena-fischer/notes", data=form), \
            client.post("/people/lena-fischer/notes", data=form)
        assert first.url == second.url
        assert sum("architecture review" in (n.text or "") for n in store.list_notes("lena-fischer")) == 1


def test_unknown_pages_and_errors_are_pages(api) -> None:
    with _browser(api) as client:
        missing = client.get("/no/such/page")
        assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
        assert "There is no page at this address" in missing.text
        # The JSON API keeps answering in JSON.
        assert client.get("/v1/roles").headers["content-type"].startswith("application/problem+json")


def _question(stage: str, text: str) -> dict:
    return {"text": text, "stage": stage, "purpose": "", "rationale": "", "sources": ["q1"], "followups": []}


def test_agenda_swap_remove_and_add_keep_the_stage_order() -> None:
    payload = {"questions": [_question("reflect", "What went well?"), _question("commit", "What will you do next?")],
               "alternatives": [_question("reflect", "What surprised you?"), _question("commit", "Who can help?")]}
    swapped = agenda.swap(payload, 0, 0)
    assert swapped["questions"][0]["text"] == "What surprised you?"
    assert swapped["alternatives"][0]["text"] == "What went well?"  # swap back is possible
    with pytest.raises(Exception, match="alternative: must be of the same stage"):
        agenda.swap(payload, 0, 1)
    with pytest.raises(Exception, match="index: must be between 0 and 1"):
        agenda.remove(payload, 5)
    added = agenda.add_own(payload, "  What would   make this year a good one? ", "aspire")
    assert [q["stage"] for q in added["questions"]] == ["reflect", "aspire", "commit"]
    assert added["questions"][1]["text"] == "What would make this year a good one?"
    assert added["questions"][1]["check"] is None
    closed = agenda.add_own(payload, "Do you like your job?", "reflect")
    assert "yes/no" in closed["questions"][1]["check"]
    removed = agenda.remove(added, 1)
    assert len(removed["questions"]) == 2 and all(not q.get("own") for q in removed["alternatives"])
    assert agenda.agenda_text(added, "Lena").splitlines()[2] == "1. What went well?"


def test_admin_reindexes_from_the_knowledge_page_and_sees_it_finish(api, store) -> None:  # noqa: ANN001
    import time

    client, csrf = _signed_in(api, store, "admin", None)
    with closing(client):
        assert "Engineering Manager" in client.get("/knowledge").text
        started = client.post("/knowledge/reindex", data={"csrf": csrf})
        assert started.url.path == "/knowledge/reindex"
        deadline = time.monotonic() + 120
        page = started
        while "Done in" not in page.text and "failed" not in page.text:
            assert time.monotonic() < deadline, page.text
            assert 'http-equiv="refresh"' in page.text  # the page refreshes itself while it runs, no script needed
            time.sleep(0.5)
            page = client.get("/knowledge/reindex")
        assert "Done in" in page.text and "0 added" in page.text  # nothing changed: nothing embedded again
    manager, csrf = _signed_in(api, store)
    with closing(manager):
        assert manager.post("/knowledge/reindex", data={"csrf": csrf}).status_code == 403


def test_the_models_extra_commitments_can_be_added_from_the_draft(api, store) -> None:  # noqa: ANN001
    from coach.store.jobs import create_job, update_job

    with api.client("manager") as c:
        made = c.post("/v1/summaries", json={
            "employee_id": "lena-fischer", "meeting_date": "2026-11-20",
            "notes": "Lena will draft the on-call rota by Friday.\nWe also talked about the offsite.",
            "participants": [{"name": "Daniel Kim", "role": "manager"}, {"name": "Lena Fischer", "role": "employee"}]})
        assert made.status_code == 200, made.text
    note_id = made.json()["note_id"]
    job = create_job(store, note_id, "lena-fischer")
    client, csrf = _signed_in(api, store)
    with closing(client):
        assert "reading these notes in the background (queued)" in client.get(f"/notes/{note_id}").text
        extra = {"owner": "Daniel Kim", "action": "Book the offsite venue", "due": "2026-12-01",
                 "success_indicator": None, "evidence": "We also talked about the offsite."}
        known = {**made.json()["commitments"][0]}
        update_job(store, job.id, "done", summary_json={"commitments": [known, extra]})
        page = client.get(f"/notes/{note_id}")
        assert "The model found 1 commitment the draft does not have" in page.text
        added = client.post(f"/notes/{note_id}/commitments", data={
            "csrf": csrf, "action": "Book the offsite venue", "owner": "Daniel Kim", "due": "2026-12-01",
            "success_indicator": ""})
        assert "Book the offsite venue" in added.text and "The model found nothing the draft does not" in added.text


def test_employee_reflects_shares_and_registers_interest_in_the_web_app(api, store, engine) -> None:  # noqa: ANN001
    from coach.growth.service import development_map

    dev_map = development_map(engine, "senior-software-engineer", target_role="engineering-manager",
                              horizon_months=12, employee="lena-fischer")
    saved = store.save_map("lena-fischer", "daniel-kim", dev_map.model_dump(mode="json"))
    lena, csrf = _signed_in(api, store, "employee", "lena-fischer")
    with closing(lena):
        page = lena.get("/people/lena-fischer/reflect")
        assert page.status_code == 200 and "Your answers stay private" in page.text
        prompt = re.search(r'name="prompt_0" value="([^"]+)"', page.text).group(1)
        lena.post("/people/lena-fischer/reflect", data={"csrf": csrf, "prompt_0": prompt,
                                                        "answer_0": "Running the design review for the ledger."})
    daniel, dcsrf = _signed_in(api, store)
    with closing(daniel):
        assert "Running the design review for the ledger." not in daniel.get("/people/lena-fischer/reflect").text
        assert daniel.get("/people/lena-fischer/reflect").status_code == 200
        rid = next(r.id for r in list_reflections(store, "lena-fischer", shared_only=False)
                   if "ledger" in r.items[0].answer)  # the employee shares it; then the manager sees it
    lena, csrf = _signed_in(api, store, "employee", "lena-fischer")
    with closing(lena):
        assert lena.post(f"/reflections/{rid}/share", data={"csrf": csrf}).status_code == 200
        opportunities = lena.get("/people/lena-fischer/opportunities")
        assert opportunities.status_code == 200
        first = re.search(r'action="/opportunities/([^/]+)/interest"', opportunities.text)
        if first:  # the sample organisation's opportunities that fit her map
            done = lena.post(f"/opportunities/{first.group(1)}/interest",
                             data={"csrf": csrf, "note": "Keen", "next": "/people/lena-fischer/opportunities"})
            assert "Withdraw my interest" in done.text
        assert "could mentor" in lena.get(f"/maps/{saved.id}").text
    daniel, _ = _signed_in(api, store)
    with closing(daniel):
        assert "Running the design review for the ledger." in daniel.get("/people/lena-fischer/reflect").text
    other, ocsrf = _signed_in(api, store, "employee", "priya-raman")
    with closing(other):
        assert other.get("/people/lena-fischer/reflect").status_code == 403
        assert other.post(f"/reflections/{rid}/share", data={"csrf": ocsrf}).status_code == 403


def test_the_manager_sets_the_rhythm_on_the_persons_page(api, store) -> None:  # noqa: ANN001
    store.upsert_person("web-rhythm", "Wren Rhythm", manager_id="daniel-kim", role_id="software-engineer-ii")
    client, csrf = _signed_in(api, store)
    with closing(client):
        assert "<strong>Rhythm:</strong> not set" in client.get("/people/web-rhythm").text
        page = client.post("/people/web-rhythm/cadence", data={"csrf": csrf, "kind": "custom", "every_days": "28"})
        assert page.status_code == 200 and "every 28 days, next session" in page.text
        bad = client.post("/people/web-rhythm/cadence", data={"csrf": csrf, "kind": "custom", "every_days": "5"})
        assert bad.status_code == 422 and "every_days" in bad.text
    wren_employee, ecsrf = _signed_in(api, store, "employee", "lena-fischer")
    with closing(wren_employee):
        refused = wren_employee.post("/people/lena-fischer/cadence", data={"csrf": ecsrf, "kind": "quarterly"})
        assert refused.status_code == 403


def test_opportunities_without_a_map_say_how_to_get_there_instead_of_an_error(api, store) -> None:  # noqa: ANN001
    store.upsert_person("web-nomap", "Nia Nomap", manager_id="daniel-kim", role_id="software-engineer-ii")
    client, _ = _signed_in(api, store)
    with closing(client):
        page = client.get("/people/web-nomap/opportunities")
        assert page.status_code == 200 and "there is none yet" in page.text


def test_the_manager_checks_feedback_then_gives_it_and_it_shows_as_evidence(api, store) -> None:  # noqa: ANN001
    daniel, csrf = _signed_in(api, store)
    with closing(daniel):
        person = daniel.get("/people/lena-fischer")
        assert 'href="/people/lena-fischer/feedback"' in person.text
        checked = daniel.post("/people/lena-fischer/feedback",
                              data={"csrf": csrf, "text": "You're a slacker who never pulls their weight.",
                                    "action": "check"})
        assert checked.status_code == 200 and "judges the person" in checked.text
        assert "leave the label out" in checked.text and "slacker who never pulls" in checked.text  # kept to edit
        good = ("In yesterday's planning meeting, you walked the team through the trade-offs of the two designs. "
                "It cut the decision to one meeting. Next time, please send the options a day ahead.")
        given = daniel.post("/people/lena-fischer/feedback", data={"csrf": csrf, "text": good, "action": "give"})
        assert given.status_code == 200 and "Given" in given.text and "judges the person" not in given.text
        assert "Linked to the map" in given.text
        empty = daniel.post("/people/lena-fischer/feedback", data={"csrf": csrf, "text": "  ", "action": "check"})
        assert empty.status_code == 422 and "write the feedback first" in empty.text
    lena, lcsrf = _signed_in(api, store, "employee", "lena-fischer")
    with closing(lena):
        own = lena.get("/people/lena-fischer/feedback")
        assert own.status_code == 200 and "Your feedback" not in own.text  # no form: she cannot give herself any
        if "No feedback linked yet." not in own.text:
            assert "walked the team through the trade-offs" in own.text
        refused = lena.post("/people/lena-fischer/feedback", data={"csrf": lcsrf, "text": good, "action": "give"})
        assert refused.status_code == 403

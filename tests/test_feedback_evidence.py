"""Feedback as evidence on the career map: linking (real engine), storage, the map view, the API and the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from coach.cli import app
from coach.errors import Forbidden, InvalidInput, NotFound
from coach.feedback.evidence import evidence_for, link_summary_feedback, link_text, person_scope, require_giver
from coach.growth.progress import map_view
from coach.store.auth import Principal
from coach.store.evidence import EvidenceIn, list_evidence, save_evidence
from tests.servers import RunningApi
from tests.test_cli import EngineRunner, cli_env  # noqa: F401 - the fixture

ADMIN = Principal(role="admin")
DANIEL = Principal(role="manager", person_id="daniel-kim", reports=frozenset({"lena-fischer", "tomas-silva",
                                                                             "mei-chen", "jonas-berg", "ravi-patel"}))
# Real feedback from the dev set (evals/datasets/feedback/dev.jsonl), linked right in the worked example.
TESTS_PRAISED = ("In your PR for the authentication service, you included comprehensive unit tests, integration tests, "
                 "and documented edge cases. This gave the team confidence to deploy on Friday.")
DEADLINES = ("I'm noticing you've shifted three deadlines in the past month without explaining why. Help me "
             "understand what's going on. Are the estimates off? Is something blocking you?")
MAP_BODY = {"current_role": "senior-software-engineer", "target_role": "engineering-manager",
            "horizon_months": 12, "start": "2026-01-05"}


def test_links_quote_the_words_and_pick_competency_level_and_direction(engine) -> None:  # noqa: ANN001
    praised = link_text(engine, TESTS_PRAISED)
    assert [(x.competency_id, x.polarity) for x in praised] == [("quality-reliability", "for")]
    link = praised[0]
    assert TESTS_PRAISED[link.start:link.end] == link.quote and link.quote.startswith("In your PR")
    assert link.behaviour in engine.knowledge.competencies[link.competency_id].level(link.level).behaviours
    shifted = link_text(engine, DEADLINES)
    # The questions and the request are not evidence; the observed sentence is, and it says what fell short.
    assert [(x.competency_id, x.polarity, x.quote) for x in shifted] == [
        ("planning-execution", "against", DEADLINES.split(". ")[0] + ".")]


def test_requests_judgements_and_norms_are_not_evidence(engine) -> None:  # noqa: ANN001
    for text in ("Next time, please add two specific comments per PR.", "Bart is lazy.", "Great job!",
                 "Senior developers build context before building code.", "How are you communicating status?"):
        assert link_text(engine, text) == [], text


def test_scope_keeps_links_inside_the_persons_roles(engine, store) -> None:  # noqa: ANN001
    text = "You've been doing great technical work on the user dashboard."
    scope = person_scope(engine, store, "tomas-silva")
    assert scope == set(engine.knowledge.roles["software-engineer-ii"].competencies)
    assert all(x.competency_id in scope for x in link_text(engine, text, scope=scope))
    assert person_scope(engine, store, "no-such-person") is None


def test_store_validates_and_lists_newest_first(store) -> None:  # noqa: ANN001
    first = save_evidence(store, "mei-chen", "direct", [EvidenceIn(quote="a", competency_id="communication", level=2)],
                          "daniel-kim")
    second = save_evidence(store, "mei-chen", "direct", [EvidenceIn(quote="b", competency_id="collaboration", level=3,
                                                                    polarity="against")], "admin")
    listed = list_evidence(store, "mei-chen")
    assert [r.id for r in listed][:2] == [second[0].id, first[0].id] and listed[0].created_at.tzinfo is not None
    assert [r.quote for r in list_evidence(store, "mei-chen", competency_id="communication")] == ["a"]
    with pytest.raises(NotFound):
        save_evidence(store, "no-such-person", "direct", [], "admin")
    with pytest.raises(InvalidInput, match="source"):
        save_evidence(store, "mei-chen", "x" * 65, [], "admin")
    with pytest.raises(ValueError):
        EvidenceIn(quote="c", competency_id="communication", level=6)


def test_giving_needs_the_manager_or_an_admin() -> None:
    require_giver(ADMIN, "priya-raman")
    require_giver(DANIEL, "lena-fischer")
    for principal, employee in ((DANIEL, "priya-raman"), (DANIEL, "daniel-kim"),
                                (Principal(role="employee", person_id="lena-fischer"), "lena-fischer")):
        with pytest.raises(Forbidden):
            require_giver(principal, employee)


def test_summary_feedback_is_linked_once_and_shown_on_the_map_gaps(engine, store) -> None:  # noqa: ANN001
    from coach.growth.service import development_map

    dev_map = development_map(engine, "software-engineer-ii", target_role="senior-software-engineer",
                              start=date(2026, 1, 5), employee="ravi-patel")
    saved = store.save_map("ravi-patel", "daniel-kim", dev_map.model_dump(mode="json"))
    note, _ = store.save_note("ravi-patel", "daniel-kim", date(2026, 2, 2), "notes")
    store.mark_note_summarized(note.id, {"feedback": [DEADLINES, "Great job!"]}, [])
    linked = link_summary_feedback(engine, store, note.id, "daniel-kim")
    again = link_summary_feedback(engine, store, note.id, "daniel-kim")  # confirming twice leaves one set
    assert [x.competency_id for x in linked] == [x.competency_id for x in again] == ["planning-execution"]
    assert [r.id for r in list_evidence(store, "ravi-patel")] == [again[0].id]
    item = evidence_for(store, "ravi-patel", knowledge=engine.knowledge)[0]
    required = engine.knowledge.roles["senior-software-engineer"].competencies["planning-execution"]
    assert item.source == note.id and item.required == required and item.target_role == "Senior Software Engineer"
    assert item.message == (f"evidence against Planning & Execution at level {item.level} (falls short of it), "
                            f"required {required} for Senior Software Engineer")
    view = map_view(store, ADMIN, saved.id)
    gap = next(g for g in view["gaps"] if g["competency_id"] == "planning-execution")
    assert [e["id"] for e in gap["evidence"]] == [item.id]
    assert all(g["evidence"] == [] for g in view["gaps"] if g["competency_id"] != "planning-execution")
    bare, _ = store.save_note("ravi-patel", "daniel-kim", date(2026, 2, 3), "not summarized")
    with pytest.raises(InvalidInput, match="no summary"):
        link_summary_feedback(engine, store, bare.id, "daniel-kim")


def test_api_give_then_read_evidence_against_the_latest_map(api: RunningApi) -> None:
    with api.client("manager") as c:
        assert c.post("/v1/development-maps", json={**MAP_BODY, "employee_id": "lena-fischer"}).status_code == 200
        r = c.post("/v1/employees/lena-fischer/feedback", json={"text": TESTS_PRAISED})
        assert r.status_code == 201, r.text
        given = r.json()
        listed = c.get("/v1/employees/lena-fischer/evidence")
    assert given["verdict"]["behaviour"] is True and given["verdict"]["judgement"] is False
    [link] = given["evidence"]
    assert link["quote"] in TESTS_PRAISED and link["created_by"] == "daniel-kim" and link["source"] == "direct"
    assert link["target_role"] == "Engineering Manager" and "for Engineering Manager" in link["message"]
    assert listed.status_code == 200 and listed.json()[0] == link
    with api.client("employee") as c:  # the person reads their own evidence, but cannot give feedback
        assert c.get("/v1/employees/lena-fischer/evidence").json()[0] == link
        assert c.post("/v1/employees/lena-fischer/feedback", json={"text": TESTS_PRAISED}).status_code == 403


def test_api_access_and_validation(api: RunningApi) -> None:
    with api.client("other_employee") as c:
        assert c.get("/v1/employees/lena-fischer/evidence").status_code == 403
        assert c.post("/v1/employees/lena-fischer/feedback", json={"text": "Good work."}).status_code == 403
    with api.client("manager") as c:
        assert c.post("/v1/employees/priya-raman/feedback", json={"text": "Good work."}).status_code == 403
        for body, field in (({"text": ""}, "text"), ({"text": "x" * 5001}, "text"), ({"txt": "a"}, "text"),
                            ({"text": "a", "extra": 1}, "extra")):
            r = c.post("/v1/employees/tomas-silva/feedback", json=body)
            assert r.status_code == 422 and r.json()["field"] == field, r.text
        r = c.get(f"/v1/employees/{'x' * 65}/evidence")
        assert r.status_code == 422 and r.json()["field"] == "employee_id", r.text
    with api.client("admin") as c:
        r = c.post("/v1/employees/no-such-person/feedback", json={"text": TESTS_PRAISED})
        assert r.status_code == 404 and r.json()["field"] == "employee_id", r.text
    with api.client() as c:
        assert c.get("/v1/employees/lena-fischer/evidence").status_code == 401


def test_cli_give_and_evidence(cli_env: Path, engine) -> None:  # noqa: ANN001, F811
    runner = EngineRunner(engine)
    assert runner.invoke(app, ["setup-local"]).exit_code == 0
    given = runner.invoke(app, ["feedback", "give", "--person", "tomas-silva", "--as", "daniel-kim", TESTS_PRAISED])
    assert given.exit_code == 0, given.output
    assert "behaviour: yes" in given.stdout and "evidence of Quality & Operational Reliability at level" in given.stdout
    listed = runner.invoke(app, ["feedback", "evidence", "--person", "tomas-silva", "--json"])
    assert listed.exit_code == 0, listed.output
    [item] = json.loads(listed.stdout)
    assert item["created_by"] == "daniel-kim" and item["target_role"] is None
    assert "no development map" in item["message"]
    refused = runner.invoke(app, ["feedback", "give", "--person", "priya-raman", "--as", "daniel-kim", "Good.",
                                  "--json"])
    assert refused.exit_code == 2 and json.loads(refused.stderr)["field"] == "employee_id"
    unknown = runner.invoke(app, ["feedback", "evidence", "--person", "tomas-silva", "--as", "nobody", "--json"])
    assert unknown.exit_code == 2 and json.loads(unknown.stderr)["field"] == "as"


def test_confirming_a_summary_links_its_feedback_as_evidence(api) -> None:  # noqa: ANN001
    notes = ("Feedback: your written status updates during the payments migration were clear and kept every "
             "stakeholder informed.\nLena will write the design doc for the retry queue by next Friday.")
    with api.client("manager") as c:
        made = c.post("/v1/summaries", json={
            "employee_id": "lena-fischer", "meeting_date": "2026-11-18", "notes": notes,
            "participants": [{"name": "Daniel Kim", "role": "manager"}, {"name": "Lena Fischer", "role": "employee"}]})
        assert made.status_code == 200, made.text
        assert made.json()["feedback"], made.json()
        note_id = made.json()["note_id"]
        assert c.post(f"/v1/notes/{note_id}/confirm").status_code == 200
        evidence = c.get("/v1/employees/lena-fischer/evidence").json()
    from_note = [e for e in evidence if e["source"] == note_id]
    assert from_note, evidence
    assert all(e["quote"].rstrip(".").lower() in notes.lower() for e in from_note), from_note  # its own words

"""Reflection before a session: prompts addressed to the employee, private answers, sharing, the manager's questions."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from coach.cli import app
from coach.growth.service import development_map
from coach.questions.arc import MAX_TEXT, QuestionRequest
from coach.questions.service import with_shared_reflection
from coach.store.rhythm import ReflectionItem, save_reflection
from coach.store.store import Store
from tests.test_cli import EngineRunner, cli_env  # noqa: F401 - the fixture

THIRD_PERSON = re.compile(r"\b(I|me|my|our|we|us)\b")


def _track(store: Store, employee_id: str, commitments: list[dict]) -> list[str]:
    """Notes with a confirmed summary whose commitments are tracked; returns their ids."""
    note, _ = store.save_note(employee_id, "daniel-kim", date.today() - timedelta(days=20), "Notes.")
    ids = store.mark_note_summarized(note.id, {"recap": "r"}, commitments)
    store.confirm_note(note.id, "daniel-kim", may_confirm=lambda _role: True)
    return ids


def _token(store: Store, role: str, person: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {store.create_token(role, person, 'reflection tests')}"}


def test_prompts_are_reflect_then_aspire_personal_and_spoken_to_the_employee(api, store, engine) -> None:  # noqa: ANN001
    dev_map = development_map(engine, "senior-software-engineer", aspiration="staff engineer", horizon_months=12,
                              employee="lena-fischer")
    stored = store.save_map("lena-fischer", "daniel-kim", dev_map.model_dump(mode="json"))
    _track(store, "lena-fischer", [
        {"owner": "Daniel Kim", "owner_role": "manager", "action": "Introduce Lena to the platform architects",
         "due": (date.today() + timedelta(days=10)).isoformat()},
        {"owner": "Lena Fischer", "owner_role": "employee", "action": "Write the caching design doc",
         "due": (date.today() + timedelta(days=5)).isoformat()},
    ])
    with api.client("employee") as client:
        response = client.get("/v1/employees/lena-fischer/reflection-prompts", params={"count": 6})
    assert response.status_code == 200, response.text
    body = response.json()
    stages = [p["stage"] for p in body["prompts"]]
    assert len(stages) == 6 and stages == sorted(stages, key=["reflect", "aspire"].index)
    assert stages.count("reflect") == 3 and stages.count("aspire") == 3
    assert body["map_id"] == stored.id and body["target_role"]["id"] == dev_map.target_role.id
    assert body["current_role"]["id"] == "senior-software-engineer" and body["open_commitments"] >= 1
    texts = [p["text"] for p in body["prompts"]]
    assert len(set(texts)) == 6
    for text in texts:
        # Spoken to the employee: no name of theirs, and never the manager's "I" or "my commitment".
        assert "Lena" not in text and not THIRD_PERSON.search(text), text
    followed = [p for p in body["prompts"] if "commitment" in p["personalised_with"]]
    assert followed, texts  # their own open commitment is followed up; the manager's is the manager's to report
    own = {c.action.lower() for c in store.list_commitments("lena-fischer", status="open")
           if c.owner_role == "employee"}  # other tests may have given Lena commitments of her own too
    assert all(any(action in p["text"].lower() for action in own) for p in followed), texts
    assert "architects" not in json.dumps(body)
    assert all(p["prompt_id"].startswith("q-") and p["prompt_id"] in p["sources"] for p in body["prompts"])
    on_competency = [(p["stage"], *p["sources"][1:]) for p in body["prompts"] if "competency" in p["personalised_with"]]
    assert len(on_competency) == len(set(on_competency))  # never the same competency twice in a stage


def test_prompt_access_and_limits(api) -> None:  # noqa: ANN001
    with api.client("other_employee") as client:
        assert client.get("/v1/employees/lena-fischer/reflection-prompts").status_code == 403
    with api.client("manager") as client:
        assert client.get("/v1/employees/lena-fischer/reflection-prompts").status_code == 200
        for count in (1, 9):
            refused = client.get("/v1/employees/lena-fischer/reflection-prompts", params={"count": count})
            assert refused.status_code == 422 and refused.json()["field"] == "count", count
    with api.client() as client:
        assert client.get("/v1/employees/lena-fischer/reflection-prompts").status_code == 401
    with api.client("admin") as client:
        missing = client.get("/v1/employees/no-such-person/reflection-prompts")
        assert missing.status_code == 404 and missing.json()["field"] == "employee_id"
        no_role = client.get("/v1/employees/grace-adeyemi/reflection-prompts")  # has a role: answers
        assert no_role.status_code == 200


ITEMS = [{"prompt_id": "q-reflect-001", "stage": "reflect",
          "prompt": "What piece of work from the last few months are you proudest of?",
          "answer": "Leading the payments retry rewrite; the on-call load dropped by half."},
         {"prompt": "Which skills would you most enjoy getting really good at?", "answer": ""}]


def test_reflections_are_private_until_the_employee_shares_them(api) -> None:  # noqa: ANN001
    with api.client("manager") as manager, api.client("employee") as employee, \
            api.client("other_employee") as other, api.client("admin") as admin:
        assert manager.post("/v1/employees/lena-fischer/reflections", json={"items": ITEMS}).status_code == 403
        assert other.post("/v1/employees/lena-fischer/reflections", json={"items": ITEMS}).status_code == 403
        created = employee.post("/v1/employees/lena-fischer/reflections", json={"items": ITEMS})
        assert created.status_code == 201, created.text
        record = created.json()
        assert record["shared"] is False and record["shared_at"] is None and record["author_id"] == "lena-fischer"
        assert record["items"][0]["answer"] == ITEMS[0]["answer"] and record["items"][1]["prompt_id"] is None
        rid = record["id"]
        assert rid in [r["id"] for r in employee.get("/v1/employees/lena-fischer/reflections").json()]
        assert rid in [r["id"] for r in admin.get("/v1/employees/lena-fischer/reflections").json()]
        seen = manager.get("/v1/employees/lena-fischer/reflections")
        assert seen.status_code == 200 and rid not in [r["id"] for r in seen.json()]
        assert all(r["shared"] for r in seen.json())
        assert other.get("/v1/employees/lena-fischer/reflections").status_code == 403
        assert manager.post(f"/v1/reflections/{rid}/share").status_code == 403
        assert other.post(f"/v1/reflections/{rid}/share").status_code == 403
        assert employee.post("/v1/reflections/no-such-id/share").status_code == 404
        shared = employee.post(f"/v1/reflections/{rid}/share")
        assert shared.status_code == 200 and shared.json()["shared"] is True and shared.json()["shared_at"]
        again = employee.post(f"/v1/reflections/{rid}/share").json()
        assert again["shared_at"] == shared.json()["shared_at"]  # sharing twice keeps the first time
        now_seen = manager.get("/v1/employees/lena-fischer/reflections").json()
        assert rid in [r["id"] for r in now_seen]


@pytest.mark.parametrize(("body", "field"), [
    ({"items": []}, "items"),
    ({"items": [{"prompt": "p", "answer": "x" * 4001}]}, "items.0.answer"),
    ({"items": [{"prompt": "", "answer": "a"}]}, "items.0.prompt"),
    ({"items": [{"prompt": "p", "answer": "a", "mood": "good"}]}, "items.0.mood"),
    ({"items": [{"prompt": "p", "answer": "a"}], "public": True}, "public"),
    ({"items": [{"prompt": "p", "answer": "a"}] * 21}, "items"),
    ({"items": [{"prompt": "p", "answer": "  "}]}, "items"),
    ({"items": [{"prompt": "p", "answer": "tab\tok, bell \x07 not"}]}, "items.0.answer"),
])
def test_reflection_validation_names_the_field(api, body: dict, field: str) -> None:  # noqa: ANN001
    with api.client("employee") as client:
        response = client.post("/v1/employees/lena-fischer/reflections", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


def test_the_managers_questions_use_only_the_shared_reflection(api, store) -> None:  # noqa: ANN001
    mei = _token(store, "employee", "mei-chen")
    request = {"employee_id": "mei-chen", "role": "software-engineer-ii", "count": 6}
    with api.client("manager") as manager:
        before = manager.post("/v1/questions", json=request).json()
    private = [{"prompt": "What are you proudest of?", "answer": "I led the Kafka consumer migration for billing."}]
    shared = [{"prompt": "What are you proudest of?", "answer": "I shipped the checkout latency dashboard."}]
    with api.client() as client:
        client.headers.update(mei)
        assert client.post("/v1/employees/mei-chen/reflections", json={"items": private}).status_code == 201
        with api.client("manager") as manager:
            unshared = manager.post("/v1/questions", json=request).json()
        assert unshared["context_topics"] == before["context_topics"]
        assert "kafka" not in json.dumps(unshared).lower()  # a private answer never reaches the manager
        made = client.post("/v1/employees/mei-chen/reflections", json={"items": shared, "share": True})
        assert made.status_code == 201 and made.json()["shared"] is True
    with api.client("manager") as manager:
        after = manager.post("/v1/questions", json=request).json()
    assert any("dashboard" in t for t in after["context_topics"]), after["context_topics"]
    assert any("dashboard" in q["text"] for q in after["questions"])
    assert "kafka" not in json.dumps(after).lower()


def test_with_shared_reflection_appends_after_the_callers_context_within_the_limit(store) -> None:  # noqa: ANN001
    base = QuestionRequest(role="product-designer", context="Ran the onboarding research interviews")
    assert with_shared_reflection(store, base, "jonas-berg") == base  # nothing shared yet
    save_reflection(store, "jonas-berg", "jonas-berg", [ReflectionItem(prompt="p", answer="Private thoughts")])
    assert with_shared_reflection(store, base, "jonas-berg") == base
    save_reflection(store, "jonas-berg", "jonas-berg", [ReflectionItem(prompt="p", answer="  Led the design\n review "),
                                                        ReflectionItem(prompt="q", answer=""),
                                                        ReflectionItem(prompt="r", answer="Mentoring helped!")],
                    shared=True)
    context = with_shared_reflection(store, base, "jonas-berg").context
    assert context == "Ran the onboarding research interviews\n\nLed the design review.\nMentoring helped!"
    long = base.model_copy(update={"context": "x" * (MAX_TEXT - 10)})
    capped = with_shared_reflection(store, long, "jonas-berg").context
    assert len(capped) <= MAX_TEXT and capped.startswith("x" * (MAX_TEXT - 10))
    QuestionRequest.model_validate({"role": "product-designer", "context": capped})  # still a valid request


def test_cli_prompts_and_save(cli_env: Path, engine, tmp_path: Path) -> None:  # noqa: ANN001, F811
    runner = EngineRunner(engine)
    assert runner.invoke(app, ["setup-local"]).exit_code == 0
    prompts = runner.invoke(app, ["reflect", "prompts", "--person", "lena-fischer", "--count", "4", "--json"])
    assert prompts.exit_code == 0, prompts.output
    items = json.loads(prompts.stdout)["prompts"]
    assert [p["stage"] for p in items] == ["reflect", "reflect", "aspire", "aspire"]
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps([{"prompt": items[0]["text"], "prompt_id": items[0]["prompt_id"],
                                    "answer": "The search relevance work."}]))
    saved = runner.invoke(app, ["reflect", "save", "--person", "lena-fischer", "--answers", str(answers),
                                "--share", "--json"])
    assert saved.exit_code == 0, saved.output
    record = json.loads(saved.stdout)
    assert record["shared"] is True and record["author_id"] == "admin" and len(record["items"]) == 1
    text = runner.invoke(app, ["reflect", "prompts", "--person", "lena-fischer"])
    assert text.exit_code == 0 and text.stdout.startswith("1. [reflect] ")
    answers.write_text(json.dumps({"items": [{"answer": "no prompt"}]}))
    bad = runner.invoke(app, ["reflect", "save", "--person", "lena-fischer", "--answers", str(answers), "--json"])
    assert bad.exit_code == 2 and json.loads(bad.stderr)["field"] == "answers"
    assert "items[0].prompt" in json.loads(bad.stderr)["detail"]
    answers.write_text("not json")
    assert runner.invoke(app, ["reflect", "save", "--person", "lena-fischer", "--answers", str(answers)]).exit_code == 2
    unknown = runner.invoke(app, ["reflect", "prompts", "--person", "nobody", "--json"])
    assert unknown.exit_code == 2 and json.loads(unknown.stderr)["field"] == "employee_id"

"""Mentors: same organisation only, agreed to mentor, target role / rating / role at the level the map needs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from coach.cli import app
from coach.engine import Engine
from coach.errors import InvalidInput, NotFound
from coach.growth.mentors import MENTORING_TYPES, suggest_mentors
from coach.growth.service import development_map
from coach.settings import PROJECT_ROOT, get_settings
from coach.store.opportunities import organisation_of
from coach.store.store import Store
from tests.servers import RunningApi
from tests.test_cli import EngineRunner, cli_env  # noqa: F401 - the fixture

TWO_ORGS = PROJECT_ROOT / "tests" / "data" / "people_two_orgs.yaml"
START = date(2026, 12, 7)


@pytest.fixture()
def two_orgs(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'coach.db'}")
    store.migrate()
    store.seed_people(TWO_ORGS)
    yield store
    store.close()


def _map(engine: Engine, store: Store, employee: str, *, without_mentoring: bool = False) -> tuple[str, dict]:
    payload = development_map(engine, "senior-software-engineer", target_role="engineering-manager",
                              start=START).model_dump(mode="json")
    if without_mentoring:
        payload["actions"] = [a for a in payload["actions"] if a["type"] not in MENTORING_TYPES]
    return store.save_map(employee, "tests", payload).id, payload


def test_organisation_is_everyone_under_the_same_top(two_orgs: Store) -> None:
    org_a = {p.id for p in organisation_of(two_orgs, "lee")}
    assert org_a == {"ada-top", "em-a", "lee", "rater", "unwilling", "topic-limited"}
    assert {p.id for p in organisation_of(two_orgs, "bo-report")} == {"bo-top", "bo-report"}
    profile = {p.id: p for p in organisation_of(two_orgs, "lee")}
    assert profile["rater"].mentor and profile["rater"].ratings == {"coaching-mentoring": 4}
    assert not profile["unwilling"].mentor and profile["topic-limited"].topics == ("stakeholder-management",)


def test_mentors_for_the_maps_mentoring_actions(engine: Engine, two_orgs: Store) -> None:
    map_id, payload = _map(engine, two_orgs, "lee")
    wanted = {a["competency_id"] for a in payload["actions"] if a["type"] in MENTORING_TYPES}
    assert wanted, "the sample map has a mentoring or shadowing action"
    suggestions = suggest_mentors(engine, two_orgs, "lee")
    ids = [s.person_id for s in suggestions]
    assert ids[0] == "em-a"  # holds the target role
    assert suggestions[0].reasons[0] == "Emil Andersen is an Engineering Manager, the role you are aiming for"
    assert {t.basis for t in suggestions[0].helps_with} == {"target-role"}
    assert all({t.competency_id for t in s.helps_with} <= wanted for s in suggestions)
    assert all(t.action for s in suggestions for t in s.helps_with)  # each names the map's action
    # Never the person, never someone who did not agree, never the other organisation.
    assert not {"lee", "unwilling", "bo-top", "bo-report"} & set(ids)
    assert [s.person_id for s in suggest_mentors(engine, two_orgs, "lee", map_id)] == ids


def test_every_gap_when_the_map_has_no_mentoring_action(engine: Engine, two_orgs: Store) -> None:
    _map(engine, two_orgs, "lee", without_mentoring=True)
    by_id = {s.person_id: s for s in suggest_mentors(engine, two_orgs, "lee")}
    rater = by_id["rater"]  # a Software Engineer II, but rated 4 in coaching
    assert [(t.competency_id, t.basis, t.level) for t in rater.helps_with] == [("coaching-mentoring", "rating", 4)]
    assert rater.reasons == ["can help with Coaching & Mentoring (you are at 2, the target needs 4): Rae is rated 4"]
    # Tom's staff role qualifies him for several gaps, but he offers stakeholder management only.
    assert [t.competency_id for t in by_id["topic-limited"].helps_with] == ["stakeholder-management"]
    assert by_id["topic-limited"].helps_with[0].basis == "role"
    assert {t.competency_id for t in by_id["ada-top"].helps_with} <= {"people-management", "change-leadership"}
    assert "bo-top" not in by_id and "unwilling" not in by_id


def test_mentor_errors_name_the_field(engine: Engine, two_orgs: Store) -> None:
    with pytest.raises(NotFound) as info:
        suggest_mentors(engine, two_orgs, "lee")
    assert info.value.field == "map_id" and "no development map" in info.value.message
    other, _ = _map(engine, two_orgs, "bo-report")
    with pytest.raises(NotFound) as info:
        suggest_mentors(engine, two_orgs, "lee", other)
    assert info.value.field == "map_id"
    with pytest.raises(NotFound):
        suggest_mentors(engine, two_orgs, "ghost")


def test_seeding_mentor_profiles_follows_the_file(two_orgs: Store, tmp_path: Path) -> None:
    changed = tmp_path / "people.yaml"
    changed.write_text(TWO_ORGS.read_text().replace("    mentor: true\n    ratings: {coaching-mentoring: 4}\n", ""))
    two_orgs.seed_people(changed)
    rater = next(p for p in organisation_of(two_orgs, "lee") if p.id == "rater")
    assert not rater.mentor and rater.ratings == {}
    two_orgs.upsert_person("em-a", "Emil Andersen", manager_id="ada-top", role_id="engineering-manager")
    assert next(p for p in organisation_of(two_orgs, "lee") if p.id == "em-a").mentor  # upsert leaves it alone
    bad = tmp_path / "bad.yaml"
    bad.write_text("people:\n  - id: x\n    name: X\n    ratings: {communication: 6}\n")
    with pytest.raises(InvalidInput, match="ratings.communication"):
        two_orgs.seed_people(bad)


def test_api_mentors_and_access(api: RunningApi) -> None:
    with api.client("manager") as c:
        r = c.post("/v1/development-maps", json={"employee_id": "lena-fischer", "target_role": "engineering-manager",
                                                 "current_role": "senior-software-engineer", "horizon_months": 12})
        assert r.status_code == 200, r.text
        map_id = r.json()["id"]
    with api.client("employee") as c:
        r = c.get("/v1/employees/lena-fischer/mentors", params={"map_id": map_id})
        assert r.status_code == 200, r.text
        rows = r.json()
        assert rows[0]["person_id"] == "daniel-kim" and rows[0]["reasons"]
        assert "lena-fischer" not in {row["person_id"] for row in rows}
        assert "grace-adeyemi" not in {row["person_id"] for row in rows}
        bad = c.get("/v1/employees/lena-fischer/mentors", params={"map_id": "x" * 37})
        assert bad.status_code == 422 and bad.json()["field"] == "map_id"
        assert c.get("/v1/employees/lena-fischer/mentors", params={"map_id": "nope"}).status_code == 404
    with api.client("other_employee") as c:
        r = c.get("/v1/employees/lena-fischer/mentors", params={"map_id": map_id})
        assert r.status_code == 403 and r.json()["detail"] == "you may not access this employee's records"


def test_cli_mentors(cli_env: Path, engine: Engine) -> None:  # noqa: F811
    runner = EngineRunner(engine)
    assert runner.invoke(app, ["setup-local"]).exit_code == 0
    store = Store(get_settings().resolved_database_url)
    missing = runner.invoke(app, ["mentors", "--person", "lena-fischer", "--json"])
    assert missing.exit_code == 2 and json.loads(missing.stderr)["field"] == "map_id"
    _map(engine, store, "lena-fischer")
    rows = json.loads(runner.invoke(app, ["mentors", "--person", "lena-fischer", "--json"]).stdout)
    assert rows[0]["person_id"] == "daniel-kim"
    text = runner.invoke(app, ["mentors", "--person", "lena-fischer"]).stdout
    assert text.startswith("1. Daniel Kim (Engineering Manager") and "the role you are aiming for" in text
    store.close()

"""Re-planning stored development maps: versions, the diff, progress carried over, knowledge changes and flags."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from coach.cli import app
from coach.engine import Engine
from coach.errors import Conflict, Forbidden, InvalidInput
from coach.growth.development import DevelopmentMap, build_development_map
from coach.growth.replan import affected_maps, flagged_for, knowledge_changes, map_versions, replan
from coach.settings import PROJECT_ROOT, Settings, get_settings
from coach.store.auth import Principal
from coach.store.store import Store
from tests.conftest import KNOWLEDGE_DIR
from tests.servers import RunningApi
from tests.test_cli import EngineRunner, cli_env  # noqa: F401 - the fixture

START = date(2026, 1, 5)
ADMIN = Principal(role="admin")
MANAGER = Principal(role="manager", person_id="daniel-kim", reports=frozenset({"lena-fischer"}))
OTHER = Principal(role="employee", person_id="priya-raman")


def _stored_map(engine: Engine, store: Store, employee: str = "lena-fischer",
                **options: object) -> tuple[str, DevelopmentMap]:
    settings = {"target_role": "senior-data-analyst", "horizon_months": 6, "start": START, **options}
    dev_map = build_development_map(engine, "data-analyst", employee=employee, **settings)  # type: ignore[arg-type]
    return store.save_map(employee, "daniel-kim", dev_map.model_dump(mode="json")).id, dev_map


def _modified_knowledge(tmp_path: Path, dev_map: DevelopmentMap) -> tuple[Engine, dict[str, object]]:
    """A copy of knowledge/ where the target role requires the top gap one level higher and the first action's
    resource is removed from the catalogue; an Engine over it (no index needed: maps with a target_role)."""
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, root)
    roles_file = root / "roles" / "data.yaml"
    roles = yaml.safe_load(roles_file.read_text())
    gap = dev_map.gaps[0]
    role = next(r for r in roles["roles"] if r["id"] == dev_map.target_role.id)
    role["competencies"][gap.competency_id] = gap.required + 1
    roles_file.write_text(yaml.safe_dump(roles, sort_keys=False))
    removed = dev_map.actions[0]
    resources = yaml.safe_load((root / "resources.yaml").read_text())
    resources["resources"] = [r for r in resources["resources"] if r["id"] != removed.resource_id]
    (root / "resources.yaml").write_text(yaml.safe_dump(resources, sort_keys=False))
    engine = Engine(Settings(knowledge_dir=root, data_dir=tmp_path / "data", _env_file=None))
    return engine, {"gap": gap, "removed": removed}


def test_replan_stores_a_new_version_keeps_progress_and_describes_the_diff(engine: Engine, store: Store) -> None:
    map_id, old = _stored_map(engine, store)
    kept = old.actions[-1]
    store.set_action_progress(map_id, len(old.actions) - 1, "in_progress", "first session held", "lena-fischer")
    record = replan(engine, store, MANAGER, map_id, reason="Lena asked for a longer runway", horizon_months=12)
    assert (record.version, record.previous_id, record.reason) == (2, map_id, "Lena asked for a longer runway")
    assert record.employee_id == "lena-fischer" and record.created_by == "daniel-kim"
    new = DevelopmentMap.model_validate(record.payload)
    assert new.horizon_months == 12 and new.start == START and new.target_role.id == "senior-data-analyst"
    diff = new.diff
    assert diff is not None and (diff.from_version, diff.to_version) == (1, 2)
    assert diff.horizon_months == (6, 12) and diff.end.before == date(2026, 7, 5) and diff.end.after == date(2027, 1, 5)
    # The diff is exactly the difference of the two action lists.
    before, after = {a.resource_id: a for a in old.actions}, {a.resource_id: a for a in new.actions}
    assert {a.resource_id for a in diff.added_actions} == set(after) - set(before)
    assert {a.resource_id for a in diff.dropped_actions} == set(before) - set(after)
    moved = {m.resource_id: m for m in diff.moved}
    for rid in set(before) & set(after):
        changed = (before[rid].start, before[rid].due) != (after[rid].start, after[rid].due)
        assert (rid in moved) == changed, rid
        if rid in moved and moved[rid].due:
            assert (moved[rid].due.before, moved[rid].due.after) == (before[rid].due, after[rid].due)
    assert diff.markdown[0] == "- Why: Lena asked for a longer runway"
    assert "- Horizon: 6 → **12** months" in diff.markdown
    assert "## What changed since version 1" in new.markdown and "Lena asked for a longer runway" in new.markdown
    # Progress follows the resource, wherever the action now sits.
    progress = store.action_progress(record.id)
    if kept.resource_id in after:
        index = [a.resource_id for a in new.actions].index(kept.resource_id)
        assert progress[index].status == "in_progress" and progress[index].evidence == "first session held"
        assert diff.progress_carried == 1
    else:
        assert progress == {} and diff.progress_carried == 0
    # A version can be re-planned once: the chain stays linear.
    with pytest.raises(Conflict) as refused:
        replan(engine, store, MANAGER, map_id, reason="again")
    assert refused.value.field == "map_id" and record.id in refused.value.message
    third = replan(engine, store, ADMIN, record.id, reason="Back to six months", horizon_months=6)
    chain = map_versions(store, MANAGER, map_id)
    assert [(v.id, v.version, v.latest) for v in chain] == [(map_id, 1, False), (record.id, 2, False),
                                                            (third.id, 3, True)]
    assert chain[0].diff is None and chain[2].diff.horizon_months == (12, 6)
    assert [v.id for v in map_versions(store, MANAGER, third.id)] == [v.id for v in chain]


def test_replan_with_a_new_target_lists_gap_and_action_changes(engine: Engine, store: Store) -> None:
    map_id, old = _stored_map(engine, store, horizon_months=12)
    record = replan(engine, store, ADMIN, map_id, reason="Moving toward analytics management",
                    target_role="analytics-manager")
    new = DevelopmentMap.model_validate(record.payload)
    diff = new.diff
    assert diff.target_role.before == "Senior Data Analyst" and diff.target_role.after == new.target_role.title
    assert any(line.startswith("- Target role: Senior Data Analyst → **") for line in diff.markdown)
    old_gaps, new_gaps = {g.competency_id for g in old.gaps}, {g.competency_id for g in new.gaps}
    assert {g.competency_id for g in diff.added_gaps} == new_gaps - old_gaps != set()
    assert {g.competency_id for g in diff.closed_gaps} == old_gaps - new_gaps
    for line in (f"- New gap: {g.competency} (current {g.current_after}, required {g.required_after})"
                 for g in diff.added_gaps):
        assert line in diff.markdown
    # Ratings are kept with the map and reused: a rated competency keeps its level in the new version.
    assert new.ratings == old.ratings


def test_replan_validation_and_access(engine: Engine, store: Store) -> None:
    map_id, _ = _stored_map(engine, store)
    with pytest.raises(Forbidden):
        replan(engine, store, OTHER, map_id, reason="not mine")
    for bad, field in (({"reason": "  "}, "reason"), ({"reason": "x" * 1001}, "reason"),
                       ({"reason": "ok", "horizon_months": 61}, "horizon_months"),
                       ({"reason": "ok", "target_role": "qqqq zzzz xxxx"}, "target_role"),
                       ({"reason": "bad\x00byte"}, "reason")):
        with pytest.raises(InvalidInput) as refused:
            replan(engine, store, ADMIN, map_id, **bad)  # type: ignore[arg-type]
        assert refused.value.field == field, bad
    assert map_versions(store, ADMIN, map_id)[-1].id == map_id  # nothing was stored by the refusals


def test_knowledge_changes_flag_the_map_and_explain_the_replan(engine: Engine, store: Store, tmp_path: Path) -> None:
    map_id, old = _stored_map(engine, store, employee="priya-raman")
    assert knowledge_changes(engine.knowledge, old) == []  # built from the current knowledge: nothing to flag
    assert map_id not in {f.map_id for f in affected_maps(engine, store)}
    changed, what = _modified_knowledge(tmp_path, old)
    gap, removed = what["gap"], what["removed"]
    flags = {f.map_id: f for f in affected_maps(changed, store)}
    assert map_id in flags
    reasons = flags[map_id].reasons
    assert (f"Senior Data Analyst now requires {gap.competency} at {gap.required + 1} "
            f"(the map planned for {gap.required})") in reasons
    assert f"{removed.title} was removed from the catalogue" in reasons
    assert {c.kind for c in flags[map_id].changes} == {"requirement_changed", "resource_removed"}
    # Only whom the principal may see: Priya's map is not Daniel's report's.
    assert map_id not in {f.map_id for f in flagged_for(changed, store, MANAGER)}
    priya = Principal(role="employee", person_id="priya-raman")
    assert map_id in {f.map_id for f in flagged_for(changed, store, priya)}
    record = replan(changed, store, ADMIN, map_id, reason="The data ladder was updated")
    diff = DevelopmentMap.model_validate(record.payload).diff
    assert [c.message for c in diff.knowledge_changes] == reasons
    assert f"- Knowledge changed: {reasons[0]}" in diff.markdown
    assert removed.resource_id in {a.resource_id for a in diff.dropped_actions}
    regap = next(g for g in diff.changed_gaps if g.competency_id == gap.competency_id)
    assert (regap.required_before, regap.required_after) == (gap.required, gap.required + 1)
    # The new version matches the changed knowledge, so Priya's open map is no longer flagged.
    assert record.id not in {f.map_id for f in affected_maps(changed, store)}
    assert map_id not in {f.map_id for f in affected_maps(changed, store)}  # superseded: not open any more


def test_a_map_stored_before_versions_and_metrics_can_be_replanned(engine: Engine, store: Store) -> None:
    dev_map = build_development_map(engine, "data-analyst", target_role="senior-data-analyst", horizon_months=6,
                                    start=START, employee="lena-fischer",
                                    ratings={"data-analysis": 2, "communication": {"self": 4, "manager": 2}})
    legacy = dev_map.model_dump(mode="json")
    for key in ("aspiration", "ratings", "metrics", "diff"):
        del legacy[key]  # what maps stored before this change look like
    map_id = store.save_map("lena-fischer", "admin", legacy).id
    record = replan(engine, store, ADMIN, map_id, reason="Picking up an old plan")
    new = DevelopmentMap.model_validate(record.payload)
    # The ratings were recovered from the stored gaps and disagreements, so the gaps are the same.
    assert new.ratings == {"communication": {"self": 4, "manager": 2}, "data-analysis": {"self": None, "manager": 2}}
    assert [(g.competency_id, g.current) for g in new.gaps] == [(g.competency_id, g.current) for g in dev_map.gaps]
    assert new.diff.markdown[-1] == "- No change to the target, gaps or actions"


# --- API -------------------------------------------------------------------------------------------------------------

def _api_map(c, employee: str = "lena-fischer") -> str:  # noqa: ANN001
    r = c.post("/v1/development-maps", json={"employee_id": employee, "current_role": "data-analyst",
                                             "target_role": "senior-data-analyst", "horizon_months": 6,
                                             "start": "2026-01-05"})
    assert r.status_code == 200, r.text
    return r.json()["id"]


def test_replan_and_versions_over_http(api: RunningApi) -> None:
    with api.client("manager") as c:
        map_id = _api_map(c)
        r = c.post(f"/v1/development-maps/{map_id}/replan",
                   json={"reason": "Promotion cycle moved", "horizon_months": 9})
        assert r.status_code == 201, r.text
        created = r.json()
        assert created["version"] == 2 and created["previous_id"] == map_id and created["created_by"] == "daniel-kim"
        assert created["map"]["diff"]["horizon_months"] == [6, 9] and created["map"]["horizon_months"] == 9
        again = c.post(f"/v1/development-maps/{map_id}/replan", json={"reason": "twice"})
        assert again.status_code == 409 and again.json()["field"] == "map_id"
        for body, field in (({}, "reason"), ({"reason": "x", "horizon_months": 0}, "horizon_months"),
                            ({"reason": "x", "colour": "red"}, "colour")):
            refused = c.post(f"/v1/development-maps/{created['id']}/replan", json=body)
            assert refused.status_code == 422 and refused.json()["field"] == field, refused.text
        assert c.post("/v1/development-maps/nope/replan", json={"reason": "x"}).status_code == 404
    with api.client("employee") as c:
        versions = c.get(f"/v1/development-maps/{created['id']}/versions")
        assert versions.status_code == 200
        assert [(v["version"], v["latest"]) for v in versions.json()] == [(1, False), (2, True)]
        assert versions.json()[1]["diff"]["markdown"][0] == "- Why: Promotion cycle moved"
    with api.client("other_employee") as c:
        assert c.get(f"/v1/development-maps/{map_id}/versions").status_code == 403
        denied = c.post(f"/v1/development-maps/{created['id']}/replan", json={"reason": "not mine"})
        assert denied.status_code == 403


def test_flagged_maps_over_http_follow_the_access_rules(api: RunningApi, engine: Engine, store: Store) -> None:
    # A map built when the target role asked less: its stored gap requires one level below today's knowledge.
    dev_map = build_development_map(engine, "data-analyst", target_role="senior-data-analyst", horizon_months=6,
                                    start=START, employee="lena-fischer")
    stale = dev_map.model_dump(mode="json")
    stale["gaps"][0]["required"] -= 1
    map_id = store.save_map("lena-fischer", "admin", stale).id
    expected = (f"Senior Data Analyst now requires {dev_map.gaps[0].competency} at {dev_map.gaps[0].required} "
                f"(the map planned for {dev_map.gaps[0].required - 1})")
    for who, sees in (("admin", True), ("manager", True), ("employee", True), ("other_employee", False)):
        with api.client(who) as c:
            r = c.get("/v1/development-maps/flagged")
            assert r.status_code == 200, r.text
            flags = {f["map_id"]: f for f in r.json()}
            assert (map_id in flags) == sees, who
            if sees:
                assert flags[map_id]["reasons"] == [expected] and flags[map_id]["employee_id"] == "lena-fischer"
            if who == "other_employee":
                assert all(f["employee_id"] == "priya-raman" for f in r.json())
    with api.client() as c:
        assert c.get("/v1/development-maps/flagged").status_code == 401


# --- CLI -------------------------------------------------------------------------------------------------------------

def test_map_versions_cli(cli_env: Path, engine: Engine) -> None:  # noqa: F811
    runner = EngineRunner(engine)
    store = Store(get_settings().resolved_database_url)
    store.migrate()
    store.seed_people(PROJECT_ROOT / "examples" / "people.yaml")
    map_id, _ = _stored_map(engine, store)

    def run(*args: str) -> object:
        result = runner.invoke(app, ["map-versions", *args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    created = run("replan", map_id, "--reason", "New target after the reorg", "--target", "analytics-manager")
    assert created["version"] == 2 and created["previous_id"] == map_id and created["created_by"] == "admin"
    text = runner.invoke(app, ["map-versions", "list", map_id]).stdout
    assert f"v2 (latest) {created['id']}" in text and "- Why: New target after the reorg" in text
    assert [v["version"] for v in run("list", created["id"])] == [1, 2]
    assert run("flagged") == []  # built from the knowledge in use
    assert "no map needs re-planning" in runner.invoke(app, ["map-versions", "flagged"]).stdout
    refused = runner.invoke(app, ["map-versions", "replan", map_id, "--reason", "again", "--json"])
    assert refused.exit_code == 2 and json.loads(refused.stderr)["field"] == "map_id"
    bad = runner.invoke(app, ["map-versions", "replan", created["id"], "--reason", "x", "--horizon", "99", "--json"])
    assert bad.exit_code == 2 and json.loads(bad.stderr)["field"] == "horizon_months"
    store.close()

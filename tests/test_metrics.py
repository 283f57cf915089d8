"""Development metrics: indicators in the knowledge (validated), on maps' priority gaps, recorded over the API/CLI."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from coach.cli import app
from coach.engine import Engine
from coach.errors import Forbidden, InvalidInput, NotFound
from coach.growth.development import MAX_PRIORITY_GAPS, DevelopmentMap, build_development_map
from coach.growth.metrics import MetricUpdate, MetricValue, record_metric
from coach.growth.replan import replan
from coach.knowledge import check_knowledge, load_knowledge
from coach.settings import PROJECT_ROOT, get_settings
from coach.store.auth import Principal
from coach.store.store import Store
from tests.conftest import KNOWLEDGE_DIR
from tests.servers import RunningApi
from tests.test_cli import EngineRunner, cli_env  # noqa: F401 - the fixture

START = date(2026, 1, 5)
ADMIN = Principal(role="admin")
LENA = Principal(role="employee", person_id="lena-fischer")


def _map(engine: Engine, store: Store, employee: str = "lena-fischer") -> tuple[str, DevelopmentMap]:
    dev_map = build_development_map(engine, "data-analyst", target_role="senior-data-analyst", horizon_months=6,
                                    start=START, employee=employee)
    return store.save_map(employee, "admin", dev_map.model_dump(mode="json")).id, dev_map


# --- knowledge -------------------------------------------------------------------------------------------------------

def test_every_competency_has_measurable_indicators() -> None:
    knowledge = load_knowledge(KNOWLEDGE_DIR)
    for competency in knowledge.competencies.values():
        assert len(competency.indicators) >= 2, competency.id
        for indicator in competency.indicators:
            assert indicator.direction in ("up", "down") and indicator.unit and len(indicator.measure) >= 40
    names = {i.name for c in knowledge.competencies.values() for i in c.indicators}
    assert {"Planning accuracy (say/do)", "Cycle time", "Stakeholder satisfaction", "People mentored"} <= names


def test_bad_indicators_are_reported_with_file_and_line(tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, root)
    path = root / "competencies.yaml"
    lines = path.read_text().splitlines()
    first = lines.index("        direction: down")  # software-engineering's lead-time-for-changes
    lines[first] = "        direction: sideways"
    second_id = next(i for i, line in enumerate(lines) if line == "      - id: slo-attainment")  # system-design's
    lines[second_id] = "      - id: designs-adopted"
    path.write_text("\n".join(lines) + "\n")
    problems = [str(p) for p in check_knowledge(root)]
    assert any(p.startswith(f"competencies.yaml:{first + 1}: ") and "indicators.0.direction" in p
               and "'up' or 'down'" in p for p in problems), problems
    assert any(p.startswith("competencies.yaml:") and "'system-design': indicators: " in p
               and "indicator ids must be unique" in p and "designs-adopted" in p for p in problems), problems


# --- maps ------------------------------------------------------------------------------------------------------------

def test_a_map_carries_indicators_for_its_priority_gaps(engine: Engine) -> None:
    dev_map = build_development_map(engine, "software-engineer-ii", target_role="engineering-manager",
                                    horizon_months=18, start=START)
    gaps = [g.competency_id for g in dev_map.gaps[:MAX_PRIORITY_GAPS]]
    assert [m.competency_id for m in dev_map.metrics] == gaps and len(dev_map.gaps) > MAX_PRIORITY_GAPS
    knowledge = engine.knowledge
    for metrics in dev_map.metrics:
        expected = knowledge.competencies[metrics.competency_id].indicators
        assert [i.id for i in metrics.indicators] == [i.id for i in expected]
        assert all(i.baseline is None and i.target is None and i.current is None for i in metrics.indicators)
    assert "## Measures of progress" in dev_map.markdown
    first = dev_map.metrics[0].indicators[0]
    competency = dev_map.metrics[0].competency.replace("&", "&amp;")
    assert f"| {competency} | {first.name} ({first.unit}): " in dev_map.markdown


def test_maps_stored_without_metrics_still_load(engine: Engine) -> None:
    payload = build_development_map(engine, "data-analyst", target_role="senior-data-analyst", start=START)
    legacy = payload.model_dump(mode="json")
    for key in ("aspiration", "ratings", "metrics", "diff"):
        del legacy[key]
    loaded = DevelopmentMap.model_validate(legacy)
    assert loaded.metrics == [] and loaded.diff is None and loaded.ratings == {} and loaded.aspiration == ""


def test_recording_values_updates_the_stored_map(engine: Engine, store: Store) -> None:
    map_id, dev_map = _map(engine, store)
    competency = dev_map.metrics[0]
    up = next(i for c in dev_map.metrics for i in c.indicators if i.direction == "up")
    owner = next(c for c in dev_map.metrics if up in c.indicators)
    saved = record_metric(store, LENA, map_id, owner.competency_id, MetricUpdate(
        indicator=up.id, baseline=MetricValue(value=2, on=START), target=MetricValue(value=5, on=date(2026, 7, 1))))
    recorded = next(i for i in saved.indicators if i.id == up.id)
    assert (recorded.baseline.value, recorded.target.on, recorded.current) == (2, date(2026, 7, 1), None)
    assert recorded.updated_by == "lena-fischer" and recorded.updated_at is not None
    # A later update keeps what it does not name.
    record_metric(store, ADMIN, map_id, owner.competency_id,
                  MetricUpdate(indicator=up.id, current=MetricValue(value=3.5, on=date(2026, 3, 2))))
    stored = DevelopmentMap.model_validate(store.get_map(map_id).payload)
    again = next(i for c in stored.metrics for i in c.indicators if i.id == up.id)
    assert (again.baseline.value, again.target.value, again.current.value, again.updated_by) == (2, 5, 3.5, "admin")
    assert "2 (2026-01-05) | 5 (2026-07-01) | 3.5 (2026-03-02) |" in stored.markdown
    # Refusals name the field, and change nothing.
    cases = [
        (LENA, "no-such-competency", MetricUpdate(indicator=up.id, current=MetricValue(value=1, on=START)), NotFound,
         "competency_id"),
        (LENA, competency.competency_id, MetricUpdate(indicator="nope", current=MetricValue(value=1, on=START)),
         InvalidInput, "indicator"),
        (LENA, owner.competency_id, MetricUpdate(indicator=up.id, target=MetricValue(value=1, on=START)), InvalidInput,
         "target"),  # higher is better, and the baseline is 2
        (LENA, owner.competency_id, MetricUpdate(indicator=up.id), InvalidInput, "body"),
        (Principal(role="employee", person_id="priya-raman"), owner.competency_id,
         MetricUpdate(indicator=up.id, current=MetricValue(value=1, on=START)), Forbidden, "employee_id"),
    ]
    for principal, cid, update, error, field in cases:
        with pytest.raises(error) as refused:
            record_metric(store, principal, map_id, cid, update)
        assert refused.value.field == field, (cid, update)
    assert store.get_map(map_id).payload == stored.model_dump(mode="json")


def test_recorded_values_carry_over_to_a_replanned_version(engine: Engine, store: Store) -> None:
    map_id, dev_map = _map(engine, store)
    metrics = dev_map.metrics[0]
    down = MetricUpdate(indicator=metrics.indicators[0].id, baseline=MetricValue(value=10, on=START))
    record_metric(store, ADMIN, map_id, metrics.competency_id, down)
    record = replan(engine, store, ADMIN, map_id, reason="Quarterly review", horizon_months=9)
    new = DevelopmentMap.model_validate(record.payload)
    carried = next(m for m in new.metrics if m.competency_id == metrics.competency_id).indicators[0]
    assert carried.baseline.value == 10 and new.diff.metrics_carried == 1
    assert "- Recorded values kept for 1 indicator(s)" in new.diff.markdown


# --- API and CLI -----------------------------------------------------------------------------------------------------

def test_metrics_over_http(api: RunningApi) -> None:
    with api.client("manager") as c:
        r = c.post("/v1/development-maps", json={"employee_id": "lena-fischer", "current_role": "data-analyst",
                                                 "target_role": "senior-data-analyst", "horizon_months": 6,
                                                 "start": "2026-01-05"})
        map_id = r.json()["id"]
        metrics = r.json()["metrics"][0]
        indicator = metrics["indicators"][0]
    url = f"/v1/development-maps/{map_id}/metrics/{metrics['competency_id']}"
    body = {"indicator": indicator["id"], "baseline": {"value": 12, "on": "2026-01-05"}}
    with api.client("employee") as c:
        r = c.put(url, json=body)
        assert r.status_code == 200, r.text
        assert r.json()["indicators"][0]["baseline"] == {"value": 12.0, "on": "2026-01-05"}
        assert c.get(f"/v1/development-maps/{map_id}").json()["metrics"][0]["indicators"][0]["baseline"]["value"] == 12
        for bad, field in (({**body, "baseline": {"value": 1, "on": "2026-13-01"}}, "baseline.on"),
                           ({**body, "baseline": {"value": 1, "on": "1999-12-31"}}, "baseline.on"),
                           ({**body, "colour": "red"}, "colour"), ({"baseline": body["baseline"]}, "indicator")):
            refused = c.put(url, json=bad)
            assert refused.status_code == 422 and refused.json()["field"] == field, refused.text
        missing = c.put(f"/v1/development-maps/{map_id}/metrics/no-such-competency", json=body)
        assert missing.status_code == 404 and missing.json()["field"] == "competency_id"
    with api.client("other_employee") as c:
        assert c.put(url, json=body).status_code == 403


def test_metric_cli(cli_env: Path, engine: Engine) -> None:  # noqa: F811
    runner = EngineRunner(engine)
    store = Store(get_settings().resolved_database_url)
    store.migrate()
    store.seed_people(PROJECT_ROOT / "examples" / "people.yaml")
    map_id, dev_map = _map(engine, store)
    metrics = dev_map.metrics[0]
    indicator = metrics.indicators[0].id
    result = runner.invoke(app, ["map-versions", "metric", map_id, metrics.competency_id, "--indicator", indicator,
                                 "--baseline", "40", "--baseline-on", "2026-01-05", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["indicators"][0]["baseline"] == {"value": 40.0, "on": "2026-01-05"}
    text = runner.invoke(app, ["map-versions", "metric", map_id, metrics.competency_id, "--indicator", indicator,
                               "--current", "35", "--current-on", "2026-03-02"]).stdout
    assert f"{indicator}: baseline 40 (2026-01-05), current 35 (2026-03-02)" in text
    half = runner.invoke(app, ["map-versions", "metric", map_id, metrics.competency_id, "--indicator", indicator,
                               "--target", "30", "--json"])
    assert half.exit_code == 2 and json.loads(half.stderr)["field"] == "target"
    store.close()

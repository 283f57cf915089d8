"""Paths and development maps: expected target in the top 3, exact gaps, actions on gaps, dates in order."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from coach.growth.development import DevelopmentMap, build_development_map
from coach.engine import Engine
from coach.growth.paths import explore_paths
from evals.common import eval_engine
from evals.harness import DATASETS_DIR, SHARED_DIR, Metric, SuiteResult, load_jsonl


def expected_gaps(engine: Engine, current_id: str, target_id: str, ratings: dict | None) -> set[tuple[str, int, int]]:
    """Gaps recomputed straight from the knowledge, independently of coach.growth.gaps."""
    k = engine.knowledge
    current, target = k.roles[current_id], k.roles[target_id]
    out = set()
    for cid, required in target.competencies.items():
        given = (ratings or {}).get(cid)
        if isinstance(given, dict):
            level = given.get("manager") or given.get("self")
        else:
            level = given
        if level is None:
            level = current.competencies.get(cid, 1)
        if level < required:
            out.add((cid, level, required))
    return out


def check_map(engine: Engine, case: dict[str, Any], dev_map: DevelopmentMap) -> list[str]:
    """Every problem with one map (empty when it is right)."""
    problems = []
    got = {(g.competency_id, g.current, g.required) for g in dev_map.gaps}
    want = expected_gaps(engine, case["current_role"], dev_map.target_role.id, case.get("ratings"))
    if got != want:
        problems.append(f"gaps differ: missing {sorted(want - got)}, extra {sorted(got - want)}")
    gap_ids = {g.competency_id for g in dev_map.gaps}
    stray = [a.resource_id for a in dev_map.actions if a.competency_id not in gap_ids]
    if stray:
        problems.append(f"actions not on a listed gap: {stray}")
    outside = [a.resource_id for a in dev_map.actions if not dev_map.start <= a.start <= a.due <= dev_map.end]
    if outside:
        problems.append(f"actions outside the horizon: {outside}")
    dues = [a.due for a in dev_map.actions]
    if dues != sorted(dues):
        problems.append("actions not ordered by due date")
    if dev_map.gaps and not dev_map.actions:
        problems.append("gaps but no actions")
    return problems


def _ladder_check(limit: int | None) -> tuple[float, float, list[dict]]:
    from coach.importers.ladder_md import import_markdown_ladder

    out = Path(tempfile.mkdtemp(prefix="coach-ladders-"))
    import_markdown_ladder(SHARED_DIR / "data" / "engineeringladders", out)
    engine = eval_engine(out)
    developers = sorted((r for r in engine.knowledge.roles if re.fullmatch(r"developer-\d+", r)),
                        key=lambda r: int(r.split("-")[1]))[:limit]
    up_ok = em_ok = 0
    details = []
    for rid in developers:
        level = int(rid.split("-")[1])
        paths = explore_paths(engine, rid, limit=20).paths
        reached = {s.role.id for p in paths for s in p.steps}
        has_up = f"developer-{level + 1}" in reached or f"developer-{level + 1}" not in engine.knowledge.roles
        has_em = any(r.startswith("engineering-manager") for r in reached)
        up_ok += has_up
        em_ok += has_em
        details.append({"role": rid, "next_level_up": has_up, "engineering_manager": has_em, "reached": sorted(reached)})
    n = max(len(developers), 1)
    return up_ok / n, em_ok / n, details


def run(limit: int | None = None, **_: Any) -> SuiteResult:
    cases = load_jsonl(DATASETS_DIR / "paths.jsonl")[:limit]
    engine = eval_engine()
    in_top3 = paths_hit = maps_ok = exact_gaps = actions_on_gaps = dates_ok = 0
    details = []
    for case in cases:
        expected = set(case["expected"])
        dev_map = build_development_map(engine, case["current_role"], aspiration=case["aspiration"],
                                        ratings=case.get("ratings"), horizon_months=case.get("horizon_months", 12),
                                        start=date.fromisoformat(case.get("start", "2026-01-15")))
        candidates = [c.id for c in dev_map.candidates]
        hit = bool(expected & set(candidates[:3]))
        in_top3 += hit
        paths = explore_paths(engine, case["current_role"], case["aspiration"], ratings=case.get("ratings"), limit=8)
        paths_hit += bool(expected & {s.role.id for p in paths.paths for s in p.steps})
        problems = check_map(engine, case, dev_map)
        maps_ok += not problems
        exact_gaps += not any(p.startswith("gaps differ") for p in problems)
        actions_on_gaps += not any(p.startswith("actions not on") for p in problems)
        dates_ok += not any("horizon" in p or "ordered" in p for p in problems)
        if problems or not hit:
            details.append({"id": case["id"], "expected": sorted(expected), "candidates": candidates,
                            "problems": problems})
    n = max(len(cases), 1)
    metrics = [
        Metric("cases", len(cases)),
        Metric("target_in_top3", in_top3 / n, 0.9),
        Metric("expected_on_a_path", paths_hit / n),
        Metric("gaps_exact", exact_gaps / n, 1.0),
        Metric("actions_on_listed_gaps", actions_on_gaps / n, 1.0),
        Metric("due_dates_in_horizon_and_ordered", dates_ok / n, 1.0),
    ]
    notes = []
    if (SHARED_DIR / "data" / "engineeringladders").is_dir():
        up, em, ladder_details = _ladder_check(limit)
        metrics += [Metric("ladders.next_level_up_on_paths", up, 1.0), Metric("ladders.engineering_manager_on_paths", em, 1.0)]
        details += [{"ladder": d} for d in ladder_details if not (d["next_level_up"] and d["engineering_manager"])]
    else:
        notes.append("engineering ladders not found next to the project: ladder checks skipped")
    return SuiteResult("paths", metrics, cases=details, notes=notes)

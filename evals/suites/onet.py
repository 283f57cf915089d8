"""Career-path ranking on the real O*NET framework, against withheld Career Changers links.

Imports O*NET (../shared/data/onet) into a temp knowledge directory, withholds the outgoing
next/lateral links of a seeded sample of occupations that have Career Changers targets, indexes
it in a fresh temp data directory, and for each withheld occupation ranks the other roles with
(a) Coach's path ranking (`explore_paths`, as `coach paths` shows it: the roles of the ranked
paths in order, each path's steps in order), (b) a cosine over the indexed role text embeddings,
(c) a cosine over the 35 O*NET skill LV vectors. Reports recall@5, recall@10 and MRR against the
occupation's Career Changers targets. Also: how often the development map's target choice
(`rank_target_roles`, no current role) picks an occupation from the first sentence of its own
description. Links that other roles point at a withheld role still count (both ways for
lateral links), as they would in a real organisation's knowledge.
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from evals.harness import SHARED_DIR, Metric, SuiteResult

ONET_DIR = SHARED_DIR / "data" / "onet"
SEED = 11
WITHHELD = 120
MAP_SAMPLE = 150
KS = (5, 10)


def _log(message: str) -> None:
    print(f"[onet] {message}", file=sys.stderr, flush=True)


def _table(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").split("\n")[1:]
    return [line.rstrip("\r").split("\t") for line in lines if line.strip()]


def _withhold(knowledge_dir: Path, withheld: set[str]) -> None:
    """Empty the next/lateral links of the withheld roles (their own outgoing links only)."""
    for path in sorted((knowledge_dir / "roles").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for role in doc["roles"]:
            if role["id"] in withheld:
                role["next_roles"], role["lateral_roles"] = [], []
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")


def _cosine_rank(vectors: dict[str, np.ndarray], rid: str) -> list[str]:
    ids = sorted(vectors)
    matrix = np.stack([vectors[i] for i in ids])
    matrix = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    query = vectors[rid] / max(np.linalg.norm(vectors[rid]), 1e-12)
    scores = matrix @ query
    order = sorted(range(len(ids)), key=lambda i: (-scores[i], ids[i]))
    return [ids[i] for i in order if ids[i] != rid]


def _path_rank(engine: Any, rid: str) -> list[str]:
    from coach.growth.paths import explore_paths

    ranked: list[str] = []
    for path in explore_paths(engine, rid, limit=20).paths:
        for step in path.steps:
            if step.role.id != rid and step.role.id not in ranked:
                ranked.append(step.role.id)
    return ranked


def _score(ranked: list[str], truth: set[str]) -> dict[str, float]:
    out = {f"recall@{k}": len(set(ranked[:k]) & truth) / len(truth) for k in KS}
    out["mrr"] = next((1.0 / rank for rank, rid in enumerate(ranked, start=1) if rid in truth), 0.0)
    return out


def run(limit: int | None = None, **_: Any) -> SuiteResult:
    if not ONET_DIR.is_dir():
        return SuiteResult("onet", [Metric("cases", 0)], notes=[f"O*NET data not found at {ONET_DIR}: skipped"])
    from coach.engine import Engine
    from coach.growth.paths import rank_target_roles
    from coach.importers.common import slugify
    from coach.importers.onet import CAREER_CHANGERS, OCCUPATIONS, SKILLS, import_onet
    from coach.settings import Settings

    tmp = Path(tempfile.mkdtemp(prefix="coach-onet-"))
    started = time.perf_counter()
    report = import_onet(ONET_DIR, tmp / "knowledge")
    import_s = time.perf_counter() - started
    _log(f"imported {len(report.roles)} roles in {import_s:.1f}s")
    role_ids = set(report.roles)
    code_to_id = {row[0]: slugify(row[1]) for row in _table(ONET_DIR / OCCUPATIONS)}
    changers: dict[str, list[str]] = {}
    for row in _table(ONET_DIR / CAREER_CHANGERS):
        source, target = code_to_id.get(row[0]), code_to_id.get(row[2])
        if source in role_ids and target in role_ids:
            changers.setdefault(source, []).append(target)
    eligible = sorted(changers)
    withheld = sorted(random.Random(SEED).sample(eligible, min(WITHHELD, len(eligible))))
    _withhold(tmp / "knowledge", set(withheld))
    cases = withheld[:limit]

    settings = Settings(knowledge_dir=tmp / "knowledge", data_dir=tmp / "data", _env_file=None)
    engine = Engine(settings)
    _log(f"indexing {len(role_ids)} roles and {len(report.competencies)} competencies (MiniLM; minutes on 2 cores)")
    started = time.perf_counter()
    engine.reindex(progress=sys.stderr.isatty())
    index_s = time.perf_counter() - started
    _log(f"indexed in {index_s:.1f}s")

    stored = engine.index.collection("role").get(include=["embeddings"])
    text_vectors = {rid: np.asarray(vec, dtype=float) for rid, vec in zip(stored["ids"], stored["embeddings"])}
    lv: dict[str, dict[str, float]] = {}
    elements: set[str] = set()
    for row in _table(ONET_DIR / SKILLS):
        rid = code_to_id.get(row[0])
        if rid in role_ids and row[4] == "LV":
            lv.setdefault(rid, {})[row[2]] = float(row[6])
            elements.add(row[2])
    order = sorted(elements)
    skill_vectors = {rid: np.asarray([values.get(e, 0.0) for e in order]) for rid, values in lv.items()}

    methods = {
        "paths": lambda rid: _path_rank(engine, rid),
        "text_cosine": lambda rid: _cosine_rank(text_vectors, rid),
        "skill_lv_cosine": lambda rid: _cosine_rank(skill_vectors, rid),
    }
    totals = {m: {"recall@5": 0.0, "recall@10": 0.0, "mrr": 0.0, "ms": 0.0} for m in methods}
    details = []
    for number, rid in enumerate(cases, start=1):
        truth = set(changers[rid])
        row: dict[str, Any] = {"role": rid, "truth": sorted(truth)}
        for name, rank in methods.items():
            started = time.perf_counter()
            ranked = rank(rid)
            elapsed = (time.perf_counter() - started) * 1000
            scores = _score(ranked, truth)
            for key, value in scores.items():
                totals[name][key] += value
            totals[name]["ms"] += elapsed
            row[name] = {**{k: round(v, 3) for k, v in scores.items()}, "top10": ranked[:10], "ms": round(elapsed, 1)}
        details.append(row)
        if number % 10 == 0 or number == len(cases):
            _log(f"ranked {number}/{len(cases)} cases")

    roles = engine.knowledge.roles
    sample = sorted(random.Random(SEED + 1).sample(sorted(roles), min(MAP_SAMPLE, len(roles))))[:limit]
    map_hits = 0
    map_ms = 0.0
    misses = []
    for rid in sample:
        aspiration = re.split(r"(?<=[.!?])\s+", roles[rid].summary.strip())[0]
        started = time.perf_counter()
        top = rank_target_roles(engine, None, aspiration, top=1)
        map_ms += (time.perf_counter() - started) * 1000
        if top and top[0].id == rid:
            map_hits += 1
        else:
            misses.append({"role": rid, "aspiration": aspiration, "top": top[0].id if top else None})
    _log(f"map target top-1: {map_hits}/{len(sample)}")
    # A real map always has a current role: take one that links to the occupation (its people move there), so the
    # hop and level terms weigh in too.
    linked_from: dict[str, str] = {}
    for other in sorted(roles):
        for target in (*roles[other].next_roles, *roles[other].lateral_roles):
            linked_from.setdefault(target, other)
    current_hits = current_cases = 0
    for rid in sample:
        if rid not in linked_from:
            continue
        aspiration = re.split(r"(?<=[.!?])\s+", roles[rid].summary.strip())[0]
        top = rank_target_roles(engine, roles[linked_from[rid]], aspiration, top=1)
        current_cases += 1
        current_hits += bool(top and top[0].id == rid)
    _log(f"map target top-1 from a role that links to it: {current_hits}/{current_cases}")

    n = max(len(cases), 1)
    metrics = [Metric("cases", len(cases)), Metric("roles", len(role_ids))]
    for name in methods:
        target = 0.40 if name == "paths" else None
        metrics += [Metric(f"{name}.recall@5", totals[name]["recall@5"] / n),
                    Metric(f"{name}.recall@10", totals[name]["recall@10"] / n, target),
                    Metric(f"{name}.mrr", totals[name]["mrr"] / n)]
    metrics += [Metric("map.cases", len(sample)), Metric("map.target_top1", map_hits / max(len(sample), 1), 0.9),
                Metric("map.with_current.cases", current_cases),
                Metric("map.with_current.target_top1", current_hits / max(current_cases, 1)),
                Metric("time.import_s", import_s), Metric("time.index_s", index_s)]
    metrics += [Metric(f"time.{name}_ms_per_case", totals[name]["ms"] / n) for name in methods]
    metrics.append(Metric("time.map_ms_per_case", map_ms / max(len(sample), 1)))
    notes = [f"withheld: the outgoing links of {len(withheld)} seeded occupations with Career Changers targets "
             f"(seed {SEED}); truth: their Career Changers targets among imported roles",
             "paths: explore_paths(limit=20), the roles of the ranked paths in order; map: rank_target_roles with no "
             "current role, aspiration = first sentence of the occupation's description; map.with_current: the same "
             "from the first role (by id) whose next or lateral links include the occupation"]
    for name in methods:
        if name != "paths":
            better = totals["paths"]["recall@10"] > totals[name]["recall@10"]
            notes.append(f"paths recall@10 {'above' if better else 'NOT above'} {name}")
    return SuiteResult("onet", metrics, cases=details + [{"map_miss": m} for m in misses], notes=notes)

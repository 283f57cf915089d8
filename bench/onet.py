"""Scale: Coach on the real O*NET framework (873 roles with skill ratings, 35 skills), issue #11's budgets.

Run: python bench/onet.py [--runs 5] [--cases 40]
Imports ../shared/data/onet into a throwaway knowledge directory, then measures in fresh processes against a
throwaway data directory: the first `coach index`, `coach index` with nothing changed, cold `coach search` and
`coach paths` calls (p50/p95), and in one process the p50/p95 of explore_paths (without interests, then with an
interests text, whose one query embedding is timed apart) and build_development_map over seeded roles, with that
process's resident memory. Prints a table and writes bench/results/onet.json.
Budgets (issue #11): CLI call < 2 s, re-index with nothing changed < 3 s, in-process paths (with or without
interests)/map p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONET = ROOT.parent / "shared" / "data" / "onet"
BUDGETS = {"cli_p95_s": 2.0, "reindex_unchanged_s": 3.0, "paths_p95_ms": 50.0, "paths_interests_p95_ms": 50.0,
           "map_p95_ms": 50.0}

IN_PROCESS = r"""
import json, os, random, statistics, sys, time
from coach.engine import Engine
from coach.growth.development import build_development_map
from coach.growth.paths import explore_paths
cases = int(sys.argv[1])
engine = Engine()
started = time.perf_counter()
engine.knowledge; engine.searcher.warm()
warm_s = time.perf_counter() - started
roles = sorted(engine.knowledge.roles)
random.seed(7)
sample = random.sample(roles, cases)
explore_paths(engine, sample[0])  # the role graph, once per process
paths, maps = [], []
for rid in sample:
    t = time.perf_counter(); explore_paths(engine, rid); paths.append((time.perf_counter() - t) * 1000)
    target = engine.knowledge.roles[rid].next_roles[:1] or engine.knowledge.roles[rid].lateral_roles[:1]
    if target:
        t = time.perf_counter(); build_development_map(engine, rid, target_role=target[0]); maps.append((time.perf_counter() - t) * 1000)
rss_mb = lambda: next(int(line.split()[1]) / 1024 for line in open(f"/proc/{os.getpid()}/status")
                     if line.startswith("VmRSS:"))
rss = rss_mb()  # before the embedding model loads (the calls above need none)
# With interests: the same roles and one text. The model's first load and the text's embedding are timed apart (the
# embedder caches a query's vector, so the calls after the first reuse it); interest_fit embeds the wanted part.
from coach.growth.aspiration import split_aspiration
interests = "I want to work with data and statistics"
t = time.perf_counter(); engine.embeddings.embed_query("load the model")
model_s = time.perf_counter() - t
t = time.perf_counter(); engine.embeddings.embed_query(split_aspiration(interests).wanted)
embed_ms = (time.perf_counter() - t) * 1000
with_interests = []
for rid in sample:
    t = time.perf_counter(); explore_paths(engine, rid, interests); with_interests.append((time.perf_counter() - t) * 1000)
q = lambda xs, p: sorted(xs)[max(0, int(round(p * len(xs))) - 1)]
print(json.dumps({"load_and_warm_s": round(warm_s, 2), "paths_p50_ms": round(statistics.median(paths), 1),
                  "paths_p95_ms": round(q(paths, 0.95), 1), "map_p50_ms": round(statistics.median(maps), 1),
                  "map_p95_ms": round(q(maps, 0.95), 1), "cases": len(paths),
                  "paths_interests_p50_ms": round(statistics.median(with_interests), 1),
                  "paths_interests_p95_ms": round(q(with_interests, 0.95), 1),
                  "embedding_model_load_s": round(model_s, 2), "query_embedding_ms": round(embed_ms, 1), "rss_mb": round(rss, 1),
                  "rss_with_model_mb": round(rss_mb(), 1)}))
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    return time.perf_counter() - started


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cases", type=int, default=40)
    args = parser.parse_args()
    if not ONET.is_dir():
        raise SystemExit(f"no O*NET data at {ONET}")
    work = Path(tempfile.mkdtemp(prefix="coach-onet-bench-"))
    knowledge, data = work / "knowledge", work / "data"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COACH_DATA_DIR": str(data), "COACH_KNOWLEDGE_DIR": str(knowledge),
           "ANONYMIZED_TELEMETRY": "False"}
    coach = [sys.executable, "-m", "coach.cli"]
    import_s = timed([*coach, "import", "onet", str(ONET), str(knowledge)], env)
    index_s = timed([*coach, "index"], env)
    reindex = [timed([*coach, "index"], env) for _ in range(args.runs)]
    search = [timed([*coach, "search", "I want to work with data and statistics", "--kind", "role", "--top", "5"], env)
              for _ in range(args.runs)]
    sys.path.insert(0, str(ROOT))
    from coach.knowledge import load_knowledge

    roles = sorted(load_knowledge(knowledge).roles)
    random.seed(3)
    paths = [timed([*coach, "paths", "--role", random.choice(roles), "--json"], env) for _ in range(args.runs)]
    inproc = json.loads(subprocess.run([sys.executable, "-c", IN_PROCESS, str(args.cases)], env=env, check=True,
                                       capture_output=True, text=True, cwd=ROOT).stdout.strip().splitlines()[-1])
    result = {
        "roles": len(roles), "cpus": os.cpu_count(), "load_average": os.getloadavg(),
        "import_s": round(import_s, 2), "first_index_s": round(index_s, 1),
        "reindex_unchanged_p50_s": round(statistics.median(reindex), 2),
        "cli_search_p50_s": round(statistics.median(search), 2), "cli_search_p95_s": round(p95(search), 2),
        "cli_paths_p50_s": round(statistics.median(paths), 2), "cli_paths_p95_s": round(p95(paths), 2),
        **{f"in_process_{k}": v for k, v in inproc.items()}, "budgets": BUDGETS,
    }
    out = ROOT / "bench" / "results" / "onet.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for key, value in result.items():
        if key != "budgets":
            print(f"{key:<34} {value}")
    print(f"written: {out}")


if __name__ == "__main__":
    main()

"""Web app speed: p50/p95 per page for one signed-in client (rules engine). Run: python bench/pages.py

Starts `coach serve` on a fresh data directory, signs in with one-time links (a manager and the admin), files one
set of notes, one map and one agenda so the pages have content, then requests each page in turn. The goal is under
150 ms per page; POSTs that run the engine (questions, a summary, a map) are reported beside the pages.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_api", ROOT / "bench" / "api.py")
bench_api = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(bench_api)  # type: ignore[union-attr]
BIN, NOTES = bench_api.BIN, bench_api.NOTES
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
GOAL_MS = 150


def sign_in(base: str, env: dict, role: str, person: str | None) -> tuple[httpx.Client, str]:
    args = [str(BIN / "coach"), "signin-link", "--role", role, "--json"] + (["--person", person] if person else [])
    url = json.loads(subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout)["url"]
    client = httpx.Client(base_url=base, timeout=120, follow_redirects=True)
    path = url.split("8000", 1)[-1] if "8000" in url else url
    page = client.get(path[path.index("/signin"):])
    landing = client.post("/signin/link", data={"code": url.split("code=")[1], "csrf": CSRF.search(page.text).group(1)})
    landing.raise_for_status()
    return client, CSRF.search(landing.text).group(1)


def timed(call, n: int) -> dict:  # noqa: ANN001
    latencies, errors = [], 0
    call()  # warm-up
    for _ in range(n):
        started = time.perf_counter()
        response = call()
        latencies.append((time.perf_counter() - started) * 1000)
        errors += response.status_code >= 400
    return {"p50_ms": round(statistics.median(latencies), 1), "p95_ms": round(bench_api.percentile(latencies, 95), 1),
            "requests": n, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=40, help="requests per page")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "pages.json")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="coach-bench-pages-"))
    env = {**os.environ, "COACH_DATA_DIR": str(data_dir), "ANONYMIZED_TELEMETRY": "False"}
    subprocess.run([str(BIN / "coach"), "index"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([str(BIN / "coach"), "setup-local"], env=env, check=True, stdout=subprocess.DEVNULL)
    port = bench_api.free_port()
    server = subprocess.Popen([str(BIN / "coach"), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        bench_api.wait_healthy(base)
        manager, csrf = sign_in(base, env, "manager", "daniel-kim")
        admin, _ = sign_in(base, env, "admin", None)
        counter = [0]

        def file_notes() -> httpx.Response:
            counter[0] += 1
            return manager.post("/people/lena-fischer/notes", data={
                "csrf": csrf, "notes": NOTES, "meeting_date": "2026-11-30", "manager": "Daniel Kim",
                "employee": "Lena Fischer", "author": "manager", "key": f"bench-{counter[0]}-{time.time_ns()}"})

        def prepare() -> httpx.Response:
            return manager.post("/people/lena-fischer/prepare", data={
                "csrf": csrf, "role": "senior-software-engineer", "aspiration": "lead a team one day",
                "context": "shipped the payments migration", "conversation_type": "career-check-in", "count": "8"})

        def make_map() -> httpx.Response:
            return manager.post("/people/lena-fischer/map", data={
                "csrf": csrf, "role": "senior-software-engineer", "aspiration": "become an engineering manager",
                "target_role": "engineering-manager", "horizon_months": "12"})

        note_url, agenda_url, map_url = file_notes().url.path, prepare().url.path, make_map().url.path
        pages = {
            "GET /team": lambda: manager.get("/team"),
            "GET /people/{id}": lambda: manager.get("/people/lena-fischer"),
            "GET /people/{id}/prepare": lambda: manager.get("/people/lena-fischer/prepare"),
            "GET /agendas/{id}": lambda: manager.get(agenda_url),
            "GET /people/{id}/notes/new": lambda: manager.get("/people/lena-fischer/notes/new"),
            "GET /notes/{id}": lambda: manager.get(note_url),
            "GET /maps/{id}": lambda: manager.get(map_url),
            "GET /people/{id}/paths": lambda: manager.get("/people/lena-fischer/paths", params={"interests": "design"}),
            "GET /knowledge": lambda: admin.get("/knowledge"),
            "POST prepare (questions)": prepare,
            "POST notes (summary)": file_notes,
            "POST map": make_map,
        }
        rows = []
        for name, call in pages.items():
            rows.append({"page": name, **timed(call, args.requests)})
            print(json.dumps(rows[-1]))
        result = {"goal_ms": GOAL_MS, "clients": 1, "rss_mb_after": round(bench_api.rss_mb(server.pid), 1),
                  "rows": rows}
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(data_dir, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\n{'page':<30} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}  (goal: p95 < {GOAL_MS} ms, one client)")
    for r in rows:
        print(f"{r['page']:<30} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['errors']:>6}")


if __name__ == "__main__":
    main()

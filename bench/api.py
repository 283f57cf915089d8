"""API speed: start-up time, resident memory, p50/p95 per endpoint at 1, 10 and 50 clients. Run: python bench/api.py"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NOTES = ("- Lena wants to grow toward staff engineer.\n- Lena will draft the retry-service design doc by next Friday.\n"
         "- I'll introduce her to Tom this week.\n- Next check-in in 6 weeks.\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base: str, timeout_s: float = 120) -> float:
    """Seconds until GET /health answers 200; SystemExit when the server does not come up in time."""
    started = time.perf_counter()
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.1)
        if time.perf_counter() - started > timeout_s:
            raise SystemExit(f"server did not start in {timeout_s:.0f} s")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def requests_for(counter: list[int]) -> dict:
    def summary(c: httpx.Client) -> httpx.Response:
        counter[0] += 1
        return c.post("/v1/summaries", json={"employee_id": "lena-fischer", "notes": NOTES, "meeting_date": "2026-03-02",
                                             "participants": [{"name": "Daniel Kim", "role": "manager"},
                                                              {"name": "Lena Fischer", "role": "employee"}]},
                      headers={"Idempotency-Key": f"bench-{os.getpid()}-{counter[0]}-{time.time_ns()}"})

    return {
        "GET /v1/search": lambda c: c.get("/v1/search", params={"q": "I love customer problems", "kind": "role"}),
        "GET /v1/roles/{id}/paths": lambda c: c.get("/v1/roles/senior-data-analyst/paths", params={"interests": "customers"}),
        "POST /v1/questions": lambda c: c.post("/v1/questions", json={
            "name": "Priya", "role": "data-analyst", "aspiration": "move toward product management",
            "context": "last time we talked about her SQL dashboards", "count": 8}),
        "POST /v1/development-maps": lambda c: c.post("/v1/development-maps", json={
            "current_role": "software-engineer-ii", "aspiration": "engineering manager within 18 months",
            "horizon_months": 18, "start": "2026-01-05"}),
        "POST /v1/summaries": summary,
        "GET /v1/employees/{id}/commitments": lambda c: c.get("/v1/employees/lena-fischer/commitments"),
    }


def measure(base: str, token: str, name: str, call, clients: int, total: int) -> dict:  # noqa: ANN001
    latencies: list[float] = []
    errors = 0

    def worker(n: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
            for _ in range(n):
                t = time.perf_counter()
                r = call(c)
                latencies.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    errors += 1

    share = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, share))
    wall = time.perf_counter() - started
    return {"endpoint": name, "clients": clients, "requests": total, "errors": errors,
            "p50_ms": round(statistics.median(latencies), 1), "p95_ms": round(percentile(latencies, 95), 1),
            "throughput_rps": round(total / wall, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=60, help="requests per endpoint and concurrency level")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "api.json")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    env = {**os.environ, "COACH_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    subprocess.run([str(BIN / "coach"), "index"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([str(BIN / "coach"), "setup-local"], env=env, check=True, stdout=subprocess.DEVNULL)
    token = (data_dir / "local-admin-token").read_text().strip()
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([str(BIN / "coach"), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base)
        startup = time.perf_counter() - started  # from the launch, not from the first poll
        rss_idle = rss_mb(server.pid)
        counter = [0]
        rows = []
        for name, call in requests_for(counter).items():
            measure(base, token, name, call, 1, 3)  # warm-up
            for clients in (1, 10, 50):
                rows.append(measure(base, token, name, call, clients, max(args.requests, clients)))
                print(json.dumps(rows[-1]))
        result = {"startup_seconds": round(startup, 2), "rss_mb_idle": round(rss_idle, 1),
                  "rss_mb_after_load": round(rss_mb(server.pid), 1), "budgets": {"p95_ms_one_client": 150,
                  "startup_seconds": 15, "rss_mb": 1536}, "rows": rows}
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(data_dir, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nstart-up {result['startup_seconds']} s, RSS idle {result['rss_mb_idle']} MB, "
          f"after load {result['rss_mb_after_load']} MB")
    print(f"{'endpoint':<36} {'clients':>7} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'errors':>6}")
    for r in rows:
        print(f"{r['endpoint']:<36} {r['clients']:>7} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['throughput_rps']:>7} {r['errors']:>6}")


if __name__ == "__main__":
    main()

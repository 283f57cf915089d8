"""Footprint: install size, cold CLI calls, server start and idle memory of one install.

Run: python bench/footprint.py [--python VENV/bin/python] [--code DIR] [--label NAME]
Every measurement starts a fresh process of that interpreter, with DIR (default: this checkout) first
on PYTHONPATH, against a throwaway data directory that is indexed once before the timing starts.
Prints a table and writes bench/results/footprint-<label>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BUDGETS = {"cli_search_s": 1.5, "server_start_s": 3.0, "server_idle_rss_mb": 300}
QUERY = "I love customer problems and want to grow"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tree_size_mb(path: Path) -> float:
    """Bytes of the files under path (links not followed), in MB."""
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                pass
    return total / 1e6


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn may fork), in MB."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


CPU_SECONDS: dict[str, list[float]] = {}  # user + system CPU of each timed command: steadier than wall time on a busy machine


def timed(cmd: list[str], env: dict[str, str], name: str = "") -> float:
    """Wall seconds of one command, which must succeed; its CPU seconds go to CPU_SECONDS[name]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=env["PYTHONPATH"])
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU_SECONDS.setdefault(name, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def server_start(python: str, env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds from spawning `coach serve` to /health 200, idle RSS 3 s later, RSS after one search."""
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([python, "-m", "coach.cli", "serve", "--port", str(port)], env=env, cwd=env["PYTHONPATH"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            if server.poll() is not None:
                raise SystemExit(f"server exited with {server.returncode}")
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.perf_counter() - started > 180:
                raise SystemExit("server did not answer /health within 180 s")
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        time.sleep(3)  # let start-up work in background threads settle
        idle = rss_mb(server.pid)
        token = env["COACH_BENCH_TOKEN"]
        httpx.get(f"{base}/v1/search", params={"q": QUERY, "kind": "role"},
                  headers={"Authorization": f"Bearer {token}"}, timeout=120).raise_for_status()
        return seconds, idle, rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="The interpreter of the install to measure.")
    parser.add_argument("--code", type=Path, default=ROOT, help="The checkout whose code runs (first on PYTHONPATH).")
    parser.add_argument("--label", default="current")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    prefix = subprocess.run([args.python, "-c", "import sys; print(sys.prefix)"], check=True, capture_output=True,
                            text=True).stdout.strip()
    data_dir = Path(tempfile.mkdtemp(prefix="coach-footprint-"))
    env = {**os.environ, "PYTHONPATH": str(args.code.resolve()), "COACH_DATA_DIR": str(data_dir),
           "ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    coach = [args.python, "-m", "coach.cli"]
    first_index = timed([*coach, "index"], env)
    subprocess.run([*coach, "setup-local"], env=env, check=True, stdout=subprocess.DEVNULL, cwd=env["PYTHONPATH"])
    env["COACH_BENCH_TOKEN"] = (data_dir / "local-admin-token").read_text().strip()

    help_s = [timed([*coach, "--help"], env, "help") for _ in range(args.runs)]
    search_s = [timed([*coach, "search", QUERY, "--kind", "role", "--top", "3"], env, "search") for _ in range(args.runs)]
    index_s = [timed([*coach, "index"], env, "index") for _ in range(args.runs)]
    starts = [server_start(args.python, env) for _ in range(3)]
    result = {
        "label": args.label, "python": args.python, "code": str(args.code.resolve()), "prefix": prefix,
        "cpus": os.cpu_count(), "load_average": os.getloadavg(),
        "venv_mb": round(tree_size_mb(Path(prefix)), 1),
        "first_index_s": round(first_index, 2),
        "cli_help_p50_s": round(statistics.median(help_s), 2),
        "cli_search_p50_s": round(statistics.median(search_s), 2),
        "cli_index_unchanged_p50_s": round(statistics.median(index_s), 2),
        "cli_search_cpu_p50_s": round(statistics.median(CPU_SECONDS["search"]), 2),
        "cli_index_unchanged_cpu_p50_s": round(statistics.median(CPU_SECONDS["index"]), 2),
        "server_start_p50_s": round(statistics.median(s for s, _, _ in starts), 2),
        "server_idle_rss_mb": round(statistics.median(r for _, r, _ in starts), 1),
        "server_rss_after_search_mb": round(statistics.median(r for _, _, r in starts), 1),
        "runs": {"cpu_s": CPU_SECONDS, "cli_help_s": help_s, "cli_search_s": search_s, "cli_index_unchanged_s": index_s,
                 "server": [list(s) for s in starts]},
        "budgets": BUDGETS,
    }
    out = ROOT / "bench" / "results" / f"footprint-{args.label}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    rows = [("install size (MB)", "venv_mb"), ("first `coach index` (s)", "first_index_s"),
            ("`coach --help`, p50 (s)", "cli_help_p50_s"), ("`coach search`, cold, p50 (s)", "cli_search_p50_s"),
            ("`coach search`, CPU user+sys, p50 (s)", "cli_search_cpu_p50_s"),
            ("`coach index`, nothing changed, p50 (s)", "cli_index_unchanged_p50_s"),
            ("`coach index`, unchanged, CPU, p50 (s)", "cli_index_unchanged_cpu_p50_s"),
            ("server start to /health 200, p50 (s)", "server_start_p50_s"),
            ("server RSS idle (MB)", "server_idle_rss_mb"), ("server RSS after one search (MB)", "server_rss_after_search_mb")]
    print(f"{'measure':<42} {args.label}")
    for title, key in rows:
        print(f"{title:<42} {result[key]}")
    print(f"load average during the run: {', '.join(f'{x:.1f}' for x in result['load_average'])}; written: {out}")


if __name__ == "__main__":
    main()

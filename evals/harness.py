"""Runs an eval suite, prints a table of its metrics against targets, writes JSON."""

from __future__ import annotations

import importlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

EVALS_DIR = Path(__file__).parent
DATASETS_DIR = EVALS_DIR / "datasets"
RESULTS_DIR = EVALS_DIR / "results"
SHARED_DIR = EVALS_DIR.parent.parent / "shared"


@dataclass
class Metric:
    """One number a suite reports, with its target (None: reported only)."""

    name: str
    value: float
    target: float | None = None
    higher_is_better: bool = True

    @property
    def passed(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


@dataclass
class SuiteResult:
    """What a suite returns: metrics for the table, per-case details for the JSON."""

    suite: str
    metrics: list[Metric]
    cases: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read a JSON-lines dataset, skipping blank lines."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def format_table(result: SuiteResult) -> str:
    """A plain-text table: metric, value, target, pass."""
    rows = [("metric", "value", "target", "ok")]
    for metric in result.metrics:
        target = "" if metric.target is None else ("%s %.3g" % (">=" if metric.higher_is_better else "<=", metric.target))
        ok = {None: "", True: "yes", False: "NO"}[metric.passed]
        rows.append((metric.name, f"{metric.value:.3f}", target, ok))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [f"== {result.suite} =="]
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.extend(f"note: {note}" for note in result.notes)
    return "\n".join(lines)


def run_suite(name: str, *, limit: int | None = None, results_dir: Path = RESULTS_DIR, **options: Any) -> tuple[SuiteResult, Path]:
    """Import `evals.suites.<name>`, run it, write `<results_dir>/<name>.json`."""
    module = importlib.import_module(f"evals.suites.{name}")
    started = time.perf_counter()
    result: SuiteResult = module.run(limit=limit, **options)
    elapsed = time.perf_counter() - started
    results_dir.mkdir(parents=True, exist_ok=True)
    split = options.get("split")
    path = results_dir / (f"{name}.{split}.json" if split else f"{name}.json")
    payload = {
        "suite": result.suite,
        "seconds": round(elapsed, 2),
        "limit": limit,
        "metrics": {m.name: {"value": m.value, "target": m.target, "passed": m.passed} for m in result.metrics},
        "notes": result.notes,
        "cases": result.cases,
    }
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    return result, path


def available_suites() -> list[str]:
    """Suite names, from the modules in evals/suites."""
    return sorted(p.stem for p in (EVALS_DIR / "suites").glob("*.py") if not p.stem.startswith("_"))


__all__ = ["Metric", "SuiteResult", "load_jsonl", "format_table", "run_suite", "available_suites", "asdict"]

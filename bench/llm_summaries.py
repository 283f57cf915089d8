"""Rules alone vs rules + a local model on real notes: F1 and seconds per note (issue 16, part 4).

Each note goes to the model once (the endpoint COACH_LLM_* configure); its answer is cached in the output
file, and merged with the rules commitments twice: without removals (the default) and with the model allowed
to remove a rules commitment by listing its line as "not a commitment". All three are scored with the
summaries suite's scorer.

    COACH_LLM_PROVIDER=openai COACH_LLM_BASE_URL=http://127.0.0.1:8089/v1 COACH_LLM_MODEL=qwen1.5b \
    COACH_LLM_TIMEOUT_S=600 python bench/llm_summaries.py --every 4 --out bench/results/llm_summaries.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coach.errors import LLMOutputInvalid, LLMUnavailable  # noqa: E402
from coach.followup.drafting import DraftCommitments, llm_commitments, refine_summary  # noqa: E402
from coach.followup.summaries import Participant, draft_summary  # noqa: E402
from coach.llm.provider import OpenAICompatibleLLM, allow_model_requests  # noqa: E402
from coach.settings import Settings  # noqa: E402
from evals.suites.real_notes import judged_summary, load_cases  # noqa: E402
from evals.suites.summaries import _score  # noqa: E402


def _metrics(result: Any) -> dict[str, float]:
    return {m.name: round(m.value, 3) for m in result.metrics if not m.name.startswith("f1_")}


def main() -> None:
    """Run the sample, write the JSON report, print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="dev", choices=["dev", "heldout", "all"])
    parser.add_argument("--every", type=int, default=4, help="take every Nth note of the split (a spread sample)")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--max-chars", type=int, default=None, help="only notes this short (a slow machine)")
    parser.add_argument("--out", type=Path, default=Path("bench/results/llm_summaries.json"))
    args = parser.parse_args()
    cases = [c for c in load_cases(args.split) if args.max_chars is None or len(c["notes"]) <= args.max_chars]
    cases = cases[::args.every][:args.limit]
    settings = Settings(llm_provider="openai")
    provider = OpenAICompatibleLLM(settings)
    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    runs: dict[str, Any] = previous.get("runs", {})
    for case in cases:
        if case["id"] in runs and runs[case["id"]].get("model") == settings.llm_model:
            continue  # cached: one model answer per note
        participants = [Participant(**p) for p in case["participants"]]
        start = time.perf_counter()
        try:
            with allow_model_requests():
                draft = llm_commitments(provider, case["notes"], date.fromisoformat(case["meeting_date"]),
                                        participants)
            runs[case["id"]] = {"draft": draft.model_dump(mode="json"), "error": None}
        except (LLMUnavailable, LLMOutputInvalid) as exc:
            runs[case["id"]] = {"draft": None, "error": exc.message}
        runs[case["id"]].update(seconds=round(time.perf_counter() - start, 1), model=settings.llm_model)
        print(f"{case['id']}: {runs[case['id']]['seconds']} s {runs[case['id']]['error'] or ''}", flush=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"runs": runs}, indent=1))

    def summarise(case: dict[str, Any], removals: bool | None, judge: bool = False) -> Any:
        participants = [Participant(**p) for p in case["participants"]]
        meeting = date.fromisoformat(case["meeting_date"])
        author = case.get("author", "manager")
        rules = judged_summary(case) if judge else draft_summary(case["notes"], meeting, participants, author=author)
        run = runs[case["id"]]
        if removals is None or run["draft"] is None:
            return rules
        draft = DraftCommitments.model_validate(run["draft"])
        return refine_summary(rules, draft, case["notes"], meeting, participants, lambda _: [],
                              allow_removals=removals, author=author)

    sample = [c for c in cases if c["id"] in runs]
    report = {"model": settings.llm_model, "base_url": settings.llm_base_url,
              "method": settings.resolved_structured_method, "split": args.split,
              "notes": [c["id"] for c in sample], "runs": runs,
              "seconds_per_note": {"mean": round(sum(runs[c["id"]]["seconds"] for c in sample) / max(len(sample), 1), 1),
                                   "max": max((runs[c["id"]]["seconds"] for c in sample), default=0)},
              "failed": sum(runs[c["id"]]["draft"] is None for c in sample)}
    modes = (("rules", None, False), ("rules+llm", False, False), ("rules+llm, removals", True, False),
             ("rules+judge (default)", None, True), ("rules+judge+llm", False, True))
    for name, removals, judge in modes:
        report[name] = _metrics(_score(sample, summarise=lambda case, r=removals, j=judge: summarise(case, r, j)))
    args.out.write_text(json.dumps(report, indent=1))
    print(f"{len(sample)} notes, {report['failed']} failed, seconds per note {report['seconds_per_note']}")
    for name, _, _ in modes:
        m = report[name]
        print(f"{name:22} P {m['commitment_precision']:.3f} R {m['commitment_recall']:.3f} "
              f"F1 {m['commitment_f1']:.3f} due {m['due_date_accuracy']:.3f} invented {m['invented_owners']:.0f}")


if __name__ == "__main__":
    main()

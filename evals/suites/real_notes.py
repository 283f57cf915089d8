"""Follow-up summaries on real notes that people outside the project published (evals/datasets/real_notes/).

The headline number for notes. Sources are split whole into dev (analysed, may guide changes) and heldout
(scored only at the end of a round, never analysed). `coach eval real_notes` scores dev;
`coach eval real_notes --split heldout` the held-out sources; `--split all` both. Scoring is the summaries
suite's: owner, due date and overlapping action must match.
"""

from __future__ import annotations

import time
from collections import defaultdict
from functools import lru_cache
from typing import Any

from coach.llm.provider import allow_model_requests
from evals.common import llm_engine
from evals.harness import DATASETS_DIR, Metric, SuiteResult, load_jsonl
from evals.suites.summaries import _score, summarise_case

REAL_DIR = DATASETS_DIR / "real_notes"
SPLITS = ("dev", "heldout")
# The first run of every source, untouched (2026-12-07, the rules engine as it was before any work on this set).
FIRST_RUN = {
    "dev": "P 0.208 R 0.103 F1 0.137, due 0.640, check-ins 0.840 (50 notes, 16 sources)",
    "heldout": "P 0.316 R 0.158 F1 0.211, due 0.857, check-ins 1.000 (24 notes, 8 sources)",
}


def load_cases(split: str = "dev") -> list[dict[str, Any]]:
    """The labelled notes of one split ("dev", "heldout") or of both ("all"), in file order."""
    wanted = SPLITS if split == "all" else (split,)
    cases = []
    for part in wanted:
        for path in sorted(REAL_DIR.glob(f"*_{part}.jsonl")):
            cases += [{**case, "split": part, "holdout": part == "heldout"} for case in load_jsonl(path)]
    return cases


def _f1(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 1.0
    r = tp / gold if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def judged_summary(case: dict[str, Any]):  # noqa: ANN201
    """The rules summary plus the learned judge's commitments, as the product makes it with the judge on."""
    from datetime import date

    from coach.followup.judged import add_judged_commitments
    from coach.followup.summaries import Participant

    participants = [Participant(**p) for p in case["participants"]]
    return add_judged_commitments(summarise_case(case), case["notes"], date.fromisoformat(case["meeting_date"]),
                                  participants, embedder=_embedder(), author=case.get("author", "manager"))


@lru_cache(maxsize=1)
def _embedder():  # noqa: ANN202
    """The shipped embeddings, with the training script's disk cache so repeated eval runs do not re-embed."""
    from coach.retrieval.embedder import get_embeddings
    from evals.train_judge import CachedEmbedder

    return CachedEmbedder(get_embeddings())


def run(limit: int | None = None, split: str = "dev", provider: str | None = None, **_: Any) -> SuiteResult:
    """Score the rules engine on the real notes of `split`, overall and per source; then rules + learned judge (the
    product's default); with a provider, rules + judge + model.

    `--provider openai` drafts through the endpoint COACH_LLM_* configure and reports the merged result as llm.*
    beside the rules numbers, with seconds per note (a local model on a few cores takes minutes per note).
    """
    if split not in (*SPLITS, "all"):
        raise ValueError(f"split: must be dev, heldout or all, got '{split}'")
    cases = load_cases(split)[:limit]
    result = _score(cases)
    from coach.followup.learned_judge import load_judge

    judged = _score(cases, summarise=judged_summary) if load_judge() is not None else None
    if judged is not None:
        result.metrics += [Metric(f"judge.{m.name}", m.value, m.target, m.higher_is_better) for m in judged.metrics
                           if m.name in ("commitment_precision", "commitment_recall", "commitment_f1",
                                         "due_date_accuracy", "invented_owners", "evidence_is_substring")]
        for case, detail, judged_detail in zip(cases, result.cases, judged.cases):
            detail["judge"] = {k: judged_detail[k] for k in ("tp", "predicted", "gold", "false_positives", "missed")}
    result.suite = "real_notes"
    result.metrics = [m for m in result.metrics if not m.name.startswith("f1_") and m.name != "recap_3_to_5_sentences"]
    for m in result.metrics:
        if m.name == "commitment_f1":
            m.target = 0.75
    by_source: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for case, detail in zip(cases, result.cases):
        row = by_source[case["source_id"]]
        row["tp"] += detail["tp"]
        row["pred"] += detail["predicted"]
        row["gold"] += detail["gold"]
        row["notes"] += 1
        if "judge" in detail:
            row["judge_tp"] += detail["judge"]["tp"]
            row["judge_pred"] += detail["judge"]["predicted"]
        detail.update(source_id=case["source_id"], split=case["split"], kind=case.get("kind"))
    for source, row in sorted(by_source.items()):
        result.metrics.append(Metric(f"source.{source}.f1", _f1(row["tp"], row["pred"], row["gold"])[2]))
        if judged is not None:
            result.metrics.append(Metric(f"judge.source.{source}.f1",
                                         _f1(row["judge_tp"], row["judge_pred"], row["gold"])[2]))
    for detail in result.cases:  # held-out misses are never written down: nobody should read them and tune
        if detail.get("split") == "heldout":
            for part in (detail, detail.get("judge", {})):
                part.pop("false_positives", None)
                part.pop("missed", None)
    first = [f"first run, {part}: {FIRST_RUN[part]}" for part in (SPLITS if split == "all" else (split,))]
    result.notes = [*first, f"split {split}: {len(cases)} notes from {len(by_source)} sources, "
                    f"{sum(r['gold'] for r in by_source.values())} gold commitments",
                    "per source: " + "; ".join(f"{s} {r['notes']} notes, {r['tp']}/{r['gold']} found, {r['pred']} predicted"
                                               for s, r in sorted(by_source.items()))]
    llm = llm_engine(provider)
    if llm is not None:
        start = time.perf_counter()
        with allow_model_requests():
            merged = _score(cases, engine=llm)
        seconds = (time.perf_counter() - start) / max(len(cases), 1)
        result.metrics += [Metric(f"llm.{m.name}", m.value, 0.75 if m.name == "commitment_f1" else m.target,
                                  m.higher_is_better)
                           for m in merged.metrics if not m.name.startswith("f1_") and m.name != "recap_3_to_5_sentences"]
        result.metrics.append(Metric("llm.seconds_per_note", seconds, higher_is_better=False))
        result.notes.append(f"llm.*: rules merged with {llm.settings.llm_model} at {llm.settings.llm_base_url} "
                            f"({llm.settings.resolved_structured_method}); llm.accepted_share: notes the model refined")
    return result

"""Feedback-language check against published feedback examples (evals/datasets/feedback, split by source).

Exact match: an example is right only when behaviour, impact, next_step and judgement all equal the labels.
`--split dev` (default) scores the set the rules were written on; `--split heldout` the sources never looked at
while writing them; `--split all` both.
"""

from __future__ import annotations

from typing import Any

from coach.feedback.check import check_feedback
from evals.harness import DATASETS_DIR, Metric, SuiteResult, load_jsonl

FLAGS = ("behaviour", "impact", "next_step", "judgement")
# Round 1 (dev, heldout): 21 sources, labelled by the helper who wrote the rules. Round 2 (train2, heldout2): 35 new
# sources, labelled by a helper who never saw the checker (ROUND2.md). heldout and heldout2 are scored only.
SPLITS = {"dev": ("dev",), "heldout": ("heldout",), "train2": ("train2",), "heldout2": ("heldout2",),
          "train": ("dev", "train2"), "all": ("dev", "heldout", "train2", "heldout2")}
TARGET_EXACT = 0.85
FIRST_RUNS = ("first runs, recorded untouched: rules v1 (written while reading dev only) in "
              "evals/results/feedback.first.{dev,heldout,train2}.json: dev exact 0.917, held-out exact 0.483 "
              "(judgement recall 0.286), train2 (28 new sources) 0.392; the held-out misses were never opened and no "
              "rule was changed after them")


def _precision_recall(gold: list[bool], predicted: list[bool]) -> tuple[float, float]:
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    predicted_pos, gold_pos = sum(predicted), sum(gold)
    return (tp / predicted_pos if predicted_pos else 0.0), (tp / gold_pos if gold_pos else 0.0)


def run(limit: int | None = None, split: str = "dev", rules_only: bool = False, **_: Any) -> SuiteResult:
    """Score the checker as the product runs it (rules and the learned judge; `rules_only`: the rules alone) on one
    split; cases list every example with its labels, verdict and misses."""
    if split not in SPLITS:
        raise ValueError(f"split: one of {', '.join(SPLITS)}")
    rows = [row for part in SPLITS[split] for row in load_jsonl(DATASETS_DIR / "feedback" / f"{part}.jsonl")]
    rows = rows[:limit] if limit else rows
    from coach.retrieval.embedder import get_embeddings

    embedder = None if rules_only else get_embeddings()
    cases, right, rules_right = [], 0, 0
    per_flag = {flag: 0 for flag in FLAGS}
    gold: dict[str, list[bool]] = {flag: [] for flag in FLAGS}
    predicted: dict[str, list[bool]] = {flag: [] for flag in FLAGS}
    for row in rows:
        verdict = check_feedback(row["text"], embedder=embedder)
        got = {flag: getattr(verdict, flag) for flag in FLAGS}
        misses = [flag for flag in FLAGS if got[flag] != row[flag]]
        if embedder is not None:  # the rules alone, beside the product's answer
            alone = check_feedback(row["text"])
            rules_right += all(getattr(alone, flag) == row[flag] for flag in FLAGS)
        right += not misses
        for flag in FLAGS:
            per_flag[flag] += got[flag] == row[flag]
            gold[flag].append(row[flag])
            predicted[flag].append(got[flag])
        cases.append({"id": row["id"], "source_id": row["source_id"], "text": row["text"],
                      "gold": {f: row[f] for f in FLAGS}, "got": got, "misses": misses,
                      "spans": [s.model_dump() for s in verdict.spans]})
    n = len(rows) or 1
    precision, recall = _precision_recall(gold["judgement"], predicted["judgement"])
    metrics = [Metric("exact_match", right / n, TARGET_EXACT if split.startswith("heldout") else None)]
    metrics += [Metric(f"{flag}_accuracy", per_flag[flag] / n) for flag in FLAGS]
    if embedder is not None:
        metrics.append(Metric("rules_only.exact_match", rules_right / n))
    metrics += [Metric("judgement_precision", precision), Metric("judgement_recall", recall),
                Metric("examples", float(len(rows))),
                Metric("sources", float(len({row["source_id"] for row in rows})))]
    engine_note = ("rules and the learned judge (coach/feedback/learned.py), as the product runs it" if embedder
                   is not None else "rules only")
    return SuiteResult(suite=f"feedback ({split})", metrics=metrics, cases=cases, notes=[FIRST_RUNS, engine_note])

"""Train the feedback judge (coach/feedback/learned.py) and measure it on sources it never saw.

    python -m evals.train_feedback [--l2 0.2] [--no-save]

Training data: every labelled example of the feedback set that may be looked at, `dev.jsonl` (11 sources, the ones
the rules were written on) and `train2.jsonl` (28 sources of round 2, labelled by a helper who never saw the
checker). The held-out parts (`heldout.jsonl`, `heldout2.jsonl`) are never read here.

Measure: leave one round-2 source out at a time (train on dev and the other 27), score the texts of the source left
out: the rules alone, the judge alone, and the product's combination (a flag is set when a rule matches or a
sentence reaches the threshold). Round-2 sources only, because the rules were written on dev and score it
near-perfectly. Prints a table, writes evals/results/feedback_judge.json, and saves the model trained on all.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from coach.feedback.check import check_feedback
from coach.feedback.learned import FLAGS, MODEL_FILE, FeedbackJudge, sentences, train_flag
from evals.harness import DATASETS_DIR, load_jsonl

RESULTS = Path(__file__).parent / "results" / "feedback_judge.json"
THRESHOLD = 0.5  # one threshold for all flags, not tuned per flag
TRAIN_PARTS = ("dev", "train2")


def _vectors(texts: list[str]) -> dict[str, np.ndarray]:
    from coach.retrieval.embedder import get_embeddings
    from evals.train_judge import CachedEmbedder

    embedder = CachedEmbedder(get_embeddings())
    wanted = sorted({t for t in texts} | {s for t in texts for _, s in sentences(t)})
    vectors = np.asarray(embedder.embed_documents(wanted), dtype=np.float64)
    embedder.save()
    return {text: np.append(vec, 1.0) for text, vec in zip(wanted, vectors)}


def _accuracy(predicted: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    out = {"exact": round(float((predicted == gold).all(axis=1).mean()), 3)}
    out.update({flag: round(float((predicted[:, k] == gold[:, k]).mean()), 3) for k, flag in enumerate(FLAGS)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", type=float, default=0.2)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = [row for part in TRAIN_PARTS for row in load_jsonl(DATASETS_DIR / "feedback" / f"{part}.jsonl")]
    texts = [row["text"] for row in rows]
    vectors = _vectors(texts)
    gold = np.asarray([[row[flag] for flag in FLAGS] for row in rows], dtype=bool)
    rules = np.asarray([[getattr(check_feedback(t), flag) for flag in FLAGS] for t in texts], dtype=bool)
    sources = np.asarray([row["source_id"] for row in rows])
    round2 = np.asarray([row["id"].startswith("t") for row in rows])

    def probabilities(weights: dict[str, np.ndarray], text: str) -> list[float]:
        bag = [s for _, s in sentences(text)] or [text]
        return [max(float(1 / (1 + np.exp(-(vectors[s] @ weights[flag])))) for s in bag) for flag in FLAGS]

    held = np.zeros(gold.shape)
    for source in sorted(set(sources[round2])):
        train = np.flatnonzero(sources != source)
        weights = {flag: train_flag([texts[i] for i in train], [bool(gold[i, k]) for i in train], vectors, l2=args.l2)
                   for k, flag in enumerate(FLAGS)}
        for i in np.flatnonzero(sources == source):
            held[i] = probabilities(weights, texts[i])
    judged = held[round2] >= THRESHOLD
    report = {
        "measure": "leave one round-2 source out (28 sources, 102 texts), trained on dev and the other sources",
        "l2": args.l2, "threshold": THRESHOLD,
        "rules": _accuracy(rules[round2], gold[round2]),
        "judge": _accuracy(judged, gold[round2]),
        "rules_or_judge": _accuracy(judged | rules[round2], gold[round2]),
    }
    print(f"{'':16} {'exact':>6} " + " ".join(f"{f:>10}" for f in FLAGS))
    for name in ("rules", "judge", "rules_or_judge"):
        row = report[name]
        print(f"{name:16} {row['exact']:6.3f} " + " ".join(f"{row[f]:10.3f}" for f in FLAGS))
    if not args.no_save:
        weights = {flag: train_flag(texts, [bool(g) for g in gold[:, k]], vectors, l2=args.l2)
                   for k, flag in enumerate(FLAGS)}
        info = {"trained_on": f"{len(rows)} texts from {len(set(sources))} sources ({', '.join(TRAIN_PARTS)})",
                "l2": args.l2, "leave_one_source_out": report["rules_or_judge"]}
        FeedbackJudge(weights, THRESHOLD, info).save(MODEL_FILE)
        print(f"saved {MODEL_FILE}")
    report["seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"written: {RESULTS}")


if __name__ == "__main__":
    main()

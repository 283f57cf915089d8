"""Train the commitment judge (coach/followup/learned_judge.py) and report it honestly.

    python -m evals.train_judge [--no-save]

Training data: every labelled notes set (our own, the nine blind sets, the real-notes dev sources). A line is a
positive example when it is the line of the notes that a gold commitment's action comes from (most content words
in common). The threshold is chosen by leaving one real dev source out at a time, so the report says how the judge
does on a source it never saw; the real-notes held-out sources are never read here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from coach.followup.learned_judge import CommitmentJudge, features, segment_notes, train_logistic
from evals.harness import DATASETS_DIR, load_jsonl
from evals.suites.real_notes import load_cases
from evals.suites.summaries import content_words

RESULTS = Path(__file__).parent / "results" / "train_judge.json"
CACHE_DIR = Path.home() / ".cache" / "coach"


class CachedEmbedder:
    """Embeddings kept on disk between runs: training re-reads the same few thousand lines every time."""

    def __init__(self, inner) -> None:  # noqa: ANN001
        import pickle

        self.inner = inner
        # One cache per model: vectors of two models must never mix.
        model = str(getattr(inner, "model_id", "unknown")).replace("/", "_").replace(":", "_")
        self.path = CACHE_DIR / f"judge_embeddings-{model}.pkl"
        self.cache: dict[str, list[float]] = pickle.loads(self.path.read_bytes()) if self.path.exists() else {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            self.cache.update(zip(missing, self.inner.embed_documents(missing)))
        return [self.cache[t] for t in texts]

    def save(self) -> None:
        import pickle

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_bytes(pickle.dumps(self.cache))


def label(notes: str, gold: list[dict]) -> tuple[list, np.ndarray]:
    """Segments of the notes and 1 for the line each gold action came from."""
    segments = segment_notes(notes)
    words = [content_words(s.text) for s in segments]
    y = np.zeros(len(segments), dtype=np.float64)
    for g in gold:
        want = content_words(g["action"])
        if not want or not segments:
            continue
        scores = [len(want & w) / (len(want | w) or 1) + len(want & w) for w in words]
        best = int(np.argmax(scores))
        if len(want & words[best]) >= min(2, len(want)):
            y[best] = 1.0
    return segments, y


def datasets() -> list[tuple[str, bool, dict]]:
    """(source, is_real, case) for every labelled note the judge may learn from."""
    rows = []
    for path in sorted(DATASETS_DIR.glob("summaries*.jsonl")):
        rows += [(path.stem, False, case) for case in load_jsonl(path)]
    rows += [(case["source_id"], True, case) for case in load_cases("dev")]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-save", action="store_true", help="Report only; keep the shipped model file.")
    parser.add_argument("--l2", type=float, default=3.0)
    args = parser.parse_args(argv)
    from coach.retrieval.embedder import get_embeddings

    embedder = CachedEmbedder(get_embeddings())
    x_parts, y_parts, sources, real = [], [], [], []
    for source, is_real, case in datasets():
        segments, y = label(case["notes"], case["gold"]["commitments"])
        if not segments:
            continue
        x_parts.append(features(segments, embedder))
        y_parts.append(y)
        sources += [source] * len(segments)
        real += [is_real] * len(segments)
    embedder.save()
    x, y = np.vstack(x_parts), np.concatenate(y_parts)
    sources_arr, real_arr = np.asarray(sources), np.asarray(real)
    real_sources = sorted(set(sources_arr[real_arr]))
    # Leave one real source out: train on everything else, score that source's lines.
    held_p = np.zeros(len(y))
    for source in real_sources:
        test = sources_arr == source
        w = train_logistic(x[~test], y[~test], l2=args.l2)
        held_p[test] = 1.0 / (1.0 + np.exp(-(x[test] @ w)))
    mask = real_arr
    table = []
    for threshold in np.arange(0.2, 0.95, 0.05):
        pred = held_p[mask] >= threshold
        tp = float((pred & (y[mask] > 0)).sum())
        p = tp / pred.sum() if pred.sum() else 0.0
        r = tp / (y[mask] > 0).sum()
        table.append({"threshold": round(float(threshold), 2), "precision": round(p, 3), "recall": round(r, 3),
                      "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0})
    best = max(table, key=lambda row: row["f1"])
    per_source = {}
    for source in real_sources:
        m = sources_arr == source
        pred = held_p[m] >= best["threshold"]
        tp = float((pred & (y[m] > 0)).sum())
        per_source[source] = {"lines": int(m.sum()), "positives": int(y[m].sum()), "predicted": int(pred.sum()),
                              "found": int(tp)}
    print(f"{len(y)} lines ({int(y.sum())} commitment lines) from {len(set(sources))} sources; "
          f"{int(mask.sum())} lines from {len(real_sources)} real dev sources")
    print("leave-one-real-source-out, line level:")
    print("threshold  precision  recall  f1")
    for row in table:
        print(f"{row['threshold']:>9}  {row['precision']:>9}  {row['recall']:>6}  {row['f1']:>4}")
    print(f"chosen threshold {best['threshold']}: P {best['precision']} R {best['recall']} F1 {best['f1']}")
    weights = train_logistic(x, y, l2=args.l2)
    info = {"trained_on_lines": int(len(y)), "positives": int(y.sum()), "sources": len(set(sources)),
            "l2": args.l2, "cv": best, "note": "threshold chosen leaving one real dev source out at a time"}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"table": table, "chosen": best, "per_source": per_source, "info": info},
                                  indent=2) + "\n")
    if not args.no_save:
        CommitmentJudge(weights, best["threshold"], info).save()
        print("saved coach/followup/data/commitment_judge.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())

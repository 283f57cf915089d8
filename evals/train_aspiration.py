"""Train and measure the learned aspiration-kind reader on real, labelled statements.

Run: python -m evals.train_aspiration
Leave-one-source-out on evals/datasets/aspirations/aspirations.jsonl (rules, learned, and rules-then-learned at
several confidence floors), then the panel profiles (evals/datasets/panel/profiles*.jsonl, never trained on) as a
second check. Measured, not adopted (see the README): nothing ships from it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from coach.growth.aspiration import aspiration_kind
from coach.retrieval.embedder import get_embeddings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "evals" / "datasets" / "aspirations" / "aspirations.jsonl"
FLOORS = (0.0, 0.4, 0.5, 0.6, 0.7)
KINDS = ("clear", "exploring", "torn", "stepping-back", "staying", "tired")


def train_softmax(x: np.ndarray, y: np.ndarray, classes: int, *, l2: float = 1.0, steps: int = 300,
                  rate: float = 0.5) -> np.ndarray:
    """Multinomial logistic regression (the last column of x is the bias, unpenalised) by gradient descent."""
    n, d = x.shape
    w = np.zeros((d, classes))
    onehot = np.eye(classes)[y]
    counts = np.bincount(y, minlength=classes).astype(float)
    weight = (n / (classes * np.maximum(counts, 1.0)))[y]  # balanced classes
    reg = np.full((d, 1), l2 / n)
    reg[-1] = 0.0
    for _ in range(steps):
        logits = x @ w
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = x.T @ ((p - onehot) * weight[:, None]) / n + reg * w
        w -= rate * grad
    return w


def features(vectors: np.ndarray) -> np.ndarray:
    return np.hstack([np.asarray(vectors, dtype=np.float64), np.ones((len(vectors), 1))])


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _combined(rules: str, probs: np.ndarray, floor: float) -> str:
    if rules != "clear":
        return rules
    best = int(probs.argmax())
    return KINDS[best] if probs[best] >= floor else rules


def _softmax(logits: np.ndarray) -> np.ndarray:
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--l2", type=float, default=1.0)
    args = parser.parse_args()
    embeddings = get_embeddings("cpu")
    rows = [r for r in _rows(DATA) if r["kind"] in KINDS]
    x = features(np.asarray(embeddings.embed_documents([r["text"] for r in rows])))
    y = np.asarray([KINDS.index(r["kind"]) for r in rows])
    rules = [aspiration_kind(r["text"]) for r in rows]
    probs = np.zeros((len(rows), len(KINDS)))
    for source in sorted({r["source_id"] for r in rows}):
        test = np.asarray([r["source_id"] == source for r in rows])
        if test.all():
            continue
        w = train_softmax(x[~test], y[~test], len(KINDS), l2=args.l2)
        probs[test] = _softmax(x[test] @ w)
    result: dict[str, object] = {"statements": len(rows), "sources": len({r["source_id"] for r in rows})}
    result["rules"] = round(float(np.mean([k == r["kind"] for k, r in zip(rules, rows)])), 3)
    result["learned"] = round(float(np.mean(probs.argmax(axis=1) == y)), 3)
    for floor in FLOORS:
        mixed = [_combined(k, p, floor) for k, p in zip(rules, probs)]
        result[f"rules_then_learned@{floor}"] = round(float(np.mean([m == r["kind"] for m, r in zip(mixed, rows)])), 3)
    w = train_softmax(x, y, len(KINDS), l2=args.l2)
    panel = [p for f in sorted((ROOT / "evals" / "datasets" / "panel").glob("profiles*.jsonl")) for p in _rows(f)]
    panel = [p for p in panel if p.get("kind") in KINDS]
    if panel:
        px = features(np.asarray(embeddings.embed_documents([p["aspiration"] for p in panel])))
        pp = _softmax(px @ w)
        prules = [aspiration_kind(p["aspiration"]) for p in panel]
        result["panel_profiles"] = len(panel)
        result["panel.rules"] = round(float(np.mean([k == p["kind"] for k, p in zip(prules, panel)])), 3)
        for floor in FLOORS:
            mixed = [_combined(k, q, floor) for k, q in zip(prules, pp)]
            result[f"panel.rules_then_learned@{floor}"] = round(
                float(np.mean([m == p["kind"] for m, p in zip(mixed, panel)])), 3)
    for key, value in result.items():
        print(f"{key:<32} {value}")
    out = ROOT / "evals" / "results" / "aspiration_kind.json"
    out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()

"""A learned stage beside the feedback rules: per sentence, how likely it names a behaviour, an impact, a next step
or a judgement, from the MiniLM vectors Coach already ships.

Why: the rules were written on one labeller's 11 sources and scored 0.39 exact match on 28 sources nobody had
looked at (round 2, `evals/datasets/feedback/ROUND2.md`); every flag lost most on words the vocabulary never saw.
The judge is four logistic regressions over a sentence's vector, trained on every labelled example
(`python -m evals.train_feedback`). Labels are per text, so training treats a text as a bag of sentences: every
sentence of a text without the flag is a negative, and the positive of a text with it is the sentence the previous
round scored highest (the whole text in the first round). A flag is set when a rule matches or a sentence reaches
the threshold; the rules keep their spans and rewrites, and a sentence only the judge flags is shown as its span.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from coach.followup.learned_judge import newton_logistic

MODEL_FILE = Path(__file__).parent / "data" / "feedback_judge.json"
FLAGS = ("behaviour", "impact", "next_step", "judgement")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


class Embedder(Protocol):
    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs as written (surrounding blanks kept); offsets index `text`. The rules match these."""
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if text[start:match.start()].strip():
            out.append((start, text[start:match.start()]))
        start = match.end()
    if text[start:].strip():
        out.append((start, text[start:]))
    return out


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence without surrounding blanks) pairs; offsets index `text`. The judge reads these."""
    return [(offset + len(piece) - len(piece.lstrip()), piece.strip()) for offset, piece in split_sentences(text)]


def features(texts: list[str], embedder: Embedder) -> np.ndarray:
    """One row per text: its vector and a bias."""
    vectors = np.asarray(embedder.embed_documents(texts), dtype=np.float64).reshape(len(texts), -1)
    return np.hstack([vectors, np.ones((len(texts), 1))])


@dataclass
class FeedbackJudge:
    """Weights per flag (vector dimensions + bias) and one threshold for all flags."""

    weights: dict[str, np.ndarray]
    threshold: float
    info: dict

    def sentence_probabilities(self, text: str, embedder: Embedder) -> list[tuple[int, str, dict[str, float]]]:
        """Every sentence of the text with the probability of each flag."""
        found = sentences(text)
        if not found:
            return []
        rows = features([s for _, s in found], embedder)
        out = []
        for (offset, sentence), row in zip(found, rows):
            out.append((offset, sentence, {flag: float(1.0 / (1.0 + np.exp(-(row @ self.weights[flag]))))
                                           for flag in FLAGS}))
        return out

    def save(self, path: Path = MODEL_FILE) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"threshold": self.threshold, "info": self.info,
                   "weights": {flag: [round(float(w), 6) for w in self.weights[flag]] for flag in FLAGS}}
        path.write_text(json.dumps(payload) + "\n", encoding="utf-8")


@lru_cache(maxsize=2)
def load_feedback_judge(path: Path = MODEL_FILE) -> FeedbackJudge | None:
    """The shipped judge, or None when no model file is installed."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return FeedbackJudge({flag: np.asarray(data["weights"][flag], dtype=np.float64) for flag in FLAGS},
                         float(data["threshold"]), data["info"])


def train_flag(texts: list[str], labels: list[bool], vectors: dict[str, np.ndarray], *, l2: float,
               rounds: int = 2) -> np.ndarray:
    """Weights for one flag from text-level labels (a bag of sentences per text, see the module docstring)."""
    bags = [[s for _, s in sentences(t)] or [t] for t in texts]
    w: np.ndarray | None = None
    for _ in range(rounds):
        rows, ys = [], []
        for text, label, bag in zip(texts, labels, bags):
            if not label:
                rows += [vectors[s] for s in bag]
                ys += [0.0] * len(bag)
            elif len(bag) == 1:
                rows.append(vectors[bag[0]])
                ys.append(1.0)
            else:
                rows.append(vectors[text] if w is None else vectors[max(bag, key=lambda s: float(vectors[s] @ w))])
                ys.append(1.0)
        w = newton_logistic(np.asarray(rows), np.asarray(ys), l2=l2, tolerance=1e-7)
    assert w is not None
    return w

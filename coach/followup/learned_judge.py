"""A learned judge: "is this line of the notes a commitment?", over the embeddings the project already ships.

Notes written by real people do not follow the habits our rules know: on published 1:1, supervision and team
notes the rules found a quarter of the commitments. The judge generalises from labelled notes instead of
one more rule per habit: a logistic regression over the MiniLM vector of a line, the vector of the heading it sits
under ("What would you like to work on next week?", "Action items") and a few layout facts. Trained by
`python -m evals.train_judge` on labelled notes; the weights ship as one small JSON file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

MODEL_FILE = Path(__file__).parent / "data" / "commitment_judge.json"

_BULLET = re.compile(r"^\s*(?:[-*+•·‣◦>]|\d{1,3}[.)]|\(\d{1,3}\)|[a-z][.)])\s+")
_CHECKBOX = re.compile(r"^\s*(?:[-*+]\s*)?\[(?P<mark>[ xX✓✔]?)\]\s*")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(?P<text>[^*_]{2,80})(?:\*\*|__)\s*:?\s*$")
_LABEL_LINE = re.compile(r"^\s*(?P<text>[A-Z][^.!?:]{1,60}):\s*$")
_UNDERLINE = re.compile(r"^\s*(?:=+|-+)\s*$")
_MARKUP = re.compile(r"\*\*|__|`|~~|<[^>]{1,40}>")
_MODAL = re.compile(r"\b(?:will|['’]ll|shall|going to|to do|needs? to|should|must|agreed|plans? to|aim to|todo|"
                    r"to-do|action)\b", re.IGNORECASE)
_DATE_WORD = re.compile(r"\b(?:by|before|until|due|next|tomorrow|today|monday|tuesday|wednesday|thursday|friday|"
                        r"saturday|sunday|week|month|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\b|\d{1,2}[/.-]\d{1,2}",
                        re.IGNORECASE)
_PAST = re.compile(r"^(?:[A-Za-z]+ed|did|was|were|had|made|built|wrote|met|sent|went|got|found|took|gave)\b",
                   re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
MAX_SEGMENT_CHARS = 300
LAYOUT_FEATURES = 10  # the length of layout_features(); its first entry is the bias


@dataclass(frozen=True)
class Segment:
    """One line (or sentence of a long line) of the notes, with the heading it sits under."""

    text: str
    heading: str
    line: int
    list_item: bool
    checkbox: str | None  # None: no box; "" open box; "x" ticked


class Embedder(Protocol):
    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...


def note_lines(notes: str) -> list[str]:
    """The lines of the notes whatever their line endings; a Segment's `line` is 1-based into this list."""
    return notes.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def segment_notes(notes: str) -> list[Segment]:
    """Lines of text with their nearest heading; headings, rules and empty lines are not segments."""
    segments: list[Segment] = []
    heading = ""
    lines = note_lines(notes)
    for number, raw in enumerate(lines, 1):
        if not raw.strip() or _UNDERLINE.match(raw):
            continue
        following = lines[number] if number < len(lines) else ""
        found = (_MD_HEADING.match(raw) or _BOLD_LINE.match(raw) or _LABEL_LINE.match(raw))
        if "|" in raw and "|" in following and set(following.strip()) <= set("|:- "):
            heading = _clean(raw)  # a table's header row names what its rows are
            continue
        if found or (_UNDERLINE.match(following) and following.strip()):
            heading = _clean(found.group("text") if found else raw)
            continue
        if set(raw.strip()) <= set("|:- "):
            continue  # a table's rule line
        box = _CHECKBOX.match(raw)
        bullet = _BULLET.match(raw)
        body = raw[box.end():] if box else raw[bullet.end():] if bullet else raw
        body = _clean(body)
        if len(body) < 3:
            continue
        parts = _SENTENCE.split(body) if len(body) > MAX_SEGMENT_CHARS // 2 else [body]
        for part in parts:
            segments.append(Segment(text=part[:MAX_SEGMENT_CHARS], heading=heading[:120], line=number,
                                    list_item=bool(box or bullet),
                                    checkbox=(box.group("mark").strip().lower() or "") if box else None))
    return segments


def _clean(text: str) -> str:
    return " ".join(_MARKUP.sub("", text).split()).strip(" :-–—")


def layout_features(segment: Segment) -> list[float]:
    """The few facts about a line that its words alone do not carry."""
    words = segment.text.split()
    return [
        1.0,  # bias
        float(segment.list_item),
        float(segment.checkbox == ""),
        float(segment.checkbox not in (None, "")),
        float(bool(_MODAL.search(segment.text))),
        float(bool(_DATE_WORD.search(segment.text))),
        float(bool(_PAST.match(segment.text))),
        float(segment.text.rstrip().endswith("?")),
        min(len(words), 40) / 20.0,
        float(not segment.heading),
    ]


def features(segments: list[Segment], embedder: Embedder) -> np.ndarray:
    """One row per segment: line vector, heading vector, layout facts."""
    if not segments:
        return np.zeros((0, 0), dtype=np.float32)
    texts = [s.text for s in segments]
    headings = sorted({s.heading for s in segments if s.heading})
    line_vecs = np.asarray(embedder.embed_documents(texts), dtype=np.float32)
    heading_vecs = dict(zip(headings, np.asarray(embedder.embed_documents(headings), dtype=np.float32))) \
        if headings else {}
    zero = np.zeros(line_vecs.shape[1], dtype=np.float32)
    head = np.stack([heading_vecs.get(s.heading, zero) for s in segments])
    layout = np.asarray([layout_features(s) for s in segments], dtype=np.float32)
    return np.hstack([line_vecs, head, layout])


@dataclass
class CommitmentJudge:
    """Logistic regression weights and the threshold chosen on held-out sources when it was trained."""

    weights: np.ndarray
    threshold: float
    info: dict

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(commitment) for each feature row."""
        if rows.size == 0:
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-(rows @ self.weights)))

    def judge(self, notes: str, embedder: Embedder) -> list[tuple[Segment, float]]:
        """Every segment of the notes with its probability of being a commitment."""
        segments = segment_notes(notes)
        return list(zip(segments, self.probabilities(features(segments, embedder)).tolist()))

    def save(self, path: Path = MODEL_FILE) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"threshold": self.threshold, "info": self.info,
                   "weights": [round(float(w), 6) for w in self.weights]}
        path.write_text(json.dumps(payload) + "\n", encoding="utf-8")


@lru_cache(maxsize=2)
def load_judge(path: Path = MODEL_FILE) -> CommitmentJudge | None:
    """The shipped judge, or None when no model file is installed."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return CommitmentJudge(np.asarray(data["weights"], dtype=np.float32), float(data["threshold"]), data["info"])


def train_logistic(x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, steps: int = 30,
                   positive_weight: float | None = None) -> np.ndarray:
    """The commitment judge's regression: positives weighted against the class imbalance, the bias (the first
    layout feature) unpenalised; float32 weights, as shipped."""
    pos = positive_weight if positive_weight is not None else max(1.0, (len(y) - y.sum()) / max(y.sum(), 1) / 2)
    sample = np.where(y > 0, pos, 1.0)
    return newton_logistic(x, y, l2=l2, sample=sample, bias=-LAYOUT_FEATURES, steps=steps,
                           tolerance=1e-6).astype(np.float32)


def newton_logistic(x: np.ndarray, y: np.ndarray, *, l2: float, sample: np.ndarray | None = None, bias: int = -1,
                    steps: int = 30, tolerance: float = 1e-6) -> np.ndarray:
    """L2-regularised logistic regression by Newton steps on a small problem (a few thousand rows), in float64.
    `sample`: a weight per row (None: all 1); `bias`: the column left unpenalised."""
    d = x.shape[1]
    w = np.zeros(d, dtype=np.float64)
    sample = np.ones(len(y)) if sample is None else sample
    xd = x.astype(np.float64)
    reg = np.full(d, l2)
    reg[bias] = 0.0  # no penalty on the bias
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xd @ w)))
        grad = xd.T @ (sample * (p - y)) + reg * w
        hess = (xd * (sample * p * (1 - p))[:, None]).T @ xd + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < tolerance:
            break
    return w

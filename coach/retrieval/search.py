"""Hybrid search: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from rank_bm25 import BM25Okapi

from coach.knowledge import DOCUMENT_KINDS as KINDS, Document

RRF_K = 60  # the usual constant: damps the difference between the first ranks
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 0.6  # aspirations rarely share words with role text; meaning leads, words confirm
FILTER_KEYS = ("job_family", "track", "level", "stage", "type", "category", "family")

_WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    "a an and are as at be been being but by can could do does doing for from get got had has have having he her "
    "him his how i i'd i'm if in into is it its just kind kinda like me more most my of on or our out really she "
    "so some something than that the their them then there these they this those to too up us very want wants was "
    "we were what when where which while who will with would you your yours im ive id dont".split()
)

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings


def tokenize(text: str) -> list[str]:
    """Lower-case words without stop words, lightly stemmed so 'managing' meets 'manage'."""
    return [_stem(word) for word in _WORD.findall(text.lower()) if word not in STOPWORDS]


def _stem(word: str) -> str:
    for suffix in ("ing", "ers", "er", "es", "s", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@dataclass
class SearchHit:
    """One result: which document, how it ranked in each list, and the fused score."""

    id: str
    kind: str
    title: str
    score: float
    similarity: float | None = None
    dense_rank: int | None = None
    lexical_rank: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "title": self.title, "score": round(self.score, 6),
                "similarity": None if self.similarity is None else round(self.similarity, 4),
                "dense_rank": self.dense_rank, "lexical_rank": self.lexical_rank, "metadata": self.metadata}


class _Lexical:
    """BM25 over the documents of one kind."""

    def __init__(self, docs: Sequence[Document]) -> None:
        self.docs = list(docs)
        corpus = [tokenize(f"{d.title} {d.title} {d.text}") for d in self.docs]
        self.bm25 = BM25Okapi(corpus) if corpus else None

    def rank(self, query: str, allowed: set[str] | None, top: int) -> list[tuple[str, float]]:
        tokens = tokenize(query)
        if self.bm25 is None or not tokens:
            return []
        import numpy as np  # rank_bm25 has imported it already

        scores = self.bm25.get_scores(tokens)
        order = np.argsort(-scores, kind="stable")  # best first, ties in document order (as sorted() gave)
        order = order[scores[order] > 0].tolist()
        ranked = [(self.docs[i].id, float(scores[i])) for i in order
                  if allowed is None or self.docs[i].id in allowed]
        return ranked[:top]


class DenseSource(Protocol):
    """Where the dense ranking comes from: Chroma (KnowledgeIndex) or its numpy copy (VectorMirror)."""

    def dense(self, vector: list[float], kind: str, top: int, where: dict | None = None,
              allowed: set[str] | None = None) -> list[tuple[str, float]]: ...


class HybridSearcher:
    """Searches one kind or all kinds; filters apply to both the dense and the lexical side."""

    def __init__(self, documents: Sequence[Document], index: DenseSource, embeddings: Embeddings) -> None:
        self.index = index
        self.embeddings = embeddings
        self.docs = {d.id: d for d in documents}
        self._lexical_by_kind: dict[str, _Lexical] = {}  # built at a kind's first search: a CLI call needs one

    def warm(self) -> None:
        """Build every kind's keyword table now (a server does, before its first request)."""
        for kind in KINDS:
            self._lexical(kind)

    def _lexical(self, kind: str) -> _Lexical:
        if kind not in self._lexical_by_kind:
            self._lexical_by_kind[kind] = _Lexical([d for d in self.docs.values() if d.kind == kind])
        return self._lexical_by_kind[kind]

    def search(self, text: str, *, kind: str | None = None, top: int = 10,
               filters: dict[str, Any] | None = None, candidates: int = 50) -> list[SearchHit]:
        """The `top` best documents for `text`, fused from both rankings."""
        filters = {k: v for k, v in (filters or {}).items() if v is not None}
        unknown = set(filters) - set(FILTER_KEYS)
        if unknown:
            raise ValueError(f"unknown filter(s) {sorted(unknown)}; allowed: {list(FILTER_KEYS)}")
        kinds = [kind] if kind else list(KINDS)
        vector = self.embeddings.embed_query(text)
        hits: list[SearchHit] = []
        for k in kinds:
            hits += self._search_kind(text, vector, k, max(top, candidates), filters)
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits[:top]

    def _search_kind(self, text: str, vector: list[float], kind: str, depth: int,
                     filters: dict[str, Any]) -> list[SearchHit]:
        allowed = None
        if filters:
            allowed = {d.id for d in self.docs.values()
                       if d.kind == kind and all(d.metadata.get(key) == value for key, value in filters.items())}
            if not allowed:
                return []
        where = _where(filters)
        dense = [(i, s) for i, s in self.index.dense(vector, kind, depth, where, allowed) if i in self.docs]
        lexical = self._lexical(kind).rank(text, allowed, depth)
        fused: dict[str, SearchHit] = {}
        for rank, (doc_id, similarity) in enumerate(dense, start=1):
            hit = fused.get(doc_id) or fused.setdefault(doc_id, self._hit(doc_id))  # a hit is made once per document
            hit.similarity, hit.dense_rank = similarity, rank
            hit.score += DENSE_WEIGHT / (RRF_K + rank)
        for rank, (doc_id, _) in enumerate(lexical, start=1):
            hit = fused.get(doc_id) or fused.setdefault(doc_id, self._hit(doc_id))
            hit.lexical_rank = rank
            hit.score += LEXICAL_WEIGHT / (RRF_K + rank)
        return list(fused.values())

    def _hit(self, doc_id: str) -> SearchHit:
        doc = self.docs[doc_id]
        return SearchHit(doc.id, doc.kind, doc.title, 0.0, metadata=dict(doc.metadata))


def _where(filters: dict[str, Any]) -> dict | None:
    clauses = [{key: value} for key, value in sorted(filters.items())]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}

"""Retrieval at scale: index 10,000 synthetic documents, then time hybrid queries (warm). Run: python bench/retrieval.py"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402
from chromadb.config import Settings as ChromaSettings  # noqa: E402

from coach.knowledge import Document  # noqa: E402
from coach.retrieval.embedder import MiniLMEmbeddings  # noqa: E402
from coach.retrieval.index import KINDS, KnowledgeIndex  # noqa: E402
from coach.retrieval.search import HybridSearcher  # noqa: E402

SUBJECTS = ["data pipelines", "customer onboarding", "design systems", "sales forecasting", "incident response",
            "hiring loops", "pricing experiments", "user interviews", "machine learning models", "quarterly planning",
            "content strategy", "API platform", "renewals", "payroll", "accessibility", "analytics dashboards"]
VERBS = ["leads", "builds", "improves", "coaches people on", "owns", "researches", "operates", "negotiates",
         "writes about", "plans", "measures", "scales"]
FAMILIES = ["engineering", "data", "product", "design", "customer-success", "people", "sales", "marketing"]


def corpus(size: int, seed: int = 7) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for i in range(size):
        kind = KINDS[i % len(KINDS)]
        subject, other = rng.sample(SUBJECTS, 2)
        text = (f"Item {i}: {rng.choice(VERBS)} {subject} and {rng.choice(VERBS)} {other}; "
                f"works with {rng.choice(FAMILIES)} teams at level {rng.randint(1, 6)}.")
        docs.append(Document(f"doc-{i}", kind, f"{subject.title()} {i}", text,
                             {"kind": kind, "job_family": rng.choice(FAMILIES), "track": rng.choice(["ic", "management"]),
                              "level": rng.randint(1, 6)}))
    return docs


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("bench/results/retrieval.json"))
    args = parser.parse_args()

    embeddings = MiniLMEmbeddings()
    docs = corpus(args.docs)
    with tempfile.TemporaryDirectory() as tmp:
        client = chromadb.PersistentClient(path=tmp, settings=ChromaSettings(anonymized_telemetry=False))
        index = KnowledgeIndex(client, embeddings, "bench")
        first = index.sync(docs, progress=True)
        again = index.sync(docs)
        searcher = HybridSearcher(docs, index, embeddings)
        rng = random.Random(11)
        queries = [f"someone who {rng.choice(VERBS)} {rng.choice(SUBJECTS)}" for _ in range(args.queries)]
        for q in queries[:10]:
            searcher.search(q, kind="role", top=10)  # warm-up
        cold, warm, filtered = [], [], []
        embeddings._cache.clear()
        for q in queries:
            t = time.perf_counter()
            searcher.search(q, kind="role", top=10)
            cold.append((time.perf_counter() - t) * 1000)
        for q in queries:
            t = time.perf_counter()
            searcher.search(q, kind="role", top=10)
            warm.append((time.perf_counter() - t) * 1000)
        for q in queries:
            t = time.perf_counter()
            searcher.search(q, kind="role", top=10, filters={"job_family": "data"})
            filtered.append((time.perf_counter() - t) * 1000)
    result = {
        "docs": args.docs, "queries": args.queries,
        "index_docs_per_second": round(first.docs_per_second, 1), "index_seconds": round(first.seconds, 1),
        "reindex_unchanged_seconds": round(again.seconds, 2), "reindex_embedded": again.embedded,
        "query_ms_new_text": {"p50": round(statistics.median(cold), 2), "p95": round(percentile(cold, 95), 2)},
        "query_ms_warm": {"p50": round(statistics.median(warm), 2), "p95": round(percentile(warm, 95), 2)},
        "query_ms_warm_filtered": {"p50": round(statistics.median(filtered), 2), "p95": round(percentile(filtered, 95), 2)},
        "budget_p95_ms": 30,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

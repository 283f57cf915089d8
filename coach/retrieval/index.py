"""The Chroma index: one collection per kind, kept in sync incrementally by content hash."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from coach.errors import RetrievalUnavailable
from coach.knowledge import Document
from coach.retrieval.embedder import CoachEmbeddingFunction
from coach.settings import Settings

KINDS: tuple[str, ...] = ("role", "competency", "resource", "question", "opportunity")
BATCH = 128


def make_chroma_client(settings: Settings) -> ClientAPI:
    """HttpClient when COACH_CHROMA_HOST is set, otherwise a PersistentClient on disk."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if settings.chroma_host:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        settings.resolved_chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.resolved_chroma_path), settings=chroma_settings)
    except Exception as exc:  # chromadb raises bare ValueError/ConnectionError variants on connect
        raise RetrievalUnavailable(f"cannot open Chroma ({_where(settings)}): {exc}") from exc


def _where(settings: Settings) -> str:
    return f"http://{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else str(settings.resolved_chroma_path)


def content_hash(doc: Document, model_id: str = "") -> str:
    """What decides whether a document must be re-embedded: its content and the model that embeds it."""
    payload = json.dumps([model_id, doc.title, doc.text, doc.metadata], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


@dataclass
class IndexStats:
    """What one sync did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    embedded: int = 0
    seconds: float = 0.0
    per_kind: dict[str, int] = field(default_factory=dict)

    @property
    def docs_per_second(self) -> float:
        return self.embedded / self.seconds if self.seconds else 0.0


class KnowledgeIndex:
    """Chroma collections `<prefix>-<kind>`; a filter on kind would cost 6x per query (DESIGN.md)."""

    def __init__(self, client: ClientAPI, embeddings: Embeddings, prefix: str = "coach") -> None:
        self.client = client
        self.embeddings = embeddings
        self.prefix = prefix
        self._function = CoachEmbeddingFunction(embeddings)  # type: ignore[arg-type]
        # A new model (the PyTorch MiniLM gave way to the ONNX one) re-embeds everything once.
        self.model_id = str(getattr(embeddings, "model_id", ""))
        self._collections: dict[str, Collection] = {}

    def collection(self, kind: str) -> Collection:
        if kind not in self._collections:
            try:
                self._collections[kind] = self.client.get_or_create_collection(
                    f"{self.prefix}-{kind}", embedding_function=self._function,  # type: ignore[arg-type]
                    configuration={"hnsw": {"space": "cosine"}},
                )
            except Exception as exc:
                raise RetrievalUnavailable(f"Chroma is unavailable: {exc}") from exc
        return self._collections[kind]

    def sync(self, documents: Sequence[Document], *, progress: bool = False,
             on_progress: Callable[[int, int], None] | None = None) -> IndexStats:
        """Make the index hold exactly `documents`; only new or changed ones are embedded.

        `on_progress(embedded, to_embed)` is called after each batch (a web page shows it).
        """
        started = time.perf_counter()
        stats = IndexStats()
        by_kind: dict[str, list[Document]] = {kind: [] for kind in KINDS}
        for doc in documents:
            by_kind.setdefault(doc.kind, []).append(doc)
        todo: list[tuple[str, Document, str]] = []
        try:
            for kind, docs in by_kind.items():
                stored = self._stored_hashes(kind)
                wanted = {doc.id for doc in docs}
                stale = [doc_id for doc_id in stored if doc_id not in wanted]
                if stale:
                    self.collection(kind).delete(ids=stale)
                    stats.removed += len(stale)
                for doc in docs:
                    digest = content_hash(doc, self.model_id)
                    if stored.get(doc.id) == digest:
                        stats.unchanged += 1
                        continue
                    if doc.id in stored:
                        stats.updated += 1
                    else:
                        stats.added += 1
                    todo.append((kind, doc, digest))
                stats.per_kind[kind] = len(docs)
            bar = tqdm(total=len(todo), desc="embedding", unit="doc", disable=not progress or not todo)
            for start in range(0, len(todo), BATCH):
                batch = todo[start:start + BATCH]
                vectors = self.embeddings.embed_documents([doc.text for _, doc, _ in batch])
                for kind in {k for k, _, _ in batch}:
                    rows = [(doc, digest, vec) for (k, doc, digest), vec in zip(batch, vectors) if k == kind]
                    self.collection(kind).upsert(
                        ids=[doc.id for doc, _, _ in rows],
                        embeddings=[vec for _, _, vec in rows],
                        documents=[doc.text for doc, _, _ in rows],
                        metadatas=[{**doc.metadata, "title": doc.title, "content_hash": digest} for doc, digest, _ in rows],
                    )
                stats.embedded += len(batch)
                bar.update(len(batch))
                if on_progress is not None:
                    on_progress(stats.embedded, len(todo))
            bar.close()
        except RetrievalUnavailable:
            raise
        except Exception as exc:
            raise RetrievalUnavailable(f"Chroma failed while indexing: {exc}") from exc
        stats.seconds = time.perf_counter() - started
        return stats

    def _stored_hashes(self, kind: str) -> dict[str, str]:
        result = self.collection(kind).get(include=["metadatas"])
        return {doc_id: str((meta or {}).get("content_hash", "")) for doc_id, meta in zip(result["ids"], result["metadatas"] or [])}

    def dense(self, vector: list[float], kind: str, top: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(id, cosine similarity) of the nearest documents of one kind."""
        try:
            collection = self.collection(kind)
            count = collection.count()
            if count == 0:
                return []
            result = collection.query(query_embeddings=[vector], n_results=min(top, count), where=where,
                                      include=["distances"])
        except RetrievalUnavailable:
            raise
        except Exception as exc:
            raise RetrievalUnavailable(f"Chroma query failed: {exc}") from exc
        return [(doc_id, 1.0 - float(dist)) for doc_id, dist in zip(result["ids"][0], result["distances"][0])]

    def count(self, kinds: Iterable[str] = KINDS) -> int:
        return sum(self.collection(kind).count() for kind in kinds)

    def heartbeat(self) -> None:
        """Raise RetrievalUnavailable unless Chroma answers."""
        try:
            self.client.heartbeat()
        except Exception as exc:
            raise RetrievalUnavailable(f"Chroma does not answer: {exc}") from exc

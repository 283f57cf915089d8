"""The Chroma index: one collection per kind, kept in sync incrementally by content hash."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings as ChromaEmbeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import register_embedding_function
from tqdm import tqdm

from coach.errors import RetrievalUnavailable
from coach.knowledge import DOCUMENT_KINDS, Document
from coach.retrieval.embedder import MODEL_PACKAGE, get_embeddings
from coach.retrieval.mirror import VectorMirror, content_hash
from coach.settings import Settings

KINDS = DOCUMENT_KINDS
BATCH = 128

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings


@register_embedding_function
class CoachEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma embedding function over MiniLMEmbeddings, so Chroma never uses its downloading default."""

    def __init__(self, embeddings: Embeddings | None = None) -> None:
        self._embeddings = embeddings or get_embeddings()

    def __call__(self, input: Documents) -> ChromaEmbeddings:
        return [np.asarray(v, dtype=np.float32) for v in self._embeddings.embed_documents(list(input))]

    def embed_query(self, input: Documents) -> ChromaEmbeddings:
        return [np.asarray(self._embeddings.embed_query(t), dtype=np.float32) for t in input]

    @staticmethod
    def name() -> str:
        return "coach-minilm-l6-v2"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine"]

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "CoachEmbeddingFunction":
        return CoachEmbeddingFunction()

    def get_config(self) -> dict[str, Any]:
        return {"model_package": MODEL_PACKAGE}


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

    def __init__(self, client: ClientAPI, embeddings: Embeddings, prefix: str = "coach",
                 mirror_path: Path | None = None) -> None:
        self.client = client
        self.mirror_path = mirror_path  # where a local index keeps its numpy copy (mirror.py); None: no copy
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
            if self.mirror_path is not None and (todo or stats.removed or not VectorMirror(self.mirror_path).matches(
                    documents, self.model_id)):
                self._write_mirror(self.mirror_path)
        except RetrievalUnavailable:
            raise
        except Exception as exc:
            raise RetrievalUnavailable(f"Chroma failed while indexing: {exc}") from exc
        stats.seconds = time.perf_counter() - started
        return stats

    def _write_mirror(self, path: Path) -> None:
        """Copy what Chroma now holds (ids, content hashes, vectors) into the mirror file."""
        rows: dict[str, tuple[list[str], list[str], np.ndarray]] = {}
        for kind in KINDS:
            got = self.collection(kind).get(include=["embeddings", "metadatas"])
            ids = list(got["ids"])
            hashes = [str((meta or {}).get("content_hash", "")) for meta in (got["metadatas"] or [])]
            vectors = np.asarray(got["embeddings"] if ids else [], dtype=np.float32)
            rows[kind] = (ids, hashes, vectors)
        VectorMirror.write(path, rows)

    def _stored_hashes(self, kind: str) -> dict[str, str]:
        result = self.collection(kind).get(include=["metadatas"])
        return {doc_id: str((meta or {}).get("content_hash", "")) for doc_id, meta in zip(result["ids"], result["metadatas"] or [])}

    def dense(self, vector: list[float], kind: str, top: int, where: dict | None = None,
              allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """(id, cosine similarity) of the nearest documents of one kind; Chroma filters by `where`, not `allowed`."""
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

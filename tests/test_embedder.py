"""The ONNX embedder: same vectors as the PyTorch model it replaces, pinned files, no torch, loaded lazily."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings as ChromaSettings

from coach.errors import EmbeddingModelInvalid
from coach.knowledge import load_knowledge
from coach.retrieval.embedder import (DIMENSIONS, MAX_TOKENS, MODEL_SHA256, MiniLMEmbeddings, get_embeddings,
                                      model_path)
from coach.retrieval.index import KnowledgeIndex
from coach.settings import PROJECT_ROOT
from tests.conftest import KNOWLEDGE_DIR

REFERENCE = Path(__file__).parent / "data" / "minilm_reference.json"  # made by tests/data/make_minilm_reference.py


@pytest.mark.slow  # 31 reference texts, some long (2.5 s): a guard against library changes, in make test
def test_vectors_match_the_pytorch_model() -> None:
    items = json.loads(REFERENCE.read_text())["items"]
    texts = [item["text"] for item in items]
    reference = np.array([item["vector"] for item in items], dtype=np.float32)
    vectors = np.array(get_embeddings().embed_documents(texts), dtype=np.float32)
    assert vectors.shape == (len(texts), DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    cosines = (vectors * reference).sum(axis=1) / np.linalg.norm(reference, axis=1)
    worst = int(cosines.argmin())
    assert cosines.min() >= 0.99, f"cosine {cosines.min():.4f} for {texts[worst][:80]!r}"
    # Similarities between texts (what ranking uses) move by little, not only each vector on its own.
    unit = reference / np.linalg.norm(reference, axis=1, keepdims=True)
    assert np.abs(vectors @ vectors.T - unit @ unit.T).max() < 0.02


def test_query_and_batch_give_the_same_vector() -> None:
    embeddings = get_embeddings()
    texts = ["I want to lead a team", "SQL dashboards for the finance team and a much longer sentence after it"]
    batch = np.array(embeddings.embed_documents(texts))
    single = np.array([embeddings.embed_query(t) for t in texts])
    assert (batch * single).sum(axis=1).min() > 0.9999


def test_long_texts_are_cut_at_the_model_limit() -> None:
    embeddings = get_embeddings()
    words = "mentoring engineers through design reviews and incidents " * 80  # ~640 tokens
    tail = " completely different words about baking bread and sourdough starters" * 20
    a, b = np.array(embeddings.embed_documents([words, words + tail]))
    assert float(a @ b) > 0.9999  # the tail lies past MAX_TOKENS, so it cannot change the vector
    assert MAX_TOKENS == 256


def test_a_changed_model_file_is_refused(tmp_path: Path) -> None:
    data = bytearray(model_path().read_bytes())
    data[-1] ^= 0xFF
    changed = tmp_path / "model.onnx"
    changed.write_bytes(bytes(data))
    embeddings = MiniLMEmbeddings(model_file=changed)
    with pytest.raises(EmbeddingModelInvalid, match=f"expected {MODEL_SHA256}"):
        embeddings.embed_query("data analyst")


def test_a_missing_model_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelInvalid, match="cannot read the embedding model file"):
        MiniLMEmbeddings(model_file=tmp_path / "absent.onnx").embed_query("data analyst")


def test_nothing_changed_means_the_model_is_never_loaded(tmp_path: Path) -> None:
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    docs = load_knowledge(KNOWLEDGE_DIR).documents[:6]
    KnowledgeIndex(client, get_embeddings(), "lazy").sync(docs)
    fresh = MiniLMEmbeddings()
    stats = KnowledgeIndex(client, fresh, "lazy").sync(docs)
    assert (stats.embedded, stats.unchanged) == (0, 6)
    assert fresh._session is None  # opening the index and finding nothing to do did not load the model


@pytest.mark.slow  # imports the whole app in a fresh process: 5 s
def test_running_coach_imports_no_pytorch() -> None:
    probe = ("import sys\n"
             "from coach.retrieval.embedder import get_embeddings\n"
             "import coach.cli, api.main\n"
             "assert len(get_embeddings().embed_query('data analyst')) == 384\n"
             "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules)\n"
             "print(','.join(heavy))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"imported at run time: {out.stdout.strip()}"


def test_a_new_model_re_embeds_the_index_once(tmp_path: Path) -> None:
    from langchain_core.embeddings import DeterministicFakeEmbedding

    class Named(DeterministicFakeEmbedding):
        model_id: str = "old"

    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    docs = load_knowledge(KNOWLEDGE_DIR).documents[:10]
    assert KnowledgeIndex(client, Named(size=DIMENSIONS), "upgrade").sync(docs).embedded == 10
    assert KnowledgeIndex(client, Named(size=DIMENSIONS), "upgrade").sync(docs).embedded == 0
    new_model = Named(size=DIMENSIONS, model_id="new")
    assert KnowledgeIndex(client, new_model, "upgrade").sync(docs).updated == 10  # vectors of two models never mix
    assert KnowledgeIndex(client, new_model, "upgrade").sync(docs).embedded == 0


def test_a_few_texts_use_the_quick_graph_then_the_optimised_one_with_the_same_vectors() -> None:
    """A CLI call that embeds one query skips graph optimisation (~0.3 s); more texts switch to the optimised graph."""
    from coach.retrieval.embedder import QUICK_TEXTS

    items = json.loads(REFERENCE.read_text())["items"]
    texts = [item["text"] for item in items][: QUICK_TEXTS + 2]
    fresh = MiniLMEmbeddings()
    quick = [fresh.embed_query(text) for text in texts[:QUICK_TEXTS]]
    assert fresh._session is not None and not fresh._optimized
    later = fresh.embed_documents(texts[QUICK_TEXTS:])
    assert fresh._optimized  # the process embeds more than a few texts: the optimised graph pays off
    reference = np.array(get_embeddings().embed_documents(texts), dtype=np.float32)
    assert np.abs(np.array(quick + later, dtype=np.float32) - reference).max() < 1e-5
    server = MiniLMEmbeddings()
    server.load()  # what a server does at start
    assert server._optimized

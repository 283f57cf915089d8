"""Retrieval: offline embeddings, incremental Chroma indexing (local and over HTTP), hybrid search."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings
from langchain_core.embeddings import DeterministicFakeEmbedding
from typer.testing import CliRunner

from coach.cli import app
from coach.engine import Engine
from coach.errors import UnknownRole
from coach.knowledge import Document, load_knowledge
from coach.retrieval.embedder import DIMENSIONS, MiniLMEmbeddings
from coach.retrieval.index import KnowledgeIndex
from coach.retrieval.search import HybridSearcher, tokenize
from coach.settings import Settings
from tests.conftest import KNOWLEDGE_DIR, free_port


def _client(path: Path) -> chromadb.api.ClientAPI:
    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


def test_indexing_works_with_the_network_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    embeddings = MiniLMEmbeddings()  # a fresh load, not the shared one: the model must come from the package
    docs = load_knowledge(KNOWLEDGE_DIR).documents[:8]
    index = KnowledgeIndex(_client(tmp_path / "chroma"), embeddings, "offline")
    stats = index.sync(docs)
    assert stats.embedded == 8
    assert len(embeddings.embed_query("data analyst")) == DIMENSIONS


def test_incremental_sync_embeds_only_changes(tmp_path: Path) -> None:
    class Counting(DeterministicFakeEmbedding):
        calls: int = 0

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            self.calls += len(texts)
            return super().embed_documents(texts)

    embeddings = Counting(size=32)
    index = KnowledgeIndex(_client(tmp_path / "chroma"), embeddings, "incr")
    docs = [Document(f"d{i}", "role", f"Role {i}", f"text {i}", {"kind": "role"}) for i in range(10)]
    assert index.sync(docs).embedded == 10
    again = index.sync(docs)
    assert (again.embedded, again.unchanged, embeddings.calls) == (0, 10, 10)
    changed = [*docs[:9], Document("d9", "role", "Role 9", "new text", {"kind": "role"})]
    stats = index.sync(changed[:-2] + changed[-1:])
    assert (stats.updated, stats.removed, stats.embedded) == (1, 1, 1)
    assert index.count(["role"]) == 9


def test_hybrid_search_finds_roles_from_how_people_talk(engine: Engine) -> None:
    hits = engine.search("I love talking to customers and helping them succeed with the product", kind="role", top=3)
    assert any(h.metadata["job_family"] == "customer-success" for h in hits), [h.id for h in hits]
    hits = engine.search("I want to lead a team of engineers and help them grow", kind="role", top=3)
    assert "engineering-manager" in [h.id for h in hits]


def test_filters_apply_to_dense_and_lexical_results(engine: Engine) -> None:
    hits = engine.search("dashboards and SQL", kind="role", top=20, job_family="data")
    assert hits and all(h.metadata["job_family"] == "data" for h in hits)
    hits = engine.search("lead people", kind="role", top=20, track="management")
    assert hits and all(h.metadata["track"] == "management" for h in hits)
    hits = engine.search("mentoring", kind="resource", top=5)
    assert hits and all(h.kind == "resource" for h in hits)
    with pytest.raises(ValueError, match="unknown filter"):
        engine.search("x", colour="blue")


def test_resolve_role_by_id_title_alias_and_meaning(engine: Engine) -> None:
    assert engine.resolve_role("data-analyst").id == "data-analyst"
    assert engine.resolve_role("Data Analyst").id == "data-analyst"
    assert engine.resolve_role("backend developer writing APIs").job_family == "engineering"
    with pytest.raises(UnknownRole) as err:
        engine.resolve_role("zzzz qqqq")
    assert err.value.field == "role" and err.value.details["closest"]


@pytest.mark.parametrize("typed,role_id", [
    ("jr designer", "product-designer"),
    ("newly promoted EM", "engineering-manager"),
    ("data scientist on the growth team", "data-scientist"),
    ("full-stack dev", "software-engineer-ii"),
    ("new grad frontend dev", "software-engineer-i"),
    ("design lead, looking after 3 designers", "design-manager"),
    ("sr pm - growth", "senior-product-manager"),
    ("support agent, tier 2", "support-specialist"),
])
def test_resolve_role_from_how_managers_type_it(engine: Engine, typed: str, role_id: str) -> None:
    assert engine.resolve_role(typed).id == role_id


def test_tokenize_drops_stopwords_and_stems() -> None:
    assert tokenize("I want to be Managing the teams") == ["manag", "team"]


def test_cli_search_json(engine: Engine, settings: Settings) -> None:
    result = CliRunner().invoke(app, ["search", "coaching my team", "--kind", "competency", "--top", "3", "--json"],
                                obj=engine)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 3 and {"id", "kind", "title", "score"} <= set(rows[0])
    assert all(r["kind"] == "competency" for r in rows)
    bad = CliRunner().invoke(app, ["search", "x", "--kind", "planet"], obj=engine)
    assert bad.exit_code == 2 and "kind" in bad.output


@pytest.fixture()
def chroma_server(tmp_path: Path) -> Iterator[int]:
    """`chroma run` on 127.0.0.1 with a free port, stopped after the test."""
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma run did not start within 30 s")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_http_client_against_chroma_run(chroma_server: int, tmp_path: Path, engine: Engine) -> None:
    settings = Settings(knowledge_dir=KNOWLEDGE_DIR, data_dir=tmp_path, chroma_host="127.0.0.1",
                        chroma_port=chroma_server, _env_file=None)
    remote = Engine(settings, knowledge=engine.knowledge, embeddings=engine.embeddings)
    stats = remote.reindex()
    assert stats.embedded == len(engine.knowledge.documents)
    assert remote.reindex().embedded == 0
    hits = remote.search("I want to manage a sales team", kind="role", top=3)
    assert "sales-manager" in [h.id for h in hits]


def test_searcher_over_plain_documents(tmp_path: Path) -> None:
    embeddings = DeterministicFakeEmbedding(size=16)
    docs = [Document("a", "role", "Alpha", "kubernetes operators", {"kind": "role", "track": "ic"}),
            Document("b", "role", "Beta", "budget forecasting", {"kind": "role", "track": "management"}),
            Document("c", "role", "Gamma", "customer interviews", {"kind": "role", "track": "ic"}),
            Document("d", "role", "Delta", "design systems", {"kind": "role", "track": "ic"})]
    index = KnowledgeIndex(_client(tmp_path / "c"), embeddings, "plain")
    index.sync(docs)
    searcher = HybridSearcher(docs, index, embeddings)
    hits = searcher.search("budget forecasting", kind="role", top=2)
    assert hits[0].id == "b" and hits[0].lexical_rank == 1
    assert [h.id for h in searcher.search("kubernetes", kind="role", filters={"track": "management"})] == ["b"]

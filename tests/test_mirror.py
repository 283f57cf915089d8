"""The numpy copy of a local index: same answers as Chroma, used only while current, and light to start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from coach.engine import Engine
from coach.knowledge import Knowledge
from coach.retrieval.index import KnowledgeIndex
from coach.retrieval.mirror import VectorMirror
from coach.settings import PROJECT_ROOT, Settings
from tests.conftest import KNOWLEDGE_DIR

QUERIES = ["I love customer problems and want to grow", "mentoring junior engineers", "SQL dashboards",
           "lead a small team", "public speaking at conferences", "pricing experiments"]


def test_the_copy_ranks_like_chroma_for_every_kind_and_filter(engine: Engine) -> None:
    mirror = engine.dense_source()
    assert isinstance(mirror, VectorMirror)  # the session engine was indexed locally, so its copy is current
    chroma = engine.index
    roles = [d for d in engine.knowledge.documents if d.kind == "role"]
    engineering = {d.id for d in roles if d.metadata.get("job_family") == "engineering"}
    for text in QUERIES:
        vector = engine.embeddings.embed_query(text)
        for kind in ("role", "competency", "resource", "question"):
            ours = mirror.dense(vector, kind, 10)
            theirs = chroma.dense(vector, kind, 10)
            assert [i for i, _ in ours][:5] == [i for i, _ in theirs][:5], (text, kind)
            assert all(abs(a - b) < 1e-4 for (_, a), (_, b) in zip(ours, theirs))
        filtered = mirror.dense(vector, "role", 10, allowed=engineering)
        by_chroma = chroma.dense(vector, "role", 10, where={"job_family": "engineering"})
        assert {i for i, _ in filtered} <= engineering
        assert [i for i, _ in filtered] == [i for i, _ in by_chroma]


def test_a_changed_document_sends_search_to_chroma_until_reindexed(tmp_path: Path, engine: Engine) -> None:
    settings = Settings(knowledge_dir=KNOWLEDGE_DIR, data_dir=tmp_path, _env_file=None)
    built = Engine(settings, embeddings=engine.embeddings)
    built.reindex()
    assert isinstance(built.dense_source(), VectorMirror)
    docs = built.knowledge.documents
    changed = [replace(docs[0], text=docs[0].text + " Now also owns the on-call rota.")] + docs[1:]
    stale = Engine(settings, knowledge=_with_documents(built.knowledge, changed), embeddings=built.embeddings)
    assert isinstance(stale.dense_source(), KnowledgeIndex)  # the copy no longer holds this knowledge
    stats = stale.reindex()
    assert stats.updated == 1
    assert isinstance(stale.dense_source(), VectorMirror)  # the sync rewrote the copy
    assert not stale.searcher.search("on-call rota", top=3) == []


def test_a_chroma_server_has_no_copy(tmp_path: Path) -> None:
    settings = Settings(knowledge_dir=KNOWLEDGE_DIR, data_dir=tmp_path, chroma_host="127.0.0.1", _env_file=None)
    assert Engine(settings).mirror_path is None  # other API processes may change a shared index


def test_an_unreadable_copy_falls_back_to_chroma(tmp_path: Path, engine: Engine) -> None:
    path = tmp_path / "broken.npz"
    path.write_bytes(b"not a numpy file")
    mirror = VectorMirror(path)
    assert not mirror.matches(engine.knowledge.documents, "any")
    assert mirror.dense([0.0] * 384, "role", 5) == []


def test_a_cli_search_on_an_indexed_store_never_opens_chroma(engine: Engine, settings: Settings) -> None:
    """What keeps a CLI call fast (bench/footprint.py): no chromadb, no langchain, no alembic in the process."""
    probe = (
        "import sys, json\n"
        "from typer.testing import CliRunner\n"
        "from coach.cli import app\n"
        "r = CliRunner().invoke(app, ['search', 'mentoring junior engineers', '--kind', 'role', '--top', '3', '--json'])\n"
        "print(json.dumps({'exit': r.exit_code, 'hits': json.loads(r.output) if r.exit_code == 0 else r.output,\n"
        "  'loaded': sorted(m for m in ('chromadb', 'langchain_core', 'alembic', 'fastapi') if m in sys.modules)}))\n"
    )
    env = {**os.environ, "COACH_DATA_DIR": str(settings.data_dir), "COACH_KNOWLEDGE_DIR": str(KNOWLEDGE_DIR),
           "PYTHONPATH": str(PROJECT_ROOT)}
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120,
                         check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["exit"] == 0 and len(result["hits"]) == 3
    assert result["hits"][0]["id"] == engine.search("mentoring junior engineers", kind="role", top=3)[0].id
    assert result["loaded"] == []


def test_ready_on_a_local_index_does_not_open_chroma(tmp_path: Path, engine: Engine, settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from api.main import create_app
    from coach.store.store import Store

    # A new process on the session's indexed data directory: the index is on disk, nothing is open yet.
    fresh = Engine(settings, embeddings=engine.embeddings)
    store = Store(f"sqlite:///{tmp_path / 'coach.db'}")
    store.migrate()
    with TestClient(create_app(settings, engine=fresh, store=store)) as client:
        ready = client.get("/v1/ready")
    assert ready.status_code == 200 and "local copy" in ready.json()["checks"]["chroma"]
    assert "index" not in fresh.__dict__  # Chroma was never opened
    store.close()


def _with_documents(knowledge: Knowledge, documents: list) -> Knowledge:
    clone = Knowledge.__new__(Knowledge)
    clone.__dict__.update(knowledge.__dict__)
    clone.__dict__["documents"] = documents
    return clone


@pytest.mark.parametrize("top", [1, 3, 50])
def test_top_is_respected_and_sorted(engine: Engine, top: int) -> None:
    mirror = engine.dense_source()
    hits = mirror.dense(engine.embeddings.embed_query("data analysis"), "competency", top)
    assert len(hits) == min(top, len([d for d in engine.knowledge.documents if d.kind == "competency"]))
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_an_index_never_built_is_a_clear_error_not_a_keyword_only_ranking(tmp_path: Path) -> None:
    from coach.errors import RetrievalUnavailable

    empty = Engine(Settings(knowledge_dir=KNOWLEDGE_DIR, data_dir=tmp_path, _env_file=None))
    with pytest.raises(RetrievalUnavailable, match="coach index"):
        empty.search("mentoring", kind="role")


def test_a_stale_index_still_answers_and_says_it_is_out_of_date(tmp_path: Path, engine: Engine) -> None:
    import shutil

    knowledge_dir = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge_dir)
    settings = Settings(knowledge_dir=knowledge_dir, data_dir=tmp_path / "data", _env_file=None)
    Engine(settings, embeddings=engine.embeddings).reindex()
    questions = knowledge_dir / "questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace("What", "Which", 1), encoding="utf-8")
    later = Engine(settings, embeddings=engine.embeddings)
    assert later.search("mentoring", kind="role")
    assert later.index_warning and "1 knowledge document(s) changed" in later.index_warning
    ready = later.index_status()
    assert ready.startswith("ok") and "out of date" in ready

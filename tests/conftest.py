"""Shared fixtures: a real engine (real MiniLM model, real Chroma on disk) built once per session."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import coach.llm  # noqa: E402
from coach.engine import Engine  # noqa: E402
from coach.settings import PROJECT_ROOT, Settings  # noqa: E402

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
SHARED_DIR = PROJECT_ROOT.parent / "shared"
LADDERS_DIR = SHARED_DIR / "data" / "engineeringladders"

# No test reaches a model by accident: a test that means to opts in with coach.llm.allow_model_requests().
coach.llm.ALLOW_MODEL_REQUESTS = False


def free_port() -> int:
    """A port nobody listens on right now (loopback only)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("coach-data")


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    return Settings(knowledge_dir=KNOWLEDGE_DIR, data_dir=data_dir, _env_file=None)


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Engine:
    """The real engine over the sample knowledge, indexed once for the whole session."""
    built = Engine(settings)
    built.reindex()
    return built


PEOPLE_FILE = PROJECT_ROOT / "examples" / "people.yaml"


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """A real SQLite store, migrated and seeded with the sample people."""
    from coach.store.store import Store

    built = Store(f"sqlite:///{tmp_path_factory.mktemp('db') / 'coach.db'}")
    built.migrate()
    built.seed_people(PEOPLE_FILE)
    yield built
    built.close()


@pytest.fixture(scope="session")
def api(engine: Engine, settings: Settings, store):  # noqa: ANN001, ANN201
    """The real app over HTTP (uvicorn on loopback), with a token per kind of principal."""
    from api.main import create_app
    from tests.servers import RunningApi, serve

    tokens = {
        "admin": store.create_token("admin", None, "tests"),
        "manager": store.create_token("manager", "daniel-kim", "tests"),       # manages lena-fischer
        "employee": store.create_token("employee", "lena-fischer", "tests"),
        "other_employee": store.create_token("employee", "priya-raman", "tests"),  # sofia-marquez's report
    }
    with serve(create_app(settings, engine=engine, store=store)) as base_url:
        yield RunningApi(base_url, tokens)

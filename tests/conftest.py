"""Shared fixtures: a real engine (real MiniLM model, real Chroma on disk) built once per session."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import coach.llm.provider  # noqa: E402
from coach.engine import Engine  # noqa: E402
from coach.retrieval.embedder import MiniLMEmbeddings  # noqa: E402
from coach.settings import PROJECT_ROOT, Settings  # noqa: E402

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
SHARED_DIR = PROJECT_ROOT.parent / "shared"
LADDERS_DIR = SHARED_DIR / "data" / "engineeringladders"

# No test reaches a model by accident: a test that means to opts in with coach.llm.provider.allow_model_requests().
coach.llm.provider.ALLOW_MODEL_REQUESTS = False


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


class _RememberingEmbeddings(MiniLMEmbeddings):
    """The real model, whose document vectors are kept between test sessions (keyed by model and text).

    Indexing the sample knowledge embeds ~400 documents: 8 s of every run of the suite, for the same vectors each
    time. The vectors are the model's own, made by an earlier run; queries always run the model.
    """

    CACHE = PROJECT_ROOT / ".venv" / "test-vectors.npz"
    _known: dict[str, list[float]] | None = None  # the file's vectors, read once per session

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        import hashlib

        import numpy as np

        if self._known is None:
            self._known = {}
            if self.CACHE.exists():
                with np.load(self.CACHE) as data:
                    self._known = {k: data[k].tolist() for k in data.files}
        keys = [hashlib.sha256(f"{self.model_id}\n{t}".encode()).hexdigest() for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self._known]
        if missing:
            made = super().embed_documents([texts[i] for i in missing])
            self._known.update({keys[i]: vector for i, vector in zip(missing, made)})
            if self.CACHE.parent.is_dir():
                tmp = self.CACHE.with_suffix(f".{os.getpid()}.tmp.npz")
                np.savez(tmp, **{k: np.asarray(v, dtype=np.float32) for k, v in self._known.items()})
                os.replace(tmp, self.CACHE)
        return [self._known[k] for k in keys]


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Engine:
    """The real engine over the sample knowledge, indexed once for the whole session."""
    built = Engine(settings, embeddings=_RememberingEmbeddings())
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


def _pg_binary(name: str) -> str | None:
    """A PostgreSQL server binary on PATH, or where Debian's `apt-get install postgresql` puts it (not on PATH)."""
    import glob
    import shutil

    return shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)


@pytest.fixture(scope="session")
def postgres_url():  # noqa: ANN201
    """COACH_TEST_DATABASE_URL, or a throwaway PostgreSQL cluster on loopback when its binaries are installed."""
    import shutil
    import subprocess

    if os.environ.get("COACH_TEST_DATABASE_URL"):
        yield os.environ["COACH_TEST_DATABASE_URL"]
        return
    initdb, pg_ctl = _pg_binary("initdb"), _pg_binary("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("no PostgreSQL: set COACH_TEST_DATABASE_URL or install the server binaries (initdb, pg_ctl)")
    pytest.importorskip("psycopg")
    import tempfile

    # Not under pytest's tmp dir: that one is private to root, and the server runs as another user.
    root = Path(tempfile.mkdtemp(prefix="coach-pg-"))
    # PostgreSQL refuses to run as root; run the throwaway cluster as the unprivileged 'nobody'.
    as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    if as_user:
        root.chmod(0o755)
        shutil.chown(root, "nobody")
    port = free_port()
    data, log = root / "data", root / "server.log"
    run = lambda *cmd: subprocess.run([*as_user, *cmd], check=True, capture_output=True, timeout=120)  # noqa: E731
    run(initdb, "-D", str(data), "-U", "coach", "--auth=trust", "--no-sync")
    run(pg_ctl, "-D", str(data), "-l", str(log), "-w", "-o",
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    try:
        yield f"postgresql+psycopg://coach@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


from tests.fixtures_llama import llama_server  # noqa: E402,F401 - a session fixture shared by several modules
from tests.web_browser import browser  # noqa: E402,F401 - Debian's Chromium under Playwright, for the web tests


# Tests that start a server process of their own (llama.cpp, `chroma run`, PostgreSQL) take most of the
# suite's time; `make test-fast` (pytest -m "not slow") leaves them out, `make test` runs everything.
SLOW_FIXTURES = frozenset({"llama_server", "chroma_server", "postgres_url", "browser"})


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With slow tests deselected, do not build the fuzz cases only to drop them (7 s of every quick run)."""
    if collection_path.name == "test_fuzz.py" and " ".join((config.option.markexpr or "").split()) == "not slow":
        return True
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)

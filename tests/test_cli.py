"""The `coach` command end to end: data commands print JSON, bad input exits non-zero with the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coach.cli import app
from coach.engine import Engine
from coach.settings import PROJECT_ROOT, Settings, get_settings



class EngineRunner(CliRunner):
    """A CliRunner that hands every command the given engine through typer's context object."""

    def __init__(self, engine: Engine | None = None) -> None:
        super().__init__()
        self.engine = engine

    def invoke(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        kwargs.setdefault("obj", self.engine)
        return super().invoke(*args, **kwargs)


runner = EngineRunner()


@pytest.fixture()
def cli_env(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI on the session engine (passed as the context object) and a private data directory."""
    global runner
    runner = EngineRunner(engine)
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COACH_CHROMA_PATH", str(engine.settings.resolved_chroma_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def run_json(*args: str) -> object:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_questions_paths_map_json(cli_env: Path) -> None:
    questions = run_json("questions", "--role", "data-analyst", "--aspiration", "product management", "--count", "5")
    assert len(questions["questions"]) == 5 and questions["source"] == "rules"
    paths = run_json("paths", "--role", "senior-data-analyst", "--interests", "customers", "--limit", "3")
    assert 1 <= len(paths["paths"]) <= 3
    ratings = cli_env / "ratings.yaml"
    ratings.write_text("people-management: {self: 3, manager: 1}\n")
    dev_map = run_json("map", "--role", "software-engineer-ii", "--aspiration", "engineering manager",
                       "--horizon-months", "18", "--start", "2026-01-05", "--ratings", str(ratings))
    assert {"target_role", "candidates", "gaps", "actions", "check_ins"} <= set(dev_map)
    assert {"id", "title"} <= set(dev_map["target_role"])
    assert all({"competency_id", "current", "required"} <= set(g) for g in dev_map["gaps"])
    assert all({"resource_id", "competency_id", "milestone", "due"} <= set(a) for a in dev_map["actions"])


def test_summarize_json_and_bad_input(cli_env: Path) -> None:
    notes = cli_env / "notes.txt"
    notes.write_text("- Priya to draft the brief by next Friday\n- I'll book the workshop tomorrow\n")
    summary = run_json("summarize", str(notes), "--date", "2026-03-02", "--manager", "Sam Lee",
                       "--employee", "Priya Raman")
    assert [(c["owner"], c["due"]) for c in summary["commitments"]] == [("Priya Raman", "2026-03-13"),
                                                                        ("Sam Lee", "2026-03-03")]
    assert summary["markdown"] and summary["next_check_in"] is None
    bad_date = runner.invoke(app, ["summarize", str(notes), "--date", "03/02/2026", "--manager", "A", "--employee", "B"])
    assert bad_date.exit_code == 2 and "date" in bad_date.output
    notes.write_bytes(b"\xff\xfe\x00bad")
    binary = runner.invoke(app, ["summarize", str(notes), "--date", "2026-03-02", "--manager", "A", "--employee", "B"])
    assert binary.exit_code == 2 and "notes" in binary.output
    out_of_range = runner.invoke(app, ["questions", "--role", "data-analyst", "--count", "40"])
    assert out_of_range.exit_code == 2 and "count" in out_of_range.output


def test_summarize_explain_prints_each_segments_fate(cli_env: Path) -> None:
    notes = cli_env / "notes.txt"
    notes.write_text("- maybe Priya presents at the guild\n- Priya to draft the brief by next Friday\n")
    args = ["summarize", str(notes), "--date", "2026-03-02", "--manager", "Sam Lee", "--employee", "Priya Raman"]
    text = runner.invoke(app, [*args, "--explain"])
    assert text.exit_code == 0, text.output
    assert '- kept as commitment 1: "Priya to draft the brief by next Friday"' in text.stdout
    assert '- dropped: ' in text.stdout and "maybe Priya presents at the guild" in text.stdout
    data = run_json(*args, "--explain")
    assert [d["kept"] for d in data["explain"]] == [False, True]
    notes.write_text("- I'll book the workshop tomorrow\n")
    assert [c["owner"] for c in run_json(*args, "--author", "employee")["commitments"]] == ["Priya Raman"]
    bad = runner.invoke(app, [*args, "--author", "intern"])
    assert bad.exit_code == 2 and "author" in bad.output


def test_token_setup_local_and_doctor(cli_env: Path) -> None:
    setup = runner.invoke(app, ["setup-local"])
    assert setup.exit_code == 0, setup.output
    token = (cli_env / "local-admin-token").read_text().strip()
    assert token in setup.output and "/docs" in setup.output
    assert run_json("token", "create", "--role", "manager", "--person", "daniel-kim")["token"].startswith("coach_")
    refused = runner.invoke(app, ["token", "create", "--role", "employee"])
    assert refused.exit_code == 2 and "person" in refused.output
    doctor = run_json("doctor")
    assert doctor["checks"]["database"]["status"] == "ok" and doctor["checks"]["chroma"]["status"] == "ok"
    assert doctor["checks"]["llm"]["detail"] == "not configured (rules engine only)"
    assert doctor["config"]["llm_api_key"].startswith("****")


def test_settings_reject_impossible_llm_configuration() -> None:
    with pytest.raises(ValueError, match="COACH_LLM_MODEL"):
        Settings(llm_provider="openai", _env_file=None)


def test_readme_documents_every_setting() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    missing = [name for name in Settings.model_fields if f"COACH_{name.upper()}" not in readme]
    assert missing == []


def test_serve_refuses_several_workers_without_a_chroma_server(tmp_path: Path) -> None:
    """Several processes must share one Chroma server; a local Chroma directory serves one process."""
    local = Engine(Settings(knowledge_dir=PROJECT_ROOT / "knowledge", data_dir=tmp_path, _env_file=None))
    result = CliRunner().invoke(app, ["serve", "--workers", "2"], obj=local)
    assert result.exit_code == 2
    assert "workers: 2 processes need a Chroma server" in result.output and "COACH_CHROMA_HOST" in result.output
    assert not (tmp_path / "chroma").exists()  # refused before anything was opened
    zero = CliRunner().invoke(app, ["serve", "--workers", "0"], obj=local)
    assert zero.exit_code == 2 and "--workers" in zero.output

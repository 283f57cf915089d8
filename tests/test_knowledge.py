"""The sample knowledge is valid and rich enough; broken knowledge is reported all at once with lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coach.cli import app
from coach.errors import InvalidKnowledge
from coach.knowledge import RESOURCE_CATEGORY, STAGES, check_knowledge, load_knowledge
from tests.conftest import KNOWLEDGE_DIR


def test_sample_knowledge_meets_the_minimums() -> None:
    k = load_knowledge(KNOWLEDGE_DIR)
    assert len(k.competencies) >= 16 and len(k.families) >= 4
    assert all(len(c.levels) == 5 for c in k.competencies.values())
    assert len(k.roles) >= 30 and len(k.job_families) >= 6
    assert {r.track for r in k.roles.values()} == {"ic", "management"}
    assert len(k.resources) >= 60
    assert {RESOURCE_CATEGORY[r.type] for r in k.resources.values()} == {"experience", "relationships", "training"}
    assert len(k.questions) >= 120
    assert {q.stage for q in k.questions.values()} == set(STAGES)
    assert any("{target_role}" in q.text for q in k.questions.values())
    assert any("{competency}" in q.text for q in k.questions.values())


def test_every_role_can_move_somewhere() -> None:
    k = load_knowledge(KNOWLEDGE_DIR)
    stuck = [r.id for r in k.roles.values() if not r.next_roles and not r.lateral_roles]
    assert stuck == []


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def test_every_problem_is_reported_with_file_and_line(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    roles_file = sorted((root / "roles").glob("*.yaml"))[0]
    text = roles_file.read_text()
    first_role = load_knowledge(KNOWLEDGE_DIR).roles
    some_role = next(r for r in first_role.values() if r.job_family == roles_file.stem)
    # A duplicate id, an out-of-range level, a bad required level and a dangling link, all in one file.
    text += (f"  - id: {some_role.id}\n    title: Copy\n    track: ic\n    level: 2\n    summary: x\n"
             f"    competencies: {{communication: 2}}\n"
             f"  - id: bad-role\n    title: Bad\n    track: ic\n    level: 9\n    summary: x\n"
             f"    competencies: {{communication: 7}}\n    next_roles: [no-such-role]\n")
    roles_file.write_text(text)
    (root / "resources.yaml").write_text((root / "resources.yaml").read_text() + "  - id: [unclosed\n")
    problems = check_knowledge(root)
    messages = [str(p) for p in problems]
    assert any("resources.yaml" in m and "malformed YAML" in m for m in messages), messages
    assert any(f"duplicate role id '{some_role.id}'" in m for m in messages), messages
    assert any("level" in m and "less than or equal to 6" in m for m in messages), messages
    assert any("required levels must be integers 1..5" in m for m in messages), messages
    located = [p for p in problems if p.file.startswith("roles/")]
    assert located and all(p.line and p.line > 1 for p in located), messages
    with pytest.raises(InvalidKnowledge):
        load_knowledge(root)


def test_dangling_links_and_unknown_competencies(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "roles" / "extra.yaml").write_text(
        "job_family: extra\nroles:\n  - id: lonely-role\n    title: Lonely\n    track: ic\n    level: 2\n"
        "    summary: A test role.\n    competencies: {made-up-skill: 2}\n    next_roles: [nowhere]\n"
    )
    messages = [str(p) for p in check_knowledge(root)]
    assert "roles/extra.yaml:3: role 'lonely-role': unknown competency 'made-up-skill'" in messages
    assert "roles/extra.yaml:3: role 'lonely-role': next_roles links to unknown role 'nowhere'" in messages


def test_question_wording_rules_are_knowledge_problems_with_file_and_line(tmp_path: Path) -> None:
    # Issue #15: self-rating forms, pasted "{competency} skills" labels and presumed gaps read badly aloud.
    root = _copy(tmp_path)
    bank = root / "questions.yaml"
    lines = bank.read_text().splitlines()
    text_lines = [i for i, line in enumerate(lines) if line.strip().startswith("text:")]
    bad = ("How would you rate your {competency} today?", "Which {competency} skills do you use most?",
           "What would it take to close the gap you see?", "What could you do about your weaknesses?")
    for line, text in zip(text_lines, bad):
        lines[line] = lines[line].split("text:")[0] + f'text: "{text}"'
    bank.write_text("\n".join(lines) + "\n")
    messages = [str(p) for p in check_knowledge(root) if p.file == "questions.yaml"]
    assert len(messages) == 4, messages
    assert all(m.startswith("questions.yaml:") and m.split(":")[1].isdigit() for m in messages)
    assert sum("self-rating" in m for m in messages) == 1
    assert sum("pasted label" in m for m in messages) == 1
    assert sum("presumes a gap" in m for m in messages) == 2


def test_cli_check_exits_1_on_problems(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "competencies.yaml").write_text("families: []\ncompetencies: [{id: Bad Id}]\n")
    result = CliRunner().invoke(app, ["knowledge", "check", str(root)])
    assert result.exit_code == 1
    assert "competencies.yaml:2" in result.output


def test_cli_check_ok_on_sample() -> None:
    result = CliRunner().invoke(app, ["knowledge", "check", str(KNOWLEDGE_DIR), "--json"])
    assert result.exit_code == 0, result.output
    assert '"ok": true' in result.output


def test_parsed_files_are_cached_by_their_bytes_and_give_the_same_knowledge(tmp_path: Path) -> None:
    """Parsing is most of loading a large framework (O*NET: 0.8 s, 0.08 s cached); the cache must change nothing."""
    import shutil

    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, root)
    cache = tmp_path / "cache"
    plain = load_knowledge(root)
    first = load_knowledge(root, cache_dir=cache)
    cached = load_knowledge(root, cache_dir=cache)
    assert len(list(cache.glob("*.json"))) >= 5
    for loaded in (first, cached):
        assert loaded.documents == plain.documents
        assert [o.model_dump() for o in loaded.opportunities.values()] == \
            [o.model_dump() for o in plain.opportunities.values()]  # dates survive the JSON round trip
    roles = root / "roles" / "data.yaml"
    roles.write_text(roles.read_text(encoding="utf-8").replace("Data Analyst", "Data Analyst (BI)", 1), encoding="utf-8")
    assert any("Data Analyst (BI)" == r.title for r in load_knowledge(root, cache_dir=cache).roles.values())
    roles.write_text(roles.read_text(encoding="utf-8") + "\n  - id: [broken\n", encoding="utf-8")
    with pytest.raises(InvalidKnowledge) as err:
        load_knowledge(root, cache_dir=cache)
    import re

    assert re.search(r"roles/data\.yaml:\d+: malformed YAML", str(err.value))  # problems still name their line

"""`coach import onet` on the real O*NET files (../shared/data/onet; skipped when absent)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from coach.errors import InvalidInput
from coach.importers.onet import OCCUPATIONS, REQUIRED_FILES, SKILLS, TITLES, competency_level, import_onet
from coach.knowledge import check_knowledge, load_knowledge
from tests.conftest import SHARED_DIR

ONET = SHARED_DIR / "data" / "onet"
needs_onet = pytest.mark.skipif(not ONET.is_dir(), reason="O*NET data not found next to the project")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path, float]:
    if not ONET.is_dir():
        pytest.skip("O*NET data not found next to the project")
    out = tmp_path_factory.mktemp("onet")
    started = time.perf_counter()
    report = import_onet(ONET, out)
    return report, out, time.perf_counter() - started


@needs_onet
@pytest.mark.slow  # imports all of O*NET (13 MB) and checks it: 9 s, in make test only
def test_real_import_is_valid_knowledge(imported: tuple[Any, Path, float]) -> None:
    report, out, seconds = imported
    assert check_knowledge(out) == []
    assert seconds < 30
    assert len(report.competencies) == 35
    assert len(report.roles) > 800
    assert report.bad_rows == []
    knowledge = load_knowledge(out)
    assert {c.family for c in knowledge.competencies.values()} == {
        "basic-skills", "social-skills", "complex-problem-solving-skills", "technical-skills", "systems-skills",
        "resource-management-skills"}
    for competency in knowledge.competencies.values():
        assert [lv.level for lv in competency.levels] == [1, 2, 3, 4, 5]
    reading = knowledge.competencies["reading-comprehension"]
    assert reading.levels[1].behaviours == ["Read step-by-step instructions for completing a form."]
    assert reading.levels[0].title == "Foundational (as level 2)"


@needs_onet
@pytest.mark.slow  # the same import
def test_a_known_occupation(imported: tuple[Any, Path, float]) -> None:
    _, out, _ = imported
    knowledge = load_knowledge(out)
    role = knowledge.roles["computer-systems-analysts"]  # 15-1211.00
    assert role.job_family == "computer-and-mathematical-occupations"
    assert role.track == "ic"
    assert 3 <= role.level <= 5
    assert {"systems-analysis", "critical-thinking", "reading-comprehension"} <= set(role.competencies)
    assert "repairing" not in role.competencies
    assert len(role.core) == 3 and set(role.core) <= set(role.competencies)
    assert 1 <= len(role.responsibilities) <= 8
    assert role.summary.startswith("Analyze science, engineering, business")
    assert "Computer Systems Analyst" in role.aliases
    assert role.lateral_roles or role.next_roles
    assert "database-administrators" in role.lateral_roles + role.next_roles
    for link in role.next_roles:
        assert knowledge.roles[link].level > role.level
    # Every alias names this occupation only.
    for alias in role.aliases:
        owners = [r.id for r in knowledge.roles.values() if alias.casefold() in {a.casefold() for a in r.aliases}]
        assert owners == [role.id]
    manager = knowledge.roles["computer-and-information-systems-managers"]
    assert manager.track == "management"
    assert knowledge.roles["first-line-supervisors-of-retail-sales-workers"].track == "management"


def _subset(dst: Path, occupations: int = 30) -> list[str]:
    """A copy of the real files restricted to the first `occupations` occupations with skill ratings."""
    dst.mkdir()
    rated: list[str] = []
    for line in (ONET / SKILLS).read_text(encoding="utf-8").split("\n")[1:]:
        code = line.split("\t", 1)[0]
        if code and code not in rated:
            rated.append(code)
        if len(rated) > occupations:
            break
    keep = set(rated[:occupations])
    for path in ONET.glob("*.txt"):
        lines = path.read_text(encoding="utf-8").split("\n")
        if path.name in REQUIRED_FILES and path.name not in (OCCUPATIONS, SKILLS):
            (dst / path.name).write_text("\n".join(lines), encoding="utf-8")
            continue
        body = [line for line in lines[1:] if line.split("\t", 1)[0] in keep
                and (len(line.split("\t")) < 3 or path.name not in ("Career Changers Matrix.txt", "Related Occupations.txt")
                     or line.split("\t")[2] in keep)]
        (dst / path.name).write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    return rated[:occupations]


def _roles(out: Path) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for path in sorted((out / "roles").glob("*.yaml"))
            for r in yaml.safe_load(path.read_text(encoding="utf-8"))["roles"]}


@needs_onet
def test_alias_reported_for_two_occupations_is_dropped(tmp_path: Path) -> None:
    codes = _subset(tmp_path / "src")
    titles = tmp_path / "src" / TITLES
    text = titles.read_text(encoding="utf-8")
    extra = (f"{codes[0]}\tx\tQuantum Widget Lead\tN\n{codes[1]}\tx\tQuantum Widget Lead\tN\n"
             f"{codes[2]}\tx\tQuantum Widget Tamer\tN\n")
    titles.write_text(text + extra, encoding="utf-8")
    report = import_onet(tmp_path / "src", tmp_path / "out")
    assert check_knowledge(tmp_path / "out") == []
    all_aliases = [a for r in _roles(tmp_path / "out").values() for a in r["aliases"]]
    assert "Quantum Widget Lead" not in all_aliases
    assert all_aliases.count("Quantum Widget Tamer") == 1
    assert any("reported for several occupations" in n for n in report.notes)


@needs_onet
def test_malformed_rows_are_reported_with_file_and_line(tmp_path: Path) -> None:
    codes = _subset(tmp_path / "src")
    skills = tmp_path / "src" / SKILLS
    lines = skills.read_text(encoding="utf-8").split("\n")
    cells = lines[3].split("\t")
    cells[6] = "not-a-number"
    lines[3] = "\t".join(cells)           # line 4 of the file
    lines.insert(6, "only\ttwo")          # line 7
    skills.write_text("\n".join(lines), encoding="utf-8")
    occupations = tmp_path / "src" / OCCUPATIONS
    occupations.write_text(occupations.read_text(encoding="utf-8") + "15-XXXX\tBroken\tNo code.\n", encoding="utf-8")
    report = import_onet(tmp_path / "src", tmp_path / "out")
    bad = {(b.file, b.line): b.reason for b in report.bad_rows}
    assert "out of range" in bad[(SKILLS, 4)]
    assert "expected 15 tab-separated columns, found 2" in bad[(SKILLS, 7)]
    occupation_lines = len(occupations.read_text(encoding="utf-8").rstrip("\n").split("\n"))
    assert "malformed O*NET-SOC code" in bad[(OCCUPATIONS, occupation_lines)]
    assert len(report.roles) == len(codes)
    assert check_knowledge(tmp_path / "out") == []


@needs_onet
def test_missing_required_file_is_a_clear_error(tmp_path: Path) -> None:
    _subset(tmp_path / "src")
    (tmp_path / "src" / SKILLS).unlink()
    with pytest.raises(InvalidInput, match="missing required O\\*NET file\\(s\\): Skills.txt"):
        import_onet(tmp_path / "src", tmp_path / "out")
    with pytest.raises(InvalidInput, match="not a directory"):
        import_onet(tmp_path / "nowhere", tmp_path / "out")
    shutil.rmtree(tmp_path / "src")


def test_lv_levels_spread_onto_five() -> None:
    assert [competency_level(v) for v in (0, 1, 2, 3, 4, 5, 6, 7)] == [1, 2, 2, 3, 3, 4, 4, 5]

"""Importers: the real Engineering Ladders (Markdown) and a spreadsheet export (CSV) into the knowledge format."""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from typing import Any

import pytest
import yaml

from coach.errors import InvalidInput
from coach.importers import ImportReport, import_csv_ladder, import_markdown_ladder
from coach.knowledge import check_knowledge, load_knowledge

LADDERS = Path(__file__).resolve().parents[2] / "shared" / "data" / "engineeringladders"
SAMPLE_CSV = Path(__file__).resolve().parent / "data" / "sample_ladder.csv"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
needs_ladders = pytest.mark.skipif(not LADDERS.is_dir(), reason="shared/data/engineeringladders not present")

LADDER_ROLES = [
    *(f"developer-{n}" for n in range(1, 8)),
    *(f"tech-lead-{n}" for n in range(4, 8)),
    *(f"technical-program-manager-{n}" for n in range(4, 8)),
    *(f"engineering-manager-{n}" for n in range(5, 8)),
]
# The sample CSV's deliberately bad rows (1-based file lines):
#   12 missing job title, 32 empty key behaviour, 37 level "Senior", 57 unquoted comma (7 columns).
SAMPLE_BAD_LINES = [12, 32, 37, 57]
SAMPLE_ROLES = [
    "software-engineer-l2", "software-engineer-l3", "senior-software-engineer-l4", "staff-software-engineer-l5",
    "engineering-manager-m1", "engineering-manager-m2",
    "data-analyst-l2", "data-analyst-l3", "senior-data-analyst-l4", "data-scientist-l3", "data-scientist-l4",
]


def format_problems(root: Path, responsibilities: tuple[int, int] = (1, 99)) -> list[str]:
    """Check the rules of docs/knowledge-format.md on the raw YAML, independently of coach.knowledge."""
    problems: list[str] = []
    comp_doc = yaml.safe_load((root / "competencies.yaml").read_text(encoding="utf-8"))
    families = {f["id"] for f in comp_doc["families"]}
    competencies: dict[str, Any] = {}
    for fam in comp_doc["families"]:
        if not SLUG.match(fam["id"]) or not fam.get("name"):
            problems.append(f"family {fam}")
    for comp in comp_doc["competencies"]:
        cid = comp["id"]
        competencies[cid] = comp
        if not SLUG.match(cid) or comp["family"] not in families or not comp.get("name"):
            problems.append(f"competency {cid}: id/family/name")
        if [lv["level"] for lv in comp["levels"]] != [1, 2, 3, 4, 5]:
            problems.append(f"competency {cid}: levels are not exactly 1..5")
        for lv in comp["levels"]:
            if not lv.get("title") or not lv["behaviours"] or not all(isinstance(b, str) and b.endswith(".")
                                                                      for b in lv["behaviours"]):
                problems.append(f"competency {cid} level {lv['level']}: title/behaviours")
    roles: dict[str, Any] = {}
    for path in sorted((root / "roles").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if doc["job_family"] != path.stem or not SLUG.match(doc["job_family"]):
            problems.append(f"{path.name}: job_family {doc['job_family']} does not match the file name")
        for role in doc["roles"]:
            if role["id"] in roles:
                problems.append(f"duplicate role {role['id']}")
            roles[role["id"]] = role
    for rid, role in roles.items():
        if not SLUG.match(rid) or role["track"] not in ("ic", "management") or not 1 <= role["level"] <= 6:
            problems.append(f"role {rid}: id/track/level")
        if not role["title"] or not role["summary"]:
            problems.append(f"role {rid}: title/summary")
        if not responsibilities[0] <= len(role["responsibilities"]) <= responsibilities[1]:
            problems.append(f"role {rid}: {len(role['responsibilities'])} responsibilities")
        for cid, level in role["competencies"].items():
            if cid not in competencies or not isinstance(level, int) or not 1 <= level <= 5:
                problems.append(f"role {rid}: competency {cid}={level}")
        if not 1 <= len(role["core"]) <= 4 or not set(role["core"]) <= set(role["competencies"]):
            problems.append(f"role {rid}: core {role['core']}")
        for target in [*role["next_roles"], *role["lateral_roles"]]:
            if target not in roles or target == rid:
                problems.append(f"role {rid}: link to {target}")
    return problems


def _roles(root: Path) -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted((root / "roles").glob("*.yaml")):
        found.update({r["id"]: r for r in yaml.safe_load(path.read_text(encoding="utf-8"))["roles"]})
    return found


def _competencies(root: Path) -> dict[str, dict[str, Any]]:
    doc = yaml.safe_load((root / "competencies.yaml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in doc["competencies"]}


# ---------------------------------------------------------------- Markdown ladders (real data)

@pytest.fixture(scope="module")
def ladder(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportReport, Path]:
    if not LADDERS.is_dir():
        pytest.skip("shared/data/engineeringladders not present")
    out = tmp_path_factory.mktemp("ladder")
    return import_markdown_ladder(LADDERS, out), out


@needs_ladders
def test_ladder_role_and_competency_ids(ladder: tuple[ImportReport, Path]) -> None:
    report, out = ladder
    assert report.roles == LADDER_ROLES
    assert report.competencies == ["technology", "system", "people", "process", "influence"]
    assert list(_roles(out)) == LADDER_ROLES
    assert [p.name for p in (out / "roles").iterdir()] == ["engineering.yaml"]
    # Managing Managers and the comparison page have no level sections: reported, not imported.
    assert any("Managing-Managers.md" in w for w in report.warnings)
    assert not report.bad_rows


@needs_ladders
def test_ladder_output_follows_the_format(ladder: tuple[ImportReport, Path]) -> None:
    _, out = ladder
    assert format_problems(out, responsibilities=(4, 7)) == []
    assert check_knowledge(out) == []
    knowledge = load_knowledge(out)
    assert len(knowledge.roles) == 18 and len(knowledge.competencies) == 5
    assert all(5 <= len(r.competencies) <= 9 for r in knowledge.roles.values())


@needs_ladders
def test_ladder_behaviours_spot_checks(ladder: tuple[ImportReport, Path]) -> None:
    _, out = ladder
    roles, comps = _roles(out), _competencies(out)
    dev4 = roles["developer-4"]
    assert dev4["title"] == "Developer 4" and dev4["track"] == "ic"
    assert "Mentors others to accelerate their career-growth and encourages them to participate." in dev4["responsibilities"]
    assert dev4["competencies"] == {"technology": 3, "system": 3, "people": 3, "process": 3, "influence": 2}
    assert dev4["aliases"][:2] == ["D4", "Programmer 4"]
    # The behaviours observed per dimension, ordered by the lowest level where they appear, are the README's five.
    assert [lv["title"] for lv in comps["technology"]["levels"]] == ["Adopts", "Specializes", "Evangelizes", "Masters", "Creates"]
    assert [lv["title"] for lv in comps["people"]["levels"]] == ["Learns", "Supports", "Mentors", "Coordinates", "Manages"]
    assert [lv["title"] for lv in comps["influence"]["levels"]] == ["Subsystem", "Team", "Multiple Teams", "Company", "Community"]
    assert comps["system"]["levels"][3]["behaviours"] == ["Evolves the architecture to support future requirements and defines its SLAs."]
    assert comps["people"]["description"] == "Relationship with the team(s)."
    em5, tl5, tpm4 = roles["engineering-manager-5"], roles["tech-lead-5"], roles["technical-program-manager-4"]
    assert em5["track"] == "management" and em5["competencies"]["people"] == 5 and em5["core"] == ["people"]
    assert tl5["competencies"] == {"technology": 3, "system": 4, "people": 4, "process": 5, "influence": 2}
    assert tpm4["track"] == "ic" and tpm4["competencies"]["influence"] == 3
    assert "architecture and system integration" in tl5["summary"]
    assert "level 5 of 7 on the Engineering Manager ladder" in em5["summary"]
    assert [roles[f"developer-{n}"]["level"] for n in range(1, 8)] == [1, 2, 2, 3, 4, 5, 6]
    assert roles["tech-lead-4"]["level"] == 3 and em5["level"] == 4


@needs_ladders
def test_ladder_links(ladder: tuple[ImportReport, Path]) -> None:
    _, out = ladder
    roles = _roles(out)
    assert roles["developer-3"]["next_roles"] == ["developer-4", "tech-lead-4", "technical-program-manager-4"]
    assert roles["developer-4"]["next_roles"] == ["developer-5", "engineering-manager-5"]
    assert "tech-lead-4" in roles["developer-4"]["lateral_roles"]
    assert "engineering-manager-5" in roles["developer-5"]["lateral_roles"]
    assert "engineering-manager-5" in roles["tech-lead-5"]["lateral_roles"]
    assert "tech-lead-6" in roles["engineering-manager-6"]["lateral_roles"]
    assert roles["developer-7"]["next_roles"] == []
    # Every developer reaches an engineering manager over next/lateral links without stepping down a level.
    for n in range(1, 8):
        seen, queue = {f"developer-{n}"}, deque([f"developer-{n}"])
        while queue:
            here = queue.popleft()
            for nxt in roles[here]["next_roles"] + roles[here]["lateral_roles"]:
                if nxt not in seen and roles[nxt]["level"] >= roles[here]["level"]:
                    seen.add(nxt)
                    queue.append(nxt)
        assert any(r.startswith("engineering-manager-") for r in seen), n


@needs_ladders
def test_ladder_import_is_deterministic(ladder: tuple[ImportReport, Path], tmp_path: Path) -> None:
    _, out = ladder
    again = import_markdown_ladder(LADDERS, tmp_path)
    assert again.roles == LADDER_ROLES
    for name in ("competencies.yaml", "roles/engineering.yaml"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes()


def _page(name: str, code: str, levels: dict[int, list[tuple[str, str]]]) -> str:
    lines = [f"# {name}", "", "Role also known as test role, exists for the test.", ""]
    for level, bullets in levels.items():
        lines += [f"## {code}{level} - {name} {level}", ""] + [f"* **{v}**: {t}" for v, t in bullets] + [""]
    return "\n".join(lines)


def test_ladder_merges_and_carries_levels(tmp_path: Path) -> None:
    """Seven distinct behaviours merge onto 1..5; two fill 1..2 and levels 3..5 repeat level 2."""
    src = tmp_path / "src"
    src.mkdir()
    seven = [(f"V{i}", f"does thing {i}") for i in range(1, 8)]
    levels = {n: [seven[n - 1], ("Low", "keeps it low"), ("A", "a"), ("B", "b"), ("C", "c")] for n in range(1, 8)}
    levels[5][1] = levels[6][1] = levels[7][1] = ("High", "raises it")
    (src / "Builder.md").write_text(_page("Builder", "B", levels), encoding="utf-8")
    (src / "Lead.md").write_text(_page("People Manager", "PM", {3: levels[3], 4: levels[4]}), encoding="utf-8")
    report = import_markdown_ladder(src, tmp_path / "out")
    comps, roles = _competencies(tmp_path / "out"), _roles(tmp_path / "out")
    assert [lv["title"] for lv in comps["technology"]["levels"]] == ["V1 / V2", "V3", "V4 / V5", "V6", "V7"]
    assert [lv["title"] for lv in comps["system"]["levels"]] == [
        "Low", "High", "High (as level 2)", "High (as level 2)", "High (as level 2)"]
    assert roles["builder-2"]["competencies"]["technology"] == 1 and roles["builder-7"]["competencies"]["technology"] == 5
    assert roles["people-manager-3"]["track"] == "management" and roles["builder-3"]["lateral_roles"] == ["people-manager-3"]
    assert roles["builder-7"]["level"] == 6
    assert any("merged" in n for n in report.notes) and any("repeat level 2" in n for n in report.notes)
    assert check_knowledge(tmp_path / "out") == []


def test_ladder_without_positions_is_invalid(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Nothing here\n\nJust prose.\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="no ladder pages"):
        import_markdown_ladder(tmp_path, tmp_path / "out")
    with pytest.raises(InvalidInput, match="not a directory"):
        import_markdown_ladder(tmp_path / "missing", tmp_path / "out")


# ---------------------------------------------------------------- CSV exports

@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportReport, Path]:
    out = tmp_path_factory.mktemp("csv")
    return import_csv_ladder(SAMPLE_CSV, out), out


def test_csv_sample_imports(sample: tuple[ImportReport, Path]) -> None:
    report, out = sample
    assert report.roles == SAMPLE_ROLES
    assert report.competencies == ["technical-skills", "delivery", "collaboration", "stakeholder-management",
                                   "people-leadership", "data-analysis", "sql"]
    assert sorted(p.name for p in (out / "roles").iterdir()) == ["data.yaml", "engineering.yaml"]
    assert format_problems(out) == []
    assert check_knowledge(out) == []
    assert load_knowledge(out).role("engineering-manager-m1").job_family == "engineering"


def test_csv_bad_rows_reported_with_lines(sample: tuple[ImportReport, Path]) -> None:
    report, _ = sample
    assert [b.line for b in report.bad_rows] == SAMPLE_BAD_LINES
    reasons = [b.reason for b in report.bad_rows]
    assert reasons[0] == "missing job title"
    assert reasons[1] == "empty key behaviour"
    assert "unparsable level 'Senior'" in reasons[2]
    assert reasons[3] == "expected 6 columns, found 7"


def test_csv_roles_levels_and_links(sample: tuple[ImportReport, Path]) -> None:
    _, out = sample
    roles, comps = _roles(out), _competencies(out)
    se3 = roles["software-engineer-l3"]
    assert se3["title"] == "Software Engineer L3" and se3["aliases"] == ["Software Engineer"]
    # A row without competency or skill still adds a responsibility.
    assert "Takes part in the on-call rotation and writes up the incidents they handle." in se3["responsibilities"]
    assert se3["next_roles"] == ["senior-software-engineer-l4"]
    assert roles["senior-software-engineer-l4"]["next_roles"] == ["staff-software-engineer-l5"]
    assert [roles[r]["level"] for r in SAMPLE_ROLES[:4]] == [1, 2, 3, 4]
    em1 = roles["engineering-manager-m1"]
    assert em1["track"] == "management" and em1["level"] == 4 and em1["core"] == ["people-leadership"]
    assert em1["competencies"] == {"people-leadership": 3, "delivery": 3, "stakeholder-management": 3}
    assert em1["next_roles"] == ["engineering-manager-m2"] and em1["lateral_roles"] == ["staff-software-engineer-l5"]
    assert roles["data-analyst-l3"]["lateral_roles"] == ["data-scientist-l3"]
    assert roles["data-analyst-l3"]["next_roles"] == ["senior-data-analyst-l4"]
    # Competency falls back to the skill column; missing levels repeat the nearest one, marked.
    assert comps["sql"]["levels"][0]["behaviours"] == ["Uses joins and window functions correctly on large tables."]
    assert comps["sql"]["levels"][4]["title"] == "Expert (as level 1)"
    assert comps["people-leadership"]["levels"][0]["title"] == "Foundational (as level 3)"
    assert "hiring" in comps["people-leadership"]["keywords"]


def test_csv_header_variants_numeric_levels_and_multiline_cells(tmp_path: Path) -> None:
    rows = ["job_title;PATH;Level;Skill;Key-Behavior"]
    rows += [f"Engineer {n};Platform;{n};Ops;Runs level {n} operations" for n in range(1, 9)]
    rows.insert(3, 'Engineer 2;Platform;2;Ops;"Writes runbooks\nthat span lines"')
    rows.insert(4, "Engineer 2;Platform;;Ops;No level here")
    csv_path = tmp_path / "export.csv"
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = import_csv_ladder(csv_path, tmp_path / "out")
    assert [(b.line, b.reason) for b in report.bad_rows] == [(6, "missing level")]
    roles = _roles(tmp_path / "out")
    assert [roles[f"engineer-{n}-{n}"]["level"] for n in range(1, 9)] == [1, 2, 2, 3, 4, 5, 5, 6]
    assert [roles[f"engineer-{n}-{n}"]["competencies"]["ops"] for n in range(1, 9)] == [1, 2, 2, 3, 3, 4, 4, 5]
    assert "Writes runbooks that span lines." in roles["engineer-2-2"]["responsibilities"]
    assert check_knowledge(tmp_path / "out") == []


def test_csv_missing_columns_raise(tmp_path: Path) -> None:
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text("Path,Competency,Key Behaviour\nEngineering,Delivery,Ships things\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="missing required column") as caught:
        import_csv_ladder(csv_path, tmp_path / "out")
    assert caught.value.details["missing"] == ["job title", "level"]
    assert "job title, level" in caught.value.message
    assert not (tmp_path / "out").exists()


def test_csv_import_is_deterministic(sample: tuple[ImportReport, Path], tmp_path: Path) -> None:
    _, out = sample
    import_csv_ladder(SAMPLE_CSV, tmp_path)
    for name in ("competencies.yaml", "roles/engineering.yaml", "roles/data.yaml"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes()


@needs_ladders
def test_imported_ladder_is_searchable_with_the_cli(ladder: tuple[ImportReport, Path], engine,  # noqa: ANN001
                                                    tmp_path: Path) -> None:
    """`coach import ladder` then `coach index` and `coach search` on the real framework, as a user would."""
    import json

    from typer.testing import CliRunner

    from coach.cli import app
    from coach.engine import Engine
    from coach.settings import Settings

    _, out = ladder
    imported = Engine(Settings(knowledge_dir=out, data_dir=tmp_path, _env_file=None), embeddings=engine.embeddings)
    runner = CliRunner()
    assert runner.invoke(app, ["index", "--json"], obj=imported).exit_code == 0
    result = runner.invoke(app, ["search", "I want to manage the team's careers and happiness", "--kind", "role",
                                 "--top", "3", "--json"], obj=imported)
    assert result.exit_code == 0, result.output
    assert any(hit["id"].startswith("engineering-manager") for hit in json.loads(result.stdout))


def test_csv_doubled_quotes_inside_quotes_follow_rfc_4180(tmp_path: Path) -> None:
    # The header has no quotes, so a sniffed dialect guessed doublequote=False and misread the cell.
    csv_file = tmp_path / "ladder.csv"
    csv_file.write_text('path,job title,level,key behaviour,competency\n'
                        'eng,Engineer,1,"He said ""yes"", then shipped it",Craft\n'
                        'eng,Engineer,2,Plain work,Craft\n', encoding="utf-8")
    report = import_csv_ladder(csv_file, tmp_path / "out")
    assert report.bad_rows == []
    levels = _competencies(tmp_path / "out")["craft"]["levels"]
    assert levels[0]["behaviours"] == ['He said "yes", then shipped it.']

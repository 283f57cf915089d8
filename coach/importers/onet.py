"""Import the O*NET database (its tab-delimited text files) into Coach's knowledge format.

Reads a directory laid out like O*NET's own text distribution (tab-delimited, a header row,
UTF-8, no quoting). Required: Occupation Data.txt, Skills.txt, Level Scale Anchors.txt,
Content Model Reference.txt, SOC Structure.txt. Optional (a warning when absent): Task
Statements.txt, Sample of Reported Titles.txt, Career Changers Matrix.txt, Related Occupations.txt.

Mapping onto Coach's scales (also written into the report's notes and the YAML header):
- Job families: the SOC major groups ("15-0000 Computer and Mathematical Occupations"); a
  role's job_family is the slug of its major group's title, one roles/<family>.yaml each.
- Competencies: the 35 O*NET skills (Content Model 2.A.* and 2.B.*), in competency families
  from the Content Model: basic skills (2.A) and the cross-functional groups 2.B.1..2.B.5
  (social, complex problem solving, technical, systems, resource management skills).
  O*NET's level scale LV 0..7 is spread linearly onto 1..5 (level = 1 + round(LV * 4 / 7)):
  the LV anchors (at 2, 4 and 6 for every skill) become the behaviours of levels 2, 3 and 4;
  a level with no anchor repeats the nearest anchored level and is titled "<Title> (as level N)".
- Roles: one per occupation that has skill ratings (occupations without any are skipped and
  reported). summary = the description; responsibilities = its Core task statements (at most
  8; Supplemental ones only when there are no Core ones); competencies = the skills with
  importance IM >= 3.0 (the 3 most important when none reaches it) at 1 + round(LV * 4 / 7);
  core = the 3 most important of them. Career level 1..6 = the average LV of those skills,
  spread linearly from the lowest to the highest average across all occupations. track =
  management for SOC 11-xxxx and for "First-Line Supervisors ..." / "... Managers" titles,
  else ic.
- Aliases: reported job titles that name exactly one occupation; a title reported for several
  occupations, or equal to an occupation's own title, is dropped.
- Links: the Career Changers Matrix (by its index) then Related Occupations (by tier, then
  index); a target at a higher career level goes to next_roles, any other to lateral_roles, at
  most 10 each. Links to skipped occupations are dropped.
Rows that cannot be used are skipped and reported with their file name and 1-based line number.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from coach.errors import InvalidInput
from coach.importers.common import LEVEL_TITLES, BadRow, ImportReport, clean, sentence, slugify, unique_slug, write_knowledge

OCCUPATIONS = "Occupation Data.txt"
SKILLS = "Skills.txt"
ANCHORS = "Level Scale Anchors.txt"
CONTENT_MODEL = "Content Model Reference.txt"
SOC = "SOC Structure.txt"
TASKS = "Task Statements.txt"
TITLES = "Sample of Reported Titles.txt"
CAREER_CHANGERS = "Career Changers Matrix.txt"
RELATED = "Related Occupations.txt"
REQUIRED_FILES: tuple[str, ...] = (OCCUPATIONS, SKILLS, ANCHORS, CONTENT_MODEL, SOC)
OPTIONAL_FILES: tuple[str, ...] = (TASKS, TITLES, CAREER_CHANGERS, RELATED)

IMPORTANCE_THRESHOLD = 3.0
MIN_COMPETENCIES = 3
CORE_COUNT = 3
MAX_RESPONSIBILITIES = 8
MAX_LINKS = 10
LV_MAX = 7.0
_CODE = re.compile(r"^\d\d-\d{4}\.\d\d$")
_SKILL = re.compile(r"^2\.[AB](\.\d+)?\.[a-z]+$")
_TIER_ORDER = {"primary-short": 0, "primary-long": 1, "supplemental": 2}
_SUPERVISOR = re.compile(r"^(first-line supervisors?|supervisors?)\b|\bmanagers?\b", re.IGNORECASE)


@dataclass
class _Occupation:
    code: str
    title: str
    description: str
    line: int
    importance: dict[str, float] = field(default_factory=dict)
    level: dict[str, float] = field(default_factory=dict)
    core_tasks: list[str] = field(default_factory=list)
    other_tasks: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    links: list[tuple[tuple[int, int, int], str]] = field(default_factory=list)
    id: str = ""
    career: int = 1
    competencies: dict[str, int] = field(default_factory=dict)
    core: list[str] = field(default_factory=list)


def competency_level(lv: float) -> int:
    """O*NET LV 0..7 onto Coach's competency levels 1..5 (linear, rounded half up)."""
    return max(1, min(5, 1 + math.floor(lv * 4 / LV_MAX + 0.5)))


def _rows(path: Path, columns: tuple[str, ...], report: ImportReport) -> Iterator[tuple[int, dict[str, str]]]:
    """(1-based line, {column: cell}) for each data row; rows with the wrong number of cells are reported."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read {path}: {exc}", field="onet_dir") from exc
    lines = text.split("\n")
    header = [h.strip() for h in lines[0].rstrip("\r").split("\t")]
    missing = [c for c in columns if c not in header]
    if missing:
        raise InvalidInput(f"{path.name}: missing required column(s): {', '.join(missing)} "
                           f"(found: {', '.join(header) or 'no header'})", field="columns",
                           details={"file": path.name, "missing": missing})
    index = {c: header.index(c) for c in columns}
    for number, raw in enumerate(lines[1:], start=2):
        raw = raw.rstrip("\r")
        if not raw.strip():
            continue
        cells = raw.split("\t")
        if len(cells) != len(header):
            report.bad_rows.append(BadRow(file=path.name, line=number,
                                          reason=f"expected {len(header)} tab-separated columns, found {len(cells)}"))
            continue
        yield number, {c: cells[i].strip() for c, i in index.items()}


def _bad(report: ImportReport, name: str, line: int, reason: str) -> None:
    report.bad_rows.append(BadRow(file=name, line=line, reason=reason))


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _read_occupations(src: Path, report: ImportReport) -> dict[str, _Occupation]:
    occupations: dict[str, _Occupation] = {}
    for line, row in _rows(src / OCCUPATIONS, ("O*NET-SOC Code", "Title", "Description"), report):
        code, title, description = row["O*NET-SOC Code"], clean(row["Title"]), clean(row["Description"])
        if not _CODE.match(code):
            _bad(report, OCCUPATIONS, line, f"malformed O*NET-SOC code '{code}' (expected like 15-1252.00)")
        elif not slugify(title) or not description:
            _bad(report, OCCUPATIONS, line, "empty title or description")
        elif code in occupations:
            _bad(report, OCCUPATIONS, line, f"occupation {code} repeated (first on line {occupations[code].line})")
        else:
            occupations[code] = _Occupation(code, title, description, line)
    return occupations


def _read_content_model(src: Path, report: ImportReport) -> dict[str, tuple[str, str]]:
    """Element id -> (name, description) for the skills and their groups (2, 2.A, 2.B.*)."""
    elements: dict[str, tuple[str, str]] = {}
    for line, row in _rows(src / CONTENT_MODEL, ("Element ID", "Element Name", "Description"), report):
        eid, name = row["Element ID"], clean(row["Element Name"])
        if not eid.startswith("2.") and eid != "2":
            continue
        if not name:
            _bad(report, CONTENT_MODEL, line, f"element {eid} has no name")
            continue
        elements[eid] = (name, clean(row["Description"]))
    return elements


def _skill_family(eid: str) -> str:
    """The Content Model group a skill belongs to: 2.A (basic skills) or 2.B.n (a cross-functional group)."""
    parts = eid.split(".")
    return "2.A" if parts[1] == "A" else ".".join(parts[:3])


def _read_skills(src: Path, occupations: dict[str, _Occupation], skills: dict[str, tuple[str, str]],
                 report: ImportReport) -> None:
    columns = ("O*NET-SOC Code", "Element ID", "Scale ID", "Data Value")
    for line, row in _rows(src / SKILLS, columns, report):
        code, eid, scale_id = row["O*NET-SOC Code"], row["Element ID"], row["Scale ID"]
        value = _number(row["Data Value"])
        if code not in occupations:
            _bad(report, SKILLS, line, f"unknown occupation '{code}'")
        elif eid not in skills:
            _bad(report, SKILLS, line, f"unknown skill element '{eid}'")
        elif scale_id not in ("IM", "LV"):
            _bad(report, SKILLS, line, f"unknown scale '{scale_id}' (expected IM or LV)")
        elif value is None or not (1 <= value <= 5 if scale_id == "IM" else 0 <= value <= LV_MAX):
            _bad(report, SKILLS, line, f"data value '{row['Data Value']}' out of range for scale {scale_id}")
        elif scale_id == "IM":
            occupations[code].importance[eid] = value
        else:
            occupations[code].level[eid] = value


def _read_anchors(src: Path, skills: dict[str, tuple[str, str]], report: ImportReport) -> dict[str, dict[int, list[str]]]:
    """Skill id -> Coach level (1..5) -> anchor behaviours."""
    anchors: dict[str, dict[int, list[str]]] = defaultdict(dict)
    columns = ("Element ID", "Scale ID", "Anchor Value", "Anchor Description")
    for line, row in _rows(src / ANCHORS, columns, report):
        eid = row["Element ID"]
        if eid not in skills or row["Scale ID"] != "LV":
            continue  # abilities, knowledge, work activities...: not imported
        value = _number(row["Anchor Value"])
        text = sentence(row["Anchor Description"])
        if value is None or not 0 <= value <= LV_MAX:
            _bad(report, ANCHORS, line, f"anchor value '{row['Anchor Value']}' is not a level 0-7")
        elif not text:
            _bad(report, ANCHORS, line, "empty anchor description")
        else:
            at = anchors[eid].setdefault(competency_level(value), [])
            if text not in at:
                at.append(text)
    return anchors


def _read_major_groups(src: Path, report: ImportReport) -> dict[str, str]:
    """SOC major group prefix ('15') -> title."""
    groups: dict[str, str] = {}
    for line, row in _rows(src / SOC, ("Major Group", "SOC or O*NET-SOC 2019 Title"), report):
        code, title = row["Major Group"], clean(row["SOC or O*NET-SOC 2019 Title"])
        if not code:
            continue
        if not re.match(r"^\d\d-0000$", code) or not slugify(title):
            _bad(report, SOC, line, f"malformed major group '{code}' or empty title")
            continue
        groups[code[:2]] = title
    return groups


def _read_tasks(src: Path, occupations: dict[str, _Occupation], report: ImportReport) -> None:
    for line, row in _rows(src / TASKS, ("O*NET-SOC Code", "Task", "Task Type"), report):
        code, task = row["O*NET-SOC Code"], sentence(row["Task"])
        if code not in occupations:
            _bad(report, TASKS, line, f"unknown occupation '{code}'")
        elif not task:
            _bad(report, TASKS, line, "empty task statement")
        else:
            occ = occupations[code]
            (occ.core_tasks if row["Task Type"].lower() == "core" else occ.other_tasks).append(task)


def _read_titles(src: Path, occupations: dict[str, _Occupation], report: ImportReport) -> None:
    for line, row in _rows(src / TITLES, ("O*NET-SOC Code", "Reported Job Title"), report):
        code, title = row["O*NET-SOC Code"], clean(row["Reported Job Title"])
        if code not in occupations:
            _bad(report, TITLES, line, f"unknown occupation '{code}'")
        elif not slugify(title):
            _bad(report, TITLES, line, "empty reported job title")
        elif title not in occupations[code].titles:
            occupations[code].titles.append(title)


def _read_links(src: Path, name: str, occupations: dict[str, _Occupation], report: ImportReport) -> None:
    related = name == RELATED
    columns = ("O*NET-SOC Code", "Related O*NET-SOC Code", "Index") + (("Relatedness Tier",) if related else ())
    source_rank = 1 if related else 0
    for line, row in _rows(src / name, columns, report):
        code, other = row["O*NET-SOC Code"], row["Related O*NET-SOC Code"]
        index = _number(row["Index"])
        tier = _TIER_ORDER.get(row.get("Relatedness Tier", "").lower(), -1) if related else 0
        if code not in occupations or other not in occupations:
            _bad(report, name, line, f"unknown occupation '{code if code not in occupations else other}'")
        elif code == other:
            _bad(report, name, line, "an occupation linked to itself")
        elif index is None or index < 1:
            _bad(report, name, line, f"index '{row['Index']}' is not a positive number")
        elif tier < 0:
            _bad(report, name, line, f"unknown relatedness tier '{row['Relatedness Tier']}'")
        else:
            occupations[code].links.append(((source_rank, tier, int(index)), other))


def _aliases(occupations: list[_Occupation], report: ImportReport) -> dict[str, list[str]]:
    """Code -> reported titles that name that occupation only (and no occupation's own title)."""
    named: dict[str, set[str]] = defaultdict(set)
    for occ in occupations:
        for title in occ.titles:
            named[title.casefold()].add(occ.code)
    own_titles = {occ.title.casefold() for occ in occupations}
    shared = {t for t, codes in named.items() if len(codes) > 1}
    clashing = {t for t in named if t in own_titles}
    out = {occ.code: [t for t in occ.titles if t.casefold() not in shared and t.casefold() not in clashing]
           for occ in occupations}
    report.notes.append(f"aliases: {sum(len(v) for v in out.values())} reported titles kept; {len(shared)} reported "
                        f"for several occupations and {len(clashing - shared)} equal to an occupation title dropped")
    return out


def _competency_docs(skills: dict[str, tuple[str, str]], elements: dict[str, tuple[str, str]],
                     anchors: dict[str, dict[int, list[str]]], report: ImportReport) -> list[dict[str, Any]]:
    docs = []
    for eid in sorted(skills, key=_element_order):
        name, description = skills[eid]
        present = sorted(anchors.get(eid, {}))
        if not present:
            report.warnings.append(f"skill {eid} {name}: no LV anchors; its levels describe the scale only")
        levels = []
        for number in range(1, 6):
            if not present:
                levels.append({"level": number, "title": LEVEL_TITLES[number],
                               "behaviours": [f"{name} at O*NET level about {round((number - 1) * LV_MAX / 4, 1)} of 7."]})
                continue
            source = min(present, key=lambda p: (abs(p - number), p))
            title = LEVEL_TITLES[number] + ("" if source == number else f" (as level {source})")
            levels.append({"level": number, "title": title, "behaviours": list(anchors[eid][source])})
        docs.append({"id": slugify(name), "name": name, "family": slugify(elements[_skill_family(eid)][0]),
                     "description": description, "keywords": [name.lower()], "levels": levels})
    return docs


def _element_order(eid: str) -> tuple[Any, ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in eid.split("."))


def _set_levels(roles: list[_Occupation], skills: dict[str, tuple[str, str]], report: ImportReport) -> None:
    averages: dict[str, float] = {}
    for occ in roles:
        ranked = sorted(occ.importance, key=lambda e: (-occ.importance[e], _element_order(e)))
        chosen = [e for e in ranked if occ.importance[e] >= IMPORTANCE_THRESHOLD] or ranked[:MIN_COMPETENCIES]
        occ.competencies = {slugify(skills[e][0]): competency_level(occ.level.get(e, 0.0)) for e in chosen}
        occ.core = [slugify(skills[e][0]) for e in chosen[:CORE_COUNT]]
        averages[occ.code] = sum(occ.level.get(e, 0.0) for e in chosen) / len(chosen)
    low, high = min(averages.values()), max(averages.values())
    for occ in roles:
        spread = (averages[occ.code] - low) / (high - low) if high > low else 0.0
        occ.career = 1 + math.floor(spread * 5 + 0.5)
    report.notes.append(f"career level: average LV of a role's important skills, {low:.2f}..{high:.2f} across "
                        "occupations, spread linearly onto 1..6")


def _is_management(occ: _Occupation) -> bool:
    return occ.code.startswith("11-") or bool(_SUPERVISOR.search(occ.title))


def import_onet(src_dir: Path, out_dir: Path, *, family: str = "onet") -> ImportReport:
    """Turn an O*NET text-file directory into competencies.yaml and roles/<major group>.yaml in out_dir."""
    src, out_dir = Path(src_dir), Path(out_dir)
    if not src.is_dir():
        raise InvalidInput(f"{src} is not a directory", field="onet_dir")
    missing = [name for name in REQUIRED_FILES if not (src / name).is_file()]
    if missing:
        raise InvalidInput(f"{src}: missing required O*NET file(s): {', '.join(missing)}", field="onet_dir",
                           details={"missing": missing})
    report = ImportReport(out_dir=out_dir)
    occupations = _read_occupations(src, report)
    elements = _read_content_model(src, report)
    skills = {eid: v for eid, v in elements.items() if _SKILL.match(eid)}
    groups = sorted({_skill_family(eid) for eid in skills})
    lost = [g for g in groups if g not in elements]
    if not skills or lost:
        raise InvalidInput(f"{CONTENT_MODEL}: no skills (2.A.*, 2.B.*) or their groups {lost} missing", field="onet_dir")
    _read_skills(src, occupations, skills, report)
    anchors = _read_anchors(src, skills, report)
    major = _read_major_groups(src, report)
    for name in OPTIONAL_FILES:
        if not (src / name).is_file():
            report.warnings.append(f"{name} not found: {'responsibilities' if name == TASKS else 'aliases' if name == TITLES else 'links'} "
                                   "left out")
    if (src / TASKS).is_file():
        _read_tasks(src, occupations, report)
    if (src / TITLES).is_file():
        _read_titles(src, occupations, report)
    for name in (CAREER_CHANGERS, RELATED):
        if (src / name).is_file():
            _read_links(src, name, occupations, report)

    roles = [occ for occ in occupations.values() if occ.importance]
    unrated = [occ for occ in occupations.values() if not occ.importance]
    if unrated:
        report.warnings.append(f"{len(unrated)} occupation(s) have no skill ratings in {SKILLS} and are left out: "
                               + ", ".join(o.code for o in unrated[:8]) + (" ..." if len(unrated) > 8 else ""))
    no_group = [occ for occ in roles if occ.code[:2] not in major]
    for occ in no_group:
        report.warnings.append(f"{occ.code} {occ.title}: no SOC major group {occ.code[:2]}-0000; left out")
    roles = [occ for occ in roles if occ.code[:2] in major]
    if not roles:
        raise InvalidInput(f"{src}: no occupation has skill ratings and a SOC major group", field="onet_dir")
    taken: set[str] = set()
    for occ in roles:
        occ.id = unique_slug(slugify(occ.title), taken)
    _set_levels(roles, skills, report)
    by_code = {occ.code: occ for occ in roles}
    aliases = _aliases(list(occupations.values()), report)

    role_docs: dict[str, dict[str, Any]] = {}
    dropped_links = 0
    for occ in roles:
        nxt: list[str] = []
        lateral: list[str] = []
        for _, other in sorted(occ.links, key=lambda link: link[0]):
            target = by_code.get(other)
            if target is None:
                dropped_links += 1
                continue
            bucket = nxt if target.career > occ.career else lateral
            if target.id not in nxt and target.id not in lateral and len(bucket) < MAX_LINKS:
                bucket.append(target.id)
        tasks = occ.core_tasks or occ.other_tasks
        job_family = slugify(major[occ.code[:2]])
        doc = role_docs.setdefault(job_family, {
            "job_family": job_family, "name": major[occ.code[:2]],
            "description": f"O*NET occupations of SOC major group {occ.code[:2]}-0000, {major[occ.code[:2]]}.",
            "roles": []})
        doc["roles"].append({
            "id": occ.id,
            "title": occ.title,
            "track": "management" if _is_management(occ) else "ic",
            "level": occ.career,
            "aliases": aliases.get(occ.code, []),
            "summary": occ.description,
            "responsibilities": list(dict.fromkeys(tasks))[:MAX_RESPONSIBILITIES],
            "competencies": occ.competencies,
            "core": occ.core,
            "next_roles": nxt,
            "lateral_roles": lateral,
        })
    competencies = _competency_docs(skills, elements, anchors, report)
    families = [{"id": slugify(elements[g][0]), "name": elements[g][0], "description": elements[g][1]} for g in groups]
    report.roles = [r["id"] for doc in role_docs.values() for r in doc["roles"]]
    report.competencies = [c["id"] for c in competencies]
    report.notes += [
        "job families: SOC major groups; competencies: the O*NET skills in their Content Model groups",
        "competency level: O*NET LV 0..7 -> 1 + round(LV * 4 / 7) on 1..5; anchors at LV 2/4/6 are levels 2/3/4, "
        "levels 1 and 5 repeat the nearest anchored level",
        f"role competencies: skills with importance >= {IMPORTANCE_THRESHOLD} (top {MIN_COMPETENCIES} when none), "
        f"core: the {CORE_COUNT} most important",
        "track: management for SOC 11-xxxx and first-line supervisor/manager titles, else ic",
        f"links: Career Changers Matrix, then Related Occupations; higher career level -> next_roles, else "
        f"lateral_roles; at most {MAX_LINKS} each" + (f"; {dropped_links} to left-out occupations dropped"
                                                    if dropped_links else ""),
    ]
    header = [f"Generated by `coach import onet` from {src.name} ({len(roles)} occupations, {len(report.bad_rows)} "
              "rows skipped). Re-run the import rather than editing by hand.",
              "Source: O*NET Database by USDOL/ETA, CC BY 4.0. Modified: mapped onto Coach's knowledge format. "
              "Not endorsed by USDOL/ETA.", "", "Mapping:", *report.notes]
    write_knowledge(out_dir, {"families": families, "competencies": competencies}, role_docs, header, report)
    return report

"""Import a career-ladder spreadsheet export (one row per expectation) into Coach's knowledge format.

Columns (header names are case-, space-, dash- and underscore-insensitive, e.g. "Job Title",
"job_title"): path (the job family), job title, level, key behaviour are required; competency
and skill are optional. A row's competency is its competency cell, else its skill cell; a row
with neither still adds a responsibility to its role.

Mapping onto Coach's scales (also written into the report's notes and the YAML header):
- A role per (path, job title, level). Levels are numbers or labels ("3", "L3", "IC4", "M1");
  the letters name a scheme ("", "l" and "level" are one scheme) and the distinct numbers of a
  scheme are ranked. Competency level = rank spread onto 1..5, career level = rank spread onto
  1..6 (unchanged when they fit). When a file mixes a management scheme (M, EM, MGR) with others,
  the first management level sits at career level 4 and competency level 3 ("4 staff/manager").
- Competencies: each level 1..5 holds the behaviours of the rows at that level; a level with no
  rows repeats the nearest level below (or above), titled "<Title> (as level N)".
- Links: next_roles = the roles at the next career level in the same path and title family
  (title minus seniority words: "Senior Data Analyst" is in the "data analyst" family);
  lateral_roles = the other roles of the same path at the same career level.
Rows that cannot be used are skipped and reported with their 1-based line number.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.errors import InvalidInput
from coach.importers.common import (
    LEVEL_TITLES, BadRow, ImportReport, clean, is_management, scale, sentence, slugify, unique_slug, write_knowledge,
)

REQUIRED_COLUMNS: tuple[str, ...] = ("path", "job title", "level", "key behaviour")
OPTIONAL_COLUMNS: tuple[str, ...] = ("competency", "skill")
_HEADER_ALIASES: dict[str, str] = {
    "path": "path", "jobfamily": "path",
    "jobtitle": "job title", "title": "job title",
    "level": "level",
    "competency": "competency",
    "skill": "skill",
    "keybehaviour": "key behaviour", "keybehavior": "key behaviour", "behaviour": "key behaviour",
    "behavior": "key behaviour",
}
_LEVEL = re.compile(r"^(?P<prefix>[A-Za-z]*)[\s_.-]*(?P<number>\d+(?:\.\d+)?)$")
_PLAIN_SCHEMES = frozenset({"", "l", "level", "lvl"})
_MANAGEMENT_SCHEMES = frozenset({"m", "em", "mgr", "mg"})
# Words that say how senior a title is, not what the job is: dropped to find a title's family.
_SENIORITY = frozenset({"junior", "jr", "senior", "sr", "staff", "principal", "distinguished", "associate",
                        "entry", "mid", "i", "ii", "iii", "iv", "v", "vi"})


@dataclass
class _Row:
    line: int
    path: str
    title: str
    label: str
    scheme: str
    number: float
    competency: str
    skill: str
    behaviour: str


@dataclass
class _Role:
    path: str
    title: str
    label: str
    scheme: str
    number: float
    rows: list[_Row] = field(default_factory=list)
    id: str = ""
    career: int = 1
    comp_level: int = 1


def _header_key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.strip().lower())


def _columns(header: list[str], csv_path: Path) -> dict[str, int]:
    """Canonical column name -> index; raises InvalidInput naming the required columns that are missing."""
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        canonical = _HEADER_ALIASES.get(_header_key(name))
        if canonical and canonical not in index:
            index[canonical] = position
    missing = [c for c in REQUIRED_COLUMNS if c not in index]
    if missing:
        raise InvalidInput(f"{csv_path.name}: missing required column(s): {', '.join(missing)} "
                           f"(found: {', '.join(clean(h) for h in header) or 'no header'})",
                           field="columns", details={"missing": missing})
    return index


def _parse_level(label: str) -> tuple[str, float] | None:
    match = _LEVEL.match(label)
    if not match:
        return None
    prefix = match.group("prefix").lower()
    return ("" if prefix in _PLAIN_SCHEMES else prefix), float(match.group("number"))


def _read_rows(csv_path: Path, report: ImportReport) -> list[_Row]:
    try:
        text = csv_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read {csv_path}: {exc}", field="csv_path") from exc
    first_line = text.split("\n", 1)[0]
    # Only the delimiter is sniffed: on a header line without quotes the sniffer also guesses
    # doublequote=False, which misreads RFC 4180 cells like "He said ""yes"", then left".
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True)
    header = next(reader, None)
    if header is None:
        raise InvalidInput(f"{csv_path.name} is empty: expected a header row with {', '.join(REQUIRED_COLUMNS)}",
                           field="columns", details={"missing": list(REQUIRED_COLUMNS)})
    columns = _columns(header, csv_path)
    rows: list[_Row] = []
    end = reader.line_num
    for cells in reader:
        start, end = end + 1, reader.line_num  # a quoted cell may span lines: report where the row starts
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            report.bad_rows.append(BadRow(line=start, reason=f"expected {len(header)} columns, found {len(cells)}"))
            continue
        value = {name: clean(cells[i]) for name, i in columns.items()}
        named = value.get("competency") or value.get("skill", "")
        missing = [name for name in ("path", "job title", "level") if not value[name]]
        reason = None
        if missing:
            reason = f"missing {', '.join(missing)}"
        elif not value["key behaviour"]:
            reason = "empty key behaviour"
        elif not slugify(value["path"]) or not slugify(value["job title"]):
            reason = "path and job title need letters or digits"
        elif _parse_level(value["level"]) is None:
            reason = f"unparsable level '{value['level']}' (expected a number or a label like L3, IC4, M1)"
        elif named and not slugify(named):
            reason = "competency/skill needs letters or digits"
        if reason:
            report.bad_rows.append(BadRow(line=start, reason=reason))
            continue
        scheme, number = _parse_level(value["level"]) or ("", 0.0)
        rows.append(_Row(start, value["path"], value["job title"], value["level"], scheme, number,
                         value.get("competency", ""), value.get("skill", ""), value["key behaviour"]))
    return rows


def _title_family(title: str) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", title.lower()) if w not in _SENIORITY and not w.isdigit()]
    return " ".join(words) or title.lower()


def _rank_levels(roles: list[_Role], report: ImportReport) -> None:
    """Set each role's career level (1..6) and competency level (1..5) from the ranks of its scheme's levels."""
    numbers: dict[str, list[float]] = {}
    for role in roles:
        numbers.setdefault(role.scheme, [])
        if role.number not in numbers[role.scheme]:
            numbers[role.scheme].append(role.number)
    mixed = any(s in _MANAGEMENT_SCHEMES for s in numbers) and any(s not in _MANAGEMENT_SCHEMES for s in numbers)
    for scheme in sorted(numbers):
        distinct = sorted(numbers[scheme])
        offset = mixed and scheme in _MANAGEMENT_SCHEMES
        mapped = []
        for rank, number in enumerate(distinct, start=1):
            if offset:  # the first management level is a staff/manager position
                career, comp = min(6, 3 + scale(rank, len(distinct), 3)), min(5, 2 + scale(rank, len(distinct), 3))
            else:
                career, comp = scale(rank, len(distinct), 6), scale(rank, len(distinct), 5)
            for role in roles:
                if role.scheme == scheme and role.number == number:
                    role.career, role.comp_level = career, comp
            mapped.append(f"{scheme.upper()}{number:g}->career {career}/competency {comp}")
        report.notes.append(f"levels {scheme.upper() or '(plain)'}: {', '.join(mapped)}")


def _group_roles(rows: list[_Row]) -> list[_Role]:
    roles: dict[tuple[str, str, str, float], _Role] = {}
    for row in rows:
        key = (row.path.casefold(), row.title.casefold(), row.scheme, row.number)
        if key not in roles:
            roles[key] = _Role(row.path, row.title, row.label, row.scheme, row.number)
        roles[key].rows.append(row)
    return list(roles.values())


def _assign_ids(roles: list[_Role]) -> None:
    paths_of_title: dict[str, set[str]] = {}
    for role in roles:
        paths_of_title.setdefault(role.title.casefold(), set()).add(role.path.casefold())
    taken: set[str] = set()
    for role in roles:
        base = f"{slugify(role.title)}-{slugify(role.label)}"
        if len(paths_of_title[role.title.casefold()]) > 1:  # same title in two paths: keep the ids apart
            base = f"{slugify(role.path)}-{base}"
        role.id = unique_slug(base, taken)


def _competency_docs(rows: list[_Row], roles: list[_Role], family: str, source: str) -> tuple[list[dict], dict[str, str]]:
    """Competency documents and row-competency-name -> id."""
    level_of = {id(row): role.comp_level for role in roles for row in role.rows}
    names: dict[str, str] = {}
    skills: dict[str, list[str]] = {}
    behaviours: dict[str, dict[int, list[str]]] = {}
    id_of: dict[str, str] = {}
    for row in rows:
        name = row.competency or row.skill
        if not name:
            continue
        cid = slugify(name)
        id_of[name] = cid
        names.setdefault(cid, name)
        if row.competency and row.skill and row.skill.lower() not in skills.setdefault(cid, []):
            skills[cid].append(row.skill.lower())
        at_level = behaviours.setdefault(cid, {}).setdefault(level_of[id(row)], [])
        text = sentence(row.behaviour)
        if text not in at_level:
            at_level.append(text)
    docs = []
    for cid, name in names.items():
        present = sorted(behaviours[cid])
        levels = []
        for number in range(1, 6):
            source_level = number if number in present else max((p for p in present if p < number), default=present[0])
            title = LEVEL_TITLES[number] + ("" if source_level == number else f" (as level {source_level})")
            levels.append({"level": number, "title": title, "behaviours": list(behaviours[cid][source_level])})
        skill_list = skills.get(cid, [])
        description = f"{name}, as described in {source}" + (f"; skills: {', '.join(skill_list)}." if skill_list else ".")
        docs.append({"id": cid, "name": name, "family": family, "description": description,
                     "keywords": [name.lower(), *skill_list], "levels": levels})
    return docs, id_of


def _role_doc(role: _Role, roles: list[_Role], id_of: dict[str, str], multi_level: bool) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for row in role.rows:
        name = row.competency or row.skill
        if name:
            counts[id_of[name]] = counts.get(id_of[name], 0) + 1
    most = max(counts.values())
    core = [cid for cid, n in counts.items() if n == most][:4]
    responsibilities = list(dict.fromkeys(sentence(r.behaviour) for r in role.rows))
    family = (role.path.casefold(), _title_family(role.title))
    same_family = [r for r in roles if (r.path.casefold(), _title_family(r.title)) == family and r.career > role.career]
    step = min((r.career for r in same_family), default=None)
    nxt = [r.id for r in same_family if r.career == step]
    lateral = [r.id for r in roles if r.path.casefold() == role.path.casefold() and r.career == role.career
               and r.id != role.id and _title_family(r.title) != family[1]]
    title = f"{role.title} {role.label}" if multi_level else role.title
    key = " ".join(responsibilities[:2])
    return {
        "id": role.id,
        "title": title,
        "track": "management" if role.scheme in _MANAGEMENT_SCHEMES or is_management(role.title) else "ic",
        "level": role.career,
        "aliases": [role.title] if multi_level else [],
        "summary": f"{role.title} at level {role.label} in the {role.path} path. Key expectations: {key}",
        "responsibilities": responsibilities,
        "competencies": {cid: role.comp_level for cid in counts},
        "core": core,
        "next_roles": nxt,
        "lateral_roles": lateral,
    }


def import_csv_ladder(csv_path: Path, out_dir: Path, *, family: str = "ladder") -> ImportReport:
    """Turn a career-ladder CSV export into competencies.yaml and roles/<path>.yaml in out_dir."""
    csv_path, out_dir = Path(csv_path), Path(out_dir)
    if not csv_path.is_file():
        raise InvalidInput(f"{csv_path} is not a file", field="csv_path")
    if slugify(family) != family:
        raise InvalidInput(f"family '{family}' must be a lower-case slug", field="family")
    report = ImportReport(out_dir=out_dir)
    rows = _read_rows(csv_path, report)
    roles = _group_roles(rows)
    for role in list(roles):
        if not any(r.competency or r.skill for r in role.rows):
            report.warnings.append(f"{role.path} / {role.title} / {role.label} (line {role.rows[0].line}): "
                                   "no row names a competency or skill; role skipped")
            roles.remove(role)
    if not roles:
        raise InvalidInput(f"{csv_path.name}: no usable rows ({len(report.bad_rows)} bad)", field="csv_path",
                           details={"bad_rows": [b.model_dump() for b in report.bad_rows]})
    kept = [row for role in roles for row in role.rows]
    _rank_levels(roles, report)
    # Stable order: paths and title families as they first appear, then up the levels.
    path_order = list(dict.fromkeys(r.path.casefold() for r in roles))
    title_order = list(dict.fromkeys((r.path.casefold(), _title_family(r.title)) for r in roles))
    roles.sort(key=lambda r: (title_order.index((r.path.casefold(), _title_family(r.title))), r.career, r.scheme, r.number))
    _assign_ids(roles)
    competencies, id_of = _competency_docs(kept, roles, family, csv_path.name)
    levels_per_title: dict[tuple[str, str], int] = {}
    for role in roles:
        levels_per_title[(role.path.casefold(), role.title.casefold())] = levels_per_title.get(
            (role.path.casefold(), role.title.casefold()), 0) + 1
    role_docs: dict[str, dict[str, Any]] = {}
    for path_key in path_order:
        in_path = [r for r in roles if r.path.casefold() == path_key]
        job_family = slugify(in_path[0].path)
        role_docs[job_family] = {
            "job_family": job_family, "name": in_path[0].path,
            "description": f"The {in_path[0].path} path of {csv_path.name}.",
            "roles": [_role_doc(r, roles, id_of, levels_per_title[(path_key, r.title.casefold())] > 1) for r in in_path],
        }
    for role in roles:
        if len(role.rows) < 4:
            report.warnings.append(f"role {role.id}: only {len(role.rows)} expectation(s); the format suggests 4-7")
    report.roles = [r["id"] for doc in role_docs.values() for r in doc["roles"]]
    report.competencies = [c["id"] for c in competencies]
    report.notes.append("next_roles: next career level in the same path and title family; "
                        "lateral_roles: same path and career level, other titles")
    header = [f"Generated by `coach import ladder-csv` from {csv_path.name} ({len(kept)} rows used, "
              f"{len(report.bad_rows)} skipped). Re-run the import rather than editing by hand.", "",
              "Level mapping:", *report.notes]
    write_knowledge(out_dir, {"families": [{"id": family, "name": "Imported competencies",
                                            "description": f"Competencies of {csv_path.name}."}],
                              "competencies": competencies}, role_docs, header, report)
    return report

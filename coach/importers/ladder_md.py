"""Import a Markdown career ladder (one file per role, `## D4 - Developer 4` sections) into Coach's format.

The input is a directory of Markdown pages in the style of the public "Engineering Ladders"
framework: each ladder page has an H1 (the role name), an intro line ("Role also known as ..."),
a level table and one `## <CODE><N> - <Role> <N>` section per position holding five bullets
`* **Verb**: behaviour`, one per dimension (Technology, System, People, Process, Influence, in
that order). Pages without such sections (introduction, comparison, managing managers) are not
roles, but two things are read from them: the axis definitions (`* **Technology**: ...` plus a
`## Technology` section with a numbered `1. **Adopts**: ...` list), which name the dimensions,
describe them and break ties in the level order, and comparison tables whose column headers link
to a ladder page, whose cells become that ladder's focus areas in the role summaries.

Mapping onto Coach's scales (also written into the report's notes and the YAML header):
- Competencies: one per dimension. The distinct behaviours (keyed by their verb) observed along a
  dimension are ordered by the lowest ladder level where a position shows them (ties: the axis
  definition's order, then first appearance) and spread onto levels 1..5: five map one to one,
  more are merged with their neighbours (7 -> 1,1,2,3,3,4,5), fewer fill 1..N and levels above N
  repeat level N, titled "<Verb> (as level N)".
- Roles: one per position; id = slug(H1) + "-" + ladder level. A role requires, per dimension,
  the competency level at which its bullet's behaviour sits; core = the dimensions at its highest
  level (at most four). Career level: a ladder spanning 1..7 maps 1,2,3,4,5,6,7 -> 1,2,2,3,4,5,6
  (ladder level 4 is the first "senior" position -> career 3 senior; 5 is where engineering
  managers start -> career 4 staff/manager); levels that fit 1..6 are kept; other spans scale.
- Links: next_roles = the same ladder's next level, plus the entry position of any ladder that
  starts one level higher (developer-4 -> engineering-manager-5); lateral_roles = the positions
  at the same ladder level in the other ladders (tech-lead-5 <-> engineering-manager-5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.errors import InvalidInput
from coach.importers.common import (
    ImportReport, clean, is_management, scale, sentence, slugify, spread, write_knowledge,
)

DEFAULT_DIMENSIONS: tuple[str, ...] = ("Technology", "System", "People", "Process", "Influence")
# A 1..7 ladder onto career levels 1..6 (see the module docstring for why).
SEVEN_TO_CAREER: dict[int, int] = {1: 1, 2: 2, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6}
MAX_CORE = 4

_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_H2 = re.compile(r"^##\s+(.+?)\s*#*\s*$")
_POSITION = re.compile(r"^([A-Za-z]+)(\d+)\s*[-\u2013\u2014]+\s*(.+?)$")
_BULLET = re.compile(r"^\s*[*+-]\s+\*\*(.+?)\*\*\s*:\s*(.+?)\s*$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+\*\*(.+?)\*\*\s*:\s*(.+?)\s*$")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)#\s]+\.md)[^)]*\)")
_ALSO_KNOWN = re.compile(r"also known as (.+?)(?:,|;|\.|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Behaviour:
    """One `* **Verb**: text` bullet."""

    verb: str
    text: str


@dataclass
class Position:
    """One `## D4 - Developer 4` section of a ladder page."""

    code: str
    level: int
    title: str
    line: int
    bullets: list[Behaviour] = field(default_factory=list)
    senior: bool | None = None


@dataclass
class Ladder:
    """One ladder page: the role name (H1), its intro and its positions."""

    name: str
    file: str
    intro: str
    aliases: list[str]
    positions: list[Position]
    focus: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass
class Axes:
    """The dimensions as the framework's introduction defines them."""

    names: list[str] = field(default_factory=list)
    descriptions: dict[str, str] = field(default_factory=dict)
    verb_order: dict[str, list[str]] = field(default_factory=dict)  # axis name -> verbs (lower case), level order


# ---------------------------------------------------------------- parsing

def _sections(lines: list[str]) -> list[tuple[str, int, list[str]]]:
    """(H2 heading, 1-based line, body lines) for each `## ` section; H1 lines end a section."""
    found: list[tuple[str, int, list[str]]] = []
    for number, line in enumerate(lines, start=1):
        heading = _H2.match(line)
        if heading:
            found.append((clean(heading.group(1)), number, []))
        elif line.startswith("# "):
            found.append(("", number, []))
        elif found:
            found[-1][2].append(line)
    return [s for s in found if s[0]]


def _intro(lines: list[str]) -> str:
    """The first prose paragraph after the H1 (no table, HTML, heading or list)."""
    seen_h1, paragraph = False, []
    for line in lines:
        text = line.strip()
        if not seen_h1:
            seen_h1 = bool(_H1.match(line))
            continue
        if text and not text.startswith(("#", "|", "<", "*", "-", "!")):
            paragraph.append(text)
        elif paragraph:
            break
    return clean(" ".join(paragraph))


def _aliases(intro: str) -> list[str]:
    match = _ALSO_KNOWN.search(intro)
    if not match:
        return []
    return [clean(a) for a in re.split(r"\s+or\s+|,\s*|\s+and\s+", match.group(1)) if clean(a)]


def _seniority(lines: list[str]) -> dict[int, bool]:
    """Level -> senior? from a `| Level | Senior | ... |` table."""
    senior: dict[int, bool] = {}
    for line in lines:
        cells = [clean(c) for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].isdigit() and cells[1].lower() in ("yes", "no"):
            senior[int(cells[0])] = cells[1].lower() == "yes"
    return senior


def _parse_ladder(path: Path, lines: list[str], report: ImportReport) -> Ladder | None:
    h1 = next((clean(m.group(1)) for m in map(_H1.match, lines) if m), "")
    positions = []
    for heading, line_no, body in _sections(lines):
        match = _POSITION.match(heading)
        if not match:
            continue
        code, number, title = match.group(1), int(match.group(2)), clean(match.group(3))
        bullets = [Behaviour(clean(m.group(1)), clean(m.group(2))) for m in map(_BULLET.match, body) if m]
        if not bullets:
            continue
        if not title.endswith(str(number)):
            report.warnings.append(f"{path.name}:{line_no}: '{heading}': title does not end with its level {number}")
        positions.append(Position(code, number, title, line_no, bullets))
    if not positions:
        return None
    if not h1:
        h1 = re.sub(r"\s*\d+$", "", positions[0].title)
        report.warnings.append(f"{path.name}: no H1; role name taken from '{positions[0].title}'")
    senior = _seniority(lines)
    for position in positions:
        position.senior = senior.get(position.level)
    intro = _intro(lines)
    return Ladder(h1, path.name, intro, _aliases(intro), sorted(positions, key=lambda p: p.level))


def _read_axes(pages: dict[str, list[str]]) -> Axes:
    """Axis names, descriptions and level orders from the pages that are not ladders."""
    axes = Axes()
    descriptions: dict[str, str] = {}
    for name in sorted(pages):
        lines = pages[name]
        for line in lines:
            match = _BULLET.match(line)
            if match and not _LINK.search(line):
                descriptions.setdefault(clean(match.group(1)), clean(match.group(2)))
        for heading, _line, body in _sections(lines):
            verbs = [clean(m.group(1)).lower() for m in map(_NUMBERED.match, body) if m]
            if verbs and heading not in axes.verb_order:
                axes.verb_order[heading] = verbs
    # A dimension is a heading with a numbered level list; its description is the bold bullet of the same name.
    axes.names = [n for n in descriptions if n in axes.verb_order] or list(axes.verb_order)
    axes.descriptions = {n: descriptions[n] for n in axes.names if n in descriptions}
    return axes


def _read_focus(pages: dict[str, list[str]], ladders: dict[str, Ladder]) -> None:
    """Comparison tables whose header cells link to ladder pages: each column is that ladder's focus list."""
    for name in sorted(pages):
        rows = [line.strip() for line in pages[name]]
        index = 0
        while index < len(rows):
            if not rows[index].startswith("|"):
                index += 1
                continue
            table = []
            while index < len(rows) and rows[index].startswith("|"):
                table.append([c.strip() for c in rows[index].strip("|").split("|")])
                index += 1
            header = table[0]
            if any(clean(c).lower() == "level" for c in header):
                continue  # the index table of positions, not a comparison
            columns = {i: _LINK.search(c).group(2) for i, c in enumerate(header) if _LINK.search(c)}
            for row in table[1:]:
                if all(set(c) <= set(":- ") for c in row):
                    continue
                for i, file_name in columns.items():
                    cell = clean(row[i]) if i < len(row) else ""
                    if "(shared)" in cell.lower():
                        continue  # shared by both columns: says nothing about what sets this role apart
                    ladder = ladders.get(Path(file_name).name)
                    if ladder and cell and not _LINK.search(cell) and cell not in ladder.focus:
                        ladder.focus.append(cell)


# ---------------------------------------------------------------- mapping

def _dimension_names(axes: Axes, ladders: list[Ladder], report: ImportReport) -> list[str]:
    count = max(len(p.bullets) for ladder in ladders for p in ladder.positions)
    names = axes.names if len(axes.names) >= count else list(DEFAULT_DIMENSIONS)
    if len(names) < count:
        names += [f"Dimension {i}" for i in range(len(names) + 1, count + 1)]
        report.warnings.append(f"positions have up to {count} bullets but only {len(DEFAULT_DIMENSIONS)} "
                               "dimensions are known")
    return names[:max(count, 1)]


def _assign(position: Position, dims: list[str], axes: Axes, file: str, report: ImportReport) -> dict[str, Behaviour]:
    """Dimension -> bullet: by the verb when the axis definitions know it, else by position in the list."""
    verb_axis = {v: axis for axis, verbs in axes.verb_order.items() if axis in dims for v in verbs}
    assigned: dict[str, Behaviour] = {}
    for index, bullet in enumerate(position.bullets):
        dim = verb_axis.get(bullet.verb.lower()) or (dims[index] if index < len(dims) else None)
        if dim is None or dim in assigned:
            report.warnings.append(f"{file}:{position.line}: {position.title}: bullet '{bullet.verb}' "
                                   "has no free dimension; skipped")
            continue
        assigned[dim] = bullet
    missing = [d for d in dims if d not in assigned]
    if missing:
        report.warnings.append(f"{file}:{position.line}: {position.title}: no bullet for {', '.join(missing)}")
    return assigned


def _career_levels(levels: list[int]) -> tuple[dict[int, int], str]:
    lo, hi = min(levels), max(levels)
    if lo >= 1 and hi <= 6:
        return {lv: lv for lv in levels}, f"ladder levels {lo}..{hi} kept as career levels"
    if lo >= 1 and hi == 7:
        mapping = {lv: SEVEN_TO_CAREER[lv] for lv in levels}
        return mapping, ("career level from ladder level 1..7 -> 1,2,2,3,4,5,6 (4 = first senior position -> 3 senior; "
                         "5 = first engineering-manager level -> 4 staff/manager)")
    mapping = {lv: scale(lv - lo + 1, hi - lo + 1, 6) for lv in levels}
    return mapping, f"career level: ladder levels {lo}..{hi} scaled evenly onto 1..6"


def _competency(dim: str, observed: list[tuple[int, int, int, Behaviour]], axes: Axes, family: str,
                report: ImportReport) -> tuple[dict[str, Any], dict[str, int]]:
    """The competency document for one dimension and the level of each verb (lower case)."""
    ordered = [b for *_, b in sorted(observed, key=lambda o: o[:3])]
    slots = spread(len(ordered))
    by_level: dict[int, list[Behaviour]] = {}
    for behaviour, slot in zip(ordered, slots):
        by_level.setdefault(slot, []).append(behaviour)
    levels = []
    top = max(by_level)
    for number in range(1, 6):
        behaviours = by_level.get(number) or by_level[top]
        title = " / ".join(b.verb for b in behaviours)
        if number not in by_level:
            title = f"{title} (as level {top})"
        levels.append({"level": number, "title": title, "behaviours": [sentence(b.text) for b in behaviours]})
    mapping = ", ".join(f"{b.verb}={s}" for b, s in zip(ordered, slots))
    note = f"{dim}: {len(ordered)} distinct behaviours -> {mapping}"
    if len(ordered) > 5:
        note += " (adjacent behaviours merged)"
    elif len(ordered) < 5:
        note += f" (levels {len(ordered) + 1}..5 repeat level {len(ordered)})"
    report.notes.append(note)
    description = axes.descriptions.get(dim)
    doc = {
        "id": slugify(dim),
        "name": dim,
        "family": family,
        "description": sentence(description) if description else f"The {dim} dimension of the career ladder.",
        "keywords": [dim.lower(), *dict.fromkeys(b.verb.lower() for b in ordered)],
        "levels": levels,
    }
    return doc, {b.verb.lower(): s for b, s in zip(ordered, slots)}


def _lower_words(text: str) -> str:
    """Title Case -> lower case, keeping acronyms such as SLAs."""
    def lower(match: re.Match[str]) -> str:
        word = match.group(0)
        return word if sum(c.isupper() for c in word) > 1 else word.lower()

    return re.sub(r"[A-Za-z]+", lower, text)


def _summary(ladder: Ladder, position: Position, top_level: int) -> str:
    intro = ladder.intro
    if intro.lower().startswith("role "):  # "Role also known as ..." reads better after the role's name
        intro = f"{ladder.name}: r{intro[1:]}"
    parts = [sentence(intro) if intro else f"{ladder.name} role."]
    seniority = {True: ", a senior position", False: ", not yet a senior position", None: ""}[position.senior]
    parts.append(f"{position.title} is level {position.level} of {top_level} on the {ladder.name} ladder{seniority}.")
    if ladder.focus:
        parts.append(f"Focus areas: {'; '.join(_lower_words(f) for f in ladder.focus)}.")
    return " ".join(parts)


def import_markdown_ladder(src_dir: Path, out_dir: Path, *, family: str = "ladder", job_family: str = "engineering",
                           job_family_name: str = "Engineering") -> ImportReport:
    """Turn a directory of Markdown ladder pages into competencies.yaml and roles/<job_family>.yaml in out_dir."""
    src_dir, out_dir = Path(src_dir), Path(out_dir)
    if not src_dir.is_dir():
        raise InvalidInput(f"ladder source {src_dir} is not a directory", field="src_dir")
    if slugify(family) != family or slugify(job_family) != job_family:
        raise InvalidInput(f"family '{family}' and job_family '{job_family}' must be lower-case slugs", field="family")
    report = ImportReport(out_dir=out_dir)
    pages: dict[str, list[str]] = {}
    ladders: dict[str, Ladder] = {}
    for path in sorted(src_dir.glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        ladder = _parse_ladder(path, lines, report)
        if ladder:
            ladders[path.name] = ladder
        else:
            pages[path.name] = lines
            if path.name.upper() not in ("README.MD", "SOURCE.MD"):
                report.warnings.append(f"{path.name}: no level sections ('## XN - Role N'); not a ladder, skipped")
    if not ladders:
        raise InvalidInput(f"no ladder pages with '## XN - Role N' sections found in {src_dir}", field="src_dir")
    axes = _read_axes(pages)
    _read_focus(pages, ladders)
    ordered = sorted(ladders.values(), key=lambda lad: (lad.positions[0].level, lad.name))
    taken = [lad.slug for lad in ordered]
    if len(set(taken)) != len(taken):
        raise InvalidInput(f"two ladder pages share a role name: {taken}", field="src_dir")

    dims = _dimension_names(axes, ordered, report)
    assigned = {(lad.slug, p.level): _assign(p, dims, axes, lad.file, report) for lad in ordered for p in lad.positions}
    # (lowest ladder level, axis-definition rank, first appearance, behaviour) per distinct verb and dimension.
    observed: dict[str, dict[str, tuple[int, int, int, Behaviour]]] = {d: {} for d in dims}
    sequence = 0
    for lad in ordered:
        for p in lad.positions:
            for dim, behaviour in assigned[(lad.slug, p.level)].items():
                key = behaviour.verb.lower()
                order = axes.verb_order.get(dim, [])
                rank = order.index(key) if key in order else len(order)
                sequence += 1
                if key not in observed[dim]:
                    observed[dim][key] = (p.level, rank, sequence, behaviour)
                elif p.level < observed[dim][key][0]:
                    observed[dim][key] = (p.level, rank, observed[dim][key][2], behaviour)

    competencies, verb_level = [], {}
    for dim in dims:
        if not observed[dim]:
            report.warnings.append(f"dimension {dim}: no behaviours observed; no competency written")
            continue
        doc, verb_level[dim] = _competency(dim, list(observed[dim].values()), axes, family, report)
        competencies.append(doc)
    comp_id = {d: slugify(d) for d in dims}

    all_levels = sorted({p.level for lad in ordered for p in lad.positions})
    career, career_note = _career_levels(all_levels)
    report.notes.append(career_note)
    ids = {(lad.slug, p.level): f"{lad.slug}-{p.level}" for lad in ordered for p in lad.positions}
    roles = []
    for lad in ordered:
        levels = [p.level for p in lad.positions]
        for p in lad.positions:
            required = {comp_id[d]: verb_level[d][b.verb.lower()] for d, b in assigned[(lad.slug, p.level)].items()
                        if d in verb_level}
            best = max(required.values())
            core = [c for c in required if required[c] == best][:MAX_CORE]
            nxt = [ids[(lad.slug, lv)] for lv in levels if lv > p.level][:1]
            # A ladder that starts one level up is entered from here (developer-4 -> engineering-manager-5).
            nxt += [ids[(o.slug, p.level + 1)] for o in ordered
                    if o is not lad and o.positions[0].level == p.level + 1]
            lateral = [ids[(o.slug, p.level)] for o in ordered if o is not lad and (o.slug, p.level) in ids]
            code_alias = f"{p.code}{p.level}"
            aliases = [code_alias, *(f"{a.title()} {p.level}" for a in lad.aliases)]
            roles.append({
                "id": ids[(lad.slug, p.level)],
                "title": p.title,
                "track": "management" if is_management(lad.name) else "ic",
                "level": career[p.level],
                "aliases": aliases,
                "summary": _summary(lad, p, max(levels)),
                "responsibilities": [sentence(b.text) for b in assigned[(lad.slug, p.level)].values()],
                "competencies": required,
                "core": core,
                "next_roles": nxt,
                "lateral_roles": lateral,
            })
    report.notes.append("next_roles: same ladder's next level + entry position of ladders starting one level up; "
                        "lateral_roles: same ladder level in the other ladders")
    report.competencies = [c["id"] for c in competencies]
    report.roles = [r["id"] for r in roles]
    header = [f"Generated by `coach import ladder` from {src_dir.name}/ ({len(ordered)} ladders: "
              f"{', '.join(lad.name for lad in ordered)}). Re-run the import rather than editing by hand.", "",
              "Level mapping:", *report.notes]
    write_knowledge(
        out_dir,
        {"families": [{"id": family, "name": "Career ladder",
                       "description": f"The dimensions of the {src_dir.name} career framework."}],
         "competencies": competencies},
        {job_family: {"job_family": job_family, "name": job_family_name,
                      "description": f"Positions of the {', '.join(lad.name for lad in ordered)} ladders.",
                      "roles": roles}},
        header, report)
    return report

"""What the importers share: the report model, slugs, level spreading and deterministic YAML output."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

# The conventional titles of the five competency levels (docs/knowledge-format.md).
LEVEL_TITLES: dict[int, str] = {1: "Foundational", 2: "Developing", 3: "Proficient", 4: "Advanced", 5: "Expert"}
MANAGEMENT_WORDS = frozenset({"manager", "managers", "managing", "director", "head", "vp"})
# "Program manager" and friends coordinate work, not people: they stay on the IC track.
NOT_PEOPLE_MANAGERS = frozenset({"program", "programme", "product", "project", "delivery", "account"})


class BadRow(BaseModel):
    """An input row the importer skipped, located by its 1-based line in the source file."""

    line: int = Field(ge=1, description="1-based line where the row starts in the source file.")
    file: str = Field("", description="The source file's name, when an import reads several.")
    reason: str


class ImportReport(BaseModel):
    """What an import wrote and what it had to skip or approximate."""

    out_dir: Path
    roles: list[str] = Field(default_factory=list, description="Role ids written, in file order.")
    competencies: list[str] = Field(default_factory=list, description="Competency ids written, in file order.")
    warnings: list[str] = Field(default_factory=list, description="Things skipped or approximated.")
    bad_rows: list[BadRow] = Field(default_factory=list, description="Rows skipped (tabular sources only).")
    notes: list[str] = Field(default_factory=list, description="How source levels were mapped onto Coach's scales.")


def slugify(text: str) -> str:
    """A lower-case slug [a-z0-9]+(-[a-z0-9]+)* ('Tech Lead' -> 'tech-lead'); empty when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def clean(text: str) -> str:
    """Collapse whitespace and drop zero-width characters that Markdown and spreadsheets leave behind."""
    return re.sub(r"\s+", " ", text.replace("\u200b", "").replace("\ufeff", "")).strip()


def sentence(text: str) -> str:
    """Capitalise the first letter and end with a full stop."""
    text = clean(text)
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def is_management(title: str) -> bool:
    """Whether a role title names a people manager (engineering manager yes, program manager no)."""
    words = set(re.findall(r"[a-z]+", title.lower()))
    return bool(words & MANAGEMENT_WORDS) and not words & NOT_PEOPLE_MANAGERS


def spread(count: int, slots: int = 5) -> list[int]:
    """The level (1..slots) for each of `count` ordered items: adjacent items merge when there are too many."""
    if count <= slots:
        return list(range(1, count + 1))
    return [index * slots // count + 1 for index in range(count)]


def scale(rank: int, count: int, top: int) -> int:
    """Rank 1..count onto 1..top: unchanged when it fits, else spread evenly with both ends kept."""
    if count <= top:
        return rank
    return 1 + round((rank - 1) * (top - 1) / (count - 1))


def unique_slug(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is not taken yet (then marks it taken)."""
    candidate, suffix = base, 2
    while candidate in taken:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    taken.add(candidate)
    return candidate


class _PlainDumper(yaml.SafeDumper):
    """Never writes &anchors / *aliases: a repeated list is written out again, as a person would."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=1000,
                     default_flow_style=False)


def write_knowledge(out_dir: Path, competencies_doc: dict[str, Any], role_docs: dict[str, dict[str, Any]],
                    header: list[str], report: ImportReport) -> None:
    """Write competencies.yaml and roles/<family>.yaml (a comment header on each), warn about stray role files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    roles_dir = out_dir / "roles"
    roles_dir.mkdir(exist_ok=True)
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header)
    (out_dir / "competencies.yaml").write_text(comment + _dump(competencies_doc), encoding="utf-8")
    for family, doc in role_docs.items():
        (roles_dir / f"{family}.yaml").write_text(comment + _dump(doc), encoding="utf-8")
    # Every roles/*.yaml is loaded, so files from an earlier import would mix with this one.
    stray = sorted(p.name for p in roles_dir.glob("*.y*ml") if p.stem not in role_docs)
    if stray:
        report.warnings.append(f"{roles_dir} also holds {', '.join(stray)} (not written by this import): "
                               "remove them unless they belong with it")

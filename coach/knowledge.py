"""The organisation's knowledge: pydantic schema, YAML loading with line numbers, cross-checks."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from coach.errors import InvalidKnowledge

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Stage = Literal["reflect", "aspire", "explore", "gaps", "support", "commit"]
STAGES: tuple[str, ...] = ("reflect", "aspire", "explore", "gaps", "support", "commit")
ConversationType = Literal["career-check-in", "performance-review", "quarterly-reflection", "new-in-role"]
ResourceType = Literal[
    "course", "workshop", "reading", "certification", "mentoring", "shadowing", "community", "stretch-assignment", "project"
]
# The 70/20/10 model: most growth comes from experience, then relationships, then training.
RESOURCE_CATEGORY: dict[str, str] = {
    "stretch-assignment": "experience", "project": "experience",
    "mentoring": "relationships", "shadowing": "relationships", "community": "relationships",
    "course": "training", "workshop": "training", "reading": "training", "certification": "training",
}
OpportunityKind = Literal["project", "opening", "stretch-assignment"]
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
QUESTION_SLOTS = frozenset({"name", "current_role", "target_role", "competency", "context", "commitment", "concern"})
_SLOT_RE = re.compile(r"\{([a-z_]+)\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Family(_Strict):
    """A group of related competencies (craft, delivery, leadership...)."""

    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    description: str = ""


class Level(_Strict):
    """One proficiency level of a competency, described by observable behaviours."""

    level: int = Field(ge=1, le=5)
    title: str = Field(min_length=1)
    behaviours: list[str] = Field(min_length=1)


class Indicator(_Strict):
    """A measurable sign of growth in a competency: what is counted, how, and which way is better."""

    id: str = Field(pattern=SLUG, max_length=60)
    name: str = Field(min_length=1, max_length=120)
    measure: str = Field(min_length=10, max_length=500, description="How it is measured: source, formula, period.")
    direction: Literal["up", "down"] = Field(description="up: higher is better; down: lower is better.")
    unit: str = Field("", max_length=40, description="days, hours, percent, count, score (1-5)...")


class Competency(_Strict):
    """A skill the organisation assesses, with five behavioural levels."""

    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    family: str
    description: str = ""
    keywords: list[str] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list, max_length=8,
                                        description="How progress in this competency can be measured (optional).")
    levels: list[Level]

    @field_validator("indicators")
    @classmethod
    def _unique_indicators(cls, indicators: list[Indicator]) -> list[Indicator]:
        ids = [i.id for i in indicators]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"indicator ids must be unique within a competency, repeated: {repeated}")
        return indicators

    def indicator(self, indicator_id: str) -> Indicator | None:
        """The indicator with this id, or None."""
        return next((i for i in self.indicators if i.id == indicator_id), None)

    @field_validator("levels")
    @classmethod
    def _five_levels(cls, levels: list[Level]) -> list[Level]:
        found = [lv.level for lv in levels]
        if found != [1, 2, 3, 4, 5]:
            raise ValueError(f"levels must be exactly 1..5 in order, found {found}")
        return levels

    def level(self, number: int) -> Level:
        """The level description for `number` (clamped to 1..5)."""
        return self.levels[max(1, min(5, number)) - 1]


class Role(_Strict):
    """A job in the organisation: what it is for and the competency levels it requires."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    track: Literal["ic", "management"]
    level: int = Field(ge=1, le=6, description="Career level across the organisation, 1 (entry) to 6.")
    job_family: str = Field("", description="Set from the role file's job_family.")
    aliases: list[str] = Field(default_factory=list)
    summary: str = Field(min_length=1)
    responsibilities: list[str] = Field(default_factory=list)
    competencies: dict[str, int] = Field(min_length=1, description="Required level (1..5) per competency id.")
    core: list[str] = Field(default_factory=list, description="The competencies that weigh double for this role.")
    next_roles: list[str] = Field(default_factory=list)
    lateral_roles: list[str] = Field(default_factory=list)

    @field_validator("competencies")
    @classmethod
    def _levels_in_range(cls, required: dict[str, int]) -> dict[str, int]:
        bad = {cid: lv for cid, lv in required.items() if not isinstance(lv, int) or not 1 <= lv <= 5}
        if bad:
            raise ValueError(f"required levels must be integers 1..5, got {bad}")
        return required

    @model_validator(mode="after")
    def _core_is_required(self) -> "Role":
        missing = [cid for cid in self.core if cid not in self.competencies]
        if missing:
            raise ValueError(f"core competencies {missing} are not in this role's competencies")
        return self

    def weight(self, competency_id: str) -> float:
        """How much a competency matters for this role (core ones count double)."""
        return 2.0 if competency_id in self.core else 1.0


class RoleFile(_Strict):
    """One file of roles for a job family."""

    job_family: str = Field(pattern=SLUG)
    name: str = ""
    description: str = ""
    roles: list[Role] = Field(min_length=1)


class Build(_Strict):
    """Which competency a resource builds, for whom, and up to which level."""

    competency: str
    from_level: int = Field(ge=1, le=5)
    to_level: int = Field(ge=1, le=5)

    @model_validator(mode="after")
    def _ordered(self) -> "Build":
        if self.from_level > self.to_level:
            raise ValueError(f"from_level {self.from_level} is above to_level {self.to_level}")
        return self


class Resource(_Strict):
    """A development resource from the catalogue: course, mentoring, stretch assignment..."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    type: ResourceType
    description: str = ""
    builds: list[Build] = Field(min_length=1)
    effort_hours: float = Field(ge=0, le=2000)
    duration_weeks: float = Field(gt=0, le=104)
    provider: Literal["internal", "external"] = "internal"

    @property
    def category(self) -> str:
        """experience, relationships or training (the 70/20/10 model)."""
        return RESOURCE_CATEGORY[self.type]


# Wording rules for questions (issue #15: reviewers marked these down in blind panels). SPOKEN_WORDING_RULES hold
# for any question as said (an LLM's too); the bank's templates also may not paste "{competency} skills". A template
# that breaks one is a knowledge problem with file and line, like an unknown slot.
SPOKEN_WORDING_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\brate (?:your|yourself)\b|\bon a scale\b|\bscore yourself\b", re.IGNORECASE),
     "asks for a self-rating (ask for an example instead)"),
    (re.compile(r"\bthe gap you see\b|\byour (?:skill )?gaps?\b|\bweakness(?:es)?\b", re.IGNORECASE),
     "presumes a gap the person has not named"),
)
QUESTION_WORDING_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    SPOKEN_WORDING_RULES[0],
    (re.compile(r"\{competency\}\s+skills?\b", re.IGNORECASE),
     "'{competency} skills' reads as a pasted label ('your business acumen skills'); say the competency alone"),
    SPOKEN_WORDING_RULES[1],
)


class Question(_Strict):
    """A question-bank entry for career conversations."""

    id: str = Field(pattern=SLUG)
    text: str = Field(min_length=5, max_length=300)
    stage: Stage
    theme: str = "general"
    purpose: str = ""
    competencies: list[str] = Field(default_factory=list)
    conversation_types: list[ConversationType] = Field(default_factory=list)
    followups: list[str] = Field(default_factory=list, max_length=3)

    @field_validator("text")
    @classmethod
    def _known_slots(cls, text: str) -> str:
        unknown = set(_SLOT_RE.findall(text)) - QUESTION_SLOTS
        if unknown:
            raise ValueError(f"unknown slot(s) {sorted(unknown)}; allowed: {sorted(QUESTION_SLOTS)}")
        return text

    @field_validator("text", "followups")
    @classmethod
    def _reads_like_a_manager(cls, value: str | list[str]) -> str | list[str]:
        for text in [value] if isinstance(value, str) else value:
            for rule, why in QUESTION_WORDING_RULES:
                if rule.search(text):
                    raise ValueError(f"{why}: {text!r}")
        return value

    @property
    def slots(self) -> set[str]:
        return set(_SLOT_RE.findall(self.text))


class Opportunity(_Strict):
    """A project, opening or stretch assignment inside the organisation that people can put their hand up for."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1, max_length=200)
    kind: OpportunityKind
    description: str = Field(min_length=1, max_length=2000)
    competencies: dict[str, int] = Field(min_length=1, max_length=8,
                                         description="The level (1..5) the work asks for, per competency id.")
    role: str | None = Field(None, description="For openings: the role id of the job that is open.")
    job_family: str | None = Field(None, description="The job family it belongs to, if any.")
    start: date = Field(description="When the work starts.")
    end: date | None = Field(None, description="When it ends (projects and stretch assignments).")
    apply_by: date | None = Field(None, description="The last day to register interest.")
    contact: str = Field(min_length=1, max_length=320, description="A person id from the people file, or an e-mail.")
    time_commitment: str = Field("", max_length=200, description="E.g. '20% of the week for 3 months'.")

    @field_validator("competencies")
    @classmethod
    def _levels_in_range(cls, required: dict[str, int]) -> dict[str, int]:
        bad = {cid: lv for cid, lv in required.items() if not isinstance(lv, int) or not 1 <= lv <= 5}
        if bad:
            raise ValueError(f"levels must be integers 1..5, got {bad}")
        return required

    @field_validator("contact")
    @classmethod
    def _contact_form(cls, contact: str) -> str:
        if not (re.match(SLUG, contact) or re.match(EMAIL, contact)):
            raise ValueError(f"must be a person id (lower-case slug) or an e-mail address, got '{contact}'")
        return contact

    @model_validator(mode="after")
    def _dates(self) -> "Opportunity":
        if self.end is None and self.apply_by is None:
            raise ValueError("give an end date or an apply_by date")
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        if self.apply_by is not None and self.apply_by > (self.end or self.start):
            raise ValueError(f"apply_by {self.apply_by} is after the {'end' if self.end else 'start'}")
        if self.role is not None and self.kind != "opening":
            raise ValueError(f"only openings name a role; this is a {self.kind}")
        return self

    @property
    def closes(self) -> date:
        """The last day it is open to interest: apply_by, else the end."""
        return self.apply_by or self.end or self.start

    def is_past(self, today: date) -> bool:
        """True when its end or its apply-by date is before today."""
        return any(d is not None and d < today for d in (self.end, self.apply_by))


@dataclass(frozen=True)
class Problem:
    """One problem in the knowledge files, located by file and line."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


DOCUMENT_KINDS: tuple[str, ...] = ("role", "competency", "resource", "question", "opportunity")


@dataclass(frozen=True)
class Document:
    """One searchable knowledge item, as the retrieval layer sees it."""

    id: str
    kind: Literal["role", "competency", "resource", "question", "opportunity"]
    title: str
    text: str
    metadata: dict[str, str | int]


class Knowledge:
    """The loaded, cross-checked knowledge of one organisation."""

    def __init__(self, root: Path, families: list[Family], competencies: list[Competency], roles: list[Role],
                 resources: list[Resource], questions: list[Question], job_families: dict[str, str],
                 opportunities: list[Opportunity] | None = None) -> None:
        self.root = root
        self.families = {f.id: f for f in families}
        self.competencies = {c.id: c for c in competencies}
        self.roles = {r.id: r for r in roles}
        self.resources = {r.id: r for r in resources}
        self.questions = {q.id: q for q in questions}
        self.job_families = job_families
        self.opportunities = {o.id: o for o in opportunities or []}

    def role(self, role_id: str) -> Role:
        return self.roles[role_id]

    def competency(self, competency_id: str) -> Competency:
        return self.competencies[competency_id]

    def exists(self, knowledge_id: str) -> bool:
        """Whether an id names any role, competency, resource or question."""
        return any(knowledge_id in table for table in (self.roles, self.competencies, self.resources, self.questions))

    @cached_property
    def role_name_phrases(self) -> list[tuple[str, str, int]]:
        """(role id, " name ", length) for every role title and alias of 3+ characters, as named_roles looks for
        them: normalised once, not on every call (O*NET: 873 roles, 40 ms a call)."""
        phrases = []
        for rid, role in self.roles.items():
            for name in (role.title, *role.aliases):
                key = _NOT_NAME.sub(" ", name.lower()).strip()
                if len(key) >= 3:
                    phrases.append((rid, f" {key} ", len(key)))
        return phrases

    @cached_property
    def documents(self) -> list[Document]:
        """Every item as a search document; the text is what gets embedded and BM25-indexed."""
        docs: list[Document] = []
        for c in self.competencies.values():
            levels = " ".join(f"Level {lv.level} {lv.title}: {' '.join(lv.behaviours)}" for lv in c.levels)
            docs.append(Document(c.id, "competency", c.name,
                                 f"{c.name}. {c.description} Keywords: {', '.join(c.keywords)}. {levels}",
                                 {"kind": "competency", "family": c.family}))
        for r in self.roles.values():
            skills = ", ".join(self.competencies[cid].name for cid in r.core if cid in self.competencies)
            aliases = f" Also called: {', '.join(r.aliases)}." if r.aliases else ""
            docs.append(Document(r.id, "role", r.title,
                                 f"{r.title}.{aliases} {r.summary} {' '.join(r.responsibilities)} Key skills: {skills}.",
                                 {"kind": "role", "job_family": r.job_family, "track": r.track, "level": r.level}))
        for res in self.resources.values():
            names = ", ".join(self.competencies[b.competency].name for b in res.builds if b.competency in self.competencies)
            docs.append(Document(res.id, "resource", res.title,
                                 f"{res.title}. {res.description} Builds: {names}. Type: {res.type}.",
                                 {"kind": "resource", "type": res.type, "category": res.category,
                                  "level": min(b.from_level for b in res.builds)}))
        for q in self.questions.values():
            docs.append(Document(q.id, "question", q.text, f"{q.text} {q.purpose} Theme: {q.theme}.",
                                 {"kind": "question", "stage": q.stage, "theme": q.theme}))
        for o in self.opportunities.values():
            names = ", ".join(self.competencies[cid].name for cid in o.competencies if cid in self.competencies)
            docs.append(Document(o.id, "opportunity", o.title,
                                 f"{o.title}. {o.description} Exercises: {names}. Kind: {o.kind}.",
                                 {"kind": "opportunity", "type": o.kind, "job_family": o.job_family or ""}))
        return docs


# ---------------------------------------------------------------- YAML with line numbers

class _LineDict(dict):
    """A mapping that remembers the line of each key (1-based)."""

    lines: dict[Any, int]
    line: int


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser: several times faster
    """A safe YAML loader whose mappings remember their lines."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    mapping = _LineDict()
    mapping.lines = {}
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    """A date, or the text as written when it is not one (2027-13-01), so validation reports it at its line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class _PlainLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same values without line numbers, several times faster: used first, since valid knowledge needs none."""


_PlainLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """The best line number for a pydantic error location inside raw YAML data."""
    line = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, _LineDict) and part in node:
            line = node.lines.get(part, line)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            line = getattr(node, "line", line)
        else:
            break
    return line


_CACHE_FORMAT = "coach-knowledge-yaml-1"


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    raise TypeError(f"cannot cache {type(value).__name__}")


def _from_json(obj: dict[str, Any]) -> Any:
    if set(obj) == {"__date__"}:
        return date.fromisoformat(obj["__date__"])
    if set(obj) == {"__datetime__"}:
        return datetime.fromisoformat(obj["__datetime__"])
    return obj


def _read_cached(path: Path, cache_dir: Path) -> tuple[bytes, Path, Any]:
    """The file's bytes, its cache file and the parsed value from the cache (None when not cached)."""
    data = path.read_bytes()
    key = hashlib.sha256(_CACHE_FORMAT.encode() + b"\0" + data).hexdigest()
    cached = cache_dir / f"{key}.json"
    try:
        return data, cached, json.loads(cached.read_text(encoding="utf-8"), object_hook=_from_json)
    except (OSError, ValueError):
        return data, cached, None


def _read_yaml(path: Path, problems: list[Problem], rel: str, loader: type = _LineLoader,
               cache_dir: Path | None = None) -> Any:
    """Parsed YAML. Valid files read the fast way may be cached as JSON under `cache_dir`, keyed by their bytes:
    parsing is most of loading a large framework (O*NET's 2 MB: 0.9 s, against 0.05 s from the cache)."""
    try:
        if cache_dir is not None and loader is _PlainLoader:
            data, cached, value = _read_cached(path, cache_dir)
            if value is not None:
                return value
            value = yaml.load(data.decode("utf-8"), Loader=loader)  # noqa: S506 - a SafeLoader subclass
            try:
                cache_dir.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(value, default=_to_json, ensure_ascii=False), encoding="utf-8")
                os.replace(tmp, cached)
            except (OSError, TypeError, ValueError):
                pass  # a value JSON cannot hold, or a read-only data dir: no cache, same result
            return value
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - SafeLoader subclasses
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(rel, mark.line + 1 if mark else None, f"malformed YAML: {getattr(exc, 'problem', exc)}"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, None, f"cannot read file: {exc}"))
    return None


def _parse_list(raw: Any, key: str, model: type[BaseModel], rel: str, problems: list[Problem],
                extra: dict[str, Any] | None = None) -> list[Any]:
    """Validate each item of raw[key] on its own so one bad item does not hide the others."""
    if not isinstance(raw, dict) or not isinstance(raw.get(key), list):
        problems.append(Problem(rel, getattr(raw, "line", None), f"expected a top-level '{key}:' list"))
        return []
    items = []
    singular = f"{key[:-3]}y" if key.endswith("ies") else key[:-1]  # opportunities -> opportunity
    for index, item in enumerate(raw[key]):
        try:
            payload = dict(item) if isinstance(item, dict) else item
            if extra and isinstance(payload, dict):
                payload = {**payload, **extra}
            items.append(model.model_validate(payload))
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"])
                ident = item.get("id", f"#{index + 1}") if isinstance(item, dict) else f"#{index + 1}"
                problems.append(Problem(rel, _line_of(raw, (key, index, *err["loc"])),
                                        f"{singular} '{ident}': {where or 'item'}: {err['msg']}"))
    return items


def _duplicates(items: list[Any], kind: str, rel_of: dict[str, str], problems: list[Problem]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            problems.append(Problem(rel_of.get(item.id, "?"), None, f"duplicate {kind} id '{item.id}'"))
        seen.add(item.id)


def _cross_check(families: list[Family], competencies: list[Competency], roles: list[Role],
                 resources: list[Resource], questions: list[Question], rel_of: dict[str, str],
                 problems: list[Problem]) -> None:
    family_ids = {f.id for f in families}
    competency_ids = {c.id for c in competencies}
    role_ids = {r.id for r in roles}
    for c in competencies:
        if c.family not in family_ids:
            problems.append(Problem(rel_of[c.id], None, f"competency '{c.id}': unknown family '{c.family}'"))
    for r in roles:
        for cid in r.competencies:
            if cid not in competency_ids:
                problems.append(Problem(rel_of[r.id], None, f"role '{r.id}': unknown competency '{cid}'"))
        for link_kind in ("next_roles", "lateral_roles"):
            for target in getattr(r, link_kind):
                if target not in role_ids:
                    problems.append(Problem(rel_of[r.id], None, f"role '{r.id}': {link_kind} links to unknown role '{target}'"))
                elif target == r.id:
                    problems.append(Problem(rel_of[r.id], None, f"role '{r.id}': {link_kind} links to itself"))
    for res in resources:
        for b in res.builds:
            if b.competency not in competency_ids:
                problems.append(Problem(rel_of[res.id], None, f"resource '{res.id}': unknown competency '{b.competency}'"))
    for q in questions:
        for cid in q.competencies:
            if cid not in competency_ids:
                problems.append(Problem(rel_of[q.id], None, f"question '{q.id}': unknown competency '{cid}'"))


def _locate_ids(problems: list[Problem], raw_by_file: dict[str, Any]) -> list[Problem]:
    """Give cross-check problems (found after parsing) the line of the item they name."""
    located = []
    for p in problems:
        if p.line is None and p.file in raw_by_file:
            match = re.search(r"'([a-z0-9-]+)'", p.message)
            line = _find_id_line(raw_by_file[p.file], match.group(1)) if match else None
            p = Problem(p.file, line, p.message)
        located.append(p)
    return located


def _find_id_line(raw: Any, ident: str) -> int | None:
    if isinstance(raw, dict):
        lines = []
        for value in raw.values():
            if isinstance(value, list):
                lines += [item.lines.get("id") for item in value if isinstance(item, _LineDict) and item.get("id") == ident]
        return lines[-1] if lines else None
    return None


def people_ids(path: Path, problems: list[Problem]) -> frozenset[str]:
    """The person ids in a people file (`people: [{id: ...}]`), to check opportunity contacts against."""
    raw = _read_yaml(path, problems, str(path))
    if raw is None:
        return frozenset()
    items = raw.get("people") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        problems.append(Problem(str(path), getattr(raw, "line", None), "expected a top-level 'people:' list"))
        return frozenset()
    return frozenset(str(p["id"]) for p in items if isinstance(p, dict) and "id" in p)


def _check_opportunities(raw: Any, opportunities: list[Opportunity], competency_ids: set[str], roles: dict[str, Role],
                         job_families: dict[str, str], people: frozenset[str] | None, rel: str,
                         problems: list[Problem]) -> None:
    """Unknown competencies, roles, job families and contacts, each at the line that names it."""
    listed = raw.get("opportunities") if isinstance(raw, dict) else None
    raw_items = {item.get("id"): item for item in listed or [] if isinstance(item, _LineDict)}

    def line(o: Opportunity, *keys: Any) -> int | None:
        return _line_of(raw_items.get(o.id), keys)

    for o in opportunities:
        for cid in o.competencies:
            if cid not in competency_ids:
                problems.append(Problem(rel, line(o, "competencies", cid),
                                        f"opportunity '{o.id}': unknown competency '{cid}'"))
        if o.role is not None and o.role not in roles:
            problems.append(Problem(rel, line(o, "role"), f"opportunity '{o.id}': unknown role '{o.role}'"))
        if o.job_family is not None and o.job_family not in job_families:
            problems.append(Problem(rel, line(o, "job_family"),
                                    f"opportunity '{o.id}': unknown job family '{o.job_family}'"))
        if people is not None and "@" not in o.contact and o.contact not in people:
            problems.append(Problem(rel, line(o, "contact"),
                                    f"opportunity '{o.id}': contact '{o.contact}' is not a person in the people file"))


def _collect(root: Path, people_file: Path | None = None,
             cache_dir: Path | None = None) -> tuple[Knowledge | None, list[Problem]]:
    """Valid knowledge needs no line numbers: read it the fast way, and again with lines only to report problems."""
    knowledge, problems = _collect_with(root, people_file, _PlainLoader, cache_dir)
    if problems:
        knowledge, problems = _collect_with(root, people_file, _LineLoader)
    return knowledge, problems


def _collect_with(root: Path, people_file: Path | None, loader: type,
                  cache_dir: Path | None = None) -> tuple[Knowledge | None, list[Problem]]:
    problems: list[Problem] = []
    if not root.is_dir():
        return None, [Problem(str(root), None, "knowledge directory does not exist")]
    raw_by_file: dict[str, Any] = {}
    rel_of: dict[str, str] = {}

    def read(path: Path) -> tuple[str, Any]:
        rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        raw_by_file[rel] = _read_yaml(path, problems, rel, loader, cache_dir)
        return rel, raw_by_file[rel]

    families: list[Family] = []
    competencies: list[Competency] = []
    comp_path = root / "competencies.yaml"
    if comp_path.exists():
        rel, raw = read(comp_path)
        if raw is not None:
            families = _parse_list(raw, "families", Family, rel, problems)
            competencies = _parse_list(raw, "competencies", Competency, rel, problems)
            rel_of.update({c.id: rel for c in [*families, *competencies]})
    else:
        problems.append(Problem("competencies.yaml", None, "missing: the competency model is required"))

    roles: list[Role] = []
    job_families: dict[str, str] = {}
    role_files = sorted((root / "roles").glob("*.y*ml")) if (root / "roles").is_dir() else []
    if not role_files:
        problems.append(Problem("roles/", None, "missing: at least one roles/<family>.yaml is required"))
    for path in role_files:
        rel, raw = read(path)
        if raw is None:
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("job_family"), str):
            problems.append(Problem(rel, getattr(raw, "line", 1), "expected 'job_family:' and 'roles:' at the top level"))
            continue
        family = raw["job_family"]
        job_families[family] = raw.get("name") or family
        file_roles = _parse_list(raw, "roles", Role, rel, problems, extra={"job_family": family})
        roles += file_roles
        rel_of.update({r.id: rel for r in file_roles})

    resources: list[Resource] = []
    questions: list[Question] = []
    for name, key, model, sink in (("resources.yaml", "resources", Resource, resources),
                                   ("questions.yaml", "questions", Question, questions)):
        if (root / name).exists():
            rel, raw = read(root / name)
            if raw is not None:
                parsed = _parse_list(raw, key, model, rel, problems)
                sink += parsed
                rel_of.update({item.id: rel for item in parsed})

    opportunities: list[Opportunity] = []
    if (root / "opportunities.yaml").exists():
        rel, raw = read(root / "opportunities.yaml")
        if raw is not None:
            opportunities = _parse_list(raw, "opportunities", Opportunity, rel, problems)
            rel_of.update({o.id: rel for o in opportunities})
            people = people_ids(people_file, problems) if people_file is not None else None
            _check_opportunities(raw, opportunities, {c.id for c in competencies}, {r.id: r for r in roles},
                                 job_families, people, rel, problems)

    cross: list[Problem] = []
    for items, kind in ((families, "family"), (competencies, "competency"), (roles, "role"),
                        (resources, "resource"), (questions, "question"), (opportunities, "opportunity")):
        _duplicates(items, kind, rel_of, cross)
    _cross_check(families, competencies, roles, resources, questions, rel_of, cross)
    problems += _locate_ids(cross, raw_by_file)
    if problems:
        return None, problems
    return Knowledge(root, families, competencies, roles, resources, questions, job_families, opportunities), []


def check_knowledge(root: Path, people_file: Path | None = None) -> list[Problem]:
    """Every problem in a knowledge directory, all at once (empty when valid).

    With `people_file`, opportunity contacts that are person ids must be people in it.
    """
    return _collect(Path(root), people_file)[1]


def load_knowledge(root: Path, people_file: Path | None = None, *, cache_dir: Path | None = None) -> Knowledge:
    """Load and cross-check a knowledge directory; raise InvalidKnowledge listing every problem."""
    knowledge, problems = _collect(Path(root), people_file, cache_dir)
    if knowledge is None:
        raise InvalidKnowledge([str(p) for p in problems])
    return knowledge


_NOT_NAME = re.compile(r"[^a-z0-9&+ ]+")  # what named_roles ignores in names and texts


def named_roles(knowledge: Knowledge, text: str) -> set[str]:
    """Roles whose title or alias appears in the text as a whole phrase (longest names win)."""
    lowered = f" {_NOT_NAME.sub(' ', text.lower())} "
    found: dict[str, int] = {}
    for rid, phrase, length in knowledge.role_name_phrases:
        if phrase in lowered:
            found[rid] = max(found.get(rid, 0), length)
    if not found:
        return set()
    longest = max(found.values())
    # "senior engineering manager" should not also count as "engineering manager".
    return {rid for rid, length in found.items() if length == longest}

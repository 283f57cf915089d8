"""Loads `vocabulary.yaml`, the rules of the feedback-language check, and reports every problem as file:line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from coach.errors import InvalidKnowledge
from coach.knowledge import Problem

VOCABULARY_FILE = Path(__file__).parent / "vocabulary.yaml"
PATTERN_LISTS = ("prescriptive", "behaviour", "impact")


@dataclass(frozen=True)
class Rule:
    """One compiled pattern with the name it is reported under (`<list>:<line>` or a judgement id)."""

    name: str
    regex: re.Pattern[str]
    hint: str = ""


@dataclass(frozen=True)
class Vocabulary:
    """Every rule of the check, compiled: traits, judgement phrasings and the three component lists."""

    traits: tuple[Rule, ...]
    judgements: tuple[Rule, ...]
    prescriptive: tuple[Rule, ...]
    behaviour: tuple[Rule, ...]
    impact: tuple[Rule, ...]


def _compile(pattern: Any, rel: str, line: int, problems: list[Problem]) -> re.Pattern[str] | None:
    if not isinstance(pattern, str) or not pattern.strip():
        problems.append(Problem(rel, line, "expected a non-empty pattern string"))
        return None
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        problems.append(Problem(rel, line, f"pattern does not compile: {exc}"))
        return None


def _mapping(node: yaml.Node) -> dict[str, yaml.Node]:
    return {k.value: v for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}


def parse_vocabulary(text: str, rel: str = "coach/feedback/vocabulary.yaml") -> tuple[Vocabulary | None, list[Problem]]:
    """Parse and compile the vocabulary; problems carry the file and line of the item at fault."""
    problems: list[Problem] = []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(rel, mark.line + 1 if mark else None, f"malformed YAML: {getattr(exc, 'problem', exc)}")]
    top = _mapping(root) if root is not None else {}
    for key in ("traits", "judgements", *PATTERN_LISTS):
        if not isinstance(top.get(key), yaml.SequenceNode):
            problems.append(Problem(rel, 1, f"expected a top-level '{key}:' list"))
    if problems:
        return None, problems
    traits, judgements = [], []
    for item in top["traits"].value:
        line, fields = item.start_mark.line + 1, _mapping(item)
        word, instead = fields.get("word"), fields.get("instead")
        if word is None or instead is None or not str(instead.value).strip():
            problems.append(Problem(rel, line, "trait: needs 'word' and 'instead'"))
            continue
        regex = _compile(rf"\b(?:are|is|was|were|be|being|you're|you are|seem\w*|such an?)\s+(?:\w+\s+){{0,2}}?"
                         rf"(?P<word>{word.value})\b(?!\s+to\b)", rel, line, problems)
        if regex is not None:
            traits.append(Rule(f"trait:{word.value}", regex, str(instead.value)))
    for item in top["judgements"].value:
        line, fields = item.start_mark.line + 1, _mapping(item)
        if not all(k in fields for k in ("id", "pattern", "hint")):
            problems.append(Problem(rel, line, "judgement: needs 'id', 'pattern' and 'hint'"))
            continue
        regex = _compile(fields["pattern"].value, rel, fields["pattern"].start_mark.line + 1, problems)
        if regex is not None:
            judgements.append(Rule(f"judgement:{fields['id'].value}", regex, str(fields["hint"].value)))
    lists: dict[str, list[Rule]] = {}
    for key in PATTERN_LISTS:
        lists[key] = []
        for item in top[key].value:
            line = item.start_mark.line + 1
            regex = _compile(getattr(item, "value", None), rel, line, problems)
            if regex is not None:
                lists[key].append(Rule(f"{key}:{line}", regex))
    if problems:
        return None, problems
    return Vocabulary(tuple(traits), tuple(judgements), *(tuple(lists[k]) for k in PATTERN_LISTS)), problems


@lru_cache(maxsize=1)
def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    """The shipped vocabulary, compiled once; InvalidKnowledge lists its problems as file:line."""
    vocabulary, problems = parse_vocabulary(path.read_text(encoding="utf-8"))
    if vocabulary is None:
        raise InvalidKnowledge([str(p) for p in problems])
    return vocabulary

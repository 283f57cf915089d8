"""Word lists the stages share, loaded once from vocabulary.yaml next to this module."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")


@cache
def vocabulary() -> dict[str, Any]:
    """The parsed vocabulary file (read once per process)."""
    return yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))


def words(key: str) -> set[str]:
    """One word list of the vocabulary as a set."""
    return set(vocabulary()[key])


def alternation(key: str) -> str:
    """One pattern list of the vocabulary as a regex alternation, in file order (order matters to a regex)."""
    return "(?:" + "|".join(vocabulary()[key]) + ")"


_ACTION_VERBS = words("action_verbs")
_NOT_ACTIONS = words("descriptive_verbs")
_NOT_A_PERSON = words("not_a_person")
_PRONOUNS: dict[str, str] = dict(vocabulary()["pronoun_roles"])
_NOT_INITIALS = words("not_initials")
_NOT_NICKNAMES = words("not_nicknames")
_TITLE_FILLERS = words("title_fillers")
_RUN_ON_KEEP = words("run_on_keep")
_EVENT_VERBS = words("event_verbs")
_IRREGULAR_PARTICIPLES: dict[str, str] = dict(vocabulary()["irregular_participles"])

"""Every labelled note runs on every build: a case that was right and is wrong now fails it."""

from __future__ import annotations

import json

from tests.notes_ratchet import RATCHET_FILE, compare, current_misses, labelled_files


def test_no_labelled_note_regresses_and_fixed_misses_are_recorded() -> None:
    assert not any(p.name.endswith("_heldout.jsonl") for p in labelled_files())
    known = json.loads(RATCHET_FILE.read_text(encoding="utf-8"))
    regressions, fixes = compare(known, current_misses())
    assert not regressions, "new misses (a regression):\n" + "\n".join(regressions)
    assert not fixes, ("known misses now fixed: run `python tests/notes_ratchet.py --update` and commit "
                       "tests/data/notes_ratchet.json:\n" + "\n".join(fixes))


def test_compare_names_regressions_and_fixes() -> None:
    known = {"a.jsonl:1": ["missed: x | y | None"]}
    assert compare(known, known) == ([], [])
    assert compare(known, {}) == ([], ["a.jsonl:1: missed: x | y | None"])
    assert compare({}, known) == (["a.jsonl:1: missed: x | y | None"], [])

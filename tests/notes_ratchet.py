"""The ratchet over every labelled note: known misses per case live in tests/data/notes_ratchet.json.

`python tests/notes_ratchet.py --update` rewrites the file from the engine as it is now; run it when a test
says a known miss was fixed (and check with `git diff` that only fixes changed). The held-out real notes are
never read here: they are the lead's final measure.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from evals.harness import DATASETS_DIR, load_jsonl
from evals.suites.summaries import _score

RATCHET_FILE = Path(__file__).parent / "data" / "notes_ratchet.json"


def labelled_files() -> list[Path]:
    """The summaries datasets and the real notes' dev files (never *_heldout.jsonl)."""
    real = sorted((DATASETS_DIR / "real_notes").glob("*_dev.jsonl"))
    return sorted(DATASETS_DIR.glob("summaries*.jsonl")) + real


def _misses(detail: dict[str, Any]) -> list[str]:
    def show(c: dict[str, Any]) -> str:
        return f"{c['owner']} | {c['action']} | {c['due']}"

    found = [f"missed: {show(c)}" for c in detail["missed"]]
    found += [f"extra: {show(c)}" for c in detail["false_positives"]]
    check_in = detail["next_check_in"]
    if check_in["got"] != check_in["gold"]:
        found.append(f"check-in: got {check_in['got']}, gold {check_in['gold']}")
    return sorted(found)


def current_misses() -> dict[str, list[str]]:
    """{"file:case id": sorted misses} for every labelled case the engine does not get fully right."""
    result: dict[str, list[str]] = {}
    for path in labelled_files():
        cases = load_jsonl(path)
        for case, detail in zip(cases, _score(cases).cases):
            misses = _misses(detail)
            if misses:
                result[f"{path.name}:{case['id']}"] = misses
    return result


def compare(known: dict[str, list[str]], now: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """(regressions, fixes): misses that are new, and known misses that are gone."""
    regressions = [f"{case}: {m}" for case, misses in sorted(now.items()) for m in misses
                   if m not in known.get(case, [])]
    fixes = [f"{case}: {m}" for case, misses in sorted(known.items()) for m in misses if m not in now.get(case, [])]
    return regressions, fixes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true", help="Rewrite the known misses from the engine as it is.")
    args = parser.parse_args()
    now = current_misses()
    if args.update:
        RATCHET_FILE.write_text(json.dumps(now, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{RATCHET_FILE}: {sum(map(len, now.values()))} known misses in {len(now)} cases")
        return
    regressions, fixes = compare(json.loads(RATCHET_FILE.read_text(encoding="utf-8")), now)
    print("\n".join([*(f"REGRESSION {r}" for r in regressions), *(f"fixed {f}" for f in fixes)]) or "no change")


if __name__ == "__main__":
    main()

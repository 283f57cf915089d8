"""Build one round of the blind question panel (issue #15): Coach's set for each profile beside the published set,
in random order per profile, as a sheet for reviewers who see neither the code nor which set is which.

Run: python -m evals.panel.make_round --round 1
Writes evals/datasets/panel/round<N>_sheet.md (what reviewers read) and round<N>_key.json (which set is Coach's,
and Coach's full answer with sources). Reviewers get only the sheet.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from coach.engine import Engine
from coach.questions.arc import QuestionRequest
from coach.questions.service import questions
from coach.settings import get_settings

PANEL = Path(__file__).resolve().parents[1] / "datasets" / "panel"


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--round", type=int, default=1)
    parser.add_argument("--profiles", type=Path, default=PANEL / "profiles.jsonl")
    parser.add_argument("--published", type=Path, default=PANEL / "published_sets.jsonl")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    engine = Engine(get_settings())
    published = {row["profile"]: row["questions"] for row in _lines(args.published)}
    rng = random.Random(args.seed)
    sheet = [f"# Career-conversation question sets, round {args.round}", "",
             "For each employee below there are two sets of 8 questions a manager could ask in a career "
             "conversation. Read the profile, then both sets.", ""]
    key = []
    for profile in _lines(args.profiles):
        answer = questions(engine, QuestionRequest(name=profile["name"], role=profile["role"],
                                                   aspiration=profile["aspiration"], context=profile["context"],
                                                   count=8))
        coach = [q.text for q in answer.questions]
        other = [q["text"] for q in published[profile["id"]]]
        coach_is_a = rng.random() < 0.5
        first, second = (coach, other) if coach_is_a else (other, coach)
        sheet += [f"## {profile['id']}: {profile['name']}, {profile['role']}", "",
                  f"**In their words:** {profile['aspiration']}", "", f"**Recent context:** {profile['context']}", ""]
        for label, items in (("A", first), ("B", second)):
            sheet += [f"### Set {label}", ""] + [f"{i}. {text}" for i, text in enumerate(items, 1)] + [""]
        key.append({"profile": profile["id"], "kind": profile.get("kind"), "coach": "A" if coach_is_a else "B",
                    "coach_answer": answer.model_dump(mode="json"), "published": published[profile["id"]]})
    (PANEL / f"round{args.round}_sheet.md").write_text("\n".join(sheet))
    (PANEL / f"round{args.round}_key.json").write_text(json.dumps(key, indent=1) + "\n")
    print(f"round {args.round}: {len(key)} profiles -> {PANEL}/round{args.round}_sheet.md (+ key)")


if __name__ == "__main__":
    main()

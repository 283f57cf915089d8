"""Feedback as evidence, a worked example: link real feedback texts to competency levels and print what was linked.

The texts are the first 20 dev examples labelled `behaviour: true` (evals/datasets/feedback/dev.jsonl, file order,
chosen before the linking ran). There is no gold competency per text: a person reads each link and says whether it
is right (evals/datasets/feedback/evidence_review.jsonl). Run: python -m evals.feedback_evidence [--out FILE].
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from coach.feedback.evidence import link_text
from evals.common import eval_engine
from evals.harness import RESULTS_DIR, load_jsonl

DEV = Path(__file__).resolve().parent / "datasets" / "feedback" / "dev.jsonl"
COUNT = 20
ROLE = "senior-software-engineer"  # the worked example gives the feedback to Lena Fischer, a senior engineer


def chosen(skip: int = 0) -> list[dict]:
    """COUNT dev examples that describe a behaviour, after the first `skip` of them."""
    return [row for row in load_jsonl(DEV) if row["behaviour"]][skip:skip + COUNT]


def main() -> None:
    """Link each chosen text and write the links as JSON (one entry per text)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "feedback_evidence.json")
    parser.add_argument("--role", default=ROLE, help="Link within this role's competencies ('' for all of them).")
    parser.add_argument("--skip", type=int, default=0, help="Start after this many chosen texts.")
    args = parser.parse_args()
    engine = eval_engine()
    scope = set(engine.knowledge.roles[args.role].competencies) if args.role else None
    out = []
    for row in chosen(args.skip):
        links = link_text(engine, row["text"], scope=scope)
        out.append({"id": row["id"], "text": row["text"],
                    "links": [link.model_dump(include={"quote", "competency_id", "level", "polarity", "similarity",
                                                       "behaviour"}) for link in links]})
        print(f"{row['id']}: {row['text'][:110]}")
        for link in links:
            print(f"   -> {link.competency_id} L{link.level} {link.polarity} ({link.similarity:.2f}) "
                  f"\"{link.quote[:80]}\" ~ \"{link.behaviour[:80]}\"")
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

"""Score one round of the blind panel: which set each reviewer preferred, unblinded with the key.

Run: python -m evals.panel.score --round 1
Reads evals/datasets/panel/round<N>_key.json and round<N>_verdicts/*.json; prints a table and writes
evals/results/panel_round<N>.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parents[2]
PANEL = ROOT / "evals" / "datasets" / "panel"
ASPECTS = ("fit", "wording", "coaching")
HARD_KINDS = ("exploring", "torn", "stepping-back", "tired")


def score(key: list[dict], reviews: list[dict]) -> dict:
    """Per profile: votes for Coach and the majority; per set: mean 1-5 scores; the hard kinds apart."""
    coach_label = {k["profile"]: k["coach"] for k in key}
    kinds = {k["profile"]: k.get("kind") for k in key}
    rows = []
    scores: dict[str, dict[str, list[int]]] = {"coach": {a: [] for a in ASPECTS}, "published": {a: [] for a in ASPECTS}}
    for profile, label in coach_label.items():
        other = "B" if label == "A" else "A"
        votes = 0
        for review in reviews:
            verdict = next(v for v in review["verdicts"] if v["profile"] == profile)
            votes += verdict["choice"] == label
            for aspect in ASPECTS:
                scores["coach"][aspect].append(verdict[label][aspect])
                scores["published"][aspect].append(verdict[other][aspect])
        rows.append({"profile": profile, "kind": kinds[profile], "coach_votes": votes, "reviewers": len(reviews),
                     "coach_won": votes * 2 > len(reviews)})
    hard = [r for r in rows if r["kind"] in HARD_KINDS]
    return {"profiles": len(rows), "reviewers": len(reviews), "coach_won": sum(r["coach_won"] for r in rows),
            "hard_profiles": len(hard), "coach_won_hard": sum(r["coach_won"] for r in hard),
            "means": {who: {a: round(mean(v), 2) for a, v in s.items()} for who, s in scores.items()}, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--round", type=int, default=1)
    args = parser.parse_args()
    key = json.loads((PANEL / f"round{args.round}_key.json").read_text())
    reviews = [json.loads(p.read_text()) for p in sorted((PANEL / f"round{args.round}_verdicts").glob("*.json"))]
    result = score(key, reviews)
    out = ROOT / "evals" / "results" / f"panel_round{args.round}.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"round {args.round}: {result['reviewers']} reviewers, {result['profiles']} profiles")
    print(f"Coach preferred (majority) on {result['coach_won']} of {result['profiles']}; on the unsure, torn, "
          f"stepping-back and tired profiles {result['coach_won_hard']} of {result['hard_profiles']}")
    print(f"{'':<10} {'fit':>5} {'wording':>8} {'coaching':>9}")
    for who, m in result["means"].items():
        print(f"{who:<10} {m['fit']:>5} {m['wording']:>8} {m['coaching']:>9}")
    for r in result["rows"]:
        print(f"  {r['profile']} {r['kind']:<14} Coach votes {r['coach_votes']}/{r['reviewers']}")
    print(f"written: {out}")


if __name__ == "__main__":
    main()

"""Development maps: from an aspiration to prioritised gaps, dated actions and check-ins."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from coach.engine import Engine
from coach.errors import InvalidInput
from coach.growth.gaps import Gap, GapAnalysis, Strength, analyse_gaps, normalise_ratings
from coach.growth.mapdiff import MapDiff
from coach.growth.metrics import CompetencyMetrics, map_metrics
from coach.knowledge import Knowledge, Resource, Role
from coach.growth.gaps import classify_move
from coach.growth.paths import CandidateRole, RoleRef, estimate_months, rank_target_roles, role_ref, shortest_chain
from coach.templating import render_document

MAX_ACTIONS_PER_GAP = 3
MAX_PRIORITY_GAPS = 5
CATEGORY_ORDER = ("experience", "relationships", "training")  # 70/20/10: experience is chosen first
SEQUENCE = {"training": 0, "relationships": 1, "experience": 2}  # learn, then be guided, then apply


class Action(BaseModel):
    """One concrete development action from the catalogue, with a milestone and a due date."""

    resource_id: str
    title: str
    type: str
    category: Literal["experience", "relationships", "training"]
    competency_id: str
    competency: str
    owner: Literal["employee", "manager"]
    milestone: str = Field(description="What will be observable when this is done (from the target level's behaviours).")
    start: date
    due: date
    effort_hours: float


class CheckIn(BaseModel):
    """A planned check-in on the map's progress."""

    date: date
    focus: str


class DevelopmentMap(BaseModel):
    """The plan: target role, gaps, strengths, dated actions and check-ins."""

    employee: str | None = None
    current_role: RoleRef
    target_role: RoleRef
    candidates: list[CandidateRole]
    horizon_months: int
    start: date
    end: date
    gaps: list[Gap]
    strengths: list[Strength]
    disagreements: list[dict[str, int | str]]
    actions: list[Action]
    check_ins: list[CheckIn]
    gaps_outside_horizon: list[str] = Field(default_factory=list, description="Competency ids whose actions do not fit.")
    stretch_goals: list[Action] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    narrative: str | None = Field(None, description="A one-paragraph narrative drafted by the LLM, when one is configured and valid.")
    markdown: str = ""
    source: Literal["rules", "llm"] = Field("rules", description="'llm' when an LLM-drafted narrative was accepted.")
    llm_rejected: str | None = None
    aspiration: str = Field("", description="The aspiration the map was built from (empty for older maps).")
    ratings: dict[str, dict[str, int | None]] = Field(
        default_factory=dict, description="The ratings given, {competency: {self, manager}}, for a re-plan to reuse.")
    metrics: list[CompetencyMetrics] = Field(
        default_factory=list, description="Per gap competency: measurable indicators with baseline, target, current.")
    diff: MapDiff | None = Field(None, description="What changed from the previous version, for a re-planned map.")


def add_months(start: date, months: int) -> date:
    """`start` plus whole months, clamped to the month's last day."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _matching_resources(knowledge: Knowledge, gap: Gap, max_weeks: float) -> list[Resource]:
    """Resources that build the competency from the current level toward the required one and fit the horizon."""
    scored = []
    for res in knowledge.resources.values():
        for b in res.builds:
            if b.competency != gap.competency_id or b.to_level <= gap.current or res.duration_weeks > max_weeks:
                continue
            # Prefer resources aimed at the person's level that reach the target level.
            fit = abs(b.from_level - max(gap.current, 1)) + max(0, gap.required - b.to_level)
            scored.append((fit, CATEGORY_ORDER.index(res.category), res.duration_weeks, res.id, res))
    scored.sort(key=lambda t: t[:4])
    return [row[-1] for row in scored]


def _pick_mix(candidates: list[Resource], want: int) -> list[Resource]:
    """Up to `want` resources, one per category first (experience, relationships, training)."""
    chosen: list[Resource] = []
    for category in CATEGORY_ORDER:
        for res in candidates:
            if res.category == category and res not in chosen:
                chosen.append(res)
                break
        if len(chosen) >= want:
            break
    for res in candidates:
        if len(chosen) >= want:
            break
        if res not in chosen:
            chosen.append(res)
    return chosen[:want]


def _milestone(knowledge: Knowledge, gap_cid: str, level: int, resource: Resource) -> str:
    behaviour = knowledge.competencies[gap_cid].level(level).behaviours[0].rstrip(".")
    evidence = {"experience": "in the assignment's outcome", "relationships": "in examples agreed with the mentor or host",
                "training": "by applying it in at least one piece of real work"}[resource.category]
    return (f"{resource.title} completed, and at least two observed examples of level {level} "
            f"({knowledge.competencies[gap_cid].level(level).title}): \"{behaviour}\", shown {evidence}.")


def _owner(resource: Resource) -> Literal["employee", "manager"]:
    # Stretch assignments and introductions need the manager to open the door; learning is the employee's.
    return "manager" if resource.type in ("stretch-assignment", "shadowing") else "employee"


def _schedule(knowledge: Knowledge, gaps: list[Gap], start: date, end: date) -> tuple[list[Action], list[str]]:
    """Actions per gap, in sequence within a gap; at most MAX_PRIORITY_GAPS gaps are worked on at once.

    The first gaps by priority start at once (a little staggered); each further gap starts when one of them is done,
    so a long horizon covers more gaps instead of ending its actions early. A gap is outside the horizon only when
    none of its actions can finish before the end.
    """
    actions: list[Action] = []
    outside: list[str] = []
    # When each of the parallel lanes is free again; lower-priority gaps start a little later so the first weeks
    # are not overloaded.
    lanes = [start + timedelta(weeks=2 * lane) for lane in range(MAX_PRIORITY_GAPS)]
    for gap in gaps:
        lane = min(range(len(lanes)), key=lambda i: (lanes[i], i))
        cursor = lanes[lane]
        want = min(MAX_ACTIONS_PER_GAP, max(1, gap.delta + (1 if gap.weight > 1 else 0)))
        matching = _matching_resources(knowledge, gap, (end - cursor).days / 7 if cursor < end else 0)
        # One resource once: "pair with a staff engineer" twice in a plan reads as a mistake.
        used = {a.resource_id for a in actions}
        fresh = [res for res in matching if res.id not in used]
        picked = _pick_mix(fresh or matching, want)
        fitted = 0
        for res in sorted(picked, key=lambda r: SEQUENCE[r.category]):
            due = cursor + timedelta(weeks=res.duration_weeks)
            if due > end:
                continue
            actions.append(Action(resource_id=res.id, title=res.title, type=res.type, category=res.category,
                                  competency_id=gap.competency_id, competency=gap.competency, owner=_owner(res),
                                  milestone=_milestone(knowledge, gap.competency_id, gap.required, res),
                                  start=cursor, due=due, effort_hours=res.effort_hours))
            cursor = due
            fitted += 1
        if fitted == 0:
            outside.append(gap.competency_id)
        else:
            lanes[lane] = cursor
    actions.sort(key=lambda a: (a.due, a.start, a.resource_id))
    return actions, outside


def _check_ins(start: date, end: date, actions: list[Action]) -> list[CheckIn]:
    every = 4 if (end - start).days <= 190 else 6  # short plans need closer follow-up
    check_ins = []
    when = start + timedelta(weeks=every)
    while when <= end:
        due_since = [a.title for a in actions if when - timedelta(weeks=every) < a.due <= when]
        focus = f"Review: {', '.join(due_since)}" if due_since else "Progress on the open actions and any blockers"
        check_ins.append(CheckIn(date=when, focus=focus))
        when += timedelta(weeks=every)
    if not check_ins or check_ins[-1].date != end:
        check_ins.append(CheckIn(date=end, focus="End of plan: review the milestones against the target role"))
    return check_ins


def _stretch_goals(knowledge: Knowledge, analysis: GapAnalysis, start: date, end: date) -> list[Action]:
    """For someone with no gaps: grow the strongest competencies one level further."""
    goals = []
    for strength in analysis.strengths[:3]:
        if strength.current >= 5:
            continue
        pseudo = Gap(competency_id=strength.competency_id, competency=strength.competency, current=strength.current,
                     required=strength.current + 1, delta=1, assumed=strength.assumed, weight=1.0, priority=1.0,
                     required_behaviours=knowledge.competencies[strength.competency_id].level(strength.current + 1).behaviours)
        actions, _ = _schedule(knowledge, [pseudo], start, end)
        goals += actions[:1]
    return goals


def build_development_map(engine: Engine, current_role: str, *, aspiration: str = "", target_role: str | None = None,
                          ratings: dict | None = None, horizon_months: int = 12, start: date | None = None,
                          employee: str | None = None) -> DevelopmentMap:
    """A dated development map toward the target role (or the best role for the aspiration)."""
    if not 1 <= horizon_months <= 60:
        raise InvalidInput("horizon_months: must be between 1 and 60", field="horizon_months")
    if not target_role and not aspiration.strip():
        raise InvalidInput("aspiration: give an aspiration or a target_role", field="aspiration")
    knowledge = engine.knowledge
    current = engine.resolve_role(current_role, field="current_role")
    rating_map = normalise_ratings(ratings)
    unknown = [cid for cid in rating_map if cid not in knowledge.competencies]
    if unknown:
        engine.resolve_competency(unknown[0], field=f"ratings.{unknown[0]}")
    candidates = rank_target_roles(engine, current, aspiration, top=3)
    if target_role:
        target = engine.resolve_role(target_role, field="target_role")
    elif candidates:
        target = knowledge.roles[candidates[0].id]
    else:
        raise InvalidInput("aspiration: no role matches it; name a target_role", field="aspiration")
    start = start or date.today()
    end = add_months(start, horizon_months)
    analysis = analyse_gaps(knowledge, current, target, rating_map)
    actions, outside = _schedule(knowledge, analysis.gaps, start, end)
    notes = _notes(current, target, analysis, outside, knowledge)
    feasibility = _feasibility(knowledge, current, target, analysis, rating_map, horizon_months)
    if feasibility:
        notes.insert(0, feasibility)
    stretch = _stretch_goals(knowledge, analysis, start, end) if not analysis.gaps else []
    dev_map = DevelopmentMap(
        employee=employee, current_role=role_ref(current), target_role=role_ref(target), candidates=candidates,
        horizon_months=horizon_months, start=start, end=end, gaps=analysis.gaps, strengths=analysis.strengths,
        disagreements=analysis.disagreements, actions=actions, check_ins=_check_ins(start, end, actions),
        gaps_outside_horizon=outside, stretch_goals=stretch, notes=notes, aspiration=aspiration,
        ratings={cid: r.model_dump() for cid, r in sorted(rating_map.items())},
        metrics=map_metrics(knowledge, analysis.gaps[:MAX_PRIORITY_GAPS]),  # the gaps the plan acts on
    )
    dev_map.markdown = render_document("development_map.md", map=dev_map)
    return dev_map


def _years(months: float) -> str:
    """Months as a range of years a person can hold on to: 38 -> "3-4 years", 14 -> "1-1.5 years"."""
    low, high = months * 0.8 / 12, months * 1.25 / 12
    def half(value: float) -> str:
        rounded = max(0.5, round(value * 2) / 2)
        return f"{rounded:g}"
    lo, hi = half(low), half(high)
    return f"about {lo} year{'s' if lo != '1' else ''}" if lo == hi else f"{lo}-{hi} years"


def _feasibility(knowledge: Knowledge, current: Role, target: Role, analysis: GapAnalysis, ratings: dict,
                 horizon_months: int) -> str | None:
    """An honest note when the target is far: how many steps, the typical time, and what this plan covers.

    Steps come from the role graph (the roles people move through); the time adds up each step's estimate from
    the size of its gaps (the same estimate the career paths show), so a three-step target reads as years, not as
    the months one plan lasts."""
    if not analysis.gaps:
        return None
    chain = shortest_chain(knowledge, current.id, target.id)
    if chain:
        months, before = 0.0, current
        for i, rid in enumerate(chain):
            role = knowledge.roles[rid]
            step_gaps = analysis.gaps if len(chain) == 1 else \
                analyse_gaps(knowledge, before, role, {} if i else ratings).gaps
            months += estimate_months(knowledge, step_gaps, classify_move(before, role))
            before = role
    else:
        months = estimate_months(knowledge, analysis.gaps, classify_move(current, target))
    if months <= horizon_months and (chain is None or len(chain) < 2):
        return None
    levels = sum(max(0, g.required - g.current) for g in analysis.gaps)
    if chain is None:
        return (f"{target.title} is a change of field from {current.title}: no path of up to three moves on the "
                "role graph leads there without passing through another field, and there are "
                f"{levels} competency levels to gain. Typical time: {_years(months)}. This {horizon_months}-month "
                "plan starts on the largest gaps; revisit it at every check-in.")
    if len(chain) >= 2:
        via = " then ".join(knowledge.roles[r].title for r in chain)
        first = knowledge.roles[chain[0]].title
        covers = (f"This {horizon_months}-month plan covers the start: the first step is {first}, and the map is worth "
                  "re-planning when it is reached." if months > horizon_months else
                  f"The {horizon_months} months leave room for it at a typical pace; re-plan when {first} is reached.")
        return (f"{target.title} is {len(chain)} steps from {current.title} ({via}); typical time {_years(months)} "
                f"for {levels} competency levels. {covers}")
    return (f"{target.title} is one step from {current.title}, but {levels} competency levels to gain take "
            f"{_years(months)} at a typical pace, longer than this {horizon_months}-month plan: it starts on the "
            "largest gaps, and the map is worth re-planning at the end of it.")


def _notes(current: Role, target: Role, analysis: GapAnalysis, outside: list[str], knowledge: Knowledge) -> list[str]:
    notes = []
    if target.id == current.id or target.level < current.level or (target.level == current.level and not analysis.gaps):
        lateral = ", ".join(knowledge.roles[r].title for r in current.lateral_roles[:3])
        up = ", ".join(knowledge.roles[r].title for r in current.next_roles[:2])
        notes.append(f"{target.title} is at or below the current level of {current.title}. "
                     f"For growth consider a step up ({up or 'none listed'}) or a lateral move ({lateral or 'none listed'}).")
    if not analysis.gaps:
        notes.append("No competency gaps for the target role: the plan sets stretch goals on the strongest competencies.")
    if not knowledge.resources:
        notes.append("The knowledge has no catalogue of development actions (resources.yaml), so the map has gaps and "
                     "milestones but no dated actions: add a catalogue (knowledge/resources.yaml is an example).")
    elif outside:
        names = ", ".join(knowledge.competencies[c].name for c in outside)
        notes.append(f"Not covered inside the horizon: {names}. Extend the horizon or plan them for the next cycle.")
    assumed = [g.competency for g in analysis.gaps if g.assumed]
    if assumed:
        notes.append(f"Assumed from the current role's requirements (no rating given): {', '.join(assumed)}.")
    for d in analysis.disagreements:
        notes.append(f"Self ({d['self']}) and manager ({d['manager']}) ratings of {d['competency']} differ by "
                     f"{abs(int(d['self']) - int(d['manager']))} levels: worth discussing before committing to actions.")
    return notes


__all__ = ["Action", "CheckIn", "DevelopmentMap", "build_development_map", "add_months"]

"""Mentors for a development map: people in the same organisation who agreed to mentor and know the ground."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from coach.engine import Engine
from coach.errors import NotFound
from coach.growth.opportunities import Standing, standing
from coach.store.auth import Principal, require_access
from coach.store.opportunities import OrgPerson, organisation_of
from coach.store.store import Store

MENTORING_TYPES = ("mentoring", "shadowing")
TARGET_ROLE_BONUS = 1.0  # someone doing the very job the person is aiming for
TOPIC_BONUS = 0.5  # per competency they explicitly offered to mentor on
Basis = Literal["target-role", "rating", "role"]


class Need(BaseModel):
    """What the person wants a mentor for: one competency at the level the target needs."""

    competency_id: str
    competency: str
    current: int
    required: int
    action: str | None = Field(None, description="The map's mentoring or shadowing action it comes from, if any.")


class MentorTopic(BaseModel):
    """One need a mentor can help with, and what shows they can."""

    competency_id: str
    competency: str
    required: int = Field(description="The level the target role needs.")
    level: int = Field(description="The mentor's level: their rating, or what their role requires.")
    basis: Basis = Field(description="target-role: holds the target role; rating: rated at that level; "
                                     "role: their role requires that level.")
    action: str | None = None


class MentorSuggestion(BaseModel):
    """A person who agreed to mentor and can help with some of the map's needs, with why in words."""

    person_id: str
    name: str
    email: str | None = None
    role_id: str | None = None
    role_title: str | None = None
    helps_with: list[MentorTopic]
    reasons: list[str]
    score: float = Field(description="Sum of the priorities of the needs covered, plus target-role and topic bonuses.")


def mentoring_needs(engine: Engine, where: Standing) -> list[Need]:
    """The map's mentoring/shadowing actions' competencies, or every gap when the map has no such action."""
    needs: dict[str, Need] = {}
    for action in where.actions:
        cid = action.get("competency_id")
        if action.get("type") in MENTORING_TYPES and cid in engine.knowledge.competencies and cid not in needs:
            gap = where.gaps.get(cid)
            current = gap.current if gap else where.levels.get(cid, 1)
            needs[cid] = Need(competency_id=cid, competency=engine.knowledge.competencies[cid].name, current=current,
                              required=gap.required if gap else min(5, current + 1), action=action.get("title"))
    if not needs:
        needs = {g.competency_id: Need(competency_id=g.competency_id, competency=g.competency, current=g.current,
                                       required=g.required) for g in where.gaps.values()}
    return list(needs.values())


def suggest_mentors(engine: Engine, store: Store, employee_id: str,
                    map_id: str | None = None) -> list[MentorSuggestion]:
    """People in the person's organisation who agreed to mentor and hold the target role, or the level needed."""
    if map_id is None and store.get_person(employee_id) is not None and not store.list_maps(employee_id):
        raise NotFound(f"map_id: '{employee_id}' has no development map yet; build one first (coach map, or POST "
                       "/v1/development-maps with employee_id)", field="map_id")
    where = standing(engine, store, employee_id, map_id=map_id)
    needs = mentoring_needs(engine, where)
    priority = {cid: g.priority for cid, g in where.gaps.items()}
    suggestions = []
    for person in organisation_of(store, employee_id):
        if person.id == employee_id or not person.mentor:
            continue
        suggestion = _suggest(engine, person, where, needs, priority)
        if suggestion is not None:
            suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, -len(s.helps_with), s.person_id))
    return suggestions


def _suggest(engine: Engine, person: OrgPerson, where: Standing, needs: list[Need],
             priority: dict[str, float]) -> MentorSuggestion | None:
    knowledge = engine.knowledge
    role = knowledge.roles.get(person.role_id or "")
    holds_target = role is not None and role.id == where.target_role_id
    topics: list[MentorTopic] = []
    reasons: list[str] = []
    score = 0.0
    first = person.name.split()[0]
    for need in needs:
        if person.topics and need.competency_id not in person.topics:
            continue  # they chose what they mentor on
        rated = person.ratings.get(need.competency_id)
        by_role = role.competencies.get(need.competency_id) if role else None
        basis: Basis | None = None
        if holds_target and by_role is not None and by_role >= need.required:
            basis, level = "target-role", by_role
        elif rated is not None and rated >= need.required:
            basis, level = "rating", rated
        elif by_role is not None and by_role >= need.required:
            basis, level = "role", by_role
        if basis is None:
            continue
        topics.append(MentorTopic(competency_id=need.competency_id, competency=need.competency,
                                  required=need.required, level=level, basis=basis, action=need.action))
        score += priority.get(need.competency_id, 1.0)
        reasons.append(_reason(first, need, basis, level, role.title if role else None))
        if need.competency_id in person.topics:
            score += TOPIC_BONUS
            reasons[-1] += f"; {first} offers to mentor on it"
    if not topics:
        return None
    if holds_target:
        score += TARGET_ROLE_BONUS
        article = "an" if where.target_title[:1].lower() in "aeiou" else "a"
        reasons.insert(0, f"{person.name} is {article} {where.target_title}, the role you are aiming for")
    return MentorSuggestion(person_id=person.id, name=person.name, email=person.email, role_id=person.role_id,
                            role_title=role.title if role else None, helps_with=topics, reasons=reasons,
                            score=round(score, 3))


def _reason(first: str, need: Need, basis: Basis, level: int, role_title: str | None) -> str:
    goal = f"{need.competency} (you are at {need.current}, the target needs {need.required})"
    via = f" for '{need.action}'" if need.action else ""
    if basis == "rating":
        return f"can help with {goal}{via}: {first} is rated {level}"
    return f"can help with {goal}{via}: as {role_title} {first}'s role requires level {level}"


def mentors_for(engine: Engine, store: Store, principal: Principal, employee_id: str,
                map_id: str | None = None) -> list[MentorSuggestion]:
    """suggest_mentors for someone the principal may see."""
    require_access(principal, employee_id)
    return suggest_mentors(engine, store, employee_id, map_id)


__all__ = ["MentorSuggestion", "MentorTopic", "Need", "mentoring_needs", "mentors_for", "suggest_mentors"]

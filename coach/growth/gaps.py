"""Competency gaps between where someone is and what a role requires; ratings and their defaults."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from coach.errors import InvalidRating
from coach.knowledge import Knowledge, Role


class Rating(BaseModel):
    """Self and/or manager rating of one competency (1..5)."""

    self: int | None = Field(None, ge=1, le=5, description="The employee's own rating.")
    manager: int | None = Field(None, ge=1, le=5, description="The manager's rating.")

    @property
    def current(self) -> int | None:
        # The manager's view is the calibrated one; the self rating fills in when it is missing.
        return self.manager if self.manager is not None else self.self


def normalise_ratings(raw: dict[str, int | dict | Rating] | None) -> dict[str, Rating]:
    """Accept {"id": 3} or {"id": {"self": 3, "manager": 2}}; validation errors name the competency."""
    ratings: dict[str, Rating] = {}
    for cid, value in (raw or {}).items():
        try:
            if isinstance(value, Rating):
                ratings[cid] = value
            elif isinstance(value, int) and not isinstance(value, bool):
                ratings[cid] = Rating.model_validate({"manager": value})
            else:
                ratings[cid] = Rating.model_validate(value)
        except ValidationError as exc:
            # A bare pydantic error here would be a 500; the caller gets the field and the limit instead.
            first = exc.errors()[0]
            inner = [str(p) for p in first["loc"] if isinstance(value, dict)]
            field = ".".join(["ratings", cid, *inner])
            limit = {k: v for k, v in (first.get("ctx") or {}).items() if isinstance(v, (int, float, str))}
            raise InvalidRating(f"{field}: {first['msg']} (ratings are 1 to 5, or {{self, manager}})", field=field,
                               details={"limit": limit} if limit else None) from exc
    return ratings


class Gap(BaseModel):
    """One competency where the current level is below what the target role requires."""

    competency_id: str
    competency: str = Field(description="The competency's name.")
    current: int = Field(ge=0, le=5)
    required: int = Field(ge=1, le=5)
    delta: int
    assumed: bool = Field(description="True when no rating was given and the current role's level was assumed.")
    weight: float = Field(description="2 for the target role's core competencies, 1 otherwise.")
    priority: float = Field(description="delta x weight; the order of the gaps.")
    required_behaviours: list[str] = Field(description="What the required level looks like (competency model).")
    rating_disagreement: bool = False


class Strength(BaseModel):
    """A competency at or above what the target role requires."""

    competency_id: str
    competency: str
    current: int
    required: int
    assumed: bool


class GapAnalysis(BaseModel):
    """Gaps (largest first), strengths, and self/manager disagreements worth discussing."""

    gaps: list[Gap]
    strengths: list[Strength]
    disagreements: list[dict[str, int | str]] = Field(default_factory=list)


def current_levels(knowledge: Knowledge, current: Role | None, ratings: dict[str, Rating]) -> dict[str, tuple[int, bool]]:
    """(level, assumed) per competency: the rating, else the current role's requirement, else 1."""
    levels: dict[str, tuple[int, bool]] = {}
    for cid in knowledge.competencies:
        rating = ratings.get(cid)
        if rating is not None and rating.current is not None:
            levels[cid] = (rating.current, False)
        elif current is not None and cid in current.competencies:
            levels[cid] = (current.competencies[cid], True)
        else:
            # A competency the current role does not use: assume the foundation level, and say so.
            levels[cid] = (1, True)
    return levels


def analyse_gaps(knowledge: Knowledge, current: Role | None, target: Role, ratings: dict[str, Rating]) -> GapAnalysis:
    """Every gap between the current levels and the target role's requirements, by priority."""
    levels = current_levels(knowledge, current, ratings)
    gaps: list[Gap] = []
    strengths: list[Strength] = []
    for cid, required in target.competencies.items():
        comp = knowledge.competencies[cid]
        level, assumed = levels[cid]
        rating = ratings.get(cid)
        disagree = bool(rating and rating.self is not None and rating.manager is not None
                        and abs(rating.self - rating.manager) >= 2)
        if level < required:
            weight = target.weight(cid)
            gaps.append(Gap(competency_id=cid, competency=comp.name, current=level, required=required,
                            delta=required - level, assumed=assumed, weight=weight, priority=(required - level) * weight,
                            required_behaviours=list(comp.level(required).behaviours), rating_disagreement=disagree))
        else:
            strengths.append(Strength(competency_id=cid, competency=comp.name, current=level, required=required,
                                      assumed=assumed))
    gaps.sort(key=lambda g: (-g.priority, -g.required, g.competency_id))
    strengths.sort(key=lambda s: (-(s.current - s.required), s.competency_id))
    disagreements = [
        {"competency_id": cid, "competency": knowledge.competencies[cid].name, "self": r.self, "manager": r.manager}
        for cid, r in sorted(ratings.items())
        if cid in knowledge.competencies and r.self is not None and r.manager is not None and abs(r.self - r.manager) >= 2
    ]
    return GapAnalysis(gaps=gaps, strengths=strengths, disagreements=disagreements)


def distance(gaps: list[Gap]) -> int:
    """How far a role is, in competency levels to gain."""
    return sum(g.delta for g in gaps)


TrackMove = Literal["up", "lateral", "expert-ic", "management", "down"]


def classify_move(current: Role, target: Role) -> TrackMove:
    """What kind of move going from `current` to `target` is."""
    if target.level < current.level:
        return "down"
    if target.track == "management" and current.track == "ic":
        return "management"
    if target.track == "ic" and target.level >= 4 and target.level > current.level:
        return "expert-ic"
    if target.level > current.level:
        return "up"
    return "lateral"


__all__ = ["Rating", "Gap", "Strength", "GapAnalysis", "normalise_ratings", "analyse_gaps", "current_levels",
           "distance", "classify_move"]

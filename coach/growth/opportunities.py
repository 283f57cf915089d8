"""Opportunities inside the organisation that fit a person's development map, ranked with reasons in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, Field

from coach.engine import Engine
from coach.followup.service import check_text
from coach.errors import Forbidden, InvalidInput, NotFound
from coach.growth.gaps import current_levels
from coach.knowledge import Opportunity, OpportunityKind
from coach.store.auth import Principal, require_access
from coach.store.opportunities import InterestRecord, interests_of, register_interest, withdraw_interest
from coach.store.records import PersonRecord
from coach.store.store import Store

# How well an opportunity's level suits someone at `current`, by how many levels above it it asks for.
STEP_FIT = {1: 1.0, 2: 0.6, 0: 0.4}  # the next level is the sweet spot; two up is a stretch; same level is practice
TARGET_ROLE_BONUS = 3.0  # an opening for the very role the map aims at
ASPIRATION_WEIGHT = 2.0  # x cosine similarity of the aspiration to the opportunity text
ASPIRATION_MIN_SIMILARITY = 0.3  # below this the aspiration says nothing about the opportunity
# At or above this the person has all but described the opportunity: it fits even without a gap or the target role
# ("I want to build churn models" resolved to Customer Success Manager as the target, but the churn pilot is 0.66).
ASPIRATION_FIT_SIMILARITY = 0.5
FAR_STRETCH = 3  # a gap competency asked this many levels above the person's level is a warning
FAR_STRETCH_OUTSIDE_GAPS = 2  # a competency the target does not need: two levels above is already too far
FAR_PENALTY = 0.5
MAX_ASPIRATION_CHARS = 2000
KIND_WORDS = {"project": "the project", "opening": "the opening", "stretch-assignment": "the stretch assignment"}


@dataclass
class GapView:
    """One competency gap of the map, as matching needs it."""

    competency_id: str
    competency: str
    current: int
    required: int
    weight: float
    priority: float


@dataclass
class Standing:
    """Where the person stands: current and target role, gaps and every competency's level (from a map)."""

    person: PersonRecord
    map_id: str | None
    current_role_id: str | None
    target_role_id: str
    target_title: str
    gaps: dict[str, GapView]
    levels: dict[str, int] = field(default_factory=dict)
    actions: list[dict] = field(default_factory=list)


class BuiltGap(BaseModel):
    """A gap competency the opportunity exercises, and at which level."""

    competency_id: str
    competency: str
    current: int = Field(description="The person's level (from the map).")
    required: int = Field(description="What the map's target role needs.")
    level: int = Field(description="What the opportunity asks for.")


class OpportunityMatch(BaseModel):
    """An open opportunity that fits the person's development map, with why in words."""

    id: str
    title: str
    kind: OpportunityKind
    description: str
    role_id: str | None = None
    start: date
    end: date | None = None
    apply_by: date | None = None
    closes: date = Field(description="The last day to register interest (apply_by, else end).")
    contact: str = Field(description="A person id or an e-mail address.")
    contact_name: str | None = Field(None, description="The contact's name when they are a person in the store.")
    time_commitment: str = ""
    score: float = Field(description="Higher fits better: gap fit x weight, target role, aspiration, far stretches.")
    builds: list[BuiltGap] = Field(default_factory=list)
    reasons: list[str] = Field(description="Why it fits, in words.")
    cautions: list[str] = Field(default_factory=list, description="What may make it too big a step.")
    interested: bool = Field(False, description="The person has registered interest and not withdrawn it.")


def standing(engine: Engine, store: Store, employee_id: str, *, map_id: str | None = None,
             aspiration: str | None = None) -> Standing:
    """The person's gaps from the given map, else their latest map, else a map built in memory from the aspiration."""
    person = store.get_person(employee_id)
    if person is None:
        raise NotFound(f"employee_id: no person '{employee_id}' in the store", field="employee_id")
    knowledge = engine.knowledge
    if map_id is not None:
        record = store.get_map(map_id)
        if record.employee_id != employee_id:
            raise NotFound(f"map_id: no map '{map_id}' for '{employee_id}'", field="map_id")
        payload, used = record.payload, record.id
    elif maps := store.list_maps(employee_id):
        payload, used = maps[0].payload, maps[0].id
    elif aspiration and aspiration.strip() and person.role_id:
        from coach.growth.development import build_development_map

        built = build_development_map(engine, person.role_id, aspiration=aspiration)
        payload, used = built.model_dump(mode="json"), None
    else:
        raise InvalidInput(f"aspiration: '{employee_id}' has no development map yet; give an aspiration (and a role "
                           "on file) or build a map first", field="aspiration")
    current_id = (payload.get("current_role") or {}).get("id")
    target = payload.get("target_role") or {}
    current_role = knowledge.roles.get(current_id) if current_id else None
    levels = {cid: level for cid, (level, _) in current_levels(knowledge, current_role, {}).items()}
    for row in [*payload.get("strengths", []), *payload.get("gaps", [])]:
        levels[row["competency_id"]] = int(row["current"])
    gaps = {g["competency_id"]: GapView(g["competency_id"], g["competency"], int(g["current"]), int(g["required"]),
                                        float(g.get("weight", 1.0)), float(g.get("priority", 1.0)))
            for g in payload.get("gaps", []) if g["competency_id"] in knowledge.competencies}
    return Standing(person, used, current_id, str(target.get("id", "")), str(target.get("title", "")), gaps, levels,
                    list(payload.get("actions") or []))


def match_opportunities(engine: Engine, store: Store, employee_id: str, *, aspiration: str | None = None,
                        today: date | None = None, limit: int = 10) -> list[OpportunityMatch]:
    """Open opportunities exercising the map's gaps near the next level, or opening its target role; best first."""
    if aspiration is not None and len(aspiration) > MAX_ASPIRATION_CHARS:
        raise InvalidInput(f"aspiration: at most {MAX_ASPIRATION_CHARS} characters", field="aspiration")
    if not 1 <= limit <= 50:
        raise InvalidInput("limit: must be between 1 and 50", field="limit")
    today = today or date.today()
    where = standing(engine, store, employee_id, aspiration=aspiration)
    open_ones = [o for o in engine.knowledge.opportunities.values() if not o.is_past(today)]
    similarity = _aspiration_similarity(engine, aspiration, len(open_ones)) if aspiration and aspiration.strip() else {}
    interested = {i.opportunity_id for i in interests_of(store, [employee_id])}
    names = {p.id: p.name for p in store.list_people()}
    matches = [m for o in open_ones if (m := _match(engine, o, where, similarity.get(o.id), names)) is not None]
    for m in matches:
        m.interested = m.id in interested
    matches.sort(key=lambda m: (-m.score, m.closes, m.id))
    return matches[:limit]


def _aspiration_similarity(engine: Engine, aspiration: str, count: int) -> dict[str, float]:
    hits = engine.search(aspiration, kind="opportunity", top=max(count, 1))
    return {h.id: h.similarity for h in hits if h.similarity is not None}


def _match(engine: Engine, opp: Opportunity, where: Standing, similarity: float | None,
           names: dict[str, str]) -> OpportunityMatch | None:
    knowledge = engine.knowledge
    through = f"{KIND_WORDS[opp.kind]} '{opp.title}'"
    score, reasons, builds, cautions = 0.0, [], [], []
    if opp.role is not None and opp.role == where.current_role_id:
        return None  # an opening for the job they already have
    for cid, level in opp.competencies.items():
        gap = where.gaps.get(cid)
        if gap is None:
            mine = where.levels.get(cid, 1)
            if level - mine >= FAR_STRETCH_OUTSIDE_GAPS:
                score -= FAR_PENALTY
                cautions.append(f"asks for {knowledge.competencies[cid].name} at {level}; you are at {mine}")
            continue
        fit = STEP_FIT.get(level - gap.current, 0.0)
        if fit == 0.0:
            if level - gap.current >= FAR_STRETCH:
                score -= FAR_PENALTY
                cautions.append(f"asks for {gap.competency} at {level}; you are at {gap.current}")
            continue
        score += fit * gap.weight
        builds.append(BuiltGap(competency_id=cid, competency=gap.competency, current=gap.current,
                               required=gap.required, level=level))
        verb = {1: "builds", 2: "stretches", 0: "practises"}[level - gap.current]
        reasons.append(f"{verb} {gap.competency} (you are at {gap.current}, the target needs {gap.required}) "
                       f"through {through}, which asks for level {level}")
    target_role = opp.role is not None and opp.role == where.target_role_id
    if target_role:
        score += TARGET_ROLE_BONUS
        reasons.insert(0, f"is an opening for {where.target_title}, the role your development map aims at")
    described = similarity is not None and similarity >= ASPIRATION_FIT_SIMILARITY
    if not builds and not target_role and not described:
        return None
    if similarity is not None and similarity >= ASPIRATION_MIN_SIMILARITY:
        score += ASPIRATION_WEIGHT * similarity
        reasons.append(f"is close to the aspiration you described (similarity {similarity:.2f})")
    return OpportunityMatch(
        id=opp.id, title=opp.title, kind=opp.kind, description=opp.description, role_id=opp.role, start=opp.start,
        end=opp.end, apply_by=opp.apply_by, closes=opp.closes, contact=opp.contact,
        contact_name=names.get(opp.contact), time_commitment=opp.time_commitment, score=round(score, 3),
        builds=builds, reasons=reasons, cautions=cautions)


# --- as the API and CLI ask for it: access rules first -------------------------------------------------------

def opportunities_for(engine: Engine, store: Store, principal: Principal, employee_id: str, *,
                      aspiration: str | None = None, limit: int = 10) -> list[OpportunityMatch]:
    """match_opportunities for someone the principal may see."""
    require_access(principal, employee_id)
    return match_opportunities(engine, store, employee_id, aspiration=aspiration, limit=limit)


def _acting_for(principal: Principal, employee_id: str | None) -> str:
    """Interest is the employee's own: they register it for themself; an admin may act for anyone."""
    who = employee_id or principal.person_id
    if who is None:
        raise InvalidInput("employee_id: required with an admin token", field="employee_id")
    if principal.role != "admin" and who != principal.person_id:
        raise Forbidden("employee_id: only the employee registers or withdraws their own interest", field="employee_id")
    return who


def express_interest(engine: Engine, store: Store, principal: Principal, opportunity_id: str, *,
                     employee_id: str | None = None, note: str | None = None,
                     today: date | None = None) -> InterestRecord:
    """Register the employee's interest in an open opportunity (for themself; admins for anyone)."""
    who = _acting_for(principal, employee_id)
    opp = engine.knowledge.opportunities.get(opportunity_id)
    if opp is None:
        raise NotFound(f"opportunity_id: no opportunity '{opportunity_id}'", field="opportunity_id")
    if opp.is_past(today or date.today()):
        raise InvalidInput(f"opportunity_id: '{opportunity_id}' closed on {opp.closes}", field="opportunity_id")
    check_text(note, "note")
    return register_interest(store, opportunity_id, who, note)


def withdraw(store: Store, principal: Principal, opportunity_id: str, *,
             employee_id: str | None = None) -> InterestRecord:
    """Withdraw the employee's interest (for themself; admins for anyone)."""
    return withdraw_interest(store, opportunity_id, _acting_for(principal, employee_id))


class InterestView(BaseModel):
    """An interest as the manager sees it: who, in what, and when."""

    id: int
    opportunity_id: str
    opportunity: str = Field(description="The opportunity's title ('(no longer listed)' when it left the knowledge).")
    kind: str | None = None
    closes: date | None = None
    employee_id: str
    employee: str
    note: str | None = None
    created_at: str
    withdrawn_at: str | None = None


def interests_for_manager(engine: Engine, store: Store, principal: Principal, manager_id: str, *,
                          include_withdrawn: bool = False) -> list[InterestView]:
    """The interests registered by the manager's (direct and indirect) reports, newest first."""
    require_access(principal, manager_id)
    if store.get_person(manager_id) is None:
        raise NotFound(f"manager_id: no person '{manager_id}' in the store", field="manager_id")
    names = {p.id: p.name for p in store.list_people()}
    opportunities = engine.knowledge.opportunities
    views = []
    for i in interests_of(store, store.reports_of(manager_id), include_withdrawn=include_withdrawn):
        opp = opportunities.get(i.opportunity_id)
        views.append(InterestView(
            id=i.id, opportunity_id=i.opportunity_id, opportunity=opp.title if opp else "(no longer listed)",
            kind=opp.kind if opp else None, closes=opp.closes if opp else None, employee_id=i.employee_id,
            employee=names.get(i.employee_id, i.employee_id), note=i.note, created_at=i.created_at.isoformat(),
            withdrawn_at=i.withdrawn_at.isoformat() if i.withdrawn_at else None))
    return views

"""Re-planning a stored development map as a new version with a diff, and flagging maps the knowledge overtook."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from coach.engine import Engine
from coach.errors import Conflict, InvalidInput
from coach.followup.service import check_text
from coach.growth.development import DevelopmentMap
from coach.growth.mapdiff import KnowledgeChange, MapDiff, diff_maps
from coach.growth.metrics import carry_values
from coach.growth.service import development_map
from coach.knowledge import Knowledge
from coach.store import plans as plan_store
from coach.store.auth import Principal, can_access, require_access
from coach.store.plans import CarriedProgress, MapVersionRecord
from coach.store.store import Store
from coach.templating import render_document

MAX_REASON_CHARS = 1000


def knowledge_changes(knowledge: Knowledge, dev_map: DevelopmentMap) -> list[KnowledgeChange]:
    """Where the current knowledge no longer matches the map: the target role's requirements, each action's resource."""
    changes: list[KnowledgeChange] = []
    target = knowledge.roles.get(dev_map.target_role.id)

    def name(cid: str) -> str:
        known = knowledge.competencies.get(cid)
        return known.name if known else cid

    if target is None:
        changes.append(KnowledgeChange(kind="role_removed", subject=dev_map.target_role.id,
                                       message=f"the target role {dev_map.target_role.title} is no longer in the "
                                               "knowledge"))
    else:
        planned = {s.competency_id: s.required for s in dev_map.strengths}
        planned.update({g.competency_id: g.required for g in dev_map.gaps})
        for cid, level in target.competencies.items():
            if cid not in planned:
                changes.append(KnowledgeChange(kind="requirement_added", subject=cid,
                                               message=f"{target.title} now requires {name(cid)} at {level}; "
                                                       "the map did not plan for it"))
            elif planned[cid] != level:
                changes.append(KnowledgeChange(kind="requirement_changed", subject=cid,
                                               message=f"{target.title} now requires {name(cid)} at {level} "
                                                       f"(the map planned for {planned[cid]})"))
        for cid in sorted(set(planned) - set(target.competencies)):
            changes.append(KnowledgeChange(kind="requirement_removed", subject=cid,
                                           message=f"{target.title} no longer requires {name(cid)}"))
    for gap in dev_map.gaps:
        if gap.competency_id not in knowledge.competencies:
            changes.append(KnowledgeChange(kind="competency_removed", subject=gap.competency_id,
                                           message=f"the competency {gap.competency} is no longer in the knowledge"))
    for action in [*dev_map.actions, *dev_map.stretch_goals]:
        resource = knowledge.resources.get(action.resource_id)
        if resource is None:
            changes.append(KnowledgeChange(kind="resource_removed", subject=action.resource_id,
                                           message=f"{action.title} was removed from the catalogue"))
        elif not any(b.competency == action.competency_id for b in resource.builds):
            changes.append(KnowledgeChange(kind="resource_no_longer_builds", subject=action.resource_id,
                                           message=f"{resource.title} no longer builds {action.competency}"))
        else:
            # _schedule adds timedelta(weeks=duration) to a date, which keeps whole days.
            planned_days = (action.due - action.start).days
            days_now = int(resource.duration_weeks * 7)
            if planned_days != days_now:
                changes.append(KnowledgeChange(
                    kind="resource_duration_changed", subject=action.resource_id,
                    message=f"{resource.title} now takes {resource.duration_weeks:g} weeks "
                            f"(the map planned {planned_days / 7:g})"))
    return changes


def _ratings_of(old: DevelopmentMap) -> dict[str, Any]:
    """The ratings the old map was built from; for maps stored before ratings were kept, its rated levels."""
    if old.ratings:
        return {cid: {k: v for k, v in r.items() if v is not None} for cid, r in old.ratings.items()}
    ratings: dict[str, Any] = {g.competency_id: {"manager": g.current} for g in old.gaps if not g.assumed}
    ratings.update({s.competency_id: {"manager": s.current} for s in old.strengths if not s.assumed})
    for d in old.disagreements:
        ratings[str(d["competency_id"])] = {"self": d["self"], "manager": d["manager"]}
    return ratings


def _carried_progress(store: Store, old_id: str, old: DevelopmentMap, new: DevelopmentMap) -> list[CarriedProgress]:
    """The old actions' recorded progress, moved to the new actions built from the same resource."""
    index_of = {a.resource_id: i for i, a in enumerate(new.actions)}
    carried = []
    for old_index, progress in store.action_progress(old_id).items():
        if old_index >= len(old.actions):
            continue
        new_index = index_of.get(old.actions[old_index].resource_id)
        if new_index is not None:
            carried.append(CarriedProgress(action_index=new_index, status=progress.status, evidence=progress.evidence,
                                           updated_by=progress.updated_by))
    return carried


def _stored_map(record: MapVersionRecord) -> DevelopmentMap:
    try:
        return DevelopmentMap.model_validate(record.payload)
    except ValidationError as exc:
        raise InvalidInput(f"map_id: the stored map cannot be read ({exc.errors()[0]['msg']})", field="map_id") from exc


def replan(engine: Engine, store: Store, principal: Principal, map_id: str, *, reason: str,
           aspiration: str | None = None, target_role: str | None = None, horizon_months: int | None = None,
           ratings: dict[str, Any] | None = None, start: date | None = None) -> MapVersionRecord:
    """A new version of the stored map, built afresh from its role, aspiration, target and horizon with the changes
    given; progress of actions that carry over (same resource) is kept, and the payload's `diff` says what changed."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason: say why the map is re-planned (1 to 1000 characters)", field="reason")
    if len(reason) > MAX_REASON_CHARS:
        raise InvalidInput(f"reason: at most {MAX_REASON_CHARS} characters, got {len(reason)}", field="reason")
    check_text(reason, "reason")
    record = plan_store.get_version(store, map_id)
    require_access(principal, record.employee_id)
    later = plan_store.successor(store, map_id)
    if later is not None:
        raise Conflict(f"map_id: version {record.version} was already re-planned as '{later}'; re-plan the latest "
                       "version", field="map_id")
    old = _stored_map(record)
    knowledge = engine.knowledge
    if old.current_role.id not in knowledge.roles:
        raise InvalidInput(f"current_role: {old.current_role.title} is no longer in the knowledge; build a new map",
                           field="current_role")
    new_aspiration = old.aspiration if aspiration is None else aspiration
    if target_role is None and aspiration is None:
        target_role = old.target_role.id  # keep the target unless the aspiration changed
        if target_role not in knowledge.roles:
            if not new_aspiration.strip():
                raise InvalidInput(f"target_role: {old.target_role.title} is no longer in the knowledge; name a new "
                                   "target_role", field="target_role")
            target_role = None  # the aspiration picks the best role that exists now
    merged_ratings = {**_ratings_of(old), **(ratings or {})}
    changes = knowledge_changes(knowledge, old)
    new = development_map(engine, old.current_role.id, aspiration=new_aspiration, target_role=target_role,
                          ratings=merged_ratings, horizon_months=horizon_months or old.horizon_months,
                          start=start or old.start, employee=record.employee_id)
    progress = _carried_progress(store, map_id, old, new)
    metrics_carried = carry_values(old.metrics, new.metrics)
    new.diff = diff_maps(old, new, from_version=record.version, reason=reason, knowledge_changes=changes,
                         progress_carried=len(progress), metrics_carried=metrics_carried)
    new.markdown = render_document("development_map.md", map=new)
    return plan_store.save_version(store, map_id, principal.person_id or "admin", new.model_dump(mode="json"),
                                   reason, progress)


class MapVersionView(BaseModel):
    """One version in a map's chain, as the versions list shows it."""

    id: str
    version: int
    previous_id: str | None = None
    reason: str | None = None
    created_at: datetime
    created_by: str
    target_role: str | None = None
    horizon_months: int | None = None
    actions: int = 0
    latest: bool = Field(description="True for the newest version: the one to follow and re-plan.")
    diff: MapDiff | None = Field(None, description="What changed from the previous version (None for version 1).")


def map_versions(store: Store, principal: Principal, map_id: str) -> list[MapVersionView]:
    """The chain of versions the map belongs to, oldest first, each with its diff from the one before."""
    record = plan_store.get_version(store, map_id)
    require_access(principal, record.employee_id)
    maps = {m.id: m for m in plan_store.employee_versions(store, record.employee_id)}
    next_of = {m.previous_id: m.id for m in maps.values() if m.previous_id}
    first = record
    while first.previous_id and first.previous_id in maps:
        first = maps[first.previous_id]
    chain, current = [], first
    while True:
        chain.append(current)
        nxt = next_of.get(current.id)
        if nxt is None:
            break
        current = maps[nxt]
    views = []
    for m in chain:
        payload = m.payload
        target = payload.get("target_role")
        diff = payload.get("diff")
        views.append(MapVersionView(
            id=m.id, version=m.version, previous_id=m.previous_id, reason=m.reason, created_at=m.created_at,
            created_by=m.created_by, target_role=target.get("title") if isinstance(target, dict) else None,
            horizon_months=payload.get("horizon_months"), actions=len(payload.get("actions") or []),
            latest=m is chain[-1], diff=MapDiff.model_validate(diff) if diff else None))
    return views


class MapFlag(BaseModel):
    """An open map (the employee's newest) that the current knowledge has overtaken, with the reasons in words."""

    map_id: str
    employee_id: str
    version: int
    target_role: str | None = None
    created_at: datetime
    changes: list[KnowledgeChange]
    reasons: list[str] = Field(description="The changes in words, one per change.")


def affected_maps(engine: Engine, store: Store, employee_ids: set[str] | None = None) -> list[MapFlag]:
    """Each employee's newest map compared with the current knowledge; the ones that no longer match, with why."""
    flags = []
    for record in plan_store.latest_maps(store, employee_ids):
        try:
            dev_map = DevelopmentMap.model_validate(record.payload)
        except ValidationError as exc:
            changes = [KnowledgeChange(kind="unreadable", subject=record.id,
                                       message=f"the stored map cannot be read ({exc.errors()[0]['msg']})")]
        else:
            changes = knowledge_changes(engine.knowledge, dev_map)
        if changes:
            target = record.payload.get("target_role")
            flags.append(MapFlag(map_id=record.id, employee_id=record.employee_id, version=record.version,
                                 target_role=target.get("title") if isinstance(target, dict) else None,
                                 created_at=record.created_at, changes=changes, reasons=[c.message for c in changes]))
    return flags


def flagged_for(engine: Engine, store: Store, principal: Principal) -> list[MapFlag]:
    """affected_maps limited to whom the principal may see: admin all, a manager their reports and self, else self."""
    if principal.role == "admin":
        return affected_maps(engine, store)
    visible = {principal.person_id, *principal.reports} if principal.person_id else set()
    return [f for f in affected_maps(engine, store, {p for p in visible if p}) if can_access(principal, f.employee_id)]


__all__ = ["knowledge_changes", "replan", "map_versions", "MapVersionView", "MapFlag", "affected_maps", "flagged_for"]

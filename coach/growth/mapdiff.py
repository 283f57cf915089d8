"""What changed between two versions of a development map, as data and as Markdown lines a person reads."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from coach.growth.development import Action, DevelopmentMap

KnowledgeChangeKind = Literal["role_removed", "requirement_changed", "requirement_added", "requirement_removed",
                              "competency_removed", "resource_removed", "resource_no_longer_builds",
                              "resource_duration_changed", "unreadable"]


class KnowledgeChange(BaseModel):
    """One way the current knowledge no longer matches what a map was built from."""

    kind: KnowledgeChangeKind
    subject: str = Field(description="The role, competency or resource id concerned.")
    message: str = Field(description="The change in words, e.g. 'Engineering Manager now requires ... at 4'.")


class DateChange(BaseModel):
    """A date before and after."""

    before: date
    after: date


class MovedAction(BaseModel):
    """An action in both versions whose start or due date changed."""

    resource_id: str
    title: str
    competency: str
    start: DateChange | None = None
    due: DateChange | None = None


class ActionRef(BaseModel):
    """An action added or dropped."""

    resource_id: str
    title: str
    competency: str
    due: date


class GapRef(BaseModel):
    """A gap added, closed or changed: its levels before and after (None where it did not exist)."""

    competency_id: str
    competency: str
    current_before: int | None = None
    current_after: int | None = None
    required_before: int | None = None
    required_after: int | None = None


class RoleChange(BaseModel):
    """The target role before and after."""

    before_id: str
    before: str
    after_id: str
    after: str


class MapDiff(BaseModel):
    """Everything that changed from one version of a map to the next, and why."""

    from_version: int
    to_version: int
    reason: str = Field(description="Why the map was re-planned, in the words of whoever did it.")
    knowledge_changes: list[KnowledgeChange] = Field(default_factory=list,
                                                     description="Where the knowledge changed since the old version.")
    target_role: RoleChange | None = None
    horizon_months: tuple[int, int] | None = Field(None, description="(before, after) when it changed.")
    end: DateChange | None = None
    moved: list[MovedAction] = Field(default_factory=list)
    added_actions: list[ActionRef] = Field(default_factory=list)
    dropped_actions: list[ActionRef] = Field(default_factory=list)
    added_gaps: list[GapRef] = Field(default_factory=list)
    closed_gaps: list[GapRef] = Field(default_factory=list, description="Gaps of the old version that are gone.")
    changed_gaps: list[GapRef] = Field(default_factory=list)
    progress_carried: int = Field(0, description="Actions whose recorded progress was kept (same resource).")
    metrics_carried: int = Field(0, description="Indicators whose recorded values were kept.")
    markdown: list[str] = Field(default_factory=list, description="The diff as Markdown list items.")


def _ref(action: Action) -> ActionRef:
    return ActionRef(resource_id=action.resource_id, title=action.title, competency=action.competency, due=action.due)


def _actions(dev_map: DevelopmentMap) -> dict[str, Action]:
    # One resource appears once per map (see development._schedule); stretch goals count as actions here.
    return {a.resource_id: a for a in [*dev_map.actions, *dev_map.stretch_goals]}


def diff_maps(old: DevelopmentMap, new: DevelopmentMap, *, from_version: int, reason: str,
              knowledge_changes: list[KnowledgeChange], progress_carried: int = 0,
              metrics_carried: int = 0) -> MapDiff:
    """The diff from `old` to `new`: target, horizon, moved/added/dropped actions, gaps, and the reasons."""
    diff = MapDiff(from_version=from_version, to_version=from_version + 1, reason=reason,
                   knowledge_changes=knowledge_changes, progress_carried=progress_carried,
                   metrics_carried=metrics_carried)
    if old.target_role.id != new.target_role.id:
        diff.target_role = RoleChange(before_id=old.target_role.id, before=old.target_role.title,
                                      after_id=new.target_role.id, after=new.target_role.title)
    if old.horizon_months != new.horizon_months:
        diff.horizon_months = (old.horizon_months, new.horizon_months)
    if old.end != new.end:
        diff.end = DateChange(before=old.end, after=new.end)
    before, after = _actions(old), _actions(new)
    for rid, action in after.items():
        previous = before.get(rid)
        if previous is None:
            diff.added_actions.append(_ref(action))
        elif previous.start != action.start or previous.due != action.due:
            diff.moved.append(MovedAction(
                resource_id=rid, title=action.title, competency=action.competency,
                start=DateChange(before=previous.start, after=action.start) if previous.start != action.start else None,
                due=DateChange(before=previous.due, after=action.due) if previous.due != action.due else None))
    diff.dropped_actions = [_ref(a) for rid, a in before.items() if rid not in after]
    old_gaps, new_gaps = {g.competency_id: g for g in old.gaps}, {g.competency_id: g for g in new.gaps}
    for cid, gap in new_gaps.items():
        was = old_gaps.get(cid)
        if was is None:
            diff.added_gaps.append(GapRef(competency_id=cid, competency=gap.competency, current_after=gap.current,
                                          required_after=gap.required))
        elif (was.current, was.required) != (gap.current, gap.required):
            diff.changed_gaps.append(GapRef(competency_id=cid, competency=gap.competency, current_before=was.current,
                                            current_after=gap.current, required_before=was.required,
                                            required_after=gap.required))
    diff.closed_gaps = [GapRef(competency_id=cid, competency=g.competency, current_before=g.current,
                               required_before=g.required) for cid, g in old_gaps.items() if cid not in new_gaps]
    diff.markdown = diff_lines(diff)
    return diff


def diff_lines(diff: MapDiff) -> list[str]:
    """The diff as Markdown list items, most important first: why, then what moved, was added or dropped."""
    lines = [f"- Why: {diff.reason}"]
    lines += [f"- Knowledge changed: {c.message}" for c in diff.knowledge_changes]
    if diff.target_role:
        lines.append(f"- Target role: {diff.target_role.before} → **{diff.target_role.after}**")
    if diff.horizon_months:
        lines.append(f"- Horizon: {diff.horizon_months[0]} → **{diff.horizon_months[1]}** months")
    if diff.end:
        lines.append(f"- Plan ends: {diff.end.before.isoformat()} → **{diff.end.after.isoformat()}**")
    for gap in diff.added_gaps:
        lines.append(f"- New gap: {gap.competency} (current {gap.current_after}, required {gap.required_after})")
    for gap in diff.changed_gaps:
        parts = [f"{label} {before} → {after}" for label, before, after in
                 (("current", gap.current_before, gap.current_after), ("required", gap.required_before,
                                                                      gap.required_after)) if before != after]
        lines.append(f"- Gap changed: {gap.competency}: {', '.join(parts)}")
    for gap in diff.closed_gaps:
        lines.append(f"- Gap no longer in the plan: {gap.competency} (was {gap.current_before} of "
                     f"{gap.required_before})")
    for moved in diff.moved:
        parts = [f"{label} {change.before.isoformat()} → **{change.after.isoformat()}**"
                 for label, change in (("start", moved.start), ("due", moved.due)) if change]
        lines.append(f"- Moved: {moved.title} ({moved.competency}): {', '.join(parts)}")
    lines += [f"- Added: {a.title} ({a.competency}), due {a.due.isoformat()}" for a in diff.added_actions]
    lines += [f"- Dropped: {a.title} ({a.competency}), was due {a.due.isoformat()}" for a in diff.dropped_actions]
    if not (diff.target_role or diff.horizon_months or diff.moved or diff.added_actions or diff.dropped_actions
            or diff.added_gaps or diff.changed_gaps or diff.closed_gaps):
        lines.append("- No change to the target, gaps or actions")
    if diff.progress_carried:
        lines.append(f"- Progress kept for {diff.progress_carried} action(s) that carry over")
    if diff.metrics_carried:
        lines.append(f"- Recorded values kept for {diff.metrics_carried} indicator(s)")
    return lines


__all__ = ["KnowledgeChange", "MapDiff", "MovedAction", "ActionRef", "GapRef", "RoleChange", "DateChange",
           "diff_maps", "diff_lines"]

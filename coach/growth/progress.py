"""Stored development maps as the API and web app read them, with where each action stands."""

from __future__ import annotations

from typing import Any

from coach.feedback.evidence import evidence_for, gap_evidence
from coach.followup.service import check_text
from coach.store.auth import Principal, require_access
from coach.store.records import ActionProgressRecord, MapRecord
from coach.store.store import Store


def _map(store: Store, principal: Principal, map_id: str) -> MapRecord:
    """The stored map, or NotFound; Forbidden unless the principal may see its employee."""
    record = store.get_map(map_id)
    require_access(principal, record.employee_id)
    return record


def _title(value: Any) -> str | None:
    """A role's title from the payload's RoleRef ({id, title}), or None."""
    return value.get("title") if isinstance(value, dict) else None


def map_list(store: Store, principal: Principal, employee_id: str) -> list[dict[str, Any]]:
    """The employee's development maps, newest first, as a list page shows them."""
    require_access(principal, employee_id)
    return [{"id": m.id, "created_at": m.created_at.isoformat(), "created_by": m.created_by,
             "target_role": _title(m.payload.get("target_role")), "horizon_months": m.payload.get("horizon_months"),
             "gaps": len(m.payload.get("gaps") or []), "actions": len(m.payload.get("actions") or [])}
            for m in store.list_maps(employee_id)]


def progress_of(record: MapRecord, recorded: dict[int, ActionProgressRecord]) -> list[dict[str, Any]]:
    """One entry per action of the map, in its order; actions nobody updated yet are not_started."""
    return [recorded[i].model_dump(mode="json", exclude={"map_id"}) if i in recorded else
            {"action_index": i, "status": "not_started", "evidence": None, "updated_at": None, "updated_by": None}
            for i in range(len(record.payload.get("actions") or []))]


def map_view(store: Store, principal: Principal, map_id: str) -> dict[str, Any]:
    """The stored map payload with its id, employee, creation, the progress of each action and, per gap, the
    feedback evidence of its competency (`gaps[i].evidence`, newest first, shown against this map's target role)."""
    record = _map(store, principal, map_id)
    evidence = evidence_for(store, record.employee_id, map_payload=record.payload)
    gaps = [{**gap, "evidence": gap_evidence(evidence, gap.get("competency_id"))} if isinstance(gap, dict) else gap
            for gap in record.payload.get("gaps") or []]
    return {**record.payload, "gaps": gaps, "id": record.id, "employee_id": record.employee_id,
            "created_at": record.created_at.isoformat(), "created_by": record.created_by,
            "progress": progress_of(record, store.action_progress(map_id))}


def update_progress(store: Store, principal: Principal, map_id: str, action_index: int, status: str,
                    evidence: str | None = None) -> ActionProgressRecord:
    """Set where one action stands; the employee and their managers (and admins) may."""
    _map(store, principal, map_id)
    check_text(evidence, "evidence")
    return store.set_action_progress(map_id, action_index, status, evidence, principal.person_id or "admin")

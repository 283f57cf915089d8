"""Versions of development maps: save a re-planned map linked to the one it replaces, read the chains, edit payloads."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coach.errors import Conflict
from coach.store.models import DevelopmentMapRow, MapActionProgressRow, MapVersion, utcnow
from coach.store.records import ACTION_STATUSES
from coach.store.store import Store


class MapVersionRecord(BaseModel):
    """A stored development map with its place in its chain of versions."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    employee_id: str
    created_by: str
    created_at: datetime
    version: int = Field(1, description="1 for a map made from scratch, then 2, 3... for each re-plan.")
    previous_id: str | None = Field(None, description="The map this version replaces.")
    reason: str | None = Field(None, description="Why it was re-planned.")
    payload: dict[str, Any]


class CarriedProgress(BaseModel):
    """Progress of an action of the previous version, to be set on the new version's action at `action_index`."""

    action_index: int = Field(ge=0)
    status: str
    evidence: str | None = None
    updated_by: str | None = None


def _record(row: DevelopmentMapRow, version: MapVersion | None) -> MapVersionRecord:
    created_at = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=utcnow().tzinfo)
    return MapVersionRecord(id=row.id, employee_id=row.employee_id, created_by=row.created_by, created_at=created_at,
                            version=version.version if version else 1,
                            previous_id=version.previous_id if version else None,
                            reason=version.reason if version else None, payload=row.payload)


def get_version(store: Store, map_id: str) -> MapVersionRecord:
    """The map with its version, or NotFound naming map_id."""
    with store._session() as session:
        row = Store._get(session, DevelopmentMapRow, map_id, "map_id")
        return _record(row, session.get(MapVersion, map_id))


def successor(store: Store, map_id: str) -> str | None:
    """The id of the version that replaced this map, if it was re-planned."""
    with store._session() as session:
        return session.scalars(select(MapVersion.map_id).where(MapVersion.previous_id == map_id)).first()


def save_version(store: Store, previous_id: str, created_by: str, payload: dict[str, Any], reason: str,
                 progress: list[CarriedProgress]) -> MapVersionRecord:
    """Store a re-planned map as the next version of `previous_id`, with the progress that carries over, at once.

    Conflict when `previous_id` was already re-planned (checked under the row lock, and by the unique previous_id
    when two writers race on SQLite).
    """
    try:
        with store._session(write=True) as session:
            previous = Store._get(session, DevelopmentMapRow, previous_id, "map_id", lock=True)
            taken = session.scalars(select(MapVersion.map_id).where(MapVersion.previous_id == previous_id)).first()
            if taken is not None:
                raise Conflict(f"map_id: '{previous_id}' was already re-planned as '{taken}'; re-plan the latest "
                               "version", field="map_id")
            before = session.get(MapVersion, previous_id)
            now = utcnow()
            row = DevelopmentMapRow(id=str(uuid.uuid4()), employee_id=previous.employee_id, created_by=created_by,
                                    created_at=now, payload=payload)
            session.add(row)
            session.flush()
            version = MapVersion(map_id=row.id, previous_id=previous_id, version=(before.version if before else 1) + 1,
                                 reason=reason)
            session.add(version)
            for item in progress:
                if item.status not in ACTION_STATUSES:
                    continue
                session.add(MapActionProgressRow(map_id=row.id, action_index=item.action_index, status=item.status,
                                                 evidence=item.evidence, updated_at=now, updated_by=item.updated_by))
            session.flush()
            return _record(row, version)
    except IntegrityError as exc:
        raise Conflict(f"map_id: '{previous_id}' was re-planned by someone else just now; re-plan the latest version",
                       field="map_id") from exc


def employee_versions(store: Store, employee_id: str) -> list[MapVersionRecord]:
    """Every map of the employee with its version data, oldest first."""
    with store._session() as session:
        rows = list(session.scalars(select(DevelopmentMapRow).where(DevelopmentMapRow.employee_id == employee_id)
                                    .order_by(DevelopmentMapRow.created_at, DevelopmentMapRow.id)))
        versions = {v.map_id: v for v in session.scalars(
            select(MapVersion).where(MapVersion.map_id.in_([r.id for r in rows])))} if rows else {}
        return [_record(r, versions.get(r.id)) for r in rows]


def latest_maps(store: Store, employee_ids: set[str] | None = None) -> list[MapVersionRecord]:
    """Each employee's newest map (a re-plan is always newer than what it replaces), by employee id."""
    with store._session() as session:
        query = select(DevelopmentMapRow).order_by(DevelopmentMapRow.employee_id, DevelopmentMapRow.created_at.desc(),
                                                   DevelopmentMapRow.id.desc())
        if employee_ids is not None:
            query = query.where(DevelopmentMapRow.employee_id.in_(sorted(employee_ids)))
        newest: dict[str, DevelopmentMapRow] = {}
        for row in session.scalars(query):
            newest.setdefault(row.employee_id, row)
        versions = {v.map_id: v for v in session.scalars(
            select(MapVersion).where(MapVersion.map_id.in_([r.id for r in newest.values()])))} if newest else {}
        return [_record(r, versions.get(r.id)) for r in newest.values()]


def update_payload(store: Store, map_id: str, change: Callable[[dict[str, Any]], dict[str, Any]]) -> MapVersionRecord:
    """Replace the map's payload with `change(payload)` under the row lock, so concurrent edits keep each other."""
    with store._session(write=True) as session:
        row = Store._get(session, DevelopmentMapRow, map_id, "map_id", lock=True)
        row.payload = change(dict(row.payload))
        session.flush()
        return _record(row, session.get(MapVersion, map_id))

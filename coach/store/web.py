"""Browser sign-in for the web app: one-time sign-in codes, sessions with a CSRF token, and prepared agendas.

Only hashes of codes and session ids are stored, like API tokens; a session stands for a principal whose reports
are read afresh on every request, so a change of manager takes effect at once.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from coach.errors import InvalidInput, NotFound
from coach.store.auth import PRINCIPAL_ROLES, Principal
from coach.store.models import Agenda, Person, SigninCode, WebSession, utcnow
from coach.store.store import Store, _aware, hash_token

SIGNIN_CODE_PREFIX = "csi_"


class WebSessionRecord(BaseModel):
    """A signed-in browser: the principal it stands for and the CSRF token its forms must carry."""

    principal: Principal
    csrf_token: str
    expires_at: datetime


class AgendaRecord(BaseModel):
    """A prepared conversation as stored (the payload is the edited question set)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    employee_id: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    payload: dict[str, Any]


def _check_principal(session: Any, role: str, person_id: str | None) -> None:
    if role not in PRINCIPAL_ROLES:
        raise InvalidInput(f"role: must be one of {', '.join(PRINCIPAL_ROLES)}", field="role")
    if role != "admin" and not person_id:
        raise InvalidInput("person: required for manager and employee sign-in", field="person")
    if person_id is not None and session.get(Person, person_id) is None:
        raise InvalidInput(f"person: no person '{person_id}' in the store", field="person")


def create_signin_code(store: Store, role: str, person_id: str | None, *, valid_for: timedelta) -> str:
    """A one-time sign-in code for a principal, returned once; only its sha256 is kept."""
    code = SIGNIN_CODE_PREFIX + secrets.token_urlsafe(24)
    now = utcnow()
    with store._session(write=True) as session:
        _check_principal(session, role, person_id)
        session.add(SigninCode(code_hash=hash_token(code), principal_role=role, person_id=person_id, created_at=now,
                               expires_at=now + valid_for))
    return code


def redeem_signin_code(store: Store, code: str) -> Principal | None:
    """The principal of an unused, unexpired code, marking it used (a second use gets None)."""
    if not code or len(code) > 200:
        return None
    now = utcnow()
    with store._session(write=True) as session:
        row = session.get(SigninCode, hash_token(code), with_for_update=True)
        if row is None or row.used_at is not None or _aware(row.expires_at) <= now:
            return None
        row.used_at = now
        return Store._principal(session, row.principal_role, row.person_id)


def start_session(store: Store, principal: Principal, *, valid_for: timedelta) -> tuple[str, WebSessionRecord]:
    """A new session for a principal: the cookie value (returned once) and the record with its CSRF token."""
    cookie = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utcnow()
    with store._session(write=True) as session:
        _check_principal(session, principal.role, principal.person_id)
        session.add(WebSession(id_hash=hash_token(cookie), principal_role=principal.role,
                               person_id=principal.person_id, csrf_token=csrf, created_at=now,
                               expires_at=now + valid_for))
    return cookie, WebSessionRecord(principal=principal, csrf_token=csrf, expires_at=now + valid_for)


def session_for(store: Store, cookie: str | None) -> WebSessionRecord | None:
    """The live session behind a cookie value, with the principal as it stands now; None when unknown or ended."""
    if not cookie or len(cookie) > 200:
        return None
    with store._session() as session:
        row = session.get(WebSession, hash_token(cookie))
        if row is None or row.ended_at is not None or _aware(row.expires_at) <= utcnow():
            return None
        principal = Store._principal(session, row.principal_role, row.person_id)
        return WebSessionRecord(principal=principal, csrf_token=row.csrf_token, expires_at=_aware(row.expires_at))


def end_session(store: Store, cookie: str | None) -> None:
    """Sign out: the cookie stops working at once (ending an unknown or ended session is harmless)."""
    if not cookie or len(cookie) > 200:
        return
    with store._session(write=True) as session:
        row = session.get(WebSession, hash_token(cookie))
        if row is not None and row.ended_at is None:
            row.ended_at = utcnow()


def save_agenda(store: Store, employee_id: str, created_by: str, payload: dict[str, Any]) -> AgendaRecord:
    """Store a prepared question set for an employee."""
    now = utcnow()
    with store._session(write=True) as session:
        if session.get(Person, employee_id) is None:
            raise NotFound(f"employee_id: no person '{employee_id}'", field="employee_id")
        row = Agenda(id=str(uuid.uuid4()), employee_id=employee_id, created_by=created_by, created_at=now,
                     updated_at=now, payload=payload)
        session.add(row)
        session.flush()
        return AgendaRecord.model_validate(row)


def get_agenda(store: Store, agenda_id: str) -> AgendaRecord:
    """One agenda, or NotFound naming agenda_id."""
    with store._session() as session:
        return AgendaRecord.model_validate(Store._get(session, Agenda, agenda_id, "agenda_id"))


def update_agenda(store: Store, agenda_id: str, payload: dict[str, Any]) -> AgendaRecord:
    """Replace an agenda's question set (a swap, an added or removed question)."""
    with store._session(write=True) as session:
        row = Store._get(session, Agenda, agenda_id, "agenda_id", lock=True)
        row.payload, row.updated_at = payload, utcnow()
        session.flush()
        return AgendaRecord.model_validate(row)


def latest_agendas(store: Store, employee_id: str, *, limit: int = 5) -> list[AgendaRecord]:
    """An employee's most recent agendas, newest first."""
    with store._session() as session:
        rows = session.scalars(select(Agenda).where(Agenda.employee_id == employee_id)
                               .order_by(Agenda.created_at.desc()).limit(limit))
        return [AgendaRecord.model_validate(r) for r in rows]

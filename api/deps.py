"""FastAPI dependencies: settings, engine, store and the authenticated principal; overridable in tests."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from coach.engine import Engine
from coach.errors import CoachError, Forbidden
from coach.settings import Settings
from coach.store.auth import Principal
from coach.store.store import Store

_bearer = HTTPBearer(auto_error=False, description="A token from `coach token create`.")


class Unauthorized(CoachError):
    """No valid bearer token was sent."""

    status_code = 401


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_principal(request: Request,
                  credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise Unauthorized("Authorization: send 'Bearer <token>'; create one with `coach token create`")
    principal = get_store(request).authenticate(credentials.credentials)
    if principal is None:
        raise Unauthorized("Authorization: the token is unknown or revoked")
    return principal


def require_admin(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    if principal.role != "admin":
        raise Forbidden("this action needs an admin token")
    return principal


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
StoreDep = Annotated[Store, Depends(get_store)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
AdminDep = Annotated[Principal, Depends(require_admin)]

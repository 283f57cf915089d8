"""FastAPI dependencies: settings and the engine, overridable in tests."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from coach.engine import Engine
from coach.settings import Settings


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]

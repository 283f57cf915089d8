"""The app factory: builds the engine once in the lifespan, mounts one router per resource."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.routes import health
from coach import __version__
from coach.engine import Engine
from coach.settings import Settings, get_settings


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """A configured app; tests pass their own settings (or engine) instead of patching globals."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.engine = engine or Engine(settings)
        # Load the model, knowledge and index before the first request, not during it.
        app.state.engine.searcher  # noqa: B018
        yield

    app = FastAPI(title="Coach API", version=__version__, lifespan=lifespan,
                  description="Career-conversation coach: questions, development maps, paths, follow-up summaries.")
    app.include_router(health.router)
    app.include_router(health.router, prefix="/v1")
    return app

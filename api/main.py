"""The app factory: builds engine and store once in the lifespan, mounts one router per resource."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.limits import BodySizeLimit
from api.routes import (
    commitments, development_maps, feedback, health, knowledge, notes, opportunities, plans, questions, reflections,
    rhythm, summaries,
)
from api.web import install_web
from coach import __version__
from coach.engine import Engine
from coach.errors import RetrievalUnavailable
from coach.settings import Settings, get_settings
from coach.store.store import Store

logger = logging.getLogger("coach.api")


def create_app(settings: Settings | None = None, engine: Engine | None = None, store: Store | None = None) -> FastAPI:
    """A configured app; tests pass their own settings, engine or store instead of patching globals."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.engine = engine or Engine(settings)
        own_store = store is None
        app.state.store = store or Store(settings.resolved_database_url)
        if own_store:
            app.state.store.migrate()
            if settings.seed_people_file:
                app.state.store.seed_people(settings.seed_people_file)
        # Notes a crash left in 'received' would stay there forever: mark them failed, with the retry command.
        stuck = app.state.store.sweep_stuck_notes(timedelta(minutes=settings.stuck_note_minutes))
        if stuck:
            logger.warning("marked %d note(s) stuck in 'received' as failed: %s", len(stuck), ", ".join(stuck))
        # Load the model, knowledge and index before the first request, not during it. Chroma being down must not
        # stop the process: /v1/ready reports it (503) and the engine connects again on the next request.
        try:
            app.state.engine.searcher.warm()
        except RetrievalUnavailable as exc:
            logger.warning("starting without the search index: %s", exc.message)
        # Load the embedding model beside serving, not before it: /health answers at once, the first query is warm.
        load = getattr(app.state.engine.embeddings, "load", None)
        if callable(load):
            threading.Thread(target=load, name="coach-embeddings-load", daemon=True).start()
        yield
        if own_store:
            app.state.store.close()

    app = FastAPI(title="Coach API", version=__version__, lifespan=lifespan,
                  description="Career-conversation coach: questions, development maps, paths, follow-up summaries. "
                              "Send `Authorization: Bearer <token>` (see `coach token create`).")
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.include_router(health.router)
    # plans before development_maps: its GET /development-maps/flagged must match before /development-maps/{map_id}
    for module in (health, knowledge, questions, plans, development_maps, summaries, commitments, notes, reflections,
                   rhythm, opportunities, feedback):
        app.include_router(module.router, prefix="/v1")
    install_web(app)
    return app

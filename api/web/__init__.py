"""The web app: server-rendered pages on the API's app, calling the same services under the same access rules."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def install_web(app: FastAPI) -> None:
    """Mount the pages and their static files."""
    from api.web.pages import auth, growth, habit, knowledge, notes, people, prepare

    from coach.retrieval.background import BackgroundReindex

    app.state.reindex_runs = BackgroundReindex()  # one per process, made once: no race between two first requests
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, people, prepare, notes, growth, knowledge, habit):
        app.include_router(module.router)

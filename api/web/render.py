"""Pages from jinja2 templates (autoescaped, strict about missing variables) and the HTML error page."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.web.session import optional_web_user

TEMPLATES = Path(__file__).parent / "templates"
STAGE_NAMES = {"reflect": "Reflect", "aspire": "Aspire", "explore": "Explore options", "gaps": "Gaps",
               "support": "Support", "commit": "Commit"}


def _nice_date(value: Any) -> str:
    if not value:
        return ""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{day.day} {day:%b %Y}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["nice_date"] = _nice_date
    env.globals["stage_names"] = STAGE_NAMES
    return env


def page(request: Request, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render templates/<name> with the signed-in user (or None) and the request."""
    user = context.pop("user", None) or getattr(request.state, "web_user", None)
    html = environment().get_template(name).render(request=request, user=user, today=date.today(), **context)
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})


TITLES = {400: "Bad request", 401: "Sign-in needed", 403: "Not yours to see", 404: "Not found",
          413: "Too large", 422: "Please check the form", 500: "Something went wrong", 502: "The model's draft was invalid",
          503: "Service unavailable"}


def error_page(request: Request, status: int, detail: str, *, field: str | None = None,
               errors: list[dict] | None = None) -> HTMLResponse:
    """An error as a page: what went wrong, the field and its limit, and where to go instead."""
    if getattr(request.state, "web_user", None) is None:
        request.state.web_user = optional_web_user(request)  # the navigation, on pages that never asked who
    title = "This form has expired" if field == "csrf" else TITLES.get(status, "Error")
    return page(request, "error.html", status_code=status, status=status, title=title,
                detail=detail, field=field, errors=errors or [])


def is_web(request: Request) -> bool:
    """Pages are everything that is not the JSON API (/v1, /health, /docs)."""
    path = request.url.path
    return not (path.startswith("/v1") or path in ("/health", "/openapi.json", "/docs", "/redoc")
                or path.startswith("/docs/"))

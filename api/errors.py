"""Errors as application/problem+json (RFC 9457), naming the field and the limit; one handler per kind."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.web.render import error_page, is_web
from api.web.session import SignInRequired, signin_url
from coach.errors import CoachError

PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _validation(request: Request, exc: RequestValidationError) -> Response:
    errors = []
    for err in exc.errors():
        field = _field(tuple(err.get("loc", ())))
        limit = {k: v for k, v in (err.get("ctx") or {}).items() if isinstance(v, (int, float, str))}
        errors.append({"field": field, "message": err.get("msg", "invalid"), "limit": limit or None})
    first = errors[0] if errors else {"field": "body", "message": "invalid request"}
    if is_web(request):
        return error_page(request, 422, f"{first['field']}: {first['message']}", field=first["field"], errors=errors)
    return problem(422, "Invalid request", f"{first['field']}: {first['message']}", field=first["field"], errors=errors)


async def _coach(request: Request, exc: CoachError) -> Response:
    if is_web(request):
        if isinstance(exc, SignInRequired):
            return RedirectResponse(signin_url(request), status_code=303)
        return error_page(request, exc.status_code, exc.message, field=exc.field)
    titles = {401: "Unauthorized", 403: "Forbidden", 404: "Not found", 409: "Conflict", 413: "Payload too large",
              422: "Invalid request", 502: "LLM output invalid", 503: "Service unavailable"}
    return problem(exc.status_code, titles.get(exc.status_code, "Error"), exc.message, field=exc.field,
                   **({"details": exc.details} if exc.details else {}))


async def _http(request: Request, exc: StarletteHTTPException) -> Response:
    if is_web(request):
        detail = "There is no page at this address." if exc.status_code == 404 else str(exc.detail)
        return error_page(request, exc.status_code, detail)
    return problem(exc.status_code, str(exc.detail) if exc.status_code < 500 else "Error", str(exc.detail))


async def _unexpected(request: Request, exc: Exception) -> Response:
    # Logged with its traceback by the server; the person sees a page (or problem+json), never the traceback.
    if is_web(request):
        return error_page(request, 500, "Coach hit an unexpected error; it is logged on the server. Try again, "
                                        "and tell your administrator if it keeps happening.")
    return problem(500, "Error", "internal error; it is logged on the server")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Exception, _unexpected)
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(CoachError, _coach)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]

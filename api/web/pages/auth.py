"""Sign in (a one-time link, or an API token pasted into a form) and sign out."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import SettingsDep, StoreDep
from api.web.render import page
from api.web.session import (
    SESSION_COOKIE,
    WebUserDep,
    check_csrf,
    check_signin_csrf,
    local_path,
    set_signin_csrf,
    signin_csrf,
)
from coach.settings import Settings
from coach.store.auth import Principal
from coach.store.store import Store
from coach.store.web import end_session, redeem_signin_code, session_for, start_session

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=500)]


def _signed_in(store: Store, settings: Settings, principal: Principal, target: str) -> Response:
    cookie, record = start_session(store, principal, valid_for=timedelta(hours=settings.session_hours))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="lax", secure=settings.secure_cookies,
                        max_age=int(settings.session_hours * 3600), path="/")
    return response


def _form(request: Request, template: str, *, status_code: int = 200, **context: object) -> HTMLResponse:
    token = signin_csrf(request)
    response = page(request, template, status_code=status_code, user=None, csrf=token, **context)
    set_signin_csrf(request, response, token)
    return response


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, store: StoreDep, next: str = "/") -> Response:
    if session_for(store, request.cookies.get(SESSION_COOKIE)) is not None:
        return RedirectResponse(local_path(next), status_code=303)
    return _form(request, "signin.html", next=local_path(next), error=None)


@router.post("/signin")
def signin(request: Request, store: StoreDep, settings: SettingsDep, token: Text = "", csrf: Text = "",
           next: Text = "/") -> Response:
    check_signin_csrf(request, csrf)
    principal = store.authenticate(token.strip())
    if principal is None:
        return _form(request, "signin.html", status_code=401, next=local_path(next),
                     error="token: unknown, revoked or expired. Ask your administrator for a sign-in link, "
                           "or create a token with `coach token create`.")
    return _signed_in(store, settings, principal, local_path(next))


@router.get("/signin/link", response_class=HTMLResponse)
def signin_link(request: Request, code: str = "") -> Response:
    # A GET never uses the code up: mail scanners and link previews open links too. The button below does.
    return _form(request, "signin_link.html", code=code[:200], error=None)


@router.post("/signin/link")
def signin_with_link(request: Request, store: StoreDep, settings: SettingsDep, code: Text = "",
                     csrf: Text = "") -> Response:
    check_signin_csrf(request, csrf)
    principal = redeem_signin_code(store, code.strip())
    if principal is None:
        return _form(request, "signin_link.html", status_code=401, code="",
                     error="code: this sign-in link was already used or has expired. Ask for a new one "
                           "(`coach signin-link`), or sign in with a token.")
    return _signed_in(store, settings, principal, "/")


@router.post("/signout")
def signout(request: Request, store: StoreDep, user: WebUserDep, csrf: Text = "") -> Response:
    check_csrf(user, csrf)
    end_session(store, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def start(user: WebUserDep) -> Response:
    return RedirectResponse(user.home, status_code=303)

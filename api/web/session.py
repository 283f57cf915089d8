"""Who is signed in to the web app: the session cookie, the principal behind it, and CSRF checks on every form."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response

from api.deps import get_app_settings, get_store
from coach.errors import CoachError, NotFound
from coach.store.auth import require_access
from coach.store.store import Store
from coach.store.auth import Principal
from coach.store.records import PersonRecord
from coach.store.web import session_for

SESSION_COOKIE = "coach_session"
# Before sign-in there is no session to hold a CSRF token: the sign-in forms use a double-submit cookie instead.
SIGNIN_CSRF_COOKIE = "coach_signin_csrf"


class SignInRequired(CoachError):
    """No valid session cookie: the page sends the browser to the sign-in page."""

    status_code = 401


class CsrfRefused(CoachError):
    """A form came without this session's CSRF token (another site, or a page from before sign-in)."""

    status_code = 403


@dataclass(frozen=True)
class WebUser:
    """The signed-in person: their principal, their person record (None for admin) and the session's CSRF token."""

    principal: Principal
    person: PersonRecord | None
    csrf_token: str

    @property
    def home(self) -> str:
        """Where this person starts: the team for managers and admins, their own page for employees."""
        if self.principal.role == "employee" and self.principal.person_id:
            return f"/people/{self.principal.person_id}"
        return "/team"

    @property
    def display_name(self) -> str:
        return self.person.name if self.person else "Admin"


def web_user(request: Request) -> WebUser:
    """The signed-in user, or SignInRequired (the error handler redirects to /signin?next=...)."""
    store = get_store(request)
    record = session_for(store, request.cookies.get(SESSION_COOKIE))
    if record is None:
        raise SignInRequired("sign in to continue")
    person = store.get_person(record.principal.person_id) if record.principal.person_id else None
    user = WebUser(principal=record.principal, person=person, csrf_token=record.csrf_token)
    request.state.web_user = user  # error pages show the navigation of whoever is signed in
    return user


def optional_web_user(request: Request) -> WebUser | None:
    """The signed-in user when there is one, else None (for pages anyone may see, such as errors)."""
    try:
        return web_user(request)
    except (SignInRequired, CoachError):
        return None


def visible_person(store: Store, user: WebUser, person_id: str) -> PersonRecord:
    """The person whose page this is, when the signed-in user may see their records (403 otherwise, 404 if none)."""
    require_access(user.principal, person_id)
    person = store.get_person(person_id)
    if person is None:
        raise NotFound(f"person_id: no person '{person_id}'", field="person_id")
    return person


def check_csrf(user: WebUser, sent: str | None) -> None:
    """Refuse a form whose csrf field is not this session's token."""
    if not sent or not hmac.compare_digest(sent.encode(), user.csrf_token.encode()):
        raise CsrfRefused("csrf: the form did not carry this session's token; reload the page and send it again",
                          field="csrf")


def signin_csrf(request: Request) -> str:
    """The double-submit token of the sign-in forms: the cookie's value, or a new one (see set_signin_csrf)."""
    token = request.cookies.get(SIGNIN_CSRF_COOKIE)
    return token if token and len(token) <= 100 else secrets.token_urlsafe(24)


def set_signin_csrf(request: Request, response: Response, token: str) -> None:
    """Send the sign-in token's cookie when the browser does not have it yet."""
    if request.cookies.get(SIGNIN_CSRF_COOKIE) != token:
        response.set_cookie(SIGNIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/signin",
                            secure=get_app_settings(request).secure_cookies)


def check_signin_csrf(request: Request, sent: str | None) -> None:
    """The sign-in form's token must equal its cookie (a cross-site form cannot read or set that cookie)."""
    cookie = request.cookies.get(SIGNIN_CSRF_COOKIE) or ""
    if not sent or not cookie or not hmac.compare_digest(sent.encode(), cookie.encode()):
        raise CsrfRefused("csrf: the sign-in form has expired; reload the page and try again", field="csrf")


def local_path(target: str | None, default: str = "/") -> str:
    """A redirect target only when it is a path on this site (never //host or a scheme: no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target or len(target) > 500:
        return default
    return target


def signin_url(request: Request) -> str:
    """The sign-in page that comes back to the page asked for."""
    wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/signin?next=" + quote(wanted, safe="")


WebUserDep = Annotated[WebUser, Depends(web_user)]

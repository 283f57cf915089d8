"""Refuses oversized and malformed bodies before any work is done, as problem+json, never a 500.

- over `max_bytes` (the Content-Length, or the bytes as they stream in): 413;
- JSON nested deeper than MAX_JSON_DEPTH (100k levels of "[" would overflow any recursive parser) or carrying an
  unpaired UTF-16 surrogate escape ("\\ud800": JSON allows it, but no database or encoder takes the text): 400;
- control characters (NUL and the like) in any JSON string: 422 naming the field.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Dates outside this range are refused (422): date arithmetic near year 1 or 9999 overflows, and no real meeting or
# plan lies there.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
MAX_JSON_DEPTH = 32
# Tab, newline and carriage return are text; every other C0 control, DEL and the C1 controls are not.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class BodySizeLimit:
    """ASGI middleware: 413 for bodies over `max_bytes`, 400 for malformed JSON, 422 for control characters."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._refuse(send)
            return
        # Read the body here, not in the app: an error raised from inside the app's receive() is turned into a
        # 400 "error parsing the body" by FastAPI. Bodies are small (the limit), so holding one costs nothing.
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending everything
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                await self._refuse(send)
                return
            more = message.get("more_body", False)
        refusal = check_json(bytes(body))
        if refusal is not None:
            status, field, detail = refusal
            await self._send(send, status, "Malformed request body" if status == 400 else "Invalid request", field,
                             detail)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        await self._send(send, 413, "Payload too large", "body",
                         f"body: request body is larger than the limit of {self.max_bytes} bytes")

    @staticmethod
    async def _send(send: Send, status: int, title: str, field: str, detail: str) -> None:
        body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail,
                           "field": field}).encode()
        headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def check_json(body: bytes) -> tuple[int, str, str] | None:
    """(status, field, detail) for a JSON body that must be refused, else None (not JSON: the app answers it)."""
    head = body.lstrip()[:1]
    if head not in (b"[", b"{"):
        return None
    try:
        data = json.loads(body)
    except RecursionError:
        return 400, "body", f"body: JSON nested deeper than {MAX_JSON_DEPTH} levels"
    except ValueError:
        return None  # not valid JSON: the app answers 422 naming the body
    # An explicit stack, not recursion: the walk must not overflow on the very bodies it refuses.
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            found = _bad_text(value, path or "body")
            if found:
                return found
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth > MAX_JSON_DEPTH:
            return 400, "body", f"body: JSON nested deeper than {MAX_JSON_DEPTH} levels"
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            child = f"{path}.{key}" if path else str(key)
            if isinstance(key, str):
                found = _bad_text(key, child)
                if found:
                    return found
            stack.append((item, child, depth + 1))
    return None


def _bad_text(text: str, field: str) -> tuple[int, str, str] | None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return 400, field, f"{field}: contains an unpaired UTF-16 surrogate escape; send valid Unicode text"
    control = _CONTROL.search(text)
    if control:
        return 422, field, (f"{field}: contains the control character U+{ord(control.group()):04X}; "
                            "only tab and line breaks are allowed")
    return None

"""Refuses oversized bodies before any work is done (the Content-Length, or the bytes as they stream in).

Also refuses JSON bodies carrying unpaired UTF-16 surrogate escapes ("\\ud800"): JSON allows them, but no database
or response encoder accepts the resulting text, so they would fail deep inside a request as a 500.
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
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class BodySizeLimit:
    """ASGI middleware: 413 problem+json for bodies over `max_bytes`, 422 for unpaired surrogates in JSON text."""

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
        field = _unpaired_surrogate(bytes(body))
        if field is not None:
            await self._send(send, 422, "Invalid request", field,
                             f"{field}: contains an unpaired UTF-16 surrogate escape; send valid Unicode text")
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


def _unpaired_surrogate(body: bytes) -> str | None:
    """The dotted path of the first string holding a lone surrogate, or None (cheap unless an escape is present)."""
    if not _SURROGATE_ESCAPE.search(body):
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None  # not JSON: the app answers 422 for it

    def walk(value: Any, path: str) -> str | None:
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return path or "body"
            return None
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, item in items:
            found = walk(str(key), path or "body") or walk(item, f"{path}.{key}" if path else str(key))
            if found:
                return found
        return None

    return walk(data, "")

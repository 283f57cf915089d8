"""Misbehaving LLM endpoints for fault tests: tiny HTTP servers on 127.0.0.1 that are slow or answer garbage."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal

Behaviour = Literal["slow", "not_json", "no_choices", "nonsense", "cut_off"]

NONSENSE_COMPLETION = {
    "id": "chatcmpl-fault", "object": "chat.completion", "created": 0, "model": "x",
    "choices": [{"index": 0, "finish_reason": "stop",
                 "message": {"role": "assistant", "content": "Purple elephants dance on Tuesdays. 42!"}}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 8, "total_tokens": 9},
}


def _handler(behaviour: Behaviour, delay_s: float, calls: list[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            calls.append(self.path)
            self.rfile.read(int(self.headers.get("content-length") or 0))
            if behaviour == "slow":
                time.sleep(delay_s)
                body, kind = json.dumps(NONSENSE_COMPLETION).encode(), "application/json"
            elif behaviour == "not_json":
                body, kind = b"<html>502 upstream hiccup, not JSON at all", "application/json"
            elif behaviour == "no_choices":
                body, kind = b'{"choices": []}', "application/json"
            elif behaviour == "cut_off":  # the token limit reached mid-answer, as SmolLM2 did on a real server
                cut = {**NONSENSE_COMPLETION, "choices": [{"index": 0, "finish_reason": "length", "message": {
                    "role": "assistant", "content": '{"commitments": [{"line": 1, "owner": "Da'}}]}
                body, kind = json.dumps(cut).encode(), "application/json"
            else:
                body, kind = json.dumps(NONSENSE_COMPLETION).encode(), "application/json"
            try:
                self.send_response(200)
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (the slow case): that is the point

        do_GET = do_POST  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def fake_llm(behaviour: Behaviour, *, delay_s: float = 5.0) -> Iterator[tuple[str, list[str]]]:
    """An OpenAI-compatible base URL (…/v1) that misbehaves as asked, and the list of paths it was called on."""
    calls: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(behaviour, delay_s, calls))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", calls
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

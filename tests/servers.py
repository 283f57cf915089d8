"""Real servers for tests: the Coach app under uvicorn on 127.0.0.1 and a free port, and `chroma run`."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from tests.conftest import free_port

# httpx builds an SSL context with the whole CA bundle for every client it makes (~40 ms), though these servers
# speak plain HTTP on loopback: one context, made once, serves every client of the suite.
LOOPBACK_TLS = ssl.create_default_context()


def loopback_client(base_url: str, **kwargs: object) -> httpx.Client:
    """An httpx client for a test server on 127.0.0.1."""
    return httpx.Client(base_url=base_url, verify=LOOPBACK_TLS, **kwargs)  # type: ignore[arg-type]


@dataclass
class RunningApi:
    """A live server: its base URL and an httpx client per token."""

    base_url: str
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, who: str | None = None, timeout: float = 60.0) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return loopback_client(self.base_url, headers=headers, timeout=timeout)


@contextmanager
def serve(app: FastAPI, *, limit_concurrency: int | None = None) -> Iterator[str]:
    """Run `app` under uvicorn in a thread until the block ends; yields the base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", limit_concurrency=limit_concurrency)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def wait_for_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 60.0) -> None:
    """Return once something listens on 127.0.0.1:port; RuntimeError if `proc` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode} before listening on port {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not listen on port {port} within {timeout:.0f} s")


def stop(proc: subprocess.Popen, timeout: float = 30.0) -> None:
    """SIGTERM the process group we started (uvicorn's workers too), SIGKILL it if it lingers."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@contextmanager
def chroma_run(path: Path) -> Iterator[int]:
    """A real `chroma run` server on 127.0.0.1 and a free port, storing under `path`; yields the port."""
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        raise FileNotFoundError(f"no chroma command at {chroma}")
    port = free_port()
    proc = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_port(port, proc, "chroma run", timeout=30)
        yield port
    finally:
        stop(proc)

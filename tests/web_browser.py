"""A real Chromium (Debian's, driven by Playwright) for the web app's tests; skipped only where none is installed."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("COACH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Set COACH_SCREENSHOTS=docs/screenshots to refresh the README's pictures while the tests run.
SCREENSHOTS = os.environ.get("COACH_SCREENSHOTS")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium: `make test` installs Debian's chromium with apt-get (as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def screenshot(page: object, name: str) -> None:
    """Save a full-page screenshot for the docs when COACH_SCREENSHOTS names a folder."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]

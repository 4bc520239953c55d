"""Fixtures of the browser tests: a real server process and headless Chromium.

They need the ``playwright`` Python package and a Chromium on PATH (Debian's ``chromium``); the
Playwright browser download is not used. Without Chromium a browser test fails: CI installs it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import pytest

from tests.cli.servers import Server, ServerPool

OPERATOR_TOKEN = "browser-test-operator-token"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture
def server(tmp_path, database_url) -> Iterator[Server]:
    """``tradetrace serve`` on a free port over the test's database, with one operator."""
    pool = ServerPool(tmp_path)
    try:
        yield pool.start(
            tmp_path / "data",
            database_url,
            operator_tokens=json.dumps({"officer-7": OPERATOR_TOKEN}),
        )
    finally:
        pool.stop_all()


@pytest.fixture
def browser():
    """Headless Debian Chromium driven by Playwright."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "chromium is not on PATH: install Debian's chromium package (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()

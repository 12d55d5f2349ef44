"""Fixtures for the patient page in a real headless Chromium.

The tests skip only when ``/usr/lib/chromium/chromium`` is missing and
``MEDCONSOLE_REQUIRE_BROWSER`` is not ``1``; CI sets it, so there a missing
browser fails.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.cdp import Browser, browser_available
from tests.browser.fakehub import FakeHub
from tests.hub.conftest import hub_backend, hub_clock, hub_config, hub_server  # noqa: F401

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

REQUIRE_BROWSER = os.environ.get("MEDCONSOLE_REQUIRE_BROWSER") == "1"
SHOTS = Path(os.environ.get("MEDCONSOLE_SHOTS_DIR", "/tmp/page-shots"))

needs_browser = pytest.mark.skipif(
    not browser_available() and not REQUIRE_BROWSER,
    reason="/usr/lib/chromium/chromium is missing (apt-get install chromium); "
    "set MEDCONSOLE_REQUIRE_BROWSER=1 to make this a failure",
)


@pytest.fixture
async def hub() -> AsyncIterator[FakeHub]:
    fake = FakeHub()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()
    assert not fake.bad_frames, f"the page sent frames outside the protocol: {fake.bad_frames}"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with Browser() as b:
        yield b
        errors = list(b.page_errors)
    assert not errors, f"uncaught exceptions in the page: {errors}"

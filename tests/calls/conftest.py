"""Fixtures for the calls tests: a fake hub relay and loopback-only ICE settings.

Real aiortc peers run in-process. ICE uses no server and offers 127.0.0.1 only
(``CallConfig.loopback()``), so every packet stays on the loopback device.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from console.calls.ice import CallConfig
from console.calls.registry import CallRegistry
from tests.calls.helpers import FakeRelay

if TYPE_CHECKING:
    from collections.abc import AsyncIterator


@pytest.fixture
def relay() -> FakeRelay:
    return FakeRelay()


@pytest.fixture
def config() -> CallConfig:
    return CallConfig.loopback()


@pytest.fixture
async def registry() -> AsyncIterator[CallRegistry]:
    reg = CallRegistry()
    try:
        yield reg
    finally:
        await reg.close_all()

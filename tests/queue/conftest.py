"""Fixtures of the routing engine's tests: a fake clock and an engine on it."""

from __future__ import annotations

import pytest

from console.clock import FakeClock
from console.queue import Engine
from tests.queue.helpers import T0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def engine(clock: FakeClock) -> Engine:
    return Engine(clock)

"""Fixtures of the booking rules' tests: a fake clock on Monday morning."""

from __future__ import annotations

import pytest

from console.clock import FakeClock
from tests.booking.helpers import T0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)

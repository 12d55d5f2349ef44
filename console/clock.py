"""The one clock every rule reads, so that tests can move time by hand.

Domain packages take a :class:`Clock` instead of calling ``datetime.now``; the
hub passes :class:`SystemClock`, tests pass :class:`FakeClock`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta | float) -> datetime:
        if not isinstance(delta, timedelta):
            delta = timedelta(seconds=delta)
        self._now += delta
        return self._now

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("FakeClock needs timezone-aware instants")
        self._now = when.astimezone(UTC)


def local_date(clock: Clock, tz: tzinfo) -> date:
    """Today's date in the call center's time zone."""
    return clock.now().astimezone(tz).date()

"""Properties of the definitions, over generated visits around a Moscow midnight."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from hypothesis import given, settings
from hypothesis import strategies as st

from console.queue import Channel, Kind
from console.stats import (
    DEFAULT_GROUPS,
    Exit,
    QueueVisit,
    StatsConfig,
    day_bounds,
    queue_figures,
    report,
    waiting_since,
    wallboard,
)
from tests.stats.helpers import MSK

if TYPE_CHECKING:
    from console.stats import QueueFigures

BASE = datetime(2026, 11, 21, 22, 0, tzinfo=MSK)  # two hours before midnight
SPAN_MS = 4 * 3600 * 1000
QUEUES = ("operators", "duty:therapist", "doctor:d1", "doctor:d2")
FATES = ("answered", "abandoned", "timed_out", "cancelled", "transferred", "waiting")
EXITS = {
    "abandoned": Exit.ABANDONED,
    "timed_out": Exit.TIMED_OUT,
    "cancelled": Exit.CANCELLED,
    "transferred": Exit.TRANSFERRED,
}


def ms(value: int) -> timedelta:
    return timedelta(milliseconds=value)


@st.composite
def visits(draw: st.DrawFn, requeues: bool = True) -> QueueVisit:
    entered = BASE + ms(draw(st.integers(0, SPAN_MS)))
    fate = draw(st.sampled_from(FATES))
    wait = ms(draw(st.sampled_from([0, 4_999, 5_000, 20_000, 20_001]) | st.integers(0, 900_000)))
    common = {
        "contact_id": "c",
        "queue": draw(st.sampled_from(QUEUES)),
        "channel": Channel.VIDEO,
        "kind": Kind.URGENT,
        "entered_at": entered,
    }
    if fate == "waiting":
        return QueueVisit(**common)  # type: ignore[arg-type]
    if fate != "answered":
        return QueueVisit(**common, left_at=entered + wait, exit=EXITS[fate])  # type: ignore[arg-type]
    answered = entered + wait
    handle = draw(st.none() | st.integers(0, 1_800_000).map(ms))
    requeued = None
    if requeues and handle is not None and draw(st.booleans()):
        requeued = answered + handle + ms(draw(st.integers(0, 60_000)))
    return QueueVisit(
        **common,  # type: ignore[arg-type]
        answered_at=answered,
        handle_time=handle,
        handled_at=None if handle is None else answered + handle,
        requeued_at=requeued,
    )


moments = st.integers(0, SPAN_MS + 600_000).map(lambda v: BASE + ms(v))
configs = st.builds(
    StatsConfig,
    target=st.integers(0, 60).map(lambda v: timedelta(seconds=v)),
    short_abandon=st.integers(0, 30).map(lambda v: timedelta(seconds=v)),
)


def check(f: QueueFigures) -> None:
    assert f.offered == f.answered + f.abandoned + f.transferred + f.cancelled + f.waiting
    assert 0 <= f.answered_within_target <= f.answered
    assert 0 <= f.abandoned_after_target <= f.abandoned
    assert 0 <= f.timed_out <= f.abandoned
    assert 0 <= f.handled <= f.answered
    for ratio in (f.service_level, f.abandoned_share):
        assert ratio is None or 0 <= ratio <= 1
    assert (f.asa is None) == (f.answered == 0)
    assert (f.aht is None) == (f.handled == 0)
    assert f.asa is None or f.asa >= timedelta(0)


@settings(max_examples=200, deadline=None)
@given(st.lists(visits(), max_size=40), moments, configs)
def test_every_offered_visit_is_in_exactly_one_bucket(
    vs: list[QueueVisit], now: datetime, config: StatsConfig
) -> None:
    board = wallboard(vs, now=now, tz=MSK, config=config)
    for row in board.values():
        check(row.today)
        check(row.recent)
        assert (row.waiting == 0) == (row.longest_wait is None)
        assert row.longest_wait is None or row.longest_wait >= timedelta(0)
    for r in report(vs, date(2026, 11, 22), tz=MSK, now=now, config=config):
        check(r)


@settings(max_examples=100, deadline=None)
@given(st.lists(visits(), max_size=40), moments)
def test_the_intervals_add_up_to_the_day(vs: list[QueueVisit], now: datetime) -> None:
    for day in (date(2026, 11, 21), date(2026, 11, 22)):
        rows = report(vs, day, tz=MSK, now=now)
        start, end = day_bounds(day, MSK)
        for group in DEFAULT_GROUPS:
            whole = queue_figures(vs, group, now=now, since=start, until=end)
            mine = [r for r in rows if r.queue == group]
            for name in (
                "offered",
                "answered",
                "answered_within_target",
                "abandoned",
                "abandoned_after_target",
                "short_abandoned",
                "transferred",
                "cancelled",
                "waiting",
                "handled",
            ):
                assert sum(getattr(r, name) for r in mine) == getattr(whole, name)
            # Means are not additive, but their totals are (to the microsecond of rounding).
            total = sum((r.asa * r.answered for r in mine if r.asa is not None), timedelta(0))
            if whole.asa is not None:
                assert abs(total - whole.asa * whole.answered) <= ms(1) * len(mine)


def as_of(v: QueueVisit, now: datetime) -> QueueVisit | None:
    """The visit as it was known at ``now``: later facts dropped."""
    if v.entered_at > now:
        return None
    if v.answered_at is not None and v.answered_at > now:
        return replace(v, answered_at=None, handle_time=None, handled_at=None)
    if v.handled_at is not None and v.handled_at > now:
        return replace(v, handle_time=None, handled_at=None)
    if v.left_at is not None and v.left_at > now:
        return replace(v, left_at=None, exit=None)
    return v


@settings(max_examples=200, deadline=None)
@given(st.lists(visits(requeues=False), max_size=40), moments, configs)
def test_facts_after_now_change_nothing(
    vs: list[QueueVisit], now: datetime, config: StatsConfig
) -> None:
    known = [k for v in vs if (k := as_of(v, now)) is not None]
    assert wallboard(vs, now=now, tz=MSK, config=config) == wallboard(
        known, now=now, tz=MSK, config=config
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(visits(), max_size=40), moments)
def test_waiting_now_is_every_visit_waiting_now(vs: list[QueueVisit], now: datetime) -> None:
    board = wallboard(vs, now=now, tz=MSK)
    assert sum(r.waiting for r in board.values()) == sum(
        waiting_since(v, now) is not None for v in vs
    )
    starts = [w for v in vs if (w := waiting_since(v, now)) is not None]
    longest = [r.longest_wait for r in board.values() if r.longest_wait is not None]
    assert max(longest, default=None) == (now - min(starts) if starts else None)

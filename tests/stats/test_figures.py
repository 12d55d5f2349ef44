"""The wallboard's figures, checked against numbers worked out by hand.

Times are seconds after 09:00 MSK (see ``helpers.SCENARIO``); ``now`` is 1500
(09:25:00), so "the last 15 minutes" is [600, 1500].
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from console.queue import QueueConfig
from console.stats import (
    DEFAULT_GROUPS,
    Exit,
    QueueFigures,
    QueueVisit,
    StatsConfig,
    local_midnight,
    queue_figures,
    queue_group,
    waiting_since,
    wallboard,
)
from tests.stats.helpers import APPT, MSK, NOW, OPS, PED, SCENARIO, T0, THER, at, s, visit

MIDNIGHT = datetime(2026, 11, 22, 0, 0, tzinfo=MSK)


def counts(f: QueueFigures) -> dict[str, int]:
    return {
        "offered": f.offered,
        "answered": f.answered,
        "within": f.answered_within_target,
        "abandoned": f.abandoned,
        "late": f.abandoned_after_target,
        "timed_out": f.timed_out,
        "short": f.short_abandoned,
        "transferred": f.transferred,
        "cancelled": f.cancelled,
        "waiting": f.waiting,
        "handled": f.handled,
    }


def test_queue_groups() -> None:
    assert queue_group("operators") == OPS
    assert queue_group("duty:therapist") == THER
    assert queue_group("doctor:d7") == APPT  # every doctor's own queue is "appointments"
    assert queue_group("duty:neurologist") == "duty:neurologist"


def test_operators_today_by_hand() -> None:
    board = wallboard(SCENARIO, now=at(NOW), tz=MSK)
    ops = board[OPS]
    # Waiting now: c08 only (entered 1000, answered only at 1560 > now).
    assert ops.waiting == 1
    assert ops.longest_wait == s(500)  # 1500 - 1000
    today = ops.today
    assert (today.start, today.end) == (MIDNIGHT, at(NOW))
    assert counts(today) == {
        "offered": 8,  # c01..c09 = 9 entered, minus the short abandon c04
        "answered": 4,  # c01, c02, c03, c07
        "within": 2,  # c01 (10 s), c02 (20 s: "within 20 s" includes 20)
        "abandoned": 2,  # c05 (15 s), c06 (60 s); c04 (3 s) is short
        "late": 1,  # c06: 60 s > 20 s
        "timed_out": 0,
        "short": 1,  # c04
        "transferred": 0,
        "cancelled": 1,  # c09
        "waiting": 1,  # c08
        "handled": 4,  # c01, c02, c03, c07 (handled by 1330 <= 1500)
    }
    # 4 answered + 2 abandoned + 0 transferred + 1 cancelled + 1 waiting = 8 offered
    assert today.service_level == 2 / 5  # within 2 / (answered 4 + abandoned after target 1)
    assert today.abandoned_share == 2 / 8  # abandoned 2 / offered 8
    assert today.asa == s(10 + 20 + 35 + 90) / 4  # 155/4 = 38.75 s
    assert today.asa == s(38.75)
    assert today.aht == s(200 + 120 + 300 + 400) / 4  # 1020/4 = 255 s
    assert today.aht == s(255)


def test_operators_last_15_minutes_by_hand() -> None:
    recent = wallboard(SCENARIO, now=at(NOW), tz=MSK)[OPS].recent
    assert (recent.start, recent.end) == (at(600), at(NOW))
    # Entered in [600, 1500]: c07 (840) and c08 (1000).
    assert counts(recent) == {
        "offered": 2,
        "answered": 1,  # c07, after 90 s
        "within": 0,
        "abandoned": 0,
        "late": 0,
        "timed_out": 0,
        "short": 0,
        "transferred": 0,
        "cancelled": 0,
        "waiting": 1,  # c08
        "handled": 1,  # c07, handled at 1330
    }
    assert recent.service_level == 0.0  # 0 / (1 + 0): answered, but late
    assert recent.abandoned_share == 0.0  # 0 / 2
    assert recent.asa == s(90)
    assert recent.aht == s(400)


def test_duty_therapist_by_hand() -> None:
    ther = wallboard(SCENARIO, now=at(NOW), tz=MSK)[THER]
    assert (ther.waiting, ther.longest_wait) == (0, None)  # nobody waits: None, not 0 s
    assert counts(ther.today) == {
        "offered": 4,  # c10..c13
        "answered": 2,  # c10 (5 s), c13 (25 s)
        "within": 1,  # c10
        "abandoned": 1,  # c11: closed as not reached is an abandon (a timeout)...
        "late": 1,  # ...after 900 s, so against the service level
        "timed_out": 1,
        "short": 0,
        "transferred": 1,  # c12: neither answered nor abandoned
        "cancelled": 0,
        "waiting": 0,
        "handled": 1,  # c10 (1005); c13 is still talking
    }
    assert ther.today.service_level == 1 / 3  # 1 / (2 answered + 1 abandoned after target)
    assert ther.today.abandoned_share == 1 / 4
    assert ther.today.asa == s(15)  # (5 + 25) / 2
    assert ther.today.aht == s(600)  # c10 only
    # Last 15 minutes [600, 1500]: c12 (entered exactly at 600: the start is included), c13.
    recent = ther.recent
    assert (recent.offered, recent.answered, recent.transferred) == (2, 1, 1)
    assert recent.service_level == 0.0  # c13: 25 s > 20 s
    assert recent.asa == s(25)
    assert recent.aht is None  # nobody handled to the end yet: None, not 0 s
    assert recent.handled == 0


def test_appointments_and_empty_queues() -> None:
    board = wallboard(SCENARIO, now=at(NOW), tz=MSK)
    assert list(board) == list(DEFAULT_GROUPS)  # always all four, in order
    appt = board[APPT].today
    # c14 in doctor:d7: answered after 90 s; its handling ends at 1790, after now.
    assert (appt.offered, appt.answered, appt.handled) == (1, 1, 0)
    assert appt.service_level == 0.0
    assert appt.asa == s(90)
    assert appt.aht is None
    ped = board[PED]
    assert (ped.waiting, ped.longest_wait) == (0, None)
    for f in (ped.today, ped.recent):
        assert counts(f) == dict.fromkeys(counts(f), 0)
        # 0/0 is None, so an empty queue never shows "0%" or "0 s".
        assert (f.service_level, f.abandoned_share, f.asa, f.aht) == (None, None, None, None)


def test_empty_input() -> None:
    board = wallboard([], now=at(NOW), tz=MSK)
    assert list(board) == list(DEFAULT_GROUPS)
    assert all(r.waiting == 0 and r.longest_wait is None for r in board.values())
    assert all(r.today.service_level is None for r in board.values())


def test_later_facts_are_ignored_until_now_reaches_them() -> None:
    # At 2000: c08 was answered at 1560 (560 s, late); c14's handling ended at 1790.
    board = wallboard(SCENARIO, now=at(2000), tz=MSK)
    ops = board[OPS].today
    assert (ops.answered, ops.waiting, board[OPS].waiting) == (5, 0, 0)
    assert ops.service_level == 2 / 6  # 2 within / (5 answered + 1 late abandon)
    assert ops.asa == s(10 + 20 + 35 + 90 + 560) / 5  # 715/5 = 143 s
    assert ops.asa == s(143)
    assert ops.aht == s(255)  # c08 is not handled to the end: still the same four
    assert board[APPT].today.aht == s(500)  # c14, handled at 1790 <= 2000
    # Before anything happened, at 09:00 exactly: c01 entered at 09:00 and waits.
    early = wallboard(SCENARIO, now=at(0), tz=MSK)[OPS]
    assert (early.waiting, early.longest_wait) == (1, s(0))
    assert (early.today.offered, early.today.waiting, early.today.asa) == (1, 1, None)


def test_a_contact_spanning_the_interval_boundary_counts_where_it_entered() -> None:
    # c07 entered at 840 (09:14) and was answered at 930 (09:15:30).
    first = queue_figures(SCENARIO, OPS, now=at(NOW), since=at(0), until=at(900))
    second = queue_figures(SCENARIO, OPS, now=at(NOW), since=at(900), until=at(1800))
    assert first.answered == 4  # c01, c02, c03 and c07
    assert second.answered == 0
    assert (second.offered, second.waiting) == (1, 1)  # c08 only
    assert (first.start, first.end) == (at(0), at(900))


def test_queue_figures_matches_the_wallboard() -> None:
    board = wallboard(SCENARIO, now=at(NOW), tz=MSK)
    for group in DEFAULT_GROUPS:
        assert queue_figures(SCENARIO, group, now=at(NOW), since=MIDNIGHT) == board[group].today
        since = at(NOW) - timedelta(minutes=15)
        assert queue_figures(SCENARIO, group, now=at(NOW), since=since) == board[group].recent


@pytest.mark.parametrize(
    ("target", "within", "late", "sl"),
    [
        (20, 2, 1, 2 / 5),  # the default, as above
        (35, 3, 1, 3 / 5),  # c03's 35 s is now within; c06 (60 s) still late
        # c01 only within; c05 abandoned at exactly 15 s is not "after" the target.
        (15, 1, 1, 1 / 5),
        (60, 3, 0, 3 / 4),  # c07's 90 s is late; c06 abandoned at exactly 60 s is not
        (0, 0, 2, 0 / 6),  # nobody within 0 s; c05 and c06 both late
    ],
)
def test_configurable_target(target: int, within: int, late: int, sl: float) -> None:
    config = StatsConfig(target=s(target))
    ops = wallboard(SCENARIO, now=at(NOW), tz=MSK, config=config)[OPS].today
    assert (ops.answered_within_target, ops.abandoned_after_target) == (within, late)
    assert ops.service_level == sl


def test_target_and_short_abandon_boundaries_to_the_microsecond() -> None:
    visits = [
        visit("b1", OPS, 0, answered=20),  # within: "within 20 s" includes 20 s
        visit("b2", OPS, 0, answered=20.001),  # late
        visit("b3", OPS, 0, left=5, exit=Exit.ABANDONED),  # 5 s is not short: abandoned
        visit("b4", OPS, 0, left=4.999, exit=Exit.ABANDONED),  # short
        visit("b5", OPS, 0, left=20, exit=Exit.ABANDONED),  # abandoned, not after the target
        visit("b6", OPS, 0, left=20.001, exit=Exit.ABANDONED),  # abandoned after the target
    ]
    ops = wallboard(visits, now=at(60), tz=MSK)[OPS].today
    assert (ops.answered, ops.answered_within_target) == (2, 1)
    assert (ops.abandoned, ops.abandoned_after_target, ops.short_abandoned) == (3, 1, 1)
    assert ops.offered == 5  # 2 answered + 3 abandoned; b4 is left out
    assert ops.service_level == 1 / 3  # b1 / (b1, b2 answered + b6 abandoned after target)
    assert ops.abandoned_share == 3 / 5
    assert ops.asa == s(20.0005)  # (20 + 20.001) / 2


@pytest.mark.parametrize(
    ("short", "offered", "abandoned", "short_abandoned"),
    [
        (5, 8, 2, 1),  # the default: c04 (3 s) is short
        (20, 7, 1, 2),  # c04 (3 s) and c05 (15 s) are short
        (3, 9, 3, 0),  # c04 waited exactly 3 s: not shorter than 3 s, so it counts
        (0, 9, 3, 0),  # no short abandons at all
    ],
)
def test_configurable_short_abandon(
    short: int, offered: int, abandoned: int, short_abandoned: int
) -> None:
    config = StatsConfig(short_abandon=s(short))
    ops = wallboard(SCENARIO, now=at(NOW), tz=MSK, config=config)[OPS].today
    assert (ops.offered, ops.abandoned) == (offered, abandoned)
    assert ops.short_abandoned == short_abandoned
    assert ops.abandoned_share == abandoned / offered  # e.g. 1/7 with a 20 s threshold
    # Short abandons never reach the service level: c04 and c05 are within 20 s anyway.
    assert ops.service_level == 2 / 5


def test_goal_and_config() -> None:
    config = StatsConfig()
    assert (config.target, config.goal, config.short_abandon) == (s(20), 0.8, s(5))
    assert config.meets_goal(2 / 5) is False
    assert config.meets_goal(0.8) is True  # the goal itself is met
    assert config.meets_goal(None) is None
    assert StatsConfig(goal=0.4).meets_goal(2 / 5) is True
    engine = QueueConfig(service_level_target=s(30), short_abandon=s(10))
    derived = StatsConfig.from_queue_config(engine, goal=0.9)
    assert (derived.target, derived.short_abandon, derived.goal) == (s(30), s(10), 0.9)
    for bad in (
        {"target": s(-1)},
        {"short_abandon": s(-1)},
        {"goal": 1.5},
        {"recent": s(0)},
        {"interval": s(7 * 60)},  # does not divide an hour
    ):
        with pytest.raises(ValueError, match="StatsConfig"):
            StatsConfig(**bad)


def test_moscow_day_boundary() -> None:
    # 23:59:50 on the 21st and 00:00:00 on the 22nd in Moscow: both are the 21st in UTC.
    late = visit("y1", OPS, -9 * 3600 - 10, answered=-9 * 3600 + 5)  # 23:59:50 -> 00:00:05
    early = visit("y2", OPS, -9 * 3600)  # 00:00:00, still waiting
    assert late.entered_at.date() == early.entered_at.date() == MIDNIGHT.astimezone(UTC).date()
    now = MIDNIGHT + timedelta(minutes=5)
    assert local_midnight(now, MSK) == MIDNIGHT
    row = wallboard([late, early], now=now, tz=MSK)[OPS]
    assert (row.today.offered, row.today.answered, row.today.waiting) == (1, 0, 1)  # y2 only
    assert (row.recent.offered, row.recent.answered) == (2, 1)  # 23:50..00:05 holds both
    assert row.today.start == MIDNIGHT
    assert (row.waiting, row.longest_wait) == (1, s(300))
    # In another time zone "today" starts elsewhere: 00:05 MSK is 21:05 on the 21st in London.
    london = wallboard([late, early], now=now, tz=ZoneInfo("Europe/London"))[OPS]
    assert london.today.offered == 2


def test_requeued_contact_waits_again_from_its_requeue() -> None:
    # Answered at 10, its operator lost at 100, waiting again since then.
    v = visit("r1", OPS, 0, answered=10, requeued=100)
    assert waiting_since(v, at(50)) is None  # being talked to
    assert waiting_since(v, at(120)) == at(100)
    row = wallboard([v], now=at(120), tz=MSK)[OPS]
    assert (row.waiting, row.longest_wait) == (1, s(20))
    # It stays answered, once, at its first answer.
    assert (row.today.answered, row.today.waiting, row.today.asa) == (1, 0, s(10))
    gone = visit("r2", OPS, 0, answered=10, requeued=100, left=130, exit=Exit.ABANDONED)
    assert waiting_since(gone, at(120)) == at(100)  # waited again from 100 to 130
    assert waiting_since(gone, at(140)) is None
    assert wallboard([gone], now=at(140), tz=MSK)[OPS].today.abandoned == 0  # answered wins


def test_other_groups_follow_the_configured_ones() -> None:
    visits = [visit("n1", "duty:neurologist", 0), visit("a1", "duty:allergist", 0)]
    board = wallboard(visits, now=at(10), tz=MSK)
    assert list(board) == [*DEFAULT_GROUPS, "duty:allergist", "duty:neurologist"]
    only = wallboard(visits, now=at(10), tz=MSK, config=StatsConfig(groups=(OPS,)))
    assert list(only) == [OPS, "duty:allergist", "duty:neurologist"]


def test_visit_validation() -> None:
    naive = datetime(2026, 11, 22, 9, 0)  # naive: the point of the test
    with pytest.raises(ValueError, match="timezone-aware"):
        visit_at(naive)
    with pytest.raises(ValueError, match="left_at and exit"):
        visit("x", OPS, 0, left=5)
    with pytest.raises(ValueError, match="before entered_at"):
        visit("x", OPS, 10, answered=5)
    with pytest.raises(ValueError, match="nobody answered"):
        QueueVisit(
            contact_id="x",
            queue=OPS,
            channel=SCENARIO[0].channel,
            kind=SCENARIO[0].kind,
            entered_at=T0,
            handle_time=s(1),
            handled_at=T0,
        )
    # Instants in any zone are kept in UTC, so durations are right across a DST change.
    v = visit("x", OPS, 0, answered=10)
    assert v.entered_at.tzinfo is UTC
    assert v.entered_at == T0
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        wallboard([], now=naive, tz=MSK)


@pytest.mark.parametrize("name", ["answered_at", "left_at", "handled_at", "requeued_at"])
@pytest.mark.parametrize("zone", [UTC, MSK])
def test_no_instant_before_entered_at_in_any_zone(name: str, zone: tzinfo) -> None:
    """The checks hold whether the instants come in UTC (the fast path) or not."""
    fields: dict[str, Any] = {"answered_at": at(20)}
    if name == "left_at":
        fields["exit"] = Exit.ABANDONED
    if name == "handled_at":
        fields["handle_time"] = s(1)
    early = at(5).astimezone(zone)
    with pytest.raises(ValueError, match=f"{name} is before entered_at"):
        visit_at(at(10).astimezone(zone), **{**fields, name: early})
    fine = visit_at(at(10).astimezone(zone), **{**fields, name: at(10).astimezone(zone)})
    assert getattr(fine, name) == at(10)
    assert getattr(fine, name).tzinfo is UTC and fine.entered_at.tzinfo is UTC


def visit_at(entered: datetime, **fields: Any) -> QueueVisit:
    return QueueVisit(
        contact_id="x",
        queue=OPS,
        channel=SCENARIO[0].channel,
        kind=SCENARIO[0].kind,
        entered_at=entered,
        **fields,
    )

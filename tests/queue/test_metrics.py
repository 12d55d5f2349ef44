"""Metrics, checked against numbers worked out by hand."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from console.queue import Channel, Engine, Event, Kind, Outcome, StaffState
from console.queue.metrics import (
    ALL_QUEUES,
    Handle,
    MetricsRecorder,
    QueueVisit,
    interval_report,
    live_metrics,
    staff_by_state,
    window_metrics,
)
from tests.queue.helpers import T0, at, register

if TYPE_CHECKING:
    from console.clock import FakeClock

V, FOLLOW = Channel.VIDEO, Kind.FOLLOW_UP
S = timedelta(seconds=1)
MIN15 = timedelta(minutes=15)


def day_of_two_operators(engine: Engine, clock: FakeClock) -> list[Event]:
    """The scenario the numbers below are worked out from (seconds after 09:00).

    c1 arrives 0, o1 answers at 10 (10 s), ends at 190, wrap-up to 220: handle 210 s.
    c2 arrives 5, o2 back from a break at 35, answers at 40 (35 s), ends at 160,
       finishes wrap-up at 170: handle 130 s.
    c3 arrives 60, hangs up at 63: a short abandon (3 s).
    c4 arrives 60, hangs up at 120: abandoned after 60 s.
    c5 arrives 90, cancelled at 100.
    c6 (urgent) waits from 0 for a duty pediatrician nobody is, not reached at 900.
    """
    events: list[Event] = []

    def when(seconds: int) -> None:
        clock.set(at(seconds))
        events.extend(engine.tick())

    register(engine, operators=("o1", "o2"))
    events += engine.set_break("o2", "meeting")
    events += engine.set_available("o1")
    events += engine.arrive("c1", V, FOLLOW)
    events += engine.arrive("c6", V, Kind.URGENT, queue="duty:pediatrician")
    when(5)
    events += engine.arrive("c2", Channel.CHAT, FOLLOW)
    when(10)
    events += engine.accept("c1", "o1")
    when(35)
    events += engine.set_available("o2")
    when(40)
    events += engine.accept("c2", "o2")
    when(60)
    events += engine.arrive("c3", V, FOLLOW)
    events += engine.arrive("c4", V, FOLLOW)
    when(63)
    events += engine.patient_left("c3")
    when(90)
    events += engine.arrive("c5", V, Kind.APPOINTMENT)
    when(100)
    events += engine.cancel("c5")
    when(120)
    events += engine.patient_left("c4")
    when(160)
    events += engine.end("c2", "o2")
    when(170)
    events += engine.finish_wrapup("o2")
    when(190)
    events += engine.end("c1", "o1")
    when(220)
    when(900)
    return events


@pytest.fixture
def recorder(engine: Engine, clock: FakeClock) -> MetricsRecorder:
    recorder = MetricsRecorder()
    recorder.apply(day_of_two_operators(engine, clock))
    return recorder


def test_window_metrics_by_hand(recorder: MetricsRecorder) -> None:
    m = window_metrics(recorder.visits, recorder.handles, T0, T0 + 2 * MIN15)
    ops = m["operators"]
    assert (ops.answered, ops.answered_within_target) == (2, 1)
    assert (ops.abandoned, ops.short_abandoned, ops.cancelled, ops.not_reached) == (1, 1, 1, 0)
    assert ops.offered == 3  # 2 answered + 1 abandoned; short and cancelled left out
    assert ops.service_level == pytest.approx(1 / 3)
    assert ops.abandoned_share == pytest.approx(1 / 3)
    assert ops.asa == timedelta(seconds=22.5)  # (10 + 35) / 2
    assert ops.aht == timedelta(seconds=170)  # (210 + 130) / 2
    assert ops.handles == 2

    ped = m["duty:pediatrician"]
    assert (ped.not_reached, ped.offered, ped.service_level) == (1, 1, 0.0)
    assert ped.asa is None
    assert ped.aht is None

    total = m[ALL_QUEUES]
    assert total.offered == 4
    assert total.service_level == pytest.approx(0.25)
    assert total.abandoned_share == pytest.approx(0.25)


def test_interval_report_uses_the_same_definitions(recorder: MetricsRecorder) -> None:
    report = interval_report(recorder.visits, recorder.handles, T0, T0 + 45 * 60 * S)
    assert [(r.start, r.end) for r in report] == [
        (T0, T0 + MIN15),
        (T0 + MIN15, T0 + 2 * MIN15),
        (T0 + 2 * MIN15, T0 + 3 * MIN15),
    ]
    first, second, third = (r.queues for r in report)
    assert first["operators"].service_level == pytest.approx(1 / 3)
    assert "duty:pediatrician" not in first  # not reached at 09:15:00 exactly
    assert second["duty:pediatrician"].not_reached == 1
    assert third[ALL_QUEUES].offered == 0
    assert third[ALL_QUEUES].service_level is None
    # Windows add up to the whole.
    whole = window_metrics(recorder.visits, recorder.handles, T0, T0 + 3 * MIN15)
    assert whole[ALL_QUEUES].offered == sum(r.queues[ALL_QUEUES].offered for r in report)


def test_the_last_minute_only_sees_what_resolved_in_it(recorder: MetricsRecorder) -> None:
    m = window_metrics(recorder.visits, recorder.handles, at(100), at(160))
    ops = m["operators"]
    assert (ops.answered, ops.abandoned, ops.cancelled, ops.handles) == (0, 1, 1, 0)
    assert ops.service_level == 0.0


def test_service_level_and_short_abandon_boundaries() -> None:
    def visit(wait: float, *, answered: bool, outcome: Outcome | None = None) -> QueueVisit:
        resolved = T0 + timedelta(seconds=wait)
        return QueueVisit(
            contact_id=f"c{wait}",
            queue="operators",
            channel=V,
            kind=FOLLOW,
            entered_at=T0,
            answered_at=resolved if answered else None,
            closed_at=None if answered else resolved,
            outcome=outcome,
        )

    visits = [
        visit(20, answered=True),  # within: "within 20 s" includes 20 s
        visit(20.001, answered=True),  # not within
        visit(5, answered=False, outcome=Outcome.ABANDONED),  # counts: not short
        visit(4.999, answered=False, outcome=Outcome.ABANDONED),  # short
    ]
    ops = window_metrics(visits, [], T0, T0 + MIN15)["operators"]
    assert (ops.answered, ops.answered_within_target, ops.abandoned, ops.short_abandoned) == (
        2,
        1,
        1,
        1,
    )
    assert ops.service_level == pytest.approx(1 / 3)
    assert ops.asa == timedelta(seconds=20.0005)


def test_open_visits_and_handles_count_nowhere() -> None:
    visits = [QueueVisit(contact_id="c1", queue="operators", channel=V, kind=FOLLOW, entered_at=T0)]
    handles = [Handle(contact_id="c0", queue="operators", staff_id="o1", accepted_at=T0)]
    m = window_metrics(visits, handles, T0, T0 + MIN15)
    assert list(m) == [ALL_QUEUES]
    assert m[ALL_QUEUES].offered == 0
    assert m[ALL_QUEUES].aht is None


def test_transfer_and_staff_loss_in_the_records(engine: Engine, clock: FakeClock) -> None:
    recorder = MetricsRecorder()
    register(engine, operators=("o1", "o2"), therapists=("t1",))
    recorder.apply(engine.set_available("o1"))
    recorder.apply(engine.arrive("c1", V, Kind.URGENT))
    clock.set(at(4))
    recorder.apply(engine.accept("c1", "o1"))
    clock.set(at(60))
    recorder.apply(engine.staff_lost("o1"))  # back to the head of the operators queue
    clock.set(at(70))
    recorder.apply(engine.set_available("o2"))
    clock.set(at(75))
    recorder.apply(engine.accept("c1", "o2"))
    clock.set(at(100))
    recorder.apply(engine.transfer("c1", "o2", "duty:therapist"))
    clock.set(at(110))
    recorder.apply(engine.set_available("t1"))
    clock.set(at(112))
    recorder.apply(engine.accept("c1", "t1"))
    clock.set(at(130))
    recorder.apply(engine.tick())  # o2's wrap-up after the transfer ends
    clock.set(at(400))
    recorder.apply(engine.hand_back("c1", "t1"))

    visits = {(v.queue, v.entered_at): v for v in recorder.visits}
    assert set(visits) == {("operators", T0), ("duty:therapist", at(100)), ("operators", at(400))}
    assert visits["operators", T0].answered_at == at(4)  # the first answer counts
    assert visits["duty:therapist", at(100)].wait == timedelta(seconds=12)
    assert visits["operators", at(400)].resolved_at is None
    handles = {(h.staff_id, h.accepted_at): h.duration for h in recorder.handles}
    assert handles == {
        ("o1", at(4)): timedelta(seconds=56),  # lost at 60, no wrap-up
        ("o2", at(75)): timedelta(seconds=55),  # to the end of wrap-up at 130
        ("t1", at(112)): None,  # wrapping up
    }

    recorder.forget_before(at(200))
    # Both visits resolved before 200 are gone; the open one stays.
    assert [v.entered_at for v in recorder.visits] == [at(400)]
    assert {h.staff_id for h in recorder.handles} == {"t1"}
    clock.set(at(430))
    recorder.apply(engine.tick())  # t1's wrap-up ends: the open handle is still tracked
    assert [h.duration for h in recorder.handles] == [timedelta(seconds=318)]


def test_live_metrics(engine: Engine, clock: FakeClock) -> None:
    register(engine, operators=("o1", "o2", "o3"), therapists=("t1",))
    engine.set_available("o1")
    engine.set_break("o2", "lunch")
    engine.arrive("c1", V, FOLLOW)  # offered to o1
    clock.set(at(30))
    engine.arrive("c2", V, FOLLOW)
    clock.set(at(50))
    engine.arrive("c3", V, FOLLOW, queue="duty:therapist")
    clock.set(at(80))
    live = live_metrics(engine.snapshot(), clock.now())
    assert set(live) == {"operators", "duty:therapist", "doctor:t1"}
    ops = live["operators"]
    # c1 rings at o1 since 0, but it is still in the queue (it keeps its place).
    assert (ops.waiting, ops.longest_wait) == (2, timedelta(seconds=80))
    assert ops.staff[StaffState.RINGING] == 1
    assert ops.staff[StaffState.BREAK] == 1
    assert ops.staff[StaffState.OFFLINE] == 1
    assert ops.staff[StaffState.AVAILABLE] == 0
    ther = live["duty:therapist"]
    assert (ther.waiting, ther.longest_wait, ther.staff[StaffState.OFFLINE]) == (
        1,
        timedelta(seconds=30),
        1,
    )
    assert live["doctor:t1"].longest_wait is None
    overall = staff_by_state(engine.staff())
    assert sum(overall.values()) == 4
    assert overall[StaffState.OFFLINE] == 2

"""Visits built from the routing engine's own events, as the hub stores them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import pytest

from console.clock import FakeClock
from console.queue import (
    Channel,
    ContactAccepted,
    Engine,
    Event,
    Kind,
    OfferMade,
    Role,
    event_from_dict,
    event_to_dict,
)
from console.stats import (
    Entry,
    Exit,
    QueueVisit,
    VisitBuilder,
    queue_figures,
    visits_from_events,
    wallboard,
)
from tests.stats.helpers import APPT, MSK, OPS, PED, T0, THER, at, s

if TYPE_CHECKING:
    from datetime import datetime

U, F = Kind.URGENT, Kind.FOLLOW_UP


def scenario() -> tuple[list[Event], list[QueueVisit]]:
    """A morning on the real engine (default timings: wrap-up 30 s, reconnect 60 s,
    not reached after 900 s). Seconds after T0. Returns the events, and the visits
    as they were at 155 s (c4 waiting again after o1 was lost)."""
    clock = FakeClock(T0)
    engine = Engine(clock)
    events: list[Event] = []
    snapshot: list[QueueVisit] = []

    def when(seconds: int) -> None:
        clock.set(at(seconds))
        events.extend(engine.tick())

    engine.register_staff("o1", Role.OPERATOR)
    engine.register_staff("o2", Role.OPERATOR)
    engine.register_staff("t1", Role.DOCTOR, specialty="therapist", duty=True)
    events += engine.set_available("o1")
    events += engine.arrive("c1", Channel.VIDEO, U)  # offered to o1
    events += engine.arrive("c6", Channel.CHAT, U, queue="duty:pediatrician")  # nobody there
    when(8)
    events += engine.accept("c1", "o1")
    when(20)
    events += engine.arrive("c2", Channel.AUDIO, U)
    when(23)
    events += engine.patient_left("c2")  # gone after 3 s: a short abandon
    when(30)
    events += engine.arrive("c3", Channel.VIDEO, F)
    when(40)
    events += engine.patient_lost("c3")  # connection dropped; place kept for 60 s
    when(60)
    events += engine.transfer("c1", "o1", "duty:therapist")  # o1 wraps up
    when(70)
    events += engine.finish_wrapup("o1")
    when(80)
    events += engine.arrive("c4", Channel.VIDEO, F)  # offered to o1
    when(85)
    events += engine.accept("c4", "o1")
    when(100)  # c3's reconnect window runs out: abandoned
    when(110)
    events += engine.set_available("t1")  # c1 offered to t1
    when(115)
    events += engine.accept("c1", "t1")
    when(150)
    events += engine.staff_lost("o1")  # c4 back to the head of the operators queue
    when(155)
    snapshot = visits_from_events(events)
    when(160)
    events += engine.set_available("o2")  # c4 offered to o2
    when(170)
    events += engine.accept("c4", "o2")
    when(200)
    events += engine.end("c4", "o2")
    when(230)  # o2's wrap-up times out; c4 closes
    when(300)
    events += engine.arrive("c5", Channel.VIDEO, Kind.APPOINTMENT, queue="doctor:t1")
    when(320)
    events += engine.cancel("c5")
    when(400)
    events += engine.hand_back("c1", "t1")  # back to operators; o1 (first refusal) is offline
    when(405)
    events += engine.accept("c1", "o2")
    when(430)  # t1's wrap-up times out
    when(500)
    events += engine.end("c1", "o2")
    when(510)
    events += engine.finish_wrapup("o2")
    when(900)  # c6 not reached
    return events, snapshot


def test_visits_from_the_engine_by_hand() -> None:
    events, _ = scenario()
    got = {(v.contact_id, v.queue, v.entry): v for v in visits_from_events(events)}
    expected = {
        # c1: answered by o1 after 8 s; o1's handle 8 -> end of wrap-up at 70 = 62 s.
        ("c1", OPS, Entry.ARRIVED): (0, 8, None, None, 62, 70),
        # c6: 900 s in the pediatricians' queue, closed as not reached.
        ("c6", "duty:pediatrician", Entry.ARRIVED): (0, None, 900, Exit.TIMED_OUT, None, None),
        ("c2", OPS, Entry.ARRIVED): (20, None, 23, Exit.ABANDONED, None, None),
        # c3: closed at 100 when the reconnect window ran out; the patient left at 40.
        ("c3", OPS, Entry.ARRIVED): (30, None, 40, Exit.ABANDONED, None, None),
        # c1 at the therapist: waited 60 -> 115; t1 handles 115 -> wrap-up end 430.
        ("c1", THER, Entry.TRANSFERRED): (60, 115, None, None, 315, 430),
        # c4: o1 85 -> lost at 150 (65 s), o2 170 -> wrap-up end 230 (60 s): 125 s.
        ("c4", OPS, Entry.ARRIVED): (80, 85, None, None, 125, 230),
        ("c5", "doctor:t1", Entry.ARRIVED): (300, None, 320, Exit.CANCELLED, None, None),
        # c1 back with the operators: o2 answers after 5 s, 405 -> 510.
        ("c1", OPS, Entry.HANDED_BACK): (400, 405, None, None, 105, 510),
    }
    assert set(got) == set(expected)

    def secs(t: datetime | None) -> float | None:
        return None if t is None else (t - T0).total_seconds()

    for key, (entered, answered, left, exit_, handle, handled) in expected.items():
        v = got[key]
        assert secs(v.entered_at) == entered, key
        assert secs(v.answered_at) == answered, key
        assert (secs(v.left_at), v.exit) == (left, exit_), key
        assert v.handle_time == (None if handle is None else s(handle)), key
        assert secs(v.handled_at) == handled, key
        assert v.requeued_at is None, key


def test_figures_from_the_engine_by_hand() -> None:
    events, _ = scenario()
    visits = visits_from_events(events)
    board = wallboard(visits, now=at(1000), tz=MSK)
    ops = board[OPS].today
    # c1, c3, c4, c1 again offered; c2 (3 s) is a short abandon.
    assert (ops.offered, ops.answered, ops.abandoned, ops.short_abandoned) == (4, 3, 1, 1)
    assert ops.answered_within_target == 3  # 8 s, 5 s, 5 s
    # c3 left after 10 s (lost at 40), not after 70 s (closed at 100): within the target,
    # so it does not count against the service level.
    assert ops.abandoned_after_target == 0
    assert ops.service_level == 3 / 3
    assert ops.abandoned_share == 1 / 4
    assert ops.asa == s(8 + 5 + 5) / 3  # 6 s
    assert ops.aht == s(62 + 125 + 105) / 3  # 292/3 s
    ther = board[THER].today
    assert (ther.offered, ther.answered, ther.service_level) == (1, 1, 0.0)  # 55 s
    assert (ther.asa, ther.aht) == (s(55), s(315))
    ped = board[PED].today
    assert (ped.abandoned, ped.timed_out, ped.abandoned_after_target) == (1, 1, 1)
    assert (ped.service_level, ped.abandoned_share) == (0.0, 1.0)
    appt = board[APPT].today
    assert (appt.offered, appt.cancelled, appt.service_level, appt.abandoned_share) == (
        1,
        1,
        None,
        0.0,
    )


def test_a_contact_waiting_again_after_its_operator_was_lost() -> None:
    _, at_155 = scenario()
    c4 = next(v for v in at_155 if v.contact_id == "c4")
    assert (c4.answered_at, c4.requeued_at) == (at(85), at(150))
    assert (c4.handle_time, c4.handled_at) == (s(65), at(150))  # o1's part so far
    row = wallboard(at_155, now=at(155), tz=MSK)[OPS]
    assert (row.waiting, row.longest_wait) == (1, s(5))  # c4 waits again since 150
    assert row.today.answered == 2  # c1 and c4; c4 stays answered at 85


def test_stored_events_give_the_same_visits() -> None:
    """What the hub writes (``event_to_dict``) and reads back gives the same visits."""
    events, _ = scenario()
    stored = [event_to_dict(e) for e in events]
    assert visits_from_events(event_from_dict(d) for d in stored) == visits_from_events(events)


def test_fed_event_by_event_or_all_at_once() -> None:
    events, _ = scenario()
    builder = VisitBuilder()
    for e in events:
        builder.apply([e])
    assert builder.visits() == visits_from_events(events)


def test_a_handle_still_open_has_no_handle_time() -> None:
    events, _ = scenario()
    # Up to o2's acceptance of the handed-back c1 (405): its handle is open.
    upto = [e for e in events if e.at <= at(405)]
    back = next(v for v in visits_from_events(upto) if v.entry is Entry.HANDED_BACK)
    assert back.answered_at == at(405)
    assert (back.handle_time, back.handled_at) == (None, None)
    f = queue_figures(visits_from_events(upto), OPS, now=at(405), since=T0)
    assert f.answered == 3
    assert f.handled == 2  # c1's first visit (62 s) and c4 (125 s)


def test_an_event_of_a_subclass_is_folded_as_its_base() -> None:
    events, _ = scenario()

    @dataclass(frozen=True, slots=True, kw_only=True)
    class Accepted(ContactAccepted):
        note: str = ""

    @dataclass(frozen=True, slots=True, kw_only=True)
    class Made(OfferMade):
        pass

    def sub(e: Event) -> Event:
        if isinstance(e, ContactAccepted):
            return Accepted(**{f.name: getattr(e, f.name) for f in fields(e)})
        if isinstance(e, OfferMade):
            return Made(**{f.name: getattr(e, f.name) for f in fields(e)})
        return e

    assert visits_from_events(sub(e) for e in events) == visits_from_events(events)


@pytest.mark.parametrize("queue", ["doctor:t1", "doctor:someone"])
def test_doctor_queues_are_appointments(queue: str) -> None:
    v = QueueVisit(contact_id="x", queue=queue, channel=Channel.VIDEO, kind=F, entered_at=T0)
    assert wallboard([v], now=at(1), tz=MSK)[APPT].waiting == 1

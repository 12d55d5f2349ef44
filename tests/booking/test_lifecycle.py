"""At the appointment's time: the queue, 15 minutes, three calls, documents (002, 003)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from console.booking import (
    AppointmentStatus,
    ContactWay,
    DocumentsMissing,
    NotDueYet,
    WrongStatus,
    close_not_reached,
    connect,
    documents_in,
    due_work,
    enter_queue,
    failed_call,
    finish,
    next_due,
    not_reached_at,
    require_documents,
    start_consultation,
)
from tests.booking.helpers import MONDAY, booked, local, minutes

if TYPE_CHECKING:
    from console.clock import FakeClock

TEN = local(MONDAY, 10)
S = AppointmentStatus


def test_the_contact_enters_the_queue_at_the_appointed_time(clock: FakeClock) -> None:
    appt = booked(TEN, clock.now(), way=ContactWay.AUDIO)
    clock.set(TEN - timedelta(seconds=1))
    assert due_work([appt], clock.now()).to_queue == ()
    with pytest.raises(NotDueYet):
        enter_queue(appt, clock.now(), "c-1")
    clock.set(TEN)
    assert due_work([appt], clock.now()).to_queue == (appt,)
    waiting = enter_queue(appt, clock.now(), "c-1")
    assert (waiting.status, waiting.contact_id, waiting.queued_at) == (S.WAITING, "c-1", TEN)
    assert waiting.way is not None and waiting.way.channel == "audio"
    assert due_work([waiting], clock.now()).to_queue == ()


def test_not_reached_15_minutes_after_the_appointed_time(clock: FakeClock) -> None:
    clock.set(TEN)
    waiting = enter_queue(booked(TEN, TEN - minutes(60)), clock.now(), "c-1")
    assert not_reached_at(waiting) == TEN + minutes(15)
    assert next_due([waiting]) == TEN - minutes(10)  # its reminder is not sent yet
    sent = replace(waiting, booking_sms_at=TEN - minutes(60), reminder_at=TEN - minutes(10))
    assert next_due([sent]) == TEN + minutes(15)
    clock.set(TEN + minutes(15) - timedelta(seconds=1))
    assert due_work([waiting], clock.now()).not_reached == ()
    with pytest.raises(NotDueYet):
        close_not_reached(waiting, clock.now())
    clock.set(TEN + minutes(15))
    assert due_work([waiting], clock.now()).not_reached == (waiting,)
    closed = close_not_reached(waiting, clock.now())
    assert (closed.status, closed.closed_at) == (S.NOT_REACHED, clock.now())


def test_a_booking_missed_while_the_hub_was_down_closes_without_queueing(clock: FakeClock) -> None:
    appt = booked(TEN, clock.now())
    clock.set(TEN + minutes(20))
    work = due_work([appt], clock.now())
    assert (work.to_queue, work.not_reached) == ((), (appt,))


def test_a_connection_stops_the_15_minutes(clock: FakeClock) -> None:
    clock.set(TEN)
    waiting = enter_queue(booked(TEN, TEN - minutes(60)), clock.now(), "c-1")
    clock.advance(minutes(14))
    connected = connect(waiting, clock.now())
    assert connect(connected, clock.now() + minutes(1)) == connected  # idempotent
    assert not_reached_at(connected) is None
    clock.advance(minutes(30))
    assert due_work([connected], clock.now()).empty
    with pytest.raises(WrongStatus):
        close_not_reached(connected, clock.now())


def test_three_failed_calls_close_the_consultation_as_given(clock: FakeClock) -> None:
    clock.set(TEN)
    appt = enter_queue(booked(TEN, TEN - minutes(60)), clock.now(), "c-1")
    for n in (1, 2):
        clock.advance(minutes(3))
        appt = failed_call(appt, clock.now())
        assert (appt.status, appt.phone_attempts) == (S.WAITING, n)
    clock.advance(minutes(3))
    appt = failed_call(appt, clock.now())
    assert (appt.status, appt.phone_attempts, appt.closed_at) == (S.CLOSED_AS_GIVEN, 3, clock.now())
    assert due_work([appt], clock.now() + minutes(30)).empty
    with pytest.raises(WrongStatus):
        failed_call(appt, clock.now())


def test_phone_attempts_do_not_extend_the_15_minutes(clock: FakeClock) -> None:
    clock.set(TEN)
    appt = enter_queue(booked(TEN, TEN - minutes(60)), clock.now(), "c-1")
    appt = failed_call(failed_call(appt, TEN + minutes(5)), TEN + minutes(10))
    clock.set(TEN + minutes(15))
    assert close_not_reached(appt, clock.now()).status is S.NOT_REACHED


def test_three_failed_calls_after_the_insured_dropped_mid_consultation(clock: FakeClock) -> None:
    clock.set(TEN)
    appt = start_consultation(enter_queue(booked(TEN, TEN - minutes(60)), TEN, "c-1"), TEN)
    for _ in range(3):
        appt = failed_call(appt, clock.now())
    assert appt.status is S.CLOSED_AS_GIVEN


def test_a_consultation_needing_documents_waits_for_them(clock: FakeClock) -> None:
    appt = booked(TEN, clock.now(), documents_needed=True)
    clock.set(TEN)
    waiting = connect(enter_queue(appt, clock.now(), "c-1"), clock.now())
    with pytest.raises(DocumentsMissing) as err:
        start_consultation(waiting, clock.now())
    assert err.value.code == "documents_missing"
    with pytest.raises(DocumentsMissing):
        require_documents(waiting)
    clock.advance(minutes(4))
    ready = documents_in(waiting, clock.now())
    assert ready.documents_at == clock.now()
    assert documents_in(ready, clock.now() + minutes(1)) == ready
    require_documents(ready)
    started = start_consultation(ready, clock.now())
    assert (started.status, started.started_at) == (S.IN_PROGRESS, clock.now())


def test_documents_may_arrive_before_the_appointed_time(clock: FakeClock) -> None:
    appt = documents_in(booked(TEN, clock.now(), documents_needed=True), clock.now())
    clock.set(TEN)
    started = start_consultation(enter_queue(appt, clock.now(), "c-1"), clock.now())
    assert started.status is S.IN_PROGRESS


def test_a_consultation_without_documents_needed_starts_at_once(clock: FakeClock) -> None:
    clock.set(TEN)
    started = start_consultation(enter_queue(booked(TEN, TEN - minutes(60)), TEN, "c-1"), TEN)
    assert started.connected_at == TEN
    clock.advance(minutes(12))
    given = finish(started, clock.now())
    assert (given.status, given.closed_at) == (S.GIVEN, clock.now())


def test_steps_out_of_order_are_refused(clock: FakeClock) -> None:
    appt = booked(TEN, clock.now())
    with pytest.raises(WrongStatus):
        start_consultation(appt, clock.now())
    with pytest.raises(WrongStatus):
        connect(appt, clock.now())
    with pytest.raises(WrongStatus):
        finish(appt, clock.now())
    with pytest.raises(WrongStatus) as err:
        failed_call(appt, clock.now())
    assert "booked" in str(err.value)

"""Cancelling: before the start frees the slot; late, or not showing up, counts (002, 003)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from console.booking import (
    AppointmentStatus,
    CannotCancel,
    ProgramRules,
    QuotaUsage,
    cancel,
    close_not_reached,
    enter_queue,
    finish,
    next_free_slots,
    quota_usage,
    start_consultation,
)
from tests.booking.helpers import (
    MONDAY,
    MOSCOW,
    SCHEDULES,
    THERAPIST_A,
    booked,
    held,
    local,
    minutes,
)

if TYPE_CHECKING:
    from console.clock import FakeClock

TEN = local(MONDAY, 10)
NOTICE = ProgramRules(name="ДМС+", quota=5, late_cancel_notice=timedelta(hours=2))


def free_at_ten(appointments, now) -> bool:
    busy = {a.key for a in appointments if a.occupies(now)}
    slots = next_free_slots(SCHEDULES, busy, now, MOSCOW, doctor_ids={THERAPIST_A}, limit=20)
    return TEN in {s.start for s in slots}


def test_cancelling_before_the_start_frees_the_slot_and_counts_nothing(clock: FakeClock) -> None:
    appt = booked(TEN, clock.now())
    assert not free_at_ten([appt], clock.now())
    assert quota_usage([appt]) == QuotaUsage(counted=0, pending=1)
    clock.set(TEN - timedelta(seconds=1))
    cancelled = cancel(appt, clock.now())
    assert cancelled.status is AppointmentStatus.CANCELLED
    assert cancelled.closed_at == clock.now()
    assert not cancelled.claims_slot
    assert quota_usage([cancelled]) == QuotaUsage(counted=0, pending=0)


def test_the_freed_slot_is_offered_again(clock: FakeClock) -> None:
    appt = booked(TEN, clock.now())
    clock.advance(minutes(5))
    assert free_at_ten([cancel(appt, clock.now())], clock.now())


def test_cancelling_at_the_start_is_late_and_counts(clock: FakeClock) -> None:
    appt = booked(TEN, clock.now())
    clock.set(TEN)
    late = cancel(appt, clock.now())
    assert late.status is AppointmentStatus.LATE_CANCELLED
    assert quota_usage([late]) == QuotaUsage(counted=1, pending=0)


def test_cancelling_a_waiting_appointment_is_late(clock: FakeClock) -> None:
    clock.set(TEN)
    waiting = enter_queue(booked(TEN, TEN - timedelta(hours=1)), clock.now(), "c-1")
    assert cancel(waiting, clock.now()).status is AppointmentStatus.LATE_CANCELLED


def test_inside_the_programs_notice_it_is_late_but_the_slot_is_freed(clock: FakeClock) -> None:
    appt = booked(TEN, clock.now() - timedelta(days=1))
    clock.set(TEN - timedelta(hours=2, seconds=1))
    assert cancel(appt, clock.now(), NOTICE).status is AppointmentStatus.CANCELLED
    clock.set(TEN - timedelta(hours=2))
    late = cancel(appt, clock.now(), NOTICE)
    assert late.status is AppointmentStatus.LATE_CANCELLED
    assert quota_usage([late]).counted == 1
    assert free_at_ten([late], clock.now())


def test_a_no_show_counts_against_the_quota(clock: FakeClock) -> None:
    appt = booked(TEN, clock.now())
    clock.set(TEN + minutes(15))
    missed = close_not_reached(appt, clock.now())
    assert missed.status is AppointmentStatus.NOT_REACHED
    assert quota_usage([missed]) == QuotaUsage(counted=1, pending=0)


def test_a_consultation_under_way_or_over_cannot_be_cancelled(clock: FakeClock) -> None:
    clock.set(TEN)
    running = start_consultation(enter_queue(booked(TEN, TEN - minutes(60)), TEN, "c-1"), TEN)
    with pytest.raises(CannotCancel) as err:
        cancel(running, clock.now())
    assert err.value.code == "cannot_cancel"
    with pytest.raises(CannotCancel):
        cancel(finish(running, clock.now()), clock.now())


def test_cancelling_a_hold_releases_it(clock: FakeClock) -> None:
    released = cancel(held(TEN, clock.now()), clock.now())
    assert released.status is AppointmentStatus.RELEASED
    assert quota_usage([released]) == QuotaUsage(0, 0)

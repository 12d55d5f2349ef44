"""Holding a slot while booking: 10 minutes, then released (001)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from console.booking import (
    AppointmentStatus,
    ContactWay,
    HoldExpired,
    NotASlot,
    NotYourHold,
    SlotInPast,
    SlotTaken,
    confirm,
    due_work,
    hold,
    next_due,
    next_free_slots,
    release,
)
from tests.booking.helpers import (
    MONDAY,
    MOSCOW,
    OPERATOR,
    OTHER_OPERATOR,
    PERSON,
    SCHEDULES,
    THERAPIST_A,
    held,
    local,
    minutes,
    schedule_of,
)

if TYPE_CHECKING:
    from console.clock import FakeClock

NINE = local(MONDAY, 9)


def test_a_hold_lasts_ten_minutes(clock: FakeClock) -> None:
    appt = hold(schedule_of(THERAPIST_A), NINE, clock.now(), MOSCOW,
                person_id=PERSON, operator_id=OPERATOR)  # fmt: skip
    assert appt.status is AppointmentStatus.HELD
    assert appt.hold_expires_at == clock.now() + minutes(10)
    assert (appt.start, appt.end, appt.specialty) == (NINE, NINE + minutes(15), "therapist")
    assert appt.live_hold(clock.now())
    assert appt.occupies(clock.now())
    clock.advance(minutes(10) - timedelta(microseconds=1))
    assert appt.live_hold(clock.now())
    clock.advance(timedelta(microseconds=1))
    assert not appt.live_hold(clock.now())
    assert not appt.occupies(clock.now())
    assert appt.claims_slot  # until the store releases it


def test_confirming_in_time_books(clock: FakeClock) -> None:
    appt = held(NINE, clock.now())
    clock.advance(minutes(9))
    booked = confirm(appt, clock.now(), MOSCOW, operator_id=OPERATOR, way=ContactWay.CHAT)
    assert booked.status is AppointmentStatus.BOOKED
    assert booked.booked_at == clock.now()
    assert booked.hold_expires_at is None


def test_an_expired_hold_cannot_be_confirmed(clock: FakeClock) -> None:
    appt = held(NINE, clock.now())
    clock.advance(minutes(10))
    with pytest.raises(HoldExpired) as err:
        confirm(appt, clock.now(), MOSCOW, operator_id=OPERATOR, way=ContactWay.CHAT)
    assert err.value.code == "hold_expired"
    assert "10 minutes" in str(err.value)


def test_a_released_hold_cannot_be_confirmed(clock: FakeClock) -> None:
    appt = release(held(NINE, clock.now()), clock.now())
    assert appt.status is AppointmentStatus.RELEASED
    assert not appt.claims_slot
    with pytest.raises(HoldExpired):
        confirm(appt, clock.now(), MOSCOW, operator_id=OPERATOR, way=ContactWay.CHAT)


def test_only_the_medconsultant_who_holds_confirms(clock: FakeClock) -> None:
    with pytest.raises(NotYourHold):
        confirm(held(NINE, clock.now()), clock.now(), MOSCOW, operator_id=OTHER_OPERATOR,
                way=ContactWay.CHAT)  # fmt: skip


def test_the_expired_hold_is_due_for_release_and_its_slot_is_free_again(clock: FakeClock) -> None:
    appt = held(NINE, clock.now())
    assert next_due([appt]) == clock.now() + minutes(10)
    assert due_work([appt], clock.now()).empty
    busy = {appt.key} if appt.occupies(clock.now()) else set()
    first = next_free_slots(SCHEDULES, busy, clock.now(), MOSCOW, specialty="therapist", limit=1)
    assert first[0].start == NINE + minutes(15)

    clock.advance(minutes(10))
    work = due_work([appt], clock.now())
    assert work.expired_holds == (appt,)
    busy = {appt.key} if appt.occupies(clock.now()) else set()
    first = next_free_slots(SCHEDULES, busy, clock.now(), MOSCOW, specialty="therapist", limit=1)
    assert first[0].start == NINE


def test_what_cannot_be_held(clock: FakeClock) -> None:
    schedule = schedule_of(THERAPIST_A)
    kw = {"person_id": PERSON, "operator_id": OPERATOR}
    with pytest.raises(NotASlot):
        hold(schedule, NINE + minutes(5), clock.now(), MOSCOW, **kw)
    with pytest.raises(SlotTaken) as err:
        hold(schedule, NINE, clock.now(), MOSCOW, busy={(THERAPIST_A, NINE)}, **kw)
    assert err.value.message == "this slot has just been taken: choose another one"
    clock.set(NINE)
    with pytest.raises(SlotInPast):
        hold(schedule, NINE, clock.now(), MOSCOW, **kw)

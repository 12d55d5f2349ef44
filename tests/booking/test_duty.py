"""Duty shifts: who is the duty therapist or pediatrician now (003)."""

from __future__ import annotations

from datetime import time, timedelta
from typing import TYPE_CHECKING

import pytest

from console.booking import DutyShift, duty_roster, next_duty_change, on_duty, shift_on
from tests.booking.helpers import MONDAY, MOSCOW, local

if TYPE_CHECKING:
    from console.clock import FakeClock

DAY = shift_on(11, "therapist", MONDAY, time(8), time(20), MOSCOW)
NIGHT = shift_on(12, "therapist", MONDAY, time(20), time(8), MOSCOW)
KIDS = shift_on(21, "pediatrician", MONDAY, time(9), time(21), MOSCOW)
SHIFTS = (DAY, NIGHT, KIDS)


def test_who_is_on_duty_moves_with_the_clock(clock: FakeClock) -> None:
    clock.set(local(MONDAY, 8, 30))
    assert on_duty(SHIFTS, clock.now(), "therapist") == (11,)
    assert on_duty(SHIFTS, clock.now(), "pediatrician") == ()
    clock.set(local(MONDAY, 9))
    assert on_duty(SHIFTS, clock.now(), "pediatrician") == (21,)
    assert duty_roster(SHIFTS, clock.now()) == {"pediatrician": (21,), "therapist": (11,)}
    clock.set(local(MONDAY, 20))  # the day shift has ended as the night shift starts
    assert on_duty(SHIFTS, clock.now(), "therapist") == (12,)
    clock.set(local(MONDAY + timedelta(days=1), 7, 59))
    assert on_duty(SHIFTS, clock.now(), "therapist") == (12,)
    assert duty_roster(SHIFTS, clock.now()) == {"therapist": (12,)}
    clock.set(local(MONDAY + timedelta(days=1), 8))
    assert on_duty(SHIFTS, clock.now()) == ()


def test_a_night_shift_ends_the_next_morning() -> None:
    assert NIGHT.start == local(MONDAY, 20)
    assert NIGHT.end == local(MONDAY + timedelta(days=1), 8)


def test_overlapping_shifts_list_each_doctor_once_in_shift_order() -> None:
    extra = shift_on(13, "therapist", MONDAY, time(12), time(14), MOSCOW)
    again = shift_on(11, "therapist", MONDAY, time(12), time(13), MOSCOW)
    assert on_duty((extra, again, *SHIFTS), local(MONDAY, 12, 30), "therapist") == (11, 13)


def test_the_next_change_of_the_roster() -> None:
    assert next_duty_change(SHIFTS, local(MONDAY, 8, 30)) == local(MONDAY, 9)
    assert next_duty_change(SHIFTS, local(MONDAY, 9)) == local(MONDAY, 20)
    assert next_duty_change(SHIFTS, local(MONDAY + timedelta(days=2), 0)) is None


def test_a_shift_ends_after_it_starts() -> None:
    with pytest.raises(ValueError, match="ends after"):
        DutyShift(1, "therapist", local(MONDAY, 9), local(MONDAY, 9))
    with pytest.raises(ValueError, match="timezone-aware"):
        DutyShift(1, "therapist", local(MONDAY, 9).replace(tzinfo=None), local(MONDAY, 10))

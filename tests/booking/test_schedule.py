"""Working hours by weekday, 15-minute slots and the free ones, first and by day."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from console.booking import (
    DoctorSchedule,
    WorkingHours,
    free_days,
    free_slots,
    is_slot,
    next_free_slots,
    same_hours,
    slots_on,
)
from tests.booking.helpers import (
    CARDIOLOGIST,
    MONDAY,
    MOSCOW,
    SCHEDULES,
    T0,
    THERAPIST_A,
    THERAPIST_B,
    local,
    minutes,
    schedule_of,
)


def test_slots_are_15_minutes_from_the_start_of_the_working_hours() -> None:
    slots = slots_on(schedule_of(THERAPIST_A), MONDAY, MOSCOW)
    assert len(slots) == 12  # 09:00-12:00
    assert slots[0].start == local(MONDAY, 9) == datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
    assert slots[-1].start == local(MONDAY, 11, 45)
    assert all(s.end - s.start == minutes(15) for s in slots)
    assert all(b.start == a.end for a, b in itertools.pairwise(slots))
    assert {s.specialty for s in slots} == {"therapist"}


def test_a_stretch_that_is_not_a_multiple_of_15_minutes_drops_the_short_rest() -> None:
    schedule = DoctorSchedule(9, "therapist", (WorkingHours(0, time(9, 10), time(10)),))
    starts = [s.start for s in slots_on(schedule, MONDAY, MOSCOW)]
    assert starts == [local(MONDAY, 9, 10), local(MONDAY, 9, 25), local(MONDAY, 9, 40)]


def test_days_without_working_hours_have_no_slots() -> None:
    sunday = MONDAY - timedelta(days=1)
    assert slots_on(schedule_of(THERAPIST_A), sunday, MOSCOW) == []
    assert len(slots_on(schedule_of(THERAPIST_B), MONDAY + timedelta(days=5), MOSCOW)) == 4


def test_wall_clock_times_that_do_not_exist_give_no_slot() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    spring_forward = date(2026, 3, 29)  # 02:00 -> 03:00
    schedule = DoctorSchedule(9, "therapist", (WorkingHours(6, time(1, 30), time(3, 30)),))
    local_starts = [
        s.start.astimezone(berlin).time() for s in slots_on(schedule, spring_forward, berlin)
    ]
    assert local_starts == [time(1, 30), time(1, 45), time(3, 0), time(3, 15)]


def test_overlapping_hours_and_bad_hours_are_refused() -> None:
    with pytest.raises(ValueError, match="overlap"):
        DoctorSchedule(9, "therapist", (*same_hours((0,), time(9), time(12)),
                                         WorkingHours(0, time(11), time(13))))  # fmt: skip
    with pytest.raises(ValueError, match="end after"):
        WorkingHours(0, time(12), time(9))
    with pytest.raises(ValueError, match="weekday"):
        WorkingHours(7, time(9), time(12))
    with pytest.raises(ValueError, match="specialty"):
        DoctorSchedule(9, "", ())


def test_is_slot() -> None:
    schedule = schedule_of(THERAPIST_A)
    assert is_slot(schedule, local(MONDAY, 9, 15), MOSCOW)
    assert not is_slot(schedule, local(MONDAY, 9, 10), MOSCOW)
    assert not is_slot(schedule, local(MONDAY, 12), MOSCOW)  # the end of the working hours
    assert not is_slot(schedule, local(MONDAY - timedelta(days=1), 9), MOSCOW)


def test_next_free_slots_are_the_earliest_across_the_doctors_of_the_specialty() -> None:
    now = local(MONDAY, 11, 20)
    busy = {(THERAPIST_A, local(MONDAY, 11, 30))}
    slots = next_free_slots(SCHEDULES, busy, now, MOSCOW, specialty="therapist", limit=5)
    assert [(s.doctor_id, s.start) for s in slots] == [
        (THERAPIST_A, local(MONDAY, 11, 45)),  # 11:15 has begun, 11:30 is taken
        (THERAPIST_B, local(MONDAY, 14)),
        (THERAPIST_B, local(MONDAY, 14, 15)),
        (THERAPIST_B, local(MONDAY, 14, 30)),
        (THERAPIST_B, local(MONDAY, 14, 45)),
    ]


def test_next_free_slots_of_one_doctor_go_on_to_the_next_working_day() -> None:
    now = local(MONDAY, 13)
    slots = next_free_slots(SCHEDULES, set(), now, MOSCOW, doctor_ids={CARDIOLOGIST}, limit=3)
    tuesday = MONDAY + timedelta(days=1)
    assert [s.start for s in slots] == [local(tuesday, 10), local(tuesday, 10, 15),
                                        local(tuesday, 10, 30)]  # fmt: skip
    assert next_free_slots(SCHEDULES, set(), now, MOSCOW, specialty="surgeon") == []
    assert next_free_slots(SCHEDULES, set(), now, MOSCOW, limit=0) == []


def test_same_start_across_doctors_is_ordered_by_doctor() -> None:
    twin = DoctorSchedule(7, "therapist", same_hours(range(5), time(9), time(12)))
    slots = next_free_slots((twin, *SCHEDULES), set(), T0, MOSCOW, specialty="therapist", limit=2)
    assert [(s.doctor_id, s.start) for s in slots] == [
        (THERAPIST_A, local(MONDAY, 9)),
        (7, local(MONDAY, 9)),
    ]


def test_free_slots_of_another_day_for_the_calendar() -> None:
    tuesday = MONDAY + timedelta(days=1)
    busy = {(CARDIOLOGIST, local(tuesday, 10))}
    slots = free_slots(SCHEDULES, busy, T0, MOSCOW, first_day=tuesday, specialty="cardiologist")
    assert len(slots) == 7
    assert slots[0].start == local(tuesday, 10, 15)
    days = free_days(
        SCHEDULES, busy, T0, MOSCOW, first_day=MONDAY, last_day=MONDAY + timedelta(days=6),
        specialty="cardiologist",
    )  # fmt: skip
    assert days == {MONDAY + timedelta(days=d): n for d, n in enumerate([0, 7, 0, 8, 0, 0, 0])}


def test_today_is_the_call_centers_date() -> None:
    # 22:30 UTC on Sunday is already 01:30 on Monday in Moscow: Monday's slots come first.
    now = datetime(2026, 11, 22, 22, 30, tzinfo=UTC)
    slots = next_free_slots(SCHEDULES, set(), now, MOSCOW, specialty="therapist", limit=1)
    assert slots[0].start == local(MONDAY, 9)


def test_the_horizon_limits_how_far_the_next_free_slots_look() -> None:
    from console.booking import BookingConfig

    config = BookingConfig(horizon_days=1)
    slots = next_free_slots(SCHEDULES, set(), local(MONDAY, 13), MOSCOW,
                            doctor_ids={CARDIOLOGIST}, config=config)  # fmt: skip
    assert slots == []

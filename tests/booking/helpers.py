"""Helpers of the booking rules' tests: a Monday morning in Moscow and a few doctors."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from console.booking import (
    Appointment,
    ContactWay,
    DoctorSchedule,
    confirm,
    hold,
    same_hours,
)

MOSCOW = ZoneInfo("Europe/Moscow")
MONDAY = date(2026, 11, 23)
#: 08:00 in Moscow on Monday 23 November 2026.
T0 = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)

OPERATOR = 100
OTHER_OPERATOR = 101
PERSON = 500

THERAPIST_A = 1
THERAPIST_B = 2
CARDIOLOGIST = 3

WEEKDAYS = range(5)

SCHEDULES = (
    # Mornings on weekdays.
    DoctorSchedule(THERAPIST_A, "therapist", same_hours(WEEKDAYS, time(9), time(12))),
    # Afternoons, and a short Saturday.
    DoctorSchedule(
        THERAPIST_B,
        "therapist",
        (*same_hours(WEEKDAYS, time(14), time(17)), *same_hours((5,), time(10), time(11))),
    ),
    DoctorSchedule(CARDIOLOGIST, "cardiologist", same_hours((1, 3), time(10), time(12))),
)


def schedule_of(doctor_id: int) -> DoctorSchedule:
    return next(s for s in SCHEDULES if s.doctor_id == doctor_id)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """The UTC instant of a Moscow wall-clock time."""
    return datetime.combine(day, time(hour, minute), tzinfo=MOSCOW).astimezone(UTC)


def held(
    start: datetime,
    now: datetime = T0,
    doctor_id: int = THERAPIST_A,
    appointment_id: int = 1,
    operator_id: int = OPERATOR,
    person_id: int = PERSON,
) -> Appointment:
    """A stored hold (it has an id) of the doctor's slot at ``start``."""

    appt = hold(
        schedule_of(doctor_id), start, now, MOSCOW, person_id=person_id, operator_id=operator_id
    )
    return replace(appt, id=appointment_id)


def booked(
    start: datetime,
    now: datetime = T0,
    doctor_id: int = THERAPIST_A,
    appointment_id: int = 1,
    way: ContactWay = ContactWay.VIDEO,
    phone: str | None = "+79161234567",
    documents_needed: bool = False,
) -> Appointment:
    """A stored booking made at ``now``."""
    return confirm(
        held(start, now, doctor_id, appointment_id),
        now,
        MOSCOW,
        operator_id=OPERATOR,
        way=way,
        phone=phone,
        documents_needed=documents_needed,
    )


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)

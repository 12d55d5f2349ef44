"""Plain values of the booking rules: schedules, slots, shifts, referrals, appointments.

Every instant is a timezone-aware UTC ``datetime``; days and wall-clock times
(working hours) are in the call center's time zone, which the functions that
need it take as ``tz``. Doctors and staff are the store's staff ids (``int``),
the insured are the registry's person ids (``int``).

Values are frozen: a rule returns a new :class:`Appointment` instead of
changing one, so the caller stores exactly what changed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import TypeAlias

__all__ = [
    "COUNTED",
    "DEFAULT_CONFIG",
    "FREEING",
    "HOLD_FOR",
    "NOT_REACHED_AFTER",
    "OPEN",
    "PENDING",
    "PHONE_ATTEMPTS",
    "PHONE_WAYS",
    "REMIND_BEFORE",
    "SLOT_LENGTH",
    "Appointment",
    "AppointmentStatus",
    "BookingConfig",
    "ContactWay",
    "DoctorSchedule",
    "DutyShift",
    "Referral",
    "Slot",
    "SlotKey",
    "WorkingHours",
    "same_hours",
]

#: A slot of a doctor's schedule (ours: the issue's 15-minute grid; a scheduled
#: consultation lasts at most 15 minutes, 003).
SLOT_LENGTH = timedelta(minutes=15)
#: A hold not confirmed in time is released (001: 10 minutes).
HOLD_FOR = timedelta(minutes=10)
#: The reminder goes out this long before the consultation (003).
REMIND_BEFORE = timedelta(minutes=10)
#: No connection within this long after the appointed time: closed as not reached (003).
NOT_REACHED_AFTER = timedelta(minutes=15)
#: Failed phone attempts after which the doctor closes the consultation as given (002).
PHONE_ATTEMPTS = 3

_E164 = re.compile(r"\+[1-9][0-9]{6,14}")

#: (doctor id, slot start in UTC): what the database keeps unique among live claims.
SlotKey: TypeAlias = tuple[int, datetime]


def _utc(when: datetime, what: str) -> datetime:
    """``when`` in UTC; a naive datetime is refused (every instant here is aware)."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime")
    return when.astimezone(UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class BookingConfig:
    """The timings of the booking rules; the defaults are the seeds' numbers."""

    slot_length: timedelta = SLOT_LENGTH
    hold_for: timedelta = HOLD_FOR
    remind_before: timedelta = REMIND_BEFORE
    not_reached_after: timedelta = NOT_REACHED_AFTER
    phone_attempts: int = PHONE_ATTEMPTS
    #: How many days ahead the "next free slots" look (ours).
    horizon_days: int = 28

    def __post_init__(self) -> None:
        for name in ("slot_length", "hold_for", "not_reached_after"):
            if getattr(self, name) <= timedelta(0):
                raise ValueError(f"BookingConfig.{name} must be positive")
        if self.remind_before < timedelta(0):
            raise ValueError("BookingConfig.remind_before must not be negative")
        if self.phone_attempts < 1 or self.horizon_days < 1:
            raise ValueError("BookingConfig.phone_attempts and horizon_days must be positive")


DEFAULT_CONFIG = BookingConfig()


# ------------------------------------------------------------------ schedules


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """One stretch of a doctor's working day: ``weekday`` 0 (Monday) to 6, local
    wall-clock ``start`` to ``end`` (``end`` after ``start``, same day)."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday is 0 (Monday) to 6 (Sunday)")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("working hours are local wall-clock times, without a time zone")
        if self.end <= self.start:
            raise ValueError("working hours end after they start, on the same day")


def same_hours(
    weekdays: range | tuple[int, ...], start: time, end: time
) -> tuple[WorkingHours, ...]:
    """The same hours on several weekdays: ``same_hours(range(5), time(9), time(13))``."""
    return tuple(WorkingHours(d, start, end) for d in weekdays)


@dataclass(frozen=True, slots=True)
class DoctorSchedule:
    """A doctor's weekly working hours; slots are cut from each stretch from its start."""

    doctor_id: int
    specialty: str
    hours: tuple[WorkingHours, ...] = ()

    def __post_init__(self) -> None:
        if not self.specialty:
            raise ValueError("a doctor's schedule needs the doctor's specialty")
        by_day = sorted(self.hours, key=lambda h: (h.weekday, h.start))
        for a, b in itertools.pairwise(by_day):
            if a.weekday == b.weekday and b.start < a.end:
                raise ValueError("a doctor's working hours overlap on one weekday")

    def on(self, weekday: int) -> tuple[WorkingHours, ...]:
        """The stretches of one weekday, in order."""
        return tuple(sorted((h for h in self.hours if h.weekday == weekday), key=lambda h: h.start))


@dataclass(frozen=True, slots=True)
class Slot:
    """One bookable stretch of a doctor's time, ``start`` to ``end`` (UTC)."""

    doctor_id: int
    specialty: str
    start: datetime
    end: datetime

    @property
    def key(self) -> SlotKey:
        return (self.doctor_id, self.start)


@dataclass(frozen=True, slots=True)
class DutyShift:
    """A doctor on duty for a specialty from ``start`` to ``end`` (half-open, UTC)."""

    doctor_id: int
    specialty: str
    start: datetime
    end: datetime
    id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _utc(self.start, "a shift's start"))
        object.__setattr__(self, "end", _utc(self.end, "a shift's end"))
        if self.end <= self.start:
            raise ValueError("a duty shift ends after it starts")
        if not self.specialty:
            raise ValueError("a duty shift needs a specialty")

    def covers(self, now: datetime) -> bool:
        return self.start <= now < self.end


# ------------------------------------------------------------------ referrals


@dataclass(frozen=True, slots=True, kw_only=True)
class Referral:
    """A referral (000): to a ``specialty``, or to a named doctor (``doctor_id`` set,
    ``specialty`` the doctor's). ``used`` is true while an appointment that was not
    cancelled in time refers to it: one referral, one consultation."""

    id: int | None
    person_id: int
    specialty: str
    doctor_id: int | None = None
    issued_on: date
    valid_until: date | None = None
    used: bool = False

    def __post_init__(self) -> None:
        if not self.specialty:
            raise ValueError("a referral names a specialty")
        if self.valid_until is not None and self.valid_until < self.issued_on:
            raise ValueError("a referral is valid from the day it is issued")


# ------------------------------------------------------------------ appointments


class ContactWay(StrEnum):
    """How the insured will be reached and told about the appointment (003)."""

    CHAT = "chat"
    AUDIO = "audio"  # an audio call on the platform
    VIDEO = "video"  # a video call on the platform
    INSURED_PHONE = "insured_phone"  # a call to the insured's mobile phone
    REPRESENTATIVE_PHONE = "representative_phone"  # a call to the representative's phone

    @property
    def channel(self) -> str:
        """The queue channel the appointment's contact waits with (``console.queue.Channel``)."""
        return "phone" if self in PHONE_WAYS else self.value


#: The agreed ways that are a call to a phone: they need the phone number.
PHONE_WAYS = frozenset({ContactWay.INSURED_PHONE, ContactWay.REPRESENTATIVE_PHONE})


class AppointmentStatus(StrEnum):
    """Where an appointment is in its life.

    ``HELD``: a medconsultant is booking the slot (10 minutes, 001).
    ``RELEASED``: the hold lapsed or was let go; never became a booking.
    ``BOOKED``: confirmed, waiting for its time.
    ``CANCELLED``: cancelled in time; the slot is free again, nothing counted (002, 003).
    ``LATE_CANCELLED``: cancelled too late (at or after the start, or inside the
    program's notice); counts against the quota (002).
    ``WAITING``: its time has come; the contact is in the medconsultants' queue
    or with a medconsultant (003).
    ``IN_PROGRESS``: with the doctor.
    ``GIVEN``: the consultation took place.
    ``NOT_REACHED``: no connection within 15 minutes of the appointed time (003):
    the no-show, which counts against the quota (002).
    ``CLOSED_AS_GIVEN``: the doctor failed three phone attempts (002).
    """

    HELD = "held"
    RELEASED = "released"
    BOOKED = "booked"
    CANCELLED = "cancelled"
    LATE_CANCELLED = "late_cancelled"
    WAITING = "waiting"
    IN_PROGRESS = "in_progress"
    GIVEN = "given"
    NOT_REACHED = "not_reached"
    CLOSED_AS_GIVEN = "closed_as_given"


S = AppointmentStatus
#: Statuses that no longer claim the slot (the database's unique index skips them).
FREEING = frozenset({S.RELEASED, S.CANCELLED, S.LATE_CANCELLED})
#: Statuses still moving: the hub watches them for holds, reminders and deadlines.
OPEN = frozenset({S.HELD, S.BOOKED, S.WAITING, S.IN_PROGRESS})
#: Statuses that use up one of the quota's consultations (002).
COUNTED = frozenset({S.GIVEN, S.CLOSED_AS_GIVEN, S.NOT_REACHED, S.LATE_CANCELLED})
#: Booked and not over: reserve one of the quota's consultations.
PENDING = frozenset({S.BOOKED, S.WAITING, S.IN_PROGRESS})


@dataclass(frozen=True, slots=True, kw_only=True)
class Appointment:
    """One claim on a doctor's slot, from the hold to its outcome.

    ``id`` is the store's (``None`` before the hold is stored). ``phone`` is the
    E.164 mobile phone of the insured or of the representative that gets the
    booking SMS and the SMS reminder, and the call for the phone ways; it is
    personal data: never log it.
    """

    id: int | None = None
    doctor_id: int
    specialty: str
    start: datetime
    end: datetime
    person_id: int
    status: AppointmentStatus
    held_by: int  # the medconsultant who held (and then booked) the slot
    held_at: datetime
    hold_expires_at: datetime | None = None
    booked_at: datetime | None = None
    program: str = ""
    way: ContactWay | None = None
    phone: str | None = None
    documents_needed: bool = False
    documents_at: datetime | None = None  # when the documents were in the medical card
    referral_id: int | None = None
    booking_sms_at: datetime | None = None  # when the booking SMS was sent
    reminder_at: datetime | None = None  # when the reminder was sent
    contact_id: str | None = None  # the queue contact at the appointment's time
    queued_at: datetime | None = None
    connected_at: datetime | None = None
    started_at: datetime | None = None
    phone_attempts: int = 0
    closed_at: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _utc(self.start, "an appointment's start"))
        object.__setattr__(self, "end", _utc(self.end, "an appointment's end"))
        if self.end <= self.start:
            raise ValueError("an appointment ends after it starts")
        if self.phone is not None and not _E164.fullmatch(self.phone):
            raise ValueError("an appointment's phone is in E.164 form")

    @property
    def key(self) -> SlotKey:
        return (self.doctor_id, self.start)

    @property
    def claims_slot(self) -> bool:
        """Whether the appointment still holds its slot (an expired hold does until released)."""
        return self.status not in FREEING

    def live_hold(self, now: datetime) -> bool:
        """A hold that has not run out at ``now``."""
        return (
            self.status is S.HELD
            and self.hold_expires_at is not None
            and now < self.hold_expires_at
        )

    def occupies(self, now: datetime) -> bool:
        """Whether the slot is unavailable to others at ``now`` (expired holds do not count)."""
        if self.status is S.HELD:
            return self.live_hold(now)
        return self.claims_slot

    @property
    def documents_ready(self) -> bool:
        """No documents needed, or they are in the medical card (003)."""
        return not self.documents_needed or self.documents_at is not None

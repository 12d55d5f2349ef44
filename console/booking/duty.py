"""Duty shifts: who is the duty therapist or pediatrician now.

A medconsultant transfers an urgent case to the duty doctor of the right
specialty (003, "Urgent consultation with the duty doctor"); the roster says
who that is at any instant. A shift is half-open, ``start <= now < end``.
Several doctors may be on duty for one specialty at once; they are listed by
when their shift started, then by id.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from console.booking.model import DutyShift

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date, time, tzinfo

__all__ = ["duty_roster", "next_duty_change", "on_duty", "shift_on"]


def shift_on(
    doctor_id: int, specialty: str, day: date, start: time, end: time, tz: tzinfo
) -> DutyShift:
    """A shift starting at the local wall-clock ``start`` of ``day``; it ends at ``end``
    the same day, or the next day when ``end`` is not after ``start`` (a night shift)."""
    begins = datetime.combine(day, start).replace(tzinfo=tz)
    ends_day = day if end > start else day + timedelta(days=1)
    ends = datetime.combine(ends_day, end).replace(tzinfo=tz)
    return DutyShift(doctor_id, specialty, begins.astimezone(UTC), ends.astimezone(UTC))


def on_duty(
    shifts: Iterable[DutyShift], now: datetime, specialty: str | None = None
) -> tuple[int, ...]:
    """The doctors on duty at ``now`` (for ``specialty``, or any), each once."""
    current = sorted(
        (s for s in shifts if s.covers(now) and (specialty is None or s.specialty == specialty)),
        key=lambda s: (s.start, s.doctor_id),
    )
    return tuple(dict.fromkeys(s.doctor_id for s in current))


def duty_roster(shifts: Iterable[DutyShift], now: datetime) -> dict[str, tuple[int, ...]]:
    """Specialty -> the doctors on duty for it at ``now`` (specialties with nobody left out)."""
    shifts = list(shifts)
    specialties = sorted({s.specialty for s in shifts if s.covers(now)})
    return {sp: on_duty(shifts, now, sp) for sp in specialties}


def next_duty_change(shifts: Iterable[DutyShift], now: datetime) -> datetime | None:
    """The next instant after ``now`` at which a shift starts or ends (the hub's timer)."""
    upcoming = [t for s in shifts for t in (s.start, s.end) if t > now]
    return min(upcoming, default=None)

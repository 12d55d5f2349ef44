"""Doctors' slots and the free ones: what the booking dialog lists.

Working hours are local wall-clock times of a weekday in the call center's
time zone (``tz``); each stretch is cut into 15-minute slots from its start
(ours: the issue's grid; a scheduled consultation lasts at most 15 minutes,
003, "Consultation by appointment"). A wall-clock time that does not exist on
a day (a daylight-saving jump) gives no slot; one that occurs twice gives one.

A slot is free when it has not begun and nobody claims it: ``busy`` is the set
of :data:`~console.booking.model.SlotKey` (doctor id, UTC start) of live
holds and of appointments that were not released or cancelled in time (the
store's ``busy_slots``). "Today" is the call center's date (``tz``), as for
the routing by age.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from console.booking.model import DEFAULT_CONFIG, Slot

if TYPE_CHECKING:
    from collections.abc import Collection, Container, Iterable, Iterator
    from datetime import time, tzinfo

    from console.booking.model import BookingConfig, DoctorSchedule, SlotKey

__all__ = [
    "free_days",
    "free_slots",
    "is_slot",
    "next_free_slots",
    "slots_on",
]


def _wall_clock_instants(
    day: date, start: time, end: time, step: timedelta, tz: tzinfo
) -> Iterator[datetime]:
    """UTC instants of the wall-clock times ``start``, ``start + step``... whose
    ``step`` ends by ``end`` on ``day``; times that do not exist that day are skipped."""
    t = datetime.combine(day, start)
    stop = datetime.combine(day, end)
    while t + step <= stop:
        utc = t.replace(tzinfo=tz).astimezone(UTC)
        if utc.astimezone(tz).replace(tzinfo=None) == t:
            yield utc
        t += step


def slots_on(
    schedule: DoctorSchedule, day: date, tz: tzinfo, config: BookingConfig = DEFAULT_CONFIG
) -> list[Slot]:
    """Every slot of the doctor's working hours on the local ``day``, in time order."""
    step = config.slot_length
    return [
        Slot(schedule.doctor_id, schedule.specialty, start, start + step)
        for hours in schedule.on(day.weekday())
        for start in _wall_clock_instants(day, hours.start, hours.end, step, tz)
    ]


def is_slot(
    schedule: DoctorSchedule, start: datetime, tz: tzinfo, config: BookingConfig = DEFAULT_CONFIG
) -> bool:
    """Whether ``start`` begins one of the doctor's slots."""
    if start.tzinfo is None:
        raise ValueError("a slot's start must be a timezone-aware datetime")
    day = start.astimezone(tz).date()
    return any(s.start == start for s in slots_on(schedule, day, tz, config))


def _chosen(
    schedules: Iterable[DoctorSchedule], specialty: str | None, doctor_ids: Collection[int] | None
) -> list[DoctorSchedule]:
    return [
        s
        for s in schedules
        if (specialty is None or s.specialty == specialty)
        and (doctor_ids is None or s.doctor_id in doctor_ids)
    ]


def _free_on(
    schedules: list[DoctorSchedule],
    busy: Container[SlotKey],
    now: datetime,
    day: date,
    tz: tzinfo,
    config: BookingConfig,
) -> list[Slot]:
    found = [
        slot
        for schedule in schedules
        for slot in slots_on(schedule, day, tz, config)
        if slot.start > now and slot.key not in busy
    ]
    found.sort(key=lambda s: (s.start, s.doctor_id))
    return found


def _days(first_day: date, last_day: date) -> Iterator[date]:
    day = first_day
    while day <= last_day:
        yield day
        day += timedelta(days=1)


def free_slots(
    schedules: Iterable[DoctorSchedule],
    busy: Container[SlotKey],
    now: datetime,
    tz: tzinfo,
    *,
    first_day: date,
    last_day: date | None = None,
    specialty: str | None = None,
    doctor_ids: Collection[int] | None = None,
    config: BookingConfig = DEFAULT_CONFIG,
) -> list[Slot]:
    """Free slots from ``first_day`` to ``last_day`` (inclusive; one day if not given),
    earliest first, across the doctors of ``specialty`` and/or ``doctor_ids``
    (all given schedules if neither). A slot that has begun at ``now`` is not free."""
    chosen = _chosen(schedules, specialty, doctor_ids)
    return [
        slot
        for day in _days(first_day, last_day or first_day)
        for slot in _free_on(chosen, busy, now, day, tz, config)
    ]


def next_free_slots(
    schedules: Iterable[DoctorSchedule],
    busy: Container[SlotKey],
    now: datetime,
    tz: tzinfo,
    *,
    specialty: str | None = None,
    doctor_ids: Collection[int] | None = None,
    limit: int = 10,
    config: BookingConfig = DEFAULT_CONFIG,
) -> list[Slot]:
    """The ``limit`` earliest free slots from now on, across the chosen doctors
    (the booking dialog's first list), looking ``config.horizon_days`` days ahead."""
    if limit < 1:
        return []
    chosen = _chosen(schedules, specialty, doctor_ids)
    today = now.astimezone(tz).date()
    found: list[Slot] = []
    for day in _days(today, today + timedelta(days=config.horizon_days - 1)):
        found.extend(_free_on(chosen, busy, now, day, tz, config))
        if len(found) >= limit:
            break
    return found[:limit]


def free_days(
    schedules: Iterable[DoctorSchedule],
    busy: Container[SlotKey],
    now: datetime,
    tz: tzinfo,
    *,
    first_day: date,
    last_day: date,
    specialty: str | None = None,
    doctor_ids: Collection[int] | None = None,
    config: BookingConfig = DEFAULT_CONFIG,
) -> dict[date, int]:
    """The booking dialog's calendar: how many free slots each day from ``first_day``
    to ``last_day`` has (0 for a day without any), for the chosen doctors."""
    chosen = _chosen(schedules, specialty, doctor_ids)
    return {
        day: len(_free_on(chosen, busy, now, day, tz, config)) for day in _days(first_day, last_day)
    }

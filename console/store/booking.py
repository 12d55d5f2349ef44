"""Schedules, duty shifts, referrals and appointments, persisted (``console.booking``).

The rules live in :mod:`console.booking`; this module reads and writes their
values. One guarantee is the database's, not the rules': a slot is claimed
once. ``uq_appointments_slot`` (migration 0004) is unique on (doctor, slot
start) among appointments that still claim their slot, so of two concurrent
:func:`hold_slot` calls for one slot exactly one succeeds and the other raises
:class:`~console.booking.SlotTaken`, on SQLite and on PostgreSQL alike.

All functions take the unit of work's ``AsyncSession`` (``Database.transaction``)
and return the booking package's frozen values, never ORM rows. Nothing here
logs; the phone on an appointment is personal data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.exc import IntegrityError

from console.booking import (
    DEFAULT_CONFIG,
    FREEING,
    OPEN,
    Appointment,
    AppointmentChanged,
    AppointmentStatus,
    ContactWay,
    DoctorSchedule,
    DutyShift,
    HoldExpired,
    NotificationKind,
    Referral,
    ReferralUsed,
    SlotTaken,
    WorkingHours,
)
from console.store.models import (
    REFERRAL_FREEING,
    AppointmentRow,
    DutyShiftRow,
    ReferralRow,
    Staff,
    WorkingHoursRow,
)

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    from sqlalchemy.ext.asyncio import AsyncSession
    from sqlalchemy.sql.elements import ColumnElement

    from console.booking import BookingConfig, SlotKey

__all__ = [
    "add_duty_shift",
    "add_referral",
    "appointment_of_contact",
    "appointments_between",
    "appointments_of_person",
    "busy_slots",
    "claim_notification",
    "due_appointments",
    "duty_shifts",
    "get_appointment",
    "get_referral",
    "hold_slot",
    "open_appointments",
    "referrals_of",
    "release_expired_holds",
    "remove_duty_shift",
    "save_appointment",
    "schedule_of",
    "schedules",
    "set_working_hours",
]

A = AppointmentRow
S = AppointmentStatus
_FREEING = tuple(s.value for s in FREEING)
_OPEN = tuple(s.value for s in OPEN)


# ------------------------------------------------------------------ working hours


def _minute(t: time) -> int:
    if t.second or t.microsecond:
        raise ValueError("working hours are stored in whole minutes")
    return t.hour * 60 + t.minute


def _time(minute: int) -> time:
    return time(minute // 60, minute % 60)


async def set_working_hours(s: AsyncSession, doctor_id: int, hours: Iterable[WorkingHours]) -> None:
    """Replace the doctor's weekly working hours (whole minutes, local time)."""
    rows = [
        WorkingHoursRow(
            doctor_id=doctor_id,
            weekday=h.weekday,
            start_minute=_minute(h.start),
            end_minute=_minute(h.end),
        )
        for h in hours
    ]
    await s.execute(delete(WorkingHoursRow).where(WorkingHoursRow.doctor_id == doctor_id))
    s.add_all(rows)
    await s.flush()


async def schedules(
    s: AsyncSession, *, specialty: str | None = None, doctor_ids: Iterable[int] | None = None
) -> list[DoctorSchedule]:
    """The weekly schedules of the active doctors who have working hours (of
    ``specialty`` and/or among ``doctor_ids``), by doctor id; the specialty is the
    doctor's, from the staff record."""
    query = (
        select(
            Staff.id,
            Staff.specialty,
            WorkingHoursRow.weekday,
            WorkingHoursRow.start_minute,
            WorkingHoursRow.end_minute,
        )
        .join(WorkingHoursRow, WorkingHoursRow.doctor_id == Staff.id)
        .where(Staff.role == "doctor", Staff.active.is_(True), Staff.specialty.is_not(None))
        .order_by(Staff.id, WorkingHoursRow.weekday, WorkingHoursRow.start_minute)
    )
    if specialty is not None:
        query = query.where(Staff.specialty == specialty)
    if doctor_ids is not None:
        query = query.where(Staff.id.in_(list(doctor_ids)))
    hours: dict[tuple[int, str], list[WorkingHours]] = defaultdict(list)
    for r in await s.execute(query):
        hours[(r.id, r.specialty)].append(
            WorkingHours(r.weekday, _time(r.start_minute), _time(r.end_minute))
        )
    return [DoctorSchedule(d, sp, tuple(h)) for (d, sp), h in hours.items()]


async def schedule_of(s: AsyncSession, doctor_id: int) -> DoctorSchedule | None:
    """One active doctor's schedule; ``None`` if not an active doctor with working hours."""
    found = await schedules(s, doctor_ids=[doctor_id])
    return found[0] if found else None


# ------------------------------------------------------------------ duty shifts


def _shift(r: DutyShiftRow) -> DutyShift:
    return DutyShift(r.doctor_id, r.specialty, r.starts_at, r.ends_at, id=r.id)


async def add_duty_shift(s: AsyncSession, shift: DutyShift) -> DutyShift:
    """Store a shift; returns it with its id."""
    row = DutyShiftRow(
        doctor_id=shift.doctor_id,
        specialty=shift.specialty,
        starts_at=shift.start,
        ends_at=shift.end,
    )
    s.add(row)
    await s.flush()
    return replace(shift, id=row.id)


async def remove_duty_shift(s: AsyncSession, shift_id: int) -> bool:
    """Delete a shift; whether there was one."""
    result = await s.execute(delete(DutyShiftRow).where(DutyShiftRow.id == shift_id))
    return bool(getattr(result, "rowcount", 0))


async def duty_shifts(
    s: AsyncSession, *, start: datetime, end: datetime, specialty: str | None = None
) -> list[DutyShift]:
    """The shifts overlapping ``start`` to ``end`` (for ``console.booking.on_duty``, pass
    ``start=now, end=now + a moment``), by start."""
    query = (
        select(DutyShiftRow)
        .where(DutyShiftRow.starts_at < end, DutyShiftRow.ends_at > start)
        .order_by(DutyShiftRow.starts_at, DutyShiftRow.id)
    )
    if specialty is not None:
        query = query.where(DutyShiftRow.specialty == specialty)
    return [_shift(r) for r in await s.scalars(query)]


# ------------------------------------------------------------------ referrals


def _referral_used() -> ColumnElement[bool]:
    return exists().where(A.referral_id == ReferralRow.id, A.status.not_in(REFERRAL_FREEING))


def _referral(r: Any) -> Referral:
    return Referral(
        id=r.id,
        person_id=r.person_id,
        specialty=r.specialty,
        doctor_id=r.doctor_id,
        issued_on=r.issued_on,
        valid_until=r.valid_until,
        used=bool(r.used),
    )


def _referral_query() -> Any:
    return select(
        ReferralRow.id,
        ReferralRow.person_id,
        ReferralRow.specialty,
        ReferralRow.doctor_id,
        ReferralRow.issued_on,
        ReferralRow.valid_until,
        _referral_used().label("used"),
    )


async def add_referral(s: AsyncSession, referral: Referral, now: datetime) -> Referral:
    """Store a referral; returns it with its id."""
    row = ReferralRow(
        person_id=referral.person_id,
        specialty=referral.specialty,
        doctor_id=referral.doctor_id,
        issued_on=referral.issued_on,
        valid_until=referral.valid_until,
        created_at=now,
    )
    s.add(row)
    await s.flush()
    return replace(referral, id=row.id, used=False)


async def get_referral(s: AsyncSession, referral_id: int) -> Referral | None:
    """A referral, ``used`` while an appointment not released or cancelled in time has it."""
    row = (await s.execute(_referral_query().where(ReferralRow.id == referral_id))).first()
    return _referral(row) if row is not None else None


async def referrals_of(s: AsyncSession, person_id: int) -> list[Referral]:
    """A person's referrals, the newest first."""
    rows = await s.execute(
        _referral_query()
        .where(ReferralRow.person_id == person_id)
        .order_by(ReferralRow.issued_on.desc(), ReferralRow.id.desc())
    )
    return [_referral(r) for r in rows]


# ------------------------------------------------------------------ appointments


def _appointment(r: AppointmentRow) -> Appointment:
    return Appointment(
        id=r.id,
        doctor_id=r.doctor_id,
        specialty=r.specialty,
        start=r.slot_start,
        end=r.slot_end,
        person_id=r.person_id,
        status=S(r.status),
        held_by=r.held_by,
        held_at=r.held_at,
        hold_expires_at=r.hold_expires_at,
        booked_at=r.booked_at,
        program=r.program,
        way=ContactWay(r.way) if r.way is not None else None,
        phone=r.phone,
        documents_needed=r.documents_needed,
        documents_at=r.documents_at,
        referral_id=r.referral_id,
        booking_sms_at=r.booking_sms_at,
        reminder_at=r.reminder_at,
        contact_id=r.contact_id,
        queued_at=r.queued_at,
        connected_at=r.connected_at,
        started_at=r.started_at,
        phone_attempts=r.phone_attempts,
        closed_at=r.closed_at,
    )


def _changes(a: Appointment) -> dict[str, Any]:
    """The columns a rule may change (the notification stamps are
    :func:`claim_notification`'s alone, so a save never undoes a claim)."""
    return {
        "status": a.status.value,
        "hold_expires_at": a.hold_expires_at,
        "booked_at": a.booked_at,
        "program": a.program,
        "way": a.way.value if a.way is not None else None,
        "phone": a.phone,
        "documents_needed": a.documents_needed,
        "documents_at": a.documents_at,
        "referral_id": a.referral_id,
        "contact_id": a.contact_id,
        "queued_at": a.queued_at,
        "connected_at": a.connected_at,
        "started_at": a.started_at,
        "phone_attempts": a.phone_attempts,
        "closed_at": a.closed_at,
    }


def _claiming(now: datetime) -> ColumnElement[bool]:
    """Rows that make their slot unavailable at ``now``: not freed, and not a hold
    that ran out (even before it is marked released)."""
    return and_(
        A.status.not_in(_FREEING),
        or_(A.status != S.HELD.value, A.hold_expires_at > now),
    )


def _constraint(exc: IntegrityError) -> str:
    """Which unique index refused the row ("" if another integrity error)."""
    text = str(exc.orig)
    if "uq_appointments_slot" in text or "appointments.doctor_id, appointments.slot_start" in text:
        return "slot"
    if "uq_appointments_referral" in text or "appointments.referral_id" in text:
        return "referral"
    return ""


async def busy_slots(
    s: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    doctor_ids: Collection[int] | None = None,
) -> set[SlotKey]:
    """(doctor, slot start) of the slots starting from ``start`` to before ``end`` that
    are unavailable at ``now``: live holds and appointments not released or
    cancelled in time. The ``busy`` of ``console.booking.next_free_slots``."""
    query = select(A.doctor_id, A.slot_start).where(
        A.slot_start >= start, A.slot_start < end, _claiming(now)
    )
    if doctor_ids is not None:
        query = query.where(A.doctor_id.in_(list(doctor_ids)))
    return {(r.doctor_id, r.slot_start) for r in await s.execute(query)}


async def hold_slot(
    s: AsyncSession, hold: Appointment, now: datetime, *, release_own: bool = True
) -> Appointment:
    """Claim the slot of ``hold`` (an unsaved hold from ``console.booking.hold``);
    returns it with its id.

    An expired hold of the same slot is marked released first; with
    ``release_own`` the medconsultant's earlier live holds are let go (one hold
    per medconsultant: choosing another slot frees the first). If the slot is
    claimed meanwhile, the database refuses the row and this raises
    :class:`~console.booking.SlotTaken`; the session's transaction is then
    spoiled: let the error leave the unit of work (it rolls back) and list the
    fresh free slots in a new one.
    """
    if hold.status is not S.HELD or hold.id is not None:
        raise ValueError("hold_slot stores a new hold")
    await s.execute(
        update(A)
        .where(
            A.doctor_id == hold.doctor_id,
            A.slot_start == hold.start,
            A.status == S.HELD.value,
            A.hold_expires_at <= now,
        )
        .values(status=S.RELEASED.value, closed_at=now)
    )
    if release_own:
        await s.execute(
            update(A)
            .where(A.held_by == hold.held_by, A.status == S.HELD.value)
            .values(status=S.RELEASED.value, closed_at=now)
        )
    row = AppointmentRow(
        doctor_id=hold.doctor_id,
        specialty=hold.specialty,
        slot_start=hold.start,
        slot_end=hold.end,
        person_id=hold.person_id,
        held_by=hold.held_by,
        held_at=hold.held_at,
        booking_sms_at=None,
        reminder_at=None,
        **_changes(hold),
    )
    s.add(row)
    try:
        await s.flush()
    except IntegrityError as exc:
        if _constraint(exc) == "slot":
            raise SlotTaken(hold.doctor_id, hold.start) from exc
        raise
    return replace(hold, id=row.id)


async def get_appointment(s: AsyncSession, appointment_id: int) -> Appointment | None:
    row = await s.get(AppointmentRow, appointment_id)
    return _appointment(row) if row is not None else None


async def save_appointment(s: AsyncSession, before: Appointment, after: Appointment) -> Appointment:
    """Write what a rule changed (``after``), only if the row is still as read (``before``'s
    status): a concurrent change makes it raise instead of being overwritten.

    Raises :class:`~console.booking.HoldExpired` when a hold was released
    meanwhile (it ran out and somebody else took the slot),
    :class:`~console.booking.ReferralUsed` when the referral went to another
    appointment meanwhile, :class:`~console.booking.AppointmentChanged`
    otherwise. The notification stamps are not written here (see
    :func:`claim_notification`).
    """
    if before.id is None or after.id != before.id:
        raise ValueError("save_appointment updates a stored appointment with its own id")
    try:
        result = await s.execute(
            update(A)
            .where(A.id == before.id, A.status == before.status.value)
            .values(**_changes(after))
        )
    except IntegrityError as exc:
        if _constraint(exc) == "referral":
            raise ReferralUsed(after.referral_id) from exc
        raise
    if getattr(result, "rowcount", 0) == 1:
        return after
    current = await s.scalar(select(A.status).where(A.id == before.id))
    if before.status is S.HELD and current in (None, S.RELEASED.value):
        raise HoldExpired(before.id)
    raise AppointmentChanged(before.id)


async def release_expired_holds(s: AsyncSession, now: datetime) -> list[Appointment]:
    """Mark the holds that ran out by ``now`` released (001); returns them released."""
    rows = list(
        await s.scalars(
            select(A).where(A.status == S.HELD.value, A.hold_expires_at <= now).order_by(A.id)
        )
    )
    if not rows:
        return []
    await s.execute(
        update(A)
        .where(A.id.in_([r.id for r in rows]), A.status == S.HELD.value)
        .values(status=S.RELEASED.value, closed_at=now)
    )
    return [replace(_appointment(r), status=S.RELEASED, closed_at=now) for r in rows]


async def claim_notification(
    s: AsyncSession, appointment_id: int, kind: NotificationKind, now: datetime
) -> bool:
    """Record the notification as sent at ``now``, if nobody has; whether this call did.

    Claim before sending, in its own short transaction: a restart or a second
    hub never sends it again (at most once; a crash between the claim and the
    send loses that one message).
    """
    column = A.reminder_at if kind is NotificationKind.REMINDER else A.booking_sms_at
    result = await s.execute(
        update(A).where(A.id == appointment_id, column.is_(None)).values({column: now})
    )
    return getattr(result, "rowcount", 0) == 1


async def open_appointments(s: AsyncSession) -> list[Appointment]:
    """Every held, booked, waiting or running appointment, by start."""
    rows = await s.scalars(select(A).where(A.status.in_(_OPEN)).order_by(A.slot_start, A.id))
    return [_appointment(r) for r in rows]


async def due_appointments(
    s: AsyncSession, now: datetime, config: BookingConfig = DEFAULT_CONFIG
) -> list[Appointment]:
    """The open appointments ``console.booking.due_work`` may find work in at ``now``
    (holds run out, booking SMS unsent, starting by ``now + remind_before``), by start.
    The hub's timer: ``due_work(await due_appointments(s, now), now)`` every few seconds."""
    rows = await s.scalars(
        select(A)
        .where(
            or_(
                and_(A.status == S.HELD.value, A.hold_expires_at <= now),
                and_(
                    A.status == S.BOOKED.value,
                    A.booking_sms_at.is_(None),
                    A.phone.is_not(None),
                ),
                and_(
                    A.status.in_((S.BOOKED.value, S.WAITING.value)),
                    A.slot_start <= now + config.remind_before,
                ),
            )
        )
        .order_by(A.slot_start, A.id)
    )
    return [_appointment(r) for r in rows]


async def appointments_of_person(
    s: AsyncSession,
    person_id: int,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Appointment]:
    """A person's appointments starting from ``since`` to before ``until``, by start
    (the quota's history over the policy's period; the insured's calendar)."""
    query = select(A).where(A.person_id == person_id)
    if since is not None:
        query = query.where(A.slot_start >= since)
    if until is not None:
        query = query.where(A.slot_start < until)
    return [_appointment(r) for r in await s.scalars(query.order_by(A.slot_start, A.id))]


async def appointments_between(
    s: AsyncSession,
    start: datetime,
    end: datetime,
    *,
    doctor_ids: Collection[int] | None = None,
    claiming_only: bool = True,
) -> list[Appointment]:
    """Appointments starting from ``start`` to before ``end`` (the doctors' agenda), by
    start then doctor; without the released and timely-cancelled ones unless
    ``claiming_only`` is false."""
    query = select(A).where(A.slot_start >= start, A.slot_start < end)
    if claiming_only:
        query = query.where(A.status.not_in(_FREEING))
    if doctor_ids is not None:
        query = query.where(A.doctor_id.in_(list(doctor_ids)))
    return [_appointment(r) for r in await s.scalars(query.order_by(A.slot_start, A.doctor_id))]


async def appointment_of_contact(s: AsyncSession, contact_id: str) -> Appointment | None:
    """The appointment whose queue contact this is, if any."""
    row = await s.scalar(select(A).where(A.contact_id == contact_id).limit(1))
    return _appointment(row) if row is not None else None

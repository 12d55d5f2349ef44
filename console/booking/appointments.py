"""An appointment's life: hold, confirm, cancel, and what happens at its time.

Each function takes the appointment as read, checks, and returns the new
value to store (the store's ``save_appointment`` writes it only if nobody
changed the row meanwhile). Nothing here sleeps or reads a clock: ``now`` is
the hub's clock, a fake one in the tests. The rules and their sources
(``DOMAIN.md``, "Consultation by appointment" unless said otherwise):

- A slot is held while it is being booked; a hold not confirmed within 10
  minutes is released (001). Two medconsultants never hold or book one slot:
  the database refuses the second claim (the store raises :class:`SlotTaken`).
- Confirming records how the insured will be reached and told (chat,
  audio/video on the platform, a call to the insured's or the
  representative's mobile phone, 003), whether the consultation needs
  documents first (003), and the referral where the program asks for one (000).
- A cancellation before the start frees the slot (002, 003); one at or after
  the start, or inside the program's notice, counts against the quota (002).
- At the appointed time the contact waits for a medconsultant with the
  appointment priority, who transfers it to the booked doctor (003). Without
  a connection within 15 minutes of the appointed time it closes as not
  reached (003), which is the no-show of 002. (Ours: phone attempts do not
  extend the 15 minutes.)
- If the doctor fails three phone attempts, it closes as given (002).
- A consultation that needs documents starts only once they are in the
  medical card (003).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from console.booking.errors import (
    CannotCancel,
    DocumentsMissing,
    HoldExpired,
    NotASlot,
    NotDueYet,
    NotYourHold,
    PhoneRequired,
    SlotInPast,
    SlotTaken,
    WrongStatus,
)
from console.booking.model import (
    DEFAULT_CONFIG,
    PHONE_WAYS,
    Appointment,
    AppointmentStatus,
    ContactWay,
)
from console.booking.programs import OPEN_PROGRAM, check_quota, check_referral, quota_usage
from console.booking.schedule import is_slot

if TYPE_CHECKING:
    from collections.abc import Container, Iterable
    from datetime import datetime, tzinfo

    from console.booking.model import BookingConfig, DoctorSchedule, Referral, SlotKey
    from console.booking.programs import ProgramRules

__all__ = [
    "cancel",
    "close_not_reached",
    "confirm",
    "connect",
    "documents_in",
    "enter_queue",
    "failed_call",
    "finish",
    "hold",
    "not_reached_at",
    "release",
    "require_documents",
    "start_consultation",
]

S = AppointmentStatus


def _aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")


def _expect(appt: Appointment, action: str, *allowed: AppointmentStatus) -> None:
    if appt.status not in allowed:
        raise WrongStatus(appt.id, appt.status.value, action)


def hold(
    schedule: DoctorSchedule,
    start: datetime,
    now: datetime,
    tz: tzinfo,
    *,
    person_id: int,
    operator_id: int,
    busy: Container[SlotKey] = frozenset(),
    config: BookingConfig = DEFAULT_CONFIG,
) -> Appointment:
    """Hold the doctor's slot beginning at ``start`` for ``person_id`` (001: 10 minutes).

    Raises :class:`NotASlot` if ``start`` is not a slot of the schedule,
    :class:`SlotInPast` if it has begun, :class:`SlotTaken` if ``busy`` already
    has it. Returns the unsaved hold; the store's ``hold_slot`` claims it, and
    that is where two medconsultants racing for one slot are told apart.
    """
    _aware(now)
    if not is_slot(schedule, start, tz, config):
        raise NotASlot(schedule.doctor_id, start)
    if start <= now:
        raise SlotInPast(schedule.doctor_id, start)
    if (schedule.doctor_id, start) in busy:
        raise SlotTaken(schedule.doctor_id, start)
    return Appointment(
        doctor_id=schedule.doctor_id,
        specialty=schedule.specialty,
        start=start,
        end=start + config.slot_length,
        person_id=person_id,
        status=S.HELD,
        held_by=operator_id,
        held_at=now,
        hold_expires_at=now + config.hold_for,
    )


def confirm(
    appt: Appointment,
    now: datetime,
    tz: tzinfo,
    *,
    operator_id: int,
    way: ContactWay,
    phone: str | None = None,
    documents_needed: bool = False,
    rules: ProgramRules = OPEN_PROGRAM,
    referral: Referral | None = None,
    quota: int | None = None,
    history: Iterable[Appointment] = (),
) -> Appointment:
    """Turn the medconsultant's live hold into a booking.

    ``way``: how the insured will be reached and told (003); the phone ways
    need ``phone`` (E.164 mobile of the insured or the representative;
    :class:`PhoneRequired`), which also gets the booking SMS and the SMS
    reminder when given for the other ways. ``documents_needed``: the
    consultation starts only once documents are in the medical card (003).
    ``rules``: the insured's program (referrals, 000); ``referral`` is checked
    by :func:`~console.booking.programs.check_referral` on the appointment's
    local day. ``quota``: the insured's consultations
    (:func:`~console.booking.programs.effective_quota`; ``None``: no limit),
    checked against ``history``, the person's appointments of the policy's
    period (:class:`QuotaExhausted`).

    Raises :class:`HoldExpired` when the hold ran out or was released,
    :class:`NotYourHold` when another medconsultant holds it.
    """
    _aware(now)
    if appt.status is S.RELEASED or (appt.status is S.HELD and not appt.live_hold(now)):
        raise HoldExpired(appt.id)
    _expect(appt, "confirm", S.HELD)
    if appt.held_by != operator_id:
        raise NotYourHold(appt.id, operator_id)
    way = ContactWay(way)
    if way in PHONE_WAYS and not phone:
        raise PhoneRequired()
    check_referral(
        rules,
        referral,
        person_id=appt.person_id,
        doctor_id=appt.doctor_id,
        specialty=appt.specialty,
        day=appt.start.astimezone(tz).date(),
    )
    check_quota(quota, quota_usage(history, exclude_id=appt.id))
    return replace(
        appt,
        status=S.BOOKED,
        hold_expires_at=None,
        booked_at=now,
        program=rules.name,
        way=way,
        phone=phone or None,
        documents_needed=documents_needed,
        referral_id=referral.id if referral is not None else None,
    )


def release(appt: Appointment, now: datetime) -> Appointment:
    """Let a hold go: the medconsultant chose another slot or closed the dialog, or
    it ran out (001). The slot is free again."""
    _aware(now)
    _expect(appt, "release", S.HELD)
    return replace(appt, status=S.RELEASED, closed_at=now)


def cancel(appt: Appointment, now: datetime, rules: ProgramRules = OPEN_PROGRAM) -> Appointment:
    """Cancel at the insured's request (002, 003).

    A hold is simply released. A booking cancelled before ``start -
    rules.late_cancel_notice`` is ``CANCELLED``: the slot is free, nothing is
    counted. Later, up to the moment the doctor takes it, it is
    ``LATE_CANCELLED`` and counts against the quota (002); before the start
    that still frees the slot. A consultation under way or over cannot be
    cancelled (:class:`CannotCancel`). A waiting one's queue contact is the
    hub's to close.
    """
    _aware(now)
    if appt.status is S.HELD:
        return release(appt, now)
    if appt.status not in (S.BOOKED, S.WAITING):
        raise CannotCancel(appt.id, appt.status.value, "cancel")
    in_time = appt.status is S.BOOKED and now < appt.start - rules.late_cancel_notice
    return replace(appt, status=S.CANCELLED if in_time else S.LATE_CANCELLED, closed_at=now)


def not_reached_at(appt: Appointment, config: BookingConfig = DEFAULT_CONFIG) -> datetime | None:
    """When the appointment closes as not reached unless connected (003: 15 minutes
    after the appointed time); ``None`` once connected or not booked/waiting."""
    if appt.status in (S.BOOKED, S.WAITING) and appt.connected_at is None:
        return appt.start + config.not_reached_after
    return None


def enter_queue(appt: Appointment, now: datetime, contact_id: str) -> Appointment:
    """At the appointed time the contact enters the medconsultants' queue (003); the
    hub creates it as an appointment (``Kind.APPOINTMENT``: appointment priority)
    on the channel ``appt.way.channel``. :class:`NotDueYet` before ``start``."""
    _aware(now)
    _expect(appt, "enter the queue", S.BOOKED)
    if now < appt.start:
        raise NotDueYet(appt.id, appt.status.value, "enter the queue")
    if not contact_id:
        raise ValueError("the appointment's contact needs an id")
    return replace(appt, status=S.WAITING, contact_id=contact_id, queued_at=now)


def connect(appt: Appointment, now: datetime) -> Appointment:
    """The insured is connected (with a medconsultant or the doctor, on the platform or
    by phone): the 15-minute not-reached rule no longer applies. Idempotent."""
    _aware(now)
    _expect(appt, "connect", S.WAITING, S.IN_PROGRESS)
    if appt.connected_at is not None:
        return appt
    return replace(appt, connected_at=now)


def documents_in(appt: Appointment, now: datetime) -> Appointment:
    """The insured's documents are in the medical card (003); kept from the first time."""
    _aware(now)
    _expect(appt, "take documents", S.BOOKED, S.WAITING, S.IN_PROGRESS)
    if appt.documents_at is not None:
        return appt
    return replace(appt, documents_at=now)


def require_documents(appt: Appointment) -> None:
    """Raise :class:`DocumentsMissing` if the consultation needs documents that are not
    in the medical card yet (003). The hub checks it before the transfer to the doctor."""
    if not appt.documents_ready:
        raise DocumentsMissing(appt.id)


def start_consultation(appt: Appointment, now: datetime) -> Appointment:
    """The booked doctor takes the insured: the consultation starts, only if its
    documents are in the medical card (003, :class:`DocumentsMissing`)."""
    _aware(now)
    _expect(appt, "start", S.WAITING)
    require_documents(appt)
    return replace(
        appt,
        status=S.IN_PROGRESS,
        started_at=now,
        connected_at=appt.connected_at or now,
    )


def finish(appt: Appointment, now: datetime) -> Appointment:
    """The doctor ended the consultation: given."""
    _aware(now)
    _expect(appt, "finish", S.IN_PROGRESS)
    return replace(appt, status=S.GIVEN, closed_at=now)


def failed_call(
    appt: Appointment, now: datetime, config: BookingConfig = DEFAULT_CONFIG
) -> Appointment:
    """The doctor could not reach the insured by phone once more (002). The third
    failed attempt closes the consultation as given (``CLOSED_AS_GIVEN``)."""
    _aware(now)
    _expect(appt, "record a failed call", S.WAITING, S.IN_PROGRESS)
    attempts = appt.phone_attempts + 1
    if attempts >= config.phone_attempts:
        return replace(appt, phone_attempts=attempts, status=S.CLOSED_AS_GIVEN, closed_at=now)
    return replace(appt, phone_attempts=attempts)


def close_not_reached(
    appt: Appointment, now: datetime, config: BookingConfig = DEFAULT_CONFIG
) -> Appointment:
    """Close an appointment nobody got connected within 15 minutes of its time (003):
    ``NOT_REACHED``, the no-show that counts against the quota (002)."""
    _aware(now)
    due = not_reached_at(appt, config)
    if due is None:
        raise WrongStatus(appt.id, appt.status.value, "close as not reached")
    if now < due:
        raise NotDueYet(appt.id, appt.status.value, "close as not reached")
    return replace(appt, status=S.NOT_REACHED, closed_at=now)

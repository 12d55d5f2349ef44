"""What falls due when: expired holds, SMS and reminders, the queue, not reached.

Pure functions of the stored appointments and ``now``; nothing remembers
what it already did except the appointments themselves (``reminder_at``,
``booking_sms_at``, the status). So after a hub restart the same call finds
what was missed while it was down, and each thing is done once: a reminder
that fell due while the hub was down is sent late, once; an appointment whose
15 minutes passed meanwhile closes as not reached without ever entering the
queue.

Rules (``DOMAIN.md``, "Consultation by appointment"):

- A booking sends an SMS with the date and time (002): due at once, while the
  appointment is booked and has a phone.
- 10 minutes before the consultation the insured gets a reminder (003): on the
  patient's page if online, and by SMS. Due from ``start - 10 min`` until the
  insured is connected or the appointment closes.
- A hold not confirmed within 10 minutes is released (001).
- At the appointed time the contact enters the queue (003); without a
  connection within 15 minutes it closes as not reached (003).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from console.booking.appointments import not_reached_at
from console.booking.model import DEFAULT_CONFIG, Appointment, AppointmentStatus

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import tzinfo

    from console.booking.model import BookingConfig

__all__ = [
    "DueWork",
    "Notification",
    "NotificationKind",
    "Target",
    "booking_sms_text",
    "due_work",
    "mark_sent",
    "next_due",
    "notifications_due",
    "reminder_text",
]

S = AppointmentStatus


class NotificationKind(StrEnum):
    BOOKING_SMS = "booking_sms"  # the booking's SMS with date and time (002)
    REMINDER = "reminder"  # 10 minutes before (003)


class Target(StrEnum):
    PAGE = "page"  # the patient's page, when the insured is online
    SMS = "sms"


@dataclass(frozen=True, slots=True)
class Notification:
    """One message due to the insured about ``appointment``, due since ``due_at``."""

    kind: NotificationKind
    appointment: Appointment
    due_at: datetime

    def targets(self, *, online: bool) -> frozenset[Target]:
        """Where it goes: the reminder to the page if the insured is ``online``, and
        by SMS to the appointment's phone; the booking SMS by SMS. May be empty
        (offline and no phone): mark it sent all the same."""
        out = set()
        if self.kind is NotificationKind.REMINDER and online:
            out.add(Target.PAGE)
        if self.appointment.phone:
            out.add(Target.SMS)
        return frozenset(out)


def _booking_sms_due(a: Appointment) -> datetime | None:
    if a.status is S.BOOKED and a.phone and a.booking_sms_at is None and a.booked_at:
        return a.booked_at
    return None


def _reminder_due(a: Appointment, config: BookingConfig) -> datetime | None:
    if a.status in (S.BOOKED, S.WAITING) and a.connected_at is None and a.reminder_at is None:
        return a.start - config.remind_before
    return None


def notifications_due(
    appointments: Iterable[Appointment], now: datetime, config: BookingConfig = DEFAULT_CONFIG
) -> list[Notification]:
    """The messages due at ``now`` and not sent yet, the oldest first.

    Mark each one sent (:func:`mark_sent`, stored with the store's
    ``claim_notification``, which lets only one caller have it) before
    sending, so a crash never sends one twice.
    """
    out: list[Notification] = []
    for a in appointments:
        sms = _booking_sms_due(a)
        if sms is not None and sms <= now:
            out.append(Notification(NotificationKind.BOOKING_SMS, a, sms))
        reminder = _reminder_due(a, config)
        if reminder is not None and reminder <= now:
            out.append(Notification(NotificationKind.REMINDER, a, reminder))
    out.sort(key=lambda n: (n.due_at, n.appointment.id or 0, n.kind.value))
    return out


def mark_sent(appt: Appointment, kind: NotificationKind, now: datetime) -> Appointment:
    """The appointment with the notification recorded as sent at ``now``."""
    if kind is NotificationKind.REMINDER:
        return replace(appt, reminder_at=now)
    return replace(appt, booking_sms_at=now)


@dataclass(frozen=True, slots=True)
class DueWork:
    """Everything due at one instant, each list oldest first.

    ``expired_holds``: release them (``release``). ``to_queue``: booked ones
    whose time has come: create the queue contact, then ``enter_queue``.
    ``not_reached``: close them (``close_not_reached``) and close their queue
    contact if any. ``notifications``: send them once (:func:`mark_sent`).
    """

    expired_holds: tuple[Appointment, ...] = ()
    to_queue: tuple[Appointment, ...] = ()
    not_reached: tuple[Appointment, ...] = ()
    notifications: tuple[Notification, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.expired_holds or self.to_queue or self.not_reached or self.notifications)


def due_work(
    appointments: Iterable[Appointment], now: datetime, config: BookingConfig = DEFAULT_CONFIG
) -> DueWork:
    """What the hub must do at ``now`` about the open appointments (see the module)."""
    appointments = list(appointments)
    expired = []
    to_queue = []
    not_reached = []
    for a in appointments:
        if a.status is S.HELD and not a.live_hold(now):
            expired.append(a)
            continue
        deadline = not_reached_at(a, config)
        if deadline is not None and now >= deadline:
            not_reached.append(a)
        elif a.status is S.BOOKED and now >= a.start:
            to_queue.append(a)
    return DueWork(
        expired_holds=tuple(sorted(expired, key=lambda a: (a.hold_expires_at, a.id or 0))),
        to_queue=tuple(sorted(to_queue, key=lambda a: (a.start, a.id or 0))),
        not_reached=tuple(sorted(not_reached, key=lambda a: (a.start, a.id or 0))),
        notifications=tuple(notifications_due(appointments, now, config)),
    )


def next_due(
    appointments: Iterable[Appointment], config: BookingConfig = DEFAULT_CONFIG
) -> datetime | None:
    """The earliest instant at which :func:`due_work` has something for these
    appointments (possibly already past: run it now); ``None`` when nothing will."""
    times: list[datetime] = []
    for a in appointments:
        if a.status is S.HELD and a.hold_expires_at is not None:
            times.append(a.hold_expires_at)
            continue
        for t in (
            _booking_sms_due(a),
            _reminder_due(a, config),
            a.start if a.status is S.BOOKED else None,
            not_reached_at(a, config),
        ):
            if t is not None:
                times.append(t)
    return min(times, default=None)


def _local(appt: Appointment, tz: tzinfo) -> str:
    return appt.start.astimezone(tz).strftime("%d.%m.%Y в %H:%M")


def booking_sms_text(appt: Appointment, tz: tzinfo) -> str:
    """The booking SMS (002: date and time), in the insured's language."""
    return (
        f"Вы записаны на телемедицинскую консультацию {_local(appt, tz)}. "
        "В назначенное время войдите на платформу и ожидайте соединения."
    )


def reminder_text(appt: Appointment, tz: tzinfo) -> str:
    """The reminder (003), also when it goes out late after a restart."""
    return (
        f"Напоминаем: телемедицинская консультация {_local(appt, tz)}. "
        "Войдите на платформу и ожидайте соединения с медконсультантом."
    )

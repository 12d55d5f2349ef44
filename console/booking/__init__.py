"""Schedules, slots, holds, appointments, reminders and cancellation rules.

Plain Python (no SQL, Qt or network): every function takes ``now`` (the hub's
:class:`~console.clock.Clock`, a :class:`~console.clock.FakeClock` in tests)
and, where days or wall-clock times matter, the call center's time zone.
Functions return new frozen values; the store persists them
(``console.store.booking``) and the database is what keeps a slot from being
claimed twice.

The parts, each with its rules' sources in ``DOMAIN.md``:

- :mod:`~console.booking.schedule`: working hours by weekday, 15-minute slots,
  the next free slots by specialty or doctor, the calendar's free days.
- :mod:`~console.booking.duty`: duty shifts, who is on duty now (003).
- :mod:`~console.booking.programs`: program rules as data: quota, referrals,
  cancellation notice (000, 002).
- :mod:`~console.booking.appointments`: hold (001), confirm (003, 000),
  cancel (002, 003), the appointment's time (003), three failed calls (002),
  the documents gate (003).
- :mod:`~console.booking.due`: what falls due: expired holds, booking SMS and
  reminders (002, 003), entering the queue, not reached (003).
- :mod:`~console.booking.errors`: one exception class per refusal, each with a
  ``code`` and a fixed English ``message`` for the console to translate.

A typical booking, in the hub::

    schedules = await store.schedules(s, specialty="cardiologist")
    busy = await store.busy_slots(s, start=now, end=now + horizon, now=now)
    offer = next_free_slots(schedules, busy, now, tz, specialty="cardiologist")
    held = hold(schedule, chosen.start, now, tz, person_id=p, operator_id=op)
    held = await store.hold_slot(s, held, now)  # SlotTaken if somebody was faster
    booked = confirm(held, later, tz, operator_id=op, way=ContactWay.VIDEO, ...)
    await store.save_appointment(s, held, booked)
"""

from console.booking.appointments import (
    cancel,
    close_not_reached,
    confirm,
    connect,
    documents_in,
    enter_queue,
    failed_call,
    finish,
    hold,
    not_reached_at,
    release,
    require_documents,
    start_consultation,
)
from console.booking.due import (
    DueWork,
    Notification,
    NotificationKind,
    Target,
    booking_sms_text,
    due_work,
    mark_sent,
    next_due,
    notifications_due,
    reminder_text,
)
from console.booking.duty import duty_roster, next_duty_change, on_duty, shift_on
from console.booking.errors import (
    AppointmentChanged,
    BookingError,
    CannotCancel,
    DocumentsMissing,
    HoldExpired,
    NotASlot,
    NotDueYet,
    NotYourHold,
    PhoneRequired,
    QuotaExhausted,
    ReferralExpired,
    ReferralMismatch,
    ReferralRequired,
    ReferralUsed,
    SlotInPast,
    SlotTaken,
    WrongStatus,
)
from console.booking.model import (
    COUNTED,
    DEFAULT_CONFIG,
    FREEING,
    HOLD_FOR,
    NOT_REACHED_AFTER,
    OPEN,
    PENDING,
    PHONE_ATTEMPTS,
    PHONE_WAYS,
    REMIND_BEFORE,
    SLOT_LENGTH,
    Appointment,
    AppointmentStatus,
    BookingConfig,
    ContactWay,
    DoctorSchedule,
    DutyShift,
    Referral,
    Slot,
    SlotKey,
    WorkingHours,
    same_hours,
)
from console.booking.programs import (
    DEMO_PROGRAMS,
    OPEN_PROGRAM,
    ProgramRules,
    QuotaUsage,
    check_quota,
    check_referral,
    effective_quota,
    quota_usage,
    rules_for,
)
from console.booking.schedule import free_days, free_slots, is_slot, next_free_slots, slots_on

__all__ = [
    "COUNTED",
    "DEFAULT_CONFIG",
    "DEMO_PROGRAMS",
    "FREEING",
    "HOLD_FOR",
    "NOT_REACHED_AFTER",
    "OPEN",
    "OPEN_PROGRAM",
    "PENDING",
    "PHONE_ATTEMPTS",
    "PHONE_WAYS",
    "REMIND_BEFORE",
    "SLOT_LENGTH",
    "Appointment",
    "AppointmentChanged",
    "AppointmentStatus",
    "BookingConfig",
    "BookingError",
    "CannotCancel",
    "ContactWay",
    "DoctorSchedule",
    "DocumentsMissing",
    "DueWork",
    "DutyShift",
    "HoldExpired",
    "NotASlot",
    "NotDueYet",
    "NotYourHold",
    "Notification",
    "NotificationKind",
    "PhoneRequired",
    "ProgramRules",
    "QuotaExhausted",
    "QuotaUsage",
    "Referral",
    "ReferralExpired",
    "ReferralMismatch",
    "ReferralRequired",
    "ReferralUsed",
    "Slot",
    "SlotInPast",
    "SlotKey",
    "SlotTaken",
    "Target",
    "WorkingHours",
    "WrongStatus",
    "booking_sms_text",
    "cancel",
    "check_quota",
    "check_referral",
    "close_not_reached",
    "confirm",
    "connect",
    "documents_in",
    "due_work",
    "duty_roster",
    "effective_quota",
    "enter_queue",
    "failed_call",
    "finish",
    "free_days",
    "free_slots",
    "hold",
    "is_slot",
    "mark_sent",
    "next_due",
    "next_duty_change",
    "next_free_slots",
    "not_reached_at",
    "notifications_due",
    "on_duty",
    "quota_usage",
    "release",
    "reminder_text",
    "require_documents",
    "rules_for",
    "same_hours",
    "shift_on",
    "slots_on",
    "start_consultation",
]

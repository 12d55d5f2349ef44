"""Errors of the booking rules.

Every error has a ``code`` (stable, for the wire) and a fixed English
``message`` (the hub sends it, the console translates it by its exact text),
so a message never carries personal data or variable parts; the details are
attributes. Every booking function checks before it builds anything, so an
error means nothing changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from datetime import datetime

__all__ = [
    "AppointmentChanged",
    "BookingError",
    "CannotCancel",
    "DocumentsMissing",
    "HoldExpired",
    "NotASlot",
    "NotDueYet",
    "NotYourHold",
    "PhoneRequired",
    "QuotaExhausted",
    "ReferralExpired",
    "ReferralMismatch",
    "ReferralRequired",
    "ReferralUsed",
    "SlotInPast",
    "SlotTaken",
    "WrongStatus",
]


class BookingError(Exception):
    """Base of every error the booking rules raise on purpose."""

    code: ClassVar[str] = "booking"
    message: ClassVar[str] = "the booking cannot be made"

    def __init__(self) -> None:
        super().__init__(self.message)


class NotASlot(BookingError):
    """The instant is not the start of a slot in the doctor's working hours."""

    code = "not_a_slot"
    message = "there is no such slot in the doctor's schedule"

    def __init__(self, doctor_id: int, start: datetime) -> None:
        super().__init__()
        self.doctor_id = doctor_id
        self.start = start


class SlotInPast(BookingError):
    """The slot has already begun."""

    code = "slot_in_past"
    message = "this slot has already begun: choose a later one"

    def __init__(self, doctor_id: int, start: datetime) -> None:
        super().__init__()
        self.doctor_id = doctor_id
        self.start = start


class SlotTaken(BookingError):
    """Another booking or a live hold has the slot (two medconsultants never share one).

    Raised by the rules when the caller already knows the slot is busy, and by
    the store when the database refuses the second claim of a slot.
    """

    code = "slot_taken"
    message = "this slot has just been taken: choose another one"

    def __init__(self, doctor_id: int, start: datetime) -> None:
        super().__init__()
        self.doctor_id = doctor_id
        self.start = start


class HoldExpired(BookingError):
    """The hold ran out (10 minutes) or was released before it was confirmed."""

    code = "hold_expired"
    message = "the slot was held for 10 minutes and has been released: choose a slot again"

    def __init__(self, appointment_id: int | None) -> None:
        super().__init__()
        self.appointment_id = appointment_id


class NotYourHold(BookingError):
    """Another medconsultant holds the slot."""

    code = "not_your_hold"
    message = "another medconsultant is booking this slot"

    def __init__(self, appointment_id: int | None, staff_id: int) -> None:
        super().__init__()
        self.appointment_id = appointment_id
        self.staff_id = staff_id


class WrongStatus(BookingError):
    """The appointment is not in a state that allows the action."""

    code = "wrong_status"
    message = "the appointment is not in a state that allows this"

    def __init__(self, appointment_id: int | None, status: str, action: str) -> None:
        super().__init__()
        self.appointment_id = appointment_id
        self.status = status
        self.action = action

    def __str__(self) -> str:  # for logs and tests: ids and states only, no personal data
        return f"{self.message} (appointment {self.appointment_id} is {self.status}: {self.action})"


class CannotCancel(WrongStatus):
    """The consultation has started or is over."""

    code = "cannot_cancel"
    message = "the consultation has started or is over: it can no longer be cancelled"


class NotDueYet(WrongStatus):
    """The appointment's time has not come."""

    code = "not_due_yet"
    message = "the appointment's time has not come yet"


class PhoneRequired(BookingError):
    """A phone call was agreed but no phone was given."""

    code = "phone_required"
    message = "a call needs the phone number of the insured or of the representative"


class ReferralRequired(BookingError):
    """The program books this specialty only on a referral, and none was given."""

    code = "referral_required"
    message = "this consultation can be booked only on a referral"

    def __init__(self, specialty: str) -> None:
        super().__init__()
        self.specialty = specialty


class ReferralMismatch(BookingError):
    """The referral is another person's, or for another specialty or doctor."""

    code = "referral_mismatch"
    message = "the referral is for another specialty, doctor or person"

    def __init__(self, referral_id: int | None) -> None:
        super().__init__()
        self.referral_id = referral_id


class ReferralExpired(BookingError):
    """The referral is not valid on the day of the consultation."""

    code = "referral_expired"
    message = "the referral is not valid on the day of the consultation"

    def __init__(self, referral_id: int | None) -> None:
        super().__init__()
        self.referral_id = referral_id


class ReferralUsed(BookingError):
    """The referral already serves another booking."""

    code = "referral_used"
    message = "the referral has already been used"

    def __init__(self, referral_id: int | None) -> None:
        super().__init__()
        self.referral_id = referral_id


class QuotaExhausted(BookingError):
    """The program's consultations are used up (given, booked, late-cancelled, missed)."""

    code = "quota_exhausted"
    message = "the program's consultations are used up"

    def __init__(self, quota: int, counted: int, pending: int) -> None:
        super().__init__()
        self.quota = quota
        self.counted = counted
        self.pending = pending


class DocumentsMissing(BookingError):
    """The consultation needs documents that are not in the medical card yet."""

    code = "documents_missing"
    message = "the consultation starts only after the documents are in the medical card"

    def __init__(self, appointment_id: int | None) -> None:
        super().__init__()
        self.appointment_id = appointment_id


class AppointmentChanged(BookingError):
    """The stored appointment is no longer in the state it was read in (someone else acted)."""

    code = "appointment_changed"
    message = "the appointment was changed meanwhile: look at it again"

    def __init__(self, appointment_id: int | None) -> None:
        super().__init__()
        self.appointment_id = appointment_id

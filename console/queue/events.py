"""Change descriptors returned by every mutating engine method.

Each method returns the events in the order the changes happened. ``at`` is
the instant a change took effect: ``clock.now()`` for commands; for
``tick()``, the instant the deadline fell due (earlier than now when tick runs
late), while the dispatch that follows happens at now.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from console.queue.model import Channel, Kind, Outcome, Priority, Role, StaffState


class StaffChangeReason(StrEnum):
    LOGIN = "login"  # offline -> available or break
    REQUESTED = "requested"  # the staff member asked (available, break, offline)
    LOST = "lost"  # the staff member's connection dropped
    OFFERED = "offered"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    RING_TIMEOUT = "ring_timeout"
    OFFER_WITHDRAWN = "offer_withdrawn"
    CONTACT_ENDED = "contact_ended"  # busy -> wrap-up, the holder ended it
    PATIENT_LEFT = "patient_left"  # busy -> wrap-up, the patient hung up
    TRANSFERRED = "transferred"  # busy -> wrap-up
    HANDED_BACK = "handed_back"  # busy -> wrap-up
    WRAPUP_TIMEOUT = "wrapup_timeout"
    WRAPUP_FINISHED = "wrapup_finished"


class WithdrawReason(StrEnum):
    PATIENT_LOST = "patient_lost"
    PATIENT_LEFT = "patient_left"
    CANCELLED = "cancelled"
    NOT_REACHED = "not_reached"
    STAFF_LOST = "staff_lost"
    MOVED = "moved"  # a supervisor gave the contact to someone else


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffRegistered(Event):
    """A staff member became known, or their profile changed while offline."""

    staff_id: str
    role: Role
    specialty: str | None
    duty: bool
    queues: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffStateChanged(Event):
    staff_id: str
    old: StaffState
    new: StaffState
    reason: StaffChangeReason
    contact_id: str | None = None  # the contact the change concerns, if any
    break_reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactQueued(Event):
    """A new contact arrived and waits in ``queue``."""

    contact_id: str
    queue: str
    channel: Channel
    kind: Kind
    priority: Priority
    enqueued_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactTransferred(Event):
    """A medconsultant passed the contact to a doctor's queue; they go to wrap-up."""

    contact_id: str
    staff_id: str
    from_queue: str
    to_queue: str
    channel: Channel
    kind: Kind
    priority: Priority
    enqueued_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactReturned(Event):
    """A doctor ended the consultation; the contact waits for a medconsultant again."""

    contact_id: str
    staff_id: str
    from_queue: str
    to_queue: str
    channel: Channel
    kind: Kind
    priority: Priority
    enqueued_at: datetime
    first_refusal_staff: str | None
    first_refusal_until: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactRequeued(Event):
    """The holder was lost mid-contact; the contact is back at the head of its queue."""

    contact_id: str
    staff_id: str
    queue: str
    channel: Channel
    kind: Kind
    priority: Priority
    enqueued_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactPinned(Event):
    """A supervisor gave the waiting contact to ``staff_id``: it is offered to them next,
    and to nobody else while the pin holds (see ``Engine.pin``)."""

    contact_id: str
    staff_id: str
    queue: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OfferMade(Event):
    contact_id: str
    staff_id: str
    queue: str
    expires_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class OfferExpired(Event):
    """Nobody answered; the staff member is now not responding."""

    contact_id: str
    staff_id: str
    queue: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OfferRejected(Event):
    contact_id: str
    staff_id: str
    queue: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OfferWithdrawn(Event):
    """The engine took an offer back (patient gone, contact closed, staff lost)."""

    contact_id: str
    staff_id: str
    queue: str
    reason: WithdrawReason


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactAccepted(Event):
    contact_id: str
    staff_id: str
    queue: str
    enqueued_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class PatientLost(Event):
    """The patient's connection dropped; a waiting contact keeps its place until
    ``reconnect_until`` (None while connected: the holder decides)."""

    contact_id: str
    reconnect_until: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PatientReconnected(Event):
    contact_id: str
    priority: Priority


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactEnded(Event):
    """The conversation is over; the holder wraps up, then the contact closes."""

    contact_id: str
    staff_id: str
    queue: str
    outcome: Outcome
    by_patient: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactClosed(Event):
    """The contact's life is over; the engine forgets it."""

    contact_id: str
    queue: str
    outcome: Outcome
    staff_id: str | None  # who wrapped it up, if anyone


EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls
    for cls in (
        StaffRegistered,
        StaffStateChanged,
        ContactQueued,
        ContactTransferred,
        ContactReturned,
        ContactRequeued,
        ContactPinned,
        OfferMade,
        OfferExpired,
        OfferRejected,
        OfferWithdrawn,
        ContactAccepted,
        PatientLost,
        PatientReconnected,
        ContactEnded,
        ContactClosed,
    )
}

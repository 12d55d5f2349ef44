"""Plain values of the routing engine: contacts, staff, queues, configuration.

Everything here is a frozen dataclass or an enum; the engine replaces records
instead of mutating them, so a snapshot is just the current records.

Queue ids are strings:

- ``"operators"``: the medconsultants;
- ``"duty:<specialty>"``: the duty doctors of a specialty, e.g. ``"duty:therapist"``;
- ``"doctor:<staff_id>"``: one doctor's appointments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from functools import lru_cache

from console.queue.errors import InvalidQueueError

OPERATORS = "operators"
DUTY_PREFIX = "duty:"
DOCTOR_PREFIX = "doctor:"


class Channel(StrEnum):
    AUDIO = "audio"
    VIDEO = "video"
    CHAT = "chat"
    PHONE = "phone"


class Kind(StrEnum):
    URGENT = "urgent"
    APPOINTMENT = "appointment"
    FOLLOW_UP = "follow_up"
    CALLBACK = "callback"


class ContactState(StrEnum):
    """Where a contact is in its life.

    ``WAITING``, ``TRANSFERRED`` and ``RETURNED`` wait in a queue (first wait,
    in a doctor's queue after a transfer, back with the medconsultants after the
    doctor); ``OFFERED`` is any of those while an offer rings, and the contact
    keeps its place. ``CONNECTED`` is with a medconsultant, ``WITH_DOCTOR`` with
    a doctor. ``WRAP_UP``: the contact has ended and its last holder is wrapping
    up; it becomes ``CLOSED`` when the wrap-up ends. The engine forgets closed
    contacts (the ``ContactClosed`` event is their record).
    """

    WAITING = "waiting"
    OFFERED = "offered"
    CONNECTED = "connected"
    TRANSFERRED = "transferred"
    WITH_DOCTOR = "with_doctor"
    RETURNED = "returned"
    WRAP_UP = "wrap_up"
    CLOSED = "closed"


#: States in which a contact sits in a queue (offered ones keep their place).
IN_QUEUE = frozenset(
    {ContactState.WAITING, ContactState.OFFERED, ContactState.TRANSFERRED, ContactState.RETURNED}
)
#: States in which a contact is connected to the staff member who holds it.
CONNECTED_STATES = frozenset({ContactState.CONNECTED, ContactState.WITH_DOCTOR})


class Outcome(StrEnum):
    COMPLETED = "completed"
    ABANDONED = "abandoned"
    NOT_REACHED = "not_reached"  # not connected within 15 minutes (003)
    CLOSED_AS_GIVEN = "closed_as_given"  # doctor could not reach the insured (002)
    CANCELLED = "cancelled"
    TECHNICAL_FAILURE = "technical_failure"


class Role(StrEnum):
    OPERATOR = "operator"
    DOCTOR = "doctor"


class StaffState(StrEnum):
    OFFLINE = "offline"
    AVAILABLE = "available"
    RINGING = "ringing"
    BUSY = "busy"
    WRAP_UP = "wrap_up"
    BREAK = "break"
    NOT_RESPONDING = "not_responding"


class Priority(IntEnum):
    """Higher value is served first.

    ``FIRST``: handed back by a doctor, a patient who reconnected, or a contact
    whose staff member was lost mid-contact. ``APPOINTMENT``: an appointment
    (the hub enqueues it when it is due). ``NORMAL``: everything else.
    """

    NORMAL = 0
    APPOINTMENT = 1
    FIRST = 2


def priority_of(kind: Kind, *, handed_back: bool, reconnecting: bool) -> Priority:
    """The priority a contact waits with."""
    if handed_back or reconnecting:
        return Priority.FIRST
    if kind is Kind.APPOINTMENT:
        return Priority.APPOINTMENT
    return Priority.NORMAL


def duty_queue(specialty: str) -> str:
    return f"{DUTY_PREFIX}{specialty}"


def doctor_queue(staff_id: str) -> str:
    return f"{DOCTOR_PREFIX}{staff_id}"


def check_queue_id(queue: str) -> str:
    """Return ``queue`` if it is well formed, else raise :class:`InvalidQueueError`."""
    if queue == OPERATORS:
        return queue
    for prefix in (DUTY_PREFIX, DOCTOR_PREFIX):
        if queue.startswith(prefix) and queue[len(prefix) :].strip():
            return queue
    raise InvalidQueueError(
        f"bad queue id {queue!r}: expected 'operators', 'duty:<specialty>' or 'doctor:<id>'"
    )


@lru_cache(maxsize=4096)
def queues_for(staff_id: str, role: Role, specialty: str | None, duty: bool) -> frozenset[str]:
    """The queues a staff member serves: the one rule of queue membership.

    Operators serve the medconsultants' queue. A doctor serves their own
    appointment queue and, when on duty, the duty queue of their specialty.
    """
    if role is Role.OPERATOR:
        return frozenset({OPERATORS})
    queues = {doctor_queue(staff_id)}
    if duty and specialty:
        queues.add(duty_queue(specialty))
    return frozenset(queues)


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueConfig:
    """Timings of the engine, and two settings of the call-center numbers.

    ``service_level_target`` and ``short_abandon`` are read by
    ``console.stats.StatsConfig.from_queue_config``; the engine itself does
    not use them (the definitions live in :mod:`console.stats.figures`).

    ``reoffer_after``: a staff member who rejected an offer or let it ring out
    is not offered the same contact again for this long (others are). Keep it
    at most ``ring_timeout``: then nobody available idles while a contact they
    could take waits longer than one offer cycle.
    """

    ring_timeout: timedelta = timedelta(seconds=20)
    wrapup: timedelta = timedelta(seconds=30)
    handback_first_refusal: timedelta = timedelta(seconds=30)
    reconnect_window: timedelta = timedelta(seconds=60)
    not_reached_after: timedelta = timedelta(minutes=15)
    not_reached_kinds: frozenset[Kind] = field(default_factory=lambda: frozenset({Kind.URGENT}))
    reoffer_after: timedelta = timedelta(seconds=20)
    service_level_target: timedelta = timedelta(seconds=20)
    short_abandon: timedelta = timedelta(seconds=5)

    def __post_init__(self) -> None:
        for name in (
            "ring_timeout",
            "wrapup",
            "handback_first_refusal",
            "reconnect_window",
            "not_reached_after",
            "reoffer_after",
            "service_level_target",
            "short_abandon",
        ):
            if getattr(self, name) < timedelta(0):
                raise ValueError(f"QueueConfig.{name} must not be negative")
        if self.ring_timeout <= timedelta(0):
            raise ValueError("QueueConfig.ring_timeout must be positive")


@dataclass(frozen=True, slots=True, kw_only=True)
class Offer:
    """An offer ringing at one staff member; answerable while ``now < expires_at``."""

    staff_id: str
    offered_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Decline:
    """A staff member rejected the contact, or let its offer ring out."""

    staff_id: str
    at: datetime
    until: datetime  # not offered this contact again before this instant


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """One contact of an insured person, from arrival until it closes.

    Ordering inside a queue is :attr:`sort_key`: higher :attr:`priority` first,
    then the older ``enqueued_at``, then the earlier ``queue_seq``.
    ``enqueued_at`` is the instant the contact entered its current queue; a
    requeue (staff member lost, offer rejected or rung out, patient back
    online) keeps it, so the contact keeps its place.
    """

    id: str
    channel: Channel
    kind: Kind
    state: ContactState
    queue: str
    arrived_at: datetime
    enqueued_at: datetime
    queue_seq: int
    waiting_state: ContactState  # WAITING, TRANSFERRED or RETURNED: how it waits in its queue
    wait_started_at: datetime | None  # start of the current wait for a connection (not-reached)
    handed_back: bool = False
    reconnecting: bool = False
    holder: str | None = None  # connected staff member, or the one wrapping it up
    connected_at: datetime | None = None
    offer: Offer | None = None
    declines: tuple[Decline, ...] = ()
    transferred_by: str | None = None  # the medconsultant who transferred it last
    first_refusal_until: datetime | None = None
    patient_lost_at: datetime | None = None
    reconnect_until: datetime | None = None  # set while waiting with the patient lost
    outcome: Outcome | None = None  # known from the end of the contact on
    # A supervisor gave this waiting contact to one staff member: offered to nobody else
    # while it is set (see ``Engine.pin``).
    pinned_to: str | None = None

    @property
    def priority(self) -> Priority:
        return priority_of(self.kind, handed_back=self.handed_back, reconnecting=self.reconnecting)

    @property
    def sort_key(self) -> tuple[int, datetime, int]:
        """Queue order: higher priority, then older ``enqueued_at``, then arrival order."""
        return (-int(self.priority), self.enqueued_at, self.queue_seq)

    @property
    def in_queue(self) -> bool:
        return self.state in IN_QUEUE

    @property
    def patient_lost(self) -> bool:
        return self.patient_lost_at is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class Staff:
    """A staff member as the router sees them.

    ``idle_since`` orders the longest-idle choice: it is set when the staff
    member becomes available from any state but ringing, so an offer that was
    rejected, withdrawn or answered by nobody else does not cost them their
    place.
    """

    id: str
    role: Role
    specialty: str | None = None
    duty: bool = False
    state: StaffState = StaffState.OFFLINE
    state_since: datetime
    idle_since: datetime | None = None
    contact_id: str | None = None  # the contact ringing, held, or being wrapped up
    break_reason: str | None = None
    wrapup_until: datetime | None = None

    @property
    def queues(self) -> frozenset[str]:
        return queues_for(self.id, self.role, self.specialty, self.duty)

"""The input of the statistics: one :class:`QueueVisit` per stay of a contact in a queue.

Where the fields come from
--------------------------

The hub stores every event of the routing engine, in order, in the table
``contact_events`` (model ``console.store.models.ContactEvent``): ``id``
(insertion order = engine order), ``at``, ``type`` (the event's class name),
``contact_id``, ``staff_id`` and ``data`` (the whole event,
``console.queue.event_to_dict``). :class:`VisitBuilder` folds those events,
decoded with ``console.queue.event_from_dict(row.data)``, into visits; nothing
else is needed. The rows of one period are every event of every contact
with a visit that entered a queue in ``[since, until)`` (its opening event is
stamped with that instant), and for the wallboard of every contact still open
(``contacts.closed_at`` is null): ``console.store.stats.load_events`` reads
them, in ``id`` order, in two indexed steps. For the wallboard ``since`` is
the earlier of the local midnight and ``now - 15 min``. The staff-state events
a visit needs (the end of a wrap-up, a staff member lost) carry the contact's
id, so they come along.

Field by field (``e`` is the event, its fields are ``console.queue.events``'):

``contact_id``, ``queue``, ``channel``, ``kind``, ``entered_at``, ``entry``
    A visit opens on ``ContactQueued`` (``e.queue``, ``entry=ARRIVED``),
    ``ContactTransferred`` (``e.to_queue``, ``TRANSFERRED``) or
    ``ContactReturned`` (``e.to_queue``, ``HANDED_BACK``); ``entered_at`` is
    ``e.enqueued_at``. ``ContactRequeued`` (the staff member holding the
    contact was lost) does NOT open a visit: the contact waits again in the
    same visit, which stays answered.
``answered_at``
    ``e.at`` of the first ``ContactAccepted`` of the contact during the visit.
``left_at``, ``exit``
    Set when the visit ends while the contact waits (never answered, or
    waiting again after its staff member was lost: it stays answered). ``ContactClosed`` of a
    waiting contact: ``e.outcome`` ``abandoned`` -> ``ABANDONED``,
    ``not_reached`` -> ``TIMED_OUT``, ``cancelled`` -> ``CANCELLED``;
    ``left_at`` is ``e.at``, except when the patient's connection had dropped
    (``PatientLost`` while waiting, no ``PatientReconnected`` since) and the
    contact closed as abandoned when the reconnect window ran out: then
    ``left_at`` is the ``PatientLost``'s ``e.at``, the moment the patient
    actually went. ``TRANSFERRED`` (moved to another queue before anyone
    answered) has no event yet: the engine has no such command.
``handle_time``, ``handled_at``
    A *handle* is one staff member's work on the contact in this visit: from
    their ``ContactAccepted`` (``e.at``) to the ``StaffStateChanged`` that
    takes them out of busy/wrap-up (``e.old`` in {busy, wrap_up}, ``e.new``
    neither: wrap-up finished, timed out, or the staff member lost). That is
    talk (to ``ContactEnded`` / ``ContactTransferred`` / ``ContactReturned``)
    plus wrap-up. ``handle_time`` is the sum of the visit's handles (more than
    one only after a staff member was lost mid-contact); ``handled_at`` is the
    end of the last one, set once no handle of the visit is open.
``requeued_at``
    ``e.at`` of ``ContactRequeued``: the contact waits again from then until
    ``left_at`` or the next ``ContactAccepted``, which clears it.

Every other event (offers, rejections, ``StaffRegistered``...) is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from console.queue.events import (
    ContactAccepted,
    ContactClosed,
    ContactQueued,
    ContactRequeued,
    ContactReturned,
    ContactTransferred,
    PatientLost,
    PatientReconnected,
    StaffStateChanged,
)
from console.queue.model import DOCTOR_PREFIX, OPERATORS, Channel, Kind, Outcome, StaffState

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from console.queue.events import Event

#: The queue groups of the wallboard and the report, in their order. Engine
#: queue ids map onto them with :func:`queue_group`.
DUTY_THERAPIST = "duty:therapist"
DUTY_PEDIATRICIAN = "duty:pediatrician"
APPOINTMENTS = "appointments"
DEFAULT_GROUPS = (OPERATORS, DUTY_THERAPIST, DUTY_PEDIATRICIAN, APPOINTMENTS)


def queue_group(queue: str) -> str:
    """The group a queue's numbers count in: every ``doctor:<id>`` queue is
    ``"appointments"``; ``"operators"`` and each ``"duty:<specialty>"`` are their own."""
    return APPOINTMENTS if queue.startswith(DOCTOR_PREFIX) else queue


class Entry(StrEnum):
    """How the contact came into the queue."""

    ARRIVED = "arrived"  # a new contact
    TRANSFERRED = "transferred"  # a medconsultant passed it to a doctor's queue
    HANDED_BACK = "handed_back"  # the doctor is done; back to the medconsultants


class Exit(StrEnum):
    """How a contact left the queue while waiting (a visit answered earlier and
    waiting again after its staff member was lost can leave too; it stays answered)."""

    ABANDONED = "abandoned"  # the patient hung up or went and did not come back
    TIMED_OUT = "timed_out"  # closed as not reached after 15 minutes (003)
    CANCELLED = "cancelled"  # called off, e.g. the appointment was cancelled
    TRANSFERRED = "transferred"  # moved to another queue before anyone answered


def _utc(value: datetime | None, name: str) -> datetime | None:
    if value is None or value.tzinfo is UTC:
        return value
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"QueueVisit.{name} must be timezone-aware")
    return value.astimezone(UTC)


_TIMES = ("entered_at", "answered_at", "left_at", "handled_at", "requeued_at")


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueVisit:
    """One stay of a contact in one queue; see the module docstring for each field.

    Instants are timezone-aware and kept in UTC (others are converted), so
    differences are true durations on any day, daylight-saving ones included.
    A visit may hold facts later than the ``now`` it is evaluated at; they
    are ignored there (see :mod:`console.stats.figures`).
    """

    contact_id: str
    queue: str
    channel: Channel
    kind: Kind
    entered_at: datetime
    entry: Entry = Entry.ARRIVED
    answered_at: datetime | None = None  # first acceptance by staff
    left_at: datetime | None = None  # left while waiting (with ``exit``)
    exit: Exit | None = None
    handle_time: timedelta | None = None  # talk + wrap-up of every handle (with handled_at)
    handled_at: datetime | None = None  # the end of the last handle's wrap-up
    requeued_at: datetime | None = None  # waits again since (its staff member was lost)

    def __post_init__(self) -> None:
        # Written out, not looped over _TIMES: a day's cold start freezes 100,000s
        # of visits, and the loops were most of the cost of freezing one.
        entered, answered, left = self.entered_at, self.answered_at, self.left_at
        handled, requeued = self.handled_at, self.requeued_at
        if not (
            entered.tzinfo is UTC
            and (answered is None or answered.tzinfo is UTC)
            and (left is None or left.tzinfo is UTC)
            and (handled is None or handled.tzinfo is UTC)
            and (requeued is None or requeued.tzinfo is UTC)
        ):
            for name in _TIMES:
                value = getattr(self, name)
                converted = _utc(value, name)
                if converted is not value:
                    object.__setattr__(self, name, converted)
            entered, answered, left = self.entered_at, self.answered_at, self.left_at
            handled, requeued = self.handled_at, self.requeued_at
        if (left is None) != (self.exit is None):
            raise ValueError("QueueVisit.left_at and exit go together")
        if (handled is None) != (self.handle_time is None):
            raise ValueError("QueueVisit.handled_at and handle_time go together")
        if handled is not None and answered is None:
            raise ValueError("QueueVisit: a visit nobody answered has no handle time")
        if (
            (answered is not None and answered < entered)
            or (left is not None and left < entered)
            or (handled is not None and handled < entered)
            or (requeued is not None and requeued < entered)
        ):
            for name in _TIMES[1:]:
                value = getattr(self, name)
                if value is not None and value < entered:
                    raise ValueError(f"QueueVisit.{name} is before entered_at")


@dataclass(slots=True)
class _Visit:
    """A visit being built (mutable); frozen into a QueueVisit on the way out."""

    contact_id: str
    queue: str
    channel: Channel
    kind: Kind
    entered_at: datetime
    entry: Entry
    answered_at: datetime | None = None
    left_at: datetime | None = None
    exit: Exit | None = None
    handle_time: timedelta | None = None
    handled_at: datetime | None = None
    requeued_at: datetime | None = None
    open_handles: int = 0
    patient_lost_at: datetime | None = None

    def freeze(self) -> QueueVisit:
        return QueueVisit(
            contact_id=self.contact_id,
            queue=self.queue,
            channel=self.channel,
            kind=self.kind,
            entered_at=self.entered_at,
            entry=self.entry,
            answered_at=self.answered_at,
            left_at=self.left_at,
            exit=self.exit,
            handle_time=self.handle_time if self.open_handles == 0 else None,
            handled_at=self.handled_at if self.open_handles == 0 else None,
            requeued_at=self.requeued_at,
        )


@dataclass(slots=True)
class _Handle:
    visit: _Visit
    accepted_at: datetime


_WORKING = frozenset({StaffState.BUSY, StaffState.WRAP_UP})
_EXITS = {Outcome.ABANDONED: Exit.ABANDONED, Outcome.NOT_REACHED: Exit.TIMED_OUT}


class VisitBuilder:
    """Folds the engine's events, in order, into :class:`QueueVisit` records.

    Feed it the stored events of a period (see the module docstring) or, live,
    every list an engine command returns. Not thread-safe; cheap: O(1) per event.
    """

    def __init__(self) -> None:
        self._visits: list[_Visit] = []
        self._current: dict[str, _Visit] = {}  # contact id -> its open visit
        self._handles: dict[str, _Handle] = {}  # staff id -> their open handle

    def visits(self) -> list[QueueVisit]:
        """The visits so far, in the order they opened (less those :meth:`settle` took)."""
        return [v.freeze() for v in self._visits]

    def settle(self) -> list[QueueVisit]:
        """Take out the visits no later event can change, in the order they opened.

        A visit is settled once its contact has left it (closed, or moved on to
        another queue) and no staff member's handle of it is still open (the
        wrap-up is over). :meth:`visits` no longer returns a settled visit, so
        a builder fed live all day keeps only the contacts in progress
        (:class:`console.stats.live.LiveStats`). O(visits not yet settled).
        """
        keep: list[_Visit] = []
        done: list[QueueVisit] = []
        current = self._current
        for v in self._visits:
            if v.open_handles > 0 or current.get(v.contact_id) is v:
                keep.append(v)
            else:
                done.append(v.freeze())
        self._visits = keep
        return done

    def apply(self, events: Iterable[Event]) -> None:
        handlers = _HANDLERS
        for e in events:
            handler = handlers.get(type(e))
            if handler is None:
                handler = _handler(type(e))
            handler(self, e)

    def _queued(self, e: ContactQueued) -> None:
        self._open(e.contact_id, e.queue, e.channel, e.kind, e.enqueued_at, Entry.ARRIVED)

    def _requeued(self, e: ContactRequeued) -> None:
        v = self._current.get(e.contact_id)
        if v is None:  # the events started mid-contact: count what we see
            self._open(e.contact_id, e.queue, e.channel, e.kind, e.at, Entry.ARRIVED)
        elif v.answered_at is not None:
            v.requeued_at = e.at

    def _staff_changed(self, e: StaffStateChanged) -> None:
        if e.old in _WORKING and e.new not in _WORKING:
            self._handle_ended(e.staff_id, e.at)

    def _patient(self, e: PatientLost | PatientReconnected) -> None:
        v = self._current.get(e.contact_id)
        if v is not None:
            v.patient_lost_at = e.at if isinstance(e, PatientLost) else None

    def _open(
        self,
        contact_id: str,
        queue: str,
        channel: Channel,
        kind: Kind,
        at: datetime,
        entry: Entry,
    ) -> None:
        v = _Visit(contact_id, queue, channel, kind, at, entry)
        self._visits.append(v)
        self._current[contact_id] = v

    def _moved(self, e: ContactTransferred | ContactReturned) -> None:
        old = self._current.get(e.contact_id)
        if old is not None and old.answered_at is None:  # no engine path does this yet
            self._leave(old, e.at, Exit.TRANSFERRED)
        entry = Entry.TRANSFERRED if isinstance(e, ContactTransferred) else Entry.HANDED_BACK
        self._open(e.contact_id, e.to_queue, e.channel, e.kind, e.enqueued_at, entry)
        if old is not None and old.patient_lost_at is not None:
            # Moved while the patient was offline: gone from this queue since it entered.
            self._current[e.contact_id].patient_lost_at = e.enqueued_at

    def _accepted(self, e: ContactAccepted) -> None:
        v = self._current.get(e.contact_id)
        if v is None:  # mid-contact start without the visit's opening event
            return
        if v.answered_at is None:
            v.answered_at = e.at
        v.requeued_at = None
        v.patient_lost_at = None
        v.open_handles += 1
        self._handles[e.staff_id] = _Handle(v, e.at)

    def _handle_ended(self, staff_id: str, at: datetime) -> None:
        h = self._handles.pop(staff_id, None)
        if h is None:
            return
        v = h.visit
        v.handle_time = (v.handle_time or timedelta(0)) + (at - h.accepted_at)
        v.open_handles -= 1
        v.handled_at = at

    def _leave(self, v: _Visit, at: datetime, exit_: Exit) -> None:
        v.left_at, v.exit = at, exit_

    def _closed(self, e: ContactClosed) -> None:
        v = self._current.pop(e.contact_id, None)
        if v is None or (v.answered_at is not None and v.requeued_at is None):
            return  # closed after its last handle: the visit ended when it was answered
        if e.outcome is Outcome.CANCELLED:
            self._leave(v, e.at, Exit.CANCELLED)
            return
        exit_ = _EXITS.get(e.outcome, Exit.ABANDONED)
        left = e.at
        if exit_ is Exit.ABANDONED and v.patient_lost_at is not None:
            left = v.patient_lost_at
        self._leave(v, left, exit_)


#: What :meth:`VisitBuilder.apply` does with each class of event: one dictionary
#: look-up an event, not a chain of ``isinstance`` (a day's cold start folds
#: hundreds of thousands). ContactEnded and the offer events change no visit field.
_HANDLERS: dict[type, Callable[[VisitBuilder, Any], None]] = {
    ContactQueued: VisitBuilder._queued,
    ContactTransferred: VisitBuilder._moved,
    ContactReturned: VisitBuilder._moved,
    ContactRequeued: VisitBuilder._requeued,
    ContactAccepted: VisitBuilder._accepted,
    StaffStateChanged: VisitBuilder._staff_changed,
    PatientLost: VisitBuilder._patient,
    PatientReconnected: VisitBuilder._patient,
    ContactClosed: VisitBuilder._closed,
}


def _ignore(_builder: VisitBuilder, _event: Any) -> None:
    return None


def _handler(cls: type) -> Callable[[VisitBuilder, Any], None]:
    """The handler of a class not met yet: its nearest base's, or nothing to do."""
    handler = next((_HANDLERS[c] for c in cls.__mro__ if c in _HANDLERS), _ignore)
    _HANDLERS[cls] = handler
    return handler


def visits_from_events(events: Iterable[Event]) -> list[QueueVisit]:
    """The visits the events describe (see :class:`VisitBuilder`)."""
    builder = VisitBuilder()
    builder.apply(events)
    return builder.visits()


__all__ = [
    "APPOINTMENTS",
    "DEFAULT_GROUPS",
    "DUTY_PEDIATRICIAN",
    "DUTY_THERAPIST",
    "Entry",
    "Exit",
    "QueueVisit",
    "VisitBuilder",
    "queue_group",
    "visits_from_events",
]

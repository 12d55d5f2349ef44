"""The routing engine (ACD): matches waiting contacts with available staff.

Deterministic and timer-free. The engine never sleeps or schedules: every
command takes effect at ``clock.now()`` and returns the events that describe
what changed. Deadlines (offers ringing out, wrap-up ends, reconnect windows,
the 15-minute not-reached rule, first refusal of a hand-back) are only acted on
by :meth:`Engine.tick`, which the caller runs when :meth:`Engine.next_deadline`
falls due.

The expected loop in the hub::

    persist(engine.tick())          # before each command: nothing is overdue
    events = engine.accept(contact_id, staff_id)  # may raise QueueError
    persist(events); announce(events)
    reschedule(engine.next_deadline())

A command that touches a contact or staff member with an overdue deadline
raises :class:`~console.queue.errors.DeadlinePassedError` instead of guessing.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from enum import IntEnum
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from console.queue.errors import (
    CorruptStateError,
    DeadlinePassedError,
    DuplicateContactError,
    InvalidArgumentError,
    InvalidOutcomeError,
    InvalidQueueError,
    InvalidStaffProfileError,
    NoSuchOfferError,
    NotHolderError,
    UnknownContactError,
    UnknownStaffError,
    WrongContactStateError,
    WrongStaffStateError,
)
from console.queue.events import (
    ContactAccepted,
    ContactClosed,
    ContactEnded,
    ContactPinned,
    ContactQueued,
    ContactRequeued,
    ContactReturned,
    ContactTransferred,
    Event,
    OfferExpired,
    OfferMade,
    OfferRejected,
    OfferWithdrawn,
    PatientLost,
    PatientReconnected,
    StaffChangeReason,
    StaffRegistered,
    StaffStateChanged,
    WithdrawReason,
)
from console.queue.model import (
    CONNECTED_STATES,
    DOCTOR_PREFIX,
    OPERATORS,
    Channel,
    Contact,
    ContactState,
    Decline,
    Kind,
    Offer,
    Outcome,
    QueueConfig,
    Role,
    Staff,
    StaffState,
    check_queue_id,
)
from console.queue.state import EngineState, check_consistency

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from console.clock import Clock

P = ParamSpec("P")
T = TypeVar("T")
E = TypeVar("E", Channel, Kind, Outcome, Role)

#: States in which a medconsultant loses first refusal of a handed-back contact.
_NO_FIRST_REFUSAL = frozenset({StaffState.OFFLINE, StaffState.BREAK, StaffState.NOT_RESPONDING})

#: Outcomes a holder may end a connected contact with.
ENDING_OUTCOMES = frozenset(Outcome) - {Outcome.CANCELLED}


class _Due(IntEnum):
    """Kinds of deadline; at the same instant they fire in this order."""

    OFFER = 0
    WRAPUP = 1
    RECONNECT = 2
    NOT_REACHED = 3


def _command(
    method: Callable[Concatenate[Engine, P], list[Event]],
) -> Callable[Concatenate[Engine, P], list[Event]]:
    """Make a command atomic: if it raises, the engine's state is put back."""

    @functools.wraps(method)
    def wrapper(self: Engine, /, *args: P.args, **kwargs: P.kwargs) -> list[Event]:
        saved = (dict(self._contacts), dict(self._staff), self._seq)
        try:
            return method(self, *args, **kwargs)
        except BaseException:
            self._contacts, self._staff, self._seq = saved
            raise

    return wrapper


class Engine:
    """Queues, staff states and offers of the call center.

    Ordering. Inside a queue contacts are served by :attr:`Contact.sort_key`:
    higher priority first (handed back by a doctor, reconnecting, or back
    after the staff member was lost; then appointments; then the rest), then
    the one that entered the queue earlier, then arrival order. Dispatch walks
    all waiting contacts in that order and offers each to the longest-idle
    available staff member who serves its queue (earliest ``idle_since``, then
    staff id), skipping a staff member who declined that contact less than
    ``reoffer_after`` ago, and, during a hand-back's first refusal, everyone
    but the medconsultant who transferred it. A contact a supervisor pinned to
    a staff member (:meth:`pin`) comes before every other contact and goes to
    that staff member only. Dispatch runs at the end of every command and of
    :meth:`tick`, so no caller ever has to ask for it.

    Errors. Commands validate first and run atomically: a
    :class:`~console.queue.errors.QueueError` leaves the state unchanged.
    """

    def __init__(self, clock: Clock, config: QueueConfig | None = None) -> None:
        self._clock = clock
        self._config = config if config is not None else QueueConfig()
        self._contacts: dict[str, Contact] = {}
        self._staff: dict[str, Staff] = {}
        self._seq = 0

    # ------------------------------------------------------------------ state

    @property
    def config(self) -> QueueConfig:
        return self._config

    @property
    def clock(self) -> Clock:
        return self._clock

    def snapshot(self) -> EngineState:
        """The whole state as plain frozen dataclasses (see :mod:`console.queue.state`)."""
        return EngineState(
            contacts=tuple(self._contacts[k] for k in sorted(self._contacts)),
            staff=tuple(self._staff[k] for k in sorted(self._staff)),
            seq=self._seq,
        )

    @classmethod
    def restore(cls, state: EngineState, clock: Clock, config: QueueConfig | None = None) -> Engine:
        """An engine that continues exactly where ``state`` was taken.

        Raises :class:`~console.queue.errors.CorruptStateError` for an
        inconsistent state. Overdue deadlines are processed by the next tick().
        """
        check_consistency(state)
        if any(c.queue_seq > state.seq for c in state.contacts):
            raise CorruptStateError("a contact's queue_seq is beyond the state's seq")
        engine = cls(clock, config)
        engine._contacts = {c.id: c for c in state.contacts}
        engine._staff = {s.id: s for s in state.staff}
        engine._seq = state.seq
        return engine

    # ---------------------------------------------------------------- queries

    def get_contact(self, contact_id: str) -> Contact:
        """The live contact, or :class:`UnknownContactError` (closed ones are forgotten)."""
        contact = self._contacts.get(contact_id)
        if contact is None:
            raise UnknownContactError(contact_id)
        return contact

    def get_staff(self, staff_id: str) -> Staff:
        staff = self._staff.get(staff_id)
        if staff is None:
            raise UnknownStaffError(staff_id)
        return staff

    def contacts(self) -> tuple[Contact, ...]:
        """All live contacts, by id."""
        return tuple(self._contacts[k] for k in sorted(self._contacts))

    def staff(self) -> tuple[Staff, ...]:
        """All registered staff members, by id."""
        return tuple(self._staff[k] for k in sorted(self._staff))

    def waiting(self, queue: str) -> tuple[Contact, ...]:
        """Contacts in ``queue`` (offered and patient-lost ones included), in service order."""
        return tuple(
            sorted(
                (c for c in self._contacts.values() if c.in_queue and c.queue == queue),
                key=lambda c: c.sort_key,
            )
        )

    def queue_ids(self) -> tuple[str, ...]:
        """Every queue someone serves or someone waits in, plus ``"operators"``, sorted."""
        ids = {OPERATORS}
        for s in self._staff.values():
            ids |= s.queues
        ids |= {c.queue for c in self._contacts.values() if c.in_queue}
        return tuple(sorted(ids))

    def next_deadline(self) -> datetime | None:
        """The earliest instant at which :meth:`tick` has something to do, or None.

        May be in the past (run tick now). Includes the end of a hand-back's
        first refusal and of a decline's re-offer pause, after which a waiting
        contact may go to someone new.
        """
        now = self._now()
        instants = [due for due, _, _ in self._deadlines()]
        for c in self._contacts.values():
            if not c.in_queue:
                continue
            if c.first_refusal_until is not None and c.first_refusal_until > now:
                instants.append(c.first_refusal_until)
            instants.extend(d.until for d in c.declines if d.until > now)
        return min(instants, default=None)

    # ---------------------------------------------------------------- staff

    @_command
    def register_staff(
        self, staff_id: str, role: Role, *, specialty: str | None = None, duty: bool = False
    ) -> list[Event]:
        """Make a staff member known (offline), or change an offline member's profile.

        Registering the same profile again changes nothing and returns no events.
        """
        now = self._now()
        role = _enum(Role, role)
        if not staff_id or ":" in staff_id:
            raise InvalidStaffProfileError(f"bad staff id {staff_id!r}")
        if role is Role.OPERATOR and (specialty or duty):
            raise InvalidStaffProfileError("an operator has no specialty and is never on duty")
        if role is Role.DOCTOR and not (specialty and specialty.strip()):
            raise InvalidStaffProfileError(f"doctor {staff_id!r} needs a specialty")
        existing = self._staff.get(staff_id)
        if existing is not None:
            if (existing.role, existing.specialty, existing.duty) == (role, specialty, duty):
                return []
            if existing.state is not StaffState.OFFLINE:
                raise WrongStaffStateError(staff_id, existing.state, "change profile while online")
        if role is Role.OPERATOR and any(
            c.queue == f"{DOCTOR_PREFIX}{staff_id}" for c in self._contacts.values()
        ):
            raise InvalidStaffProfileError(f"contacts wait in {staff_id!r}'s doctor queue")
        if existing is None:
            staff = Staff(id=staff_id, role=role, specialty=specialty, duty=duty, state_since=now)
        else:
            staff = replace(existing, role=role, specialty=specialty, duty=duty)
        self._staff[staff_id] = staff
        return [
            StaffRegistered(
                at=now,
                staff_id=staff_id,
                role=role,
                specialty=specialty,
                duty=duty,
                queues=tuple(sorted(staff.queues)),
            )
        ]

    @_command
    def set_available(self, staff_id: str) -> list[Event]:
        """Log in, come back from a break or from not responding, or end wrap-up early."""
        now = self._now()
        s = self._staff_member(staff_id)
        if s.state is StaffState.WRAP_UP:
            self._guard_staff(s, now)
            events = self._end_wrapup(
                s, now, StaffState.AVAILABLE, StaffChangeReason.WRAPUP_FINISHED
            )
        elif s.state in (StaffState.OFFLINE, StaffState.BREAK, StaffState.NOT_RESPONDING):
            reason = (
                StaffChangeReason.LOGIN
                if s.state is StaffState.OFFLINE
                else StaffChangeReason.REQUESTED
            )
            events = [self._set_staff(s, StaffState.AVAILABLE, now, reason)]
        else:
            raise WrongStaffStateError(staff_id, s.state, "become available")
        return events + self._dispatch(now)

    @_command
    def finish_wrapup(self, staff_id: str) -> list[Event]:
        """End wrap-up before its time; the staff member becomes available."""
        now = self._now()
        s = self._staff_member(staff_id)
        if s.state is not StaffState.WRAP_UP:
            raise WrongStaffStateError(staff_id, s.state, "finish wrap-up")
        self._guard_staff(s, now)
        events = self._end_wrapup(s, now, StaffState.AVAILABLE, StaffChangeReason.WRAPUP_FINISHED)
        return events + self._dispatch(now)

    @_command
    def set_break(self, staff_id: str, reason: str) -> list[Event]:
        """Go on a break (from offline, available, not responding, wrap-up, or another break)."""
        now = self._now()
        s = self._staff_member(staff_id)
        if not reason or not reason.strip():
            raise InvalidArgumentError("a break needs a reason")
        if s.state is StaffState.WRAP_UP:
            self._guard_staff(s, now)
            events = self._end_wrapup(
                s, now, StaffState.BREAK, StaffChangeReason.REQUESTED, break_reason=reason
            )
        elif s.state in (StaffState.OFFLINE, StaffState.AVAILABLE, StaffState.NOT_RESPONDING) or (
            s.state is StaffState.BREAK and s.break_reason != reason
        ):
            why = (
                StaffChangeReason.LOGIN
                if s.state is StaffState.OFFLINE
                else StaffChangeReason.REQUESTED
            )
            events = [self._set_staff(s, StaffState.BREAK, now, why, break_reason=reason)]
        else:
            raise WrongStaffStateError(staff_id, s.state, f"go on break ({reason})")
        return events + self._dispatch(now)

    @_command
    def set_offline(self, staff_id: str) -> list[Event]:
        """Log out. Not while ringing or busy: reject or end first (or report staff_lost)."""
        now = self._now()
        s = self._staff_member(staff_id)
        if s.state is StaffState.WRAP_UP:
            self._guard_staff(s, now)
            events = self._end_wrapup(s, now, StaffState.OFFLINE, StaffChangeReason.REQUESTED)
        elif s.state in (StaffState.AVAILABLE, StaffState.BREAK, StaffState.NOT_RESPONDING):
            events = [self._set_staff(s, StaffState.OFFLINE, now, StaffChangeReason.REQUESTED)]
        else:
            raise WrongStaffStateError(staff_id, s.state, "log out")
        return events + self._dispatch(now)

    @_command
    def staff_lost(self, staff_id: str) -> list[Event]:
        """The staff member's connection dropped; they go offline.

        A ringing offer is withdrawn (the contact keeps its place). A contact
        they held goes back to the head of its queue: top priority, its
        ``enqueued_at`` kept. A wrap-up ends, closing the contact it was for.
        """
        now = self._now()
        s = self._staff_member(staff_id)
        self._guard_staff(s, now)
        lost = StaffChangeReason.LOST
        events: list[Event]
        if s.state is StaffState.OFFLINE:
            raise WrongStaffStateError(staff_id, s.state, "be lost")
        if s.state is StaffState.RINGING:
            c = self._contacts[_required(s.contact_id)]
            events = self._withdraw(c, now, WithdrawReason.STAFF_LOST, StaffState.OFFLINE, lost)
        elif s.state is StaffState.BUSY:
            c = self._contacts[_required(s.contact_id)]
            requeued = replace(
                c,
                state=c.waiting_state,
                holder=None,
                connected_at=None,
                reconnecting=True,
                wait_started_at=now,
                declines=(),
                reconnect_until=(
                    now + self._config.reconnect_window if c.patient_lost_at is not None else None
                ),
            )
            self._contacts[c.id] = requeued
            events = [
                ContactRequeued(
                    at=now,
                    contact_id=c.id,
                    staff_id=staff_id,
                    queue=c.queue,
                    channel=c.channel,
                    kind=c.kind,
                    priority=requeued.priority,
                    enqueued_at=c.enqueued_at,
                ),
                self._set_staff(s, StaffState.OFFLINE, now, lost),
            ]
        elif s.state is StaffState.WRAP_UP:
            events = self._end_wrapup(s, now, StaffState.OFFLINE, lost)
        else:
            events = [self._set_staff(s, StaffState.OFFLINE, now, lost)]
        return events + self._dispatch(now)

    # -------------------------------------------------------------- contacts

    @_command
    def arrive(
        self, contact_id: str, channel: Channel, kind: Kind, queue: str = OPERATORS
    ) -> list[Event]:
        """A new contact waits in ``queue`` (the medconsultants' unless told).

        Ids must be unique for the engine's life; the engine can only detect a
        clash with a live contact.
        """
        now = self._now()
        if not contact_id:
            raise InvalidArgumentError("a contact needs an id")
        if contact_id in self._contacts:
            raise DuplicateContactError(contact_id)
        channel = _enum(Channel, channel)
        kind = _enum(Kind, kind)
        self._check_target_queue(queue)
        self._seq += 1
        c = Contact(
            id=contact_id,
            channel=channel,
            kind=kind,
            state=ContactState.WAITING,
            queue=queue,
            arrived_at=now,
            enqueued_at=now,
            queue_seq=self._seq,
            waiting_state=ContactState.WAITING,
            wait_started_at=now,
        )
        self._contacts[contact_id] = c
        event = ContactQueued(
            at=now,
            contact_id=contact_id,
            queue=queue,
            channel=channel,
            kind=kind,
            priority=c.priority,
            enqueued_at=now,
        )
        return [event, *self._dispatch(now)]

    @_command
    def accept(self, contact_id: str, staff_id: str) -> list[Event]:
        """The ringing staff member answers; the contact is connected to them."""
        now = self._now()
        c, s = self._offered(contact_id, staff_id, now)
        state = ContactState.CONNECTED if s.role is Role.OPERATOR else ContactState.WITH_DOCTOR
        self._contacts[contact_id] = replace(
            c,
            state=state,
            offer=None,
            holder=staff_id,
            connected_at=now,
            wait_started_at=None,
            declines=(),
            reconnecting=False,
            first_refusal_until=None,
            pinned_to=None,
        )
        events: list[Event] = [
            ContactAccepted(
                at=now,
                contact_id=contact_id,
                staff_id=staff_id,
                queue=c.queue,
                enqueued_at=c.enqueued_at,
            ),
            self._set_staff(
                s, StaffState.BUSY, now, StaffChangeReason.ACCEPTED, contact_id=contact_id
            ),
        ]
        return events + self._dispatch(now)

    @_command
    def reject(self, contact_id: str, staff_id: str) -> list[Event]:
        """The ringing staff member declines: they stay available, the contact keeps its
        place and goes to the next staff member (not back to them for ``reoffer_after``)."""
        now = self._now()
        c, s = self._offered(contact_id, staff_id, now)
        decline = Decline(staff_id=staff_id, at=now, until=now + self._config.reoffer_after)
        self._contacts[contact_id] = replace(
            c,
            state=c.waiting_state,
            offer=None,
            declines=(*c.declines, decline),
            pinned_to=None if c.pinned_to == staff_id else c.pinned_to,
        )
        events: list[Event] = [
            OfferRejected(at=now, contact_id=contact_id, staff_id=staff_id, queue=c.queue),
            self._set_staff(s, StaffState.AVAILABLE, now, StaffChangeReason.REJECTED),
        ]
        return events + self._dispatch(now)

    @_command
    def transfer(self, contact_id: str, staff_id: str, to_queue: str) -> list[Event]:
        """The medconsultant holding the contact passes it to a doctor's or duty queue.

        The contact waits there from now (a new place); the medconsultant goes
        to wrap-up and will get first refusal when the doctor hands it back.
        """
        now = self._now()
        c, s = self._held(contact_id, staff_id)
        if c.state is not ContactState.CONNECTED:
            raise WrongContactStateError(contact_id, c.state, "be transferred by a doctor")
        self._check_target_queue(to_queue)
        if to_queue == OPERATORS:
            raise InvalidQueueError("transfer goes to a doctor's or a duty queue")
        self._seq += 1
        moved = replace(
            c,
            state=ContactState.TRANSFERRED,
            waiting_state=ContactState.TRANSFERRED,
            queue=to_queue,
            enqueued_at=now,
            queue_seq=self._seq,
            wait_started_at=now,
            holder=None,
            connected_at=None,
            transferred_by=staff_id,
            handed_back=False,
            reconnecting=False,
            first_refusal_until=None,
            declines=(),
            reconnect_until=(
                now + self._config.reconnect_window if c.patient_lost_at is not None else None
            ),
        )
        self._contacts[contact_id] = moved
        events: list[Event] = [
            ContactTransferred(
                at=now,
                contact_id=contact_id,
                staff_id=staff_id,
                from_queue=c.queue,
                to_queue=to_queue,
                channel=c.channel,
                kind=c.kind,
                priority=moved.priority,
                enqueued_at=now,
            ),
            self._start_wrapup(s, now, StaffChangeReason.TRANSFERRED),
        ]
        return events + self._dispatch(now)

    @_command
    def hand_back(self, contact_id: str, staff_id: str) -> list[Event]:
        """The doctor ends the consultation; the contact returns to the medconsultants.

        It waits with top priority. For ``handback_first_refusal`` it is
        offered only to the medconsultant who transferred it, unless they are
        offline, on a break or not responding, or decline it; then to anyone.
        """
        now = self._now()
        c, s = self._held(contact_id, staff_id)
        if c.state is not ContactState.WITH_DOCTOR:
            raise WrongContactStateError(contact_id, c.state, "be handed back by a medconsultant")
        self._seq += 1
        first_refusal_until = (
            now + self._config.handback_first_refusal if c.transferred_by is not None else None
        )
        moved = replace(
            c,
            state=ContactState.RETURNED,
            waiting_state=ContactState.RETURNED,
            queue=OPERATORS,
            enqueued_at=now,
            queue_seq=self._seq,
            wait_started_at=now,
            holder=None,
            connected_at=None,
            handed_back=True,
            reconnecting=False,
            first_refusal_until=first_refusal_until,
            declines=(),
            reconnect_until=(
                now + self._config.reconnect_window if c.patient_lost_at is not None else None
            ),
        )
        self._contacts[contact_id] = moved
        events: list[Event] = [
            ContactReturned(
                at=now,
                contact_id=contact_id,
                staff_id=staff_id,
                from_queue=c.queue,
                to_queue=OPERATORS,
                channel=c.channel,
                kind=c.kind,
                priority=moved.priority,
                enqueued_at=now,
                first_refusal_staff=c.transferred_by,
                first_refusal_until=first_refusal_until,
            ),
            self._start_wrapup(s, now, StaffChangeReason.HANDED_BACK),
        ]
        return events + self._dispatch(now)

    @_command
    def end(
        self, contact_id: str, staff_id: str, outcome: Outcome = Outcome.COMPLETED
    ) -> list[Event]:
        """The holder ends the contact with ``outcome``; they wrap up, then it closes."""
        now = self._now()
        outcome = _enum(Outcome, outcome)
        if outcome not in ENDING_OUTCOMES:
            raise InvalidOutcomeError(f"a connected contact cannot end as {outcome}")
        c, s = self._held(contact_id, staff_id)
        return self._finish(c, s, now, outcome, by_patient=False) + self._dispatch(now)

    @_command
    def patient_left(self, contact_id: str) -> list[Event]:
        """The patient hung up on purpose.

        Waiting (or offered): the contact closes as abandoned. Connected: it
        ends as completed and the holder wraps up.
        """
        now = self._now()
        c = self._contact(contact_id)
        self._guard_contact(c, now)
        if c.in_queue:
            events = self._close_waiting(c, Outcome.ABANDONED, now, WithdrawReason.PATIENT_LEFT)
        elif c.state in CONNECTED_STATES:
            s = self._staff[_required(c.holder)]
            events = self._finish(c, s, now, Outcome.COMPLETED, by_patient=True)
        else:
            raise WrongContactStateError(contact_id, c.state, "be left by the patient")
        return events + self._dispatch(now)

    @_command
    def patient_lost(self, contact_id: str) -> list[Event]:
        """The patient's connection dropped.

        Waiting: an offer is withdrawn; the contact keeps its place but is not
        offered until the patient reconnects; after ``reconnect_window`` it
        closes as abandoned. Connected: only flagged; the holder decides.
        """
        now = self._now()
        c = self._contact(contact_id)
        self._guard_contact(c, now)
        if c.patient_lost_at is not None:
            raise WrongContactStateError(contact_id, "patient-lost", "lose the patient again")
        events: list[Event] = []
        if c.in_queue:
            if c.offer is not None:
                events += self._withdraw(c, now, WithdrawReason.PATIENT_LOST)
                c = self._contacts[contact_id]
            until = now + self._config.reconnect_window
            self._contacts[contact_id] = replace(c, patient_lost_at=now, reconnect_until=until)
            events.append(PatientLost(at=now, contact_id=contact_id, reconnect_until=until))
        elif c.state in CONNECTED_STATES:
            self._contacts[contact_id] = replace(c, patient_lost_at=now, reconnect_until=None)
            events.append(PatientLost(at=now, contact_id=contact_id, reconnect_until=None))
        else:
            raise WrongContactStateError(contact_id, c.state, "lose the patient")
        return events + self._dispatch(now)

    @_command
    def patient_reconnected(self, contact_id: str) -> list[Event]:
        """The lost patient is back. A waiting contact gets reconnect (top) priority."""
        now = self._now()
        c = self._contact(contact_id)
        if c.patient_lost_at is None:
            raise WrongContactStateError(contact_id, c.state, "reconnect a patient who is online")
        self._guard_contact(c, now)
        back = replace(
            c, patient_lost_at=None, reconnect_until=None, reconnecting=c.reconnecting or c.in_queue
        )
        self._contacts[contact_id] = back
        event = PatientReconnected(at=now, contact_id=contact_id, priority=back.priority)
        return [event, *self._dispatch(now)]

    @_command
    def cancel(self, contact_id: str) -> list[Event]:
        """A waiting contact is cancelled (e.g. the appointment was called off)."""
        return self._close_in_queue(contact_id, Outcome.CANCELLED, WithdrawReason.CANCELLED)

    @_command
    def not_reached(self, contact_id: str) -> list[Event]:
        """A waiting contact nobody could connect in time is closed as not reached: an
        appointment 15 minutes past its start (003), which the booking rules decide."""
        return self._close_in_queue(contact_id, Outcome.NOT_REACHED, WithdrawReason.NOT_REACHED)

    def _close_in_queue(
        self, contact_id: str, outcome: Outcome, reason: WithdrawReason
    ) -> list[Event]:
        now = self._now()
        c = self._contact(contact_id)
        self._guard_contact(c, now)
        if not c.in_queue:
            raise WrongContactStateError(contact_id, c.state, f"be closed as {outcome.value}")
        events = self._close_waiting(c, outcome, now, reason)
        return events + self._dispatch(now)

    @_command
    def pin(self, contact_id: str, staff_id: str) -> list[Event]:
        """A supervisor gives a waiting contact to a named staff member.

        It is offered to them next: at once if they are available, else as
        soon as they become available, before any other contact they could
        take; nobody else is offered it meanwhile. They must serve the
        contact's queue and be at work (not offline, on a break or not
        responding). An offer of the contact ringing at someone else is
        withdrawn (reason ``moved``). The pin ends when they accept, reject or
        let the offer ring out, or go offline, on a break or not responding;
        then the contact waits for anyone again, in its place. A patient who
        lost the connection is offered once back.
        """
        now = self._now()
        c = self._contact(contact_id)
        s = self._staff_member(staff_id)
        if not c.in_queue:
            raise WrongContactStateError(contact_id, c.state, "be moved (it is not waiting)")
        self._guard_contact(c, now)
        if c.queue not in s.queues:
            raise InvalidArgumentError(
                f"staff member {staff_id!r} does not serve the queue {c.queue!r}"
            )
        if s.state in _NO_FIRST_REFUSAL:
            raise WrongStaffStateError(staff_id, s.state, "be given a contact")
        self._guard_staff(s, now)
        events: list[Event] = []
        if c.offer is not None and c.offer.staff_id != staff_id:
            events += self._withdraw(c, now, WithdrawReason.MOVED)
            c = self._contacts[contact_id]
        self._contacts[contact_id] = replace(
            c,
            pinned_to=staff_id,
            declines=tuple(d for d in c.declines if d.staff_id != staff_id),
        )
        events.append(
            ContactPinned(at=now, contact_id=contact_id, staff_id=staff_id, queue=c.queue)
        )
        return events + self._dispatch(now)

    # ------------------------------------------------------------------ time

    @_command
    def tick(self) -> list[Event]:
        """Process every deadline due at ``clock.now()``, earliest first, then dispatch.

        Deadlines at the same instant fire in the order offer, wrap-up,
        reconnect window, not-reached, then by id. Their events carry the
        instant each deadline fell due.
        """
        now = self._now()
        events: list[Event] = []
        while True:
            due = [item for item in self._deadlines() if item[0] <= now]
            if not due:
                break
            when, kind, key = min(due)
            events += self._fire(kind, key, when)
        return events + self._dispatch(now)

    # -------------------------------------------------------------- helpers

    def _now(self) -> datetime:
        now = self._clock.now()
        if now.tzinfo is None:
            raise ValueError("the clock must return timezone-aware instants")
        return now

    def _contact(self, contact_id: str) -> Contact:
        return self.get_contact(contact_id)

    def _staff_member(self, staff_id: str) -> Staff:
        return self.get_staff(staff_id)

    def _not_reached_at(self, c: Contact) -> datetime | None:
        if c.in_queue and c.kind in self._config.not_reached_kinds and c.wait_started_at:
            return c.wait_started_at + self._config.not_reached_after
        return None

    def _contact_deadlines(self, c: Contact) -> list[tuple[datetime, _Due]]:
        out: list[tuple[datetime, _Due]] = []
        if c.offer is not None:
            out.append((c.offer.expires_at, _Due.OFFER))
        if c.in_queue and c.reconnect_until is not None:
            out.append((c.reconnect_until, _Due.RECONNECT))
        not_reached = self._not_reached_at(c)
        if not_reached is not None:
            out.append((not_reached, _Due.NOT_REACHED))
        return out

    def _deadlines(self) -> list[tuple[datetime, _Due, str]]:
        items = [
            (due, kind, c.id)
            for c in self._contacts.values()
            for due, kind in self._contact_deadlines(c)
        ]
        items += [
            (s.wrapup_until, _Due.WRAPUP, s.id)
            for s in self._staff.values()
            if s.state is StaffState.WRAP_UP and s.wrapup_until is not None
        ]
        return items

    def _guard_contact(self, c: Contact, now: datetime) -> None:
        for due, kind in self._contact_deadlines(c):
            if due <= now:
                raise DeadlinePassedError(f"{kind.name.lower()} of contact {c.id!r}", due)

    def _guard_staff(self, s: Staff, now: datetime) -> None:
        if s.state is StaffState.WRAP_UP and s.wrapup_until is not None and s.wrapup_until <= now:
            raise DeadlinePassedError(f"wrap-up of {s.id!r}", s.wrapup_until)
        if s.state is StaffState.RINGING:
            self._guard_contact(self._contacts[_required(s.contact_id)], now)

    def _offered(self, contact_id: str, staff_id: str, now: datetime) -> tuple[Contact, Staff]:
        c = self._contact(contact_id)
        s = self._staff_member(staff_id)
        if (
            c.offer is None
            or c.offer.staff_id != staff_id
            or s.state is not StaffState.RINGING
            or s.contact_id != contact_id
        ):
            raise NoSuchOfferError(contact_id, staff_id)
        self._guard_contact(c, now)
        return c, s

    def _held(self, contact_id: str, staff_id: str) -> tuple[Contact, Staff]:
        c = self._contact(contact_id)
        s = self._staff_member(staff_id)
        if c.state not in CONNECTED_STATES:
            raise WrongContactStateError(contact_id, c.state, "be handled (not connected)")
        if c.holder != staff_id or s.state is not StaffState.BUSY:
            raise NotHolderError(contact_id, staff_id)
        return c, s

    def _check_target_queue(self, queue: str) -> None:
        check_queue_id(queue)
        if queue.startswith(DOCTOR_PREFIX):
            owner = self._staff.get(queue[len(DOCTOR_PREFIX) :])
            if owner is not None and owner.role is not Role.DOCTOR:
                raise InvalidQueueError(f"{queue!r} belongs to a medconsultant")

    def _set_staff(
        self,
        s: Staff,
        new: StaffState,
        at: datetime,
        reason: StaffChangeReason,
        *,
        contact_id: str | None = None,
        break_reason: str | None = None,
        wrapup_until: datetime | None = None,
    ) -> StaffStateChanged:
        """Move a staff member to ``new``. ``idle_since`` restarts when they become
        available from anything but ringing; ringing keeps it. Offline, on a
        break or not responding, they lose the contacts pinned to them."""
        if new is StaffState.AVAILABLE:
            idle_since = s.idle_since if s.state is StaffState.RINGING else at
        elif new is StaffState.RINGING:
            idle_since = s.idle_since
        else:
            idle_since = None
        self._staff[s.id] = replace(
            s,
            state=new,
            state_since=at,
            idle_since=idle_since,
            contact_id=contact_id,
            break_reason=break_reason,
            wrapup_until=wrapup_until,
        )
        if new in _NO_FIRST_REFUSAL:
            self._unpin(s.id)
        return StaffStateChanged(
            at=at,
            staff_id=s.id,
            old=s.state,
            new=new,
            reason=reason,
            contact_id=contact_id if contact_id is not None else s.contact_id,
            break_reason=break_reason,
        )

    def _unpin(self, staff_id: str) -> None:
        """The contacts pinned to ``staff_id`` wait for anyone again (rare: a scan is fine)."""
        pinned = [c.id for c in self._contacts.values() if c.pinned_to == staff_id]
        for cid in pinned:
            self._contacts[cid] = replace(self._contacts[cid], pinned_to=None)

    def _start_wrapup(self, s: Staff, at: datetime, reason: StaffChangeReason) -> Event:
        return self._set_staff(
            s,
            StaffState.WRAP_UP,
            at,
            reason,
            contact_id=s.contact_id,
            wrapup_until=at + self._config.wrapup,
        )

    def _end_wrapup(
        self,
        s: Staff,
        at: datetime,
        new: StaffState,
        reason: StaffChangeReason,
        *,
        break_reason: str | None = None,
    ) -> list[Event]:
        """End a wrap-up; the contact it was for closes if it ended with this member."""
        events: list[Event] = [self._set_staff(s, new, at, reason, break_reason=break_reason)]
        c = self._contacts.get(s.contact_id or "")
        if c is not None and c.state is ContactState.WRAP_UP and c.holder == s.id:
            events.append(self._close(c, c.outcome or Outcome.COMPLETED, at))
        return events

    def _finish(
        self, c: Contact, s: Staff, at: datetime, outcome: Outcome, *, by_patient: bool
    ) -> list[Event]:
        self._contacts[c.id] = replace(c, state=ContactState.WRAP_UP, outcome=outcome)
        reason = StaffChangeReason.PATIENT_LEFT if by_patient else StaffChangeReason.CONTACT_ENDED
        return [
            ContactEnded(
                at=at,
                contact_id=c.id,
                staff_id=s.id,
                queue=c.queue,
                outcome=outcome,
                by_patient=by_patient,
            ),
            self._start_wrapup(s, at, reason),
        ]

    def _close(self, c: Contact, outcome: Outcome, at: datetime) -> Event:
        del self._contacts[c.id]
        return ContactClosed(
            at=at, contact_id=c.id, queue=c.queue, outcome=outcome, staff_id=c.holder
        )

    def _close_waiting(
        self, c: Contact, outcome: Outcome, at: datetime, reason: WithdrawReason
    ) -> list[Event]:
        events: list[Event] = []
        if c.offer is not None:
            events += self._withdraw(c, at, reason)
            c = self._contacts[c.id]
        events.append(self._close(c, outcome, at))
        return events

    def _withdraw(
        self,
        c: Contact,
        at: datetime,
        reason: WithdrawReason,
        staff_to: StaffState = StaffState.AVAILABLE,
        staff_reason: StaffChangeReason = StaffChangeReason.OFFER_WITHDRAWN,
    ) -> list[Event]:
        offer = _required(c.offer)
        s = self._staff[offer.staff_id]
        self._contacts[c.id] = replace(c, state=c.waiting_state, offer=None)
        return [
            OfferWithdrawn(at=at, contact_id=c.id, staff_id=s.id, queue=c.queue, reason=reason),
            self._set_staff(s, staff_to, at, staff_reason),
        ]

    def _fire(self, kind: _Due, key: str, when: datetime) -> list[Event]:
        if kind is _Due.WRAPUP:
            s = self._staff[key]
            return self._end_wrapup(s, when, StaffState.AVAILABLE, StaffChangeReason.WRAPUP_TIMEOUT)
        c = self._contacts[key]
        if kind is _Due.OFFER:
            offer = _required(c.offer)
            s = self._staff[offer.staff_id]
            decline = Decline(staff_id=s.id, at=when, until=when + self._config.reoffer_after)
            self._contacts[key] = replace(
                c,
                state=c.waiting_state,
                offer=None,
                declines=(*c.declines, decline),
                pinned_to=None if c.pinned_to == s.id else c.pinned_to,
            )
            return [
                OfferExpired(at=when, contact_id=key, staff_id=s.id, queue=c.queue),
                self._set_staff(s, StaffState.NOT_RESPONDING, when, StaffChangeReason.RING_TIMEOUT),
            ]
        if kind is _Due.RECONNECT:
            return self._close_waiting(c, Outcome.ABANDONED, when, WithdrawReason.PATIENT_LOST)
        return self._close_waiting(c, Outcome.NOT_REACHED, when, WithdrawReason.NOT_REACHED)

    def _reserved_for(self, c: Contact, now: datetime) -> str | None:
        """The medconsultant with first refusal of a handed-back contact, if any now.

        First refusal lasts until ``first_refusal_until``, and only while the
        medconsultant who transferred the contact is at work (not offline, on a
        break or not responding) and has not declined it since it came back.
        """
        if (
            not c.handed_back
            or c.transferred_by is None
            or c.first_refusal_until is None
            or now >= c.first_refusal_until
        ):
            return None
        preferred = self._staff.get(c.transferred_by)
        if preferred is None or preferred.state in _NO_FIRST_REFUSAL:
            return None
        if any(d.staff_id == preferred.id for d in c.declines):
            return None
        return preferred.id

    def _dispatch(self, now: datetime) -> list[Event]:
        """Offer waiting contacts to available staff (see the class docstring for order)."""
        available = sorted(
            (s for s in self._staff.values() if s.state is StaffState.AVAILABLE),
            key=lambda s: (s.idle_since or s.state_since, s.id),
        )
        if not available:
            return []
        candidates = sorted(
            (
                c
                for c in self._contacts.values()
                if c.in_queue and c.offer is None and c.patient_lost_at is None
            ),
            key=lambda c: c.sort_key,
        )
        pinned = [c for c in candidates if c.pinned_to is not None]
        if pinned:  # a supervisor's choice comes first
            candidates = pinned + [c for c in candidates if c.pinned_to is None]
        events: list[Event] = []
        for c in candidates:
            reserved = c.pinned_to or self._reserved_for(c, now)
            chosen = next(
                (
                    s
                    for s in available
                    if c.queue in s.queues
                    and (reserved is None or reserved == s.id)
                    and not any(d.staff_id == s.id and now < d.until for d in c.declines)
                ),
                None,
            )
            if chosen is None:
                continue
            offer = Offer(
                staff_id=chosen.id, offered_at=now, expires_at=now + self._config.ring_timeout
            )
            self._contacts[c.id] = replace(c, state=ContactState.OFFERED, offer=offer)
            events.append(
                OfferMade(
                    at=now,
                    contact_id=c.id,
                    staff_id=chosen.id,
                    queue=c.queue,
                    expires_at=offer.expires_at,
                )
            )
            events.append(
                self._set_staff(
                    chosen, StaffState.RINGING, now, StaffChangeReason.OFFERED, contact_id=c.id
                )
            )
            available.remove(chosen)
            if not available:
                break
        return events


def _required(value: T | None) -> T:
    if value is None:
        raise CorruptStateError("engine state is missing a link it needs")
    return value


def _enum(cls: type[E], value: object) -> E:
    try:
        return cls(str(value))
    except ValueError as exc:
        raise InvalidArgumentError(f"{value!r} is not a {cls.__name__}") from exc

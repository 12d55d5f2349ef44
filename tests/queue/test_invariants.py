"""Property-based test: random days at the call center keep the engine's invariants.

A hypothesis state machine drives the engine with random arrivals, offers
answered or rejected, time passing (rings running out, wrap-ups ending,
reconnect windows closing, urgent contacts not reached), hang-ups, patient and
staff disconnects, transfers, hand-backs, breaks, restarts from a JSON snapshot,
and calls that must fail. After every step it checks:

1. no contact is lost or held by two people;
2. every waiting contact is in exactly one queue, in service order;
3. nobody available idles while a contact they could take waits (the only
   excuses: they declined that contact less than one offer cycle ago, or it
   is a hand-back reserved for the medconsultant who transferred it);
4. the call-center figures (:mod:`console.stats`, from the events through
   :class:`~console.stats.VisitBuilder`) agree with the engine and with a
   plain count of the events: waiting now and the longest wait match the
   engine's queues; every visit opened is offered or a short abandon, and
   every offered one is in exactly one bucket; answered visits are the first
   acceptances; unanswered closes are the abandoned, timed-out and cancelled
   visits; answered but not yet handled ones are the open handles; the
   ratios stay within [0, 1];

and that the events alone tell the state of every contact and staff member.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from console.clock import FakeClock
from console.queue import (
    Channel,
    Contact,
    ContactAccepted,
    ContactClosed,
    ContactEnded,
    ContactQueued,
    ContactRequeued,
    ContactReturned,
    ContactState,
    ContactTransferred,
    Engine,
    Event,
    Kind,
    OfferExpired,
    OfferMade,
    OfferRejected,
    OfferWithdrawn,
    Outcome,
    QueueConfig,
    QueueError,
    Role,
    StaffRegistered,
    StaffState,
    StaffStateChanged,
    state_from_dict,
    state_to_dict,
)
from console.queue.state import check_consistency
from console.stats import StatsConfig, VisitBuilder, queue_figures, queue_group, wallboard
from tests.queue.helpers import T0

# The roster, and the queues each member serves, written out by hand.
ROSTER: dict[str, tuple[Role, str | None, bool]] = {
    "o1": (Role.OPERATOR, None, False),
    "o2": (Role.OPERATOR, None, False),
    "o3": (Role.OPERATOR, None, False),
    "t1": (Role.DOCTOR, "therapist", True),
    "t2": (Role.DOCTOR, "therapist", False),
    "p1": (Role.DOCTOR, "pediatrician", True),
    "d1": (Role.DOCTOR, "cardiologist", False),
}
SERVES = {
    "o1": {"operators"},
    "o2": {"operators"},
    "o3": {"operators"},
    "t1": {"duty:therapist", "doctor:t1"},
    "t2": {"doctor:t2"},
    "p1": {"duty:pediatrician", "doctor:p1"},
    "d1": {"doctor:d1"},
}
OPERATORS = ("o1", "o2", "o3")
ARRIVAL_QUEUES = ("operators",) * 4 + ("duty:therapist", "duty:pediatrician", "doctor:d1")
TRANSFER_TARGETS = (
    "duty:therapist",
    "duty:pediatrician",
    "doctor:t1",
    "doctor:t2",
    "doctor:d1",
    "duty:neurologist",  # nobody serves it: contacts there wait until they close
)
ALL_QUEUES = {"operators", *TRANSFER_TARGETS, "doctor:p1"}
QUEUED = (ContactState.WAITING, ContactState.TRANSFERRED, ContactState.RETURNED)
IN_QUEUE = (*QUEUED, ContactState.OFFERED)
CONNECTED = (ContactState.CONNECTED, ContactState.WITH_DOCTOR)
AWAY = (StaffState.OFFLINE, StaffState.BREAK, StaffState.NOT_RESPONDING)
ONLINE = tuple(s for s in StaffState if s is not StaffState.OFFLINE)
ON_BREAK_FROM = (
    StaffState.OFFLINE,
    StaffState.AVAILABLE,
    StaffState.NOT_RESPONDING,
    StaffState.WRAP_UP,
)
LOG_OUT_FROM = (
    StaffState.AVAILABLE,
    StaffState.BREAK,
    StaffState.NOT_RESPONDING,
    StaffState.WRAP_UP,
)
ENDING = tuple(o for o in Outcome if o is not Outcome.CANCELLED)
WORKING = (StaffState.BUSY, StaffState.WRAP_UP)
ENGINE_METHODS = (
    "accept",
    "reject",
    "transfer",
    "hand_back",
    "end",
    "cancel",
    "patient_left",
    "patient_lost",
    "patient_reconnected",
    "set_available",
    "set_break",
    "set_offline",
    "staff_lost",
    "finish_wrapup",
)


def service_key(c: Contact) -> tuple[int, datetime, int]:
    """The documented queue order, computed here rather than asked of the engine."""
    rank = 2 if c.handed_back or c.reconnecting else 1 if c.kind is Kind.APPOINTMENT else 0
    return (-rank, c.enqueued_at, c.queue_seq)


class EventTally:
    """A plain count of the engine's events by queue group, to check console.stats against.

    Visits open on ContactQueued / ContactTransferred / ContactReturned; the
    first ContactAccepted of a visit answers it; a ContactClosed of a contact
    its visit never answered is a departure; a handle is open from a staff
    member's ContactAccepted until they leave busy and wrap-up.
    """

    def __init__(self, target: timedelta) -> None:
        self.target = target
        self.opened: Counter[str] = Counter()
        self.first_accepts: Counter[str] = Counter()
        self.within: Counter[str] = Counter()
        self.speed: dict[str, timedelta] = {}
        self.left_unanswered: dict[str, Counter[Outcome]] = {}
        self.open_handles: Counter[str] = Counter()
        self.handle_group: dict[str, str] = {}  # staff id -> the group of their open handle
        self.group: dict[str, str] = {}  # contact id -> the group of its current visit
        self.entered: dict[str, datetime] = {}  # contact id -> its current visit's entry
        self.answered: dict[str, bool] = {}  # contact id -> its current visit is answered

    def count(self, e: Event) -> None:
        if isinstance(e, ContactQueued | ContactTransferred | ContactReturned):
            group = queue_group(e.queue if isinstance(e, ContactQueued) else e.to_queue)
            self.opened[group] += 1
            self.group[e.contact_id] = group
            self.entered[e.contact_id] = e.enqueued_at
            self.answered[e.contact_id] = False
        elif isinstance(e, ContactAccepted):
            group = self.group[e.contact_id]
            assert queue_group(e.queue) == group
            if not self.answered[e.contact_id]:
                self.answered[e.contact_id] = True
                self.first_accepts[group] += 1
                wait = e.at - self.entered[e.contact_id]
                self.speed[group] = self.speed.get(group, timedelta(0)) + wait
                self.within[group] += wait <= self.target
            self.open_handles[group] += 1
            self.handle_group[e.staff_id] = group
        elif isinstance(e, StaffStateChanged) and e.old in WORKING and e.new not in WORKING:
            group = self.handle_group.pop(e.staff_id, None)
            if group is not None:
                self.open_handles[group] -= 1
        elif isinstance(e, ContactClosed):
            group = self.group.pop(e.contact_id)
            del self.entered[e.contact_id]
            if not self.answered.pop(e.contact_id):
                self.left_unanswered.setdefault(group, Counter())[e.outcome] += 1


class CallCenter(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock(T0)
        self.config = QueueConfig()
        self.engine = Engine(self.clock, self.config)
        self.twin: Engine | None = None  # the pre-restart engine, fed the same commands
        self.count = 0
        self.arrived: set[str] = set()
        self.closed: set[str] = set()
        self.declined: dict[tuple[str, str], datetime] = {}
        self.first_refusal: dict[str, tuple[str, datetime]] = {}
        # What the events say, kept apart from what the engine says.
        self.staff_seen: dict[str, StaffState] = {}
        self.contact_seen: dict[str, tuple[ContactState, str]] = {}
        self.waits_as: dict[str, ContactState] = {}
        # The statistics: visits built from the events, and a plain count of the
        # same events by queue group to check the figures against.
        self.stats_config = StatsConfig.from_queue_config(self.config)
        self.visits = VisitBuilder()
        self.tally = EventTally(self.stats_config.target)
        for sid, (role, specialty, duty) in ROSTER.items():
            self.call("register_staff", sid, role, specialty=specialty, duty=duty)

    # ------------------------------------------------------------ plumbing

    def call(self, name: str, *args: object, may_fail: bool = False, **kwargs: object) -> None:
        before = self.engine.snapshot()
        try:
            events = getattr(self.engine, name)(*args, **kwargs)
        except QueueError as exc:
            if not may_fail:
                raise
            assert self.engine.snapshot() == before, f"{name} failed but changed the state"
            if self.twin is not None:
                try:
                    getattr(self.twin, name)(*args, **kwargs)
                except QueueError as twin_exc:
                    assert type(twin_exc) is type(exc)
                else:
                    raise AssertionError("the restored engine and its twin disagree") from exc
            return
        if self.twin is not None:
            assert getattr(self.twin, name)(*args, **kwargs) == events
        self.observe(events)

    def observe(self, events: list[Event]) -> None:
        now = self.clock.now()
        for e in events:
            assert e.at <= now
            self._observe(e)
            self.tally.count(e)
        self.visits.apply(events)

    def _observe(self, e: Event) -> None:  # noqa: PLR0912 - one branch per event type
        if isinstance(e, StaffRegistered):
            self.staff_seen.setdefault(e.staff_id, StaffState.OFFLINE)
        elif isinstance(e, StaffStateChanged):
            assert self.staff_seen[e.staff_id] is e.old
            self.staff_seen[e.staff_id] = e.new
        elif isinstance(e, ContactQueued):
            self.waits_as[e.contact_id] = ContactState.WAITING
            self.contact_seen[e.contact_id] = (ContactState.WAITING, e.queue)
        elif isinstance(e, ContactTransferred | ContactReturned):
            state = (
                ContactState.TRANSFERRED
                if isinstance(e, ContactTransferred)
                else ContactState.RETURNED
            )
            self.waits_as[e.contact_id] = state
            self.contact_seen[e.contact_id] = (state, e.to_queue)
            self.first_refusal.pop(e.contact_id, None)
            if isinstance(e, ContactReturned) and e.first_refusal_staff is not None:
                assert e.first_refusal_until is not None
                self.first_refusal[e.contact_id] = (e.first_refusal_staff, e.first_refusal_until)
        elif isinstance(e, ContactRequeued):
            self.contact_seen[e.contact_id] = (self.waits_as[e.contact_id], e.queue)
        elif isinstance(e, OfferMade):
            assert e.queue in SERVES[e.staff_id], f"{e.staff_id} offered from {e.queue}"
            reserved = self.first_refusal.get(e.contact_id)
            if reserved is not None and reserved[0] != e.staff_id and e.at < reserved[1]:
                preferred = self.engine.get_staff(reserved[0])
                assert preferred.state in AWAY, f"{e.contact_id} is {reserved[0]}'s to refuse"
            self.contact_seen[e.contact_id] = (ContactState.OFFERED, e.queue)
        elif isinstance(e, OfferExpired | OfferRejected | OfferWithdrawn):
            self.contact_seen[e.contact_id] = (self.waits_as[e.contact_id], e.queue)
            if not isinstance(e, OfferWithdrawn):
                self.declined[e.contact_id, e.staff_id] = e.at
                if self.first_refusal.get(e.contact_id, ("", None))[0] == e.staff_id:
                    del self.first_refusal[e.contact_id]
        elif isinstance(e, ContactAccepted):
            self.first_refusal.pop(e.contact_id, None)
            role = ROSTER[e.staff_id][0]
            state = ContactState.CONNECTED if role is Role.OPERATOR else ContactState.WITH_DOCTOR
            self.contact_seen[e.contact_id] = (state, e.queue)
        elif isinstance(e, ContactEnded):
            self.contact_seen[e.contact_id] = (ContactState.WRAP_UP, e.queue)
        elif isinstance(e, ContactClosed):
            assert e.contact_id in self.arrived, f"closed {e.contact_id} never arrived"
            assert e.contact_id not in self.closed, f"{e.contact_id} closed twice"
            self.closed.add(e.contact_id)
            self.first_refusal.pop(e.contact_id, None)
            del self.contact_seen[e.contact_id]

    def staff_in(self, *states: StaffState) -> list[str]:
        return [s.id for s in self.engine.staff() if s.state in states]

    def contacts_in(self, *states: ContactState) -> list[str]:
        return [c.id for c in self.engine.contacts() if c.state in states]

    # --------------------------------------------------------------- rules

    @rule(
        kind=st.sampled_from(Kind),
        channel=st.sampled_from(Channel),
        queue=st.sampled_from(ARRIVAL_QUEUES),
    )
    def arrive(self, kind: Kind, channel: Channel, queue: str) -> None:
        self.count += 1
        contact_id = f"c{self.count}"
        self.arrived.add(contact_id)
        self.call("arrive", contact_id, channel, kind, queue)

    @rule(data=st.data(), change=st.sampled_from(["available"] * 3 + ["break", "out", "lost"]))
    def staff_presence(self, data: st.DataObject, change: str) -> None:
        """Log in or come back (most often), go on a break, log out, or drop off."""
        method, states, args = {
            "available": ("set_available", (*AWAY, StaffState.WRAP_UP), ()),
            "break": ("set_break", ON_BREAK_FROM, ("lunch",)),
            "out": ("set_offline", LOG_OUT_FROM, ()),
            "lost": ("staff_lost", ONLINE, ()),
        }[change]
        if ids := self.staff_in(*states):
            self.call(method, data.draw(st.sampled_from(ids)), *args)

    @precondition(lambda self: self.staff_in(StaffState.RINGING))
    @rule(data=st.data(), answer=st.sampled_from([True, True, True, False]))
    def answer_or_reject(self, data: st.DataObject, answer: bool) -> None:
        sid = data.draw(st.sampled_from(self.staff_in(StaffState.RINGING)))
        contact_id = self.engine.get_staff(sid).contact_id
        self.call("accept" if answer else "reject", contact_id, sid)

    @rule(seconds=st.sampled_from([1, 3, 10, 19, 20, 30, 45, 61, 300, 901]))
    def time_passes(self, seconds: int) -> None:
        self.clock.advance(seconds)
        if self.twin is not None:
            assert self.twin.next_deadline() == self.engine.next_deadline()
        self.call("tick")

    @precondition(lambda self: self.staff_in(StaffState.BUSY))
    @rule(
        data=st.data(),
        finish=st.sampled_from([False, False, True]),
        to_queue=st.sampled_from(TRANSFER_TARGETS),
        outcome=st.sampled_from(ENDING),
    )
    def holder_acts(
        self, data: st.DataObject, finish: bool, to_queue: str, outcome: Outcome
    ) -> None:
        """Operators mostly transfer, doctors mostly hand back; either may end instead."""
        sid = data.draw(st.sampled_from(self.staff_in(StaffState.BUSY)))
        contact_id = self.engine.get_staff(sid).contact_id
        if finish:
            self.call("end", contact_id, sid, outcome)
        elif sid in OPERATORS:
            self.call("transfer", contact_id, sid, to_queue)
        else:
            self.call("hand_back", contact_id, sid)

    @precondition(lambda self: self.staff_in(StaffState.WRAP_UP))
    @rule(data=st.data())
    def wrapup_finished_early(self, data: st.DataObject) -> None:
        self.call("finish_wrapup", data.draw(st.sampled_from(self.staff_in(StaffState.WRAP_UP))))

    @precondition(lambda self: self.engine.contacts())
    @rule(data=st.data(), what=st.sampled_from(["hang up", "drop", "reconnect", "cancel"]))
    def patient_side(self, data: st.DataObject, what: str) -> None:
        """The patient hangs up, drops off, comes back, or the contact is cancelled."""
        contacts = self.engine.contacts()
        method, ids = {
            "hang up": ("patient_left", self.contacts_in(*IN_QUEUE, *CONNECTED)),
            "drop": (
                "patient_lost",
                [
                    c.id
                    for c in contacts
                    if c.state in (*IN_QUEUE, *CONNECTED) and not c.patient_lost
                ],
            ),
            "reconnect": ("patient_reconnected", [c.id for c in contacts if c.patient_lost]),
            "cancel": ("cancel", self.contacts_in(*IN_QUEUE)),
        }[what]
        if ids:
            self.call(method, data.draw(st.sampled_from(ids)))

    @rule()
    def hub_restarts(self) -> None:
        """kill -9: the hub restores the last snapshot through JSON and carries on."""
        data = json.loads(json.dumps(state_to_dict(self.engine.snapshot())))
        restored = Engine.restore(state_from_dict(data), self.clock, self.config)
        assert restored.snapshot() == self.engine.snapshot()
        self.twin, self.engine = self.engine, restored

    @rule(
        method=st.sampled_from(ENGINE_METHODS),
        data=st.data(),
        to_queue=st.sampled_from(["operators", "nowhere", "doctor:o1", *TRANSFER_TARGETS]),
        outcome=st.sampled_from(Outcome),
    )
    def any_call_at_all(
        self, method: str, data: st.DataObject, to_queue: str, outcome: Outcome
    ) -> None:
        """Commands with arbitrary ids and states: they work or fail cleanly."""
        contact_id = data.draw(st.sampled_from(sorted(self.arrived | {"ghost"})))
        staff_id = data.draw(st.sampled_from([*ROSTER, "ghost"]))
        args: tuple[object, ...] = {
            "accept": (contact_id, staff_id),
            "reject": (contact_id, staff_id),
            "transfer": (contact_id, staff_id, to_queue),
            "hand_back": (contact_id, staff_id),
            "end": (contact_id, staff_id, outcome),
            "set_break": (staff_id, "lunch"),
        }.get(method, (staff_id,) if method in ENGINE_METHODS[9:] else (contact_id,))
        self.call(method, *args, may_fail=True)

    # ---------------------------------------------------------- invariants

    @invariant()
    def state_is_consistent(self) -> None:
        check_consistency(self.engine.snapshot())

    @invariant()
    def no_contact_lost_or_held_by_two(self) -> None:
        live = {c.id: c for c in self.engine.contacts()}
        assert set(live) | self.closed == self.arrived, "a contact went missing"
        assert not set(live) & self.closed, "a closed contact is still live"
        staff = self.engine.staff()
        for c in live.values():
            ringing = [
                s.id for s in staff if s.state is StaffState.RINGING and s.contact_id == c.id
            ]
            busy = [s.id for s in staff if s.state is StaffState.BUSY and s.contact_id == c.id]
            if c.state is ContactState.OFFERED:
                assert c.offer is not None
                assert (ringing, busy) == ([c.offer.staff_id], [])
            elif c.state in CONNECTED:
                assert (ringing, busy) == ([], [c.holder])
            else:
                assert (ringing, busy) == ([], []), f"{c.id} is {c.state} but held"
            if c.state is ContactState.WRAP_UP:
                holder = self.engine.get_staff(c.holder or "")
                assert (holder.state, holder.contact_id) == (StaffState.WRAP_UP, c.id)
        for s in staff:
            if s.state in (StaffState.RINGING, StaffState.BUSY):
                assert s.contact_id in live

    @invariant()
    def every_waiting_contact_is_in_exactly_one_queue(self) -> None:
        seen: Counter[str] = Counter()
        where: dict[str, str] = {}
        for queue in sorted(set(self.engine.queue_ids()) | ALL_QUEUES):
            listed = self.engine.waiting(queue)
            keys = [service_key(c) for c in listed]
            assert keys == sorted(keys), f"{queue} is out of order"
            for c in listed:
                seen[c.id] += 1
                where[c.id] = queue
        waiting = [c for c in self.engine.contacts() if c.state in IN_QUEUE]
        assert set(seen) == {c.id for c in waiting}
        assert all(n == 1 for n in seen.values()), seen
        assert all(where[c.id] == c.queue for c in waiting)

    @invariant()
    def nobody_available_idles_while_a_contact_they_could_take_waits(self) -> None:
        now = self.clock.now()
        cycle = self.config.ring_timeout
        staff = {s.id: s for s in self.engine.staff()}
        for s in staff.values():
            if s.state is not StaffState.AVAILABLE:
                continue
            for c in self.engine.contacts():
                if c.state not in QUEUED or c.patient_lost or c.queue not in SERVES[s.id]:
                    continue
                declined = self.declined.get((c.id, s.id))
                if declined is not None and now - declined < cycle:
                    continue
                reserved = self.first_refusal.get(c.id)
                if (
                    reserved is not None
                    and reserved[0] != s.id
                    and now < reserved[1]
                    and staff[reserved[0]].state not in AWAY
                ):
                    continue
                raise AssertionError(f"{s.id} idles while {c.id} waits in {c.queue}")

    @invariant()
    def events_tell_the_whole_story(self) -> None:
        assert self.staff_seen == {s.id: s.state for s in self.engine.staff()}
        assert self.contact_seen == {c.id: (c.state, c.queue) for c in self.engine.contacts()}

    @invariant()
    def figures_agree_with_the_engine_and_the_events(self) -> None:
        """console.stats' figures over the whole run, checked at every step."""
        now = self.clock.now()
        visits = self.visits.visits()
        config = self.stats_config
        # The figures cover the whole run (since T0, which may pass midnight);
        # the wallboard gives waiting now and the longest wait (not windowed).
        board = wallboard(visits, now=now, tz=UTC, config=config)
        in_queue = [c for c in self.engine.contacts() if c.in_queue]
        tally = self.tally
        queued: Counter[str] = Counter()  # the engine's queue lengths, by group
        for q in self.engine.queue_ids():
            queued[queue_group(q)] += len(self.engine.waiting(q))
        for group in sorted(set(board) | set(tally.opened)):
            row = board.get(group)
            f = queue_figures(visits, group, now=now, since=T0, config=config)
            here = [c for c in in_queue if queue_group(c.queue) == group]
            # Waiting now: exactly the engine's queues (offered and patient-lost
            # contacts included, and those waiting again after their staff was lost).
            waiting_now = 0 if row is None else row.waiting
            assert waiting_now == len(here) == queued[group], group
            # Longest wait: from the start of the engine's current wait (its entry
            # in the queue, or its requeue after the staff member was lost).
            starts = [c.wait_started_at for c in here]
            assert None not in starts
            oldest = min((start for start in starts if start is not None), default=None)
            longest = None if row is None else row.longest_wait
            assert longest == (None if oldest is None else now - oldest), group
            # Of those, the window's "waiting" are the ones nobody has answered yet.
            assert f.waiting == sum(not tally.answered[c.id] for c in here), group
            # Every visit opened is offered or a short abandon; every offered one
            # is in exactly one bucket.
            assert f.offered + f.short_abandoned == tally.opened[group], group
            assert f.offered == f.answered + f.abandoned + f.transferred + f.cancelled + f.waiting
            # Answered: the first acceptance of each visit (a re-acceptance after
            # the staff member was lost does not answer it again).
            assert f.answered == tally.first_accepts[group], group
            assert f.answered_within_target == tally.within[group], group
            speed = tally.speed.get(group, timedelta(0))
            assert f.asa == (speed / f.answered if f.answered else None), group
            # Left unanswered: abandoned (short or not, timed-out included) or cancelled.
            left = tally.left_unanswered.get(group, Counter())
            assert f.cancelled == left[Outcome.CANCELLED], group
            assert f.timed_out == left[Outcome.NOT_REACHED], group
            assert f.abandoned + f.short_abandoned == left.total() - left[Outcome.CANCELLED], group
            assert f.transferred == 0  # the engine cannot move a waiting contact
            # Answered but not handled to the end: a staff member still holds or
            # wraps it up (a visit has at most one open handle at a time).
            assert f.answered - f.handled == tally.open_handles[group], group
            # The ratios and the parts of the counts.
            assert 0 <= f.abandoned_after_target <= f.abandoned
            assert 0 <= f.timed_out <= f.abandoned
            for ratio in (f.service_level, f.abandoned_share):
                assert ratio is None or 0.0 <= ratio <= 1.0, group
            assert (f.aht is None) == (f.handled == 0)
            assert f.aht is None or f.aht >= timedelta(0)
            # Today's column is the same tally, over a window from midnight.
            if row is not None and now.date() == T0.date():
                assert row.today == replace(f, start=row.today.start, end=row.today.end)
        assert sum(r.waiting for r in board.values()) == len(in_queue)
        working = {s.id for s in self.engine.staff() if s.state in WORKING}
        assert set(tally.handle_group) == working


CallCenter.TestCase.settings = settings(
    max_examples=300,
    stateful_step_count=60,
    deadline=None,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCallCenter = CallCenter.TestCase

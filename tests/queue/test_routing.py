"""Rules of the routing engine, one scenario each, on a fake clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from console.queue import (
    OPERATORS,
    Channel,
    ContactAccepted,
    ContactClosed,
    ContactEnded,
    ContactRequeued,
    ContactReturned,
    ContactState,
    ContactTransferred,
    DeadlinePassedError,
    DuplicateContactError,
    Engine,
    InvalidArgumentError,
    InvalidOutcomeError,
    InvalidQueueError,
    InvalidStaffProfileError,
    Kind,
    NoSuchOfferError,
    NotHolderError,
    OfferExpired,
    OfferMade,
    OfferWithdrawn,
    Outcome,
    PatientLost,
    Priority,
    QueueConfig,
    QueueError,
    Role,
    StaffChangeReason,
    StaffState,
    StaffStateChanged,
    UnknownContactError,
    UnknownStaffError,
    WithdrawReason,
    WrongContactStateError,
    WrongStaffStateError,
    queues_for,
)
from tests.queue.helpers import T0, at, names, only, register

if TYPE_CHECKING:
    from console.clock import FakeClock

V, A = Channel.VIDEO, Channel.AUDIO
URGENT, APPT, FOLLOW = Kind.URGENT, Kind.APPOINTMENT, Kind.FOLLOW_UP


def ids(engine: Engine, queue: str = OPERATORS) -> list[str]:
    return [c.id for c in engine.waiting(queue)]


def offered_to(events: list, contact_id: str) -> str:
    (offer,) = [e for e in only(events, OfferMade) if e.contact_id == contact_id]
    return offer.staff_id


# ---------------------------------------------------------------- membership


def test_queue_membership_rule() -> None:
    assert queues_for("o1", Role.OPERATOR, None, False) == {"operators"}
    assert queues_for("t1", Role.DOCTOR, "therapist", True) == {"duty:therapist", "doctor:t1"}
    assert queues_for("p1", Role.DOCTOR, "pediatrician", True) == {
        "duty:pediatrician",
        "doctor:p1",
    }
    assert queues_for("d1", Role.DOCTOR, "cardiologist", False) == {"doctor:d1"}


# ------------------------------------------------------------------ ordering


def test_queue_orders_by_priority_then_age(engine: Engine, clock: FakeClock) -> None:
    engine.arrive("urgent-old", V, URGENT)
    clock.advance(1)
    engine.arrive("follow", A, FOLLOW)
    clock.advance(1)
    engine.arrive("appt", V, APPT)
    clock.advance(1)
    engine.arrive("urgent-new", V, URGENT)
    assert ids(engine) == ["appt", "urgent-old", "follow", "urgent-new"]

    # A reconnecting patient goes first, with the place it had.
    engine.patient_lost("urgent-new")
    clock.advance(5)
    events = engine.patient_reconnected("urgent-new")
    assert engine.get_contact("urgent-new").priority is Priority.FIRST
    assert engine.get_contact("urgent-new").enqueued_at == at(3)
    assert names(events) == ["PatientReconnected"]
    assert ids(engine) == ["urgent-new", "appt", "urgent-old", "follow"]

    # Staff take them in that order.
    register(engine, operators=("o1", "o2", "o3"))
    assert offered_to(engine.set_available("o1"), "urgent-new") == "o1"
    assert offered_to(engine.set_available("o2"), "appt") == "o2"
    assert offered_to(engine.set_available("o3"), "urgent-old") == "o3"


def test_equal_times_keep_arrival_order(engine: Engine) -> None:
    for cid in ("b", "a", "c"):
        engine.arrive(cid, V, FOLLOW)
    assert ids(engine) == ["b", "a", "c"]


def test_multi_queue_doctor_takes_higher_priority_first(engine: Engine, clock: FakeClock) -> None:
    register(engine, therapists=("t1",))
    engine.arrive("urgent", V, URGENT, queue="duty:therapist")
    clock.advance(10)
    engine.arrive("appt", V, APPT, queue="doctor:t1")
    events = engine.set_available("t1")
    assert offered_to(events, "appt") == "t1"


# ------------------------------------------------------------- longest idle


def test_longest_idle_available_staff_gets_the_contact(engine: Engine, clock: FakeClock) -> None:
    register(engine, operators=("o1", "o2", "o3"))
    engine.set_available("o2")
    clock.advance(5)
    engine.set_available("o3")
    clock.advance(5)
    engine.set_available("o1")
    clock.advance(5)
    assert offered_to(engine.arrive("c1", V, URGENT), "c1") == "o2"
    assert offered_to(engine.arrive("c2", V, URGENT), "c2") == "o3"
    assert offered_to(engine.arrive("c3", V, URGENT), "c3") == "o1"


def test_idle_time_restarts_after_work_not_after_a_ring(engine: Engine, clock: FakeClock) -> None:
    register(engine, operators=("o1", "o2", "o3"))
    for sid in ("o1", "o2", "o3"):
        engine.set_available(sid)
        clock.advance(1)
    engine.arrive("c1", V, URGENT)  # -> o1
    engine.reject("c1", "o1")  # -> o2; o1 keeps its idle place
    assert engine.get_staff("o1").idle_since == T0
    offer = engine.get_contact("c1").offer
    assert offer is not None
    assert offer.staff_id == "o2"
    engine.accept("c1", "o2")
    engine.end("c1", "o2")
    engine.finish_wrapup("o2")  # o2 idle from now: last in line
    assert engine.get_staff("o2").idle_since == at(3)
    assert offered_to(engine.arrive("c2", V, URGENT), "c2") == "o1"
    assert offered_to(engine.arrive("c3", V, URGENT), "c3") == "o3"
    assert offered_to(engine.arrive("c4", V, URGENT), "c4") == "o2"


def test_only_staff_serving_the_queue_are_offered(engine: Engine) -> None:
    register(engine, operators=("o1",), therapists=("t1",), pediatricians=("p1",))
    for sid in ("o1", "t1", "p1"):
        engine.set_available(sid)
    assert offered_to(engine.arrive("kid", V, URGENT, queue="duty:pediatrician"), "kid") == "p1"
    assert offered_to(engine.arrive("adult", V, URGENT, queue="duty:therapist"), "adult") == "t1"
    events = engine.arrive("none", V, URGENT, queue="duty:neurologist")
    assert names(events) == ["ContactQueued"]
    assert engine.get_staff("o1").state is StaffState.AVAILABLE


# ---------------------------------------------------------- offers and rings


def test_ring_timeout_makes_staff_not_responding_and_contact_keeps_place(
    engine: Engine, clock: FakeClock
) -> None:
    register(engine, operators=("o1", "o2"))
    engine.set_available("o1")
    events = engine.arrive("c1", V, URGENT)
    assert only(events, OfferMade)[0].expires_at == at(20)
    clock.advance(5)
    engine.arrive("c2", V, URGENT)
    assert engine.next_deadline() == at(20)

    clock.set(at(19))
    assert engine.tick() == []
    clock.set(at(20))
    events = engine.tick()
    assert names(events) == ["OfferExpired", "StaffStateChanged"]
    change = only(events, StaffStateChanged)[0]
    assert (change.old, change.new, change.reason) == (
        StaffState.RINGING,
        StaffState.NOT_RESPONDING,
        StaffChangeReason.RING_TIMEOUT,
    )
    assert engine.get_contact("c1").state is ContactState.WAITING
    assert engine.get_contact("c1").enqueued_at == T0
    assert ids(engine) == ["c1", "c2"]

    clock.advance(5)
    assert offered_to(engine.set_available("o2"), "c1") == "o2"
    # Not responding lasts until the staff member says otherwise.
    assert engine.get_staff("o1").state is StaffState.NOT_RESPONDING
    assert offered_to(engine.set_available("o1"), "c2") == "o1"


def test_ring_timeout_passes_the_contact_to_the_next_staff_in_the_same_tick(
    engine: Engine, clock: FakeClock
) -> None:
    register(engine, operators=("o1", "o2"))
    engine.set_available("o1")
    clock.advance(1)
    engine.set_available("o2")
    engine.arrive("c1", V, URGENT)
    clock.advance(20)
    events = engine.tick()
    assert names(events) == ["OfferExpired", "StaffStateChanged", "OfferMade", "StaffStateChanged"]
    assert only(events, OfferExpired)[0].staff_id == "o1"
    assert offered_to(events, "c1") == "o2"


def test_reject_goes_to_next_staff_without_state_change(engine: Engine, clock: FakeClock) -> None:
    register(engine, operators=("o1", "o2"))
    engine.set_available("o1")
    clock.advance(1)
    engine.set_available("o2")
    engine.arrive("c1", V, URGENT)
    clock.advance(3)
    events = engine.reject("c1", "o1")
    assert names(events) == ["OfferRejected", "StaffStateChanged", "OfferMade", "StaffStateChanged"]
    change = only(events, StaffStateChanged)[0]
    assert (change.staff_id, change.new, change.reason) == (
        "o1",
        StaffState.AVAILABLE,
        StaffChangeReason.REJECTED,
    )
    assert offered_to(events, "c1") == "o2"
    assert engine.get_contact("c1").enqueued_at == at(1)

    # The rejecter is not offered the same contact again for one offer cycle...
    clock.set(at(6))
    engine.reject("c1", "o2")
    assert engine.get_contact("c1").state is ContactState.WAITING
    assert engine.next_deadline() == at(4 + 20)
    # ...but takes other contacts meanwhile.
    assert offered_to(engine.arrive("c2", V, URGENT), "c2") == "o1"
    assert offered_to(engine.reject("c2", "o1"), "c2") == "o2"
    clock.set(at(23))
    assert engine.tick() == []
    clock.set(at(24))
    assert offered_to(engine.tick(), "c1") == "o1"


def test_answer_after_the_ring_ended_needs_a_tick(engine: Engine, clock: FakeClock) -> None:
    register(engine, operators=("o1",))
    engine.set_available("o1")
    engine.arrive("c1", V, URGENT)
    clock.advance(20)
    before = engine.snapshot()
    with pytest.raises(DeadlinePassedError):
        engine.accept("c1", "o1")
    assert engine.snapshot() == before
    engine.tick()
    with pytest.raises(NoSuchOfferError):
        engine.accept("c1", "o1")


# ------------------------------------------------------------------ hand-back


def _transfer_and_consult(engine: Engine, clock: FakeClock) -> None:
    """o1 takes c1 and transfers it to the duty therapist t1, who takes it."""
    register(engine, operators=("o1", "o2"), therapists=("t1",))
    engine.set_available("o1")
    engine.set_available("t1")
    engine.arrive("c1", V, URGENT)
    engine.accept("c1", "o1")
    clock.advance(60)
    events = engine.transfer("c1", "o1", "duty:therapist")
    assert names(events)[:2] == ["ContactTransferred", "StaffStateChanged"]
    assert engine.get_staff("o1").state is StaffState.WRAP_UP
    assert engine.get_contact("c1").state is ContactState.OFFERED
    engine.accept("c1", "t1")
    assert engine.get_contact("c1").state is ContactState.WITH_DOCTOR
    clock.advance(30)
    engine.tick()  # o1's wrap-up ends
    assert engine.get_staff("o1").state is StaffState.AVAILABLE


def test_hand_back_is_offered_first_to_the_transferring_operator(
    engine: Engine, clock: FakeClock
) -> None:
    _transfer_and_consult(engine, clock)
    engine.set_available("o2")  # o1 has been idle longer, but o2 alone would do
    engine.arrive("c2", V, FOLLOW)
    engine.accept("c2", "o1")  # o1 busy now
    clock.advance(600)
    events = engine.hand_back("c1", "t1")
    returned = only(events, ContactReturned)[0]
    assert returned.first_refusal_staff == "o1"
    assert returned.first_refusal_until == at(690 + 30)
    assert returned.priority is Priority.FIRST
    c1 = engine.get_contact("c1")
    assert (c1.state, c1.queue) == (ContactState.RETURNED, OPERATORS)
    # o2 is available but o1 has first refusal.
    assert engine.get_staff("o2").state is StaffState.AVAILABLE
    assert not only(events, OfferMade)
    assert engine.next_deadline() == at(690 + 30)

    clock.advance(10)
    engine.end("c2", "o1")
    events = engine.finish_wrapup("o1")
    assert offered_to(events, "c1") == "o1"


def test_hand_back_goes_to_anyone_after_first_refusal(engine: Engine, clock: FakeClock) -> None:
    _transfer_and_consult(engine, clock)
    engine.set_available("o2")
    engine.arrive("c2", V, FOLLOW)
    engine.accept("c2", "o1")
    clock.advance(600)
    engine.hand_back("c1", "t1")
    clock.advance(29)
    assert not only(engine.tick(), OfferMade)
    clock.advance(1)
    assert offered_to(engine.tick(), "c1") == "o2"


def test_hand_back_rejected_by_the_transferring_operator_goes_to_anyone(
    engine: Engine, clock: FakeClock
) -> None:
    _transfer_and_consult(engine, clock)
    clock.advance(1)
    engine.set_available("o2")
    events = engine.hand_back("c1", "t1")
    assert offered_to(events, "c1") == "o1"  # o1 is available: first refusal
    assert offered_to(engine.reject("c1", "o1"), "c1") == "o2"


@pytest.mark.parametrize("away", ["offline", "break", "not responding"])
def test_hand_back_when_transferring_operator_is_away(
    engine: Engine, clock: FakeClock, away: str
) -> None:
    _transfer_and_consult(engine, clock)
    if away == "offline":
        engine.set_offline("o1")
    elif away == "break":
        engine.set_break("o1", "lunch")
    else:
        engine.arrive("c2", V, FOLLOW)
        clock.advance(20)
        engine.tick()
        assert engine.get_staff("o1").state is StaffState.NOT_RESPONDING
        engine.cancel("c2")
    engine.set_available("o2")
    events = engine.hand_back("c1", "t1")
    assert offered_to(events, "c1") == "o2"


def test_doctor_may_close_instead_of_handing_back(engine: Engine, clock: FakeClock) -> None:
    _transfer_and_consult(engine, clock)
    events = engine.end("c1", "t1", Outcome.CLOSED_AS_GIVEN)
    assert names(events) == ["ContactEnded", "StaffStateChanged"]
    clock.advance(30)
    closed = only(engine.tick(), ContactClosed)[0]
    assert (closed.outcome, closed.staff_id, closed.queue) == (
        Outcome.CLOSED_AS_GIVEN,
        "t1",
        "duty:therapist",
    )


# ------------------------------------------------------------------ staff lost


def test_staff_lost_mid_contact_puts_it_at_the_head_of_its_queue(
    engine: Engine, clock: FakeClock
) -> None:
    register(engine, operators=("o1", "o2"))
    engine.set_available("o1")
    engine.arrive("c1", V, FOLLOW)
    engine.accept("c1", "o1")
    clock.advance(5)
    engine.arrive("c2", V, URGENT)
    engine.arrive("c3", V, APPT)
    clock.advance(25)
    events = engine.staff_lost("o1")
    assert names(events) == ["ContactRequeued", "StaffStateChanged"]
    requeued = only(events, ContactRequeued)[0]
    assert (requeued.queue, requeued.priority, requeued.enqueued_at) == (
        OPERATORS,
        Priority.FIRST,
        T0,
    )
    change = only(events, StaffStateChanged)[0]
    assert (change.old, change.new, change.reason) == (
        StaffState.BUSY,
        StaffState.OFFLINE,
        StaffChangeReason.LOST,
    )
    assert ids(engine) == ["c1", "c3", "c2"]
    assert engine.get_contact("c1").state is ContactState.WAITING
    assert offered_to(engine.set_available("o2"), "c1") == "o2"


def test_doctor_lost_returns_contact_to_the_duty_queue_head(
    engine: Engine, clock: FakeClock
) -> None:
    _transfer_and_consult(engine, clock)
    engine.register_staff("t2", Role.DOCTOR, specialty="therapist", duty=True)
    engine.arrive("c9", V, URGENT, queue="duty:therapist")
    engine.staff_lost("t1")
    c1 = engine.get_contact("c1")
    assert (c1.state, c1.queue) == (ContactState.TRANSFERRED, "duty:therapist")
    assert ids(engine, "duty:therapist") == ["c1", "c9"]
    assert offered_to(engine.set_available("t2"), "c1") == "t2"


def test_staff_lost_while_ringing_or_in_wrapup(engine: Engine, clock: FakeClock) -> None:
    register(engine, operators=("o1", "o2"))
    engine.set_available("o1")
    engine.arrive("c1", V, URGENT)
    events = engine.staff_lost("o1")
    assert names(events) == ["OfferWithdrawn", "StaffStateChanged"]
    assert only(events, OfferWithdrawn)[0].reason is WithdrawReason.STAFF_LOST
    assert engine.get_contact("c1").state is ContactState.WAITING

    engine.set_available("o2")
    engine.accept("c1", "o2")
    engine.end("c1", "o2")
    clock.advance(3)
    events = engine.staff_lost("o2")
    assert names(events) == ["StaffStateChanged", "ContactClosed"]
    assert only(events, ContactClosed)[0].outcome is Outcome.COMPLETED


# -------------------------------------------------------- patient disconnects


def test_patient_lost_keeps_the_place_and_reconnects_with_priority(
    engine: Engine, clock: FakeClock
) -> None:
    register(engine, operators=("o1",))
    engine.arrive("c1", V, FOLLOW)
    clock.advance(1)
    engine.arrive("c2", V, FOLLOW)
    clock.advance(9)
    events = engine.patient_lost("c1")
    assert events == [PatientLost(at=at(10), contact_id="c1", reconnect_until=at(70))]
    assert ids(engine) == ["c1", "c2"]  # still in the queue...
    clock.advance(10)
    assert offered_to(engine.set_available("o1"), "c2") == "o1"  # ...but not offered
    engine.accept("c2", "o1")
    clock.set(at(69))
    engine.patient_reconnected("c1")
    c1 = engine.get_contact("c1")
    assert (c1.enqueued_at, c1.priority, c1.patient_lost) == (T0, Priority.FIRST, False)
    engine.end("c2", "o1")
    assert offered_to(engine.finish_wrapup("o1"), "c1") == "o1"


def test_patient_lost_for_longer_than_the_window_abandons(engine: Engine, clock: FakeClock) -> None:
    engine.arrive("c1", V, FOLLOW)
    clock.advance(10)
    engine.patient_lost("c1")
    assert engine.next_deadline() == at(70)
    clock.set(at(70))
    with pytest.raises(DeadlinePassedError):
        engine.patient_reconnected("c1")
    events = engine.tick()
    assert events == [
        ContactClosed(
            at=at(70), contact_id="c1", queue=OPERATORS, outcome=Outcome.ABANDONED, staff_id=None
        )
    ]
    with pytest.raises(UnknownContactError):
        engine.get_contact("c1")


def test_patient_lost_while_offered_withdraws_the_offer(engine: Engine, clock: FakeClock) -> None:
    register(engine, operators=("o1",))
    engine.set_available("o1")
    engine.arrive("c1", V, FOLLOW)
    engine.arrive("c2", V, FOLLOW)
    events = engine.patient_lost("c1")
    assert names(events) == [
        "OfferWithdrawn",
        "StaffStateChanged",
        "PatientLost",
        "OfferMade",
        "StaffStateChanged",
    ]
    assert offered_to(events, "c2") == "o1"


def test_patient_lost_while_connected_is_the_holders_call(engine: Engine, clock: FakeClock) -> None:
    register(engine, operators=("o1",))
    engine.set_available("o1")
    engine.arrive("c1", V, FOLLOW)
    engine.accept("c1", "o1")
    events = engine.patient_lost("c1")
    assert events == [PatientLost(at=T0, contact_id="c1", reconnect_until=None)]
    clock.advance(3600)
    assert engine.tick() == []
    assert engine.get_contact("c1").state is ContactState.CONNECTED
    engine.end("c1", "o1", Outcome.TECHNICAL_FAILURE)
    clock.advance(30)
    assert only(engine.tick(), ContactClosed)[0].outcome is Outcome.TECHNICAL_FAILURE


def test_patient_hanging_up(engine: Engine, clock: FakeClock) -> None:
    register(engine, operators=("o1",))
    engine.arrive("c1", V, FOLLOW)
    clock.advance(7)
    assert only(engine.patient_left("c1"), ContactClosed)[0].outcome is Outcome.ABANDONED
    engine.set_available("o1")
    engine.arrive("c2", V, FOLLOW)
    engine.accept("c2", "o1")
    events = engine.patient_left("c2")
    ended = only(events, ContactEnded)[0]
    assert (ended.outcome, ended.by_patient) == (Outcome.COMPLETED, True)
    assert engine.get_staff("o1").state is StaffState.WRAP_UP


# ----------------------------------------------------------------- not reached


def test_urgent_contact_not_connected_in_15_minutes_closes_as_not_reached(
    engine: Engine, clock: FakeClock
) -> None:
    register(engine, operators=("o1",))
    engine.arrive("urgent", V, URGENT)
    engine.arrive("follow", V, FOLLOW)
    assert engine.next_deadline() == at(900)
    clock.set(at(890))
    engine.set_available("o1")  # offered the urgent one, rings until 910
    clock.set(at(900))
    events = engine.tick()
    assert names(events) == [
        "OfferWithdrawn",
        "StaffStateChanged",
        "ContactClosed",
        "OfferMade",
        "StaffStateChanged",
    ]
    assert only(events, OfferWithdrawn)[0].reason is WithdrawReason.NOT_REACHED
    closed = only(events, ContactClosed)[0]
    assert (closed.contact_id, closed.outcome) == ("urgent", Outcome.NOT_REACHED)
    assert offered_to(events, "follow") == "o1"  # other kinds wait on


def test_not_reached_clock_restarts_in_the_doctors_queue(engine: Engine, clock: FakeClock) -> None:
    register(engine, operators=("o1",))
    engine.arrive("c1", V, URGENT)
    clock.set(at(590))
    engine.set_available("o1")
    clock.set(at(600))
    engine.accept("c1", "o1")
    clock.set(at(700))
    engine.transfer("c1", "o1", "duty:therapist")
    clock.set(at(1599))
    engine.tick()
    assert engine.get_contact("c1").state is ContactState.TRANSFERRED
    clock.set(at(1600))
    assert only(engine.tick(), ContactClosed)[0].outcome is Outcome.NOT_REACHED


# --------------------------------------------------------------------- wrap-up


def test_wrapup_lasts_its_time_then_the_contact_closes(engine: Engine, clock: FakeClock) -> None:
    register(engine, operators=("o1",))
    engine.set_available("o1")
    engine.arrive("c1", V, FOLLOW)
    engine.accept("c1", "o1")
    clock.set(at(60))
    events = engine.end("c1", "o1")
    change = only(events, StaffStateChanged)[0]
    assert (change.new, change.reason) == (StaffState.WRAP_UP, StaffChangeReason.CONTACT_ENDED)
    assert engine.get_staff("o1").wrapup_until == at(90)
    assert engine.get_contact("c1").state is ContactState.WRAP_UP
    engine.arrive("c2", V, FOLLOW)  # waits: o1 is wrapping up
    assert engine.next_deadline() == at(90)
    clock.set(at(89))
    assert engine.tick() == []
    clock.set(at(90))
    events = engine.tick()
    assert names(events) == ["StaffStateChanged", "ContactClosed", "OfferMade", "StaffStateChanged"]
    assert only(events, StaffStateChanged)[0].reason is StaffChangeReason.WRAPUP_TIMEOUT
    assert only(events, ContactClosed)[0] == ContactClosed(
        at=at(90), contact_id="c1", queue=OPERATORS, outcome=Outcome.COMPLETED, staff_id="o1"
    )


def test_wrapup_finished_early_and_late_tick(engine: Engine, clock: FakeClock) -> None:
    register(engine, operators=("o1", "o2"))
    for sid in ("o1", "o2"):
        engine.set_available(sid)
    engine.arrive("c1", V, FOLLOW)
    engine.arrive("c2", V, FOLLOW)
    engine.accept("c1", "o1")
    engine.accept("c2", "o2")
    engine.end("c1", "o1")
    engine.end("c2", "o2")
    clock.set(at(10))
    events = engine.finish_wrapup("o1")
    assert only(events, StaffStateChanged)[0].reason is StaffChangeReason.WRAPUP_FINISHED
    assert only(events, ContactClosed)[0].at == at(10)
    # A tick that runs late dates the change at the deadline, not at now.
    clock.set(at(500))
    events = engine.tick()
    assert [e.at for e in events] == [at(30), at(30)]
    assert engine.get_staff("o2").idle_since == at(30)


def test_wrapup_config_is_used(clock: FakeClock) -> None:
    config = QueueConfig(wrapup=timedelta(seconds=5), ring_timeout=timedelta(seconds=3))
    engine = Engine(clock, config)
    register(engine, operators=("o1",))
    engine.set_available("o1")
    assert only(engine.arrive("c1", V, FOLLOW), OfferMade)[0].expires_at == at(3)
    engine.accept("c1", "o1")
    engine.end("c1", "o1")
    assert engine.next_deadline() == at(5)


# ----------------------------------------------------------------- staff states


def test_break_and_back(engine: Engine, clock: FakeClock) -> None:
    register(engine, operators=("o1",))
    events = engine.set_break("o1", "lunch")
    change = only(events, StaffStateChanged)[0]
    assert (change.old, change.new, change.reason, change.break_reason) == (
        StaffState.OFFLINE,
        StaffState.BREAK,
        StaffChangeReason.LOGIN,
        "lunch",
    )
    engine.arrive("c1", V, FOLLOW)
    assert engine.get_staff("o1").state is StaffState.BREAK
    engine.set_break("o1", "training")
    assert engine.get_staff("o1").break_reason == "training"
    with pytest.raises(WrongStaffStateError):
        engine.set_break("o1", "training")
    assert offered_to(engine.set_available("o1"), "c1") == "o1"
    with pytest.raises(WrongStaffStateError):
        engine.set_break("o1", "lunch")  # ringing: reject first
    with pytest.raises(WrongStaffStateError):
        engine.set_offline("o1")


def test_accept_connects_operator_and_doctor(engine: Engine) -> None:
    register(engine, operators=("o1",), doctors={"d1": "cardiologist"})
    engine.set_available("o1")
    engine.set_available("d1")
    engine.arrive("c1", V, FOLLOW)
    engine.arrive("c2", V, APPT, queue="doctor:d1")
    events = engine.accept("c1", "o1")
    assert only(events, ContactAccepted)[0].enqueued_at == T0
    engine.accept("c2", "d1")
    assert engine.get_contact("c1").state is ContactState.CONNECTED
    assert engine.get_contact("c2").state is ContactState.WITH_DOCTOR
    assert engine.get_staff("d1").state is StaffState.BUSY


def test_cancel_waiting_contact(engine: Engine) -> None:
    register(engine, operators=("o1",))
    engine.set_available("o1")
    engine.arrive("c1", V, APPT)
    events = engine.cancel("c1")
    assert names(events) == ["OfferWithdrawn", "StaffStateChanged", "ContactClosed"]
    assert only(events, ContactClosed)[0].outcome is Outcome.CANCELLED
    assert engine.get_staff("o1").state is StaffState.AVAILABLE


def test_an_appointment_nobody_reached_closes_as_not_reached(engine: Engine) -> None:
    register(engine, operators=("o1",))
    engine.set_available("o1")
    engine.arrive("c1", V, APPT)  # rings at o1, who does not answer in time
    engine.arrive("c2", V, APPT)
    events = engine.not_reached("c1")
    assert only(events, OfferWithdrawn)[0].reason is WithdrawReason.NOT_REACHED
    assert only(events, ContactClosed)[0].outcome is Outcome.NOT_REACHED
    assert engine.get_contact("c2").offer is not None  # o1's phone rings with the next one


def test_transfer_moves_the_contact_to_a_new_place(engine: Engine, clock: FakeClock) -> None:
    register(engine, operators=("o1",), therapists=("t1",))
    engine.arrive("c0", V, URGENT, queue="duty:therapist")
    engine.set_available("o1")
    engine.arrive("c1", V, URGENT)
    engine.accept("c1", "o1")
    clock.advance(50)
    events = engine.transfer("c1", "o1", "duty:therapist")
    moved = only(events, ContactTransferred)[0]
    assert (moved.from_queue, moved.to_queue, moved.enqueued_at) == (
        OPERATORS,
        "duty:therapist",
        at(50),
    )
    c1 = engine.get_contact("c1")
    assert (c1.state, c1.transferred_by, c1.holder) == (ContactState.TRANSFERRED, "o1", None)
    assert ids(engine, "duty:therapist") == ["c0", "c1"]
    assert engine.get_staff("o1").wrapup_until == at(80)


# ---------------------------------------------------------------------- errors


def _busy_engine(engine: Engine) -> None:
    register(engine, operators=("o1", "o2"), therapists=("t1",))
    engine.set_available("o1")
    engine.set_available("t1")
    engine.arrive("c1", V, URGENT)
    engine.accept("c1", "o1")
    engine.arrive("c2", V, URGENT, queue="duty:therapist")
    engine.arrive("c3", V, URGENT)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda e: e.accept("nope", "o1"), UnknownContactError),
        (lambda e: e.accept("c2", "nobody"), UnknownStaffError),
        (lambda e: e.accept("c2", "o2"), NoSuchOfferError),
        (lambda e: e.reject("c3", "t1"), NoSuchOfferError),
        (lambda e: e.arrive("c1", Channel.CHAT, URGENT), DuplicateContactError),
        (lambda e: e.arrive("c9", Channel.CHAT, URGENT, queue="elsewhere"), InvalidQueueError),
        (lambda e: e.arrive("c9", "fax", URGENT), InvalidArgumentError),
        (lambda e: e.arrive("c9", V, URGENT, queue="doctor:o1"), InvalidQueueError),
        (lambda e: e.transfer("c1", "o2", "duty:therapist"), NotHolderError),
        (lambda e: e.transfer("c1", "o1", OPERATORS), InvalidQueueError),
        (lambda e: e.transfer("c1", "o1", "doctor:o2"), InvalidQueueError),
        (lambda e: e.transfer("c3", "o1", "duty:therapist"), WrongContactStateError),
        (lambda e: e.hand_back("c1", "o1"), WrongContactStateError),
        (lambda e: e.end("c1", "o1", Outcome.CANCELLED), InvalidOutcomeError),
        (lambda e: e.end("c2", "t1"), WrongContactStateError),
        (lambda e: e.cancel("c1"), WrongContactStateError),
        (lambda e: e.not_reached("c1"), WrongContactStateError),
        (lambda e: e.patient_reconnected("c3"), WrongContactStateError),
        (lambda e: e.set_available("o1"), WrongStaffStateError),
        (lambda e: e.set_offline("o1"), WrongStaffStateError),
        (lambda e: e.set_offline("o2"), WrongStaffStateError),
        (lambda e: e.staff_lost("o2"), WrongStaffStateError),
        (lambda e: e.finish_wrapup("o1"), WrongStaffStateError),
        (lambda e: e.set_break("o2", " "), InvalidArgumentError),
        (lambda e: e.register_staff("o1", Role.DOCTOR, specialty="x"), WrongStaffStateError),
        (lambda e: e.register_staff("o9", Role.OPERATOR, specialty="x"), InvalidStaffProfileError),
        (lambda e: e.register_staff("d9", Role.DOCTOR), InvalidStaffProfileError),
    ],
)
def test_errors_are_specific_and_change_nothing(engine: Engine, call, error) -> None:
    _busy_engine(engine)
    before = engine.snapshot()
    with pytest.raises(error) as raised:
        call(engine)
    assert isinstance(raised.value, QueueError)
    assert str(raised.value)
    assert engine.snapshot() == before


def test_a_failing_command_is_rolled_back_even_midway(engine: Engine, monkeypatch) -> None:
    _busy_engine(engine)
    before = engine.snapshot()

    def boom(*args: object, **kwargs: object) -> list:
        raise RuntimeError("dispatch broke")

    monkeypatch.setattr(engine, "_dispatch", boom)
    with pytest.raises(RuntimeError):
        engine.end("c1", "o1")
    assert engine.snapshot() == before


def test_clock_must_be_aware() -> None:
    class Naive:
        def now(self) -> datetime:
            return T0.replace(tzinfo=None)

    with pytest.raises(ValueError):
        Engine(Naive()).arrive("c1", V, URGENT)

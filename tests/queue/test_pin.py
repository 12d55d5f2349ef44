"""A supervisor gives a waiting contact to a named staff member (``Engine.pin``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from console.queue import (
    OPERATORS,
    Channel,
    ContactPinned,
    ContactState,
    Engine,
    InvalidArgumentError,
    Kind,
    OfferMade,
    OfferWithdrawn,
    StaffState,
    UnknownContactError,
    UnknownStaffError,
    WithdrawReason,
    WrongContactStateError,
    WrongStaffStateError,
    event_from_dict,
    event_to_dict,
    state_from_dict,
    state_to_dict,
)
from console.queue.state import check_consistency
from tests.queue.helpers import names, only, register

if TYPE_CHECKING:
    from console.clock import FakeClock

V, URGENT = Channel.VIDEO, Kind.URGENT


def offers(events: list) -> list[tuple[str, str]]:
    return [(e.contact_id, e.staff_id) for e in only(events, OfferMade)]


def test_the_pinned_contact_is_taken_from_another_and_comes_next(engine: Engine) -> None:
    register(engine, operators=("o1", "o2"))
    engine.arrive("c1", V, URGENT)
    engine.arrive("c2", V, URGENT)
    engine.set_available("o1")  # o1 rings with c1, the first in line
    engine.set_available("o2")  # o2 rings with c2
    events = engine.pin("c2", "o1")  # o1 is ringing: c2 is theirs next
    assert names(events) == ["OfferWithdrawn", "StaffStateChanged", "ContactPinned"]
    withdrawn = only(events, OfferWithdrawn)[0]
    assert (withdrawn.staff_id, withdrawn.reason) == ("o2", WithdrawReason.MOVED)
    # o2 is available again, and idle: c2 waits for o1 only
    assert engine.get_staff("o2").state is StaffState.AVAILABLE
    assert engine.get_contact("c2").state is ContactState.WAITING
    assert engine.get_contact("c2").pinned_to == "o1"
    # o1 rejects c1: the pinned c2 comes next for o1, c1 goes to o2
    assert offers(engine.reject("c1", "o1")) == [("c2", "o1"), ("c1", "o2")]


def test_an_available_member_is_offered_at_once(engine: Engine) -> None:
    register(engine, operators=("o1", "o2"))
    engine.set_available("o1")
    engine.set_available("o2")
    engine.set_break("o1", "coffee")
    engine.arrive("c1", V, URGENT)  # rings at o2
    engine.set_available("o1")
    events = engine.pin("c1", "o1")
    assert names(events) == [
        "OfferWithdrawn",
        "StaffStateChanged",
        "ContactPinned",
        "OfferMade",
        "StaffStateChanged",
    ]
    assert offers(events) == [("c1", "o1")]


def test_a_busy_member_gets_the_pinned_contact_when_free(engine: Engine) -> None:
    register(engine, operators=("o1", "o2"))
    engine.set_available("o1")
    engine.arrive("c1", V, URGENT)
    engine.accept("c1", "o1")
    engine.arrive("c2", V, URGENT)
    engine.arrive("c3", V, URGENT)
    engine.pin("c3", "o1")
    # o2 comes: offered c2, never the pinned c3
    assert offers(engine.set_available("o2")) == [("c2", "o2")]
    engine.reject("c2", "o2")  # c3 still is not o2's to take
    assert engine.get_staff("o2").state is StaffState.AVAILABLE
    assert engine.get_contact("c3").offer is None
    # o1 ends and wraps up: the pinned contact is next for them, before c2 (older)
    engine.end("c1", "o1")
    assert offers(engine.finish_wrapup("o1")) == [("c3", "o1")]
    engine.accept("c3", "o1")
    assert engine.get_contact("c3").pinned_to is None


@pytest.mark.parametrize("how", ["reject", "ring_out", "break", "offline", "lost"])
def test_the_pin_ends_and_anyone_may_take_the_contact(
    engine: Engine, clock: FakeClock, how: str
) -> None:
    register(engine, operators=("o1", "o2"))
    engine.set_available("o1")
    engine.arrive("c1", V, URGENT)
    engine.accept("c1", "o1")
    engine.end("c1", "o1")  # o1 wraps up
    engine.arrive("c2", V, URGENT)
    engine.pin("c2", "o1")
    assert engine.get_contact("c2").pinned_to == "o1"
    if how in ("reject", "ring_out"):
        assert offers(engine.finish_wrapup("o1")) == [("c2", "o1")]
        if how == "reject":
            engine.reject("c2", "o1")
        else:
            clock.advance(engine.config.ring_timeout)
            engine.tick()
    elif how == "break":
        engine.set_break("o1", "lunch")
    elif how == "offline":
        engine.set_offline("o1")
    else:
        engine.staff_lost("o1")
    assert engine.get_contact("c2").pinned_to is None
    check_consistency(engine.snapshot())
    assert offers(engine.set_available("o2")) == [("c2", "o2")]


def test_refusals(engine: Engine) -> None:
    register(engine, operators=("o1", "o2"), therapists=("t1",))
    engine.arrive("c1", V, URGENT)
    with pytest.raises(UnknownContactError):
        engine.pin("nope", "o1")
    with pytest.raises(UnknownStaffError):
        engine.pin("c1", "nobody")
    with pytest.raises(WrongStaffStateError, match="offline"):
        engine.pin("c1", "o1")
    engine.set_available("t1")
    with pytest.raises(InvalidArgumentError, match="does not serve the queue 'operators'"):
        engine.pin("c1", "t1")
    engine.set_break("o1", "lunch")
    with pytest.raises(WrongStaffStateError, match="break"):
        engine.pin("c1", "o1")
    engine.set_available("o2")
    engine.accept("c1", "o2")
    with pytest.raises(WrongContactStateError, match="not waiting"):
        engine.pin("c1", "o2")
    # refusals changed nothing
    assert engine.get_contact("c1").pinned_to is None


def test_a_pin_survives_a_snapshot_and_its_event_round_trips(engine: Engine, clock) -> None:
    register(engine, operators=("o1", "o2"))
    engine.set_available("o1")
    engine.arrive("c1", V, URGENT)
    engine.accept("c1", "o1")
    engine.arrive("c2", V, URGENT)
    events = engine.pin("c2", "o1")
    pinned = only(events, ContactPinned)[0]
    assert event_from_dict(event_to_dict(pinned)) == pinned
    assert (pinned.contact_id, pinned.staff_id, pinned.queue) == ("c2", "o1", OPERATORS)
    restored = Engine.restore(state_from_dict(state_to_dict(engine.snapshot())), clock)
    assert restored.get_contact("c2").pinned_to == "o1"
    assert not offers(restored.set_available("o2"))  # still o1's
    # a record stored before pins existed reads as unpinned
    data = state_to_dict(engine.snapshot())
    for c in data["contacts"]:
        del c["pinned_to"]
    assert all(c.pinned_to is None for c in state_from_dict(data).contacts)

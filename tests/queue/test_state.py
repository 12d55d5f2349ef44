"""Snapshots: JSON round trips, and a restored engine behaves as the original."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest

from console.clock import FakeClock
from console.queue import (
    Channel,
    ContactClosed,
    CorruptStateError,
    Engine,
    Event,
    Kind,
    Outcome,
    QueueConfig,
    StaffState,
    event_from_dict,
    event_to_dict,
    state_from_dict,
    state_to_dict,
)
from tests.queue.helpers import T0, register

V = Channel.VIDEO


def first_half(engine: Engine, clock: FakeClock) -> list[Event]:
    """Offers ringing, a transfer, a wrap-up, a lost patient, a decline: mid-flight state."""
    events: list[Event] = []
    register(engine, operators=("o1", "o2", "o3"), therapists=("t1",), doctors={"d1": "ent"})
    for sid in ("o1", "o2", "t1"):
        events += engine.set_available(sid)
        clock.advance(1)
    events += engine.arrive("c1", V, Kind.URGENT)
    events += engine.arrive("c2", Channel.CHAT, Kind.FOLLOW_UP)
    events += engine.arrive("c3", V, Kind.APPOINTMENT, queue="doctor:d1")
    clock.advance(4)
    events += engine.accept("c1", "o1")
    events += engine.reject("c2", "o2")
    events += engine.arrive("c4", Channel.AUDIO, Kind.URGENT)
    clock.advance(10)
    events += engine.transfer("c1", "o1", "duty:therapist")
    events += engine.patient_lost("c4")
    events += engine.set_break("o3", "lunch")
    return events


def second_half(engine: Engine, clock: FakeClock) -> list[Event]:
    events: list[Event] = []
    for step in range(12):
        clock.advance(7)
        events += engine.tick()
        if step == 1:
            events += engine.accept("c1", "t1")
        if step == 4:
            events += engine.hand_back("c1", "t1")
        if step == 6:
            events += engine.set_available("o3")
            events += engine.set_available("d1")
    events += engine.tick()
    return events


def test_snapshot_json_round_trip_mid_scenario(engine: Engine, clock: FakeClock) -> None:
    first_half(engine, clock)
    state = engine.snapshot()
    assert any(c.offer for c in state.contacts)
    assert any(c.declines for c in state.contacts)
    assert any(s.state is StaffState.WRAP_UP for s in state.staff)
    text = json.dumps(state_to_dict(state))
    assert state_from_dict(json.loads(text)) == state


def test_restored_engine_gives_the_same_subsequent_events(engine: Engine, clock: FakeClock) -> None:
    first_half(engine, clock)
    text = json.dumps(state_to_dict(engine.snapshot()))

    clock2 = FakeClock(clock.now())
    restored = Engine.restore(state_from_dict(json.loads(text)), clock2, QueueConfig())
    assert restored.snapshot() == engine.snapshot()

    original_events = second_half(engine, clock)
    restored_events = second_half(restored, clock2)
    assert len(original_events) > 15
    assert restored_events == original_events
    assert restored.snapshot() == engine.snapshot()


def test_restore_after_downtime_processes_what_fell_due(engine: Engine, clock: FakeClock) -> None:
    first_half(engine, clock)
    state = engine.snapshot()
    later = FakeClock(clock.now() + timedelta(hours=1))
    restored = Engine.restore(state, later)
    deadline = restored.next_deadline()
    assert deadline is not None
    assert deadline < later.now()
    events = restored.tick()
    assert events
    assert all(e.at <= later.now() for e in events)
    closed = {e.contact_id: e.outcome for e in events if isinstance(e, ContactClosed)}
    assert closed["c4"] is Outcome.ABANDONED  # patient lost for an hour


def test_every_event_round_trips_through_json(engine: Engine, clock: FakeClock) -> None:
    events = first_half(engine, clock) + second_half(engine, clock)
    kinds = set()
    for event in events:
        data = json.loads(json.dumps(event_to_dict(event)))
        assert event_from_dict(data) == event
        kinds.add(data["type"])
    assert {"OfferMade", "OfferRejected", "ContactTransferred", "ContactReturned"} <= kinds


def test_restore_refuses_an_inconsistent_state(engine: Engine, clock: FakeClock) -> None:
    first_half(engine, clock)
    state = engine.snapshot()
    ringing = next(s for s in state.staff if s.state is StaffState.RINGING)
    broken = replace(
        state,
        staff=tuple(
            replace(s, state=StaffState.AVAILABLE) if s.id == ringing.id else s for s in state.staff
        ),
    )
    with pytest.raises(CorruptStateError):
        Engine.restore(broken, clock)
    with pytest.raises(CorruptStateError):
        Engine.restore(replace(state, contacts=state.contacts * 2), clock)
    with pytest.raises(CorruptStateError):
        state_from_dict({**state_to_dict(state), "version": 99})
    with pytest.raises(CorruptStateError):
        state_from_dict({**state_to_dict(state), "seq": "many"})


def test_empty_engine_round_trip() -> None:
    clock = FakeClock(T0)
    state = Engine(clock).snapshot()
    assert state_from_dict(json.loads(json.dumps(state_to_dict(state)))) == state
    assert Engine.restore(state, clock).next_deadline() is None

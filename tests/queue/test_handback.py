"""The doctor's hand-back goes first to the medconsultant who transferred (003, issue 5).

``test_routing.py`` covers the medconsultant busy, away, or declining; these are
the cases a short consultation meets: the medconsultant still wrapping up the
transfer itself, and a medconsultant idle longer than they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.queue import Channel, ContactReturned, Engine, Kind, OfferMade, StaffState
from tests.queue.helpers import at, only, register

if TYPE_CHECKING:
    from console.clock import FakeClock


def _offers(events: list) -> list[tuple[str, str]]:
    return [(e.contact_id, e.staff_id) for e in only(events, OfferMade)]


def _to_the_pediatrician(engine: Engine, clock: FakeClock) -> None:
    """o1 takes c1 and transfers it to the duty pediatrician p1, who takes it; o2 is
    available (and idle since before o1 will be)."""
    register(engine, operators=("o1", "o2"), pediatricians=("p1",))
    engine.set_available("o1")
    engine.set_available("p1")
    engine.arrive("c1", Channel.CHAT, Kind.URGENT)
    engine.accept("c1", "o1")
    engine.set_available("o2")
    clock.advance(60)
    engine.transfer("c1", "o1", "duty:pediatrician")
    engine.accept("c1", "p1")


def test_back_to_the_medconsultant_still_wrapping_up_the_transfer(
    engine: Engine, clock: FakeClock
) -> None:
    _to_the_pediatrician(engine, clock)
    clock.advance(10)  # a short consultation: o1's wrap-up (30 s) has 20 s to go
    assert engine.get_staff("o1").state is StaffState.WRAP_UP
    events = engine.hand_back("c1", "p1")
    returned = only(events, ContactReturned)[0]
    assert (returned.first_refusal_staff, returned.first_refusal_until) == ("o1", at(100))
    assert _offers(events) == []  # o2 is free, but the transfer was o1's
    clock.advance(20)  # o1's wrap-up ends
    assert _offers(engine.tick()) == [("c1", "o1")]


def test_back_to_the_medconsultant_over_one_idle_longer(engine: Engine, clock: FakeClock) -> None:
    _to_the_pediatrician(engine, clock)
    clock.advance(30)
    engine.tick()  # o1's wrap-up is over: available, but idle for less time than o2
    assert engine.get_staff("o2").idle_since < engine.get_staff("o1").idle_since
    clock.advance(300)
    assert _offers(engine.hand_back("c1", "p1")) == [("c1", "o1")]

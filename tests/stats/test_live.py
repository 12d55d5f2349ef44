"""LiveStats gives what the one-pass functions give over all the visits, at every moment."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from console.clock import FakeClock
from console.queue import Channel, Engine, Event, Kind, QueueError, Role, StaffState
from console.stats import LiveStats, StatsConfig, report, visits_from_events, wallboard
from tests.stats.helpers import MSK

if TYPE_CHECKING:
    from collections.abc import Callable

START = datetime(2026, 11, 21, 23, 57, tzinfo=MSK)  # three minutes before midnight
STAFF = {
    "o1": (Role.OPERATOR, None, False),
    "o2": (Role.OPERATOR, None, False),
    "t1": (Role.DOCTOR, "therapist", True),
    "p1": (Role.DOCTOR, "pediatrician", True),
}
CONTACTS = [f"c{i}" for i in range(12)]
QUEUES = ["operators", "operators", "duty:therapist", "doctor:t1"]

actions = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "arrive",
                "accept",
                "accept",
                "reject",
                "end",
                "transfer",
                "wrapup",
                "available",
                "break",
                "lost",
                "patient_lost",
                "patient_back",
                "patient_left",
                "pin",
                "wait",
                "wait",
                "check",
            ]
        ),
        st.integers(0, len(CONTACTS) - 1),
        st.sampled_from(sorted(STAFF)),
        st.integers(0, 400),
    ),
    max_size=80,
)


def same(
    live: LiveStats, events: list[Event], now: datetime, config: StatsConfig, tz: tzinfo = MSK
) -> None:
    visits = visits_from_events(events)
    assert live.wallboard(now) == wallboard(visits, now=now, tz=tz, config=config)
    day = now.astimezone(tz).date()
    assert live.report(now) == report(visits, day, tz=tz, now=now, config=config)


def command(engine: Engine, action: str, cid: str, sid: str, n: int) -> Callable[[], list[Event]]:
    """The engine call of one generated step (it may be refused: QueueError)."""

    def pick(*states: StaffState) -> str:
        """A staff member in one of ``states`` if there is one (else ``sid``): the
        steps that need one find one, so the runs get far."""
        found = [st.id for st in engine.staff() if st.state in states]
        return found[n % len(found)] if found else sid

    offered = [c for c in engine.contacts() if c.offer is not None]
    ringing = offered[n % len(offered)] if offered else None
    if action in ("end", "transfer"):
        sid = pick(StaffState.BUSY)
    elif action == "reject":
        sid = pick(StaffState.RINGING)
    elif action == "wrapup":
        sid = pick(StaffState.WRAP_UP)
    staff = engine.get_staff(sid)
    held = staff.contact_id or "none"

    def accept() -> list[Event]:
        if ringing is None or ringing.offer is None:
            return []
        return engine.accept(ringing.id, ringing.offer.staff_id)

    def end() -> list[Event]:
        if staff.role is Role.DOCTOR and n % 2:  # a doctor hands back, or ends
            return engine.hand_back(held, sid)
        return engine.end(held, sid)

    calls: dict[str, Callable[[], list[Event]]] = {
        "arrive": lambda: engine.arrive(cid, Channel.VIDEO, Kind.URGENT, QUEUES[n % len(QUEUES)]),
        "accept": accept,
        "reject": lambda: engine.reject(held, sid),
        "end": end,
        "transfer": lambda: engine.transfer(held, sid, "duty:therapist"),
        "wrapup": lambda: engine.finish_wrapup(sid),
        "available": lambda: engine.set_available(sid),
        "break": lambda: engine.set_break(sid, "lunch"),
        "lost": lambda: engine.staff_lost(sid),
        "patient_lost": lambda: engine.patient_lost(cid),
        "patient_back": lambda: engine.patient_reconnected(cid),
        "patient_left": lambda: engine.patient_left(cid),
        "pin": lambda: engine.pin(cid, sid),
    }
    return calls[action]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions)
@example(  # answered before midnight, handled after: counts on the day it entered
    [
        ("available", 0, "o1", 0),
        ("arrive", 0, "o1", 0),
        ("accept", 0, "o1", 0),
        ("check", 0, "o1", 0),
        ("wait", 0, "o1", 400),
        ("wait", 0, "o1", 400),
        ("end", 0, "o1", 0),
        ("arrive", 1, "o1", 0),
        ("wrapup", 0, "o1", 0),
        ("check", 0, "o1", 0),
    ]
)
def test_live_numbers_equal_the_one_pass_numbers(steps) -> None:
    clock = FakeClock(START)
    engine = Engine(clock)
    config = StatsConfig.from_queue_config(engine.config)
    live = LiveStats(MSK, config)
    events: list[Event] = []

    def run(call: Callable[[], list[Event]]) -> None:
        try:
            new = call()
        except QueueError:
            return
        events.extend(new)
        live.apply(new)

    for sid, (role, specialty, duty) in STAFF.items():
        run(lambda: engine.register_staff(sid, role, specialty=specialty, duty=duty))  # noqa: B023
    for action, n, sid, seconds in steps:
        run(engine.tick)
        if action == "wait":
            clock.advance(timedelta(seconds=seconds))
        elif action == "check":
            same(live, events, clock.now(), config)
        else:
            run(command(engine, action, CONTACTS[n], sid, n))
    clock.advance(timedelta(seconds=1))
    same(live, events, clock.now(), config)
    run(engine.tick)
    same(live, events, clock.now(), config)


def test_a_day_in_memory_keeps_only_the_contacts_in_progress() -> None:
    clock = FakeClock(START)
    engine = Engine(clock)
    live = LiveStats(MSK)
    events: list[Event] = []
    for sid in ("o1", "o2"):
        events += engine.register_staff(sid, Role.OPERATOR)
        events += engine.set_available(sid)
    for i in range(300):
        clock.advance(timedelta(seconds=7))
        events += engine.tick()
        events += engine.arrive(f"c{i}", Channel.AUDIO, Kind.URGENT)
        for c in engine.contacts():
            if c.offer is not None:
                events += engine.accept(c.id, c.offer.staff_id)
                events += engine.end(c.id, c.offer.staff_id)
                events += engine.finish_wrapup(c.offer.staff_id)
    live.apply(events)
    now = clock.now()
    same(live, events, now, StatsConfig())
    assert len(live._builder.visits()) <= 2  # everything else is settled and tallied
    assert sum(live.handled_today(now).values()) == sum(
        1
        for e in events
        if type(e).__name__ == "ContactAccepted"
        and e.at.astimezone(MSK).date() == now.astimezone(MSK).date()
    )


def test_a_transferred_visit_settles_only_after_the_wrap_up() -> None:
    """The operators' visit of a transferred contact is left at once, but its handle
    (talk + wrap-up) goes on: it must not be tallied before the wrap-up ends."""
    clock = FakeClock(START)
    engine = Engine(clock)
    live = LiveStats(MSK)
    events: list[Event] = []

    def run(new: list[Event]) -> None:
        events.extend(new)
        live.apply(new)

    run(engine.register_staff("o1", Role.OPERATOR))
    run(engine.set_available("o1"))
    run(engine.arrive("c1", Channel.VIDEO, Kind.URGENT))
    clock.advance(timedelta(seconds=5))
    run(engine.accept("c1", "o1"))
    clock.advance(timedelta(seconds=60))
    run(engine.transfer("c1", "o1", "duty:therapist"))
    clock.advance(timedelta(seconds=10))
    same(live, events, clock.now(), StatsConfig())  # settles what it can
    clock.advance(timedelta(seconds=10))
    run(engine.finish_wrapup("o1"))
    same(live, events, clock.now(), StatsConfig())
    aht = live.wallboard(clock.now())["operators"].today.aht
    assert aht == timedelta(seconds=80)


def test_a_night_with_a_daylight_saving_change() -> None:
    """Berlin's clocks go back at 03:00 on 25 October 2026 (a 25-hour day): contacts
    every 7 minutes from 23:30 the day before to 04:30, the numbers checked on the
    way, the staff's acceptances counted on the day they happened."""
    berlin = ZoneInfo("Europe/Berlin")
    clock = FakeClock(datetime(2026, 10, 24, 23, 30, tzinfo=berlin))
    engine = Engine(clock)
    config = StatsConfig()
    live = LiveStats(berlin, config)
    events: list[Event] = []

    def run(new: list[Event]) -> None:
        events.extend(new)
        live.apply(new)

    run(engine.register_staff("o1", Role.OPERATOR))
    run(engine.set_available("o1"))
    for i in range(50):
        clock.advance(timedelta(minutes=7))
        run(engine.tick())
        run(engine.arrive(f"c{i}", Channel.CHAT, Kind.URGENT))
        clock.advance(timedelta(seconds=5 + i % 10))
        for c in engine.contacts():
            if c.offer is not None:
                run(engine.accept(c.id, "o1"))
                clock.advance(timedelta(seconds=90))
                run(engine.end(c.id, "o1"))
        if i % 5 == 0:
            same(live, events, clock.now(), config, berlin)
    now = clock.now()
    same(live, events, now, config, berlin)
    today = now.astimezone(berlin).date()
    accepted = [e for e in events if type(e).__name__ == "ContactAccepted"]
    assert sum(live.handled_today(now).values()) == sum(
        1 for e in accepted if e.at.astimezone(berlin).date() == today
    )
    assert len(live.report(now)) == 100 * len(config.groups)  # 25 hours of quarters

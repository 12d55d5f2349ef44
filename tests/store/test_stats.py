"""The events of a period, read back from the store, make the same numbers as all of them."""

from __future__ import annotations

import contextlib
import random
from datetime import date, datetime, timedelta

import pytest

from console.clock import FakeClock
from console.queue import (
    Channel,
    ContactClosed,
    ContactQueued,
    Engine,
    Event,
    Kind,
    QueueError,
    Role,
    StaffStateChanged,
    event_to_dict,
)
from console.stats import StatsConfig, local_midnight, report, visits_from_events, wallboard
from console.store import hubstore
from console.store.stats import build_visits, contacts_in_period, day_visits, load_events
from tests.stats.helpers import MSK

START = datetime(2026, 11, 20, 21, 0, tzinfo=MSK)
DAYS = [date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22)]
STAFF = {"o1": Role.OPERATOR, "o2": Role.OPERATOR, "t1": Role.DOCTOR}


class Day:
    """About a day and a half of a small call center on the real engine, over two
    midnights: answers, transfers, hand-backs, abandons, lost staff and patients.
    A follow-up (no 15-minute rule) waits from 23:50 the day before in a queue
    nobody serves; at the end some contacts are being talked to."""

    def __init__(self, seed: int = 11) -> None:
        self.rnd = random.Random(seed)
        self.clock = FakeClock(START)
        self.engine = Engine(self.clock)
        self.events: list[Event] = []
        self.n = 0

    def run(self, call, *args, **kwargs) -> None:
        with contextlib.suppress(QueueError):
            self.events.extend(call(*args, **kwargs))

    def arrive(self) -> None:
        self.n += 1
        self.run(self.engine.arrive, f"c{self.n:04}", Channel.CHAT, Kind.URGENT)

    def answer(self) -> None:
        for c in self.engine.contacts():
            if c.offer is not None:
                self.run(self.engine.accept, c.id, c.offer.staff_id)

    def finish(self) -> None:
        engine = self.engine
        for st in engine.staff():
            if st.contact_id and self.rnd.random() < 0.5:
                if st.role is Role.OPERATOR and self.rnd.random() < 0.3:
                    self.run(engine.transfer, st.contact_id, st.id, "duty:therapist")
                elif st.role is Role.DOCTOR:
                    self.run(engine.hand_back, st.contact_id, st.id)
                else:
                    self.run(engine.end, st.contact_id, st.id)
            self.run(engine.finish_wrapup, st.id)

    def patient(self) -> None:
        live = [c.id for c in self.engine.contacts() if c.id != "late"]
        if live:
            gone = self.engine.patient_left if self.rnd.random() < 0.6 else self.engine.patient_lost
            self.run(gone, self.rnd.choice(live))

    def staff_lost(self) -> None:
        sid = self.rnd.choice(sorted(STAFF))
        self.run(self.engine.staff_lost, sid)
        self.run(self.engine.set_available, sid)

    def available(self) -> None:
        for sid in STAFF:
            self.run(self.engine.set_available, sid)

    def simulate(self) -> list[Event]:
        engine, clock = self.engine, self.clock
        for sid, role in STAFF.items():
            specialty = "therapist" if role is Role.DOCTOR else None
            self.run(engine.register_staff, sid, role, specialty=specialty, duty=bool(specialty))
        self.available()
        steps = [self.arrive] * 5 + [self.finish] * 5 + [self.patient] * 2
        steps += [self.staff_lost, self.available]
        late: datetime | None = datetime(2026, 11, 21, 23, 50, tzinfo=MSK)
        while clock.now() < datetime(2026, 11, 22, 8, 0, tzinfo=MSK):
            step = timedelta(seconds=self.rnd.choice([2, 5, 10, 15, 40, 120, 900]))
            if late is not None and clock.now() + step >= late:
                clock.set(late)
                self.run(engine.tick)
                self.run(engine.arrive, "late", Channel.CHAT, Kind.FOLLOW_UP, "duty:pediatrician")
                late = None
                continue
            clock.advance(step)
            self.run(engine.tick)
            if self.rnd.random() < 0.7:
                self.answer()
            self.rnd.choice(steps)()
        self.available()
        self.answer()
        return self.events


async def store(db, events: list[Event]) -> None:
    """As the hub writes them: a contact row on arrival, closed_at on close, every event."""
    async with db.transaction() as s:
        for e in events:
            if isinstance(e, ContactQueued):
                await hubstore.add_contact(
                    s,
                    contact_id=e.contact_id,
                    channel=e.channel.value,
                    kind=e.kind.value,
                    caller_phone=None,
                    person_id=None,
                    arrived_at=e.at,
                )
            data = event_to_dict(e)
            await hubstore.add_events(
                s,
                [
                    {
                        "at": e.at,
                        "type": data["type"],
                        "contact_id": data.get("contact_id"),
                        "staff_id": data.get("staff_id"),
                        "data": data,
                    }
                ],
            )
            if isinstance(e, ContactClosed):
                await hubstore.update_contact(
                    s, e.contact_id, closed_at=e.at, outcome=e.outcome.value
                )


@pytest.fixture(scope="module")
def day_and_a_half() -> tuple[list[Event], datetime]:
    events = Day().simulate()
    return events, max(e.at for e in events) + timedelta(seconds=1)


async def test_each_days_report_from_the_store_is_the_report_from_all_events(
    db, day_and_a_half
) -> None:
    events, now = day_and_a_half
    await store(db, events)
    everything = visits_from_events(events)
    config = StatsConfig()
    for day in DAYS:
        async with db.transaction() as s:
            stored = await day_visits(s, day, MSK)
        expected = report(everything, day, tz=MSK, now=now, config=config)
        assert report(stored, day, tz=MSK, now=now, config=config) == expected
        assert sum(r.offered + r.short_abandoned for r in expected) > 0 or day == DAYS[0]


async def test_the_wallboards_events_from_the_store_give_the_wallboard(db, day_and_a_half) -> None:
    events, now = day_and_a_half
    await store(db, events)
    since = min(local_midnight(now, MSK), now - StatsConfig().recent)
    async with db.transaction() as s:
        rows = await load_events(s, since, open_contacts=True)
    expected = wallboard(visits_from_events(events), now=now, tz=MSK)
    assert wallboard(build_visits(rows), now=now, tz=MSK) == expected
    late = expected["duty:pediatrician"]  # the follow-up waiting since the day before
    assert late.waiting == 1 and late.longest_wait is not None
    assert late.longest_wait > timedelta(hours=8)
    assert expected["operators"].today.offered > 0


async def test_only_the_periods_contacts_and_the_rows_visits_are_made_of(
    db, day_and_a_half
) -> None:
    events, _now = day_and_a_half
    await store(db, events)
    day = DAYS[2]
    start = datetime(2026, 11, 22, tzinfo=MSK)
    end = start + timedelta(days=1)
    opening = {
        e.contact_id
        for e in events
        if type(e).__name__
        in ("ContactQueued", "ContactTransferred", "ContactReturned", "ContactAccepted")
        and start <= e.at < end
    }
    still_open = {e.contact_id for e in events if isinstance(e, ContactQueued)} - {
        e.contact_id for e in events if isinstance(e, ContactClosed)
    }
    async with db.transaction() as s:
        assert set(await contacts_in_period(s, start, end)) == opening
        with_open = set(await contacts_in_period(s, start, end, open_contacts=True))
        assert with_open == opening | still_open
        rows = await load_events(s, start, end)
        assert (await day_visits(s, day, MSK)) == build_visits(rows)
    assert still_open and not still_open <= opening  # the test means something
    decoded = [e for e in events if getattr(e, "contact_id", None) in opening]
    kept = [
        e
        for e in decoded
        if not isinstance(e, StaffStateChanged)
        or (e.old.value in ("busy", "wrap_up") and e.new.value not in ("busy", "wrap_up"))
    ]
    kept = [e for e in kept if type(e).__name__ not in ("OfferMade", "OfferExpired")]
    kept = [
        e
        for e in kept
        if type(e).__name__
        not in ("OfferRejected", "OfferWithdrawn", "ContactEnded", "StaffRegistered")
    ]
    assert [r for r in build_visits(rows)] == visits_from_events(kept)
    assert len(rows) == len(kept)

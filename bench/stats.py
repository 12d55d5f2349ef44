"""The supervisor's wallboard and the day's report on a day of 100,000 contacts, beside bare SQL.

    .venv/bin/python bench/stats.py [--contacts 100000] [--seed 7] [--history 1]
        [--pg-url URL] [--only sqlite|pg] [--reps 20] [--cold-reps 3] [--cache FILE]

(PostgreSQL where --pg-url or MEDCONSOLE_TEST_PG_URL is given; about 20 minutes
for both backends at 100,000 contacts on a busy 2-core machine, a third of it
making the day: --cache FILE keeps it for the next run.)

The day: the real routing engine (``console.queue.Engine`` on a fake clock)
runs a day of ``--contacts`` contacts, 00:00 to 22:00 Moscow time, with an
hourly arrival curve and staffing that follows it: medconsultants, duty
therapists and pediatricians, doctors with appointment queues; answers after a
few rings, rejections and offers that ring out, talk and wrap-up times,
transfers to the duty doctors and hand-backs, short and long abandons,
patients whose connection drops (some come back), the 15-minute not-reached
rule, cancelled appointments, breaks, staff lost mid-contact, shifts that log
in and out. A centre that size is run as independent floors of about 5,000
contacts (one engine each: the engine's per-command cost grows with what it
holds); their events are merged by time into one stream, as one hub would
have committed them. ``--history`` earlier days (copies of the day, shifted,
every contact closed) sit in the tables before it, so the indexes have a
history to skip.

The store: the real tables (Alembic migrations), rows as the hub writes them:
a ``contacts`` row per contact (``closed_at``, ``outcome`` once closed) and a
``contact_events`` row per event (``at``, ``type``, ``contact_id``,
``staff_id`` and ``data`` = ``event_to_dict``), in a SQLite file (SQLAlchemy
core, many rows a statement) and in a PostgreSQL schema of its own (``COPY``,
the values the column types would send), dropped at the end.

Timed on each backend, at ``now`` = 22:00 (contacts in progress):

- cold start: what the hub does after a start, in the background while it serves,
  before the first wallboard goes out (``Hub._load_stats``):
  ``console.store.stats.load_events`` since local midnight with the open
  contacts, decode, ``LiveStats.apply``; split into its steps;
- the wallboard: ``LiveStats.wallboard(now)`` + ``handled_today(now)`` on the
  restored day, what one WatchWallboard tick computes, ``--reps`` times; and
  the same on a live tick: the last 5 minutes' events applied one second at a
  time, each second's ``apply`` + wallboard timed;
- the day's report for GetReport: today's from memory (``LiveStats.report``)
  and a day from the store (``load_events`` of the day, ``build_visits``,
  ``console.stats.report``, ``report_csv``), as the hub does for another day;
- the baseline: one bare SQL aggregate over the same table, the day's events
  counted by type (``SELECT type, count(*) FROM contact_events WHERE at >= ?
  AND at < ? GROUP BY type``) through the bare driver (aiosqlite / asyncpg).

Prints the day's own numbers (offered, service level...), then p50/p95 of
``--reps`` runs (p50 of ``--cold-reps`` for the slow ones) and each as a ratio
to the bare aggregate's p50, the wallboard's 200 ms target met or missed, the
load average at start, before each backend's timings and at the end (2 cores
shared with other work: read the figures with it), and checks that the
restored wallboard and both reports equal the numbers from every event of
the day.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import heapq
import json
import math
import os
import pickle
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from console.clock import FakeClock
from console.queue import (
    OPERATORS,
    Channel,
    ContactAccepted,
    ContactClosed,
    ContactQueued,
    ContactReturned,
    ContactTransferred,
    Engine,
    Event,
    Kind,
    OfferMade,
    Outcome,
    QueueError,
    Role,
    StaffState,
    StaffStateChanged,
    event_to_dict,
)
from console.stats import QueueVisit, visits_from_events

if TYPE_CHECKING:
    from collections.abc import Callable

MSK = ZoneInfo("Europe/Moscow")
DAY = date(2026, 11, 22)
MIDNIGHT = datetime(2026, 11, 22, 0, 0, tzinfo=MSK).astimezone(UTC)
NOW = datetime(2026, 11, 22, 22, 0, tzinfo=MSK).astimezone(UTC)
FLOOR = 5000  # contacts per engine
#: Arrivals per hour of the day, 00:00 to 22:00 (relative).
ARRIVALS = [1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 3, 6, 8.5, 9, 8.5,
            7.5, 7, 7, 7, 7.5, 8, 8, 7, 5, 3.5]  # fmt: skip
CHANNELS = [Channel.VIDEO] * 9 + [Channel.AUDIO] * 3 + [Channel.CHAT] * 7 + [Channel.PHONE]
THERAPIST, PEDIATRICIAN = "duty:therapist", "duty:pediatrician"
OPERATOR_WORK = 215.0  # seconds of an operator's time per contact (talk, wrap-up, hand-backs)
DOCTOR_WORK = 390.0
APPOINTMENT_HOURS = range(8, 20)


def _s(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


# ---------------------------------------------------------------------- the day


@dataclass
class _Member:
    id: str
    role: Role
    group: str  # operators, duty:therapist, duty:pediatrician, appointments
    leaving: bool = False


@dataclass
class Floor:
    """One engine on a fake clock, its staff and its share of the day's contacts."""

    number: int
    contacts: int
    seed: int
    events: list[Event] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rnd = random.Random(self.seed)
        self.clock = FakeClock(MIDNIGHT)
        self.engine = Engine(self.clock)
        self._heap: list[tuple[datetime, int, Callable[..., None], tuple[Any, ...]]] = []
        self._n = 0
        self._visit: dict[str, int] = {}  # contact id -> its visit number
        self._returned: set[str] = set()
        total = sum(ARRIVALS)
        self._per_hour = [self.contacts * w / total for w in ARRIVALS]
        self.staff: dict[str, _Member] = {}
        base = self.number * 1000
        for group, role, count in (
            (OPERATORS, Role.OPERATOR, self._need(OPERATORS, max(self._per_hour))),
            (THERAPIST, Role.DOCTOR, self._need(THERAPIST, max(self._per_hour))),
            (PEDIATRICIAN, Role.DOCTOR, self._need(PEDIATRICIAN, max(self._per_hour))),
            ("appointments", Role.DOCTOR, 4),
        ):
            for _ in range(count):
                sid = str(base + len(self.staff) + 1)
                self.staff[sid] = _Member(sid, role, group)

    def _need(self, group: str, arrivals: float) -> int:
        """Staff on line in an hour with ``arrivals``: the work plus a margin."""
        if group == OPERATORS:
            work = arrivals * OPERATOR_WORK
        elif group == THERAPIST:
            work = arrivals * 0.18 * DOCTOR_WORK
        elif group == PEDIATRICIAN:
            work = arrivals * 0.06 * DOCTOR_WORK
        else:
            return 4
        erlangs = work / 3600
        return max(1, math.ceil(erlangs + 0.4 * math.sqrt(erlangs) + 0.5))

    # -------------------------------------------------------------- running

    def later(self, seconds: float, fn: Callable[..., None], *args: Any) -> None:
        self._n += 1
        heapq.heappush(self._heap, (self.clock.now() + _s(seconds), self._n, fn, args))

    def cmd(self, call: Callable[..., list[Event]], *args: Any, **kwargs: Any) -> None:
        try:
            events = call(*args, **kwargs)
        except QueueError:
            return
        self.react(events)

    def simulate(self) -> list[Event]:
        rnd, engine = self.rnd, self.engine
        for m in self.staff.values():
            if m.role is Role.OPERATOR:
                self.cmd(engine.register_staff, m.id, Role.OPERATOR)
            elif m.group == "appointments":
                self.cmd(engine.register_staff, m.id, Role.DOCTOR, specialty="cardiologist")
            else:
                specialty = m.group.split(":")[1]
                self.cmd(engine.register_staff, m.id, Role.DOCTOR, specialty=specialty, duty=True)
        for hour in range(len(self._per_hour)):
            self._n += 1
            at = MIDNIGHT + timedelta(hours=hour)
            heapq.heappush(self._heap, (at, self._n, self.shift, (hour,)))
        times = sorted(rnd.choices(range(len(ARRIVALS)), self._per_hour, k=self.contacts))
        for hour in times:
            self._n += 1
            at = MIDNIGHT + timedelta(hours=hour, seconds=rnd.uniform(0, 3600))
            heapq.heappush(self._heap, (at, self._n, self.arrive, ()))
        heap = self._heap
        while heap and heap[0][0] <= NOW:
            when = heap[0][0]
            deadline = engine.next_deadline()
            if deadline is not None and deadline <= when:
                self.clock.set(max(deadline, self.clock.now()))
                self.react(engine.tick())
                continue
            _, _, fn, args = heapq.heappop(heap)
            self.clock.set(when)
            fn(*args)
        while (deadline := engine.next_deadline()) is not None and deadline <= NOW:
            self.clock.set(max(deadline, self.clock.now()))
            self.react(engine.tick())
        return self.events

    # -------------------------------------------------------------- staff

    def shift(self, hour: int) -> None:
        """The staff on line follow the expected arrivals of this hour and the next."""
        nxt = self._per_hour[hour + 1] if hour + 1 < len(self._per_hour) else 0
        expected = max(self._per_hour[hour], 0.6 * self._per_hour[hour] + 0.4 * nxt)
        for group in (OPERATORS, THERAPIST, PEDIATRICIAN, "appointments"):
            members = [m for m in self.staff.values() if m.group == group]
            want = self._need(group, expected)
            if group == "appointments" and hour not in APPOINTMENT_HOURS:
                want = 0
            on = [
                m
                for m in members
                if not m.leaving and self.engine.get_staff(m.id).state is not StaffState.OFFLINE
            ]
            for m in members:
                if len(on) >= want:
                    break
                if m in on:
                    continue
                if m.leaving:
                    m.leaving = False
                else:
                    self.cmd(self.engine.set_available, m.id)
                on.append(m)
            for m in sorted(on, key=lambda m: self.engine.get_staff(m.id).state.value)[want:]:
                m.leaving = True
                self.cmd(self.engine.set_offline, m.id)  # at once if available, else later

    def back(self, staff_id: str) -> None:
        if self.staff[staff_id].leaving:
            self.cmd(self.engine.set_offline, staff_id)
        else:
            self.cmd(self.engine.set_available, staff_id)

    def wrapped_up(self, staff_id: str) -> None:
        st = self.engine.get_staff(staff_id)
        if st.state is not StaffState.WRAP_UP:  # the wrap-up ran out first
            if st.state is StaffState.AVAILABLE and self.staff[staff_id].leaving:
                self.cmd(self.engine.set_offline, staff_id)
            return
        if self.staff[staff_id].leaving:
            self.cmd(self.engine.set_offline, staff_id)
        elif self.rnd.random() < 0.012:
            self.cmd(self.engine.set_break, staff_id, self.rnd.choice(["rest", "lunch"]))
            self.later(self.rnd.uniform(300, 1500), self.back, staff_id)
        else:
            self.cmd(self.engine.finish_wrapup, staff_id)

    def lost(self, staff_id: str) -> None:
        self.cmd(self.engine.staff_lost, staff_id)
        self.later(self.rnd.uniform(20, 120), self.back, staff_id)

    # -------------------------------------------------------------- contacts

    def arrive(self) -> None:
        rnd = self.rnd
        cid = f"c{rnd.getrandbits(64):016x}"
        channel = rnd.choice(CHANNELS)
        hour = (self.clock.now() - MIDNIGHT) // timedelta(hours=1)
        r = rnd.random()
        if r < 0.08 and hour in APPOINTMENT_HOURS:
            doctors = [m.id for m in self.staff.values() if m.group == "appointments"]
            queue = f"doctor:{rnd.choice(doctors)}"
            self.cmd(self.engine.arrive, cid, channel, Kind.APPOINTMENT, queue)
        elif r < 0.13:
            self.cmd(self.engine.arrive, cid, channel, Kind.FOLLOW_UP)
        else:
            self.cmd(self.engine.arrive, cid, channel, Kind.URGENT)

    def answer(self, contact_id: str, staff_id: str) -> None:
        self.cmd(self.engine.accept, contact_id, staff_id)

    def reject(self, contact_id: str, staff_id: str) -> None:
        self.cmd(self.engine.reject, contact_id, staff_id)

    def waited(self, contact_id: str, visit: int, how: str) -> None:
        """The patience of a waiting patient ran out (if they still wait in that visit)."""
        if self._visit.get(contact_id) != visit:
            return
        try:
            c = self.engine.get_contact(contact_id)
        except QueueError:
            return
        if not c.in_queue:
            return
        if how == "lost":
            if c.patient_lost_at is None:
                self.cmd(self.engine.patient_lost, contact_id)
                if self.rnd.random() < 0.5:
                    self.later(self.rnd.uniform(5, 55), self.reconnect, contact_id)
        elif how == "cancel":
            self.cmd(self.engine.cancel, contact_id)
        elif c.patient_lost_at is None:
            self.cmd(self.engine.patient_left, contact_id)

    def reconnect(self, contact_id: str) -> None:
        self.cmd(self.engine.patient_reconnected, contact_id)

    def talked(self, contact_id: str, staff_id: str, role: Role) -> None:
        rnd = self.rnd
        engine = self.engine
        r = rnd.random()
        if r < 0.06:
            self.cmd(engine.patient_left, contact_id)  # hung up mid-talk
        elif role is Role.OPERATOR and contact_id not in self._returned and r < 0.26:
            to = THERAPIST if r < 0.20 else PEDIATRICIAN
            self.cmd(engine.transfer, contact_id, staff_id, to)
        elif role is Role.DOCTOR and r < 0.50:
            try:
                queue = engine.get_contact(contact_id).queue
            except QueueError:
                return
            if not queue.startswith("doctor:"):
                self.cmd(engine.hand_back, contact_id, staff_id)
            else:
                self.cmd(engine.end, contact_id, staff_id)
        else:
            outcome = Outcome.COMPLETED
            if r > 0.985:
                outcome = Outcome.TECHNICAL_FAILURE
            elif role is Role.DOCTOR and r > 0.96:
                outcome = Outcome.CLOSED_AS_GIVEN
            self.cmd(engine.end, contact_id, staff_id, outcome)

    def react(self, events: list[Event]) -> None:
        """What people do next, given what just happened."""
        self.events += events
        for e in events:
            if isinstance(e, OfferMade):
                self.ringing(e)
            elif isinstance(e, ContactAccepted):
                self.talking(e)
            elif isinstance(e, StaffStateChanged):
                self.staff_changed(e)
            elif isinstance(e, ContactQueued | ContactTransferred | ContactReturned):
                self.waiting(e)
            elif isinstance(e, ContactClosed):
                self._visit.pop(e.contact_id, None)
                self._returned.discard(e.contact_id)

    def ringing(self, e: OfferMade) -> None:
        rnd = self.rnd
        r = rnd.random()
        if r < 0.015:
            pass  # rings out: not responding, back later (staff_changed)
        elif r < 0.035:
            self.later(rnd.uniform(2, 10), self.reject, e.contact_id, e.staff_id)
        else:
            self.later(rnd.uniform(1, 9), self.answer, e.contact_id, e.staff_id)

    def talking(self, e: ContactAccepted) -> None:
        rnd = self.rnd
        member = self.staff[e.staff_id]
        if member.role is Role.OPERATOR:
            median = 60 if e.contact_id in self._returned else 150
        else:
            median = 330
        talk = rnd.lognormvariate(math.log(median), 0.55)
        if rnd.random() < 0.002:
            self.later(talk / 2, self.lost, e.staff_id)
        self.later(talk, self.talked, e.contact_id, e.staff_id, member.role)

    def staff_changed(self, e: StaffStateChanged) -> None:
        rnd = self.rnd
        if e.new is StaffState.WRAP_UP:
            self.later(rnd.uniform(3, 42), self.wrapped_up, e.staff_id)
        elif e.new is StaffState.NOT_RESPONDING:
            self.later(rnd.uniform(15, 120), self.back, e.staff_id)
        elif e.new is StaffState.AVAILABLE and self.staff[e.staff_id].leaving:
            self.later(1, self.back, e.staff_id)

    def waiting(self, e: ContactQueued | ContactTransferred | ContactReturned) -> None:
        """A visit opens: how long this patient waits, and how they go if nobody answers."""
        rnd = self.rnd
        cid = e.contact_id
        visit = self._visit[cid] = self._visit.get(cid, 0) + 1
        queue = e.queue if isinstance(e, ContactQueued) else e.to_queue
        if isinstance(e, ContactReturned):
            self._returned.add(cid)
        r = rnd.random()
        if r < 0.015:
            self.later(rnd.uniform(2, 60), self.waited, cid, visit, "lost")
        if queue.startswith("doctor:"):
            if r < 0.3:
                self.later(rnd.uniform(60, 900), self.waited, cid, visit, "cancel")
            else:
                self.later(rnd.expovariate(1 / 1200), self.waited, cid, visit, "left")
        elif r < 0.05 and queue == OPERATORS and not isinstance(e, ContactReturned):
            self.later(rnd.uniform(0.5, 4.9), self.waited, cid, visit, "left")  # misdial
        else:
            mean = 240 if queue == OPERATORS else 600
            self.later(rnd.expovariate(1 / mean), self.waited, cid, visit, "left")


def _floor(number: int, contacts: int, seed: int) -> tuple[list[tuple[Any, ...]], list[QueueVisit]]:
    """Run one floor; its event rows (as the hub writes them) and its visits."""
    events = Floor(number, contacts, seed).simulate()
    rows = []
    for e in events:
        data = event_to_dict(e)
        rows.append((e.at, data["type"], data.get("contact_id"), data.get("staff_id"), data))
    return rows, visits_from_events(events)


@dataclass
class Day:
    """The day's event rows, in the order one hub would have written them, and its visits."""

    rows: list[tuple[Any, ...]]  # (at, type, contact_id, staff_id, data)
    visits: list[QueueVisit]
    seconds: float = 0.0


def generate(contacts: int, seed: int, cache: Path | None) -> Day:
    if cache is not None and cache.exists():
        t = time.perf_counter()
        with cache.open("rb") as f:
            rows, visits = pickle.load(f)
        day = Day(rows, visits, time.perf_counter() - t)
        print(f"day read from {cache} in {day.seconds:.1f} s", flush=True)
        return day
    t = time.perf_counter()
    floors = max(1, math.ceil(contacts / FLOOR))
    sizes = [contacts // floors + (1 if n < contacts % floors else 0) for n in range(floors)]
    seeds = [seed * 1000 + n for n in range(floors)]
    with ProcessPoolExecutor(max_workers=min(floors, os.cpu_count() or 1)) as pool:
        done = list(pool.map(_floor, range(1, floors + 1), sizes, seeds))
    # One hub commits the floors' events as they happen: merged by time, each floor's
    # own order kept (heapq.merge is stable).
    rows = list(heapq.merge(*(r for r, _ in done), key=lambda r: r[0]))
    visits = [v for _, vs in done for v in vs]
    day = Day(rows, visits, time.perf_counter() - t)
    if cache is not None:
        with cache.open("wb") as f:
            pickle.dump((rows, visits), f, protocol=pickle.HIGHEST_PROTOCOL)
    return day


_TIME_KEYS = ("at", "enqueued_at", "expires_at", "reconnect_until", "first_refusal_until")


def _shifted(row: tuple[Any, ...], days: int) -> tuple[Any, ...]:
    """A row of the day ``days`` earlier, its contact renamed (history)."""
    at, type_, cid, sid, data = row
    delta = timedelta(days=days)
    data = dict(data)
    for key in _TIME_KEYS:
        value = data.get(key)
        if value:
            data[key] = (datetime.fromisoformat(value) - delta).isoformat()
    if cid is not None:
        cid = data["contact_id"] = f"h{days}{cid[1:]}"
    return at - delta, type_, cid, sid, data


def contact_rows(rows: list[tuple[Any, ...]], closed_by: datetime | None) -> list[dict[str, Any]]:
    """The ``contacts`` rows of these events as the hub writes them (no personal data);
    with ``closed_by`` every contact is closed, by then at the latest."""
    contacts: dict[str, dict[str, Any]] = {}
    for at, type_, cid, _sid, data in rows:
        if type_ == "ContactQueued":
            contacts[cid] = {
                "id": cid,
                "channel": data["channel"],
                "kind": data["kind"],
                "caller_phone": None,
                "person_id": None,
                "arrived_at": at,
                "reason": "",
                "comment": "",
                "closed_at": None,
                "outcome": None,
            }
        elif type_ == "ContactClosed":
            contacts[cid].update(closed_at=at, outcome=data["outcome"])
    if closed_by is not None:
        for c in contacts.values():
            if c["closed_at"] is None:
                c.update(closed_at=closed_by, outcome="abandoned")
    return list(contacts.values())


# ---------------------------------------------------------------------- the store


async def fill(db: Any, day: Day, history: int) -> tuple[int, float]:
    """Write ``history`` shifted copies of the day, then the day; rows and seconds.

    SQLite: SQLAlchemy core ``insert`` with many rows a statement (executemany),
    the column types doing the conversions as for the hub. PostgreSQL: ``COPY``
    through the bare driver (executemany runs at about 8,000 rows/s there), with
    the values the types would send: aware instants, ``json.dumps`` text.
    """
    from sqlalchemy import insert, text

    from console.store.models import ContactEvent, ContactRow

    events_t, contacts_t = ContactEvent.__table__, ContactRow.__table__
    columns = ["id", "at", "type", "contact_id", "staff_id", "data"]
    n = len(day.rows)
    written = 0
    chunk = 20_000
    t = time.perf_counter()
    for back in [*range(history, 0, -1), 0]:
        first = (history - back) * n  # ids follow time, as the hub's do
        rows = day.rows
        if back:
            rows = [_shifted(r, back) for r in rows]
        closed_by = NOW - timedelta(days=back) + timedelta(hours=1) if back else None
        contacts = contact_rows(rows, closed_by)
        async with db.engine.begin() as conn:
            if db.dialect == "postgresql":
                raw = (await conn.get_raw_connection()).driver_connection
                names = list(contacts[0])
                await raw.copy_records_to_table(
                    "contacts", records=[tuple(c.values()) for c in contacts], columns=names
                )
                for i in range(0, n, chunk):
                    records = [
                        (first + i + k + 1, at, type_, cid, sid, json.dumps(data))
                        for k, (at, type_, cid, sid, data) in enumerate(rows[i : i + chunk])
                    ]
                    await raw.copy_records_to_table(
                        "contact_events", records=records, columns=columns
                    )
            else:
                for i in range(0, len(contacts), chunk):
                    await conn.execute(insert(contacts_t), contacts[i : i + chunk])
                for i in range(0, n, chunk):
                    part = [
                        dict(zip(columns, (first + i + k + 1, *row), strict=True))
                        for k, row in enumerate(rows[i : i + chunk])
                    ]
                    await conn.execute(insert(events_t), part)
        written += n + len(contacts)
        del rows
    if db.dialect == "postgresql":
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('contact_events', 'id'), "
                    "(SELECT max(id) FROM contact_events))"
                )
            )
        # The autovacuum daemon would analyze tables this size within a minute;
        # do it now, so that it does not run in the middle of the timings.
        async with db.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("ANALYZE contact_events"))
            await conn.execute(text("ANALYZE contacts"))
    return written, time.perf_counter() - t


# ---------------------------------------------------------------------- timing


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]


TARGET = 200.0  # ms: the target for the wallboard's numbers


@dataclass
class Line:
    """One timed thing: milliseconds of each run; ``target``: p95 must stay under it."""

    label: str
    ms: list[float]
    target: float | None = None

    def text(self, base: float) -> str:
        p50 = statistics.median(self.ms)
        if len(self.ms) >= 5:
            figs = f"p50 {p50:9.2f} ms  p95 {pct(self.ms, 0.95):9.2f} ms"
        else:
            runs = "1 run" if len(self.ms) == 1 else f"p50 of {len(self.ms)}"
            figs = f"{runs:>9} {p50:9.2f} ms  {'':16}"
        out = f"  {self.label:<58} {figs}  x bare {p50 / base:8.3f}"
        if self.target is not None:
            met = pct(self.ms, 0.95) < self.target
            out += f"  [p95 < {self.target:.0f} ms: {'met' if met else 'MISSED'}]"
        return out


class Timer:
    def __init__(self) -> None:
        self.t = time.perf_counter()

    def ms(self) -> float:
        now = time.perf_counter()
        out, self.t = (now - self.t) * 1000, now
        return out


BARE_SQL = "SELECT type, count(*) FROM contact_events WHERE at >= {lo} AND at < {hi} GROUP BY type"


async def bare_aggregate(
    db: Any, url: str, schema: str | None, reps: int
) -> tuple[list[float], int]:
    """The baseline: the day's events counted by type, through the bare driver."""
    from console.stats import day_bounds

    since, until = day_bounds(DAY, MSK)
    out: list[float] = []
    if schema is None:
        import aiosqlite

        fmt = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a naive UTC instant on SQLite
        params = (
            since.replace(tzinfo=None).strftime(fmt),
            until.replace(tzinfo=None).strftime(fmt),
        )
        sql = BARE_SQL.format(lo="?", hi="?")
        async with aiosqlite.connect(db.engine.url.database) as conn:
            for _ in range(reps + 1):
                t = Timer()
                async with conn.execute(sql, params) as cur:
                    rows = await cur.fetchall()
                out.append(t.ms())
    else:
        import asyncpg
        from sqlalchemy.engine import make_url

        u = make_url(url)
        conn = await asyncpg.connect(host=u.host, port=u.port, user=u.username,
                                     password=u.password, database=u.database,
                                     server_settings={"search_path": schema})  # fmt: skip
        try:
            sql = BARE_SQL.format(lo="$1", hi="$2")
            for _ in range(reps + 1):
                t = Timer()
                rows = await conn.fetch(sql, since, until)
                out.append(t.ms())
        finally:
            await conn.close()
    total = sum(r[1] for r in rows)
    return out[1:], total  # the first warms the cache


async def cold_start(db: Any, config: Any, reps: int) -> tuple[list[Line], Any, list[Any]]:
    """What ``Hub._load_stats`` does: the stored events since midnight and of the open
    contacts, decoded, folded into LiveStats. The last LiveStats, and its events."""
    from console.stats import LiveStats, local_midnight
    from console.store import stats as stats_store

    since = min(local_midnight(NOW, MSK), NOW - config.recent)
    find, load, dec, fold, total = [], [], [], [], []
    live: Any = None
    rows: list[str] = []
    events: list[Any] = []
    for _ in range(reps):
        gc.collect()
        t = Timer()
        async with db.transaction() as s:
            await stats_store.contacts_in_period(s, since, open_contacts=True)
        find.append(t.ms())
        t0 = time.perf_counter()
        async with db.transaction() as s:
            rows = await stats_store.load_events(s, since, open_contacts=True)
        load.append(t.ms())
        events = stats_store.decode(rows)
        dec.append(t.ms())
        live = LiveStats(MSK, config)
        live.apply(events)
        fold.append(t.ms())
        total.append((time.perf_counter() - t0) * 1000)
    lines = [
        Line(f"cold start: load_events ({len(rows):,} rows)", load),
        Line("  of which step 1, contacts_in_period (run alone)", find),
        Line("cold start: decode (off the loop)", dec),
        Line("cold start: LiveStats.apply (off the loop)", fold),
        Line("cold start: the whole", total),
    ]
    return lines, live, events


def wallboard_ticks(live: Any, day: Day, config: Any, reps: int) -> list[Line]:
    """The wallboard as a WatchWallboard tick computes it, on the restored day."""
    from console.stats import wallboard

    t = Timer()
    board = live.wallboard(NOW)
    first = [t.ms()]
    assert board == wallboard(day.visits, now=NOW, tz=MSK, config=config), "wallboard differs"
    ticks = []
    for _ in range(reps):
        t = Timer()
        live.wallboard(NOW)
        live.handled_today(NOW)
        ticks.append(t.ms())
    return [
        Line("wallboard: the first after the cold start", first),
        Line("wallboard: LiveStats.wallboard + handled_today", ticks, TARGET),
    ]


def live_seconds(events: list[Any], day: Day, config: Any) -> list[Line]:
    """A live tick: the last 5 minutes replayed a second at a time on a LiveStats
    restored up to then: each second's events applied, then the wallboard."""
    from console.queue import event_from_dict
    from console.stats import LiveStats, wallboard

    cutoff = NOW - timedelta(minutes=5)
    replay = LiveStats(MSK, config)
    replay.apply(e for e in events if e.at < cutoff)
    replay.wallboard(cutoff)
    tail = [event_from_dict(r[4]) for r in day.rows if r[0] >= cutoff]
    ticks = []
    k = 0
    second = cutoff
    while second < NOW:
        second += timedelta(seconds=1)
        batch = []
        while k < len(tail) and tail[k].at < second:
            batch.append(tail[k])
            k += 1
        t = Timer()
        replay.apply(batch)
        replay.wallboard(second)
        replay.handled_today(second)
        ticks.append(t.ms())
    assert replay.wallboard(NOW) == wallboard(day.visits, now=NOW, tz=MSK, config=config)
    label = f"wallboard: a live second (~{len(tail) / 300:.0f} events applied + board)"
    return [Line(label, ticks, TARGET)]


async def reports(db: Any, live: Any, events: list[Any], day: Day, config: Any,
                  args: argparse.Namespace) -> list[Line]:  # fmt: skip
    """Today's report from memory; a day's from the store, as GetReport does for a day
    other than today. And, for comparison, the one-pass wallboard over every visit."""
    from console.stats import day_bounds, report, report_csv, wallboard
    from console.store import stats as stats_store

    visits = visits_from_events(events)
    plain = []
    for _ in range(max(5, args.reps // 4)):
        t = Timer()
        wallboard(visits, now=NOW, tz=MSK, config=config)
        plain.append(t.ms())
    expected = report(day.visits, DAY, tz=MSK, now=NOW, config=config)
    mem = []
    rep: list[Any] = []
    for _ in range(args.reps):
        t = Timer()
        rep = live.report(NOW)
        report_csv(rep)
        mem.append(t.ms())
    assert rep == expected, "today's report from memory differs from the day's"
    since, until = day_bounds(DAY, MSK)
    r_load, r_build, r_rep, r_total = [], [], [], []
    stored: list[str] = []
    for _ in range(args.cold_reps):
        gc.collect()
        t = Timer()
        t0 = time.perf_counter()
        async with db.transaction() as s:
            stored = await stats_store.load_events(s, since, until)
        r_load.append(t.ms())
        vs = stats_store.build_visits(stored)
        r_build.append(t.ms())
        rep = report(vs, DAY, tz=MSK, now=NOW, config=config)
        report_csv(rep)
        r_rep.append(t.ms())
        r_total.append((time.perf_counter() - t0) * 1000)
    assert rep == expected, "the report from the store differs from the day's"
    return [
        Line(f"wallboard: one pass over all {len(visits):,} visits (stats.wallboard)", plain),
        Line("report, today: LiveStats.report + report_csv", mem),
        Line(f"report from the store: load_events ({len(stored):,} rows)", r_load),
        Line("report from the store: build_visits (off the loop)", r_build),
        Line("report from the store: report + report_csv", r_rep),
        Line("report from the store: the whole", r_total),
    ]


async def run_backend(label: str, db: Any, url: str, schema: str | None, day: Day,
                      args: argparse.Namespace) -> list[str]:  # fmt: skip
    import db as migrations
    from console.stats import StatsConfig

    config = StatsConfig()
    out: list[str] = []

    def say(line: str) -> None:
        out.append(line)
        print(line, flush=True)

    await migrations.upgrade(db.engine)
    written, seconds = await fill(db, day, args.history)
    say(f"{label}: wrote {written:,} rows in {seconds:.0f} s ({written / seconds:,.0f} rows/s)")
    say(f"{label}: load average before the timings: {loadavg()}")
    bare, counted = await bare_aggregate(db, url, schema, args.reps)
    lines = [Line(f"bare aggregate: the day's {counted:,} events by type", bare)]
    cold, live, events = await cold_start(db, config, args.cold_reps)
    lines += cold
    lines += wallboard_ticks(live, day, config, args.reps)
    lines += live_seconds(events, day, config)
    lines += await reports(db, live, events, day, config, args)
    base = statistics.median(bare)
    say(f"{label}: (x bare = p50 / the bare aggregate's p50, {base:.1f} ms)")
    for line in lines:
        say(f"{label}:{line.text(base)}")
    say(f"{label}: checked: the restored wallboard and both reports equal the day's own")
    return out


def day_summary(day: Day) -> list[str]:
    """The day's own numbers at ``now``, so that its shape shows."""
    from console.stats import wallboard

    def secs(value: timedelta | None) -> str:
        return "-" if value is None else f"{value.total_seconds():.0f} s"

    def share(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.1f}%"

    out = []
    for row in wallboard(day.visits, now=NOW, tz=MSK).values():
        f = row.today
        out.append(
            f"  {row.queue:<18} offered {f.offered:6,}  answered {f.answered:6,}  "
            f"SL {share(f.service_level):>6}  abandoned {share(f.abandoned_share):>5} "
            f"(+{f.short_abandoned:,} short)  ASA {secs(f.asa):>5}  AHT {secs(f.aht):>5}  "
            f"waiting now {row.waiting}"
        )
    return out


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--contacts", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--history", type=int, default=1, help="earlier days in the tables")
    ap.add_argument("--pg-url", default=os.environ.get("MEDCONSOLE_TEST_PG_URL", ""))
    ap.add_argument("--only", choices=["sqlite", "pg"])
    ap.add_argument("--reps", type=int, default=20, help="runs of the fast timings")
    ap.add_argument("--cold-reps", type=int, default=3, help="runs of the slow ones")
    ap.add_argument("--cache", type=Path, help="keep the generated day in this file")
    args = ap.parse_args()

    from sqlalchemy.engine import make_url

    from console.store.database import Database
    from console.store.engine import normalize_url

    print(f"load average at start: {loadavg()} ({os.cpu_count()} cores)", flush=True)
    day = generate(args.contacts, args.seed, args.cache)
    print(
        f"day: {args.contacts:,} contacts, {len(day.rows):,} events, {len(day.visits):,} visits "
        f"(+{args.history} earlier day(s) in the tables); made in {day.seconds:.0f} s",
        flush=True,
    )
    for line in day_summary(day):
        print(line, flush=True)
    results: list[str] = []
    if args.only != "pg":
        with tempfile.TemporaryDirectory(prefix="bench-stats-") as work:
            url = f"sqlite+aiosqlite:///{Path(work) / 'bench.sqlite3'}"
            db = Database(url)
            try:
                results += await run_backend("sqlite", db, url, None, day, args)
            finally:
                await db.close()
    if args.only != "sqlite":
        if not args.pg_url:
            print("postgresql: skipped (no --pg-url, no MEDCONSOLE_TEST_PG_URL)")
        else:
            import asyncpg

            url = normalize_url(args.pg_url)
            u = make_url(url)
            schema = f"bench_stats_{os.getpid()}"
            conn = await asyncpg.connect(host=u.host, port=u.port, user=u.username,
                                         password=u.password, database=u.database)  # fmt: skip
            await conn.execute(f'CREATE SCHEMA "{schema}"')
            await conn.close()
            db = Database(url, connect_args={"server_settings": {"search_path": schema}})
            try:
                results += await run_backend("postgresql", db, url, schema, day, args)
            finally:
                await db.close()
                conn = await asyncpg.connect(host=u.host, port=u.port, user=u.username,
                                             password=u.password, database=u.database)  # fmt: skip
                await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
                await conn.close()
    print(f"load average at the end: {loadavg()}")
    print("\n".join(["", "summary:", *results]))


if __name__ == "__main__":
    asyncio.run(main())

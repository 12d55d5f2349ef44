"""The hub's core: the routing engine wired to the store and to the connections.

Ordering, the one rule everything here follows: a command runs under
``self._lock``; the engine applies it in memory; every record it changed, its
events and the command's own rows are written in ONE transaction; only after
the commit is anything announced to a client. A crash before the commit loses
the command (the client sees no reply and retries); a crash after it loses
nothing, because a restart rebuilds the engine from the store. If the write
fails, the engine is rebuilt from the store, so memory never runs ahead of it.

Connections are duck-typed ``Peer`` objects (``send(model)``, ``close()``):
this module knows nothing of aiohttp.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from console.clock import Clock, local_date
from console.identity import consent as consent_rules
from console.identity.identify import Identified, describe, matches_for_phone
from console.identity.model import ConsentKind, ConsentState, PolicyStatus
from console.identity.names import split_full_name
from console.identity.phones import PhoneError, format_national, normalize_phone
from console.protocol import messages as m
from console.protocol import queueview
from console.queue import (
    OPERATORS,
    Channel,
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
    StaffState,
    StaffStateChanged,
    event_to_dict,
    state_from_dict,
)
from console.queue.codec import to_primitive
from console.stats import LiveStats, StatsConfig, day_bounds, local_midnight, queue_group
from console.stats import report as stats_report
from console.stats import report_csv as stats_report_csv
from console.store import audit, conclusions, consents, hubstore, registry
from console.store import staff as staff_repo
from console.store import stats as stats_store

if TYPE_CHECKING:
    from pydantic import BaseModel
    from sqlalchemy.ext.asyncio import AsyncSession

    from console.identity.model import Person
    from console.queue import Contact, Staff
    from console.stats import QueueFigures
    from console.store.database import Database
    from console.store.models import ChatMessageRow, ContactRow

log = logging.getLogger(__name__)

STAFF_ROLES_IN_ENGINE = {"operator": Role.OPERATOR, "doctor": Role.DOCTOR}
# After these a contact's hold is over: another holder, or none, or the end.
_HOLDER_CHANGES = (
    ContactAccepted,
    ContactTransferred,
    ContactReturned,
    ContactRequeued,
    ContactEnded,
    ContactClosed,
)


class Peer(Protocol):
    async def send(self, msg: BaseModel) -> None: ...

    async def send_text(self, text: str) -> None:
        """An already serialised message (the same text to many peers)."""
        ...

    async def close(self, reason: str = "") -> None: ...


class HubError(Exception):
    """A command the hub refuses; becomes an ``error`` frame with ``code``."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


@dataclass
class HubConfig:
    queue: QueueConfig = field(default_factory=QueueConfig)
    # A staff member whose connection drops keeps their contact this long, so a
    # network blip or a console restart resumes instead of requeueing.
    staff_grace: timedelta = timedelta(seconds=5)
    # After a hub restart, patients get this long to reconnect before they count as lost.
    patient_grace: timedelta = timedelta(seconds=10)
    queue_broadcast_every: float = 0.25  # seconds; queue views are coalesced to this rate
    queue_view_limit: int = 200  # entries a console gets; the summaries count all
    # The supervisors' wallboard: at most one a second while anything changes, and one
    # this often when nothing does (the last 15 minutes slide on).
    wallboard_every: float = 1.0
    wallboard_idle_every: float = 15.0
    # The numbers' definitions; None: the engine's target and short abandon, goal 80%.
    stats: StatsConfig | None = None
    # A connected client is "in use": its session's idle clock is reset this often.
    session_touch_every: float = 300.0
    staff_idle: timedelta = timedelta(hours=1)
    staff_absolute: timedelta = timedelta(hours=12)
    patient_idle: timedelta = timedelta(hours=1)
    patient_absolute: timedelta = timedelta(hours=24)
    # A doctor's consultation lasts at most this long (003); the doctor's console counts it.
    urgent_limit: timedelta = timedelta(minutes=30)
    appointment_limit: timedelta = timedelta(minutes=15)


@dataclass
class StaffConn:
    peer: Peer
    staff_id: int
    info: m.StaffInfo
    token: str = ""
    welcomed: bool = False  # a client reads nothing before its welcome
    queue_view: tuple[frozenset[str], int] | None = None  # the view it has: queues, generation


@dataclass
class _QueueFrames:
    """One generation of the queue view of one set of queues, and its frames.

    A connection that has the previous generation gets the delta (nothing, if
    nothing changed); any other gets the whole view. Both are serialised once,
    when the first connection needs them.
    """

    queues: frozenset[str]
    generation: int
    entries: list[m.QueueEntry]
    summaries: list[m.QueueSummary]
    previous: _QueueFrames | None = None
    _snapshot: str | None = None
    _delta: str | None = None
    _by_id: dict[str, m.QueueEntry] | None = None

    @classmethod
    def next(
        cls,
        queues: frozenset[str],
        before: _QueueFrames | None,
        entries: list[m.QueueEntry],
        summaries: list[m.QueueSummary],
    ) -> _QueueFrames:
        generation = before.generation + 1 if before else 1
        if before is not None:
            before.previous = None  # one generation back is all a delta needs
        return cls(queues, generation, entries, summaries, before)

    @property
    def view(self) -> tuple[frozenset[str], int]:
        return (self.queues, self.generation)

    def by_id(self) -> dict[str, m.QueueEntry]:
        if self._by_id is None:
            self._by_id = {e.id: e for e in self.entries}
        return self._by_id

    def frame_after(self, had: tuple[frozenset[str], int] | None) -> str | None:
        """The frame for a connection that has the view ``had``; None: nothing to send."""
        if had == self.view:
            return None
        prev = self.previous
        if prev is None or had != prev.view:
            if self._snapshot is None:
                self._snapshot = m.dump(
                    m.QueueSnapshot(entries=self.entries, summaries=self.summaries)
                )
            return self._snapshot
        if self._delta is None:
            upsert, remove = queueview.diff(prev.by_id(), self.entries)
            if not upsert and not remove and self.summaries == prev.summaries:
                self._delta = ""
            else:
                self._delta = m.dump(
                    m.QueueDelta(upsert=upsert, remove=remove, summaries=self.summaries)
                )
        return self._delta or None


@dataclass
class PatientConn:
    peer: Peer
    phone: str  # E.164
    contact_id: str | None = None
    token: str = ""


@dataclass
class _Pending:
    """What a command adds to its transaction and its announcements."""

    # each gets the command's session (an AsyncSession; typed loosely so that
    # the hub does not import SQLAlchemy)
    writes: list[Callable[[Any], Awaitable[None]]] = field(default_factory=list)
    after: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


class _NothingToWrite(Exception):
    pass


def _new_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(8)}"


class Hub:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        tz: Any,
        config: HubConfig | None = None,
        sms_secret: bytes = b"",
    ) -> None:
        self.db = db
        self.clock = clock
        self.tz = tz
        self.config = config or HubConfig()
        self.sms_secret = sms_secret
        self.engine = Engine(clock, self.config.queue)
        self._lock = asyncio.Lock()
        self.staff_conns: dict[str, StaffConn] = {}
        self.patients: dict[str, PatientConn] = {}  # by phone
        self._by_contact: dict[str, PatientConn] = {}  # the same, by open contact
        self._legs: dict[str, str] = {}  # open contact -> its current leg (hot: every signal)
        # Open contact -> its leg whose signal from the patient reached no holder: the
        # holder's console was away (its grace running, or the hub had just restarted).
        # That leg cannot connect; the holder gets a fresh one when back (staff_hello).
        self._unheard: dict[str, str] = {}
        self._cards: dict[str, m.ContactView] = {}  # open contact -> what an offer shows
        self._staff_info: dict[str, m.StaffInfo] = {}
        self._grace: dict[str, asyncio.TimerHandle] = {}
        self._wake = asyncio.Event()
        self._queues_dirty = asyncio.Event()
        self._queue_views: dict[frozenset[str], _QueueFrames] = {}  # the last, by queues
        self._tasks: list[asyncio.Task[None]] = []
        self._call_requests: dict[str, str] = {}  # contact -> media of a raised call
        # Connected contacts their holder put on hold; a hold ends with the leg's holder.
        self._holds: set[str] = set()
        # Open contact -> "Фамилия И. О." of its person (None: nobody yet), for queue views.
        self._names: dict[str, str | None] = {}
        # Open contact -> people found on it by policy or by name and birth date: the
        # additional identification (003) a phone is registered after.
        self._identified: dict[str, set[int]] = {}
        self._closing = False
        self.stats_config = self.config.stats or StatsConfig.from_queue_config(self.config.queue)
        # The day's numbers, from the stored events at start and then from every
        # command's events as they are committed (see console.stats.live).
        self._live: LiveStats | None = None
        # While they load (a busy day's take seconds): the events committed meanwhile,
        # applied after the stored ones. None once loaded (or before start).
        self._stats_backlog: list[Event] | None = None
        self.stats_loaded = asyncio.Event()  # set once they are (GET /healthz says so too)
        self._watchers: dict[str, StaffConn] = {}  # supervisors watching the wallboard
        self._board_dirty = asyncio.Event()
        # Schedules and appointments: its commands, and its timer (console.hub.booking).
        from console.hub.booking import BookingDesk

        self.booking = BookingDesk(self)

    # ------------------------------------------------------------------ life

    async def start(self) -> None:
        """Rebuild the engine and the day's numbers from the store, then run the timers."""
        await self._restore()
        # The day's numbers load in the background: the hub takes contacts meanwhile.
        async with self.db.transaction() as s:
            upto = await stats_store.last_event_id(s)
        self._stats_backlog = []
        self._tasks.append(asyncio.create_task(self._load_stats(upto), name="hub-stats-load"))
        async with self.db.transaction() as s:
            members = await staff_repo.all_staff(s)
        for member in members:
            self._staff_info[str(member.id)] = _staff_info(member)
        known = {st.id for st in self.engine.staff()}
        for member in members:
            sid = str(member.id)
            if member.role.value in STAFF_ROLES_IN_ENGINE and member.active and sid not in known:
                await self._run(
                    lambda sid=sid, member=member: self.engine.register_staff(  # type: ignore[misc]
                        sid,
                        STAFF_ROLES_IN_ENGINE[member.role.value],
                        specialty=member.specialty if member.role.value == "doctor" else None,
                        duty=member.on_duty,
                    )
                )
        # Whoever was online before a restart gets the grace period to come back.
        for st in self.engine.staff():
            if st.state is not StaffState.OFFLINE:
                self._start_grace(st.id)
        loop = asyncio.get_running_loop()
        if any(True for _ in self.engine.contacts()):
            loop.call_later(
                self.config.patient_grace.total_seconds(),
                lambda: self._spawn(self._patients_after_restart()),
            )
        self._tasks.append(asyncio.create_task(self._timer_loop(), name="hub-timers"))
        self._tasks.append(asyncio.create_task(self._queue_loop(), name="hub-queue-views"))
        self._tasks.append(asyncio.create_task(self._touch_loop(), name="hub-session-touch"))
        self._tasks.append(asyncio.create_task(self._wallboard_loop(), name="hub-wallboard"))
        self._tasks.append(asyncio.create_task(self.booking.run(), name="hub-booking"))

    async def stop(self) -> None:
        """Close every connection, then cancel and wait for every task the hub started."""
        self._closing = True
        for handle in self._grace.values():
            handle.cancel()
        peers = [c.peer for c in self.staff_conns.values()] + [
            p.peer for p in self.patients.values()
        ]
        await asyncio.gather(*(p.close("hub stopping") for p in peers), return_exceptions=True)
        while self._tasks:
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._tasks = [t for t in self._tasks if not t.done()]

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.append(task)
        task.add_done_callback(lambda t: self._tasks.remove(t) if t in self._tasks else None)

    def _bind(self, conn: PatientConn, contact_id: str | None) -> None:
        """Point a patient's connection at a contact (or none), keeping the index right."""
        if conn.contact_id and self._by_contact.get(conn.contact_id) is conn:
            del self._by_contact[conn.contact_id]
        conn.contact_id = contact_id
        if contact_id:
            self._by_contact[contact_id] = conn

    async def _restore(self) -> None:
        async with self.db.transaction() as s:
            records = await hubstore.load_engine_records(s)
            self._legs = await hubstore.open_legs(s)
        state = state_from_dict(
            {
                "contacts": sorted(records.contacts.values(), key=lambda c: c["id"]),
                "staff": sorted(records.staff.values(), key=lambda st: st["id"]),
                "seq": records.seq,
                "version": 1,
            }
        )
        self.engine = Engine.restore(state, self.clock, self.config.queue)

    async def _load_stats(self, upto: int) -> None:
        """The day so far, from the events stored before this process wrote any (ids up
        to ``upto``), then the ones its commands committed meanwhile (the backlog).

        Every event of every contact with one since the earlier of the local
        midnight and the wallboard's recent window, and of every open contact:
        what the wallboard's numbers are made of (``console.store.stats``).
        Decoding them is CPU work (20 s or more for a day of 100,000 contacts),
        done off the event loop while the hub works; the wallboard goes out once
        they are in, and today's report is read from the store until then.
        """
        now = self.clock.now()
        since = min(local_midnight(now, self.tz), now - self.stats_config.recent)
        live = LiveStats(self.tz, self.stats_config)
        try:
            async with self.db.transaction() as s:
                rows = await stats_store.load_events(s, since, open_contacts=True, upto=upto)
            await asyncio.to_thread(lambda: live.apply(stats_store.decode(rows)))
        except Exception:
            log.exception("restoring the day's numbers failed; they count from the hub's start")
            live = LiveStats(self.tz, self.stats_config)
            rows = []
        backlog, self._stats_backlog = self._stats_backlog or [], None
        live.apply(backlog)  # no await since the swap: nothing is missed or applied twice
        self._live = live
        self.stats_loaded.set()
        self._board_dirty.set()
        log.info(
            "the day's numbers restored from %d stored events and %d since the start",
            len(rows),
            len(backlog),
        )

    async def _patients_after_restart(self) -> None:
        online = {p.contact_id for p in self.patients.values() if p.contact_id}
        for c in list(self.engine.contacts()):
            if (
                c.id not in online
                and c.patient_lost_at is None
                and c.state is not (ContactState.WRAP_UP)
            ):
                try:
                    await self._run(lambda cid=c.id: self.engine.patient_lost(cid))  # type: ignore[misc]
                except (QueueError, HubError):
                    continue

    # ------------------------------------------------------------------ the one write path

    async def _run(
        self, command: Callable[[], list[Event]], pending: _Pending | None = None
    ) -> list[Event]:
        """Apply an engine command, persist everything it changed, then announce it."""
        pending = pending or _Pending()
        async with self._lock:
            before_c = {c.id: c for c in self.engine.contacts()}
            before_s = {st.id: st for st in self.engine.staff()}
            # Deadlines that fell due first: the engine refuses a command on a
            # contact or staff member whose deadline has passed.
            events = self.engine.tick() if command != self.engine.tick else []
            refused: HubError | None = None
            try:
                events += command()
            except QueueError as exc:
                refused = HubError("conflict", str(exc))
                pending = _Pending()
            after_c = {c.id: c for c in self.engine.contacts()}
            after_s = {st.id: st for st in self.engine.staff()}
            changed_c: dict[str, dict[str, Any] | None] = {
                cid: to_primitive(c) for cid, c in after_c.items() if before_c.get(cid) is not c
            }
            changed_c.update({cid: None for cid in before_c.keys() - after_c.keys()})
            changed_s = {
                sid: to_primitive(st) for sid, st in after_s.items() if before_s.get(sid) is not st
            }
            legs = {e.contact_id: _new_id("L") for e in events if isinstance(e, ContactAccepted)}
            try:
                if not (changed_c or changed_s or events or pending.writes):
                    raise _NothingToWrite
                async with self.db.transaction() as s:
                    for write in pending.writes:
                        await write(s)
                    await hubstore.save_engine_records(
                        s, contacts=changed_c, staff=changed_s, seq=self.engine.snapshot().seq
                    )
                    await hubstore.add_events(s, [_event_row(e) for e in events])
                    for cid, leg in legs.items():
                        await hubstore.update_contact(s, cid, leg=leg)
                    for e in events:
                        if isinstance(e, ContactClosed):
                            await hubstore.update_contact(
                                s, e.contact_id, closed_at=e.at, outcome=e.outcome.value
                            )
            except _NothingToWrite:
                pass
            except Exception:
                log.exception("persisting a command failed; rebuilding the engine from the store")
                await self._restore()
                raise
            if events and self._live is not None:
                self._live.apply(events)  # committed: the numbers follow, in the same order
            elif events and self._stats_backlog is not None:
                self._stats_backlog.extend(events)  # the day's numbers are loading
        self._legs.update(legs)
        for e in events:
            if isinstance(e, ContactClosed):
                self._legs.pop(e.contact_id, None)
                self._unheard.pop(e.contact_id, None)
        if events or pending.after:
            self._wake.set()
        if events:
            self._board_dirty.set()
        await self._announce(events)
        await self.booking.after(events)  # appointments follow their contacts
        if refused is not None:
            raise refused
        for after in pending.after:
            await after()
        return events

    # ------------------------------------------------------------------ timers

    async def _timer_loop(self) -> None:
        while not self._closing:
            deadline = self.engine.next_deadline()
            self._wake.clear()
            timeout = None
            if deadline is not None:
                timeout = max(0.0, (deadline - self.clock.now()).total_seconds())
            try:
                await asyncio.wait_for(self._wake.wait(), timeout)
                continue
            except TimeoutError:
                pass
            try:
                await self._run(self.engine.tick)
            except Exception:
                log.exception("engine tick failed")
                await asyncio.sleep(1)

    async def tick(self) -> None:
        """Run due deadlines now (tests with a fake clock call this)."""
        await self._run(self.engine.tick)

    def _start_grace(self, staff_id: str) -> None:
        self._cancel_grace(staff_id)
        loop = asyncio.get_running_loop()
        self._grace[staff_id] = loop.call_later(
            self.config.staff_grace.total_seconds(),
            lambda: self._spawn(self._grace_expired(staff_id)),
        )

    def _cancel_grace(self, staff_id: str) -> None:
        handle = self._grace.pop(staff_id, None)
        if handle is not None:
            handle.cancel()

    async def _grace_expired(self, staff_id: str) -> None:
        self._grace.pop(staff_id, None)
        if staff_id in self.staff_conns:
            return
        st = self.engine.get_staff(staff_id)
        if st.state is not StaffState.OFFLINE:
            log.info("staff %s did not come back; releasing their work", staff_id)
            await self._run(lambda: self.engine.staff_lost(staff_id))

    # ------------------------------------------------------------------ announcing

    async def _offer_card(self, contact_id: str) -> m.ContactView | None:
        """What an offer shows: from memory when the contact arrived here, else the store."""
        card = self._cards.get(contact_id)
        if card is None:
            async with self.db.transaction() as s:
                row = await hubstore.get_contact(s, contact_id)
            if row is None:
                return None
            card = self._cards[contact_id] = await self.contact_view(row, full=False)
        c = self.engine.get_contact(contact_id)
        return card.model_copy(update={"state": c.state.value, "queue": c.queue})

    async def _announce(self, events: list[Event]) -> None:
        # Offers first: they are what a waiting patient and an idle staff member wait on.
        for e in events:
            if isinstance(e, OfferMade) and (conn := self.staff_conns.get(e.staff_id)):
                card = await self._offer_card(e.contact_id)
                if card is not None:
                    await conn.peer.send(m.OfferMsg(contact=card, expires_at=e.expires_at))
        await self._holds_end(events)
        ids = {e.contact_id for e in events if isinstance(e, ContactAccepted)}
        rows: dict[str, ContactRow] = {}
        if ids:
            async with self.db.transaction() as s:
                rows = await hubstore.contacts_by_ids(s, ids)
        queues_changed = False
        for e in events:
            if isinstance(e, OfferMade):
                queues_changed = True
            elif isinstance(e, OfferExpired | OfferRejected | OfferWithdrawn):
                reason = type(e).__name__.removeprefix("Offer").lower()
                if isinstance(e, OfferWithdrawn):
                    reason = e.reason.value
                await self._to_staff(
                    e.staff_id, m.OfferWithdrawn(contact_id=e.contact_id, reason=reason)
                )
                queues_changed = True
            elif isinstance(e, ContactAccepted):
                await self._on_accepted(e, rows.get(e.contact_id))
                queues_changed = True
            elif isinstance(e, ContactTransferred | ContactReturned):
                gone = "transferred" if isinstance(e, ContactTransferred) else "handed_back"
                await self._to_staff(
                    e.staff_id, m.ContactGone(contact_id=e.contact_id, reason=gone)
                )
                await self._patient_status(e.contact_id)
                queues_changed = True
            elif isinstance(e, ContactRequeued | ContactQueued):
                if isinstance(e, ContactRequeued):  # their console is still here: forced off
                    await self._to_staff(
                        e.staff_id, m.ContactGone(contact_id=e.contact_id, reason="moved")
                    )
                await self._patient_status(e.contact_id)
                queues_changed = True
            elif isinstance(e, ContactEnded):
                await self._to_patient_of(
                    e.contact_id, m.Ended(contact_id=e.contact_id, outcome=e.outcome.value)
                )
                # the holder keeps the contact through wrap-up (outcome, comment)
                if e.staff_id in self.staff_conns:
                    async with self.db.transaction() as s:
                        ended = await hubstore.get_contact(s, e.contact_id)
                    if ended is not None:
                        view = await self.contact_view(ended)
                        await self._to_staff(e.staff_id, m.ContactUpdate(contact=view))
            elif isinstance(e, ContactClosed):
                await self._to_patient_of(
                    e.contact_id, m.Ended(contact_id=e.contact_id, outcome=e.outcome.value)
                )
                closed = self._by_contact.get(e.contact_id)
                if closed is not None:
                    self._bind(closed, None)
                if e.staff_id:
                    await self._to_staff(
                        e.staff_id, m.ContactGone(contact_id=e.contact_id, reason="closed")
                    )
                self._cards.pop(e.contact_id, None)
                self._names.pop(e.contact_id, None)
                self._identified.pop(e.contact_id, None)
                queues_changed = True
            elif isinstance(e, StaffStateChanged):
                st = self.engine.get_staff(e.staff_id)
                await self._to_staff(
                    e.staff_id,
                    m.StaffStateMsg(
                        state=st.state.value,
                        reason=e.break_reason or "",
                        since=e.at,
                        until=_state_until(st),
                    ),
                )
                queues_changed = True
        if queues_changed:
            self._queues_dirty.set()

    async def _holds_end(self, events: list[Event]) -> None:
        """A hold lasts while its holder does: transfer, hand-back, end, close or a lost
        holder release it, and the patient hears so first."""
        for e in events:
            if isinstance(e, _HOLDER_CHANGES) and e.contact_id in self._holds:
                self._holds.discard(e.contact_id)
                await self._to_patient_of(
                    e.contact_id, m.HoldMsg(contact_id=e.contact_id, on=False)
                )

    async def _on_accepted(self, e: ContactAccepted, row: ContactRow | None) -> None:
        if row is None:
            return
        conn = self.staff_conns.get(e.staff_id)
        if conn:
            await conn.peer.send(m.ContactUpdate(contact=await self.contact_view(row)))
            if row.caller_phone:  # everyone the phone reaches, at once
                found = await self._identify(
                    conn, row, m.Identify(type="identify", contact_id=row.id)
                )
                await conn.peer.send(found)
        info = self._staff_info.get(e.staff_id)
        media = {"audio": "audio", "video": "video"}.get(row.channel, "none")
        if row.leg:
            await self._to_patient_of(
                row.id,
                m.LegOpen(
                    contact_id=row.id,
                    leg=row.leg,
                    media=media,
                    staff_role="doctor" if info and info.role == "doctor" else "operator",
                    staff_name=info.full_name if info else "",
                ),
            )
        await self._patient_status(row.id)

    async def _to_staff(self, staff_id: str | None, msg: BaseModel) -> None:
        conn = self.staff_conns.get(staff_id or "")
        if conn:
            await conn.peer.send(msg)

    async def _to_patient_of(self, contact_id: str, msg: BaseModel) -> None:
        p = self._by_contact.get(contact_id)
        if p is not None:
            await p.peer.send(msg)

    async def _patient_status(self, contact_id: str) -> None:
        p = self._by_contact.get(contact_id)
        if p is None:
            return
        await p.peer.send(self._status_of(contact_id))

    def _status_of(self, contact_id: str, positions: dict[str, int] | None = None) -> m.QueueStatus:
        """Where a patient's contact stands; ``positions`` when the caller has them all."""
        try:
            c = self.engine.get_contact(contact_id)
        except QueueError:
            return m.QueueStatus(contact_id=contact_id, position=0, waiting_s=0, state="closed")
        now = self.clock.now()
        position = 0
        if c.in_queue and positions is not None:
            position = positions.get(contact_id, 0)
        elif c.in_queue:
            waiting = self.engine.waiting(c.queue)
            position = next((i for i, w in enumerate(waiting, 1) if w.id == contact_id), 0)
        started = c.wait_started_at or c.enqueued_at
        return m.QueueStatus(
            contact_id=contact_id,
            position=position,
            waiting_s=max(0.0, (now - started).total_seconds()) if c.in_queue else 0.0,
            state=c.state.value,
        )

    async def _touch_loop(self) -> None:
        """Keep the sessions of connected clients from idling out during a long shift."""
        while not self._closing:
            await asyncio.sleep(self.config.session_touch_every)
            try:
                await self._touch(
                    [c.token for c in self.staff_conns.values()]
                    + [p.token for p in self.patients.values()]
                )
            except Exception:
                log.exception("touching sessions failed")

    async def _touch(self, tokens: list[str]) -> None:
        tokens = [t for t in tokens if t]
        if tokens:
            now = self.clock.now()
            async with self.db.transaction() as s:
                for token in tokens:
                    await hubstore.touch_session(s, token, now)

    async def _touch_quietly(self, token: str) -> None:
        try:
            await self._touch([token])
        except Exception:
            log.exception("touching a session failed")

    async def _queue_loop(self) -> None:
        """Coalesce queue changes into at most one view per client per interval."""
        while not self._closing:
            await self._queues_dirty.wait()
            self._queues_dirty.clear()
            try:
                await self._broadcast_queues()
            except Exception:
                log.exception("queue broadcast failed")
            await asyncio.sleep(self.config.queue_broadcast_every)

    async def _broadcast_queues(self) -> None:
        now = self.clock.now()
        by_queue: dict[str, list[Contact]] = {}
        for q in self.engine.queue_ids():
            by_queue[q] = list(self.engine.waiting(q))
        await self._load_names(c.id for w in by_queue.values() for c in w)
        free: dict[str, int] = {}
        for st in self.engine.staff():
            if st.state is StaffState.AVAILABLE:
                for q in st.queues:
                    free[q] = free.get(q, 0) + 1
        summaries = [
            m.QueueSummary(
                queue=q,
                waiting=len(w),
                longest_wait_s=max(((now - c.enqueued_at).total_seconds() for c in w), default=0),
                free_staff=free.get(q, 0),
            )
            for q, w in sorted(by_queue.items())
        ]
        # One view per distinct set of queues, diffed and serialised once: 100
        # operators share one. A connection gets its view whole once, then only
        # what changed (console.protocol.queueview). A supervisor sees every
        # queue (the contacts they may move to someone).
        frames: dict[frozenset[str], _QueueFrames] = {}
        everything = frozenset(by_queue)
        for n, (sid, conn) in enumerate(list(self.staff_conns.items()), 1):
            if not conn.welcomed:
                continue  # it gets the view whole once welcomed (the welcome marks it dirty)
            if conn.info.role == "supervisor":
                queues = everything
            else:
                try:
                    queues = self.engine.get_staff(sid).queues
                except QueueError:
                    continue
            f = frames.get(queues)
            if f is None:
                mine = sorted(
                    (c for q in queues for c in by_queue.get(q, [])), key=lambda c: c.sort_key
                )
                entries = [
                    m.QueueEntry(
                        id=c.id,
                        channel=_channel(c.channel),
                        kind=c.kind.value,
                        queue=c.queue,
                        enqueued_at=c.enqueued_at,
                        priority=int(c.priority),
                        seq=c.queue_seq,
                        offered=c.state is ContactState.OFFERED,
                        person_name=self._names.get(c.id),
                    )
                    for c in mine[: self.config.queue_view_limit]
                ]
                f = frames[queues] = _QueueFrames.next(
                    queues, self._queue_views.get(queues), entries, summaries
                )
                self._queue_views[queues] = f
            text = f.frame_after(conn.queue_view)
            if text is not None:
                await conn.peer.send_text(text)
            conn.queue_view = f.view
            if n % 20 == 0:
                await asyncio.sleep(0)  # let commands in between the sends
        positions = {c.id: i for w in by_queue.values() for i, c in enumerate(w, 1)}
        for n_patients, p in enumerate(list(self.patients.values()), 1):
            if p.contact_id:
                await p.peer.send(self._status_of(p.contact_id, positions))
            if n_patients % 100 == 0:
                await asyncio.sleep(0)

    async def _load_names(self, contact_ids: Iterable[str]) -> None:
        """Fill the name cache for contacts it does not know yet (after a restart, say):
        one query for all of them, so a queue view never costs a query per contact."""
        missing = [cid for cid in contact_ids if cid not in self._names]
        if not missing:
            return
        try:
            async with self.db.transaction() as s:
                found = await hubstore.person_names_of_contacts(s, missing)
        except Exception:  # the views go out without these names; the next one tries again
            log.exception("loading the names of %d waiting contacts failed", len(missing))
            return
        for cid in missing:
            parts = found.get(cid)
            # a command may have set it meanwhile; that one is newer
            self._names.setdefault(cid, _short_name(*parts) if parts else None)

    # ------------------------------------------------------------------ views

    async def contact_view(self, row: ContactRow, *, full: bool = True) -> m.ContactView:
        try:
            c = self.engine.get_contact(row.id)
            state, queue = c.state.value, c.queue
        except QueueError:
            state, queue = "closed", ""
        person = None
        consent_views: list[m.ConsentView] = []
        chat: list[m.ChatMessage] = []
        async with self.db.transaction() as s:
            if row.person_id is not None:
                recs = await registry.load_records(s, [row.person_id])
                if recs:
                    person = _card(describe(recs[0], self._today()))
                if full:
                    cs = await consents.get_consents(s, row.person_id)
                    consent_views = [
                        m.ConsentView(
                            kind=k.value, state=v.state.value, text_version=v.text_version
                        )
                        for k, v in cs.items()
                    ]
            if full:
                chat = await self._chat(s, row.id)
            consultation = await self._consultation(s, row) if full else None
        return m.ContactView(
            id=row.id,
            channel=_channel(Channel(row.channel)),
            kind=row.kind,
            state=state,
            queue=queue,
            arrived_at=row.arrived_at,
            caller_phone=format_national(row.caller_phone) if row.caller_phone else None,
            person=person,
            consents=consent_views,
            reason=row.reason,
            leg=row.leg,
            chat=chat,
            on_hold=row.id in self._holds,
            consultation=consultation,
        )

    async def _chat(self, s: AsyncSession, contact_id: str) -> list[m.ChatMessage]:
        rows = await hubstore.chat_history(s, contact_id)
        files = await hubstore.attachments_by_ids(
            s, [r.attachment_id for r in rows if r.attachment_id]
        )
        names = await hubstore.staff_names(s, [r.staff_id for r in rows if r.staff_id])
        return [_chat_msg(r, files, names) for r in rows]

    def _today(self) -> Any:
        return local_date(self.clock, self.tz)

    # ------------------------------------------------------------------ staff side

    async def staff_hello(self, peer: Peer, token: str) -> StaffConn:
        async with self.db.transaction() as s:
            sess = await hubstore.get_session(s, token)
            now = self.clock.now()
            if (
                sess is None
                or sess.kind != "staff"
                or sess.staff_id is None
                or (now >= sess.expires_at or now - sess.last_seen_at > self.config.staff_idle)
            ):
                raise HubError("unauthorized", "session unknown or expired: log in again")
            await hubstore.touch_session(s, token, now)
            member = await staff_repo.by_id(s, sess.staff_id)
            if member is None or not member.active:
                raise HubError("unauthorized", "account disabled")
            info = _staff_info(member)
        sid = str(info.id)
        self._staff_info[sid] = info
        old = self.staff_conns.get(sid)
        conn = StaffConn(peer, int(sid), info, token)
        self.staff_conns[sid] = conn
        self._cancel_grace(sid)
        if old is not None and old.peer is not peer:
            await old.peer.close("signed in elsewhere")
        state = "offline"
        state_until = None
        held: list[m.ContactView] = []
        if info.role in STAFF_ROLES_IN_ENGINE:
            known = {st.id for st in self.engine.staff()}
            if sid not in known:
                await self._run(
                    lambda: self.engine.register_staff(
                        sid,
                        STAFF_ROLES_IN_ENGINE[info.role],
                        specialty=info.specialty,
                        duty=info.on_duty,
                    )
                )
            st = self.engine.get_staff(sid)
            state = st.state.value
            state_until = _state_until(st)
            if st.contact_id and st.state in (StaffState.BUSY, StaffState.WRAP_UP):
                async with self.db.transaction() as s:
                    row = await hubstore.get_contact(s, st.contact_id)
                if row is not None:
                    held.append(await self.contact_view(row))
        await peer.send(m.Welcome(staff=info, state=state, state_until=state_until, contacts=held))
        conn.welcomed = True
        for view in held:
            # The patient came back first (a hub restart, a console's blip) and offered on
            # a leg this console never heard of: it waits for an offer that is not sent
            # again, so the call resumes on a new leg (as when the patient comes back).
            leg = self._unheard.pop(view.id, None)
            if (
                leg is not None
                and leg == self._legs.get(view.id)
                and view.id in self._by_contact
                and self.engine.get_contact(view.id).state
                in (ContactState.CONNECTED, ContactState.WITH_DOCTOR)
            ):
                await self._new_leg(view.id)
        if state == "ringing":
            st = self.engine.get_staff(sid)
            c = self.engine.get_contact(st.contact_id or "")
            async with self.db.transaction() as s:
                row = await hubstore.get_contact(s, c.id)
            if row and c.offer:
                view = await self.contact_view(row, full=False)
                await peer.send(m.OfferMsg(contact=view, expires_at=c.offer.expires_at))
        self._queues_dirty.set()
        self._board_dirty.set()  # online now
        return conn

    async def staff_gone(self, conn: StaffConn) -> None:
        sid = str(conn.staff_id)
        if self.staff_conns.get(sid) is not conn:
            return
        del self.staff_conns[sid]
        if self._watchers.get(sid) is conn:
            del self._watchers[sid]
        self._board_dirty.set()  # offline now
        if not self._closing:
            self._spawn(self._touch_quietly(conn.token))  # the session was in use until now
        if self._closing or conn.info.role not in STAFF_ROLES_IN_ENGINE:
            return
        try:
            st = self.engine.get_staff(sid)
        except QueueError:
            return
        if st.state is not StaffState.OFFLINE:
            self._start_grace(sid)

    def _require_engine_staff(self, conn: StaffConn) -> str:
        if conn.info.role not in STAFF_ROLES_IN_ENGINE:
            raise HubError("forbidden", f"a {conn.info.role} does not take contacts")
        return str(conn.staff_id)

    def _require_holder(self, conn: StaffConn, contact_id: str) -> Contact:
        sid = self._require_engine_staff(conn)
        try:
            c = self.engine.get_contact(contact_id)
        except QueueError as exc:
            raise HubError("not_found", f"no open contact {contact_id}") from exc
        if c.holder != sid:
            raise HubError("forbidden", "you do not hold this contact")
        return c

    async def staff_command(self, conn: StaffConn, cmd: Any) -> BaseModel | None:
        """Run one staff command; returns the direct reply (``ack`` unless said otherwise)."""
        return await self._dispatch("_staff_", conn, cmd)

    async def _staff_set_state(self, conn: StaffConn, cmd: m.SetState) -> None:
        sid = self._require_engine_staff(conn)
        if cmd.state == "available":
            await self._run(lambda: self.engine.set_available(sid))
        elif cmd.state == "break":
            await self._run(lambda: self.engine.set_break(sid, cmd.reason or "break"))
        else:
            await self._run(lambda: self.engine.set_offline(sid))

    async def _staff_accept(self, conn: StaffConn, cmd: m.Accept) -> None:
        sid = self._require_engine_staff(conn)
        await self._run(lambda: self.engine.accept(cmd.contact_id, sid))

    async def _staff_reject(self, conn: StaffConn, cmd: m.Reject) -> None:
        sid = self._require_engine_staff(conn)
        await self._run(lambda: self.engine.reject(cmd.contact_id, sid))

    async def _staff_transfer(self, conn: StaffConn, cmd: m.Transfer) -> None:
        c = self._require_holder(conn, cmd.contact_id)
        if conn.info.role != "operator":
            raise HubError("forbidden", "only a medconsultant transfers")
        async with self.db.transaction() as s:
            row = await hubstore.get_contact(s, c.id)
            if row is None or row.person_id is None:
                raise HubError("conflict", "identify the insured before the transfer")
            missing = consent_rules.missing_consents(await consents.get_consents(s, row.person_id))
            recs = await registry.load_records(s, [row.person_id])
        if missing:
            names = ", ".join(k.value for k in missing)
            raise HubError("conflict", f"consents not confirmed yet: {names}")
        if recs and describe(recs[0], self._today()).policy_status is not PolicyStatus.VALID:
            raise HubError("conflict", "the policy is not valid today: services cannot be given")
        sid = str(conn.staff_id)
        await self.booking.before_transfer(c.id)  # documents first (003)
        await self._run(lambda: self.engine.transfer(c.id, sid, cmd.to))

    async def _staff_end(self, conn: StaffConn, cmd: m.EndContact) -> None:
        c = self._require_holder(conn, cmd.contact_id)
        sid = str(conn.staff_id)
        if c.state is ContactState.WITH_DOCTOR:
            await self._require_conclusion(conn, c)
            await self._run(lambda: self.engine.hand_back(c.id, sid))
        else:
            await self._run(lambda: self.engine.end(c.id, sid, Outcome.COMPLETED))

    async def _staff_wrapup_done(self, conn: StaffConn, cmd: m.WrapUpDone) -> None:
        sid = self._require_engine_staff(conn)
        st = self.engine.get_staff(sid)
        if st.state is not StaffState.WRAP_UP or st.contact_id != cmd.contact_id:
            raise HubError("conflict", "not wrapping up this contact")

        async def write(s: AsyncSession) -> None:
            await hubstore.update_contact(
                s, cmd.contact_id, comment=cmd.comment, outcome=cmd.outcome
            )

        await self._run(lambda: self.engine.finish_wrapup(sid), _Pending(writes=[write]))

    async def _staff_chat(self, conn: StaffConn, cmd: m.StaffChat) -> None:
        c = self._require_holder(conn, cmd.contact_id)
        await self._post_chat(
            c.id, "staff", cmd.text, cmd.attachment_id, staff=conn, owner=f"staff:{conn.staff_id}"
        )

    async def _staff_signal(self, conn: StaffConn, cmd: m.StaffSignal) -> None:
        c = self._require_holder(conn, cmd.contact_id)
        if self._legs.get(c.id) != cmd.signal.leg:
            raise HubError("conflict", "that leg is closed", "signal.leg")
        await self._to_patient_of(c.id, m.SignalMsg(contact_id=c.id, signal=cmd.signal))

    async def _staff_raise_call(self, conn: StaffConn, cmd: m.RaiseCall) -> None:
        c = self._require_holder(conn, cmd.contact_id)
        await self._to_patient_of(c.id, m.CallRequest(contact_id=c.id, media=cmd.media))
        self._call_requests[c.id] = cmd.media

    async def _staff_hold(self, conn: StaffConn, cmd: m.Hold) -> None:
        """Hold on or off: the patient is told (now, or when they reconnect)."""
        c = self._require_holder(conn, cmd.contact_id)
        if c.state not in (ContactState.CONNECTED, ContactState.WITH_DOCTOR):
            raise HubError("conflict", "only a connected contact can be put on hold")
        if cmd.on:
            self._holds.add(c.id)
        else:
            self._holds.discard(c.id)
        log.info("contact %s hold %s by staff %s", c.id, "on" if cmd.on else "off", c.holder)
        await self._to_patient_of(c.id, m.HoldMsg(contact_id=c.id, on=cmd.on))
        async with self.db.transaction() as s:
            row = await hubstore.get_contact(s, c.id)
        if row is not None:
            await conn.peer.send(m.ContactUpdate(contact=await self.contact_view(row)))

    async def _staff_register_phone(self, conn: StaffConn, cmd: m.RegisterPhone) -> None:
        """Add the caller's phone to a person found on this contact by policy or by name."""
        c = self._require_holder(conn, cmd.contact_id)
        async with self.db.transaction() as s:
            row = await hubstore.get_contact(s, c.id)
            assert row is not None
            phone = row.caller_phone
            if not phone:
                raise HubError("conflict", "the contact has no caller phone to register")
            recs = await registry.load_records(s, [cmd.person_id])
            if not recs:
                raise HubError("not_found", "no such insured person", "person_id")
            if phone in {p.e164 for p in recs[0].phones}:
                raise HubError(
                    "conflict", "the caller's phone is already registered for this person"
                )
            if cmd.person_id not in self._identified.get(c.id, ()):
                raise HubError(
                    "conflict",
                    "identify the person on this contact by policy number, "
                    "or by full name and birth date, before registering the phone",
                    "person_id",
                )
            # The caller's phone is the one they signed in with by an SMS code: verified.
            added = await registry.add_new_phone(
                s, cmd.person_id, phone, verified=True, now=self.clock.now()
            )
            if not added:  # another console registered it a moment ago
                raise HubError(
                    "conflict", "the caller's phone is already registered for this person"
                )
            await audit.record(
                s,
                at=self.clock.now(),
                actor=conn.info.login,
                action="registry.phone_add",
                person_ids=[cmd.person_id],
                contact_id=c.id,
            )
        log.info("contact %s: caller phone registered for person %s", c.id, cmd.person_id)
        self._cards.pop(c.id, None)  # an offer of it would show the phones
        await conn.peer.send(m.ContactUpdate(contact=await self.contact_view(row)))

    async def _staff_identify(self, conn: StaffConn, cmd: m.Identify) -> BaseModel:
        c = self._require_holder(conn, cmd.contact_id)
        async with self.db.transaction() as s:
            row = await hubstore.get_contact(s, c.id)
        assert row is not None
        return await self._identify(conn, row, cmd)

    async def _identify(self, conn: StaffConn, row: ContactRow, cmd: m.Identify) -> BaseModel:
        today = self._today()
        found: list[Identified]
        async with self.db.transaction() as s:
            if cmd.policy_number:
                rec = await registry.find_by_policy(s, cmd.policy_number)
                found = [describe(rec, today)] if rec else []
                how = "policy"
            elif cmd.full_name:
                if cmd.birth_date is None:
                    raise HubError("bad_message", "a name needs the birth date", "birth_date")
                try:
                    surname, name, patronymic = split_full_name(cmd.full_name)
                except ValueError as exc:
                    raise HubError("bad_message", str(exc), "full_name") from exc
                recs = await registry.find_by_name(
                    s, surname, name, patronymic or None, cmd.birth_date
                )
                found = [describe(r, today) for r in recs]
                how = "name"
            else:
                raw = cmd.phone or row.caller_phone
                if not raw:
                    raise HubError("bad_message", "no phone to look up", "phone")
                try:
                    e164 = normalize_phone(raw)
                except PhoneError as exc:
                    raise HubError("bad_message", str(exc), "phone") from exc
                owners, represented = await registry.find_by_phone(s, e164)
                found = matches_for_phone(owners, represented, today)
                how = "phone"
            await audit.record(
                s,
                at=self.clock.now(),
                actor=conn.info.login,
                action="registry.find",
                person_ids=[f.record.person.id for f in found] or None,
                contact_id=row.id,
                detail={"by": how, "matches": len(found)},
            )
        if how != "phone" and found:
            self._identified.setdefault(row.id, set()).update(f.record.person.id for f in found)
        needs_additional = bool(
            row.caller_phone
            and how != "phone"
            and found
            and all(row.caller_phone not in {p.e164 for p in f.record.phones} for f in found)
        )
        return m.IdentifyResult(
            ref=cmd.ref,
            contact_id=row.id,
            matches=[_card(f) for f in found],
            needs_additional=needs_additional,
        )

    async def _staff_select_person(self, conn: StaffConn, cmd: m.SelectPerson) -> None:
        c = self._require_holder(conn, cmd.contact_id)
        async with self.db.transaction() as s:
            recs = await registry.load_records(s, [cmd.person_id])
            if not recs:
                raise HubError("not_found", "no such insured person", "person_id")
            await hubstore.update_contact(s, c.id, person_id=cmd.person_id)
            await audit.record(
                s,
                at=self.clock.now(),
                actor=conn.info.login,
                action="contact.person",
                person_ids=[cmd.person_id],
                contact_id=c.id,
            )
            row = await hubstore.get_contact(s, c.id)
        assert row is not None
        self._cards.pop(c.id, None)  # the person changed
        self._names[c.id] = _person_short_name(recs[0].person)
        await conn.peer.send(m.ContactUpdate(contact=await self.contact_view(row)))

    async def _staff_send_consent(self, conn: StaffConn, cmd: m.SendConsent) -> None:
        c = self._require_holder(conn, cmd.contact_id)
        kind = ConsentKind(cmd.kind)
        version = consent_rules.CURRENT_TEXT_VERSIONS[kind]
        now = self.clock.now()
        async with self.db.transaction() as s:
            row = await hubstore.get_contact(s, c.id)
            if row is None or row.person_id is None:
                raise HubError("conflict", "identify the insured before sending a consent")
            current = (await consents.get_consents(s, row.person_id))[kind]
            try:
                sent = consent_rules.send(current, now, version)
            except consent_rules.ConsentError as exc:
                raise HubError("conflict", str(exc)) from exc
            await consents.save_consent(s, row.person_id, sent)
            await audit.record(
                s,
                at=now,
                actor=conn.info.login,
                action="consent.send",
                person_ids=[row.person_id],
                contact_id=c.id,
                detail={"kind": kind.value, "version": version},
            )
        await self._to_patient_of(
            c.id,
            m.ConsentRequest(
                kind=cmd.kind, text_version=version, text=consent_rules.consent_text(kind)
            ),
        )
        await conn.peer.send(m.ContactUpdate(contact=await self.contact_view(row)))

    async def _staff_set_reason(self, conn: StaffConn, cmd: m.SetReason) -> None:
        c = self._require_holder(conn, cmd.contact_id)
        async with self.db.transaction() as s:
            await hubstore.update_contact(s, c.id, reason=cmd.reason)

    # ------------------------------------------------------------------ the supervisor

    def _require_supervisor(self, conn: StaffConn) -> str:
        if conn.info.role != "supervisor":
            raise HubError("forbidden", "only a supervisor may do that")
        return conn.info.login

    async def _staff_watch_wallboard(self, conn: StaffConn, cmd: m.WatchWallboard) -> None:
        """On: a wallboard at once (before the ack), then with the others' (see the loop);
        just after a start, the first one once the day's numbers are loaded."""
        self._require_supervisor(conn)
        sid = str(conn.staff_id)
        if not cmd.on:
            if self._watchers.get(sid) is conn:
                del self._watchers[sid]
            return
        self._watchers[sid] = conn
        if self._live is not None:
            await conn.peer.send(self._wallboard_msg())

    async def _staff_get_report(self, conn: StaffConn, cmd: m.GetReport) -> BaseModel:
        """The day in intervals: today's from memory, another day's from the store."""
        self._require_supervisor(conn)
        now = self.clock.now()
        if self._live is not None and cmd.day == local_date(self.clock, self.tz):
            rows = self._live.report(now)
        else:
            since, until = day_bounds(cmd.day, self.tz)
            async with self.db.transaction() as s:
                stored = await stats_store.load_events(s, since, until)
            rows = await asyncio.to_thread(
                lambda: stats_report(
                    stats_store.build_visits(stored),
                    cmd.day,
                    tz=self.tz,
                    now=now,
                    config=self.stats_config,
                )
            )
        return m.ReportMsg(
            ref=cmd.ref,
            day=cmd.day,
            rows=[
                m.ReportRow(start=r.start, end=r.end, queue=r.queue, figures=_figures(r))
                for r in rows
            ],
            csv=stats_report_csv(rows),
        )

    def _engine_staff(self, staff_id: str) -> Staff:
        try:
            return self.engine.get_staff(staff_id)
        except QueueError:
            raise HubError(
                "not_found", f"no staff member {staff_id} who takes contacts", "staff_id"
            ) from None

    async def _staff_move_contact(self, conn: StaffConn, cmd: m.MoveContact) -> None:
        """Give a waiting contact to a named staff member: offered to them next. Audited."""
        actor = self._require_supervisor(conn)
        try:
            c = self.engine.get_contact(cmd.contact_id)
        except QueueError:
            raise HubError("not_found", f"no open contact {cmd.contact_id}", "contact_id") from None
        if not c.in_queue:
            raise HubError(
                "conflict", f"contact {c.id} is not waiting (it is {c.state.value})", "contact_id"
            )
        sid = cmd.staff_id
        st = self._engine_staff(sid)
        who = self._staff_info.get(sid)
        name = who.login if who else sid
        if sid not in self.staff_conns or st.state is StaffState.OFFLINE:
            raise HubError("conflict", f"{name} is not online", "staff_id")
        if c.queue not in st.queues:
            raise HubError("conflict", f"{name} does not serve the queue {c.queue}", "staff_id")
        if st.state in (StaffState.BREAK, StaffState.NOT_RESPONDING):
            raise HubError(
                "conflict", f"{name} is {st.state.value}: they take no contacts now", "staff_id"
            )
        now = self.clock.now()

        async def write(s: AsyncSession) -> None:
            await audit.record(
                s,
                at=now,
                actor=actor,
                action="supervisor.move_contact",
                contact_id=c.id,
                detail={"staff_id": sid, "queue": c.queue},
            )

        await self._run(lambda: self.engine.pin(c.id, sid), _Pending(writes=[write]))
        log.info("supervisor %s moved contact %s to staff %s", conn.staff_id, c.id, sid)

    async def _staff_force_offline(self, conn: StaffConn, cmd: m.ForceOffline) -> None:
        """Set a staff member offline as if their console were lost: a held contact goes
        back to the head of its queue, a ringing offer to the next, a wrap-up ends. Audited."""
        actor = self._require_supervisor(conn)
        sid = cmd.staff_id
        st = self._engine_staff(sid)
        if st.state is StaffState.OFFLINE:
            who = self._staff_info.get(sid)
            name = who.login if who else sid
            raise HubError("conflict", f"{name} is offline already", "staff_id")
        now = self.clock.now()
        held = st.contact_id
        was = st.state.value

        async def write(s: AsyncSession) -> None:
            await audit.record(
                s,
                at=now,
                actor=actor,
                action="supervisor.force_offline",
                contact_id=held,
                detail={"staff_id": sid, "state": was},
            )

        self._cancel_grace(sid)
        await self._run(lambda: self.engine.staff_lost(sid), _Pending(writes=[write]))
        log.info("supervisor %s set staff %s offline (was %s)", conn.staff_id, sid, was)

    def _wallboard_msg(self) -> m.WallboardMsg:
        """The wallboard as of now: numbers from the day's visits, the staff from the engine."""
        now = self.clock.now()
        rows = self._live.wallboard(now) if self._live is not None else {}
        handled = self._live.handled_today(now) if self._live is not None else {}
        free: dict[str, int] = {}
        board: list[m.StaffBoardRow] = []
        for st in self.engine.staff():
            if st.state is StaffState.AVAILABLE:
                for group in {queue_group(q) for q in st.queues}:
                    free[group] = free.get(group, 0) + 1
            info = self._staff_info.get(st.id)
            if info is None:
                continue
            contact_id = channel = None
            if st.state in (StaffState.RINGING, StaffState.BUSY, StaffState.WRAP_UP):
                contact_id = st.contact_id
                with contextlib.suppress(QueueError):
                    channel = _channel(self.engine.get_contact(contact_id or "").channel)
            board.append(
                m.StaffBoardRow(
                    staff=info,
                    state=st.state.value,
                    reason=st.break_reason or "",
                    since=st.state_since,
                    online=st.id in self.staff_conns,
                    contact_id=contact_id,
                    channel=channel,
                    handled_today=handled.get(st.id, 0),
                )
            )
        queues = [
            m.QueueBoard(
                queue=row.queue,
                waiting=row.waiting,
                longest_wait_s=(
                    row.longest_wait.total_seconds() if row.longest_wait is not None else None
                ),
                free_staff=free.get(row.queue, 0),
                today=_figures(row.today),
                recent=_figures(row.recent),
            )
            for row in rows.values()
        ]
        return m.WallboardMsg(
            at=now,
            target_s=self.stats_config.target.total_seconds(),
            goal=self.stats_config.goal,
            queues=queues,
            staff=board,
        )

    async def _wallboard_loop(self) -> None:
        """One wallboard for every watching supervisor (computed and serialised once), at
        most every ``wallboard_every`` while anything changes, every ``wallboard_idle_every``
        when nothing does."""
        while not self._closing:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.config.wallboard_idle_every):
                    await self._board_dirty.wait()
            self._board_dirty.clear()
            try:
                await self._broadcast_wallboard()
            except Exception:
                log.exception("wallboard broadcast failed")
            await asyncio.sleep(self.config.wallboard_every)

    async def _broadcast_wallboard(self) -> None:
        watchers = [c for sid, c in self._watchers.items() if self.staff_conns.get(sid) is c]
        if not watchers or self._live is None:  # no zeros while the day's numbers load
            return
        text = m.dump(self._wallboard_msg())
        for n, conn in enumerate(watchers, 1):
            await conn.peer.send_text(text)
            if n % 20 == 0:
                await asyncio.sleep(0)

    # ------------------------------------------------------------------ the doctor's conclusion

    def _consultation_limit(self, kind: str) -> timedelta:
        """How long a doctor's consultation may take: 15 minutes by appointment, else 30 (003)."""
        if kind == Kind.APPOINTMENT.value:
            return self.config.appointment_limit
        return self.config.urgent_limit

    async def _representative(
        self, s: AsyncSession, caller_phone: str | None, person_id: int
    ) -> tuple[str | None, str | None]:
        """Who represents the person: the one calling from their own phone, else the first
        on record; (full name, phone in national format), or Nones."""
        recs = await registry.load_records(s, [person_id])
        if not recs or not recs[0].represented_by:
            return None, None
        reps = await registry.load_records(s, list(recs[0].represented_by))
        calling = [r for r in reps if caller_phone in {p.e164 for p in r.phones}]
        if not reps:
            return None, None
        rep = (calling or reps)[0]
        phone = caller_phone if calling else (rep.phones[0].e164 if rep.phones else None)
        return rep.person.full_name, format_national(phone) if phone else None

    async def _consultation(self, s: AsyncSession, row: ContactRow) -> m.ConsultationView | None:
        """What the doctor holding the contact sees beyond it (None while no doctor holds it):
        the representative, the medical card's documents, the limit, the conclusion.
        Reading the medical card is audited."""
        try:
            c = self.engine.get_contact(row.id)
        except QueueError:
            return None
        doctor = self._staff_info.get(c.holder or "")
        if doctor is None or doctor.role != "doctor":
            return None
        representative = rep_phone = None
        documents: list[m.CardDocument] = []
        if row.person_id is not None:
            representative, rep_phone = await self._representative(
                s, row.caller_phone, row.person_id
            )
            documents = [
                m.CardDocument(
                    kind="file",
                    name=f.name,
                    mime=f.mime,
                    at=f.at,
                    url=f"/api/attachments/{f.attachment_id}",
                    contact_id=f.contact_id,
                )
                for f in await conclusions.card_files(s, row.person_id)
            ] + [
                m.CardDocument(
                    kind="conclusion",
                    name=x.doctor_name,
                    mime="application/pdf",
                    at=x.signed_at,
                    url=_conclusion_url(x.id),
                    contact_id=x.contact_id,
                )
                for x in await conclusions.of_person(s, row.person_id)
                if x.contact_id != row.id
            ]
            documents.sort(key=lambda d: d.at, reverse=True)
            await audit.record(
                s,
                at=self.clock.now(),
                actor=doctor.login,
                action="medical_card.read",
                person_ids=[row.person_id],
                contact_id=row.id,
                detail={"documents": len(documents)},
            )
        latest = await conclusions.latest(s, row.id)
        by = self._staff_info.get(c.transferred_by or "")
        return m.ConsultationView(
            started_at=c.connected_at,
            limit_s=int(self._consultation_limit(row.kind).total_seconds()),
            representative=representative,
            representative_phone=rep_phone,
            transferred_by=(by.full_name or by.login) if by is not None else None,
            documents=documents,
            conclusion=_conclusion_view(latest) if latest is not None else None,
        )

    async def _require_conclusion(self, conn: StaffConn, c: Contact) -> None:
        """A consultation ends with its conclusion signed by this doctor during it, or with
        their signed word that there is none (not enough information, 004)."""
        async with self.db.transaction() as s:
            last = await conclusions.latest(s, c.id)
        if (
            last is None
            or last.doctor_id != conn.staff_id
            or (c.connected_at is not None and last.signed_at < c.connected_at)
        ):
            raise HubError(
                "conflict",
                "sign the conclusion before ending, or sign that there is none",
                "contact_id",
            )

    async def _staff_save_conclusion(self, conn: StaffConn, cmd: m.SaveConclusion) -> None:
        """The doctor holding the contact signs its conclusion (their name, the time); the
        patient is sent the PDF's link. A second save signs the next version. Audited."""
        c = self._require_holder(conn, cmd.contact_id)
        if conn.info.role != "doctor":
            raise HubError("forbidden", "only the doctor writes the conclusion")
        if c.state not in (ContactState.WITH_DOCTOR, ContactState.WRAP_UP):
            raise HubError("conflict", "the consultation has not started")
        texts = {
            "complaints": cmd.complaints.strip(),
            "history": cmd.history.strip(),
            "recommendations": cmd.recommendations.strip(),
        }
        if not cmd.no_conclusion:
            for name in ("complaints", "recommendations"):
                if not texts[name]:
                    raise HubError(
                        "bad_message",
                        "write the complaints and the recommendations, "
                        "or sign that there is no conclusion",
                        name,
                    )
        now = self.clock.now()
        async with self.db.transaction() as s:
            row = await hubstore.get_contact(s, c.id)
            if row is None or row.person_id is None:
                raise HubError("conflict", "identify the insured before the transfer")
            signed = await conclusions.sign(
                s,
                contact_id=c.id,
                person_id=row.person_id,
                doctor_id=conn.staff_id,
                doctor_name=conn.info.full_name or conn.info.login,
                doctor_specialty=conn.info.specialty,
                signed_at=now,
                started_at=c.connected_at,
                in_person_visit=cmd.in_person_visit,
                no_conclusion=cmd.no_conclusion,
                **texts,
            )
            await audit.record(
                s,
                at=now,
                actor=conn.info.login,
                action="conclusion.sign",
                person_ids=[row.person_id],
                contact_id=c.id,
                detail={"conclusion_id": signed.id, "version": signed.version},
            )
        log.info(
            "contact %s: conclusion %s version %d signed by staff %s",
            c.id,
            signed.id,
            signed.version,
            conn.staff_id,
        )
        await self._to_patient_of(
            c.id,
            m.ConclusionReady(
                contact_id=c.id, url=_conclusion_url(signed.id), signed_at=signed.signed_at
            ),
        )
        await conn.peer.send(m.ContactUpdate(contact=await self.contact_view(row)))

    async def _conclusions_to(self, conn: PatientConn) -> None:
        """After a welcome: the phone's signed conclusions (the latest 20), oldest first."""
        async with self.db.transaction() as s:
            found = await conclusions.of_phone(s, conn.phone)
        for x in reversed(found[:20]):
            await conn.peer.send(
                m.ConclusionReady(
                    contact_id=x.contact_id, url=_conclusion_url(x.id), signed_at=x.signed_at
                )
            )

    async def conclusion_pdf(self, owner: str, conclusion_id: int) -> bytes | None:
        """The PDF of a signed conclusion for ``owner`` (``staff:<id>``, any staff member, or
        ``patient:<E.164>``, the phone its contact was made from); None when there is no
        such conclusion or it is not theirs. Each reading is audited."""
        now = self.clock.now()
        async with self.db.transaction() as s:
            x = await conclusions.get(s, conclusion_id)
            if x is None:
                return None
            if owner.startswith("patient:"):
                if await conclusions.caller_phone(s, x.id) != owner.removeprefix("patient:"):
                    return None
                actor = f"patient:{x.person_id}"
            else:
                who = self._staff_info.get(owner.removeprefix("staff:"))
                actor = who.login if who is not None else owner
            row = await hubstore.get_contact(s, x.contact_id)
            recs = await registry.load_records(s, [x.person_id])
            if row is None or not recs:
                return None
            representative, rep_phone = await self._representative(s, row.caller_phone, x.person_id)
            await audit.record(
                s,
                at=now,
                actor=actor,
                action="conclusion.read",
                person_ids=[x.person_id],
                contact_id=x.contact_id,
                detail={"conclusion_id": x.id, "version": x.version},
            )
        seen = describe(recs[0], x.signed_at.astimezone(self.tz).date())
        from console.hub import conclusion_pdf  # fpdf2 loads in ~0.5 s: not on the hub's start

        doc = conclusion_pdf.ConclusionDocument(
            number=x.id,
            version=x.version,
            patient_name=recs[0].person.full_name,
            birth_date=recs[0].person.birth_date,
            age=seen.age,
            policy_number=seen.policy.number if seen.policy else None,
            representative=(
                ", ".join(p for p in (representative, rep_phone) if p) if representative else None
            ),
            kind=row.kind,
            channel=row.channel,
            started_at=x.started_at,
            doctor_name=x.doctor_name,
            doctor_specialty=x.doctor_specialty,
            signed_at=x.signed_at,
            complaints=x.complaints,
            history=x.history,
            recommendations=x.recommendations,
            in_person_visit=x.in_person_visit,
            no_conclusion=x.no_conclusion,
        )
        return await asyncio.to_thread(conclusion_pdf.render, doc, self.tz)

    # ------------------------------------------------------------------ patient side

    async def patient_hello(self, peer: Peer, token: str) -> PatientConn:
        now = self.clock.now()
        async with self.db.transaction() as s:
            sess = await hubstore.get_session(s, token)
            if (
                sess is None
                or sess.kind != "patient"
                or not sess.phone
                or (now >= sess.expires_at or now - sess.last_seen_at > self.config.patient_idle)
            ):
                raise HubError("unauthorized", "session unknown or expired: log in again")
            await hubstore.touch_session(s, token, now)
            phone = sess.phone
            owners, represented = await registry.find_by_phone(s, phone)
            persons = [_card(f) for f in matches_for_phone(owners, represented, self._today())]
            row = await hubstore.open_contact_of_phone(s, phone)
            chat = await self._chat(s, row.id) if row else []
            pending_consents: list[ConsentKind] = []
            if row and row.person_id is not None:
                cs = await consents.get_consents(s, row.person_id)
                pending_consents = [k for k, v in cs.items() if v.state is ConsentState.SENT]
        old = self.patients.get(phone)
        conn = PatientConn(peer, phone, token=token)
        if old is not None:
            self._bind(old, None)
        self.patients[phone] = conn
        self._bind(conn, row.id if row else None)
        if old is not None and old.peer is not peer:
            await old.peer.close("signed in elsewhere")
        await peer.send(
            m.PatientWelcome(
                phone=format_national(phone),
                persons=persons,
                contact_id=row.id if row else None,
                chat=chat,
            )
        )
        await self._conclusions_to(conn)
        await self.booking.patient_welcomed(conn)  # their appointments, if any
        if row is not None:
            await self._patient_back(conn, row)
            for kind in pending_consents:
                await peer.send(
                    m.ConsentRequest(
                        kind=kind.value,
                        text_version=consent_rules.CURRENT_TEXT_VERSIONS[kind],
                        text=consent_rules.consent_text(kind),
                    )
                )
        return conn

    async def _patient_back(self, conn: PatientConn, row: ContactRow) -> None:
        """A patient with an open contact is (re)connected: resume the queue or the call."""
        try:
            c = self.engine.get_contact(row.id)
        except QueueError:
            self._bind(conn, None)
            return
        if c.patient_lost_at is not None:
            await self._run(lambda: self.engine.patient_reconnected(row.id))
        if c.holder and c.state in (ContactState.CONNECTED, ContactState.WITH_DOCTOR):
            await self._new_leg(row.id)
            if row.id in self._holds:
                await conn.peer.send(m.HoldMsg(contact_id=row.id, on=True))
        else:
            await conn.peer.send(self._status_of(row.id))

    async def _new_leg(self, contact_id: str, media: str | None = None) -> None:
        """Open a fresh leg to the holder (after a reconnect, or a call raised from chat)."""
        c = self.engine.get_contact(contact_id)
        leg = _new_id("L")
        async with self.db.transaction() as s:
            await hubstore.update_contact(s, contact_id, leg=leg)
            row = await hubstore.get_contact(s, contact_id)
        self._legs[contact_id] = leg
        assert row is not None
        info = self._staff_info.get(c.holder or "")
        media = media or {"audio": "audio", "video": "video"}.get(row.channel, "none")
        await self._to_staff(c.holder, m.ContactUpdate(contact=await self.contact_view(row)))
        await self._to_patient_of(
            contact_id,
            m.LegOpen(
                contact_id=contact_id,
                leg=leg,
                media=media,
                staff_role="doctor" if info and info.role == "doctor" else "operator",
                staff_name=info.full_name if info else "",
            ),
        )

    async def patient_gone(self, conn: PatientConn) -> None:
        if self.patients.get(conn.phone) is not conn:
            return
        del self.patients[conn.phone]
        contact_id = conn.contact_id
        self._bind(conn, None)
        try:
            if self._closing or not contact_id:
                return
            try:
                c = self.engine.get_contact(contact_id)
            except QueueError:
                return
            if c.patient_lost_at is None and (c.in_queue or c.holder):
                with contextlib.suppress(HubError):
                    await self._run(lambda: self.engine.patient_lost(contact_id))
        finally:
            if not self._closing:
                self._spawn(self._touch_quietly(conn.token))

    def _patient_contact(self, conn: PatientConn) -> str:
        if not conn.contact_id:
            raise HubError("conflict", "no open consultation: start one first")
        return conn.contact_id

    async def patient_command(self, conn: PatientConn, cmd: Any) -> BaseModel | None:
        return await self._dispatch("_patient_", conn, cmd)

    async def _dispatch(self, prefix: str, conn: Any, cmd: Any) -> BaseModel | None:
        """``ping`` and a second ``hello`` alike on both sockets; the rest by name."""
        if cmd.type == "ping":
            return m.Pong(ref=cmd.ref)
        if cmd.type == "hello":
            raise HubError("bad_message", "already signed in", "type")
        handler = getattr(self, f"{prefix}{cmd.type}", None)
        if handler is None:
            raise HubError("bad_message", f"{cmd.type} is not a command here", "type")
        reply = await handler(conn, cmd)
        if reply is None and cmd.ref is not None:  # an ack nobody can match is noise
            reply = m.Ack(ref=cmd.ref)
        return reply

    async def _patient_start(self, conn: PatientConn, cmd: m.Start) -> BaseModel:
        if conn.contact_id:
            raise HubError("conflict", "a consultation is already open")
        now = self.clock.now()
        person_id = cmd.person_id
        async with self.db.transaction() as s:
            owners, represented = await registry.find_by_phone(s, conn.phone)
        allowed = {r.person.id for r in (*owners, *represented)}
        if person_id is not None and person_id not in allowed:
            raise HubError("forbidden", "that person is not reachable from this phone", "person_id")
        if person_id is None and len(allowed) == 1:
            person_id = next(iter(allowed))
        contact_id = _new_id("c")
        record = next((r for r in (*owners, *represented) if r.person.id == person_id), None)
        self._cards[contact_id] = m.ContactView(
            id=contact_id,
            channel=cmd.channel,
            kind="urgent",
            state="waiting",
            queue=OPERATORS,
            arrived_at=now,
            caller_phone=format_national(conn.phone),
            person=_card(describe(record, self._today())) if record else None,
        )
        self._names[contact_id] = _person_short_name(record.person) if record else None

        async def write(s: AsyncSession) -> None:
            await hubstore.add_contact(
                s,
                contact_id=contact_id,
                channel=cmd.channel,
                kind=Kind.URGENT.value,
                caller_phone=conn.phone,
                person_id=person_id,
                arrived_at=now,
            )

        self._bind(conn, contact_id)
        try:
            await self._run(
                lambda: self.engine.arrive(contact_id, Channel(cmd.channel), Kind.URGENT),
                _Pending(writes=[write]),
            )
        except Exception:
            self._bind(conn, None)
            self._cards.pop(contact_id, None)
            self._names.pop(contact_id, None)
            raise
        return self._status_of(contact_id).model_copy(update={"ref": cmd.ref})

    async def _patient_confirm_consent(self, conn: PatientConn, cmd: m.ConfirmConsent) -> None:
        contact_id = self._patient_contact(conn)
        kind = ConsentKind(cmd.kind)
        now = self.clock.now()
        async with self.db.transaction() as s:
            row = await hubstore.get_contact(s, contact_id)
            if row is None or row.person_id is None:
                raise HubError("conflict", "no consent was asked for")
            current = (await consents.get_consents(s, row.person_id))[kind]
            try:
                confirmed = consent_rules.confirm(current, now, cmd.text_version)
            except consent_rules.ConsentError as exc:
                raise HubError("conflict", str(exc), "text_version") from exc
            await consents.save_consent(s, row.person_id, confirmed)
            await audit.record(
                s,
                at=now,
                actor=f"patient:{row.person_id}",
                action="consent.confirm",
                person_ids=[row.person_id],
                contact_id=contact_id,
                detail={"kind": kind.value, "version": cmd.text_version},
            )
        c = self.engine.get_contact(contact_id)
        if c.holder:
            await self._to_staff(c.holder, m.ContactUpdate(contact=await self.contact_view(row)))

    async def _patient_chat(self, conn: PatientConn, cmd: m.PatientChat) -> None:
        contact_id = self._patient_contact(conn)
        await self._post_chat(
            contact_id, "patient", cmd.text, cmd.attachment_id, owner=f"patient:{conn.phone}"
        )

    async def _patient_signal(self, conn: PatientConn, cmd: m.PatientSignal) -> None:
        contact_id = self._patient_contact(conn)
        c = self.engine.get_contact(contact_id)
        if not c.holder or self._legs.get(contact_id) != cmd.signal.leg:
            raise HubError("conflict", "that leg is closed", "signal.leg")
        holder = self.staff_conns.get(c.holder)
        if holder is None or not holder.welcomed:  # a console reads nothing before its welcome
            self._unheard[contact_id] = cmd.signal.leg
            return
        await holder.peer.send(m.SignalMsg(contact_id=contact_id, signal=cmd.signal))

    async def _patient_call_answer(self, conn: PatientConn, cmd: m.CallAnswer) -> None:
        contact_id = self._patient_contact(conn)
        media = self._call_requests.pop(contact_id, None)
        if media is None:
            raise HubError("conflict", "no call was raised")
        c = self.engine.get_contact(contact_id)
        await self._to_staff(c.holder, m.CallAnswered(contact_id=contact_id, accept=cmd.accept))
        if cmd.accept:
            await self._new_leg(contact_id, media)

    async def _patient_hang_up(self, conn: PatientConn, cmd: m.HangUp) -> None:
        contact_id = self._patient_contact(conn)
        await self._run(lambda: self.engine.patient_left(contact_id))

    # ------------------------------------------------------------------ chat

    async def _post_chat(
        self,
        contact_id: str,
        author: str,
        text: str,
        attachment_id: str | None,
        *,
        owner: str,
        staff: StaffConn | None = None,
    ) -> None:
        text = text.strip()
        if not text and not attachment_id:
            raise HubError("bad_message", "an empty message", "text")
        async with self.db.transaction() as s:
            if attachment_id:
                att = await hubstore.get_attachment(s, attachment_id)
                if att is None or att.owner != owner:
                    raise HubError("not_found", "no such upload of yours", "attachment_id")
            row = await hubstore.add_chat(
                s,
                contact_id=contact_id,
                at=self.clock.now(),
                author=author,
                text=text,
                staff_id=staff.staff_id if staff else None,
                attachment_id=attachment_id,
            )
            files = await hubstore.attachments_by_ids(s, [attachment_id] if attachment_id else [])
        names = {staff.staff_id: staff.info.full_name or staff.info.login} if staff else {}
        msg = m.ChatMsg(message=_chat_msg(row, files, names))
        await self._to_patient_of(contact_id, msg)
        c = self.engine.get_contact(contact_id)
        await self._to_staff(c.holder, msg)


# ---------------------------------------------------------------------- helpers


def _channel(channel: Channel) -> Any:
    return "audio" if channel is Channel.PHONE else channel.value


def _staff_info(member: staff_repo.StaffMember) -> m.StaffInfo:
    return m.StaffInfo(
        id=str(member.id),
        login=member.login,
        full_name=member.full_name,
        role=member.role.value,
        specialty=member.specialty,
        on_duty=member.on_duty,
    )


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


def _figures(f: QueueFigures) -> m.Figures:
    """The wire form of a queue group's numbers over a window."""
    return m.Figures(
        offered=f.offered,
        answered=f.answered,
        answered_within_target=f.answered_within_target,
        abandoned=f.abandoned,
        abandoned_after_target=f.abandoned_after_target,
        timed_out=f.timed_out,
        short_abandoned=f.short_abandoned,
        transferred=f.transferred,
        cancelled=f.cancelled,
        waiting=f.waiting,
        handled=f.handled,
        service_level=f.service_level,
        abandoned_share=f.abandoned_share,
        asa_s=_seconds(f.asa),
        aht_s=_seconds(f.aht),
    )


def _state_until(st: Staff) -> datetime | None:
    """When a timed staff state ends: the wrap-up's deadline; None for the others."""
    return st.wrapup_until if st.state is StaffState.WRAP_UP else None


def _short_name(surname: str, name: str, patronymic: str) -> str:
    """The surname and initials ("Иванова М. П."), for lists every console sees."""
    initials = " ".join(f"{part[0].upper()}." for part in (name, patronymic) if part)
    return f"{surname} {initials}".strip()


def _person_short_name(p: Person) -> str:
    return _short_name(p.surname, p.name, p.patronymic)


def _card(f: Identified) -> m.PersonCard:
    p = f.record.person
    return m.PersonCard(
        person_id=p.id,
        surname=p.surname,
        name=p.name,
        patronymic=p.patronymic,
        birth_date=p.birth_date,
        age=f.age,
        route=f.route.value,
        warnings=list(f.warnings),
        policy_number=f.policy.number if f.policy else None,
        policy_status=f.policy_status.value if f.policy_status else None,
        relation=f.relation,
        phones=[format_national(ph.e164) for ph in f.record.phones],
    )


def _chat_msg(row: ChatMessageRow, files: dict[str, Any], names: dict[int, str]) -> m.ChatMessage:
    att = files.get(row.attachment_id or "")
    return m.ChatMessage(
        id=row.id,
        contact_id=row.contact_id,
        at=row.at,
        author=row.author,
        author_name=names.get(row.staff_id or 0, ""),
        text=row.text,
        attachment=m.Attachment(
            id=att.id, name=att.name, mime=att.mime, size=att.size, url=f"/api/attachments/{att.id}"
        )
        if att
        else None,
    )


def _conclusion_url(conclusion_id: int) -> str:
    return f"/api/conclusions/{conclusion_id}.pdf"


def _conclusion_view(x: conclusions.Conclusion) -> m.ConclusionView:
    return m.ConclusionView(
        id=x.id,
        contact_id=x.contact_id,
        version=x.version,
        complaints=x.complaints,
        history=x.history,
        recommendations=x.recommendations,
        in_person_visit=x.in_person_visit,
        no_conclusion=x.no_conclusion,
        doctor_name=x.doctor_name,
        doctor_specialty=x.doctor_specialty,
        signed_at=x.signed_at,
        url=_conclusion_url(x.id),
    )


def _event_row(e: Event) -> dict[str, Any]:
    data = event_to_dict(e)
    return {
        "at": e.at,
        "type": data["type"],
        "contact_id": data.get("contact_id"),
        "staff_id": data.get("staff_id"),
        "data": data,
    }

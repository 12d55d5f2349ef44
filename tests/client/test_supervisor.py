"""The supervisor on a real hub: the wallboard, the day's report, moving a contact,
setting a staff member offline; through the staff client, on a fake clock."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from aiohttp.test_utils import TestServer

from console.client import ConnectionEvent, HubCommandError, StaffClient
from console.clock import FakeClock
from console.hub.app import build
from console.hub.service import HubConfig
from console.protocol import messages as m
from console.stats import CSV_COLUMNS, report, report_csv
from console.store import audit
from console.store import stats as stats_store
from console.store.stats import day_visits
from tests.client.conftest import FAST_BACKOFF, PASSWORD, owner_phones, signed_in_patient

if TYPE_CHECKING:
    from console.stats import QueueFigures
    from tests.hub.clients import WsClient
    from tests.hub.conftest import HubUnderTest

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)  # 12:00 in Moscow
GROUPS = ["operators", "duty:therapist", "duty:pediatrician", "appointments"]


@pytest.fixture
def hub_clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def hub_config() -> HubConfig:
    return HubConfig(wallboard_every=0.05, wallboard_idle_every=0.5)


def queue(board: m.WallboardMsg | None, name: str = "operators") -> m.QueueBoard:
    assert board is not None
    return next(q for q in board.queues if q.queue == name)


def row(board: m.WallboardMsg | None, login: str) -> m.StaffBoardRow:
    assert board is not None
    return next(r for r in board.staff if r.staff.login == login)


async def fresh(sup: StaffClient) -> m.WallboardMsg:
    """The wallboard as of the hub's now: watching again sends one before the ack (just
    after a hub's start, once the day's numbers are loaded)."""
    board = sup.expect(m.WallboardMsg)
    await sup.watch_wallboard()
    return await asyncio.wait_for(board, 10)


async def arrive(h: HubUnderTest, phone: str) -> tuple[WsClient, str]:
    pat, _token, _welcome = await signed_in_patient(h, phone)
    status = await pat.call({"type": "start", "channel": "chat"})
    assert status["type"] == "queue_status", status
    return pat, status["contact_id"]


async def answer(op: StaffClient, cid: str) -> None:
    if op.offer is None or op.offer.contact.id != cid:
        await asyncio.wait_for(op.expect(m.OfferMsg, lambda o: o.contact.id == cid), 5)
    await op.accept(cid)


async def morning(h: HubUnderTest, clock: FakeClock, make_client, sup: StaffClient) -> dict:
    """Four contacts with known times (seconds after 12:00 Moscow), checked as they go:

    A arrives at 0, op1 answers at 30 (late), ends at 110, wraps up until 120: 90 s;
    B arrives at 40, hangs up at 65 (25 s: abandoned after the target);
    C arrives at 70, hangs up at 73 (3 s: a short abandon, not offered);
    D arrives at 80, op2 answers at 90 (10 s: within the target), still talking.
    """
    phones = owner_phones(h.people, 4)
    op1 = await make_client("op1")
    op2 = await make_client("op2")
    board = await fresh(sup)
    assert [q.queue for q in board.queues] == GROUPS
    assert all(q.waiting == 0 and q.today == m.Figures() for q in board.queues)
    assert (row(board, "op1").state, row(board, "op1").online) == ("offline", True)
    assert row(board, "op3").online is False

    # A arrives: the board shows it by itself, within the second
    pushed = sup.expect(m.WallboardMsg, lambda w: queue(w).waiting == 1)
    a_pat, a = await arrive(h, phones[0])
    assert queue(await asyncio.wait_for(pushed, 5)).today.offered == 1
    clock.advance(30)
    ops = queue(await fresh(sup))
    assert (ops.waiting, ops.longest_wait_s, ops.free_staff) == (1, 30.0, 0)
    assert ops.today == m.Figures(offered=1, waiting=1, abandoned_share=0.0)

    offered = op1.expect(m.OfferMsg)
    await op1.set_state("available")
    await asyncio.wait_for(offered, 5)
    await op1.accept(a)
    board = await fresh(sup)
    assert (queue(board).waiting, queue(board).longest_wait_s) == (0, None)
    assert queue(board).today == m.Figures(
        offered=1, answered=1, service_level=0.0, abandoned_share=0.0, asa_s=30.0
    )
    op1_row = row(board, "op1")
    assert (op1_row.state, op1_row.contact_id, op1_row.channel) == ("busy", a, "chat")
    assert (op1_row.handled_today, op1_row.since) == (1, T0 + timedelta(seconds=30))

    clock.advance(10)  # 40
    b_pat, b = await arrive(h, phones[1])
    clock.advance(25)  # 65
    await b_pat.call({"type": "hang_up"})
    clock.advance(5)  # 70
    c_pat, c = await arrive(h, phones[2])
    clock.advance(3)  # 73
    await c_pat.call({"type": "hang_up"})
    assert queue(await fresh(sup)).today == m.Figures(
        offered=2,
        answered=1,
        abandoned=1,
        abandoned_after_target=1,
        short_abandoned=1,
        service_level=0.0,  # 0 within / (1 answered + 1 abandoned late)
        abandoned_share=0.5,
        asa_s=30.0,
    )

    clock.advance(7)  # 80
    d_pat, d = await arrive(h, phones[3])
    clock.advance(10)  # 90
    offered = op2.expect(m.OfferMsg)
    await op2.set_state("available")
    await asyncio.wait_for(offered, 5)
    await op2.accept(d)
    clock.advance(20)  # 110
    await op1.end(a)
    clock.advance(10)  # 120
    await op1.wrapup_done(a)
    board = await fresh(sup)
    figures = m.Figures(
        offered=3,
        answered=2,
        answered_within_target=1,
        abandoned=1,
        abandoned_after_target=1,
        short_abandoned=1,
        handled=1,
        service_level=1 / 3,
        abandoned_share=1 / 3,
        asa_s=20.0,
        aht_s=90.0,
    )
    assert queue(board).today == figures
    assert queue(board).recent == figures  # all of it in the last 15 minutes
    assert queue(board).free_staff == 1  # op1 is available again
    assert (row(board, "op1").state, row(board, "op1").handled_today) == ("available", 1)
    assert (row(board, "op2").state, row(board, "op2").contact_id) == ("busy", d)
    assert (board.target_s, board.goal) == (20.0, 0.8)
    for pat in (a_pat, b_pat, c_pat, d_pat):
        await pat.close()
    return {"ops": (op1, op2), "contacts": (a, b, c, d), "board": board}


async def test_the_wallboard_follows_arrivals_answers_and_abandons(
    hub_server, hub_clock, make_client
) -> None:
    h = hub_server
    sup = await make_client("sup1")
    assert sup.me is not None and sup.me.role == "supervisor" and sup.state == "offline"
    await morning(h, hub_clock, make_client, sup)
    assert sup.watching_wallboard

    # the supervisor was never offered anything, and sees every queue
    assert sup.offer is None
    assert sup.queue is not None

    # a reconnect: the client watches again by itself
    back = sup.expect(m.WallboardMsg)
    reconnected = sup.expect(ConnectionEvent, lambda e: e.state == "online")
    await h.hub.staff_conns[sup.me.id].peer.close()
    await asyncio.wait_for(reconnected, 5)
    assert queue(await asyncio.wait_for(back, 5)).today.offered == 3

    await sup.watch_wallboard(on=False)
    assert not sup.watching_wallboard
    assert sup.me.id not in h.hub._watchers


async def test_others_are_refused(hub_server, make_client) -> None:
    op = await make_client("op1")
    for call in (
        op.watch_wallboard(),
        op.get_report(T0.date()),
        op.move_contact("c1", "1"),
        op.force_offline("1"),
    ):
        with pytest.raises(HubCommandError) as refused:
            await call
        assert refused.value.code == "forbidden"
    assert op.wallboard is None and not op.watching_wallboard


def as_figures(f: QueueFigures) -> m.Figures:
    seconds = lambda v: None if v is None else v.total_seconds()  # noqa: E731
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
        asa_s=seconds(f.asa),
        aht_s=seconds(f.aht),
    )


@pytest.mark.parametrize(
    "hub_backend", ["sqlite", pytest.param("pg", marks=pytest.mark.pg)], indirect=True
)
async def test_the_days_report_is_console_stats_over_the_stored_events(
    hub_server, hub_clock, make_client
) -> None:
    h = hub_server
    sup = await make_client("sup1")
    done = await morning(h, hub_clock, make_client, sup)
    tz = h.settings.tz
    day = T0.astimezone(tz).date()

    got = await sup.get_report(day)
    async with h.hub.db.transaction() as s:
        visits = await day_visits(s, day, tz)
    expected = report(visits, day, tz=tz, now=hub_clock.now())
    assert got.day == day and len(got.rows) == 96 * 4
    assert [(r.start, r.end, r.queue, r.figures) for r in got.rows] == [
        (e.start, e.end, e.queue, as_figures(e)) for e in expected
    ]
    assert got.csv == report_csv(expected)
    noon = next(r for r in got.rows if r.queue == "operators" and r.start.hour == 12)
    assert noon.figures == done["board"].queues[0].today  # the wallboard's numbers

    table = list(csv.reader(io.StringIO(got.csv)))
    assert tuple(table[0]) == CSV_COLUMNS and len(table) == 1 + 96 * 4
    line = dict(zip(table[0], table[1 + 48 * 4], strict=True))  # 12:00, operators
    assert (line["start"], line["queue"]) == ("2026-11-22T12:00+03:00", "operators")
    assert (line["offered"], line["answered"], line["short_abandoned"]) == ("3", "2", "1")
    assert (line["service_level_pct"], line["asa_s"], line["aht_s"]) == ("33.33", "20.00", "90.00")

    # the next day, the same day's report comes from the store, and says the same
    op2 = done["ops"][1]
    await op2.end(done["contacts"][3])  # D: 10 s of wait, handled from 90 to now
    await op2.wrapup_done(done["contacts"][3])
    today = await sup.get_report(day)
    hub_clock.advance(timedelta(days=1))
    stored = await sup.get_report(day)
    assert stored.rows == today.rows and stored.csv == today.csv
    assert (await sup.get_report(day + timedelta(days=1))).rows[0].figures == m.Figures()


async def waiting_for(sup: StaffClient, cid: str) -> None:
    """Until the supervisor's queue view lists the contact."""
    async with asyncio.timeout(5):
        while sup.queue is None or cid not in {e.id for e in sup.queue.entries}:
            await sup.expect(m.QueueSnapshot)


async def test_move_a_waiting_contact_to_a_named_staff_member(
    hub_server, hub_clock, make_client
) -> None:
    h = hub_server
    phones = owner_phones(h.people, 3)
    sup = await make_client("sup1")
    op1, op2 = await make_client("op1"), await make_client("op2")
    ther = await make_client("therapist1")
    await ther.set_state("available")
    await op1.set_state("available")
    a_pat, a = await arrive(h, phones[0])
    await answer(op1, a)  # op1 is busy with A
    b_pat, b = await arrive(h, phones[1])  # B waits: nobody free
    await waiting_for(sup, b)
    ids = {r.staff.login: r.staff.id for r in (await fresh(sup)).staff}

    refusals = [
        (b, ids["op2"], "conflict", "op2 is not online"),  # connected, but offline
        (b, ids["op3"], "conflict", "op3 is not online"),  # no console
        (b, ids["therapist1"], "conflict", "therapist1 does not serve the queue operators"),
        (a, ids["op2"], "conflict", f"contact {a} is not waiting (it is connected)"),
        ("c-gone", ids["op2"], "not_found", "no open contact c-gone"),
        (b, "9999", "not_found", "no staff member 9999 who takes contacts"),
    ]
    for cid, sid, code, message in refusals:
        with pytest.raises(HubCommandError) as refused:
            await sup.move_contact(cid, sid)
        assert (refused.value.code, refused.value.message) == (code, message)

    await sup.move_contact(b, ids["op1"])  # busy: B is theirs next
    await op2.set_state("available")
    assert op2.state == "available" and op2.offer is None  # not offered to anyone else
    offered = op1.expect(m.OfferMsg)
    await op1.end(a)
    await op1.wrapup_done(a)
    assert (await asyncio.wait_for(offered, 5)).contact.id == b

    # a contact ringing at someone is taken from them
    withdrawn = op2.expect(m.OfferWithdrawn)
    c_pat, c = await arrive(h, phones[2])
    assert op2.offer is not None and op2.offer.contact.id == c
    await sup.move_contact(c, ids["op1"])
    assert (await asyncio.wait_for(withdrawn, 5)).reason == "moved"
    to_op1, to_op2 = op1.expect(m.OfferMsg), op2.expect(m.OfferMsg)
    await op1.reject(b)  # op1 declines B: the pinned C comes next; B goes to op2
    assert (await asyncio.wait_for(to_op1, 5)).contact.id == c
    assert (await asyncio.wait_for(to_op2, 5)).contact.id == b

    async with h.hub.db.transaction() as s:
        moves = await audit.entries(s, action="supervisor.move_contact")
    assert [(e.actor, e.contact_id, e.detail) for e in moves] == [
        ("sup1", b, {"staff_id": ids["op1"], "queue": "operators"}),
        ("sup1", c, {"staff_id": ids["op1"], "queue": "operators"}),
    ]
    assert all(e.at == hub_clock.now() for e in moves)
    for pat in (a_pat, b_pat, c_pat):
        await pat.close()


async def test_force_offline_sends_the_held_contact_back(
    hub_server, hub_clock, make_client
) -> None:
    h = hub_server
    phones = owner_phones(h.people, 1)
    sup = await make_client("sup1")
    op1, op2 = await make_client("op1"), await make_client("op2")
    await op1.set_state("available")
    pat, a = await arrive(h, phones[0])
    await answer(op1, a)
    ids = {r.staff.login: r.staff.id for r in (await fresh(sup)).staff}

    gone = op1.expect(m.ContactGone)
    offline = op1.expect(m.StaffStateMsg, lambda e: e.state == "offline")
    await sup.force_offline(ids["op1"])
    assert (await asyncio.wait_for(gone, 5)).reason == "moved"
    await asyncio.wait_for(offline, 5)
    assert op1.state == "offline" and dict(op1.contacts) == {}
    board = await fresh(sup)
    assert (row(board, "op1").state, row(board, "op1").online) == ("offline", True)
    assert queue(board).waiting == 1  # back at the head of the queue ...
    await op2.set_state("available")  # ... for the next one free
    await answer(op2, a)
    assert queue(await fresh(sup)).today.answered == 1  # answered once: still one visit

    with pytest.raises(HubCommandError) as refused:
        await sup.force_offline(ids["op1"])
    assert (refused.value.code, refused.value.message) == ("conflict", "op1 is offline already")
    with pytest.raises(HubCommandError) as refused:
        await sup.force_offline("9999")
    assert refused.value.code == "not_found"

    # a console gone without logging out: offline at once, not after the grace period
    op3 = await make_client("op3")
    await op3.set_state("available")
    await op3.close()
    await asyncio.sleep(0.1)
    assert row(await fresh(sup), "op3").online is False
    assert row(sup.wallboard, "op3").state == "available"
    await sup.force_offline(ids["op3"])
    assert row(await fresh(sup), "op3").state == "offline"
    assert ids["op3"] not in h.hub._grace

    async with h.hub.db.transaction() as s:
        forced = await audit.entries(s, action="supervisor.force_offline")
    assert [(e.actor, e.contact_id, e.detail) for e in forced] == [
        ("sup1", a, {"staff_id": ids["op1"], "state": "busy"}),
        ("sup1", None, {"staff_id": ids["op3"], "state": "available"}),
    ]
    await pat.close()


@pytest.mark.parametrize(
    "hub_backend", ["sqlite", pytest.param("pg", marks=pytest.mark.pg)], indirect=True
)
async def test_the_wallboard_survives_a_hub_restart(
    hub_server, hub_clock, hub_config, make_client
) -> None:
    h = hub_server
    sup = await make_client("sup1")
    await morning(h, hub_clock, make_client, sup)
    e_pat, e = await arrive(h, owner_phones(h.people, 5)[4])  # waits through the restart
    hub_clock.advance(12)
    freed = sup.expect(m.WallboardMsg, lambda w: row(w, "op1").state == "available")
    await e_pat.close()  # the patient's page goes with the hub: E still waits
    await asyncio.wait_for(freed, 5)  # E's offer to op1 was withdrawn
    before = await fresh(sup)
    assert queue(before).waiting == 1 and queue(before).longest_wait_s == 12.0
    await sup.close()
    await h.hub.stop()

    app, hub = await build(h.settings, clock=hub_clock, config=hub_config)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    again = StaffClient(str(server.make_url("")), backoff=FAST_BACKOFF)
    try:
        await again.login("sup1", PASSWORD)
        await again.connect()
        after = await fresh(again)
        for was, now in zip(before.queues, after.queues, strict=True):
            assert now.model_dump() == was.model_dump()  # from the stored events
        assert hub._live is not None and e in {v.contact_id for v in hub._live._builder.visits()}
        assert {r.staff.login: r.handled_today for r in after.staff} == {
            r.staff.login: r.handled_today for r in before.staff
        }
    finally:
        await again.close()
        await server.close()


async def test_the_hub_takes_contacts_while_the_days_numbers_load(
    hub_server, hub_clock, hub_config, make_client, monkeypatch
) -> None:
    """A restart on a busy day: reading the day back takes a while (20 s and more for
    100,000 contacts); the hub listens and routes meanwhile, shows no wallboard of zeros,
    and once the numbers are in they hold the day before and what came since."""
    h = hub_server
    sup = await make_client("sup1")
    morning_figures = (await morning(h, hub_clock, make_client, sup))["board"]
    await sup.close()
    await h.hub.stop()

    gate = asyncio.Event()  # the stored events are read only when the test says so
    real_load = stats_store.load_events

    async def slow_load(*args, **kwargs):
        await gate.wait()
        return await real_load(*args, **kwargs)

    monkeypatch.setattr(stats_store, "load_events", slow_load)
    app, hub = await build(h.settings, clock=hub_clock, config=hub_config)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    base = str(server.make_url("")).rstrip("/")
    there = dataclasses.replace(h, base=base, hub=hub)
    sup2 = StaffClient(base, backoff=FAST_BACKOFF)
    op3 = StaffClient(base, backoff=FAST_BACKOFF)
    pat = None
    try:
        async with h.session.get(f"{base}/healthz") as r:
            assert (await r.json())["stats"] == "loading"
        for client, login in ((sup2, "sup1"), (op3, "op3")):
            await client.login(login, PASSWORD)
            await client.connect()
        await sup2.watch_wallboard()
        assert sup2.wallboard is None  # not a board of zeros
        # a patient arrives and is answered while the numbers load
        offered = op3.expect(m.OfferMsg)
        await op3.set_state("available")
        pat, e = await arrive(there, owner_phones(h.people, 6)[5])
        assert (await asyncio.wait_for(offered, 5)).contact.id == e
        hub_clock.advance(5)
        await op3.accept(e)
        assert sup2.wallboard is None

        first = sup2.expect(m.WallboardMsg)
        gate.set()
        board = await asyncio.wait_for(first, 10)
        async with h.session.get(f"{base}/healthz") as r:
            assert (await r.json())["stats"] == "ready"
        was, now = queue(morning_figures).today, queue(board).today
        assert (now.offered, now.answered) == (was.offered + 1, was.answered + 1)
        assert now.answered_within_target == was.answered_within_target + 1  # 5 s
        assert (now.abandoned, now.short_abandoned) == (was.abandoned, was.short_abandoned)
        assert row(board, "op3").handled_today == 1
        assert row(board, "op1").handled_today == 1  # from before the restart
    finally:
        gate.set()
        if pat is not None:
            await pat.close()
        await sup2.close()
        await op3.close()
        await server.close()


def test_a_wallboard_where_nobody_waits_parses() -> None:
    """The hub leaves None out of a frame: every field that may be None has a default."""
    board = m.WallboardMsg(
        at=T0,
        target_s=20.0,
        goal=0.8,
        queues=[
            m.QueueBoard(
                queue="operators",
                waiting=0,
                longest_wait_s=None,
                free_staff=0,
                today=m.Figures(),
                recent=m.Figures(),
            )
        ],
        staff=[],
    )
    assert "longest_wait_s" not in m.dump(board)
    assert m.parse_from_hub_staff(m.dump(board)) == board

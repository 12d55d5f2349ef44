"""Failure drills (issue 7): real processes and parts, asserting what a user notices.

1. A console killed mid-call: the contact is offered to someone else within 15 s.
2. An offer left unanswered: the next medconsultant gets it; the first is "not responding".
3. A patient's network cut for 30 s while waiting: the place is kept.
4. The hub killed with SIGKILL during calls and restarted: media flows meanwhile (peer
   to peer), every contact is there after the restart, the calls resume with the same
   staff member or, when one does not come back within the grace, return to the head
   of the queue, and the waiting patients keep their order.

Drill 3 drives the hub's 60 s keep-place rule with the hub's FakeClock (the rule
runs on the engine's clock); ``tests/hub/test_reconnect.py::
test_waiting_patient_keeps_the_place_for_a_minute`` covers a clean close of the
first of two patients, this drill a cut (the socket aborted, no close frame) of
the middle of three.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from console.calls.ice import CallConfig
from console.calls.media import TestPatternTrack, ToneTrack
from console.calls.patient import PatientClient, PatientError, SmsOutbox
from console.calls.session import StaffCallSession
from console.client import DEFAULT_BACKOFF, StaffClient
from console.clock import FakeClock
from console.hub.service import HubConfig
from console.identity.routing import age_on
from console.protocol import messages as m
from console.queue.model import QueueConfig
from tests.client.conftest import PASSWORD
from tests.hub.clients import WsClient
from tests.hub.conftest import seed_db
from tests.hub.test_reconnect import distinct_owner_phones, waiting_patient
from tests.hub.test_restart import free_port, start_hub
from tests.views.patient import TestPatient

if TYPE_CHECKING:
    from collections.abc import Callable

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

# op1's console side as a process of its own: it takes the offer, answers the
# patient's video leg with synthetic media and says "connected <contact id>".
CONSOLE_SCRIPT = r"""
import asyncio, sys
import aiohttp
from console.calls.ice import CallConfig
from console.calls.media import TestPatternTrack, ToneTrack
from console.calls.session import StaffCallSession
from console.protocol.messages import Signal
from tests.hub.clients import WsClient, staff_login

async def main(base):
    async with aiohttp.ClientSession() as http:
        ws = WsClient(base, http, "/ws/staff")
        await ws.connect(await staff_login(http, base, "op1"))
        assert (await ws.call({"type": "set_state", "state": "available"}))["type"] == "ack"
        print("available", flush=True)
        offer = await ws.expect("offer", timeout=60)
        cid = offer["contact"]["id"]
        assert (await ws.call({"type": "accept", "contact_id": cid}))["type"] == "ack"
        frame = await ws.expect("signal", timeout=60)
        first = Signal.model_validate(frame["signal"])

        async def send(s):
            await ws.send({"type": "signal", "contact_id": cid,
                           "signal": s.model_dump(exclude_none=True)})

        call = StaffCallSession(first.leg, send, audio=ToneTrack(),
                                video=TestPatternTrack(marker=(230, 30, 30)),
                                config=CallConfig.loopback())
        await call.handle(first)

        async def relay():
            while True:
                f = await ws.expect("signal", timeout=3600)
                await call.handle(Signal.model_validate(f["signal"]))

        relaying = asyncio.create_task(relay())
        await call.wait_connected(timeout=60)
        await call.wait_remote_frames(3, timeout=60)
        print("connected", cid, flush=True)
        await relaying

asyncio.run(main(sys.argv[1]))
"""


def _start_console(base: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CONSOLE_SCRIPT, base],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


async def _read_line(proc: subprocess.Popen, prefix: str, timeout: float) -> str:
    def read() -> str:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(prefix):
                return line.strip()
        raise AssertionError(f"console process ended: {proc.stderr.read()}")  # type: ignore[union-attr]

    return await asyncio.wait_for(asyncio.to_thread(read), timeout)


async def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    await asyncio.to_thread(proc.wait, 10)


async def _staff(h, login: str) -> StaffClient:
    client = StaffClient(h.base, session=h.session)
    await client.login(login, PASSWORD)
    await client.connect()
    return client


@pytest.mark.netns
async def test_a_console_killed_mid_call_the_contact_goes_to_another_within_15_s(
    hub_server,
) -> None:
    h = hub_server
    assert HubConfig().staff_grace == timedelta(seconds=5)  # the default this drill runs with
    proc = _start_console(h.base)
    pat = TestPatient(h, distinct_owner_phones(h.people, 1)[0])
    op2 = None
    try:
        await _read_line(proc, "available", 60)
        await pat.sign_in()
        await pat.start("video")
        cid = pat.contact_id
        line = await _read_line(proc, "connected", 90)
        assert line.split()[1] == cid
        assert await pat.wait_for(lambda: pat.remote_video is not None, timeout=60)

        op2 = await _staff(h, "op2")
        await op2.set_state("available")
        offered = op2.expect(m.OfferMsg)
        killed = time.monotonic()
        os.killpg(proc.pid, signal.SIGKILL)
        offer = await asyncio.wait_for(offered, 30)
        elapsed = time.monotonic() - killed

        assert elapsed < 15, f"offered to op2 {elapsed:.1f} s after the kill"
        assert offer.contact.id == cid  # the same contact, not a new one
        assert pat.contact_id == cid and pat.ended is None  # the patient was not dropped
    finally:
        await _kill(proc)
        await pat.close()
        if op2 is not None:
            await op2.close()


class TestUnansweredOffer:
    @pytest.fixture
    def hub_config(self) -> HubConfig:
        ring = timedelta(seconds=2)
        return HubConfig(queue=QueueConfig(ring_timeout=ring, reoffer_after=ring))

    async def test_an_offer_left_unanswered_goes_to_the_next_medconsultant(
        self, hub_server
    ) -> None:
        h = hub_server
        op1, op2 = await _staff(h, "op1"), await _staff(h, "op2")
        pat = None
        try:
            first = op1.expect(m.OfferMsg)
            await op1.set_state("available")
            pat, _, status = await waiting_patient(h, distinct_owner_phones(h.people, 1)[0])
            cid = status["contact_id"]
            offer1 = await asyncio.wait_for(first, 10)
            assert offer1.contact.id == cid

            second = op2.expect(m.OfferMsg)
            await op2.set_state("available")
            # op1 never answers; after the ring timeout op2 is offered the same contact
            offer2 = await asyncio.wait_for(second, 20)
            assert offer2.contact.id == cid
            for _ in range(100):
                if op1.state == "not_responding":
                    break
                await asyncio.sleep(0.1)
            assert op1.state == "not_responding"
            assert h.hub.engine.get_staff(str(op1.me.id)).state.value == "not_responding"
            assert not pat.closed
        finally:
            if pat is not None:
                await pat.close()
            await op1.close()
            await op2.close()


class TestNetworkCutWhileWaiting:
    @pytest.fixture
    def hub_clock(self) -> FakeClock:
        return FakeClock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))

    async def test_a_patient_cut_off_for_30_s_keeps_the_place(self, hub_server, hub_clock) -> None:
        h = hub_server
        phones = distinct_owner_phones(h.people, 3)
        waiting = []
        try:
            for phone in phones:
                waiting.append(await waiting_patient(h, phone))
                hub_clock.advance(5)
            assert [s["position"] for _, _, s in waiting] == [1, 2, 3]
            b, b_token, b_status = waiting[1]

            assert b.ws is not None
            b.ws._writer.transport.abort()  # the network goes: no close frame, no hang-up
            await asyncio.wait_for(b._reader, 10)  # type: ignore[arg-type]
            await asyncio.sleep(0.3)
            hub_clock.advance(30)
            await h.hub.tick()

            back = WsClient(h.base, h.session, "/ws/patient")
            waiting[1] = (back, b_token, b_status)
            welcome = await back.connect(b_token)
            assert welcome["contact_id"] == b_status["contact_id"]
            st = await back.expect("queue_status")
            # The place is kept, and better: a waiting patient who comes back gets
            # reconnect priority (Engine.patient_reconnected), so the dropped line is
            # not their loss; the wait still counts from the start.
            assert st["contact_id"] == b_status["contact_id"]
            assert st["state"] == "waiting" and st["position"] == 1
            assert st["waiting_s"] >= 35
            order = [w.id for w in h.hub.engine.waiting("operators")]
            assert order.index(waiting[2][2]["contact_id"]) == 2  # the third is still behind
        finally:
            for c, _, _ in waiting:
                await c.close()


# ---------------------------------------------------------------------- drill 4: the hub killed

#: the patients' and the consoles' test video in drill 4: small, so that six peers and
#: their encoders share the test process with the rest of a 2-core machine's work
SMALL_VIDEO = (160, 120, 15.0)
#: the patient page's reconnect schedule (resources/web/app.js: reconnectDelay starts at
#: 1000 ms and doubles up to BACKOFF_MAX_MS; a welcome resets it)
PAGE_FIRST_DELAY = 1.0
PAGE_MAX_DELAY = (
    int(re.search(r"BACKOFF_MAX_MS = (\d+);", (ROOT / "resources/web/app.js").read_text())[1])
    / 1000
)


class _Console:
    """A staff console without Qt: the product's :class:`StaffClient` (its reconnect and
    backoff as shipped) and calls answered as ``ConsoleController`` answers them: a
    patient's offer on a new leg of a held contact gets a new :class:`StaffCallSession`
    with fresh synthetic tracks; a contact update naming another leg, an ended contact
    or a contact gone closes the call."""

    def __init__(self, base: str, login: str, marker: tuple[int, int, int]) -> None:
        self.login = login
        self.marker = marker
        self.client = StaffClient(base)
        self.calls: dict[str, StaffCallSession] = {}
        self._tracks: dict[str, tuple[ToneTrack, TestPatternTrack]] = {}
        self._signals: asyncio.Queue[m.SignalMsg] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._closing: set[asyncio.Future[None]] = set()
        self.online_at: list[float] = []  # monotonic, at each welcome

    async def start(self) -> _Console:
        await self.client.login(self.login, PASSWORD)
        self.client.on(m.Welcome, lambda _: self.online_at.append(time.monotonic()))
        self.client.on(m.ContactUpdate, self._on_contact)
        self.client.on(m.ContactGone, lambda msg: self._close_call(msg.contact_id))
        self.client.on(m.SignalMsg, self._signals.put_nowait)
        self._worker = asyncio.create_task(self._answer())
        await self.client.connect()
        return self

    def _on_contact(self, msg: m.ContactUpdate) -> None:
        view = msg.contact
        call = self.calls.get(view.id)
        if call is not None and (view.leg != call.leg or view.state in ("wrap_up", "closed")):
            self._close_call(view.id)

    def _close_call(self, contact_id: str) -> None:
        call = self.calls.pop(contact_id, None)
        if call is None:
            return
        tracks = self._tracks.pop(contact_id)

        async def close() -> None:
            await call.close()
            for track in tracks:
                track.stop()

        fut = asyncio.ensure_future(close())
        self._closing.add(fut)
        fut.add_done_callback(self._closing.discard)

    async def _answer(self) -> None:
        while True:
            msg = await self._signals.get()
            cid, signal = msg.contact_id, msg.signal
            if cid not in self.client.contacts:
                continue  # a late signal of a contact that has left this console
            call = self.calls.get(cid)
            if signal.kind == "offer" and (call is None or call.leg != signal.leg):
                self._close_call(cid)
                call = self._new_call(cid, signal.leg)
            if call is None or call.leg != signal.leg:
                continue
            try:
                await call.handle(signal)
            except Exception as exc:  # the console logs it and carries on
                logging.getLogger(__name__).warning("%s: %r", self.login, exc)

    def _new_call(self, contact_id: str, leg: str) -> StaffCallSession:
        width, height, fps = SMALL_VIDEO
        tracks = (ToneTrack(), TestPatternTrack(width=width, height=height, fps=fps,
                                                marker=self.marker))  # fmt: skip

        async def send(signal: m.Signal) -> None:
            await self.client.signal(contact_id, signal)

        call = StaffCallSession(leg, send, audio=tracks[0], video=tracks[1],
                                config=CallConfig.loopback())  # fmt: skip
        self.calls[contact_id] = call
        self._tracks[contact_id] = tracks
        return call

    async def close(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)
        await self.client.close()
        for cid in list(self.calls):
            self._close_call(cid)
        await asyncio.gather(*self._closing, return_exceptions=True)


async def _reconnect_as_the_page_does(pat: PatientClient, back: list[float]) -> None:
    """The patient page's reconnect (resources/web/app.js ``socketLost`` and
    ``scheduleReconnect``), which :class:`PatientClient` does not have: when the socket
    drops, hello again with the same token after 1 s, 2 s, 4 s, then every 5 s;
    a welcome resets the delay. The call's peer connection is left as it is meanwhile
    (the page closes it only for a new leg, a hand-back to the queue or the end).
    ``back`` gets the monotonic time of each welcome."""
    delay = PAGE_FIRST_DELAY
    while True:
        await pat.wait_for(lambda: False, timeout=None)  # returns once the socket is gone
        await asyncio.sleep(delay)
        delay = min(delay * 2, PAGE_MAX_DELAY)
        try:
            welcome = await pat.connect()
        except (aiohttp.ClientError, OSError, PatientError, TimeoutError):
            continue
        if welcome.get("type") != "welcome":
            return  # the session is gone: the page shows the login
        delay = PAGE_FIRST_DELAY
        back.append(time.monotonic())


def _adults_with_phones(people: list, today: date, n: int) -> list:
    """``n`` adults with a policy valid around ``today`` (the hub's real date), each
    the only policy holder of a phone of their own."""
    holders: dict[str, list] = {}
    for p in people:
        if p.phone and not p.representative_policy:
            holders.setdefault(p.phone, []).append(p)
    day = timedelta(days=1)
    found = [
        owners[0]
        for owners in holders.values()
        if len(owners) == 1
        and age_on(owners[0].birth_date, today) >= 19
        and owners[0].policy.valid_from <= today - day
        and today + day <= owners[0].policy.valid_to
    ]
    assert len(found) >= n, "the seeded registry has too few adults with a valid policy"
    return found[:n]


async def _until(pred: Callable[[], object], timeout: float, what: str) -> float:
    """Poll ``pred`` until true; the monotonic time it became so."""
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        await asyncio.sleep(0.05)
    return time.monotonic()


async def _frames_both_ways(pat: PatientClient, console: _Console, cid: str, n: int) -> str:
    """Wait until the patient's current leg is answered by ``console`` and ``n`` video
    frames arrived on each side of it; the leg."""
    assert pat.call is not None
    await _until(
        lambda: (
            pat.call is not None
            and (call := console.calls.get(cid)) is not None
            and call.leg == pat.call.leg
        ),
        30,
        f"{console.login} answers the patient's leg of {cid}",
    )
    call = console.calls[cid]
    await pat.call.wait_remote_frames(n, timeout=30)
    await call.wait_remote_frames(n, timeout=30)
    return str(pat.call.leg)


async def _chat_both_ways(pat: PatientClient, console: _Console, cid: str, tag: str) -> None:
    await console.client.chat(cid, f"{tag}: staff")
    await pat.wait_chat(lambda x: x["text"] == f"{tag}: staff", timeout=15)
    got = console.client.expect(m.ChatMsg, lambda e: e.message.text == f"{tag}: patient")
    await pat.say(f"{tag}: patient")
    assert (await asyncio.wait_for(got, 15)).message.contact_id == cid


def _queue_of(console: _Console) -> list[str]:
    """The waiting contacts in the console's queue view, in routing order."""
    queue = console.client.queue
    return [e.id for e in queue.entries] if queue is not None else []


async def _healthz(base: str) -> dict:
    async with aiohttp.ClientSession() as s, s.get(f"{base}/healthz") as r:
        return dict(await r.json())


def _timeline(down: float, requeued: float, up: float, calls: list, back: dict) -> str:
    """What happened when (pytest -s). Who was back first decides how a call resumes:
    the console first, on the leg the patient's return opens; the patient first, on one
    more leg the hub opens when the console is back. The media gap runs from the
    patient's welcome to the first frame of the resumed call."""
    lines = [f"hub down {down:.1f} s, P3 requeued +{requeued:.1f} s"]
    for p, s, _ in calls:
        first = back[id(p)][0]
        lines.append(
            f"{s.login} back +{s.online_at[-1] - up:.1f} s, its patient +{first - up:.1f} s,"
            f" media gap {p.call.remote_video.first_frame_at - first:.1f} s"
        )
    return "\n" + "; ".join(lines)


@pytest.mark.netns
async def test_the_hub_killed_mid_call_and_restarted_loses_no_contact(tmp_path) -> None:
    """SIGKILL of the hub's process group with three video calls (one with the duty
    therapist after a transfer) and two patients waiting; the hub restarts on the same
    database and port.

    What the product promises (console/hub/service.py ``HubConfig``, the staff client's
    ``DEFAULT_BACKOFF``, the page's reconnect): media is peer to peer, so it flows while
    the hub is down; a console back within ``staff_grace`` (5 s) of the hub's start keeps
    its contact, and the call resumes on a new leg once both are back, whichever of the
    two comes first; a console that does not come back loses the contact to the head of
    its queue; waiting patients keep their order; chat works on every resumed contact.

    The patients are :class:`PatientClient`, which has no reconnect of its own: the
    drill reopens their sockets on the patient page's schedule. The consoles are the
    product's :class:`StaffClient` with its own reconnect, answering calls as the Qt
    console's controller does.
    """
    config = HubConfig()
    grace = config.staff_grace.total_seconds()
    assert (grace, config.patient_grace.total_seconds()) == (5.0, 10.0)  # what this drill runs
    # a page retries often enough to be back inside the patient's grace after any outage
    assert config.patient_grace.total_seconds() > PAGE_MAX_DELAY
    assert max(DEFAULT_BACKOFF) < grace  # a console retries inside the grace

    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.sqlite3'}"
    people = await seed_db(url)
    today = datetime.now(ZoneInfo("Europe/Moscow")).date()  # the hub's (Settings.timezone)
    adults = _adults_with_phones(people, today, 5)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    codes = SmsOutbox(tmp_path / "sms.jsonl")
    proc = await start_hub(tmp_path, url, port)

    op1 = _Console(base, "op1", (230, 30, 30))
    op2 = _Console(base, "op2", (230, 140, 30))
    doc = _Console(base, "therapist1", (30, 200, 200))
    op3 = _Console(base, "op3", (200, 30, 200))
    consoles = [op1, op2, doc]
    patients: list[PatientClient] = []
    reconnects: list[asyncio.Task[None]] = []
    back: dict[int, list[float]] = {}
    async with aiohttp.ClientSession() as http:
        try:
            for c in consoles:
                await c.start()
            for i, person in enumerate(adults):
                pat = PatientClient(base, person.phone, session=http, codes=codes,
                                    config=CallConfig.loopback(), video=SMALL_VIDEO,
                                    marker=(40, 60 + 30 * i, 220))  # fmt: skip
                patients.append(pat)
                await pat.sign_in()
            p1, p2, p3, p4, p5 = patients

            # P1 with op1, identified and consenting, transferred to the duty therapist
            offered = op1.client.expect(m.OfferMsg)
            await op1.client.set_state("available")
            await p1.start("video", person_id=p1.person_id(adults[0].policy.number))
            c1 = (await asyncio.wait_for(offered, 30)).contact.id
            await op1.client.accept(c1)
            await op1.client.chat(c1, "Здравствуйте, вас переводят к терапевту")
            for kind in ("personal_data", "remote_consultation"):
                await op1.client.send_consent(c1, kind)
            await p1.wait_for(lambda: len(p1.consents) == 2, timeout=15)
            await _until(
                lambda: (
                    all(x.state == "confirmed" for x in op1.client.contacts[c1].consents)
                    and len(op1.client.contacts[c1].consents) == 2
                ),
                15,
                "both consents confirmed",
            )
            offered = doc.client.expect(m.OfferMsg)
            await doc.client.set_state("available")
            await op1.client.transfer(c1, "duty:therapist")
            assert (await asyncio.wait_for(offered, 30)).contact.id == c1
            await doc.client.accept(c1)
            await op1.client.wrapup_done(c1)  # and available again

            # P2 with op1, P3 with op2, P4 and P5 waiting behind
            offered = op1.client.expect(m.OfferMsg)
            await p2.start("video")
            c2 = (await asyncio.wait_for(offered, 30)).contact.id
            await op1.client.accept(c2)
            offered = op2.client.expect(m.OfferMsg)
            await op2.client.set_state("available")
            await p3.start("video")
            c3 = (await asyncio.wait_for(offered, 30)).contact.id
            await op2.client.accept(c3)
            c4 = (await p4.start("video"))["contact_id"]
            c5 = (await p5.start("video"))["contact_id"]
            calls = [(p1, doc, c1), (p2, op1, c2), (p3, op2, c3)]
            legs = {cid: await _frames_both_ways(p, s, cid, 5) for p, s, cid in calls}
            await _chat_both_ways(p1, doc, c1, "до сбоя")
            await _chat_both_ways(p3, op2, c3, "до сбоя")
            await _until(lambda: _queue_of(op1) == [c4, c5], 10, "P4 and P5 wait in this order")
            assert [p.statuses[-1]["position"] for p in (p4, p5)] == [1, 2]
            assert (await _healthz(base))["contacts"] == 5

            # -------------------------------------------------------- the hub is killed
            sinks = {cid: (p.call.remote_video, s.calls[cid].remote_video)  # type: ignore[union-attr]
                     for p, s, cid in calls}  # fmt: skip
            before = {cid: (a.frames, b.frames) for cid, (a, b) in sinks.items()}  # type: ignore[union-attr]
            os.killpg(proc.pid, signal.SIGKILL)
            await asyncio.to_thread(proc.wait, 10)
            killed = time.monotonic()
            for pat in patients:
                back[id(pat)] = []
                page = _reconnect_as_the_page_does(pat, back[id(pat)])
                reconnects.append(asyncio.create_task(page))
            await _until(
                lambda: (
                    all(c.client.connection_state == "reconnecting" for c in consoles)
                    and all(p.closed for p in patients)
                ),
                10,
                "every client notices the hub is gone",
            )
            # media is peer to peer: it keeps flowing both ways with no hub at all
            await asyncio.sleep(2.0)
            assert all(c.client.connection_state == "reconnecting" for c in consoles)
            for p, s, cid in calls:
                a, b = sinks[cid]
                assert (p.call.remote_video, s.calls[cid].remote_video) == (a, b)  # type: ignore[union-attr]
                got = (a.frames - before[cid][0], b.frames - before[cid][1])  # type: ignore[union-attr]
                assert min(got) >= 10, f"frames of {cid} while the hub was down: {got}"
                assert p.call.leg == legs[cid]  # type: ignore[union-attr]

            # op2's console does not come back (its machine went down with the hub)
            await op2.close()
            consoles.remove(op2)

            # -------------------------------------------------------- the hub restarts
            proc = await start_hub(tmp_path, url, port)
            up = time.monotonic()
            assert (await _healthz(base))["contacts"] == 5  # every contact restored

            # the consoles come back by themselves, inside the grace, to their contacts
            online = await _until(
                lambda: all(c.client.online for c in consoles), 2 * grace, "consoles online"
            )
            assert online - up < grace, f"consoles back {online - up:.1f} s after the start"
            assert list(doc.client.contacts) == [c1] and doc.client.state == "busy"
            assert doc.client.contacts[c1].state == "with_doctor"
            assert list(op1.client.contacts) == [c2] and op1.client.state == "busy"
            assert op1.client.contacts[c2].state == "connected"
            texts = [x.text for x in doc.client.contacts[c1].chat]
            assert texts[:3] == ["Здравствуйте, вас переводят к терапевту",
                                 "до сбоя: staff", "до сбоя: patient"]  # fmt: skip

            # the patients come back by themselves (the page's schedule) to their contacts
            await _until(lambda: all(back[id(p)] for p in patients), 20, "patients back")
            for pat, cid in zip(patients, (c1, c2, c3, c4, c5), strict=True):
                assert pat.contact_id == cid and pat.welcome["contact_id"] == cid
                assert back[id(pat)][0] - up < config.patient_grace.total_seconds()
            # P4 and P5 still wait one behind the other (P3 may be back ahead of them already)
            assert [p.statuses[-1]["state"] for p in (p4, p5)] == ["waiting", "waiting"]
            assert p5.statuses[-1]["position"] == p4.statuses[-1]["position"] + 1

            # the calls resume with the same staff member, on a new leg, frames both ways
            for (p, s, cid), role in zip(calls[:2], ("doctor", "operator"), strict=False):
                leg = await _frames_both_ways(p, s, cid, 10)
                assert leg != legs[cid]
                assert p.legs[-1]["staff_role"] == role  # the page names who is on the line
                assert p.legs[-1]["staff_name"] == s.client.me.full_name  # type: ignore[union-attr]
            await _chat_both_ways(p1, doc, c1, "после сбоя")
            await _chat_both_ways(p2, op1, c2, "после сбоя")

            # P3's medconsultant did not come back: when the grace runs out P3's contact is
            # back at the head of the queue, before the two who kept their order behind it
            requeued = await _until(
                lambda: _queue_of(op1) == [c3, c4, c5], grace + 10, "the queue is P3, P4, P5"
            )
            assert grace - 1.5 < requeued - up < grace + 3, f"requeued {requeued - up:.1f} s"
            await _until(
                lambda: (
                    [p.statuses[-1]["position"] for p in (p3, p4, p5)] == [1, 2, 3]
                    and p3.statuses[-1]["state"] == "waiting"
                ),
                10,
                "the patients see P3 first, then P4 and P5",
            )
            await op3.start()
            consoles.append(op3)
            await _until(lambda: _queue_of(op3) == [c3, c4, c5], 10, "op3 sees P3, P4, P5")
            # the next medconsultant takes P3 first: a new leg, frames, the chat kept
            offered = op3.client.expect(m.OfferMsg)
            await op3.client.set_state("available")
            assert (await asyncio.wait_for(offered, 30)).contact.id == c3
            await op3.client.accept(c3)
            assert [x.text for x in op3.client.contacts[c3].chat][:2] == [
                "до сбоя: staff", "до сбоя: patient"]  # fmt: skip
            await _frames_both_ways(p3, op3, c3, 10)
            await _chat_both_ways(p3, op3, c3, "после сбоя")
            assert [p.statuses[-1]["position"] for p in (p4, p5)] == [1, 2]
            assert (await _healthz(base))["contacts"] == 5
            assert all(p.ended is None for p in patients)  # nobody's consultation was closed
            print(_timeline(up - killed, requeued - up, up, calls[:2], back))
        finally:
            for task in reconnects:
                task.cancel()
            await asyncio.gather(*reconnects, return_exceptions=True)
            for pat in patients:
                await pat.close()
            for c in (op1, op2, doc, op3):
                await c.close()
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                await asyncio.to_thread(proc.wait, 10)

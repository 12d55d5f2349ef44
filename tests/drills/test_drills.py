"""Failure drills (issue 7): real processes and parts, asserting what a user notices.

1. A console killed mid-call: the contact is offered to someone else within 15 s.
2. An offer left unanswered: the next medconsultant gets it; the first is "not responding".
3. A patient's network cut for 30 s while waiting: the place is kept.

Drill 3 drives the hub's 60 s keep-place rule with the hub's FakeClock (the rule
runs on the engine's clock); ``tests/hub/test_reconnect.py::
test_waiting_patient_keeps_the_place_for_a_minute`` covers a clean close of the
first of two patients, this drill a cut (the socket aborted, no close frame) of
the middle of three.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console.client import StaffClient
from console.clock import FakeClock
from console.hub.service import HubConfig
from console.protocol import messages as m
from console.queue.model import QueueConfig
from tests.client.conftest import PASSWORD
from tests.hub.clients import WsClient
from tests.hub.test_reconnect import distinct_owner_phones, waiting_patient
from tests.views.patient import TestPatient

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

"""The patient in a real browser, on the real hub, with aiortc staff on the other end.

Chromium opens the hub's page, logs in with the code from the SMS outbox and
starts a video call; a medconsultant built on ``console.calls`` answers; frames
(checked by their marker colour) and chat go both ways; after the consents the
medconsultant transfers to the duty therapist, a second staff client, and media
flows again on the new leg. Runs in a loopback-only network namespace: every
candidate pair must be 127.0.0.1 on both ends.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

import pytest

from console.calls.ice import CallConfig
from console.calls.media import TestPatternTrack, ToneTrack, read_marker
from console.calls.session import StaffCallSession
from console.identity.routing import age_on
from console.protocol.messages import Signal
from tests.browser.cdp import Browser
from tests.browser.conftest import SHOTS, needs_browser
from tests.browser.test_page import text_has, tid, visible
from tests.conftest import TODAY
from tests.hub.clients import WsClient, last_code, staff_login

if TYPE_CHECKING:
    from tests.hub.conftest import HubUnderTest

pytestmark = [needs_browser, pytest.mark.netns]

OPERATOR_MARKER = (230, 30, 30)
DOCTOR_MARKER = (30, 30, 230)

PIXEL_JS = """(() => {
  const v = document.querySelector('[data-testid=remote-video]');
  if (!v || !v.videoWidth) return null;
  const c = document.createElement('canvas');
  c.width = v.videoWidth; c.height = v.videoHeight;
  const g = c.getContext('2d');
  g.drawImage(v, 0, 0);
  return Array.from(g.getImageData(12, 12, 1, 1).data.slice(0, 3));
})()"""


def close_to(a, b, tol: int = 60) -> bool:
    return a is not None and all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


class Answerer:
    """A staff member's console side of calls: answers each leg with synthetic media."""

    def __init__(self, ws: WsClient, marker: tuple[int, int, int]) -> None:
        self.ws = ws
        self.marker = marker
        self.session: StaffCallSession | None = None

    async def answer(self, contact_id: str) -> StaffCallSession:
        frame = await self.ws.expect("signal", timeout=20)
        signal = Signal.model_validate(frame["signal"])
        assert signal.kind == "offer"

        async def send(s: Signal) -> None:
            await self.ws.send(
                {
                    "type": "signal",
                    "contact_id": contact_id,
                    "signal": s.model_dump(exclude_none=True),
                }
            )

        self.session = StaffCallSession(
            signal.leg,
            send,
            audio=ToneTrack(),
            video=TestPatternTrack(marker=self.marker),
            config=CallConfig.loopback(),
        )
        await self.session.handle(signal)
        return self.session


async def login_page(b: Browser, h: HubUnderTest, phone: str) -> None:
    await b.navigate(h.base + "/")
    await b.wait_for(visible("phone"))
    await b.type(tid("phone"), phone)
    await b.click(tid("send-code"))
    await b.wait_for(visible("code"))
    for _ in range(100):
        if h.outbox.exists() and h.outbox.read_text().strip():
            break
        await asyncio.sleep(0.05)
    await b.type(tid("code"), last_code(h.outbox))
    await b.click(tid("login"))
    await b.wait_for("window.medconsole.state().connected", timeout=15)


async def staff_client(h: HubUnderTest, login: str) -> WsClient:
    c = WsClient(h.base, h.session, "/ws/staff")
    await c.connect(await staff_login(h.session, h.base, login))
    assert (await c.call({"type": "set_state", "state": "available"}))["type"] == "ack"
    return c


async def page_pair(b: Browser) -> dict[str, Any]:
    return await b.wait_for(
        "window.medconsole.stats().then(s => s && s.pair && s.local.address ? s : null)",
        timeout=15,
    )


async def test_video_call_chat_transfer_in_the_browser(hub_server) -> None:
    h = hub_server
    people = h.people
    parents = {p.representative_policy for p in people if p.representative_policy}
    adult = next(
        p
        for p in people
        if p.phone
        and p.policy.number not in parents
        and not p.representative_policy
        and age_on(p.birth_date, TODAY) >= 18
        and p.policy.valid_from <= TODAY <= p.policy.valid_to
    )
    op = await staff_client(h, "op1")
    doc = await staff_client(h, "therapist1")
    operator, doctor = Answerer(op, OPERATOR_MARKER), Answerer(doc, DOCTOR_MARKER)
    try:
        async with Browser() as b:
            await login_page(b, h, adult.phone)
            await b.click(tid("start-video"))

            offer = await op.expect("offer", timeout=15)
            cid = offer["contact"]["id"]
            await op.call({"type": "accept", "contact_id": cid})
            s1 = await operator.answer(cid)
            await s1.wait_connected(timeout=20)
            # frames both ways: the browser's fake camera to us, our marker to the browser
            await s1.wait_remote_frames(10, timeout=20)
            await b.wait_for("window.medconsole.state().remoteFrames > 10", timeout=20)
            pixel = await b.wait_for(
                f"(() => {{ const p = {PIXEL_JS}; return p && "
                f"Math.abs(p[0]-{OPERATOR_MARKER[0]}) < 60 && "
                f"Math.abs(p[2]-{OPERATOR_MARKER[2]}) < 60 ? p : null; }})()",
                timeout=20,
            )
            assert close_to(pixel, OPERATOR_MARKER)
            assert s1.remote_video is not None and s1.remote_video.last_frame is not None
            assert not close_to(read_marker(s1.remote_video.last_frame), OPERATOR_MARKER)
            pair = s1.selected_pair()
            assert pair is not None and pair[0][0] == "127.0.0.1" and pair[1][0] == "127.0.0.1"
            stats = await page_pair(b)
            assert stats["local"]["address"] == "127.0.0.1"
            assert stats["remote"]["address"] == "127.0.0.1"

            # chat both ways
            await b.type(tid("chat-input"), "Температура 38,5")
            await b.click(tid("chat-send"))
            got = await op.expect("chat", timeout=10)
            assert got["message"]["text"] == "Температура 38,5"
            await op.send({"type": "chat", "contact_id": cid, "text": "Соединяю с терапевтом"})
            await b.wait_for(text_has("chat-log", "Соединяю с терапевтом"))

            # consents, confirmed on the page
            for kind in ("personal_data", "remote_consultation"):
                await op.call({"type": "send_consent", "contact_id": cid, "kind": kind})
                await b.wait_for(visible("consent-confirm"), timeout=10)
                await b.click(tid("consent-confirm"))
                await op.expect("contact", timeout=10)
            await b.screenshot(SHOTS / "e2e-1-operator-call.png", full_page=True)

            # the transfer: a new leg to the duty therapist, media flows again
            reply = await op.call({"type": "transfer", "contact_id": cid, "to": "duty:therapist"})
            assert reply["type"] == "ack", reply
            assert (await doc.expect("offer", timeout=15))["contact"]["id"] == cid
            await doc.call({"type": "accept", "contact_id": cid})
            s2 = await doctor.answer(cid)
            assert s2.leg != s1.leg
            await s2.wait_connected(timeout=20)
            await s2.wait_remote_frames(10, timeout=20)
            pixel = await b.wait_for(
                f"(() => {{ const p = {PIXEL_JS}; return p && "
                f"Math.abs(p[2]-{DOCTOR_MARKER[2]}) < 60 && "
                f"Math.abs(p[0]-{DOCTOR_MARKER[0]}) < 60 ? p : null; }})()",
                timeout=20,
            )
            assert close_to(pixel, DOCTOR_MARKER)
            taken = await doc.expect("contact", timeout=10)
            texts = [m["text"] for m in taken["contact"]["chat"]]
            assert texts == ["Температура 38,5", "Соединяю с терапевтом"]
            await b.wait_for(text_has("staff-line", "Врач"), timeout=10)
            await b.screenshot(SHOTS / "e2e-2-doctor-call.png", full_page=True)
            assert (
                json.loads(json.dumps(await b.evaluate("window.medconsole.state()")))["leg"]
                == s2.leg
            )
    finally:
        for a in (operator, doctor):
            if a.session is not None:
                await a.session.close()
        await op.close()
        await doc.close()

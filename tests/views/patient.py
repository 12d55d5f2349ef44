"""A patient for the console's tests: the hub's patient protocol plus an aiortc peer.

It signs in by SMS code, starts a contact, confirms consents when asked, chats,
uploads files, and answers every leg it is told to open with a
:class:`~console.calls.session.PatientCallSession` sending a test pattern of its
marker colour and a tone, so the console's pixels can be checked.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

import aiohttp

from console.calls.ice import CallConfig
from console.calls.session import PatientCallSession
from console.protocol import messages as m
from tests.hub.clients import WsClient, patient_login

if TYPE_CHECKING:
    from console.calls.media import FrameSink
    from tests.hub.conftest import HubUnderTest

PATIENT_MARKER = (40, 200, 60)


class TestPatient:
    __test__ = False  # not a test class

    def __init__(self, hub: HubUnderTest, phone: str, *, auto_consent: bool = True) -> None:
        self.hub = hub
        self.phone = phone
        self.auto_consent = auto_consent
        self.ws = WsClient(hub.base, hub.session, "/ws/patient")
        self.token = ""
        self.welcome: dict[str, Any] = {}
        self.contact_id: str | None = None
        self.call: PatientCallSession | None = None
        self.remote_video: FrameSink | None = None
        self.legs: list[dict[str, Any]] = []
        self.chat: list[dict[str, Any]] = []
        self.holds: list[bool] = []
        self._pump: asyncio.Task[None] | None = None

    async def sign_in(self) -> dict[str, Any]:
        self.token = await patient_login(
            self.hub.session, self.hub.base, self.phone, self.hub.outbox
        )
        self.welcome = await self.ws.connect(self.token)
        assert self.welcome["type"] == "welcome", self.welcome
        return self.welcome

    def person_id(self, policy_number: str | None = None) -> int:
        persons = self.welcome["persons"]
        if policy_number is None:
            return int(persons[0]["person_id"])
        return int(next(p for p in persons if p["policy_number"] == policy_number)["person_id"])

    async def start(self, channel: str = "video", person_id: int | None = None) -> None:
        cmd: dict[str, Any] = {"type": "start", "channel": channel}
        if person_id is not None:
            cmd["person_id"] = person_id
        status = await self.ws.call(cmd)
        assert status["type"] == "queue_status", status
        self.contact_id = status["contact_id"]
        self._pump = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        """React to what the hub sends, as the patient page does."""
        while not self.ws.closed:
            try:
                msg = await self.ws.expect(
                    "leg", "signal", "consent_request", "chat", "hold", "call_request",
                    timeout=3600,
                )  # fmt: skip
            except (ConnectionError, TimeoutError):
                return
            kind = msg["type"]
            if kind == "leg":
                self.legs.append(msg)
                await self._open_leg(msg["leg"], msg["media"])
            elif kind == "signal" and self.call is not None:
                await self.call.handle(m.Signal.model_validate(msg["signal"]))
            elif kind == "consent_request" and self.auto_consent:
                await self.ws.send(
                    {"type": "confirm_consent", "kind": msg["kind"],
                     "text_version": msg["text_version"]}
                )  # fmt: skip
            elif kind == "chat":
                self.chat.append(msg["message"])
            elif kind == "hold":
                self.holds.append(bool(msg["on"]))
            elif kind == "call_request":
                await self.ws.send({"type": "call_answer", "accept": True})

    async def _open_leg(self, leg: str, media: str) -> None:
        if self.call is None:

            async def send(signal: m.Signal) -> None:
                await self.ws.send({"type": "signal", "signal": signal.model_dump(mode="json")})

            def on_remote(sink: FrameSink) -> None:
                if sink.kind == "video":
                    self.remote_video = sink

            self.call = PatientCallSession(
                send, config=CallConfig.loopback(), marker=PATIENT_MARKER, on_remote_track=on_remote
            )
        self.remote_video = None
        await self.call.open(leg, media)  # type: ignore[arg-type]

    async def say(self, text: str) -> None:
        await self.ws.send({"type": "chat", "text": text})

    async def send_file(self, data: bytes, name: str) -> None:
        form = aiohttp.FormData()
        form.add_field("file", data, filename=name, content_type="application/octet-stream")
        async with self.hub.session.post(
            f"{self.hub.base}/api/upload",
            data=form,
            headers={"Authorization": f"Bearer {self.token}"},
        ) as r:
            body = await r.json()
            assert r.status == 200, body
        await self.ws.send({"type": "chat", "attachment_id": body["id"]})

    async def wait_chat(self, pred: Any, timeout: float = 10.0) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while True:
                for msg in self.chat:
                    if pred(msg):
                        return msg
                await asyncio.sleep(0.05)

    async def close(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._pump
        if self.call is not None:
            await self.call.close()
        await self.ws.close()

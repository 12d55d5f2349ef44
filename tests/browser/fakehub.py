"""A stand-in for the hub that serves the patient page and plays the hub's side by hand.

It serves ``resources/web/`` the way the hub does (``/`` and ``/static/<file>``),
fakes the two login endpoints and the upload, and keeps one patient WebSocket:
every frame the page sends is checked against ``console.protocol`` and queued for
the test; every frame the test sends is checked too, so the fake cannot drift
from the protocol.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

from console.protocol import messages as m

WEB_ROOT = Path(__file__).resolve().parents[2] / "resources" / "web"

PHONE = "+7 916 123-45-67"
PHONE_NATIONAL = "8 (916) 123-45-67"
CODE = "1234"
TOKEN = "tok-" + "a" * 28
CONTACT = "c-100"

PARENT: dict[str, Any] = {
    "person_id": 1,
    "surname": "Иванова",
    "name": "Мария",
    "patronymic": "Петровна",
    "birth_date": date(1988, 3, 14).isoformat(),
    "age": 38,
    "route": "therapist",
    "relation": "self",
    "policy_status": "valid",
}
CHILD: dict[str, Any] = {
    "person_id": 2,
    "surname": "Иванов",
    "name": "Сергей",
    "patronymic": "Андреевич",
    "birth_date": date(2019, 6, 2).isoformat(),
    "age": 7,
    "route": "pediatrician",
    "relation": "represented",
    "policy_status": "valid",
}


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


class FakeHub:
    def __init__(self) -> None:
        self.persons: list[dict[str, Any]] = [PARENT, CHILD]
        self.open_contact: str | None = None  # welcome carries it (a reconnect)
        self.history: list[dict[str, Any]] = []  # welcome's chat
        self.on_hold = False  # the open contact is held: re-sent after the welcome, as the hub does
        self.sms_requests: list[dict[str, Any]] = []
        self.sms_too_soon = False
        self.logins: list[dict[str, Any]] = []
        self.uploads: list[dict[str, Any]] = []
        self.hellos = 0
        self.frames: list[dict[str, Any]] = []  # everything the page sent, in order
        self.bad_frames: list[str] = []  # frames that did not parse as PatientCommand
        self._inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._ws: web.WebSocketResponse | None = None
        self._connected = asyncio.Event()
        self._chat_id = 0
        self._files: dict[str, tuple[str, bytes]] = {}
        self.server: TestServer | None = None

    # ------------------------------------------------------------ server

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self._index)
        app.router.add_static("/static", WEB_ROOT)
        app.router.add_post("/api/patient/sms-code", self._sms_code)
        app.router.add_post("/api/patient/login", self._login)
        app.router.add_post("/api/upload", self._upload)
        app.router.add_get("/api/attachments/{id}", self._attachment)
        app.router.add_get("/ws/patient", self._ws_patient)
        return app

    async def start(self) -> str:
        self.server = TestServer(self.app(), host="127.0.0.1")
        await self.server.start_server()
        return self.url

    async def close(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self.server is not None:
            await self.server.close()

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/"))

    async def _index(self, _request: web.Request) -> web.StreamResponse:
        return web.FileResponse(WEB_ROOT / "index.html")

    async def _sms_code(self, request: web.Request) -> web.Response:
        body = m.SmsCodeRequest.model_validate_json(await request.read())
        self.sms_requests.append(body.model_dump())
        digits = "".join(ch for ch in body.phone if ch.isdigit())
        if len(digits) != 11:
            return _error(400, "bad_phone", "Номер не распознан")
        if self.sms_too_soon:
            return _error(429, "too_soon", "Повторный код можно запросить позже", retry_after_s=42)
        return web.json_response({"sent": True, "retry_after_s": 60})

    async def _login(self, request: web.Request) -> web.Response:
        body = m.PatientLogin.model_validate_json(await request.read())
        self.logins.append(body.model_dump())
        if body.code != CODE:
            return _error(401, "wrong_code", "Неверный код, осталось попыток: 2")
        return web.json_response({"token": TOKEN, "expires_at": "2099-01-01T00:00:00+00:00"})

    def _authorized(self, request: web.Request) -> bool:
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip() or request.query.get("token", "")
        return token == TOKEN

    async def _upload(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return _error(401, "unauthorized", "log in")
        reader = await request.multipart()
        part = await reader.next()
        while part is not None and getattr(part, "name", None) != "file":
            part = await reader.next()
        assert part is not None
        data = await part.read()  # type: ignore[union-attr]
        name = part.filename or "file"  # type: ignore[union-attr]
        if data.startswith(b"\x89PNG"):
            mime = "image/png"
        elif data.startswith(b"%PDF"):
            mime = "application/pdf"
        else:
            return _error(415, "type_not_allowed", "Allowed: JPEG, PNG, GIF, WebP, PDF, ZIP, DICOM")
        att_id = "a" + secrets.token_hex(6)
        self._files[att_id] = (mime, data)
        reply = {
            "id": att_id,
            "name": name,
            "mime": mime,
            "size": len(data),
            "url": f"/api/attachments/{att_id}",
        }
        self.uploads.append({**reply, "auth": request.headers.get("Authorization")})
        return web.json_response(reply)

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        if not self._authorized(request):
            return _error(401, "unauthorized", "log in")
        mime, data = self._files[request.match_info["id"]]
        return web.Response(body=data, content_type=mime)

    async def _ws_patient(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                continue
            try:
                cmd = m.parse_patient(frame.data)
            except m.ProtocolError as exc:
                self.bad_frames.append(f"{exc.message}: {frame.data}")
                await self._send(ws, exc.to_error().model_dump(mode="json", exclude_none=True))
                continue
            msg = json.loads(frame.data)
            self.frames.append(msg)
            if cmd.type == "hello":
                self.hellos += 1
                if cmd.token != TOKEN:
                    await self.send({"type": "error", "code": "unauthorized", "message": "no"})
                    continue
                welcome: dict[str, Any] = {
                    "type": "welcome",
                    "phone": PHONE_NATIONAL,
                    "persons": self.persons,
                }
                if self.open_contact:
                    welcome |= {"contact_id": self.open_contact, "chat": self.history}
                await self.send(welcome)
                if self.open_contact and self.on_hold:
                    await self.send({"type": "hold", "contact_id": self.open_contact, "on": True})
                self._connected.set()
            elif cmd.type == "ping":
                await self.send({"type": "pong", "ref": cmd.ref} if cmd.ref else {"type": "pong"})
            else:
                await self._inbox.put(msg)
        if self._ws is ws:
            self._ws = None
            self._connected.clear()
        return ws

    # ------------------------------------------------------------ the test's side

    async def connected(self, timeout: float = 10.0) -> None:
        """Wait until the page has said hello and got its welcome."""
        await asyncio.wait_for(self._connected.wait(), timeout)

    async def send(self, msg: dict[str, Any]) -> None:
        """Send one hub -> patient frame (validated against the protocol first)."""
        await self._send(self._ws, msg)

    @staticmethod
    async def _send(ws: web.WebSocketResponse | None, msg: dict[str, Any]) -> None:
        frame = json.dumps({"v": 1, **msg}, ensure_ascii=False)
        m.parse_from_hub_patient(frame)  # the fake speaks the real protocol
        assert ws is not None and not ws.closed, "the page is not connected"
        await ws.send_str(frame)

    async def expect(self, type_: str, timeout: float = 10.0) -> dict[str, Any]:
        """The next frame the page sent (pings aside); it must be of ``type_``."""
        msg = await asyncio.wait_for(self._inbox.get(), timeout)
        assert msg["type"] == type_, f"expected {type_}, the page sent {msg}"
        return msg

    async def hold(self, on: bool = True, contact_id: str = CONTACT) -> None:
        """The staff member puts the call on hold (or takes it off), as the hub relays it."""
        self.on_hold = on
        await self.send({"type": "hold", "contact_id": contact_id, "on": on})

    def nothing_sent(self) -> bool:
        return self._inbox.empty()

    async def drop(self) -> None:
        """Close the page's WebSocket as a network failure or a hub restart would."""
        assert self._ws is not None
        self._connected.clear()
        await self._ws.close(code=1011, message=b"hub restart")

    def chat_message(
        self,
        text: str = "",
        *,
        author: str = "staff",
        author_name: str = "Петрова Анна",
        attachment: dict[str, Any] | None = None,
        contact_id: str = CONTACT,
    ) -> dict[str, Any]:
        self._chat_id += 1
        msg: dict[str, Any] = {
            "id": self._chat_id,
            "contact_id": contact_id,
            "at": now_iso(),
            "author": author,
            "author_name": author_name if author == "staff" else "",
            "text": text,
        }
        if attachment:
            msg["attachment"] = attachment
        return msg


def _error(status: int, code: str, message: str, **extra: Any) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message, **extra}}, status=status)

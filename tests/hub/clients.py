"""Small WebSocket clients of the hub for tests: a staff console and a patient."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

import aiohttp

from console.protocol import messages as m

if TYPE_CHECKING:
    from pathlib import Path


class WsClient:
    def __init__(self, base: str, session: aiohttp.ClientSession, path: str) -> None:
        self.base = base
        self.session = session
        self.path = path
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.pending: list[dict[str, Any]] = []  # received, not yet taken by expect/call
        self.seen: list[dict[str, Any]] = []
        self._arrived = asyncio.Event()
        self.closed = False
        self._reader: asyncio.Task[None] | None = None
        self._n = 0

    async def connect(self, token: str) -> dict[str, Any]:
        self.ws = await self.session.ws_connect(self.base.replace("http", "ws") + self.path)
        self._reader = asyncio.create_task(self._read())
        await self.send({"type": "hello", "token": token})
        return await self.expect("welcome", "error")

    async def _read(self) -> None:
        assert self.ws is not None
        async for frame in self.ws:
            if frame.type == aiohttp.WSMsgType.TEXT:
                msg = json.loads(frame.data)
                self.seen.append(msg)
                self.pending.append(msg)
                self._arrived.set()
        self.closed = True
        self._arrived.set()

    async def send(self, obj: dict[str, Any]) -> str:
        assert self.ws is not None
        self._n += 1
        ref = obj.get("ref") or f"r{self._n}"
        await self.ws.send_str(json.dumps({"v": 1, "ref": ref, **obj}, default=str))
        return ref

    async def send_raw(self, data: str | bytes) -> None:
        assert self.ws is not None
        if isinstance(data, bytes):
            await self.ws.send_bytes(data)
        else:
            await self.ws.send_str(data)

    async def _take(self, pred: Any, timeout: float, what: str) -> dict[str, Any]:
        async def find() -> dict[str, Any]:
            while True:
                for i, msg in enumerate(self.pending):
                    if pred(msg):
                        return self.pending.pop(i)
                if self.closed:
                    raise ConnectionError(f"closed while waiting for {what}")
                self._arrived.clear()
                await self._arrived.wait()

        return await asyncio.wait_for(find(), timeout)

    async def expect(self, *types: str, timeout: float = 10.0, **match: Any) -> dict[str, Any]:
        """The oldest unread message of one of these types (and fields)."""
        return await self._take(
            lambda msg: msg["type"] in types and all(msg.get(k) == v for k, v in match.items()),
            timeout,
            f"{types} {match}",
        )

    async def call(self, obj: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:
        """Send a command and wait for its reply (``ack``, ``error`` or a typed reply)."""
        ref = await self.send(obj)
        return await self._take(
            lambda msg: msg.get("ref") == ref and msg["type"] != "identify_result",
            timeout,
            f"reply to {obj.get('type')}",
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)


async def staff_login(
    session: aiohttp.ClientSession, base: str, login: str, password: str = "medconsole"
) -> str:
    async with session.post(
        f"{base}/api/staff/login", json={"login": login, "password": password}
    ) as r:
        body = await r.json()
        assert r.status == 200, body
        return body["token"]


async def patient_login(session: aiohttp.ClientSession, base: str, phone: str, outbox: Path) -> str:
    async with session.post(f"{base}/api/patient/sms-code", json={"phone": phone}) as r:
        assert r.status == 200, await r.text()
    code = last_code(outbox)
    async with session.post(f"{base}/api/patient/login", json={"phone": phone, "code": code}) as r:
        body = await r.json()
        assert r.status == 200, body
        return body["token"]


def last_code(outbox: Path) -> str:
    line = outbox.read_text(encoding="utf-8").strip().splitlines()[-1]
    text = json.loads(line)["text"]
    return next(w.strip(".:,") for w in text.split() if w.strip(".:,").isdigit())


def parse(msg: dict[str, Any]) -> Any:
    """Every frame the hub sends must parse with the shared protocol models."""
    return m.parse_from_hub_staff(json.dumps(msg))

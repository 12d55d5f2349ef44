"""Malformed and hostile input: every frame gets an answer, nothing falls over."""

from __future__ import annotations

import json
import random

import aiohttp

from tests.hub.clients import WsClient, patient_login, staff_login
from tests.hub.test_flow import adult_with_phone

N_HOSTILE = 10_000


def hostile_frames(rng: random.Random, n: int) -> list[str | bytes]:
    """Frames a broken or malicious client might send, none of them valid."""
    makers = [
        lambda: "",
        lambda: "{",
        lambda: "null",
        lambda: "[]",
        lambda: str(rng.randint(-(10**9), 10**9)),
        lambda: json.dumps({"type": rng.choice(["", "nope", "ACCEPT", "__proto__", 5, None])}),
        lambda: json.dumps({"v": rng.choice([0, 2, "1", None]), "type": "ping"}),
        lambda: json.dumps({"v": 1, "type": "accept"}),  # missing contact_id
        lambda: json.dumps({"v": 1, "type": "accept", "contact_id": "../../etc/passwd"}),
        lambda: json.dumps({"v": 1, "type": "accept", "contact_id": "x" * 1000}),
        lambda: json.dumps({"v": 1, "type": "chat", "contact_id": "c1", "text": "я" * 5000}),
        lambda: json.dumps({"v": 1, "type": "chat", "contact_id": "c1", "text": {"$gt": ""}}),
        lambda: json.dumps({"v": 1, "type": "set_state", "state": "god_mode"}),
        lambda: json.dumps({"v": 1, "type": "ping", "extra": True}),
        lambda: json.dumps(
            {
                "v": 1,
                "type": "signal",
                "contact_id": "c1",
                "signal": {"leg": "L", "kind": "offer", "sdp": "s" * 70_000},
            }
        ),
        lambda: json.dumps(
            {"v": 1, "type": "identify", "contact_id": "c1", "birth_date": "31.02.2020"}
        ),
        lambda: "[" * 5000 + "]" * 5000,  # deep nesting
        lambda: b'{"v":1,"type":"ping","ref":"\xed\xa0\x80\x00"}',  # invalid UTF-8, binary
        lambda: bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 64))),
        lambda: json.dumps({"v": 1, "type": "transfer", "contact_id": "c1", "to": 42}),
    ]
    return [rng.choice(makers)() for _ in range(n)]


async def drain_errors(c: WsClient, n: int) -> list[dict]:
    got = []
    for _ in range(n):
        got.append(await c.expect("error", timeout=30))
    return got


async def test_ten_thousand_hostile_frames_each_get_an_error(hub_server) -> None:
    h = hub_server
    c = WsClient(h.base, h.session, "/ws/staff")
    welcome = await c.connect(await staff_login(h.session, h.base, "op1"))
    assert welcome["type"] == "welcome"
    frames = hostile_frames(random.Random(20261122), N_HOSTILE)
    for f in frames:
        await c.send_raw(f)
    errors = await drain_errors(c, N_HOSTILE)
    assert all(e["code"] == "bad_message" for e in errors)
    # the errors say what was wrong: a field name where there is one
    assert any(e.get("field") == "contact_id" for e in errors)
    assert any(e.get("field") == "type" for e in errors)
    # the connection and the hub are still fine
    assert (await c.call({"type": "ping"}))["type"] == "pong"
    refused = await c.call({"type": "accept", "contact_id": "c-nobody"})
    assert refused["type"] == "error" and refused["code"] == "conflict"
    await c.close()
    async with h.session.get(f"{h.base}/healthz") as r:
        assert r.status == 200


async def test_hostile_frames_before_login_on_the_patient_socket(hub_server) -> None:
    h = hub_server
    c = WsClient(h.base, h.session, "/ws/patient")
    c.ws = await h.session.ws_connect(h.base.replace("http", "ws") + "/ws/patient")
    import asyncio

    c._reader = asyncio.create_task(c._read())
    frames = hostile_frames(random.Random(7), 1000)
    for f in frames:
        await c.send_raw(f)
    await drain_errors(c, 1000)
    # a valid command before hello is refused, not obeyed
    refused = await c.call({"type": "start", "channel": "chat"})
    assert refused["code"] == "unauthorized"
    await c.close()


async def test_oversized_frame_closes_only_that_connection(hub_server) -> None:
    h = hub_server
    ws = await h.session.ws_connect(h.base.replace("http", "ws") + "/ws/patient")
    await ws.send_str("x" * (300 * 1024))
    msg = await ws.receive(timeout=10)
    assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    assert ws.close_code == aiohttp.WSCloseCode.MESSAGE_TOO_BIG
    person = adult_with_phone(h.people)
    c = WsClient(h.base, h.session, "/ws/patient")
    token = await patient_login(h.session, h.base, person.phone, h.outbox)
    assert (await c.connect(token))["type"] == "welcome"
    await c.close()


async def test_bad_http_bodies_get_clear_errors(hub_server) -> None:
    h = hub_server
    cases = [
        ("/api/patient/sms-code", b"not json", 400),
        ("/api/patient/sms-code", b'{"phone": "hello"}', 400),
        ("/api/patient/sms-code", b'{"phone": "+7916", "more": 1}', 400),
        ("/api/staff/login", b'{"login": ""}', 400),
        ("/api/patient/login", b'{"phone": "+79161234567", "code": "123456"}', 401),
    ]
    for path, body, status in cases:
        async with h.session.post(
            h.base + path, data=body, headers={"Content-Type": "application/json"}
        ) as r:
            assert r.status == status, (path, body, await r.text())
            err = (await r.json())["error"]
            assert err["message"]

"""kill -9 of the hub: a restart finds every contact, position, assignment and chat."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from typing import TYPE_CHECKING

import aiohttp
import pytest

from tests.hub.clients import WsClient, patient_login, staff_login
from tests.hub.conftest import seed_db

if TYPE_CHECKING:
    from pathlib import Path

N_CONTACTS = 50
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch_hub(tmp: Path, url: str, port: int) -> subprocess.Popen:
    """The hub as its own process (its own session, so the whole group can be killed)."""
    argv = [sys.executable, "-m", "console.cli", "hub", "--port", str(port), "--db", url,
            "--data-dir", str(tmp), "--sms-outbox", str(tmp / "sms.jsonl")]  # fmt: skip
    with (tmp / f"hub-{port}.log").open("ab") as log:
        return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=log,
                                start_new_session=True)  # fmt: skip


async def start_hub(tmp: Path, url: str, port: int) -> subprocess.Popen:
    proc = await asyncio.to_thread(launch_hub, tmp, url, port)
    async with aiohttp.ClientSession() as s:
        for _ in range(200):
            try:
                async with s.get(f"http://127.0.0.1:{port}/healthz") as r:
                    if r.status == 200:
                        return proc
            except aiohttp.ClientError:
                pass
            if proc.poll() is not None:
                raise RuntimeError((tmp / f"hub-{port}.log").read_text())
            await asyncio.sleep(0.05)
    raise TimeoutError("hub did not start")


async def test_sigkill_and_restart_lose_nothing(tmp_path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.sqlite3'}"
    people = await seed_db(url, n=300)
    phones = list(dict.fromkeys(p.phone for p in people if p.phone and not p.representative_policy))
    phones = phones[:N_CONTACTS]
    assert len(phones) == N_CONTACTS
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = await start_hub(tmp_path, url, port)
    outbox = tmp_path / "sms.jsonl"
    try:
        async with aiohttp.ClientSession() as session:
            tokens = {}
            patients = []
            for phone in phones:
                tokens[phone] = await patient_login(session, base, phone, outbox)
                c = WsClient(base, session, "/ws/patient")
                assert (await c.connect(tokens[phone]))["type"] == "welcome"
                assert (await c.call({"type": "start", "channel": "chat"}))[
                    "type"
                ] == "queue_status"
                patients.append(c)
            op1_token = await staff_login(session, base, "op1")
            op2_token = await staff_login(session, base, "op2")
            op1 = WsClient(base, session, "/ws/staff")
            await op1.connect(op1_token)
            await op1.call({"type": "set_state", "state": "available"})
            offer = await op1.expect("offer")
            held = offer["contact"]["id"]
            await op1.call({"type": "accept", "contact_id": held})
            await op1.call({"type": "chat", "contact_id": held, "text": "Здравствуйте!"})
            op2 = WsClient(base, session, "/ws/staff")
            await op2.connect(op2_token)
            before = await op2.expect("queue")
            order_before = [e["id"] for e in before["entries"]]
            assert len(order_before) == N_CONTACTS - 1 and held not in order_before

            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            for c in (*patients, op1, op2):
                await c.close()

        proc = await start_hub(tmp_path, url, port)
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{base}/healthz") as r:
                assert (await r.json())["contacts"] == N_CONTACTS
            # the medconsultant comes back to the contact they held, chat and all
            op1 = WsClient(base, session, "/ws/staff")
            welcome = await op1.connect(op1_token)
            assert welcome["state"] == "busy"
            assert [c["id"] for c in welcome["contacts"]] == [held]
            assert [m["text"] for m in welcome["contacts"][0]["chat"]] == ["Здравствуйте!"]
            # every waiting contact is where it was, in the same order
            op2 = WsClient(base, session, "/ws/staff")
            await op2.connect(op2_token)
            after = await op2.expect("queue")
            assert [e["id"] for e in after["entries"]] == order_before
            # and named as before (the hub's name cache is rebuilt from the store)
            names_before = [e.get("person_name") for e in before["entries"]]
            assert sum(1 for n in names_before if n) > N_CONTACTS // 2
            assert [e.get("person_name") for e in after["entries"]] == names_before
            # a patient comes back to their place and their chat
            held_phone = phones[0]
            c = WsClient(base, session, "/ws/patient")
            back = await c.connect(tokens[held_phone])
            assert back["contact_id"] is not None
            for c2 in (c, op1, op2):
                await c2.close()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

"""kill -9 of the hub under a console: the client comes back by itself, contact and all."""

from __future__ import annotations

import asyncio
import os
import signal

import aiohttp
import pytest

from console.client import ConnectionEvent, StaffClient
from console.protocol import messages as m
from tests.client.conftest import PASSWORD, owner_phones
from tests.hub.clients import WsClient, patient_login
from tests.hub.conftest import seed_db
from tests.hub.test_restart import free_port, start_hub

pytestmark = pytest.mark.slow


async def test_the_client_rides_out_a_hub_restart(tmp_path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.sqlite3'}"
    people = await seed_db(url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = await start_hub(tmp_path, url, port)
    client = StaffClient(base, backoff=(0.1, 0.2, 0.4))
    try:
        async with aiohttp.ClientSession() as session:
            await client.login("op1", PASSWORD)
            await client.connect()
            offered = client.expect(m.OfferMsg)
            await client.set_state("available")
            pat = WsClient(base, session, "/ws/patient")
            phone = owner_phones(people, 1)[0]
            await pat.connect(await patient_login(session, base, phone, tmp_path / "sms.jsonl"))
            await pat.call({"type": "start", "channel": "chat"})
            cid = (await asyncio.wait_for(offered, 5)).contact.id
            await client.accept(cid)
            await client.chat(cid, "Здравствуйте!")
            states: list[str] = []
            client.on("connection", lambda e: states.append(e.state))
            gone = client.expect("contact_gone")
            reconnecting = client.expect(ConnectionEvent, lambda e: e.state == "reconnecting")
            online = client.expect(ConnectionEvent, lambda e: e.state == "online")

            os.killpg(proc.pid, signal.SIGKILL)
            await asyncio.to_thread(proc.wait, 10)
            await asyncio.wait_for(reconnecting, 5)
            await pat.close()
            await asyncio.sleep(0.5)  # a few attempts fail while the hub is down
            assert client.connection_state == "reconnecting"

            proc = await start_hub(tmp_path, url, port)
            await asyncio.wait_for(online, 5)
            assert states == ["reconnecting", "online"]
            assert list(client.contacts) == [cid] and client.state == "busy"
            assert [x.text for x in client.contacts[cid].chat] == ["Здравствуйте!"]
            assert not gone.done()  # the contact never left the console's view
            await client.chat(cid, "Связь восстановлена")  # and it works on the new hub
            assert len(client.contacts[cid].chat) == 2
    finally:
        await client.close()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            await asyncio.to_thread(proc.wait, 10)

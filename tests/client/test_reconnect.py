"""The staff client's connection: drops, reconnects, a second console, close()."""

from __future__ import annotations

import asyncio

import pytest

from console.client import (
    ConnectionEvent,
    HubUnreachableError,
    NotConnectedError,
    StaffClient,
)
from console.protocol import messages as m
from tests.client.conftest import owner_phones
from tests.hub.test_restart import free_port


def reaching(state: str):
    return lambda e: e.state == state


async def holding(h, op: StaffClient, patients) -> tuple[str, object]:
    """``op`` accepts a new chat contact; returns its id and the patient."""
    offered = op.expect(m.OfferMsg)
    await op.set_state("available")
    pat = await patients(owner_phones(h.people, 1)[0])
    cid = (await asyncio.wait_for(offered, 5)).contact.id
    await op.accept(cid)
    await op.chat(cid, "Здравствуйте!")
    return cid, pat


async def test_a_dropped_socket_comes_back_with_the_contact(
    hub_server, make_client, patients
) -> None:
    h = hub_server
    op = await make_client("op1", backoff=(0.3,))
    cid, pat = await holding(h, op, patients)
    await pat.expect("chat")
    seen: list[str] = []
    op.on("connection", lambda e: seen.append(e.state))
    contact_events: list[str] = []
    op.on("contact", lambda e: contact_events.append(e.contact.id))
    reconnecting = op.expect(ConnectionEvent, reaching("reconnecting"))
    online = op.expect(ConnectionEvent, reaching("online"))

    await h.hub.staff_conns[op.me.id].peer.close()  # the hub side drops the socket
    await asyncio.wait_for(reconnecting, 5)
    assert op.connection_state == "reconnecting" and list(op.contacts) == [cid]
    # a command issued now waits for the connection, then goes through
    sending = asyncio.create_task(op.chat(cid, "Я на связи"))
    await asyncio.sleep(0.05)
    assert not sending.done()
    await asyncio.wait_for(online, 5)
    await asyncio.wait_for(sending, 5)

    assert seen == ["reconnecting", "online"]
    assert list(op.contacts) == [cid] and op.state == "busy"
    assert [x.text for x in op.contacts[cid].chat] == ["Здравствуйте!", "Я на связи"]
    assert contact_events[0] == cid  # the welcome's contacts are re-announced
    assert (await pat.expect("chat"))["message"]["text"] == "Я на связи"


async def test_the_clients_own_socket_dropping_is_noticed(hub_server, make_client) -> None:
    op = await make_client("op1")
    online = op.expect(
        ConnectionEvent, lambda e: e.state == "online" and e.previous != "connecting"
    )
    assert op._ws is not None
    op._ws._conn.transport.abort()  # the network goes, no close frame
    await asyncio.wait_for(online, 5)
    assert op.connection_state == "online"
    assert await op.ping() >= 0


async def test_a_second_console_of_the_same_login_wins_without_a_fight(make_client) -> None:
    first = await make_client("op1")
    logged_out = first.expect(ConnectionEvent, reaching("logged_out"))
    second = await make_client("op1")
    event = await asyncio.wait_for(logged_out, 5)
    assert event.reason == "signed_in_elsewhere"
    await asyncio.sleep(0.3)  # the first does not reconnect and throw the second out
    assert first.connection_state == "logged_out" and second.connection_state == "online"
    with pytest.raises(NotConnectedError) as err:
        await first.ping()
    assert err.value.state == "logged_out"
    assert await second.ping() >= 0


async def test_close_leaves_nothing_running(hub_server, make_client) -> None:
    h = hub_server
    op = await make_client("op1", backoff=(5.0,))
    forever = asyncio.Event()

    async def slow_handler(_event: object) -> None:
        await forever.wait()

    op.on("state", slow_handler)
    stream = op.events()
    never = op.expect("offer")
    await op.set_state("available")  # starts the slow handler's task
    reconnecting = op.expect(ConnectionEvent, reaching("reconnecting"))
    await h.hub.staff_conns[op.me.id].peer.close()
    await asyncio.wait_for(reconnecting, 5)
    waiting = asyncio.create_task(op.ping())  # waits for a reconnect 5 s away
    await asyncio.sleep(0.05)
    assert any(t.get_name().startswith("staff-client") for t in asyncio.all_tasks())

    await op.close()
    assert op.connection_state == "closed"
    assert [t for t in asyncio.all_tasks() if t.get_name().startswith("staff-client")] == []
    with pytest.raises(NotConnectedError):
        await waiting
    with pytest.raises(NotConnectedError):
        await never
    assert [e.type async for e in stream][-1] == "connection"  # drained, then ended
    await op.close()  # twice is fine


async def test_an_unreachable_hub_is_an_error_not_a_hang() -> None:
    client = StaffClient(f"http://127.0.0.1:{free_port()}", connect_timeout=3)
    try:
        with pytest.raises(HubUnreachableError):
            await client.login("op1", "medconsole")
        assert client.connection_state == "closed"
    finally:
        await client.close()


async def test_connect_while_reconnecting_tries_at_once(hub_server, make_client) -> None:
    h = hub_server
    op = await make_client("op1", backoff=(30.0,))
    reconnecting = op.expect(ConnectionEvent, reaching("reconnecting"))
    await h.hub.staff_conns[op.me.id].peer.close()
    await asyncio.wait_for(reconnecting, 5)
    welcome = await asyncio.wait_for(op.connect(), 5)  # the console's "Reconnect" button
    assert op.connection_state == "online" and welcome.staff.login == "op1"

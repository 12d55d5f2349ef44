"""The staff client on a real hub: login, offers, contacts, chat, identify, errors, files."""

from __future__ import annotations

import asyncio
import logging

import pytest

from console.client import (
    ConnectionEvent,
    HttpError,
    HubCommandError,
    LoginError,
    NotConnectedError,
    StaffClient,
)
from console.protocol import messages as m
from tests.client.conftest import PASSWORD, owner_phones
from tests.hub.test_flow import adult_with_phone
from tests.hub.test_uploads import tiny_png


async def test_login_and_connect(hub_server, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="console.client")
    h = hub_server
    client = StaffClient(h.base, session=h.session)
    states: list[ConnectionEvent] = []
    client.on(ConnectionEvent, states.append)
    with pytest.raises(LoginError) as refused:
        await client.login("op1", "not-the-password")
    assert refused.value.code == "bad_credentials"
    assert refused.value.message == "Wrong login or password."
    assert refused.value.status == 401
    assert not client.logged_in
    with pytest.raises(LoginError) as no_login:
        await client.connect()
    assert no_login.value.code == "not_logged_in"

    await client.login("op1", PASSWORD)
    welcome = await client.connect()
    assert client.connection_state == "online"
    assert welcome.staff.login == "op1" and client.me == welcome.staff
    assert client.state == "offline" and dict(client.contacts) == {}
    assert [(e.previous, e.state) for e in states] == [
        ("closed", "connecting"),
        ("connecting", "online"),
    ]
    assert await client.connect() is welcome  # already online: nothing to do
    assert 0 < await client.ping() < 5

    await client.close()
    assert client.connection_state == "closed" and states[-1].reason == "closed"
    assert not h.session.closed  # a session the caller gave stays theirs
    with pytest.raises(NotConnectedError):
        await client.ping()
    assert client._token  # the secrets never reach a log line
    assert client._token not in caplog.text and PASSWORD not in caplog.text


async def test_offer_accept_chat_identify(hub_server, make_client, patients) -> None:
    h = hub_server
    person = adult_with_phone(h.people)
    op = await make_client("op1")
    queue = op.expect(m.QueueSnapshot)
    offered = op.expect(m.OfferMsg)
    await op.set_state("available")
    assert op.state == "available"  # the hub announces before it acks
    pat = await patients(person.phone)

    offer = await asyncio.wait_for(offered, 5)
    assert op.offer is offer and op.state == "ringing"
    cid = offer.contact.id
    assert offer.contact.channel == "chat" and offer.contact.caller_phone
    await asyncio.wait_for(queue, 5)
    assert op.queue is not None

    identified = op.expect("identify_result")  # the hub looks the phone up on accept
    await op.accept(cid)
    assert list(op.contacts) == [cid] and op.offer is None and op.state == "busy"
    assert op.contacts[cid].chat == []
    auto = await asyncio.wait_for(identified, 5)
    assert auto.contact_id == cid and auto.matches

    await op.chat(cid, "Здравствуйте!")
    assert [x.text for x in op.contacts[cid].chat] == ["Здравствуйте!"]
    assert (await pat.expect("chat"))["message"]["text"] == "Здравствуйте!"
    incoming = op.expect(m.ChatMsg, lambda e: e.message.author == "patient")
    await pat.call({"type": "chat", "text": "Добрый день"})
    got = await asyncio.wait_for(incoming, 5)
    assert got.message.text == "Добрый день"
    assert [(x.author, x.text) for x in op.contacts[cid].chat] == [
        ("staff", "Здравствуйте!"),
        ("patient", "Добрый день"),
    ]

    result = await op.identify(cid, policy_number=person.policy.number)
    assert isinstance(result, m.IdentifyResult) and result.contact_id == cid
    assert [p.policy_number for p in result.matches] == [person.policy.number]
    await op.select_person(cid, result.matches[0].person_id)
    assert op.contacts[cid].person is not None
    assert op.contacts[cid].person.person_id == result.matches[0].person_id
    assert len(op.contacts[cid].chat) == 2  # the whole chat came back with the update
    confirmed = op.expect(
        m.ContactUpdate,
        lambda e: any(c.state == "confirmed" for c in e.contact.consents),
    )
    await op.send_consent(cid, "personal_data")
    ask = await pat.expect("consent_request")
    await pat.call(
        {"type": "confirm_consent", "kind": "personal_data", "text_version": ask["text_version"]}
    )
    await asyncio.wait_for(confirmed, 5)
    assert {c.kind: c.state for c in op.contacts[cid].consents}["personal_data"] == "confirmed"
    await op.set_reason(cid, "кашель")

    # the hub's refusals raise with its code; so does bad input, before it is sent
    with pytest.raises(HubCommandError) as err:
        await op.chat("c-not-there", "?")
    assert err.value.code == "not_found"
    with pytest.raises(HubCommandError) as err:
        await op.transfer(cid, "duty:therapist")  # consents not confirmed yet
    assert err.value.code == "conflict"
    with pytest.raises(HubCommandError) as err:
        await op.chat(cid, "x" * (m.MAX_TEXT + 1))
    assert (err.value.code, err.value.field) == ("bad_message", "text")
    assert "xxxx" not in str(err.value)

    # the contact ends: wrap-up, then it is gone (the client derives both from the state)
    gone = op.expect(m.ContactGone)
    await op.end(cid)
    assert op.state == "wrap_up" and op.contacts[cid].state == "wrap_up"
    await op.wrapup_done(cid, "completed", "ok")
    assert (await asyncio.wait_for(gone, 5)).reason == "closed"
    assert dict(op.contacts) == {} and op.state == "available"


async def test_reject_signal_and_events_stream(hub_server, make_client, patients) -> None:
    h = hub_server
    op = await make_client("op1")
    async with op.events(m.OfferMsg, "offer_withdrawn", "error") as events:
        await op.set_state("available")
        await patients(owner_phones(h.people, 1)[0])
        offer = await asyncio.wait_for(anext(events), 5)
        assert isinstance(offer, m.OfferMsg)
        await op.reject(offer.contact.id)
        withdrawn = await asyncio.wait_for(anext(events), 5)
        assert isinstance(withdrawn, m.OfferWithdrawn)
        assert withdrawn.contact_id == offer.contact.id and withdrawn.reason == "rejected"
        assert op.offer is None
        # a signal is fire-and-forget: the hub's refusal comes back as an error event
        await op.signal(offer.contact.id, m.Signal(leg="L0", kind="offer", sdp="v=0"))
        error = await asyncio.wait_for(anext(events), 5)
        assert isinstance(error, m.Error) and error.code == "forbidden" and error.ref is None
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(anext(events), 1)  # a closed stream ends


async def test_a_bad_frame_is_dropped_and_a_bad_handler_is_survived(
    hub_server, make_client, caplog
) -> None:
    h = hub_server
    op = await make_client("op1")
    calls: list[str] = []
    name = "".join(["Ива", "нов"])  # a name in the exception, never in the source line

    def broken(_event: object) -> None:
        raise RuntimeError(name)

    op.on("state", broken)
    op.on("state", lambda e: calls.append(e.state))
    conn = h.hub.staff_conns[op.me.id]
    await conn.peer.send_text('{"v": 1, "type": "chat", "message": {"text": "Петров"}}')
    await conn.peer.send_text("not json at all")
    await op.set_state("available")
    assert calls == ["available"] and op.connection_state == "online"
    assert "does not parse" in caplog.text
    assert "Петров" not in caplog.text and "Иванов" not in caplog.text
    assert "RuntimeError" in caplog.text


async def test_upload_and_download(hub_server, make_client, patients, tmp_path) -> None:
    h = hub_server
    op = await make_client("op1")
    offered = op.expect(m.OfferMsg)
    await op.set_state("available")
    pat = await patients(owner_phones(h.people, 1)[0])
    cid = (await asyncio.wait_for(offered, 5)).contact.id
    await op.accept(cid)

    photo = tmp_path / "снимок.png"
    photo.write_bytes(tiny_png())
    att = await op.upload(photo)
    assert att.mime == "image/png" and att.name == "снимок.png" and att.size == len(tiny_png())
    await op.chat(cid, attachment_id=att.id)
    assert op.contacts[cid].chat[-1].attachment == att
    assert (await pat.expect("chat"))["message"]["attachment"]["id"] == att.id
    assert await op.download(att.url) == tiny_png()

    answered = op.expect(m.CallAnswered)
    await op.raise_call(cid, "video")
    assert (await pat.expect("call_request"))["media"] == "video"
    await pat.call({"type": "call_answer", "accept": False})
    assert (await asyncio.wait_for(answered, 5)).accept is False

    with pytest.raises(HttpError) as err:
        await op.upload(b"#!/bin/sh\n", name="run.png")
    assert (err.value.status, err.value.code) == (415, "type_not_allowed")
    with pytest.raises(HttpError) as err:
        await op.download("/api/attachments/nothing")
    assert err.value.status == 404
    with pytest.raises(ValueError, match="not a URL of this hub"):
        await op.download("http://example.org/api/attachments/x")

"""Hold: the holder puts the patient on hold; the patient's page is told, across its
reconnects, until the holder takes it off or the contact changes hands or ends."""

from __future__ import annotations

import asyncio

import pytest

from console.client import HubCommandError, StaffClient
from console.protocol import messages as m
from tests.client.conftest import owner_phones, signed_in_patient
from tests.hub.clients import WsClient
from tests.hub.test_flow import adult_with_phone


async def connected(h, op: StaffClient, phone: str) -> tuple[str, WsClient, str]:
    """``op`` takes a new chat contact from ``phone``: its id, the patient and their token."""
    offered = op.expect(m.OfferMsg)
    await op.set_state("available")
    pat, token, _ = await signed_in_patient(h, phone)
    await pat.call({"type": "start", "channel": "chat"})
    cid = (await asyncio.wait_for(offered, 5)).contact.id
    await op.accept(cid)
    await pat.expect("leg")
    return cid, pat, token


def index_of(pat: WsClient, type_: str, **match: object) -> int:
    return next(
        i
        for i, msg in enumerate(pat.seen)
        if msg["type"] == type_ and all(msg.get(k) == v for k, v in match.items())
    )


async def test_hold_reaches_the_patient_and_outlasts_both_reconnects(
    hub_server, make_client
) -> None:
    h = hub_server
    op = await make_client("op1", backoff=(0.05,))
    other = await make_client("op2")
    cid, pat, token = await connected(h, op, owner_phones(h.people, 1)[0])
    assert op.contacts[cid].on_hold is False

    await op.hold(cid)
    assert op.contacts[cid].on_hold is True  # the update arrives before the ack
    assert await pat.expect("hold") == {"v": 1, "type": "hold", "contact_id": cid, "on": True}

    # only the holder may
    with pytest.raises(HubCommandError) as err:
        await other.hold(cid, on=False)
    assert err.value.code == "forbidden"

    # the patient's page reloads: a new leg, and then the hold again
    await pat.close()
    pat = WsClient(h.base, h.session, "/ws/patient")
    assert (await pat.connect(token))["contact_id"] == cid
    await pat.expect("leg")
    assert (await pat.expect("hold"))["on"] is True
    assert index_of(pat, "leg") < index_of(pat, "hold")

    # the console reconnects: the contact it gets back still says so
    online = op.expect("connection", lambda e: e.state == "online")
    await h.hub.staff_conns[op.me.id].peer.close()
    await asyncio.wait_for(online, 5)
    assert op.contacts[cid].on_hold is True

    await op.hold(cid, on=False)
    assert op.contacts[cid].on_hold is False
    assert (await pat.expect("hold"))["on"] is False

    # held when it ends: the patient hears the hold is over, then that it ended
    await op.hold(cid)
    await pat.expect("hold", on=True)
    await op.end(cid)
    await pat.expect("ended")
    assert index_of(pat, "hold", on=False) < index_of(pat, "ended")
    with pytest.raises(HubCommandError) as err:
        await op.hold(cid)  # wrapping up: nobody is on the line
    assert err.value.code == "conflict"
    await pat.close()


async def test_a_transfer_and_a_hand_back_end_the_hold(hub_server, make_client) -> None:
    h = hub_server
    person = adult_with_phone(h.people)
    op = await make_client("op1")
    doctor = await make_client("therapist1")
    cid, pat, _ = await connected(h, op, person.phone)
    found = await op.identify(cid, policy_number=person.policy.number)
    await op.select_person(cid, found.matches[0].person_id)
    for kind in ("personal_data", "remote_consultation"):
        await op.send_consent(cid, kind)
        ask = await pat.expect("consent_request", kind=kind)
        await pat.call(
            {"type": "confirm_consent", "kind": kind, "text_version": ask["text_version"]}
        )

    await op.hold(cid)
    await pat.expect("hold", on=True)
    await op.transfer(cid, "duty:therapist")
    # (the queue's periodic status may tell the patient of the transfer first: either order)
    await pat.expect("hold", on=False)
    await pat.expect("queue_status", state="transferred")

    offered = doctor.expect(m.OfferMsg)
    await doctor.set_state("available")

    assert (await asyncio.wait_for(offered, 5)).contact.on_hold is False
    await doctor.accept(cid)
    assert doctor.contacts[cid].on_hold is False  # the doctor's leg starts off hold
    await pat.expect("leg")
    await doctor.hold(cid)
    assert doctor.contacts[cid].on_hold is True
    await pat.expect("hold", on=True)
    await doctor.save_conclusion(cid, no_conclusion=True)
    await doctor.end(cid)  # hands the patient back to the medconsultants
    await pat.expect("hold", on=False)
    await pat.expect("queue_status", state="returned")
    await pat.close()

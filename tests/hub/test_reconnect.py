"""Lost connections: a waiting patient keeps the place for a while; a lost medconsultant's
contact goes back to the head of the queue for someone else."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from console.clock import FakeClock
from console.hub.service import HubConfig
from tests.hub.clients import WsClient, patient_login, staff_login
from tests.hub.test_flow import staff


@pytest.fixture
def hub_clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))


@pytest.fixture
def hub_config() -> HubConfig:
    return HubConfig(staff_grace=timedelta(seconds=0.3))


def distinct_owner_phones(people, n: int) -> list[str]:
    phones = list(dict.fromkeys(p.phone for p in people if p.phone and not p.representative_policy))
    return phones[:n]


async def waiting_patient(h, phone: str) -> tuple[WsClient, str, dict]:
    token = await patient_login(h.session, h.base, phone, h.outbox)
    c = WsClient(h.base, h.session, "/ws/patient")
    await c.connect(token)
    status = await c.call({"type": "start", "channel": "chat"})
    return c, token, status


async def test_waiting_patient_keeps_the_place_for_a_minute(hub_server, hub_clock) -> None:
    h = hub_server
    a_phone, b_phone = distinct_owner_phones(h.people, 2)
    a, a_token, a_status = await waiting_patient(h, a_phone)
    hub_clock.advance(5)
    b, _, b_status = await waiting_patient(h, b_phone)
    assert (a_status["position"], b_status["position"]) == (1, 2)

    await a.close()  # the network goes; the hub notices the socket closing
    await asyncio.sleep(0.2)
    hub_clock.advance(50)
    await h.hub.tick()
    a = WsClient(h.base, h.session, "/ws/patient")
    back = await a.connect(a_token)
    assert back["contact_id"] == a_status["contact_id"]
    assert (await a.expect("queue_status"))["position"] == 1  # still first

    await a.close()
    await asyncio.sleep(0.2)
    hub_clock.advance(61)
    await h.hub.tick()
    # past the window: A's contact is abandoned and B moves up
    status = await b.expect("queue_status", position=1, timeout=5)
    assert status["contact_id"] == b_status["contact_id"]
    a = WsClient(h.base, h.session, "/ws/patient")
    assert (await a.connect(a_token)).get("contact_id") is None  # nothing open any more
    await a.close()
    await b.close()


async def test_lost_medconsultant_contact_goes_to_the_head_for_another(hub_server) -> None:
    h = hub_server
    first, second = distinct_owner_phones(h.people, 2)
    op1 = await staff(h, "op1")
    p1, _, s1 = await waiting_patient(h, first)
    offer = await op1.expect("offer")
    await op1.call({"type": "accept", "contact_id": offer["contact"]["id"]})
    p2, _, _ = await waiting_patient(h, second)  # arrives later than p1's contact
    op2 = WsClient(h.base, h.session, "/ws/staff")
    await op2.connect(await staff_login(h.session, h.base, "op2"))
    await op1.close()  # console killed mid-contact
    for _ in range(100):  # the grace period (0.3 s here) passes
        if h.hub.engine.get_contact(s1["contact_id"]).holder is None:
            break
        await asyncio.sleep(0.05)
    await op2.call({"type": "set_state", "state": "available"})
    # op1's contact is back at the head: op2 is offered it before the one that waited longer
    offer = await op2.expect("offer", timeout=10)
    assert offer["contact"]["id"] == s1["contact_id"]
    for c in (op2, p1, p2):
        await c.close()


class TestHolderBackAfterThePatient:
    """Both lose the hub (a restart, a blip); the patient is back first and offers on the
    new leg while the holder's console is still away, so nobody hears that offer."""

    @pytest.fixture
    def hub_config(self) -> HubConfig:
        return HubConfig()  # the 5 s staff grace: the holder is back inside it

    async def test_the_holder_gets_a_new_leg_the_patient_offers_on(self, hub_server) -> None:
        h = hub_server
        op_token = await staff_login(h.session, h.base, "op1")
        op = WsClient(h.base, h.session, "/ws/staff")
        await op.connect(op_token)
        await op.call({"type": "set_state", "state": "available"})
        token = await patient_login(
            h.session, h.base, distinct_owner_phones(h.people, 1)[0], h.outbox
        )
        pat = WsClient(h.base, h.session, "/ws/patient")
        await pat.connect(token)
        cid = (await pat.call({"type": "start", "channel": "video"}))["contact_id"]
        assert (await op.expect("offer"))["contact"]["id"] == cid
        await op.call({"type": "accept", "contact_id": cid})
        first = (await pat.expect("leg"))["leg"]

        await op.close()
        await pat.close()
        await asyncio.sleep(0.2)
        pat = WsClient(h.base, h.session, "/ws/patient")
        await pat.connect(token)
        unheard = (await pat.expect("leg"))["leg"]
        assert unheard != first
        await pat.send(
            {"type": "signal", "signal": {"leg": unheard, "kind": "offer", "sdp": "v=0"}}
        )
        await asyncio.sleep(0.2)

        op = WsClient(h.base, h.session, "/ws/staff")
        welcome = await op.connect(op_token)
        assert [c["leg"] for c in welcome["contacts"]] == [unheard]
        leg = (await pat.expect("leg"))["leg"]  # a fresh leg, to offer on again
        assert leg not in (first, unheard)
        assert (await op.expect("contact"))["contact"]["leg"] == leg
        await pat.send({"type": "signal", "signal": {"leg": leg, "kind": "offer", "sdp": "v=0 2"}})
        got = await op.expect("signal")
        assert (got["contact_id"], got["signal"]["leg"], got["signal"]["sdp"]) == (
            cid,
            leg,
            "v=0 2",
        )

        # a holder's blip alone (the patient's offers all heard) opens no new leg
        await op.close()
        op = WsClient(h.base, h.session, "/ws/staff")
        assert [c["leg"] for c in (await op.connect(op_token))["contacts"]] == [leg]
        await asyncio.sleep(0.3)
        assert not [x for x in pat.pending if x["type"] == "leg"]
        for c in (op, pat):
            await c.close()

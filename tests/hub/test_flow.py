"""A contact's life through a real hub: login, queue, offer, signaling, chat, consent, transfer."""

from __future__ import annotations

import pytest

from console.identity.routing import age_on
from tests.conftest import TODAY
from tests.hub.clients import WsClient, parse, patient_login, staff_login


def adult_with_phone(people):
    return next(
        p
        for p in people
        if p.phone
        and age_on(p.birth_date, TODAY) >= 18
        and p.policy.valid_from <= TODAY <= p.policy.valid_to
    )


async def staff(h, login: str, *, available: bool = True) -> WsClient:
    c = WsClient(h.base, h.session, "/ws/staff")
    welcome = await c.connect(await staff_login(h.session, h.base, login))
    assert welcome["type"] == "welcome", welcome
    if available:
        assert (await c.call({"type": "set_state", "state": "available"}))["type"] == "ack"
    return c


async def patient(h, phone: str) -> tuple[WsClient, dict]:
    c = WsClient(h.base, h.session, "/ws/patient")
    welcome = await c.connect(await patient_login(h.session, h.base, phone, h.outbox))
    assert welcome["type"] == "welcome", welcome
    return c, welcome


@pytest.mark.parametrize(
    "hub_backend", ["sqlite", pytest.param("pg", marks=pytest.mark.pg)], indirect=True
)
async def test_contact_from_login_to_transfer(hub_server) -> None:
    h = hub_server
    person = adult_with_phone(h.people)
    op = await staff(h, "op1")
    ther = await staff(h, "therapist1")
    pat, welcome = await patient(h, person.phone)
    me = next(p for p in welcome["persons"] if p["policy_number"] == person.policy.number)

    status = await pat.call({"type": "start", "channel": "video", "person_id": me["person_id"]})
    assert status["type"] == "queue_status"
    offer = await op.expect("offer")
    parse(offer)
    national = (
        "8 ("
        + person.phone[2:5]
        + ") "
        + person.phone[5:8]
        + "-"
        + person.phone[8:10]
        + "-"
        + person.phone[10:]
    )
    assert offer["contact"]["caller_phone"] == national
    cid = offer["contact"]["id"]

    assert (await op.call({"type": "accept", "contact_id": cid}))["type"] == "ack"
    contact = await op.expect("contact")
    assert contact["contact"]["person"]["person_id"] == me["person_id"]
    found = await op.expect("identify_result")
    assert me["person_id"] in {p["person_id"] for p in found["matches"]}
    leg = await pat.expect("leg")
    assert leg["media"] == "video" and leg["staff_role"] == "operator"

    # signaling is relayed per leg, both ways; a stale leg is refused
    await pat.send({"type": "signal", "signal": {"leg": leg["leg"], "kind": "offer", "sdp": "v=0"}})
    got = await op.expect("signal")
    assert got["signal"]["sdp"] == "v=0" and got["contact_id"] == cid
    await op.send(
        {
            "type": "signal",
            "contact_id": cid,
            "signal": {"leg": leg["leg"], "kind": "answer", "sdp": "v=0 answer"},
        }
    )
    assert (await pat.expect("signal"))["signal"]["kind"] == "answer"
    stale = await pat.call({"type": "signal", "signal": {"leg": "Lold", "kind": "ice"}})
    assert stale["type"] == "error" and stale["field"] == "signal.leg"

    # chat both ways, stored with the contact
    await pat.send({"type": "chat", "text": "Болит голова"})
    assert (await op.expect("chat"))["message"]["text"] == "Болит голова"
    assert (await pat.expect("chat"))["message"]["author"] == "patient"  # stored, echoed
    await op.send({"type": "chat", "contact_id": cid, "text": "Сейчас разберёмся"})
    got = (await pat.expect("chat"))["message"]
    assert (got["author"], got["text"]) == ("staff", "Сейчас разберёмся")

    # the transfer waits for both consents
    refused = await op.call({"type": "transfer", "contact_id": cid, "to": "duty:therapist"})
    assert refused["type"] == "error" and "consent" in refused["message"]
    for kind in ("personal_data", "remote_consultation"):
        await op.call({"type": "send_consent", "contact_id": cid, "kind": kind})
        req = await pat.expect("consent_request", kind=kind)
        assert req["text"]
        assert (
            await pat.call(
                {"type": "confirm_consent", "kind": kind, "text_version": req["text_version"]}
            )
        )["type"] == "ack"
    done = await op.call({"type": "transfer", "contact_id": cid, "to": "duty:therapist"})
    assert done["type"] == "ack", done
    assert (await op.expect("contact_gone"))["reason"] == "transferred"

    # the duty therapist gets it, with the chat that came before
    offer = await ther.expect("offer")
    assert offer["contact"]["id"] == cid
    await ther.call({"type": "accept", "contact_id": cid})
    taken = await ther.expect("contact")
    assert [c["text"] for c in taken["contact"]["chat"]] == ["Болит голова", "Сейчас разберёмся"]
    leg2 = await pat.expect("leg")
    assert leg2["leg"] != leg["leg"] and leg2["staff_role"] == "doctor"

    # the doctor hands back: the medconsultant who transferred gets it first
    await op.call({"type": "wrapup_done", "contact_id": cid})
    await op.call({"type": "set_state", "state": "available"})
    # no end before the conclusion is signed, or its absence (004)
    refused = await ther.call({"type": "end", "contact_id": cid})
    assert (refused["type"], refused["code"]) == ("error", "conflict")
    assert "conclusion" in refused["message"]
    signed = await ther.call({"type": "save_conclusion", "contact_id": cid, "no_conclusion": True})
    assert signed["type"] == "ack", signed
    assert (await ther.call({"type": "end", "contact_id": cid}))["type"] == "ack"
    back = await op.expect("offer")
    assert back["contact"]["id"] == cid
    for c in (op, ther, pat):
        await c.close()


async def test_bad_tokens_and_roles(hub_server) -> None:
    h = hub_server
    c = WsClient(h.base, h.session, "/ws/staff")
    reply = await c.connect("x" * 43)
    assert reply["type"] == "error" and reply["code"] == "unauthorized"
    before_hello = await c.call({"type": "accept", "contact_id": "c1"})
    assert before_hello["code"] == "unauthorized"
    await c.close()

    # a patient token does not open the staff socket
    person = adult_with_phone(h.people)
    token = await patient_login(h.session, h.base, person.phone, h.outbox)
    c = WsClient(h.base, h.session, "/ws/staff")
    assert (await c.connect(token))["code"] == "unauthorized"
    await c.close()

    sup = await staff(h, "supervisor1", available=False)
    refused = await sup.call({"type": "set_state", "state": "available"})
    assert refused["type"] == "error" and refused["code"] == "forbidden"
    await sup.close()

    async with h.session.post(
        f"{h.base}/api/staff/login", json={"login": "op1", "password": "wrong"}
    ) as r:
        assert r.status == 401


async def test_foreign_origin_is_refused(hub_server) -> None:
    h = hub_server
    async with h.session.get(
        h.base.replace("http", "ws") + "/ws/patient", headers={"Origin": "https://evil.example"}
    ) as r:
        assert r.status == 403


async def test_wrong_sms_code_counts_down(hub_server) -> None:
    h = hub_server
    person = adult_with_phone(h.people)
    async with h.session.post(f"{h.base}/api/patient/sms-code", json={"phone": person.phone}) as r:
        assert r.status == 200
    async with h.session.post(f"{h.base}/api/patient/sms-code", json={"phone": person.phone}) as r:
        assert r.status == 429  # a new code at most once a minute
    async with h.session.post(
        f"{h.base}/api/patient/login", json={"phone": person.phone, "code": "000000"}
    ) as r:
        body = await r.json()
    if r.status == 200:  # one chance in a million the code was 000000
        return
    assert r.status == 401 and body["error"]["attempts_left"] == 4
    async with h.session.post(
        f"{h.base}/api/patient/sms-code", json={"phone": "+79990001122"}
    ) as r:
        assert r.status == 404


async def test_the_holder_hears_when_the_patient_hangs_up_and_when_it_closes(hub_server) -> None:
    """Ended: the contact stays theirs for the wrap-up. Closed: it is gone."""
    h = hub_server
    op = await staff(h, "op2")
    pat, _ = await patient(h, adult_with_phone(h.people).phone)
    await pat.call({"type": "start", "channel": "audio"})
    cid = (await op.expect("offer"))["contact"]["id"]
    await op.call({"type": "accept", "contact_id": cid})
    assert (await op.expect("contact"))["contact"]["state"] == "connected"
    await pat.call({"type": "hang_up"})
    ended = await op.expect("contact")  # still theirs through wrap-up, now ended
    assert (ended["contact"]["id"], ended["contact"]["state"]) == (cid, "wrap_up")
    assert (await op.expect("state", state="wrap_up"))["state"] == "wrap_up"
    await op.call({"type": "wrapup_done", "contact_id": cid, "outcome": "completed"})
    assert (await op.expect("contact_gone", reason="closed"))["contact_id"] == cid
    for c in (op, pat):
        await c.close()

"""Registering the caller's phone for an insured person identified on the contact (003)."""

from __future__ import annotations

import asyncio

import pytest

from console.client import HubCommandError
from console.identity.phones import format_national
from console.protocol import messages as m
from console.store import audit, hubstore
from tests.client.conftest import owner_phones, reachable, signed_in_patient


async def test_register_the_callers_phone(hub_server, make_client) -> None:
    h = hub_server
    phone = owner_phones(h.people, 1)[0]
    # someone the phone does not reach: say, a relative whose record has another phone
    other = next(p for p in h.people if p not in reachable(h.people, phone) and p.phone != phone)
    op = await make_client("op1")
    offered = op.expect(m.OfferMsg)
    await op.set_state("available")
    pat, _, _ = await signed_in_patient(h, phone)
    await pat.call({"type": "start", "channel": "chat"})
    cid = (await asyncio.wait_for(offered, 5)).contact.id
    await op.accept(cid)
    by_phone = await op.identify(cid)
    caller_id = next(c.person_id for c in by_phone.matches)
    found = await op.identify(cid, policy_number=other.policy.number)
    assert found.needs_additional  # the caller's phone is not theirs
    other_id = found.matches[0].person_id
    assert other_id not in {c.person_id for c in by_phone.matches}

    await op.select_person(cid, other_id)
    assert format_national(phone) not in op.contacts[cid].person.phones
    updated = op.expect(m.ContactUpdate)
    await op.register_phone(cid, other_id)
    assert (await asyncio.wait_for(updated, 5)).contact.id == cid
    card = op.contacts[cid].person
    assert card.person_id == other_id and format_national(phone) in card.phones
    again = await op.identify(cid)  # by the contact's phone, as on the next call
    assert other_id in {c.person_id for c in again.matches}
    assert caller_id in {c.person_id for c in again.matches}

    async with h.hub.db.transaction() as s:
        rows = await audit.entries(s, action="registry.phone_add")
    assert [(r.person_id, r.contact_id, r.actor) for r in rows] == [(other_id, cid, "op1")]
    digits = phone.removeprefix("+7")
    assert all(digits not in str(r.detail) for r in rows)

    # refusals, each with a message the console can show
    with pytest.raises(HubCommandError) as err:
        await op.register_phone(cid, other_id)
    assert err.value.code == "conflict" and "already registered" in err.value.message
    with pytest.raises(HubCommandError) as err:
        await op.register_phone(cid, caller_id)  # their own phone
    assert err.value.code == "conflict" and "already registered" in err.value.message
    with pytest.raises(HubCommandError) as err:
        await op.register_phone(cid, 10**9)
    assert (err.value.code, err.value.field) == ("not_found", "person_id")
    stranger = next(
        p
        for p in h.people
        if p not in reachable(h.people, phone) and p.phone not in (phone, other.phone)
    )
    stranger_id = (await op.identify(cid, phone=stranger.phone)).matches[0].person_id
    with pytest.raises(HubCommandError) as err:
        await op.register_phone(cid, stranger_id)  # found by phone only: not identified
    assert err.value.code == "conflict" and "identify" in err.value.message
    async with h.hub.db.transaction() as s:
        await hubstore.update_contact(s, cid, caller_phone=None)
    with pytest.raises(HubCommandError) as err:
        await op.register_phone(cid, stranger_id)
    assert err.value.code == "conflict" and "no caller phone" in err.value.message
    async with h.hub.db.transaction() as s:
        assert len(await audit.entries(s, action="registry.phone_add")) == 1

    with pytest.raises(HubCommandError) as err:
        await (await make_client("op2")).register_phone(cid, other_id)
    assert err.value.code == "forbidden"  # only who holds the contact
    await pat.close()

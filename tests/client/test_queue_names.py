"""The queue view names a waiting contact's person, briefly ("Фамилия И. О."), once known."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from console.hub.service import HubConfig
from console.protocol import messages as m
from tests.client.conftest import reachable, signed_in_patient


@pytest.fixture
def hub_config() -> HubConfig:
    return HubConfig(staff_grace=timedelta(seconds=0.3))


def short(p) -> str:
    return f"{p.surname} {p.name[0]}. {p.patronymic[0]}."


def phones_reaching(people, n: int) -> str:
    return next(p.phone for p in people if p.phone and len(reachable(people, p.phone)) == n)


async def queue_where(client, ok) -> dict:
    """The client's queue view, by contact id, once ``ok(entries)`` holds."""
    for _ in range(200):
        entries = {e.id: e for e in (client.queue.entries if client.queue else [])}
        if ok(entries):
            return entries
        await asyncio.sleep(0.025)
    raise AssertionError(f"the queue view never got there: {entries}")


async def test_waiting_contacts_show_the_short_name_once_identified(
    hub_server, make_client
) -> None:
    h = hub_server
    single = phones_reaching(h.people, 1)  # the contact is for the phone's owner
    family = next(  # a parent's phone: whom it is for is not known until someone says
        p.phone for p in h.people if p.phone and len(reachable(h.people, p.phone)) >= 3
    )
    watcher = await make_client("op2")  # offline: sees the queue, is offered nothing
    a, _, _ = await signed_in_patient(h, family)
    a_id = (await a.call({"type": "start", "channel": "chat"}))["contact_id"]
    b, _, _ = await signed_in_patient(h, single)
    b_id = (await b.call({"type": "start", "channel": "audio"}))["contact_id"]
    entries = await queue_where(watcher, lambda e: {a_id, b_id} <= e.keys())
    names = {cid: e.person_name for cid, e in entries.items()}
    owner = reachable(h.people, single)[0]
    assert names[b_id] == short(owner)
    assert names[a_id] is None

    # The medconsultant settles whom the family's contact is for; when it waits
    # again (here: their console is lost, the contact goes back to the queue),
    # the queue names that person.
    op = await make_client("op1")
    offered = op.expect(m.OfferMsg)
    await op.set_state("available")
    assert (await asyncio.wait_for(offered, 5)).contact.id == a_id  # it came first
    await op.accept(a_id)
    child = next(p for p in reachable(h.people, family) if p.representative_policy)
    found = await op.identify(a_id, policy_number=child.policy.number)
    await op.select_person(a_id, found.matches[0].person_id)
    await op.close()
    # back at the head of the queue, with top priority
    entries = await queue_where(watcher, lambda e: a_id in e and e[a_id].priority == 2)
    assert entries[a_id].person_name == short(child)
    for c in (a, b):
        await c.close()

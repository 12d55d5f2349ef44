"""Wrap-up has a deadline; the console gets it for a countdown, after a reconnect too."""

from __future__ import annotations

import asyncio

from console.protocol import messages as m
from tests.client.conftest import owner_phones


async def test_wrap_up_says_when_it_ends(hub_server, make_client, patients) -> None:
    h = hub_server
    op = await make_client("op1", backoff=(0.05,))
    offered = op.expect(m.OfferMsg)
    await op.set_state("available")
    assert op.state_until is None
    pat = await patients(owner_phones(h.people, 1)[0])
    cid = (await asyncio.wait_for(offered, 5)).contact.id
    busy = op.expect(m.StaffStateMsg, lambda e: e.state == "busy")
    await op.accept(cid)
    assert (await asyncio.wait_for(busy, 5)).until is None  # busy lasts as long as it lasts
    assert op.state_until is None

    wrapping = op.expect(m.StaffStateMsg, lambda e: e.state == "wrap_up")
    await op.end(cid)
    state = await asyncio.wait_for(wrapping, 5)
    assert state.until is not None
    assert state.until - state.since == h.hub.config.queue.wrapup
    assert op.state_until == state.until

    # the console restarts its connection mid wrap-up: the welcome carries the deadline
    welcomed = op.expect(m.Welcome)
    await h.hub.staff_conns[op.me.id].peer.close()
    welcome = await asyncio.wait_for(welcomed, 5)
    assert (welcome.state, welcome.state_until) == ("wrap_up", state.until)
    assert op.state_until == state.until

    await op.wrapup_done(cid)
    assert op.state == "available" and op.state_until is None
    await pat.close()

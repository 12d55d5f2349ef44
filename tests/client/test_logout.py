"""A session the hub no longer accepts: logged out, no endless retry, log in again."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from console.client import ConnectionEvent, LoginError, NotConnectedError, StaffClient
from console.clock import FakeClock
from tests.client.conftest import PASSWORD


@pytest.fixture
def hub_clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))


async def test_an_expired_token_logs_out_and_stops_trying(
    hub_server, hub_clock, make_client
) -> None:
    h = hub_server
    op = await make_client("op1")
    attempts: list[str] = []
    op.on("connection", lambda e: attempts.append(e.state))
    logged_out = op.expect(ConnectionEvent, lambda e: e.state == "logged_out")

    # past the 12-hour absolute limit (being connected keeps only the idle clock fresh)
    hub_clock.advance(13 * 3600)
    await h.hub.staff_conns[op.me.id].peer.close()
    event = await asyncio.wait_for(logged_out, 5)
    assert event.reason == "unauthorized" and event.previous == "reconnecting"
    await asyncio.sleep(0.5)  # the backoff here is 50-200 ms: it would have retried by now
    assert attempts == ["reconnecting", "logged_out"]
    assert op._runner is not None and op._runner.done()
    with pytest.raises(NotConnectedError) as err:
        await op.set_state("available")
    assert err.value.state == "logged_out"

    # the console's login dialog: a new login, the same client and subscriptions
    await op.login("op1", PASSWORD)
    await op.connect()
    assert op.connection_state == "online" and attempts[-1] == "online"


async def test_a_rejected_token_at_connect_raises(hub_server, hub_clock) -> None:
    client = StaffClient(hub_server.base, session=hub_server.session)
    try:
        await client.login("op1", PASSWORD)
        hub_clock.advance(13 * 3600)  # past the session's absolute limit
        with pytest.raises(LoginError) as err:
            await client.connect()
        assert err.value.code == "unauthorized"
        assert client.connection_state == "logged_out"
    finally:
        await client.close()

"""The staff client against a real hub on loopback (the hub tests' fixtures)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from console.client import StaffClient
from tests.hub.clients import WsClient, patient_login
from tests.hub.conftest import hub_backend, hub_clock, hub_config, hub_server  # noqa: F401

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from tests.hub.conftest import HubUnderTest

PASSWORD = "medconsole"
FAST_BACKOFF = (0.05, 0.1, 0.2)


@pytest.fixture
async def make_client(
    hub_server: HubUnderTest,  # noqa: F811
) -> AsyncIterator[Callable[..., Awaitable[StaffClient]]]:
    """``await make_client("op1")``: a client signed in and connected; closed afterwards."""
    clients: list[StaffClient] = []

    async def make(login: str = "op1", *, connect: bool = True, **kw: Any) -> StaffClient:
        kw.setdefault("backoff", FAST_BACKOFF)
        client = StaffClient(hub_server.base, **kw)
        clients.append(client)
        await client.login(login, PASSWORD)
        if connect:
            await client.connect()
        return client

    yield make
    for client in clients:
        await client.close()


@pytest.fixture
async def patients(hub_server: HubUnderTest) -> AsyncIterator[Callable[..., Awaitable[WsClient]]]:  # noqa: F811
    """``await patients(phone)``: a patient signed in who started a chat contact."""
    made: list[WsClient] = []

    async def make(phone: str, channel: str = "chat") -> WsClient:
        h = hub_server
        c = WsClient(h.base, h.session, "/ws/patient")
        made.append(c)
        welcome = await c.connect(await patient_login(h.session, h.base, phone, h.outbox))
        assert welcome["type"] == "welcome", welcome
        status = await c.call({"type": "start", "channel": channel})
        assert status["type"] == "queue_status", status
        return c

    yield make
    for c in made:
        await c.close()


def owner_phones(people: list, n: int) -> list[str]:
    """Phones of ``n`` different adults who are the policy holder (one person per phone)."""
    from tests.hub.test_flow import adult_with_phone

    first = adult_with_phone(people)
    rest = [p.phone for p in people if p.phone and not p.representative_policy]
    return list(dict.fromkeys([first.phone, *rest]))[:n]


def reachable(people: list, phone: str) -> list:
    """The people a phone reaches: its owners, and the people they represent."""
    owners = [p for p in people if p.phone == phone]
    policies = {p.policy.number for p in owners}
    return owners + [p for p in people if p.representative_policy in policies and p not in owners]


async def signed_in_patient(h: HubUnderTest, phone: str) -> tuple[WsClient, str, dict]:
    """A patient signed in (no contact started): the socket, its token, the welcome."""
    token = await patient_login(h.session, h.base, phone, h.outbox)
    c = WsClient(h.base, h.session, "/ws/patient")
    welcome = await c.connect(token)
    assert welcome["type"] == "welcome", welcome
    return c, token, welcome

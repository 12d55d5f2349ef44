"""ICE settings, the browser candidate format, and which host candidates are offered."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import aioice.ice
import pytest

from console.calls.errors import CallError, SignalError
from console.calls.ice import (
    LOOPBACK,
    CallConfig,
    candidate_from_dict,
    candidate_to_dict,
    sdp_candidate_addresses,
)
from console.calls.session import PatientCallSession

if TYPE_CHECKING:
    from console.protocol.messages import Signal

BROWSER = {
    "candidate": "candidate:842163049 1 udp 1677729535 192.0.2.7 50011 typ srflx "
    "raddr 10.0.0.5 rport 50011 generation 0 ufrag sEMT network-cost 999",
    "sdpMid": "0",
    "sdpMLineIndex": 0,
    "usernameFragment": "sEMT",
}


def test_browser_candidate_is_parsed() -> None:
    candidate = candidate_from_dict(BROWSER)
    assert candidate is not None
    assert (candidate.ip, candidate.port, candidate.type) == ("192.0.2.7", 50011, "srflx")
    assert (candidate.foundation, candidate.component, candidate.protocol) == (
        "842163049",
        1,
        "udp",
    )
    assert (candidate.relatedAddress, candidate.relatedPort) == ("10.0.0.5", 50011)
    assert (candidate.sdpMid, candidate.sdpMLineIndex) == ("0", 0)
    again = candidate_from_dict(candidate_to_dict(candidate))
    assert again == candidate


@pytest.mark.parametrize("data", [None, {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}])
def test_end_of_candidates(data: dict[str, object] | None) -> None:
    assert candidate_from_dict(data) is None


@pytest.mark.parametrize(
    "data",
    [
        {"candidate": "candidate:1 1 udp", "sdpMid": "0"},
        {"candidate": "candidate:1 one udp 1 192.0.2.7 5 typ host", "sdpMid": "0"},
        {"candidate": "candidate:1 1 udp 1 192.0.2.7 5 typ host"},
        {"candidate": 5, "sdpMid": "0"},
        {"candidate": "candidate:1 1 udp 1 192.0.2.7 5 typ host", "sdpMLineIndex": "0"},
    ],
    ids=["short", "not-a-number", "no-mid", "not-a-string", "index-not-int"],
)
def test_malformed_candidates_are_refused(data: dict[str, object]) -> None:
    with pytest.raises(SignalError, match="ICE candidate"):
        candidate_from_dict(data)


def test_no_ice_server_by_default() -> None:
    assert CallConfig().rtc_configuration().iceServers == []
    turn = CallConfig.from_urls(["turn:turn.example.org:3478"], username="u", credential="p")
    (server,) = turn.rtc_configuration().iceServers or []
    assert (server.urls, server.username, server.credential) == (
        "turn:turn.example.org:3478",
        "u",
        "p",
    )


async def _offer_addresses(config: CallConfig) -> list[str]:
    sent: list[Signal] = []

    async def send(signal: Signal) -> None:
        sent.append(signal)

    session = PatientCallSession(send, config=config)
    try:
        await session.open("leg-x", "audio")
    finally:
        await session.close()
    (offer,) = sent
    assert offer.kind == "offer"
    assert offer.sdp is not None
    return sdp_candidate_addresses(offer.sdp)


async def test_loopback_config_offers_only_127_0_0_1() -> None:
    addresses = await _offer_addresses(CallConfig.loopback())
    assert addresses
    assert set(addresses) == {LOOPBACK}


async def test_add_loopback_keeps_the_interfaces() -> None:
    interfaces = aioice.ice.get_host_addresses(use_ipv4=True, use_ipv6=True)
    addresses = await _offer_addresses(CallConfig(add_loopback=True))
    assert LOOPBACK in addresses
    assert set(interfaces) <= set(addresses)


async def test_the_override_stays_inside_its_session() -> None:
    """Sessions with different settings gathering at once each get their own addresses."""
    if not aioice.ice.get_host_addresses(use_ipv4=True, use_ipv6=True):
        pytest.skip("this machine has no address but loopback")
    default, loopback = await asyncio.gather(
        _offer_addresses(CallConfig()), _offer_addresses(CallConfig.loopback())
    )
    assert set(loopback) == {LOOPBACK}
    assert LOOPBACK not in default  # aioice's own rule, untouched outside the block
    assert LOOPBACK not in aioice.ice.get_host_addresses(use_ipv4=True, use_ipv6=True)


async def test_no_candidate_is_a_clear_error() -> None:
    sent: list[Signal] = []

    async def send(signal: Signal) -> None:
        sent.append(signal)

    session = PatientCallSession(send, config=CallConfig(host_addresses=()))
    with pytest.raises(CallError, match="no ICE candidate"):
        await session.open("leg-x", "audio")
    assert sent == []
    assert session.pc is None
    await session.close()
    assert session.connection_state == "closed"

"""ICE settings of a call and the ICE-candidate dictionaries browsers send.

ICE servers
    :class:`CallConfig` has none by default: aiortc's own default is a public
    STUN server, which neither tests nor a closed call-center network should
    reach. Across NATs, name a TURN server (e.g. coturn) with
    :meth:`CallConfig.from_urls`. aioice uses at most one STUN and one TURN server.

Host candidates
    aioice offers every address of every interface *except* ``127.0.0.1`` and
    ``::1`` (and IPv6 link-local ones). Two peers on one machine connect fine
    over the machine's own address (the kernel delivers the packets through the
    loopback device; nothing leaves the machine), but in a network namespace
    that has only ``lo`` aioice gathers nothing and ICE fails.
    :attr:`CallConfig.host_addresses` replaces the gathered host addresses (e.g.
    ``("127.0.0.1",)``: :meth:`CallConfig.loopback`) and
    :attr:`CallConfig.add_loopback` adds ``127.0.0.1`` to them. aioice has no
    option for this, so the first session that needs it wraps
    ``aioice.ice.get_host_addresses`` once; the wrapper reads a context variable
    that a session sets only around its own ``setLocalDescription`` (where aiortc
    gathers), so sessions with different settings can run side by side and the
    default behaviour is untouched.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiortc import RTCBundlePolicy, RTCConfiguration, RTCIceCandidate, RTCIceServer
from aiortc.sdp import candidate_from_sdp, candidate_to_sdp

from console.calls.errors import SignalError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

    from aiortc import RTCPeerConnection

LOOPBACK = "127.0.0.1"

Address = tuple[str, int]


@dataclass(frozen=True)
class CallConfig:
    """How a session's peer connection finds its way to the other side.

    - ``ice_servers``: STUN/TURN servers; empty by default (host candidates only).
    - ``host_addresses``: the host addresses to offer instead of the
      interfaces' ones (``None``: aioice's choice, every interface but loopback).
    - ``add_loopback``: also offer ``127.0.0.1``.
    - ``max_bundle``: one transport for audio and video (one candidate set); the
      offerer's choice decides, the answerer follows the offer.
    """

    ice_servers: tuple[RTCIceServer, ...] = ()
    host_addresses: tuple[str, ...] | None = None
    add_loopback: bool = False
    max_bundle: bool = True

    @classmethod
    def loopback(cls) -> CallConfig:
        """Offer ``127.0.0.1`` only: tests, and a namespace that has only ``lo``."""
        return cls(host_addresses=(LOOPBACK,))

    @classmethod
    def from_urls(
        cls,
        urls: Sequence[str],
        *,
        username: str | None = None,
        credential: str | None = None,
        host_addresses: Sequence[str] | None = None,
        add_loopback: bool = False,
    ) -> CallConfig:
        """From settings: ``["turn:turn.example.org:3478?transport=udp", ...]``.

        The credentials apply to TURN URLs only (aiortc ignores them for STUN).
        """
        servers = tuple(
            RTCIceServer(urls=url, username=username, credential=credential) for url in urls
        )
        return cls(
            ice_servers=servers,
            host_addresses=None if host_addresses is None else tuple(host_addresses),
            add_loopback=add_loopback,
        )

    def rtc_configuration(self) -> RTCConfiguration:
        """The aiortc configuration; an explicit (possibly empty) server list."""
        bundle = RTCBundlePolicy.MAX_BUNDLE if self.max_bundle else RTCBundlePolicy.BALANCED
        return RTCConfiguration(iceServers=list(self.ice_servers), bundlePolicy=bundle)

    @property
    def overrides_host_addresses(self) -> bool:
        return self.host_addresses is not None or self.add_loopback


# ---------------------------------------------------------------- host candidates

# (replacement addresses or None for the interfaces', add 127.0.0.1)
_HostSpec = tuple[tuple[str, ...] | None, bool]
_host_spec: contextvars.ContextVar[_HostSpec | None] = contextvars.ContextVar(
    "medconsole_host_addresses", default=None
)
_install_lock = threading.Lock()
_original: Callable[..., list[str]] | None = None


def _install() -> None:
    """Wrap ``aioice.ice.get_host_addresses`` once (see the module docstring)."""
    global _original  # noqa: PLW0603 - installed once per process
    with _install_lock:
        if _original is not None:
            return
        import aioice.ice as aioice_ice

        original: Callable[..., list[str]] = aioice_ice.get_host_addresses

        def get_host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
            spec = _host_spec.get()
            if spec is None:
                return original(use_ipv4=use_ipv4, use_ipv6=use_ipv6)
            replacement, add_loopback = spec
            if replacement is None:
                addresses = original(use_ipv4=use_ipv4, use_ipv6=use_ipv6)
            else:
                addresses = [a for a in replacement if (use_ipv6 if ":" in a else use_ipv4)]
            if add_loopback and use_ipv4 and LOOPBACK not in addresses:
                addresses.append(LOOPBACK)
            return addresses

        aioice_ice.get_host_addresses = get_host_addresses
        _original = original


@contextlib.contextmanager
def gathering(config: CallConfig) -> Iterator[None]:
    """Apply ``config``'s host addresses to ICE gathering inside this block.

    Wrap the ``await pc.setLocalDescription(...)`` call in it: aiortc gathers
    there, in tasks that inherit this task's context.
    """
    if not config.overrides_host_addresses:
        yield
        return
    _install()
    token = _host_spec.set((config.host_addresses, config.add_loopback))
    try:
        yield
    finally:
        _host_spec.reset(token)


# ---------------------------------------------------------------- candidates


def candidate_from_dict(data: Mapping[str, Any] | None) -> RTCIceCandidate | None:
    """An aiortc candidate from a browser's ``RTCIceCandidate.toJSON()`` dictionary.

    ``{"candidate": "candidate:1 1 udp 2122260223 192.0.2.7 50000 typ host",
    "sdpMid": "0", "sdpMLineIndex": 0}``. ``None`` or an empty ``candidate``
    string means end of candidates and returns ``None``. Raises
    :class:`SignalError` on anything malformed.
    """
    if data is None:
        return None
    text = data.get("candidate")
    if text is None or text == "":
        return None
    if not isinstance(text, str):
        raise SignalError("ICE candidate: 'candidate' must be a string")
    text = text.strip()
    text = text.removeprefix("a=").removeprefix("candidate:")
    bits = text.split()
    if len(bits) < 8 or bits[6] != "typ":
        raise SignalError("ICE candidate: not '<foundation> <component> ... typ <type> ...'")
    try:
        candidate = candidate_from_sdp(text)
    except (ValueError, IndexError) as exc:
        raise SignalError(f"ICE candidate: {exc}") from exc
    mid = data.get("sdpMid")
    index = data.get("sdpMLineIndex")
    if mid is not None and not isinstance(mid, str):
        raise SignalError("ICE candidate: 'sdpMid' must be a string")
    if index is not None and (isinstance(index, bool) or not isinstance(index, int)):
        raise SignalError("ICE candidate: 'sdpMLineIndex' must be an integer")
    if mid is None and index is None:
        raise SignalError("ICE candidate: needs 'sdpMid' or 'sdpMLineIndex'")
    candidate.sdpMid = mid
    candidate.sdpMLineIndex = index
    return candidate


def candidate_to_dict(candidate: RTCIceCandidate) -> dict[str, Any]:
    """The browser form of a candidate (what :func:`candidate_from_dict` reads)."""
    return {
        "candidate": "candidate:" + candidate_to_sdp(candidate),
        "sdpMid": candidate.sdpMid,
        "sdpMLineIndex": candidate.sdpMLineIndex,
    }


def sdp_candidate_addresses(sdp: str) -> list[str]:
    """The connection addresses of the ``a=candidate`` lines of an SDP, in order."""
    addresses = []
    for line in sdp.splitlines():
        if line.startswith("a=candidate:"):
            bits = line.split()
            if len(bits) >= 8:
                addresses.append(bits[4])
    return addresses


def selected_pair(pc: RTCPeerConnection) -> tuple[Address, Address] | None:
    """The nominated ``(local, remote)`` address pair of the connection's first transport.

    Diagnostics only: aiortc has no public accessor, so this reads aioice's
    nominated pair and returns ``None`` when it cannot.
    """
    for transceiver in pc.getTransceivers():
        try:
            connection = transceiver.receiver.transport.transport._connection
            pair = connection._nominated.get(1)
        except AttributeError:
            return None
        if pair is not None:
            return pair.local_addr, pair.remote_addr
    return None

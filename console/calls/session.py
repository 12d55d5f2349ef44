"""Peer sessions of a call leg: the staff side answers, the patient side offers.

A *leg* is one ``RTCPeerConnection`` between the patient and the staff member
who holds the contact; a transfer closes the leg and opens a new one to someone
else. The hub only relays :class:`~console.protocol.messages.Signal` frames; a
session produces them through the ``send`` coroutine it is given and consumes
them in :meth:`CallSession.handle`. Sessions do no networking of their own
besides the media.

Ordering, as the media design fixes it:

1. the patient side (:class:`PatientCallSession`, or the browser) creates the
   offer, gathers its ICE candidates completely, then sends the offer: aiortc
   does not trickle, so every candidate is in the SDP;
2. the staff side (:class:`StaffCallSession`) applies it, attaches a sink to
   every remote track *synchronously* in ``on("track")`` (an async handler could
   let the answer go out before the track is consumed), adds its local tracks,
   answers, gathers, and sends the answer;
3. ``ice`` signals (a browser that trickles anyway) are applied when they come,
   or kept until the remote description is set.

Everything runs on the asyncio loop; callbacks (``on_state``,
``on_remote_track``) are called on it, synchronously, and must not block.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar, Literal

from aiortc import RTCPeerConnection, RTCSessionDescription

from console.calls.errors import CallError, SignalError
from console.calls.ice import (
    CallConfig,
    candidate_from_dict,
    gathering,
    sdp_candidate_addresses,
    selected_pair,
)
from console.calls.media import FrameSink, TestPatternTrack, ToneTrack
from console.protocol.messages import Signal

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from aiortc import RTCIceCandidate
    from aiortc.mediastreams import MediaStreamTrack

    from console.calls.ice import Address
    from console.calls.media import RGB

log = logging.getLogger(__name__)

#: how a session hands a signal to the hub connection (it awaits the write)
Send = Callable[[Signal], Awaitable[None]]
Media = Literal["audio", "video", "none"]

#: candidates kept while no remote description is set (a bound, not a quota)
MAX_PENDING_ICE = 64
#: how long ICE gathering may take after setLocalDescription (aiortc normally finishes inside)
GATHER_TIMEOUT = 10.0
#: how long the teardown of one peer connection may take before it is abandoned
CLOSE_TIMEOUT = 5.0


def sdp_problem(sdp: str | None) -> str | None:
    """What makes ``sdp`` unusable as a WebRTC offer or answer, or ``None``.

    A structural check ahead of aiortc, whose parser accepts much that cannot
    make a call (no media section, no DTLS fingerprint) and fails later or never.
    """
    if not sdp or not sdp.strip():
        return "no SDP"
    lines = [line.strip() for line in sdp.strip().splitlines()]
    if lines[0] != "v=0":
        return "not an SDP (must start with v=0)"
    if not any(line.startswith(("m=audio ", "m=video ")) for line in lines):
        return "no audio or video section"
    for attribute, name in (
        ("a=fingerprint:", "DTLS fingerprint"),
        ("a=ice-ufrag:", "ICE username fragment"),
        ("a=ice-pwd:", "ICE password"),
    ):
        if not any(line.startswith(attribute) for line in lines):
            return f"no {name}"
    return None


class CallSession:
    """What both sides share: one peer connection per leg, remote sinks, waiting, closing.

    ``remote_video`` / ``remote_audio`` are the :class:`FrameSink` of the current
    leg's remote tracks (``None`` until the track is announced, and again after
    the leg closes). ``on_remote_track(sink)`` is called when one appears (the
    console hooks its video widget there), ``on_state(state)`` on every change
    of the current leg's connection state (``"connecting"``, ``"connected"``,
    ``"failed"``, ``"closed"``, ...).
    """

    side: ClassVar[str] = "call"

    def __init__(
        self,
        send: Send,
        *,
        config: CallConfig | None = None,
        on_state: Callable[[str], None] | None = None,
        on_remote_track: Callable[[FrameSink], None] | None = None,
    ) -> None:
        self._send = send
        self.config = config if config is not None else CallConfig()
        self.on_state = on_state
        self.on_remote_track = on_remote_track
        self.leg: str | None = None
        self.remote_video: FrameSink | None = None
        self.remote_audio: FrameSink | None = None
        self._pc: RTCPeerConnection | None = None
        self._sinks: list[FrameSink] = []
        self._owned_tracks: list[MediaStreamTrack] = []
        self._pending_ice: list[RTCIceCandidate | None] = []
        self._waiters: set[asyncio.Future[None]] = set()
        self._close_callbacks: list[Callable[[CallSession], None]] = []
        self._closed = False

    def __repr__(self) -> str:
        return f"<{type(self).__name__} leg={self.leg} state={self.connection_state}>"

    # ------------------------------------------------------------ state

    @property
    def pc(self) -> RTCPeerConnection | None:
        """The current leg's peer connection (``None`` before it exists and after close)."""
        return self._pc

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def connection_state(self) -> str:
        """The current leg's ``RTCPeerConnection.connectionState``; ``"closed"`` once closed."""
        if self._pc is not None:
            return str(self._pc.connectionState)
        return "closed" if self._closed else "new"

    def selected_pair(self) -> tuple[Address, Address] | None:
        """The nominated ``(local, remote)`` address pair; diagnostics (``ice.selected_pair``)."""
        return selected_pair(self._pc) if self._pc is not None else None

    def add_close_callback(self, callback: Callable[[CallSession], None]) -> None:
        """Call ``callback(session)`` once the session has closed (the registry uses it)."""
        if self._closed:
            callback(self)
        else:
            self._close_callbacks.append(callback)

    # ------------------------------------------------------------ waiting

    async def wait_connected(self, timeout: float | None = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the current leg is ``connected``.

        Raises :class:`CallError` if it fails or closes first, :class:`TimeoutError`.
        """
        async with asyncio.timeout(timeout):
            while True:
                state = self.connection_state
                if state == "connected":
                    return
                if state in ("failed", "closed"):
                    raise CallError(f"{self.side} side of leg {self.leg}: connection {state}")
                await self._changed()

    async def wait_remote_frames(
        self,
        n: int = 1,
        timeout: float | None = 10.0,  # noqa: ASYNC109 - the callers' contract
        kind: Literal["audio", "video"] = "video",
    ) -> FrameSink:
        """Wait until the remote ``kind`` track delivered ``n`` frames; return its sink.

        For video, at least one frame is also converted (``sink.last_frame`` set).
        """
        async with asyncio.timeout(timeout):
            while True:
                sink = self.remote_video if kind == "video" else self.remote_audio
                if sink is not None:
                    break
                if self._closed:
                    raise CallError(f"{self.side} side of leg {self.leg}: closed")
                await self._changed()
            await sink.wait_frames(n, timeout=None)
        return sink

    async def _changed(self) -> None:
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(fut)
        try:
            await fut
        finally:
            self._waiters.discard(fut)

    def _wake(self) -> None:
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(None)

    # ------------------------------------------------------------ signaling

    async def handle(self, signal: Signal) -> None:
        """Apply a signal the hub relayed for this session's leg."""
        raise NotImplementedError

    def _check_leg(self, signal: Signal) -> None:
        if self._closed:
            raise CallError(f"{self.side} side of leg {self.leg}: session closed")
        if signal.leg != self.leg:
            raise SignalError(f"signal for leg {signal.leg} reached the session of leg {self.leg}")

    async def _add_ice(self, data: dict[str, Any] | None) -> None:
        candidate = candidate_from_dict(data)
        pc = self._pc
        if pc is None or pc.remoteDescription is None:
            if len(self._pending_ice) >= MAX_PENDING_ICE:
                raise SignalError(f"more than {MAX_PENDING_ICE} ICE candidates before the SDP")
            self._pending_ice.append(candidate)
            return
        await self._apply_ice(pc, candidate)

    async def _apply_ice(self, pc: RTCPeerConnection, candidate: RTCIceCandidate | None) -> None:
        try:
            await pc.addIceCandidate(candidate)
        except ValueError as exc:
            raise SignalError(f"ICE candidate refused: {exc}") from exc

    # ------------------------------------------------------------ peer connection

    def _new_pc(self) -> RTCPeerConnection:
        pc = RTCPeerConnection(self.config.rtc_configuration())

        # Synchronous on purpose: pyee calls it inside setRemoteDescription, so
        # every remote track has a consumer before the answer goes out.
        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            self._attach(pc, track)

        @pc.on("connectionstatechange")
        def on_connectionstatechange() -> None:
            self._state_changed(pc)

        self._pc = pc
        return pc

    def _attach(self, pc: RTCPeerConnection, track: MediaStreamTrack) -> None:
        sink = FrameSink(track)
        sink.start()
        self._sinks.append(sink)
        if pc is not self._pc:  # a leg being torn down: consume, do not show
            return
        if track.kind == "video":
            self.remote_video = sink
        elif track.kind == "audio":
            self.remote_audio = sink
        if self.on_remote_track is not None:
            try:
                self.on_remote_track(sink)
            except Exception:
                log.exception("on_remote_track callback failed (%s side)", self.side)
        self._wake()

    def _state_changed(self, pc: RTCPeerConnection) -> None:
        if pc is not self._pc:
            return
        state = pc.connectionState
        log.debug("%s side of leg %s: connection %s", self.side, self.leg, state)
        self._wake()
        if self.on_state is not None:
            try:
                self.on_state(state)
            except Exception:
                log.exception("on_state callback failed (%s side)", self.side)

    async def _set_remote(self, pc: RTCPeerConnection, kind: str, sdp: str | None) -> None:
        problem = sdp_problem(sdp)
        if problem or sdp is None:
            raise SignalError(f"invalid {kind} on leg {self.leg}: {problem}")
        try:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type=kind))
        except Exception as exc:
            detail = str(exc)[:200] or type(exc).__name__
            raise SignalError(f"invalid {kind} on leg {self.leg}: {detail}") from exc
        pending, self._pending_ice = self._pending_ice, []
        for candidate in pending:
            await self._apply_ice(pc, candidate)

    async def _set_local(self, pc: RTCPeerConnection, description: RTCSessionDescription) -> str:
        """Set the local description and return its SDP with every candidate gathered."""
        with gathering(self.config):
            await pc.setLocalDescription(description)
        if pc.iceGatheringState == "gathering":  # aiortc gathers inside setLocalDescription
            done = asyncio.Event()

            @pc.on("icegatheringstatechange")
            def on_gathering() -> None:
                if pc.iceGatheringState != "gathering":
                    done.set()

            async with asyncio.timeout(GATHER_TIMEOUT):
                await done.wait()
        local = pc.localDescription
        if local is None:
            raise CallError(f"{self.side} side of leg {self.leg}: no local description")
        if not sdp_candidate_addresses(local.sdp):
            # aioice skips loopback: in a namespace with only ``lo`` it finds nothing,
            # and the call would hang in "new" instead of failing.
            raise CallError(
                f"{self.side} side of leg {self.leg}: no ICE candidate gathered (no usable"
                " interface address and no TURN server); use CallConfig.loopback() or"
                " add_loopback=True on a loopback-only machine, or configure a TURN server"
            )
        return str(local.sdp)

    async def _teardown(self) -> None:
        """Close the current leg: peer connection, sinks, the tracks this session made."""
        pc, self._pc = self._pc, None
        sinks, self._sinks = self._sinks, []
        tracks, self._owned_tracks = self._owned_tracks, []
        self.remote_video = self.remote_audio = None
        self._pending_ice = []
        try:
            if pc is not None:
                try:
                    async with asyncio.timeout(CLOSE_TIMEOUT):
                        await pc.close()
                except TimeoutError:
                    log.warning("%s side of leg %s: close timed out", self.side, self.leg)
            await asyncio.gather(*(sink.stop() for sink in sinks))
        finally:
            for track in tracks:
                track.stop()
            self._wake()

    async def close(self) -> None:
        """Close the session for good (idempotent). ``on_state("closed")`` is reported."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._pc is not None:
                # still attached, so the "closed" state reaches on_state
                async with asyncio.timeout(CLOSE_TIMEOUT):
                    await self._pc.close()
        except TimeoutError:
            log.warning("%s side of leg %s: close timed out", self.side, self.leg)
        finally:
            await self._teardown()
            callbacks, self._close_callbacks = self._close_callbacks, []
            for callback in callbacks:
                try:
                    callback(self)
                except Exception:
                    log.exception("close callback failed (%s side)", self.side)


class StaffCallSession(CallSession):
    """The console's side of one leg: answers the patient's offer.

    ``audio`` / ``video`` are the local tracks to send (the console's microphone
    and camera, or :class:`ToneTrack` / :class:`TestPatternTrack`); either may be
    ``None`` (receive only). They are added for the kinds the offer contains. The
    caller owns them: closing the session does not stop them, so the same
    camera can serve the next leg. A track can feed only one leg at a time; to
    share one between concurrent legs, give each session
    ``aiortc.contrib.media.MediaRelay().subscribe(track)``.
    """

    side: ClassVar[str] = "staff"

    def __init__(
        self,
        leg: str,
        send: Send,
        *,
        audio: MediaStreamTrack | None = None,
        video: MediaStreamTrack | None = None,
        config: CallConfig | None = None,
        on_state: Callable[[str], None] | None = None,
        on_remote_track: Callable[[FrameSink], None] | None = None,
    ) -> None:
        super().__init__(send, config=config, on_state=on_state, on_remote_track=on_remote_track)
        if audio is not None and audio.kind != "audio":
            raise ValueError("audio track expected")
        if video is not None and video.kind != "video":
            raise ValueError("video track expected")
        self.leg = leg
        self.local_audio = audio
        self.local_video = video

    async def handle(self, signal: Signal) -> None:
        """Apply a relayed signal: answer an ``offer``, add an ``ice`` candidate.

        Raises :class:`SignalError` for a malformed SDP or candidate, another
        leg's signal, an ``answer``, or a second offer on the same leg (a leg is
        one peer connection; renegotiation is a new leg). After a refused offer
        the session has no peer connection and may take a corrected offer, or be
        closed.
        """
        self._check_leg(signal)
        if signal.kind == "offer":
            await self._answer(signal.sdp)
        elif signal.kind == "ice":
            await self._add_ice(signal.candidate)
        else:
            raise SignalError("the staff side answers offers; it never receives an answer")

    async def _answer(self, sdp: str | None) -> None:
        if self._pc is not None:
            raise SignalError(f"leg {self.leg} already has an offer; a new offer needs a new leg")
        pc = self._new_pc()
        try:
            await self._set_remote(pc, "offer", sdp)
            offered = {t.kind for t in pc.getTransceivers()}
            if not offered:
                raise SignalError(f"invalid offer on leg {self.leg}: no audio or video")
            for track in (self.local_audio, self.local_video):
                if track is not None and track.kind in offered:
                    pc.addTrack(track)
            answer = await pc.createAnswer()
            local_sdp = await self._set_local(pc, answer)
        except BaseException:
            await self._teardown()
            raise
        assert self.leg is not None
        await self._send(Signal(leg=self.leg, kind="answer", sdp=local_sdp))


class PatientCallSession(CallSession):
    """The patient's side, for the simulator and tests: offers on each leg it is told to open.

    It makes its own synthetic tracks per leg: a :class:`TestPatternTrack` of
    ``marker`` colour and a :class:`ToneTrack` of ``tone_hz`` (or whatever
    ``make_tracks(media)`` returns), and stops them when the leg closes.
    """

    side: ClassVar[str] = "patient"

    def __init__(
        self,
        send: Send,
        *,
        config: CallConfig | None = None,
        on_state: Callable[[str], None] | None = None,
        on_remote_track: Callable[[FrameSink], None] | None = None,
        marker: RGB = (40, 60, 220),
        tone_hz: float = 440.0,
        width: int = 640,
        height: int = 480,
        fps: float = 30.0,
        make_tracks: Callable[[Media], Sequence[MediaStreamTrack]] | None = None,
    ) -> None:
        super().__init__(send, config=config, on_state=on_state, on_remote_track=on_remote_track)
        self.marker = marker
        self.tone_hz = tone_hz
        self.size = (width, height)
        self.fps = fps
        self.media: Media = "none"
        self._make_tracks = make_tracks

    def local_tracks(self, media: Media) -> list[MediaStreamTrack]:
        """The tracks a leg of ``media`` sends: tone for audio, tone and pattern for video."""
        if self._make_tracks is not None:
            return list(self._make_tracks(media))
        tracks: list[MediaStreamTrack] = []
        if media in ("audio", "video"):
            tracks.append(ToneTrack(hz=self.tone_hz))
        if media == "video":
            width, height = self.size
            tracks.append(
                TestPatternTrack(width=width, height=height, fps=self.fps, marker=self.marker)
            )
        return tracks

    async def open(self, leg: str, media: Media = "video") -> None:
        """Open ``leg`` (closing the previous one) and send its offer, every candidate included.

        ``media="none"`` (a chat-only contact) records the leg and sends nothing.
        """
        if self._closed:
            raise CallError("patient session closed")
        await self._teardown()
        self.leg = leg
        self.media = media
        if media == "none":
            return
        pc = self._new_pc()
        try:
            tracks = self.local_tracks(media)
            self._owned_tracks = tracks
            for track in tracks:
                pc.addTrack(track)
            offer = await pc.createOffer()
            local_sdp = await self._set_local(pc, offer)
        except BaseException:
            await self._teardown()
            raise
        await self._send(Signal(leg=leg, kind="offer", sdp=local_sdp))

    async def handle(self, signal: Signal) -> None:
        """Apply a relayed signal: the staff side's ``answer``, or an ``ice`` candidate.

        Raises :class:`SignalError` for a malformed SDP or candidate, another
        leg's signal (e.g. a late answer for a leg already transferred), an
        answer with no offer waiting, or an ``offer``.
        """
        self._check_leg(signal)
        if signal.kind == "answer":
            pc = self._pc
            if pc is None or pc.signalingState != "have-local-offer":
                raise SignalError(f"no offer waiting for an answer on leg {self.leg}")
            await self._set_remote(pc, "answer", signal.sdp)
        elif signal.kind == "ice":
            await self._add_ice(signal.candidate)
        else:
            raise SignalError("the patient side makes the offer; it never receives one")

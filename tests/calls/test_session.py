"""Real aiortc peers on loopback: a patient session offers, staff sessions answer.

Signals travel through :class:`FakeRelay` (two queues, the wire models and JSON).
Waits are bounded by generous timeouts; no timing is asserted.
"""

from __future__ import annotations

import re

import pytest

from console.calls.errors import CallError, SignalError
from console.calls.ice import LOOPBACK, CallConfig, sdp_candidate_addresses
from console.calls.media import (
    FrameSink,
    TestPatternTrack,
    ToneTrack,
    colour_distance,
    read_marker,
)
from console.calls.registry import CallRegistry
from console.calls.session import CallSession, PatientCallSession, StaffCallSession
from console.protocol.messages import Signal
from tests.calls.helpers import (
    DOCTOR,
    OPERATOR,
    PATIENT,
    TIMEOUT,
    FakeRelay,
    connect,
    other_tasks,
)

MARKERS = {"patient": PATIENT, "operator": OPERATOR, "doctor": DOCTOR}
TONE_RMS = 0.05  # silence is 0; the 0.25 tone (RMS 0.18) arrives near 0.12 (mono->stereo -3 dB)


# Real peers: only in a loopback-only network namespace (scripts/test.sh runs it).
pytestmark = pytest.mark.netns


async def assert_sees(session: CallSession, marker: tuple[int, int, int]) -> FrameSink:
    """The session's remote video shows ``marker`` (the nearest of the known markers)."""
    sink = await session.wait_remote_frames(10, timeout=TIMEOUT)
    assert sink.last_frame is not None
    seen = read_marker(sink.last_frame)
    nearest = min(MARKERS.values(), key=lambda m: colour_distance(seen, m))
    assert nearest == marker, f"saw {seen}"
    assert colour_distance(seen, marker) < 40, f"saw {seen}"
    return sink


async def assert_hears_tone(session: CallSession) -> None:
    sink = await session.wait_remote_frames(25, timeout=TIMEOUT, kind="audio")
    assert sink.peak_rms > TONE_RMS


def assert_loopback_pair(session: CallSession) -> None:
    pair = session.selected_pair()
    assert pair is not None
    (local_host, _), (remote_host, _) = pair
    assert (local_host, remote_host) == (LOOPBACK, LOOPBACK)


def patient_session(relay: FakeRelay, config: CallConfig, **kw: object) -> PatientCallSession:
    return PatientCallSession(relay.from_patient, config=config, marker=PATIENT, **kw)  # type: ignore[arg-type]


def staff_session(
    leg: str, relay: FakeRelay, config: CallConfig, marker: tuple[int, int, int], **kw: object
) -> StaffCallSession:
    return StaffCallSession(
        leg,
        relay.from_staff,
        audio=ToneTrack(hz=660),
        video=TestPatternTrack(marker=marker),
        config=config,
        **kw,  # type: ignore[arg-type]
    )


def stop_local_tracks(session: StaffCallSession) -> None:
    """The staff side's tracks belong to the caller (the console's camera)."""
    for track in (session.local_audio, session.local_video):
        if track is not None:
            track.stop()


async def test_media_flows_both_ways(
    relay: FakeRelay, config: CallConfig, registry: CallRegistry
) -> None:
    states: dict[str, list[str]] = {"patient": [], "staff": []}
    patient = registry.add(
        PatientCallSession(
            relay.from_patient, config=config, marker=PATIENT, on_state=states["patient"].append
        )
    )
    staff = registry.add(
        staff_session("leg-1", relay, config, OPERATOR, on_state=states["staff"].append)
    )

    await connect(relay, patient, staff)
    await staff.wait_connected(TIMEOUT)
    await patient.wait_connected(TIMEOUT)

    await assert_sees(staff, PATIENT)
    await assert_sees(patient, OPERATOR)
    await assert_hears_tone(staff)
    await assert_hears_tone(patient)

    assert_loopback_pair(staff)
    assert_loopback_pair(patient)
    assert [s.kind for s in relay.sent] == ["offer", "answer"]
    for signal in relay.sent:  # both sides gathered before sending: no trickle
        assert signal.sdp is not None
        assert set(sdp_candidate_addresses(signal.sdp)) == {LOOPBACK}
    assert "connected" in states["patient"]
    assert "connected" in states["staff"]

    await staff.close()
    assert staff.connection_state == "closed"
    assert states["staff"][-1] == "closed"
    assert staff not in registry
    stop_local_tracks(staff)


async def test_remote_tracks_have_sinks_before_the_answer_goes_out(
    relay: FakeRelay, config: CallConfig, registry: CallRegistry
) -> None:
    at_answer: list[tuple[bool, bool]] = []
    announced: list[str] = []

    async def send(signal: Signal) -> None:
        at_answer.append((staff.remote_audio is not None, staff.remote_video is not None))
        await relay.from_staff(signal)

    patient = registry.add(patient_session(relay, config))
    staff = registry.add(
        StaffCallSession(
            "leg-1", send, config=config, on_remote_track=lambda sink: announced.append(sink.kind)
        )
    )
    await connect(relay, patient, staff)
    assert at_answer == [(True, True)]
    assert sorted(announced) == ["audio", "video"]
    assert staff.remote_video is not None
    assert staff.remote_video.running
    # receive-only staff side: the patient gets no remote media, the staff side does
    await staff.wait_remote_frames(3, timeout=TIMEOUT)
    assert patient.remote_video is None


async def test_audio_only_leg(relay: FakeRelay, config: CallConfig, registry: CallRegistry) -> None:
    patient = registry.add(patient_session(relay, config))
    staff = registry.add(staff_session("leg-a", relay, config, OPERATOR))
    await connect(relay, patient, staff, media="audio")
    await staff.wait_connected(TIMEOUT)
    await assert_hears_tone(staff)
    await assert_hears_tone(patient)
    assert staff.remote_video is None
    assert patient.remote_video is None  # the staff camera is not sent on an audio leg
    await registry.close_all()
    stop_local_tracks(staff)


async def test_transfer_opens_a_new_leg_to_another_staff_member(
    relay: FakeRelay, config: CallConfig, registry: CallRegistry
) -> None:
    patient = registry.add(patient_session(relay, config))
    operator = registry.add(staff_session("leg-1", relay, config, OPERATOR))
    await connect(relay, patient, operator)
    await patient.wait_connected(TIMEOUT)
    first = await assert_sees(patient, OPERATOR)

    # the operator transfers: their leg closes, the hub opens leg-2 to the doctor
    await operator.close()
    stop_local_tracks(operator)
    assert operator not in registry
    doctor = registry.add(staff_session("leg-2", relay, config, DOCTOR))
    await connect(relay, patient, doctor)
    assert patient.leg == "leg-2"
    assert first.ended  # the first leg's sink went with its peer connection

    await doctor.wait_connected(TIMEOUT)
    await patient.wait_connected(TIMEOUT)
    await assert_sees(patient, DOCTOR)
    await assert_sees(doctor, PATIENT)
    await assert_hears_tone(doctor)
    assert [s.leg for s in relay.sent] == ["leg-1", "leg-1", "leg-2", "leg-2"]

    with pytest.raises(SignalError, match="leg-1"):  # a late signal of the old leg
        await patient.handle(Signal(leg="leg-1", kind="answer", sdp="v=0"))
    stop_local_tracks(doctor)


async def test_registry_closes_everything_and_no_task_is_left(
    relay: FakeRelay, config: CallConfig
) -> None:
    baseline = await other_tasks(settle=0)
    registry = CallRegistry()
    patient = registry.add(patient_session(relay, config))
    staff = registry.add(staff_session("leg-1", relay, config, OPERATOR))
    await connect(relay, patient, staff)
    await assert_sees(staff, PATIENT)
    await assert_sees(patient, OPERATOR)
    # a second staff session that never connects: its offer is answered, the answer dropped
    lone_patient = registry.add(patient_session(relay, config))
    lone_staff = registry.add(StaffCallSession("leg-9", relay.from_staff, config=config))
    await lone_patient.open("leg-9", "video")
    await lone_staff.handle(await relay.for_staff())
    await relay.for_patient()
    assert len(registry) == 4

    sinks = [s.remote_video for s in (patient, staff)]
    await registry.close_all()

    assert len(registry) == 0
    assert all(s.closed and s.connection_state == "closed" for s in (patient, staff))
    assert all(sink is not None and sink.ended for sink in sinks)
    stop_local_tracks(staff)
    leftover = await other_tasks() - baseline
    assert not leftover, leftover


@pytest.mark.parametrize(
    ("sdp", "problem"),
    [
        ("hello", "not an SDP"),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", "no audio or video"),
        ("", "no SDP"),
        ("truncated", ""),
        ("no-fingerprint", "no DTLS fingerprint"),
        ("no-ufrag", "no ICE username fragment"),
        ("no-common-codec", "Failed to set remote"),
    ],
)
async def test_malformed_offer_is_refused_and_the_session_survives(
    relay: FakeRelay, config: CallConfig, registry: CallRegistry, sdp: str, problem: str
) -> None:
    patient = registry.add(patient_session(relay, config))
    staff = registry.add(staff_session("leg-1", relay, config, OPERATOR))
    await patient.open("leg-1", "video")
    real = (await relay.for_staff()).sdp
    assert real is not None
    if sdp == "truncated":
        sdp = real[: len(real) // 2]
    elif sdp == "no-ufrag":
        sdp = re.sub(r"a=ice-ufrag:[^\r\n]*\r\n", "", real)
    elif sdp == "no-fingerprint":
        sdp = re.sub(r"a=fingerprint:[^\r\n]*\r\n", "", real)
    elif sdp == "no-common-codec":
        sdp = re.sub(r"(VP8|H264|rtx|opus|PCMU|PCMA|G722)/", "x-unknown/", real)

    with pytest.raises(SignalError, match=re.escape(f"invalid offer on leg leg-1: {problem}")):
        await staff.handle(Signal(leg="leg-1", kind="offer", sdp=sdp))
    assert staff.pc is None
    assert staff.remote_video is None
    assert relay.to_patient.empty()

    # the same session takes the corrected offer, then closes normally
    await staff.handle(Signal(leg="leg-1", kind="offer", sdp=real))
    await patient.handle(await relay.for_patient())
    await staff.wait_connected(TIMEOUT)
    await staff.close()
    assert staff.connection_state == "closed"
    stop_local_tracks(staff)


async def test_refused_signals(
    relay: FakeRelay, config: CallConfig, registry: CallRegistry
) -> None:
    patient = registry.add(patient_session(relay, config))
    staff = registry.add(StaffCallSession("leg-1", relay.from_staff, config=config))

    with pytest.raises(SignalError, match="leg-1"):  # no leg open yet
        await patient.handle(Signal(leg="leg-1", kind="answer", sdp="v=0"))
    await patient.open("leg-1", "audio")
    offer = await relay.for_staff()
    with pytest.raises(SignalError, match="leg-2"):
        await staff.handle(offer.model_copy(update={"leg": "leg-2"}))
    with pytest.raises(SignalError, match="never receives an answer"):
        await staff.handle(Signal(leg="leg-1", kind="answer", sdp=offer.sdp))
    with pytest.raises(SignalError, match="never receives one"):
        await patient.handle(offer)
    with pytest.raises(SignalError, match="ICE candidate"):
        await staff.handle(Signal(leg="leg-1", kind="ice", candidate={"candidate": "junk"}))

    await staff.handle(offer)
    with pytest.raises(SignalError, match="new offer needs a new leg"):
        await staff.handle(offer)
    await patient.handle(await relay.for_patient())
    with pytest.raises(SignalError, match="no offer waiting"):  # answered already
        await patient.handle(Signal(leg="leg-1", kind="answer", sdp=offer.sdp))
    await staff.wait_connected(TIMEOUT)

    await staff.close()
    with pytest.raises(CallError, match="closed"):
        await staff.handle(offer)
    with pytest.raises(CallError, match="closed"):
        await staff.wait_connected(TIMEOUT)
    await staff.close()  # idempotent


def _trickled(sdp: str) -> tuple[str, list[dict[str, object]]]:
    """Take the candidates out of an SDP, as a trickling browser would send them."""
    lines = sdp.split("\r\n")
    kept: list[str] = []
    candidates: list[dict[str, object]] = []
    index, mid = -1, None
    for line in lines:
        if line.startswith("m="):
            index += 1
            mid = None
        elif line.startswith("a=mid:"):
            mid = line.removeprefix("a=mid:")
        if line.startswith("a=candidate:"):
            candidates.append(
                {"candidate": line.removeprefix("a="), "sdpMid": mid, "sdpMLineIndex": index}
            )
        elif line != "a=end-of-candidates":
            kept.append(line)
    return "\r\n".join(kept), candidates


async def test_trickled_candidates_are_applied_even_before_the_offer(
    relay: FakeRelay, config: CallConfig, registry: CallRegistry
) -> None:
    patient = registry.add(patient_session(relay, config))
    staff = registry.add(staff_session("leg-1", relay, config, OPERATOR))
    await patient.open("leg-1", "video")
    offer = await relay.for_staff()
    assert offer.sdp is not None
    bare, candidates = _trickled(offer.sdp)
    assert candidates
    assert not sdp_candidate_addresses(bare)

    first, *rest = candidates
    await staff.handle(Signal(leg="leg-1", kind="ice", candidate=first))  # kept until the offer
    await staff.handle(Signal(leg="leg-1", kind="offer", sdp=bare))
    for candidate in rest:
        await staff.handle(Signal(leg="leg-1", kind="ice", candidate=candidate))
    end = {"candidate": "", "sdpMid": first["sdpMid"], "sdpMLineIndex": 0}
    await staff.handle(Signal(leg="leg-1", kind="ice", candidate=end))
    await patient.handle(await relay.for_patient())

    await staff.wait_connected(TIMEOUT)
    await assert_sees(staff, PATIENT)
    assert_loopback_pair(staff)
    stop_local_tracks(staff)

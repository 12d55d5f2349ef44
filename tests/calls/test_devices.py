"""The console's local media: sources, gates (mute, hold), relay subscriptions, devices.

Track tests call ``recv()`` directly. What the other side of a call receives is
tested through a real loopback call (marker ``netns``).
"""

from __future__ import annotations

import asyncio
import fractions
import glob
import itertools
from typing import TYPE_CHECKING

import numpy as np
import pytest
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import AudioFrame, VideoFrame

from console.calls import devices
from console.calls.devices import (
    TEST_PICTURE,
    TEST_TONE,
    LocalMedia,
    MediaDeviceError,
    SourceTrack,
    black_like,
    camera_candidates,
    copy_audio,
    copy_video,
    microphone_candidates,
    silence_like,
)
from console.calls.errors import CallError
from console.calls.media import FrameSink, colour_distance, read_counter, read_marker
from console.calls.session import PatientCallSession, StaffCallSession
from tests.calls.helpers import OPERATOR, PATIENT, TIMEOUT, FakeRelay, connect, other_tasks

if TYPE_CHECKING:
    from console.calls.ice import CallConfig
    from console.calls.registry import CallRegistry

NO_CAMERA = "/dev/medconsole-test-no-such-camera"
NO_MICROPHONE = "medconsole-test-no-such-microphone"
TONE_RMS = 0.05  # as in test_session: the 0.25 tone arrives near 0.12 after Opus


def rms(frame: AudioFrame) -> float:
    data = frame.to_ndarray().astype(np.float64) / 32768.0
    return float(np.sqrt(np.mean(data * data)))


def pts(frame: AudioFrame | VideoFrame) -> int:
    assert frame.pts is not None
    return frame.pts


async def recv_video(track: MediaStreamTrack) -> VideoFrame:
    async with asyncio.timeout(TIMEOUT):
        frame = await track.recv()
    assert isinstance(frame, VideoFrame)
    return frame


async def recv_audio(track: MediaStreamTrack) -> AudioFrame:
    async with asyncio.timeout(TIMEOUT):
        frame = await track.recv()
    assert isinstance(frame, AudioFrame)
    return frame


@pytest.fixture
async def media():
    local = LocalMedia("synthetic", marker=OPERATOR)
    await local.open()
    try:
        yield local
    finally:
        await local.close()


# ---------------------------------------------------------------- tracks


async def test_synthetic_tracks_produce_frames(media: LocalMedia) -> None:
    assert media.is_open
    assert (media.video_source, media.audio_source) == (TEST_PICTURE, TEST_TONE)
    assert media.synthetic_video and media.synthetic_audio
    assert media.problems == ()  # asked for synthetic: nothing is missing

    audio, video = media.leg_tracks()
    assert (audio.kind, video.kind) == ("audio", "video")
    frame = await recv_video(video)
    assert colour_distance(read_marker(frame.to_ndarray(format="rgb24")), OPERATOR) < 5
    assert rms(await recv_audio(audio)) > 0.1

    preview = await recv_video(media.preview_track())
    assert colour_distance(read_marker(preview.to_ndarray(format="rgb24")), OPERATOR) < 5
    assert rms(await recv_audio(media.level_track())) > 0.1


async def test_every_subscription_reads_the_one_source(media: LocalMedia) -> None:
    first = media.preview_track()
    await recv_video(first)
    await media.open()  # idempotent: the same source goes on
    _, second = media.leg_tracks()
    a = read_counter((await recv_video(first)).to_ndarray(format="rgb24"))
    b = read_counter((await recv_video(second)).to_ndarray(format="rgb24"))
    assert abs(a - b) <= 2  # one pattern, read at about the same time


async def test_concurrent_opens_open_once() -> None:
    local = LocalMedia("synthetic")
    try:
        await asyncio.gather(local.open(), local.open(), local.open())
        a, b = local.preview_track(), local.preview_track()
        ca = read_counter((await recv_video(a)).to_ndarray(format="rgb24"))
        cb = read_counter((await recv_video(b)).to_ndarray(format="rgb24"))
        assert abs(ca - cb) <= 2
    finally:
        await local.close()


async def test_muted_sends_silence_with_the_same_timing(media: LocalMedia) -> None:
    audio, _ = media.leg_tracks()
    level = media.level_track()
    before = await recv_audio(audio)
    assert rms(before) > 0.1

    media.muted = True
    silent = [await recv_audio(audio) for _ in range(3)]
    for frame in silent:
        assert not frame.to_ndarray().any()
        assert (frame.format.name, frame.layout.name) == (before.format.name, before.layout.name)
        assert (frame.samples, frame.sample_rate) == (before.samples, before.sample_rate)
        assert frame.time_base == before.time_base
    stamps = [pts(f) for f in (before, *silent)]
    assert all(b - a == before.samples for a, b in itertools.pairwise(stamps))
    assert rms(await recv_audio(level)) > 0.1  # the meter hears the microphone itself

    media.muted = False
    assert rms(await recv_audio(audio)) > 0.1


async def test_held_sends_black_and_silence(media: LocalMedia) -> None:
    audio, video = media.leg_tracks()
    preview = media.preview_track()
    before = await recv_video(video)

    media.held = True
    assert not media.muted
    black = [await recv_video(video) for _ in range(2)]
    for frame in black:
        assert (frame.width, frame.height) == (before.width, before.height)
        assert frame.time_base == before.time_base
        assert frame.to_ndarray(format="rgb24").max() <= 2
    assert pts(black[1]) > pts(black[0]) > pts(before)
    assert not (await recv_audio(audio)).to_ndarray().any()
    own = (await recv_video(preview)).to_ndarray(format="rgb24")
    assert colour_distance(read_marker(own), OPERATOR) < 5  # the operator still sees themself

    media.held = False
    after = (await recv_video(video)).to_ndarray(format="rgb24")
    assert colour_distance(read_marker(after), OPERATOR) < 5
    assert rms(await recv_audio(audio)) > 0.1


def test_silence_and_black_of_other_formats() -> None:
    for fmt, layout, zero in (("u8", "mono", 128), ("fltp", "stereo", 0), ("s16p", "stereo", 0)):
        frame = AudioFrame(format=fmt, layout=layout, samples=480)
        frame.sample_rate = 16_000
        frame.pts = 4800
        silent = silence_like(frame)
        assert (silent.format.name, silent.layout.name, silent.samples) == (fmt, layout, 480)
        assert silent.sample_rate == 16_000
        assert silent.pts == 4800
        assert (silent.to_ndarray() == zero).all()

    picture = VideoFrame.from_ndarray(np.full((121, 161, 3), 200, np.uint8), format="rgb24")
    picture.pts = 3000
    black = black_like(picture)
    assert (black.width, black.height, black.pts) == (161, 121, 3000)
    assert black.to_ndarray(format="rgb24").max() <= 2


def test_copies_own_their_memory_and_keep_timing() -> None:
    picture = np.random.default_rng(1).integers(0, 255, (120, 160, 3), np.uint8)
    video = VideoFrame.from_ndarray(picture, format="rgb24").reformat(format="yuv420p")
    video.pts = 1234
    video.time_base = fractions.Fraction(1, 90_000)
    copy = copy_video(video)
    assert copy is not video
    assert (copy.format.name, copy.width, copy.height) == ("yuv420p", 160, 120)
    assert (copy.pts, copy.time_base) == (1234, video.time_base)
    assert (copy.colorspace, copy.color_range) == (video.colorspace, video.color_range)
    assert np.array_equal(copy.to_ndarray(), video.to_ndarray())
    copy.pts = 0  # what an encoder does to the frame it gets
    assert video.pts == 1234

    samples = np.arange(-960, 960, dtype=np.int16).reshape(1, -1)
    sound = AudioFrame.from_ndarray(samples, format="s16", layout="stereo")
    sound.sample_rate = 48_000
    sound.pts = 960
    heard = copy_audio(sound)
    assert heard is not sound
    assert (heard.samples, heard.sample_rate, heard.pts) == (960, 48_000, 960)
    assert np.array_equal(heard.to_ndarray(), samples)


async def test_every_consumer_gets_its_own_frame(media: LocalMedia) -> None:
    _, first = media.leg_tracks()
    _, second = media.leg_tracks()
    tracks = [first, second, media.preview_track()]
    frames = await asyncio.gather(*(recv_video(t) for t in tracks))  # one source frame
    assert len({id(f) for f in frames}) == 3
    assert {f.format.name for f in frames} == {"yuv420p"}  # converted once, at the source
    counters = {read_counter(f.to_ndarray(format="rgb24")) for f in frames}
    assert len(counters) == 1


async def test_close_stops_every_track_and_task() -> None:
    local = LocalMedia("synthetic")
    await local.open()
    tracks = [*local.leg_tracks(), local.preview_track(), local.level_track()]
    for track in tracks:
        await track.recv()
    await local.close()
    assert not local.is_open
    for track in tracks:
        assert track.readyState == "ended"
        with pytest.raises(MediaStreamError):
            await track.recv()
    assert await other_tasks() == set()
    await local.close()  # idempotent

    await local.open()  # and it opens again
    await recv_video(local.preview_track())
    await local.close()


async def test_tracks_need_an_open_media() -> None:
    local = LocalMedia("synthetic")
    with pytest.raises(CallError, match="not open"):
        local.leg_tracks()
    with pytest.raises(CallError, match="not open"):
        local.preview_track()


def test_mode_is_checked() -> None:
    with pytest.raises(ValueError, match="media mode"):
        LocalMedia("camera")  # type: ignore[arg-type]


class Silent(MediaStreamTrack):
    """A device that never delivers (as a stopped ``MediaPlayer`` track behaves)."""

    kind = "video"

    async def recv(self) -> VideoFrame:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def test_a_stopped_source_ends_a_pending_read() -> None:
    inner = Silent()
    source = SourceTrack(inner, device=False)
    reader = asyncio.ensure_future(source.recv())
    await asyncio.sleep(0.01)
    await source.release()
    with pytest.raises(MediaStreamError):
        await reader
    assert inner.readyState == "ended"


async def test_cancelling_a_reader_is_not_an_end_of_stream() -> None:
    source = SourceTrack(Silent(), device=False)
    reader = asyncio.ensure_future(source.recv())
    await asyncio.sleep(0.01)
    reader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reader
    assert source.readyState == "live"
    await source.release()


# ---------------------------------------------------------------- devices


def test_device_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    nodes = ["/dev/video10", "/dev/video2", "/dev/video0"]
    monkeypatch.setattr(devices.glob, "glob", lambda _pattern: list(nodes))
    found = camera_candidates(None, platform="linux")
    assert [d.file for d in found] == ["/dev/video0", "/dev/video2", "/dev/video10"]
    assert {d.format for d in found} == {"v4l2"}
    assert [d.file for d in camera_candidates("/dev/video5", platform="linux")] == ["/dev/video5"]
    mics = microphone_candidates(None, platform="linux")
    assert [(d.file, d.format, d.label) for d in mics] == [
        ("default", "pulse", "default (pulse)"),
        ("default", "alsa", "default (alsa)"),
    ]
    assert camera_candidates(None, platform="win32") == []  # DirectShow needs a name
    assert camera_candidates("Integrated Camera", platform="win32")[0].file == (
        "video=Integrated Camera"
    )


async def test_devices_mode_names_what_is_missing() -> None:
    local = LocalMedia("devices", camera=NO_CAMERA, microphone=NO_MICROPHONE)
    with pytest.raises(MediaDeviceError) as caught:
        await local.open()
    message = str(caught.value)
    assert f"no camera: {NO_CAMERA}: No such file or directory" in message
    assert f"no microphone: {NO_MICROPHONE} (" in message
    assert not local.is_open
    assert await other_tasks() == set()


@pytest.mark.skipif(bool(glob.glob("/dev/video*")), reason="this machine has a camera")
async def test_devices_mode_on_a_machine_without_a_camera() -> None:
    with pytest.raises(MediaDeviceError, match=r"no camera: no video device \(/dev/video\*\)"):
        await LocalMedia("devices").open()


async def test_auto_falls_back_to_synthetic_and_says_so() -> None:
    local = LocalMedia("auto", camera=NO_CAMERA, microphone=NO_MICROPHONE, marker=OPERATOR)
    await local.open()
    try:
        assert local.synthetic_video and local.synthetic_audio
        assert (local.video_source, local.audio_source) == (TEST_PICTURE, TEST_TONE)
        assert any(p.startswith(f"camera: {NO_CAMERA}") for p in local.problems)
        assert any(p.startswith(f"microphone: {NO_MICROPHONE}") for p in local.problems)
        _, video = local.leg_tracks()
        frame = (await recv_video(video)).to_ndarray(format="rgb24")
        assert colour_distance(read_marker(frame), OPERATOR) < 5
    finally:
        await local.close()


# ---------------------------------------------------------------- through a call


async def levels(sink: FrameSink, n: int) -> list[float]:
    """The RMS of each of the next ``n`` audio frames the sink gets."""
    out = []
    for _ in range(n):
        await sink.wait_frames(sink.frames + 1, timeout=TIMEOUT)
        out.append(sink.rms)
    return out


async def marker_seen(sink: FrameSink) -> tuple[int, int, int]:
    await sink.wait_frames(sink.frames + 2, timeout=TIMEOUT)
    assert sink.last_frame is not None
    return read_marker(sink.last_frame)


@pytest.mark.netns
async def test_mute_and_hold_reach_the_patient(
    relay: FakeRelay, config: CallConfig, registry: CallRegistry, media: LocalMedia
) -> None:
    audio, video = media.leg_tracks()
    staff = registry.add(
        StaffCallSession("leg-1", relay.from_staff, audio=audio, video=video, config=config)
    )
    patient = registry.add(PatientCallSession(relay.from_patient, config=config, marker=PATIENT))
    await connect(relay, patient, staff)
    await patient.wait_connected(TIMEOUT)
    heard = await patient.wait_remote_frames(25, timeout=TIMEOUT, kind="audio")
    seen = await patient.wait_remote_frames(5, timeout=TIMEOUT)
    assert max(await levels(heard, 10)) > TONE_RMS
    assert colour_distance(await marker_seen(seen), OPERATOR) < 40

    meter = FrameSink(media.level_track())
    meter.start()
    try:
        media.muted = True
        await levels(heard, 15)  # what was on the way before the mute
        assert max(await levels(heard, 25)) == 0.0
        assert meter.rms > 0.1  # the source itself goes on

        media.muted = False
        assert max(await levels(heard, 25)) > TONE_RMS

        media.held = True
        await levels(heard, 15)
        assert max(await levels(heard, 25)) == 0.0
        await seen.wait_frames(seen.frames + 10, timeout=TIMEOUT)
        assert seen.last_frame is not None
        assert seen.last_frame.max() < 40, "still a picture on hold"

        media.held = False
        assert max(await levels(heard, 25)) > TONE_RMS
        for _ in range(10):  # VP8 takes a few frames to bring the picture back
            if colour_distance(await marker_seen(seen), OPERATOR) < 40:
                break
        assert colour_distance(read_marker(seen.last_frame), OPERATOR) < 40
    finally:
        await meter.stop()

    await staff.close()  # the sender stops the leg's tracks; the media stays open
    assert audio.readyState == video.readyState == "ended"
    _, next_video = media.leg_tracks()
    await recv_video(next_video)

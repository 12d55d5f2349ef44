"""Synthetic tracks and the frame sink, without any network."""

from __future__ import annotations

import asyncio
import fractions

import numpy as np
import pytest
from aiortc.mediastreams import MediaStreamError

from console.calls.errors import TrackEnded
from console.calls.media import (
    FrameSink,
    TestPatternTrack,
    ToneTrack,
    colour_distance,
    read_counter,
    read_marker,
)
from tests.calls.helpers import PATIENT, TIMEOUT


def test_pattern_carries_marker_and_counter() -> None:
    track = TestPatternTrack(width=320, height=240, marker=PATIENT)
    for n in (0, 1, 77, 255, 256 + 3):
        image = track.render(n)
        assert image.shape == (240, 320, 3)
        assert image.dtype == np.uint8
        assert read_marker(image) == PATIENT
        assert read_counter(image) == n % 256


def test_pattern_moves() -> None:
    track = TestPatternTrack()
    assert not np.array_equal(track.render(10)[100:], track.render(11)[100:])


def test_pattern_rejects_bad_settings() -> None:
    with pytest.raises(ValueError, match="fps"):
        TestPatternTrack(fps=0)
    with pytest.raises(ValueError, match="at least"):
        TestPatternTrack(width=100, height=20)
    with pytest.raises(ValueError, match="frequency"):
        ToneTrack(hz=30_000)


async def test_pattern_timestamps_follow_the_frame_rate() -> None:
    track = TestPatternTrack(width=160, height=120, fps=50, marker=(1, 2, 3))
    frames = [await track.recv() for _ in range(4)]
    assert [f.pts for f in frames] == [0, 1800, 3600, 5400]  # 90 kHz / 50 fps
    assert all(f.time_base == fractions.Fraction(1, 90_000) for f in frames)
    assert (frames[0].width, frames[0].height) == (160, 120)
    assert read_counter(frames[3].to_ndarray(format="rgb24")) == 3
    track.stop()
    with pytest.raises(MediaStreamError):
        await track.recv()


async def test_odd_frame_rate_does_not_drift() -> None:
    track = TestPatternTrack(width=160, height=120, fps=110)  # 818.18 ticks a frame
    pts = [(await track.recv()).pts for _ in range(8)]
    assert pts[7] == round(7 * 90_000 / 110) == 5727  # not 7 * 818
    track.stop()


async def test_tone_frames() -> None:
    track = ToneTrack(hz=1000, amplitude=0.5)
    frames = [await track.recv() for _ in range(3)]
    assert [f.pts for f in frames] == [0, 960, 1920]
    assert all(f.samples == 960 and f.sample_rate == 48_000 for f in frames)
    assert frames[0].time_base == fractions.Fraction(1, 48_000)
    samples = np.concatenate([f.to_ndarray().reshape(-1) for f in frames]).astype(float)
    rms = np.sqrt(np.mean((samples / 32768) ** 2))
    assert rms == pytest.approx(0.5 / np.sqrt(2), rel=0.01)
    track.stop()


async def test_sink_counts_converts_and_stops() -> None:
    track = TestPatternTrack(width=160, height=120, fps=60, marker=PATIENT)
    seen: list[np.ndarray] = []
    sink = FrameSink(track, on_frame=seen.append)
    sink.start()
    await sink.wait_frames(5, timeout=TIMEOUT)
    assert sink.frames >= 5
    assert sink.first_frame_at is not None
    assert sink.last_frame is not None
    assert sink.last_frame.shape == (120, 160, 3)
    assert sink.last_frame.flags.c_contiguous
    assert colour_distance(read_marker(sink.last_frame), PATIENT) < 5
    assert seen and seen[-1] is sink.last_frame
    await sink.stop()
    assert sink.ended
    assert not sink.running
    count = sink.frames
    with pytest.raises(TrackEnded):
        await sink.wait_frames(count + 1, timeout=TIMEOUT)
    track.stop()


async def test_sink_measures_audio_level() -> None:
    track = ToneTrack(hz=440, amplitude=0.25)
    sink = FrameSink(track)
    sink.start()
    await sink.wait_frames(3, timeout=TIMEOUT)
    assert sink.rms == pytest.approx(0.25 / np.sqrt(2), rel=0.02)
    assert sink.peak_rms >= sink.rms
    assert sink.last_frame is None  # audio is never converted to pictures
    await sink.stop()
    track.stop()


async def test_sink_ends_with_its_track_and_fails_waiters() -> None:
    track = ToneTrack()
    sink = FrameSink(track)
    sink.start()
    await sink.wait_frames(1, timeout=TIMEOUT)
    waiter = asyncio.ensure_future(sink.wait_frames(10_000, timeout=TIMEOUT))
    await asyncio.sleep(0)
    track.stop()
    with pytest.raises(TrackEnded):
        await waiter
    assert sink.ended
    await sink.stop()  # still fine after the end

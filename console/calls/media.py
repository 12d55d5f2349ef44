"""Synthetic media tracks and the sink that consumes a received track.

:class:`TestPatternTrack` and :class:`ToneTrack` are what the patient simulator
and the tests send (and what the console can send when no camera is present).
Each video frame carries, in its top rows, a *marker* colour unique to its source
and the frame number in binary, so a receiver can tell whose video arrived
(:func:`read_marker`, :func:`read_counter`) even after VP8 compression.

:class:`FrameSink` consumes a received track. Every received track must be
consumed (by a sink or aiortc's ``MediaBlackhole``): aiortc's receiver queues
decoded frames without bound.

Threading: tracks and sinks live on the asyncio loop. The only work that leaves
it is a video sink's conversion of the decoded frame to an RGB array, done in a
small shared thread pool (:func:`frame_executor`), at most one job per sink at a
time; frames that arrive meanwhile are counted, and only the newest is converted
next ("latest wins"), so a slow conversion never builds a queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import logging
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np
from aiortc.mediastreams import (
    AudioStreamTrack,
    MediaStreamError,
    MediaStreamTrack,
    VideoStreamTrack,
)
from av import AudioFrame, VideoFrame

from console.calls.errors import TrackEnded

if TYPE_CHECKING:
    from collections.abc import Callable

    from av.frame import Frame
    from av.packet import Packet

log = logging.getLogger(__name__)

RGB = tuple[int, int, int]

VIDEO_CLOCK_RATE = 90_000
VIDEO_TIME_BASE = fractions.Fraction(1, VIDEO_CLOCK_RATE)
AUDIO_RATE = 48_000
AUDIO_PTIME = 0.020

#: Side of the marker square in the top-left corner, in pixels (two VP8 macroblocks).
MARKER_SIZE = 32
#: Side of one bit of the frame counter, drawn right of the marker.
BIT_SIZE = 16
COUNTER_BITS = 8


# ---------------------------------------------------------------- synthetic video


class TestPatternTrack(VideoStreamTrack):
    """A moving test pattern, paced in real time at ``fps``.

    The picture: a diagonal colour gradient, a white vertical bar that sweeps
    across it, a ``MARKER_SIZE`` square of ``marker`` colour in the top-left
    corner, and right of it ``COUNTER_BITS`` squares of ``BIT_SIZE`` pixels that
    spell the frame number mod 256 in binary (most significant bit first, white =
    1). Timestamps are on a 90 kHz clock (``pts = n * 90000 / fps``), the clock
    WebRTC uses for video, and :meth:`recv` sleeps until the frame is due.
    """

    __test__ = False  # not a pytest test class, despite the name

    def __init__(
        self,
        *,
        width: int = 640,
        height: int = 480,
        fps: float = 30.0,
        marker: RGB = (220, 40, 40),
    ) -> None:
        super().__init__()
        if width < MARKER_SIZE + COUNTER_BITS * BIT_SIZE or height < MARKER_SIZE:
            raise ValueError(f"test pattern needs at least 160x32 pixels, not {width}x{height}")
        if not 0 < fps <= 120:
            raise ValueError(f"fps must be in (0, 120], not {fps}")
        self.width = width
        self.height = height
        self.fps = float(fps)
        self.marker = marker
        self.frames_sent = 0
        self._t0: float | None = None
        self._background = _gradient(width, height)
        self._bar = max(4, width // 32)

    async def next_timestamp(self) -> tuple[int, fractions.Fraction]:
        """Sleep until the next frame is due; return its pts and time base.

        The schedule is anchored at the first frame and computed from the frame
        index, so it does not drift (``90000 / fps`` need not be an integer).
        """
        if self.readyState != "live":
            raise MediaStreamError
        n = self.frames_sent
        if self._t0 is None:
            self._t0 = time.monotonic()
        else:
            wait = self._t0 + n / self.fps - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        return round(n * VIDEO_CLOCK_RATE / self.fps), VIDEO_TIME_BASE

    async def recv(self) -> VideoFrame:
        pts, time_base = await self.next_timestamp()
        n = self.frames_sent
        self.frames_sent += 1
        image = self.render(n)
        frame = VideoFrame.from_ndarray(image, format="rgb24")
        frame.pts = pts
        frame.time_base = time_base
        return frame

    def render(self, n: int) -> np.ndarray:
        """The RGB picture of frame ``n`` (height x width x 3, uint8)."""
        image = self._background.copy()
        x = (n * 8) % (self.width + self._bar) - self._bar
        image[:, max(0, x) : max(0, x + self._bar)] = 255
        image[:MARKER_SIZE, :MARKER_SIZE] = self.marker
        counter = n % (1 << COUNTER_BITS)
        for bit in range(COUNTER_BITS):
            on = (counter >> (COUNTER_BITS - 1 - bit)) & 1
            x0 = MARKER_SIZE + bit * BIT_SIZE
            image[:BIT_SIZE, x0 : x0 + BIT_SIZE] = 255 if on else 0
            image[BIT_SIZE:MARKER_SIZE, x0 : x0 + BIT_SIZE] = 0 if on else 255
        return image


def _gradient(width: int, height: int) -> np.ndarray:
    """A soft diagonal gradient (computed once per track)."""
    xs = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :]
    ys = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    image = np.empty((height, width, 3), dtype=np.uint8)
    shape = (height, width)
    image[..., 0] = np.broadcast_to(60 + 120 * xs, shape).astype(np.uint8)
    image[..., 1] = (60 + 60 * (xs + ys)).astype(np.uint8)
    image[..., 2] = np.broadcast_to(180 - 120 * ys, shape).astype(np.uint8)
    return image


def read_marker(image: np.ndarray) -> RGB:
    """The marker colour of a received :class:`TestPatternTrack` frame (RGB array).

    Averages the centre of the marker square, away from the edges where
    compression smears colours.
    """
    q = MARKER_SIZE // 4
    patch = image[q : MARKER_SIZE - q, q : MARKER_SIZE - q].reshape(-1, 3)
    r, g, b = (round(float(v)) for v in patch.mean(axis=0))
    return (r, g, b)


def read_counter(image: np.ndarray) -> int:
    """The frame number (mod 256) a received :class:`TestPatternTrack` frame spells."""
    value = 0
    q = BIT_SIZE // 4
    for bit in range(COUNTER_BITS):
        x0 = MARKER_SIZE + bit * BIT_SIZE
        top = float(image[q : BIT_SIZE - q, x0 + q : x0 + BIT_SIZE - q].mean())
        bottom = float(image[BIT_SIZE + q : MARKER_SIZE - q, x0 + q : x0 + BIT_SIZE - q].mean())
        value = (value << 1) | (1 if top > bottom else 0)
    return value


def colour_distance(a: RGB, b: RGB) -> float:
    """Euclidean distance of two RGB colours (0 .. ~441)."""
    return math.dist(a, b)


# ---------------------------------------------------------------- synthetic audio


class ToneTrack(AudioStreamTrack):
    """A sine tone: mono, signed 16 bit, 48 kHz, 20 ms (960 sample) frames, paced in real time.

    ``amplitude`` is a fraction of full scale; the RMS level of the tone is
    ``amplitude / sqrt(2)``. The phase runs on across frames (no clicks).
    """

    __test__ = False

    def __init__(self, *, hz: float = 440.0, amplitude: float = 0.25) -> None:
        super().__init__()
        if not 0 < hz < AUDIO_RATE / 2:
            raise ValueError(f"tone frequency must be in (0, {AUDIO_RATE // 2}) Hz, not {hz}")
        if not 0 <= amplitude <= 1:
            raise ValueError(f"amplitude must be in [0, 1], not {amplitude}")
        self.hz = float(hz)
        self.amplitude = float(amplitude)
        self.samples_per_frame = int(AUDIO_RATE * AUDIO_PTIME)
        self.frames_sent = 0
        self._t0: float | None = None

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        n = self.frames_sent
        if self._t0 is None:
            self._t0 = time.monotonic()
        else:
            wait = self._t0 + n * AUDIO_PTIME - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        self.frames_sent += 1
        first = n * self.samples_per_frame
        t = (first + np.arange(self.samples_per_frame, dtype=np.float64)) / AUDIO_RATE
        wave = self.amplitude * 32767.0 * np.sin(2.0 * math.pi * self.hz * t)
        samples = wave.astype(np.int16).reshape(1, -1)
        frame = AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate = AUDIO_RATE
        frame.pts = first
        frame.time_base = fractions.Fraction(1, AUDIO_RATE)
        return frame


def audio_rms(frame: AudioFrame) -> float:
    """RMS level of an audio frame as a fraction of full scale (0.0 .. 1.0)."""
    data = frame.to_ndarray()
    if data.size == 0:
        return 0.0
    if np.issubdtype(data.dtype, np.integer):
        scale = float(np.iinfo(data.dtype.type).max) + 1.0  # type: ignore[type-var]
        values = data.astype(np.float64) / scale
    else:
        values = data.astype(np.float64)
    return float(np.sqrt(np.mean(values * values)))


# ---------------------------------------------------------------- receiving

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
FRAME_WORKERS = 2


def frame_executor() -> ThreadPoolExecutor:
    """The shared pool that converts received video frames (``FRAME_WORKERS`` threads).

    Its own pool, not the loop's default one: qasync's ``loop.close()`` waits for
    the default executor, and aiortc already uses that one for codecs. A 640x480
    conversion takes 1-2 ms; each sink keeps at most one job in the pool.
    """
    global _executor  # noqa: PLW0603 - one lazily created pool per process
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=FRAME_WORKERS, thread_name_prefix="medconsole-frames"
            )
        return _executor


def to_rgb(frame: VideoFrame) -> np.ndarray:
    """A decoded video frame as a C-contiguous ``height x width x 3`` uint8 RGB array.

    Runs in :func:`frame_executor`. The array owns its memory; whoever builds a
    ``QImage`` over it must keep the array alive as long as the image and pass
    ``bytesPerLine = array.strides[0]``.
    """
    return np.ascontiguousarray(frame.to_ndarray(format="rgb24"))


class FrameSink:
    """Consumes one received track in a task and keeps what the console shows of it.

    - ``frames``: how many frames arrived; ``first_frame_at``: ``time.monotonic()``
      when the first one did (diagnostics, never an assertion).
    - video: ``last_frame``, the newest converted frame as an RGB ndarray (see
      :func:`to_rgb`), and ``on_frame(array)`` called on the loop thread after each
      conversion (the console repaints from it).
    - audio: ``rms``, the level of the last frame (fraction of full scale), and
      ``peak_rms``, the highest level seen.

    :meth:`start` is synchronous so that it can run inside aiortc's synchronous
    ``on("track")`` handler; :meth:`stop` cancels the task. The sink also stops
    by itself when the track ends.
    """

    def __init__(
        self,
        track: MediaStreamTrack,
        *,
        convert: bool = True,
        executor: ThreadPoolExecutor | None = None,
        on_frame: Callable[[np.ndarray], None] | None = None,
    ) -> None:
        self.track = track
        self.kind: str = track.kind
        self.convert = convert and self.kind == "video"
        self.on_frame = on_frame
        self.frames = 0
        self.converted = 0
        self.first_frame_at: float | None = None
        self.last_frame: np.ndarray | None = None
        self.rms = 0.0
        self.peak_rms = 0.0
        self.ended = False
        self._executor = executor
        self._task: asyncio.Task[None] | None = None
        self._inflight: asyncio.Future[np.ndarray] | None = None
        self._pending: VideoFrame | None = None
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []

    def __repr__(self) -> str:
        return f"<FrameSink {self.kind} frames={self.frames} ended={self.ended}>"

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start consuming (idempotent). Needs a running loop."""
        if self._task is None and not self.ended:
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name=f"medconsole-sink-{self.kind}"
            )

    async def stop(self) -> None:
        """Stop consuming: cancel the task, drop a pending conversion, fail waiters."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._pending = None
        inflight = self._inflight
        if inflight is not None and not inflight.done():
            # a conversion takes milliseconds: let it finish rather than orphan it
            await asyncio.wait({inflight}, timeout=1.0)
            inflight.cancel()
        self._finish()

    async def wait_frames(self, n: int = 1, timeout: float | None = 10.0) -> None:  # noqa: ASYNC109
        """Wait until ``n`` frames arrived (and, for video, one is converted).

        Raises :class:`TimeoutError`, or :class:`TrackEnded` if the track ends first.
        """
        if self._ready(n):
            return
        if self.ended:
            raise TrackEnded(f"{self.kind} track ended after {self.frames} frames")
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (n, fut)
        self._waiters.append(entry)
        try:
            async with asyncio.timeout(timeout):
                await fut
        finally:
            if entry in self._waiters:
                self._waiters.remove(entry)

    # ------------------------------------------------------------ internals

    def _ready(self, n: int) -> bool:
        if self.frames < n:
            return False
        return not self.convert or self.last_frame is not None

    def _notify(self) -> None:
        for n, fut in list(self._waiters):
            if not fut.done() and self._ready(n):
                fut.set_result(None)

    def _finish(self) -> None:
        self.ended = True
        for _, fut in self._waiters:
            if not fut.done():
                fut.set_exception(TrackEnded(f"{self.kind} track ended after {self.frames} frames"))
        self._waiters = []

    async def _run(self) -> None:
        try:
            while True:
                try:
                    frame = await self.track.recv()
                except MediaStreamError:
                    break
                self._received(frame)
        finally:
            if self._inflight is None or self._inflight.done():
                self._finish()
            else:
                self._pending = None
                self._inflight.add_done_callback(lambda _f: self._finish())

    def _received(self, frame: Frame | Packet) -> None:
        self.frames += 1
        if self.first_frame_at is None:
            self.first_frame_at = time.monotonic()
        if isinstance(frame, AudioFrame):
            self.rms = audio_rms(frame)
            self.peak_rms = max(self.peak_rms, self.rms)
        elif self.convert and isinstance(frame, VideoFrame):
            self._submit(frame)
        self._notify()

    def _submit(self, frame: VideoFrame) -> None:
        if self._inflight is not None:
            self._pending = frame  # latest wins; the older pending frame is dropped
            return
        loop = asyncio.get_running_loop()
        fut = loop.run_in_executor(self._executor or frame_executor(), to_rgb, frame)
        self._inflight = fut
        fut.add_done_callback(self._converted)

    def _converted(self, fut: asyncio.Future[np.ndarray]) -> None:
        self._inflight = None
        if fut.cancelled():
            return
        exc = fut.exception()
        if exc is not None:
            log.warning("video frame conversion failed: %s", type(exc).__name__)
        else:
            array = fut.result()
            self.last_frame = array
            self.converted += 1
            if self.on_frame is not None:
                try:
                    self.on_frame(array)
                except Exception:
                    log.exception("on_frame callback failed")
            self._notify()
        pending, self._pending = self._pending, None
        if pending is not None and self._task is not None and not self.ended:
            self._submit(pending)

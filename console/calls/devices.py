"""The console's own camera and microphone, shared by every call leg and the device check.

:class:`LocalMedia` opens one video and one audio *source* and hands out
subscriptions of them through one ``aiortc.contrib.media.MediaRelay``:

- :meth:`LocalMedia.leg_tracks` for a call leg: each wrapped in a *gate* that
  sends silence while the operator is muted, and silence plus black frames
  while the patient is on hold (:attr:`LocalMedia.muted`, :attr:`LocalMedia.held`).
  A gate passes every frame's timing through (``pts``, ``time_base``, sample
  rate) and replaces only its content, so the encoder and the far side see an
  unbroken stream and nothing renegotiates.
- :meth:`LocalMedia.preview_track` and :meth:`LocalMedia.level_track` for the
  operator's own picture and microphone meter; never gated.

Sources
    ``mode="synthetic"``: :class:`~console.calls.media.TestPatternTrack` and
    :class:`~console.calls.media.ToneTrack`. ``mode="devices"``: the real
    camera and microphone through ``aiortc.contrib.media.MediaPlayer`` (Linux:
    ``/dev/video*`` with ``v4l2``; the microphone through ``pulse``, else
    ``alsa``), and :class:`MediaDeviceError` naming what is missing.
    ``mode="auto"``: a real device of each kind where one opens, the synthetic
    track where not; :attr:`LocalMedia.problems` says why not.

Threading: everything runs on the asyncio loop except what would block it:
``MediaPlayer`` opens its device in its constructor and joins its reader
thread when stopped, so both happen in the loop's default executor.

Ownership: the tracks handed out belong to this object. A leg's tracks stop when
the leg's peer connection closes (aiortc's sender stops its track); whatever is
still running stops in :meth:`LocalMedia.close`.
"""

from __future__ import annotations

import asyncio
import functools
import glob
import logging
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

import av
from aiortc.contrib.media import MediaPlayer, MediaRelay
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import AudioFrame, VideoFrame

from console.calls.errors import CallError
from console.calls.media import TestPatternTrack, ToneTrack, frame_executor

if TYPE_CHECKING:
    from av.frame import Frame
    from av.packet import Packet

    from console.calls.media import RGB

log = logging.getLogger(__name__)

MediaMode = Literal["auto", "devices", "synthetic"]
Kind = Literal["audio", "video"]
KINDS: tuple[Kind, ...] = ("video", "audio")

#: what :attr:`LocalMedia.video_source` / :attr:`LocalMedia.audio_source` say of a synthetic track
TEST_PICTURE = "test picture"
TEST_TONE = "test tone"

#: how long opening one device may take before it counts as missing
OPEN_TIMEOUT = 10.0
#: what the camera is asked for (the driver picks the nearest it supports)
CAMERA_OPTIONS = {"video_size": "640x480", "framerate": "30"}
#: the synthetic picture: half the camera's rate, as nobody needs a smooth test pattern
SYNTHETIC_FPS = 15.0


class MediaDeviceError(CallError):
    """A camera or microphone that ``mode="devices"`` asks for cannot be opened."""


# ---------------------------------------------------------------- device names


@dataclass(frozen=True)
class Device:
    """One way to open a device with FFmpeg: ``MediaPlayer(file, format=..., options=...)``."""

    file: str
    format: str
    label: str  # for people: "/dev/video0", "default (pulse)"
    options: dict[str, str] | None = None


def has_format(name: str) -> bool:
    """Whether this FFmpeg build has the input format ``name`` (e.g. ``pulse``, ``v4l2``)."""
    return any(name in entry.split(",") for entry in av.formats_available)


def _video_node_number(path: str) -> int:
    match = re.search(r"(\d+)$", path)
    return int(match.group(1)) if match else 1 << 30


def camera_candidates(camera: str | None, platform: str = sys.platform) -> list[Device]:
    """The devices to try, in order, for the camera (``camera``: a setting, or ``None``).

    Linux tries every ``/dev/video*`` node in number order (some are metadata
    nodes that open without a picture, or not at all). macOS asks AVFoundation
    for its default camera. DirectShow (Windows) has no default: the camera
    must be named in the settings.
    """
    if platform.startswith("linux"):
        paths = [camera] if camera else sorted(glob.glob("/dev/video*"), key=_video_node_number)
        return [Device(path, "v4l2", path, CAMERA_OPTIONS) for path in paths]
    if platform == "darwin":
        name = camera or "default"
        return [Device(f"{name}:none", "avfoundation", name, CAMERA_OPTIONS)]
    if platform == "win32" and camera:
        return [Device(f"video={camera}", "dshow", camera, CAMERA_OPTIONS)]
    return []


def microphone_candidates(microphone: str | None, platform: str = sys.platform) -> list[Device]:
    """The devices to try, in order, for the microphone: PulseAudio first, then ALSA."""
    name = microphone or "default"
    if platform.startswith("linux"):
        return [Device(name, fmt, f"{name} ({fmt})") for fmt in ("pulse", "alsa")]
    if platform == "darwin":
        return [Device(f"none:{name}", "avfoundation", name)]
    if platform == "win32" and microphone:
        return [Device(f"audio={microphone}", "dshow", microphone)]
    return []


def _nothing_found(kind: Kind, platform: str = sys.platform) -> str:
    if platform.startswith("linux") and kind == "video":
        return "no video device (/dev/video*)"
    if platform == "win32":
        return "name the device in the settings (DirectShow has no default)"
    return f"no {kind} device on this platform"


def _describe(exc: BaseException) -> str:
    """A short reason from an FFmpeg / OS error (``strerror`` without the file name)."""
    if isinstance(exc, TimeoutError):
        return f"no answer within {OPEN_TIMEOUT:g} s"
    reason = getattr(exc, "strerror", None)
    return str(reason or exc or type(exc).__name__)[:200]


def _discard_player(fut: asyncio.Future[MediaPlayer]) -> None:
    """Close a player whose opening finished after nobody waited for it any more."""
    if fut.cancelled() or fut.exception() is not None:
        return
    player = fut.result()
    for track in (player.audio, player.video):
        if track is not None:
            track.stop()  # no reader thread yet: this only closes the container


async def _open_player(device: Device) -> MediaPlayer:
    """``MediaPlayer(device)``, opened in the executor (its constructor opens the device)."""
    loop = asyncio.get_running_loop()
    fut = loop.run_in_executor(
        None,
        functools.partial(MediaPlayer, device.file, format=device.format, options=device.options),
    )
    try:
        async with asyncio.timeout(OPEN_TIMEOUT):
            return await asyncio.shield(fut)
    except BaseException:
        fut.add_done_callback(_discard_player)
        raise


# ---------------------------------------------------------------- tracks


class SourceTrack(MediaStreamTrack):
    """The one reader of a device or synthetic track: the relay reads this.

    Video comes out as ``yuv420p`` (what the encoders take), converted in
    :func:`~console.calls.media.frame_executor` when the source gives another
    format, so a camera's frame is converted once, not once per leg.

    Why a wrapper: a ``MediaPlayer`` track that is stopped never answers a
    pending ``recv()`` (its queue gets no end marker), which would leave the
    relay's reader task waiting forever. :meth:`stop` cancels the pending read,
    so the relay sees :class:`MediaStreamError` and ends. The wrapped track
    itself is released by :meth:`release` (off the loop for a device).
    """

    def __init__(self, inner: MediaStreamTrack, *, device: bool) -> None:
        super().__init__()
        self.kind = inner.kind
        self.inner = inner
        self.device = device
        self._pending: asyncio.Future[Frame | Packet] | None = None

    async def recv(self) -> Frame | Packet:
        if self.readyState != "live":
            raise MediaStreamError
        pending = asyncio.ensure_future(self._read())
        self._pending = pending
        try:
            return await pending
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if self.readyState != "live" and not (task is not None and task.cancelling()):
                raise MediaStreamError from None  # stopped: end the stream, not the reader
            raise
        finally:
            self._pending = None

    async def _read(self) -> Frame | Packet:
        frame = await self.inner.recv()
        if isinstance(frame, VideoFrame) and frame.format.name != "yuv420p":
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(frame_executor(), _to_yuv420p, frame)
        return frame

    def stop(self) -> None:
        super().stop()
        if self._pending is not None and not self._pending.done():
            self._pending.cancel()

    async def release(self) -> None:
        """Stop, then stop the wrapped track (a device's reader thread is joined off the loop)."""
        self.stop()
        if self.device:
            await asyncio.get_running_loop().run_in_executor(None, self.inner.stop)
        else:
            self.inner.stop()


def _to_yuv420p(frame: VideoFrame) -> VideoFrame:
    converted = frame.reformat(format="yuv420p")
    converted.pts = frame.pts
    if frame.time_base is not None:
        converted.time_base = frame.time_base
    return converted


@dataclass
class _GateState:
    muted: bool = False
    held: bool = False


class GateTrack(MediaStreamTrack):
    """A relay subscription that mutes and holds (see the module docstring).

    Every frame it returns is its own object: encoders and the preview's
    converter work on frames in other threads and write to them (PyAV rebases
    ``pts``/``time_base`` when encoding and touches the colour fields when
    converting; the encoders set ``pict_type``), so the relay's one frame must
    not reach two of them. A pass-through frame is copied (a 640x480 picture
    in about 25 microseconds). Stopping the gate stops the subscription.
    """

    def __init__(self, source: MediaStreamTrack, state: _GateState) -> None:
        super().__init__()
        self.kind = source.kind
        self._source = source
        self._state = state

    async def recv(self) -> Frame | Packet:
        if self.readyState != "live":
            raise MediaStreamError
        frame = await self._source.recv()
        state = self._state
        if isinstance(frame, AudioFrame):
            return silence_like(frame) if state.muted or state.held else copy_audio(frame)
        if isinstance(frame, VideoFrame):
            return black_like(frame) if state.held else copy_video(frame)
        return frame

    def stop(self) -> None:
        super().stop()
        self._source.stop()


@functools.lru_cache(maxsize=16)
def _filled(value: int, size: int) -> bytes:
    return bytes((value,)) * size


def _copy_planes(target: AudioFrame | VideoFrame, source: AudioFrame | VideoFrame) -> bool:
    """Copy plane by plane where the layouts match (frames allocated alike); False if not."""
    pairs = list(zip(target.planes, source.planes, strict=False))
    if len(target.planes) != len(source.planes) or any(
        t.buffer_size != s.buffer_size for t, s in pairs
    ):
        return False
    for t, s in pairs:
        t.update(s)  # type: ignore[arg-type]  # any buffer works; the stub says bytes
    return True


def _retime(target: AudioFrame | VideoFrame, source: AudioFrame | VideoFrame) -> None:
    target.pts = source.pts
    if source.time_base is not None:
        target.time_base = source.time_base


def copy_audio(frame: AudioFrame) -> AudioFrame:
    """A copy of ``frame`` (samples, format, layout, rate, timing) that owns its memory."""
    copy = AudioFrame(format=frame.format.name, layout=frame.layout.name, samples=frame.samples)
    if not _copy_planes(copy, frame):
        copy = AudioFrame.from_ndarray(
            frame.to_ndarray(), format=frame.format.name, layout=frame.layout.name
        )
    copy.sample_rate = frame.sample_rate
    _retime(copy, frame)
    return copy


def copy_video(frame: VideoFrame) -> VideoFrame:
    """A copy of ``frame`` (picture, colour fields, timing) that owns its memory."""
    copy = VideoFrame(frame.width, frame.height, frame.format.name)
    if not _copy_planes(copy, frame):
        copy = VideoFrame.from_ndarray(frame.to_ndarray(), format=frame.format.name)
    copy.colorspace = frame.colorspace
    copy.color_range = frame.color_range
    _retime(copy, frame)
    return copy


def silence_like(frame: AudioFrame) -> AudioFrame:
    """A silent frame of ``frame``'s format, layout, length, rate and timing."""
    silent = AudioFrame(format=frame.format.name, layout=frame.layout.name, samples=frame.samples)
    zero = 0x80 if frame.format.name.startswith("u8") else 0  # unsigned 8 bit: silence is mid-scale
    for plane in silent.planes:
        plane.update(_filled(zero, plane.buffer_size))
    silent.sample_rate = frame.sample_rate
    _retime(silent, frame)
    return silent


def black_like(frame: VideoFrame) -> VideoFrame:
    """A black ``yuv420p`` frame of ``frame``'s size and timing (what the encoder wants anyway)."""
    black = VideoFrame(frame.width, frame.height, "yuv420p")
    for plane, value in zip(black.planes, (16, 128, 128), strict=True):  # video-range black
        plane.update(_filled(value, plane.buffer_size))
    _retime(black, frame)
    return black


# ---------------------------------------------------------------- local media


class LocalMedia:
    """The console's camera and microphone (or test picture and tone), opened once.

    After :meth:`open`: ``video_source`` / ``audio_source`` name the sources for
    people (``"/dev/video0"``, ``"default (pulse)"``, or :data:`TEST_PICTURE` /
    :data:`TEST_TONE`), ``synthetic_video`` / ``synthetic_audio`` say which are
    synthetic, and ``problems`` lists why a device was not used (no personal
    data: device names and FFmpeg's reasons only).
    """

    def __init__(
        self,
        mode: MediaMode = "auto",
        *,
        camera: str | None = None,
        microphone: str | None = None,
        marker: RGB | None = None,
    ) -> None:
        if mode not in get_args(MediaMode):
            raise ValueError(f"media mode must be one of {get_args(MediaMode)}, not {mode!r}")
        self.mode: MediaMode = mode
        self.camera = camera
        self.microphone = microphone
        self.marker = marker
        self.video_source = ""
        self.audio_source = ""
        self.synthetic_video = False
        self.synthetic_audio = False
        self.problems: tuple[str, ...] = ()
        self._state = _GateState()
        self._sources: dict[Kind, SourceTrack] = {}
        self._relay: MediaRelay | None = None
        self._tracks: set[MediaStreamTrack] = set()
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        if not self.is_open:
            return f"<LocalMedia {self.mode} closed>"
        return f"<LocalMedia video={self.video_source!r} audio={self.audio_source!r}>"

    @property
    def is_open(self) -> bool:
        return self._relay is not None

    @property
    def muted(self) -> bool:
        """Every leg's audio is silence (the operator's microphone is off)."""
        return self._state.muted

    @muted.setter
    def muted(self, value: bool) -> None:
        self._state.muted = bool(value)

    @property
    def held(self) -> bool:
        """Every leg gets silence and black frames (the patient is on hold)."""
        return self._state.held

    @held.setter
    def held(self, value: bool) -> None:
        self._state.held = bool(value)

    # ------------------------------------------------------------ open / close

    async def open(self) -> None:
        """Open the sources (idempotent; concurrent callers wait for the first).

        Raises :class:`MediaDeviceError` in ``"devices"`` mode when the camera or
        the microphone cannot be opened; nothing stays open then.
        """
        async with self._lock:
            if self._relay is not None:
                return
            opened: dict[Kind, SourceTrack] = {}
            problems: dict[Kind, list[str]] = {"video": [], "audio": []}
            labels: dict[Kind, str] = {}
            try:
                if self.mode != "synthetic":
                    for kind in KINDS:
                        found = await self._open_device(kind, problems[kind])
                        if found is not None:
                            opened[kind], labels[kind] = found
                missing = [kind for kind in KINDS if kind not in opened]
                if self.mode == "devices" and missing:
                    raise MediaDeviceError(
                        "; ".join(
                            f"no {_KIND_NAMES[kind]}: {', '.join(problems[kind])}"
                            for kind in missing
                        )
                    )
            except BaseException:
                for source in opened.values():
                    await source.release()
                raise
            if "video" not in opened:
                pattern = (
                    TestPatternTrack(fps=SYNTHETIC_FPS)
                    if self.marker is None
                    else TestPatternTrack(fps=SYNTHETIC_FPS, marker=self.marker)
                )
                opened["video"], labels["video"] = SourceTrack(pattern, device=False), TEST_PICTURE
            if "audio" not in opened:
                opened["audio"], labels["audio"] = SourceTrack(ToneTrack(), device=False), TEST_TONE
            self._sources = opened
            self._relay = MediaRelay()
            self.video_source, self.audio_source = labels["video"], labels["audio"]
            self.synthetic_video = not opened["video"].device
            self.synthetic_audio = not opened["audio"].device
            self.problems = tuple(
                f"{_KIND_NAMES[kind]}: {problem}"
                for kind in KINDS
                if not opened[kind].device
                for problem in problems[kind]
            )
            for kind in KINDS:
                if problems[kind] and not opened[kind].device:
                    log.warning(
                        "local media: no %s (%s); sending the %s instead",
                        _KIND_NAMES[kind],
                        ", ".join(problems[kind]),
                        _SYNTHETIC_LABELS[kind],
                    )
            log.info("local media: video from %s, audio from %s", labels["video"], labels["audio"])

    async def _open_device(self, kind: Kind, problems: list[str]) -> tuple[SourceTrack, str] | None:
        """The first candidate of ``kind`` that opens with a ``kind`` stream; reasons otherwise."""
        if kind == "video":
            candidates = camera_candidates(self.camera)
        else:
            candidates = microphone_candidates(self.microphone)
        if not candidates:
            problems.append(_nothing_found(kind))
            return None
        for device in candidates:
            if not has_format(device.format):
                problems.append(f"{device.label}: {device.format} not in this FFmpeg build")
                continue
            try:
                player = await _open_player(device)
            except Exception as exc:  # FFmpeg's errors are OSError subclasses, mostly
                problems.append(f"{device.label}: {_describe(exc)}")
                continue
            track = player.video if kind == "video" else player.audio
            other = player.audio if kind == "video" else player.video
            if other is not None:  # never let an unread stream queue frames
                other.stop()
            if track is None:
                problems.append(f"{device.label}: no {kind} stream")
                continue
            return SourceTrack(track, device=True), device.label
        return None

    async def close(self) -> None:
        """Stop every track handed out and release the devices (idempotent; may reopen)."""
        async with self._lock:
            tracks, self._tracks = self._tracks, set()
            for track in tracks:
                track.stop()
            sources, self._sources = self._sources, {}
            self._relay = None
            for source in sources.values():
                await source.release()
            await asyncio.sleep(0)  # let the relay's readers see the end

    # ------------------------------------------------------------ tracks

    def _subscribe(self, kind: Kind, *, buffered: bool) -> MediaStreamTrack:
        if self._relay is None:
            raise CallError("local media is not open")
        self._tracks = {t for t in self._tracks if t.readyState == "live"}
        return self._relay.subscribe(self._sources[kind], buffered=buffered)

    def leg_tracks(self) -> tuple[MediaStreamTrack, MediaStreamTrack]:
        """``(audio, video)`` for one call leg: fresh gated subscriptions.

        Audio is buffered (every 20 ms frame reaches the encoder); video is not
        (a slow encoder gets the newest picture rather than a growing backlog).
        """
        audio = GateTrack(self._subscribe("audio", buffered=True), self._state)
        video = GateTrack(self._subscribe("video", buffered=False), self._state)
        self._tracks.update((audio, video))
        return audio, video

    def preview_track(self) -> MediaStreamTrack:
        """A subscription of the raw video for the operator's own picture (never gated).

        It hands out copies, like a leg's gate: a sink converts them in a thread.
        """
        track = GateTrack(self._subscribe("video", buffered=False), _GateState())
        self._tracks.add(track)
        return track

    def level_track(self) -> MediaStreamTrack:
        """A subscription of the raw audio for a level meter (never gated).

        Its frames are the relay's own: read them on the loop, never in a thread.
        """
        track = self._subscribe("audio", buffered=False)
        self._tracks.add(track)
        return track


_KIND_NAMES: dict[Kind, str] = {"video": "camera", "audio": "microphone"}
_SYNTHETIC_LABELS: dict[Kind, str] = {"video": TEST_PICTURE, "audio": TEST_TONE}

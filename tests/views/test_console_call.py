"""The medconsultant's console in a real video call with an aiortc patient, on the real hub.

What a user notices: the patient's picture in the call panel, their own preview,
the call timer, and what the patient sees and hears when the medconsultant mutes,
holds and ends the call. Real WebRTC media over loopback, so the module runs in a
loopback-only network namespace (``scripts/test.sh``) and is skipped elsewhere.

Whose picture is whose: every synthetic video carries a marker square of its
source's colour in its top-left corner (``console.calls.media.read_marker``); the
rest of the picture is a gradient with a moving bar, the same for everyone. So the
pixels checked are the marker's: the patient's :data:`PATIENT_MARKER` and the
console's synthetic camera's default marker, :data:`CONSOLE_MARKER`.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import TYPE_CHECKING

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from console.calls.media import MARKER_SIZE, TestPatternTrack, colour_distance, read_marker
from console.views.video import BACKGROUND, fitted
from tests.hub.test_flow import adult_with_phone
from tests.views.patient import PATIENT_MARKER
from tests.views.ui import click, press, until

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from console.calls.media import RGB, FrameSink
    from console.views.app import ConsoleSession
    from console.views.video import VideoWidget
    from tests.views.patient import TestPatient

pytestmark = pytest.mark.netns

#: what the console's synthetic camera marks its picture with (LocalMedia's default pattern)
CONSOLE_MARKER: RGB = TestPatternTrack.__init__.__kwdefaults__["marker"]
#: a colour survives VP8 within this Euclidean RGB distance (what tests/calls allows)
CLOSE = 40.0
#: the 0.25 test tone arrives near 0.12 RMS after Opus; silence decodes to 0
TONE_RMS = 0.05
SILENCE_RMS = 1e-3
#: two cores run hub, console, patient and both codecs: be patient
MEDIA_TIMEOUT = 20.0


# ---------------------------------------------------------------- pixels


def image_array(image: QImage) -> np.ndarray:
    """An ``H x W x 3`` RGB copy of a ``QImage``."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    height, width = image.height(), image.width()
    rows = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    packed = rows.reshape(height, image.bytesPerLine())[:, : width * 3]
    return packed.reshape(height, width, 3).copy()


def patch_colour(array: np.ndarray, cx: float, cy: float, r: int) -> RGB:
    """The mean colour of the ``(2r+1)``-square around ``(cx, cy)``."""
    x, y = round(cx), round(cy)
    patch = array[max(0, y - r) : y + r + 1, max(0, x - r) : x + r + 1].reshape(-1, 3)
    red, green, blue = (round(float(v)) for v in patch.mean(axis=0))
    return (red, green, blue)


def on_screen_marker(widget: VideoWidget) -> RGB:
    """The colour the user sees where the shown frame's marker square is painted."""
    frame = widget.current_image()
    assert frame is not None, "no frame on show"
    shown = image_array(widget.grab().toImage())
    scale = widget.devicePixelRatioF()
    target = fitted(frame.size(), widget.rect())
    factor = target.width() / frame.width()
    centre = MARKER_SIZE / 2 * factor
    radius = max(1, int(MARKER_SIZE / 4 * factor))
    return patch_colour(
        shown, (target.x() + centre) * scale, (target.y() + centre) * scale, int(radius * scale)
    )


def frame_marker(widget: VideoWidget) -> RGB:
    """The marker colour of the frame the widget holds (what it paints from)."""
    frame = widget.current_image()
    assert frame is not None, "no frame on show"
    return read_marker(image_array(frame))


def close(seen: RGB, expected: RGB) -> bool:
    return colour_distance(seen, expected) < CLOSE


# ---------------------------------------------------------------- media waits


async def levels(sink: FrameSink, n: int) -> list[float]:
    """The RMS of each of the next ``n`` audio frames the sink gets."""
    out = []
    for _ in range(n):
        await sink.wait_frames(sink.frames + 1, timeout=MEDIA_TIMEOUT)
        out.append(sink.rms)
    return out


async def marker_seen(sink: FrameSink) -> RGB:
    """The marker of a frame at least two frames newer than now."""
    await sink.wait_frames(sink.frames + 2, timeout=MEDIA_TIMEOUT)
    assert sink.last_frame is not None
    return read_marker(sink.last_frame)


async def marker_returns(sink: FrameSink, expected: RGB, frames: int = 30) -> RGB:
    """Wait (up to ``frames`` frames: VP8 takes a few after black) for ``expected``."""
    seen = await marker_seen(sink)
    for _ in range(frames):
        if close(seen, expected):
            break
        seen = await marker_seen(sink)
    return seen


def patient_audio(pat: TestPatient) -> FrameSink:
    assert pat.call is not None and pat.call.remote_audio is not None
    return pat.call.remote_audio


def patient_video(pat: TestPatient) -> FrameSink:
    assert pat.remote_video is not None
    return pat.remote_video


def seconds(text: str) -> int:
    match = re.fullmatch(r"(\d\d):(\d\d)", text)
    assert match, f"not a duration: {text!r}"
    return int(match[1]) * 60 + int(match[2])


# ---------------------------------------------------------------- the call


@contextlib.asynccontextmanager
async def video_call(
    hub_server, open_console, patient
) -> AsyncIterator[tuple[ConsoleSession, TestPatient]]:
    """op1 accepts a patient's video contact by F5; media flows both ways.

    Both ends hang up before the test returns, on the running loop: between a
    test and its fixtures' teardown pytest-qt processes Qt events with no asyncio
    loop running, and qasync would step aiortc's tasks there (they die, and the
    peer connections then never close).
    """
    op = await open_console("op1")
    pat = None
    try:
        pat = await patient(adult_with_phone(hub_server.people).phone)
        yield await _answered(op, pat)
    finally:
        if pat is not None:
            await pat.close()
        async with asyncio.timeout(15):
            await op.close()


async def _answered(op: ConsoleSession, pat: TestPatient) -> tuple[ConsoleSession, TestPatient]:
    w = op.window
    await pat.start("video")
    await until(w.offer_panel.isVisible, MEDIA_TIMEOUT, "the video contact to ring")
    offer = w.offer_panel.offer
    assert offer.contact.channel == "video"
    contact_id = offer.contact.id
    await press(w, Qt.Key.Key_F5)  # accept
    await until(
        lambda: w.contact is not None and w.contact.id == contact_id, what="the contact opened"
    )
    assert not w.offer_panel.isVisible()
    await until(lambda: contact_id in op.controller.calls, MEDIA_TIMEOUT, "the patient's offer")
    await until(lambda: w.call.remote.frames_shown >= 3, MEDIA_TIMEOUT, "the patient's picture")
    await until(lambda: pat.remote_video is not None, MEDIA_TIMEOUT, "the console's video track")
    await patient_video(pat).wait_frames(3, timeout=MEDIA_TIMEOUT)
    await until(
        lambda: pat.call is not None and pat.call.remote_audio is not None,
        MEDIA_TIMEOUT,
        "the console's audio track",
    )
    return op, pat


async def test_accepted_video_contact_shows_both_pictures_and_counts_the_time(
    qtbot, hub_server, open_console, patient
) -> None:
    async with video_call(hub_server, open_console, patient) as (op, pat):
        panel = op.window.call

        # the patient's picture: it keeps coming, and it is the patient's
        shown = panel.remote.frames_shown
        await until(
            lambda: panel.remote.frames_shown >= shown + 5, what="more of the patient's video"
        )
        assert close(frame_marker(panel.remote), PATIENT_MARKER), frame_marker(panel.remote)
        seen = on_screen_marker(panel.remote)
        assert close(seen, PATIENT_MARKER), f"painted {seen}, not the patient's marker"
        assert panel.status.text() == "In call"

        # our own preview: the console's camera (here its test picture), not the patient's
        await until(lambda: panel.local.frames_shown >= 3, what="the preview")
        assert close(frame_marker(panel.local), CONSOLE_MARKER), frame_marker(panel.local)
        own = on_screen_marker(panel.local)
        assert close(own, CONSOLE_MARKER), f"preview painted {own}"

        # what the patient sees: the console's picture
        assert close(await marker_seen(patient_video(pat)), CONSOLE_MARKER)
        # and hears: the console's tone
        assert max(await levels(patient_audio(pat), 25)) > TONE_RMS

        # the call timer runs from the answer
        await until(lambda: seconds(panel.timer_label.text()) >= 1, 5, "the timer to reach 00:01")
        first = seconds(panel.timer_label.text())
        await asyncio.sleep(1.6)
        assert seconds(panel.timer_label.text()) > first
        assert panel.mute_button.isEnabled() and panel.hold_button.isEnabled()
        assert panel.end_button.isEnabled()
        assert not panel.video_button.isVisible()  # already a video call


async def test_mute_silences_the_patient_side_but_not_the_picture(
    qtbot, hub_server, open_console, patient
) -> None:
    async with video_call(hub_server, open_console, patient) as (op, pat):
        w = op.window
        panel = w.call
        heard, seen = patient_audio(pat), patient_video(pat)
        assert max(await levels(heard, 25)) > TONE_RMS

        await click(panel.mute_button)
        assert panel.mute_button.isChecked() and panel.status.text() == "Microphone off"
        await levels(heard, 15)  # what was on the way before the mute
        assert max(await levels(heard, 25)) < SILENCE_RMS, "the patient still hears the console"
        frames = seen.frames
        assert close(await marker_seen(seen), CONSOLE_MARKER)  # the picture goes on
        assert seen.frames > frames
        shown = panel.remote.frames_shown  # and so does the patient's picture here
        await until(lambda: panel.remote.frames_shown > shown + 3, what="the patient's video")
        assert pat.holds == []  # muting is not holding

        await press(w, Qt.Key.Key_F7)  # unmute
        await until(lambda: not panel.mute_button.isChecked(), what="the mute button released")
        assert panel.status.text() == "In call"
        await levels(heard, 5)
        assert max(await levels(heard, 25)) > TONE_RMS, "the sound did not come back"


async def test_hold_tells_the_patient_and_sends_black_and_silence_until_resumed(
    qtbot, hub_server, open_console, patient
) -> None:
    async with video_call(hub_server, open_console, patient) as (op, pat):
        w = op.window
        panel = w.call
        heard, seen = patient_audio(pat), patient_video(pat)
        assert close(await marker_seen(seen), CONSOLE_MARKER)

        await press(w, Qt.Key.Key_F8)  # hold
        await until(panel.hold_button.isChecked, what="the hold button down")
        await until(lambda: pat.holds == [True], MEDIA_TIMEOUT, "the patient told of the hold")
        assert panel.status.text() == "On hold: the patient is told"
        await levels(heard, 15)
        assert max(await levels(heard, 25)) < SILENCE_RMS, "the patient hears the console on hold"
        for _ in range(30):  # the encoder's frames in flight, then black
            await seen.wait_frames(seen.frames + 1, timeout=MEDIA_TIMEOUT)
            assert seen.last_frame is not None
            if seen.last_frame.max() < 40:
                break
        await seen.wait_frames(seen.frames + 5, timeout=MEDIA_TIMEOUT)
        assert seen.last_frame is not None
        assert seen.last_frame.max() < 40, "the patient still sees a picture on hold"
        # the medconsultant still sees the patient and themself
        shown = panel.remote.frames_shown
        await until(lambda: panel.remote.frames_shown > shown + 3, what="the patient's video")
        assert close(frame_marker(panel.remote), PATIENT_MARKER)
        assert close(frame_marker(panel.local), CONSOLE_MARKER)

        await click(panel.hold_button)  # resume
        await until(lambda: pat.holds == [True, False], MEDIA_TIMEOUT, "the patient told it ended")
        assert not panel.hold_button.isChecked() and panel.status.text() == "In call"
        back = await marker_returns(seen, CONSOLE_MARKER)
        assert close(back, CONSOLE_MARKER), f"the picture did not come back: {back}"
        await levels(heard, 5)
        assert max(await levels(heard, 25)) > TONE_RMS, "the sound did not come back"


async def test_end_closes_the_call_on_both_sides_and_opens_wrap_up(
    qtbot, hub_server, open_console, patient
) -> None:
    async with video_call(hub_server, open_console, patient) as (op, pat):
        w = op.window
        panel = w.call
        contact_id = w.contact.id
        assert pat.call is not None
        patient_call = pat.call
        heard, seen = patient_audio(pat), patient_video(pat)

        await click(panel.end_button)
        await until(lambda: w.staff_state == "wrap_up", MEDIA_TIMEOUT, "wrap-up")
        await until(w.wrapup.isEnabled, what="the wrap-up panel")
        assert "Wrap-up" in w.state_button.text()
        await until(
            lambda: any(
                x["type"] == "ended" and x["contact_id"] == contact_id for x in pat.ws.seen
            ),
            what="the patient told the contact ended",
        )

        # the console hung up: no media, the picture gone, the placeholder back
        await until(lambda: contact_id not in op.controller.calls, MEDIA_TIMEOUT, "the call closed")
        assert panel.remote.current_image() is None and panel.remote.sink is None
        assert panel.local.current_image() is None  # the preview stops with the call
        centre = image_array(panel.remote.grab().toImage())
        h, wd = centre.shape[:2]
        corner = tuple(int(v) for v in centre[4, 4])
        assert corner == BACKGROUND.getRgb()[:3], "the remote video still paints a picture"
        assert not (centre[h // 4 : 3 * h // 4, wd // 4 : 3 * wd // 4] == corner).all(), (
            "no placeholder text"
        )
        assert panel.remote.placeholder == "No call"
        assert not panel.mute_button.isEnabled() and not panel.hold_button.isEnabled()
        assert not panel.end_button.isEnabled()
        stopped_at = panel.timer_label.text()

        # and the patient's side: the console's hang-up closes their connection
        await until(
            lambda: patient_call.connection_state == "closed",
            MEDIA_TIMEOUT,
            "the patient's connection to close",
        )
        await until(lambda: seen.ended and heard.ended, what="the patient's tracks to end")
        # nothing more reaches the console's picture either, and the call timer stands still
        shown = panel.remote.frames_shown
        await asyncio.sleep(1.2)
        assert panel.remote.frames_shown == shown and panel.remote.current_image() is None
        assert panel.timer_label.text() == stopped_at

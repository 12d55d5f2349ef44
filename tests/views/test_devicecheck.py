"""The device check dialog on synthetic local media, on qasync's loop, offscreen."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from console.calls.devices import LocalMedia
from console.calls.media import colour_distance, read_marker
from console.views.devicecheck import DeviceCheckDialog
from console.views.video import LevelMeter, VideoWidget

MARKER = (40, 200, 40)
NO_CAMERA = "/dev/medconsole-test-no-such-camera"
NO_MICROPHONE = "medconsole-test-no-such-microphone"


def tr(text: str) -> str:
    return QCoreApplication.translate("DeviceCheckDialog", text)


def image_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    height, width = image.height(), image.width()
    rows = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    packed = rows.reshape(height, image.bytesPerLine())[:, : width * 3]
    return packed.reshape(height, width, 3).copy()


async def until(condition, timeout: float = 10.0) -> None:
    """Wait, with the Qt loop running, until ``condition()`` holds."""
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110 - polls widget state; there is no event to await
            await asyncio.sleep(0.02)


@pytest.fixture
async def media():
    local = LocalMedia("synthetic", marker=MARKER)
    await local.open()
    try:
        yield local
    finally:
        await local.close()


def parts(dialog: DeviceCheckDialog) -> tuple[VideoWidget, LevelMeter]:
    video = dialog.findChild(VideoWidget, "deviceCheckVideo")
    level = dialog.findChild(LevelMeter, "deviceCheckLevel")
    assert video is not None
    assert level is not None
    return video, level


async def test_shows_the_test_picture_and_a_live_level(qtbot, media: LocalMedia) -> None:
    dialog = DeviceCheckDialog(media)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == tr("Check camera and microphone")
    assert not dialog.running  # nothing runs before the dialog is shown

    dialog.show()
    video, level = parts(dialog)
    assert dialog.running
    await until(lambda: video.current_image() is not None and level.level > 0)
    image = video.current_image()
    assert image is not None
    assert colour_distance(read_marker(image_array(image)), MARKER) < 8
    assert level.fraction > 0.5  # the 0.25 tone: -9 dBFS

    camera = dialog.findChild(QLabel, "deviceCheckCamera")
    microphone = dialog.findChild(QLabel, "deviceCheckMicrophone")
    assert camera is not None
    assert microphone is not None
    assert camera.text() == tr("Camera: test picture (the settings ask for test media)")
    assert microphone.text() == tr("Microphone: test tone (the settings ask for test media)")

    shown = video.frames_shown
    await until(lambda: video.frames_shown >= shown + 3)  # live, not one still


async def test_closing_stops_the_sinks(qtbot, media: LocalMedia) -> None:
    dialog = DeviceCheckDialog(media)
    qtbot.addWidget(dialog)
    dialog.show()
    video, level = parts(dialog)
    sinks = [dialog.video_sink, dialog.level_sink]
    assert all(s is not None and s.running for s in sinks)
    await until(lambda: video.frames_shown > 0)

    close = dialog.findChild(QAbstractButton, "deviceCheckClose")
    assert close is not None
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert not dialog.running
    await dialog.wait_stopped()
    for sink in sinks:
        assert sink is not None
        assert not sink.running
        assert sink.ended
        assert sink.track.readyState == "ended"  # the relay subscriptions are gone too
    assert video.sink is None
    assert level.level == 0.0
    shown = video.frames_shown
    await asyncio.sleep(0.2)
    assert video.frames_shown == shown
    assert media.is_open  # the media stays open for calls

    dialog.show()  # and it starts afresh when shown again
    assert dialog.running
    assert dialog.video_sink not in sinks
    await until(lambda: video.frames_shown > shown)
    dialog.reject()
    await dialog.wait_stopped()


async def test_says_when_devices_are_missing(qtbot) -> None:
    local = LocalMedia("auto", camera=NO_CAMERA, microphone=NO_MICROPHONE, marker=MARKER)
    dialog = DeviceCheckDialog(local)
    qtbot.addWidget(dialog)
    try:
        dialog.show()  # not open yet: the dialog opens it
        await dialog.wait_started()
        assert local.is_open
        camera = dialog.findChild(QLabel, "deviceCheckCamera")
        microphone = dialog.findChild(QLabel, "deviceCheckMicrophone")
        problems = dialog.findChild(QLabel, "deviceCheckProblems")
        assert camera is not None
        assert microphone is not None
        assert problems is not None
        assert camera.text() == tr("Camera: none found. The patient sees a test picture.")
        assert microphone.text() == tr("Microphone: none found. The patient hears a test tone.")
        assert not problems.isHidden()
        assert NO_CAMERA in problems.text()
        video, _ = parts(dialog)
        await until(lambda: video.current_image() is not None)
        dialog.close()
        await dialog.wait_stopped()
    finally:
        await local.close()


async def test_a_devices_error_is_shown_in_the_dialog(qtbot) -> None:
    local = LocalMedia("devices", camera=NO_CAMERA, microphone=NO_MICROPHONE)
    dialog = DeviceCheckDialog(local)
    qtbot.addWidget(dialog)
    dialog.show()
    await dialog.wait_started()
    assert not local.is_open
    assert not dialog.running
    problems = dialog.findChild(QLabel, "deviceCheckProblems")
    assert problems is not None
    assert "no camera" in problems.text()
    dialog.close()


def test_every_actionable_widget_has_an_accessible_name(qtbot) -> None:
    dialog = DeviceCheckDialog(LocalMedia("synthetic"))
    qtbot.addWidget(dialog)
    for widget in dialog.findChildren(QWidget):
        if isinstance(widget, (QAbstractButton, VideoWidget, LevelMeter)):
            assert widget.accessibleName(), widget.objectName()

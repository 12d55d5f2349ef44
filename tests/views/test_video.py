"""VideoWidget and LevelMeter, painted offscreen and read back pixel by pixel."""

from __future__ import annotations

import asyncio
import gc

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QRect, QSize
from PySide6.QtGui import QImage
from shiboken6 import Shiboken

from console.calls.media import FrameSink, TestPatternTrack, colour_distance, read_marker
from console.views.video import FLOOR_DB, LevelMeter, VideoWidget, fitted, level_fraction

RED = (255, 0, 0)
BLUE = (0, 0, 255)
BLACK = (0, 0, 0)
MARKER = (40, 200, 40)


def image_array(image: QImage) -> np.ndarray:
    """An ``H x W x 3`` RGB copy of a ``QImage``."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    height, width = image.height(), image.width()
    rows = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    return (
        rows.reshape(height, image.bytesPerLine())[:, : width * 3].reshape(height, width, 3).copy()
    )


def pixel(image: QImage, x: int, y: int) -> tuple[int, int, int]:
    r, g, b, _ = image.pixelColor(x, y).getRgb()
    return (r, g, b)


def halves(height: int = 100, width: int = 200) -> np.ndarray:
    """Left half red, right half blue."""
    array = np.zeros((height, width, 3), np.uint8)
    array[:, : width // 2] = RED
    array[:, width // 2 :] = BLUE
    return array


async def until(condition, timeout: float = 10.0) -> None:
    """Wait, with the Qt loop running, until ``condition()`` holds."""
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110 - polls widget state; there is no event to await
            await asyncio.sleep(0.02)


def test_shows_a_frame_scaled_with_black_bars(qtbot) -> None:
    widget = VideoWidget()
    qtbot.addWidget(widget)
    widget.resize(400, 400)
    widget.show_frame(halves())  # 2:1 into a square: 400x200, bars above and below
    assert widget.frames_shown == 1

    shot = widget.grab().toImage()
    assert pixel(shot, 100, 200) == RED
    assert pixel(shot, 300, 200) == BLUE
    for x, y in ((200, 5), (200, 95), (200, 305), (200, 395), (5, 5)):
        assert pixel(shot, x, y) == BLACK, (x, y)
    assert pixel(shot, 5, 105) == RED  # the picture starts right after the bar

    widget.resize(400, 100)  # now too wide: bars left and right
    shot = widget.grab().toImage()
    assert pixel(shot, 5, 50) == BLACK
    assert pixel(shot, 395, 50) == BLACK
    assert pixel(shot, 110, 50) == RED
    assert pixel(shot, 290, 50) == BLUE


def test_current_image_is_the_frame_and_outlives_it(qtbot) -> None:
    widget = VideoWidget()
    qtbot.addWidget(widget)
    assert widget.current_image() is None
    array = halves(30, 40)
    widget.show_frame(array)
    image = widget.current_image()
    assert image is not None
    assert image.size() == QSize(40, 30)
    widget.show_frame(np.zeros((30, 40, 3), np.uint8))
    del array
    gc.collect()
    assert np.array_equal(image_array(image), halves(30, 40))  # a copy, still valid


def test_takes_arrays_that_are_not_packed(qtbot) -> None:
    widget = VideoWidget()
    qtbot.addWidget(widget)
    wide = np.zeros((20, 80, 3), np.uint8)
    wide[:, ::2] = RED  # every other column red: a strided view is all red
    widget.show_frame(wide[:, ::2])
    image = widget.current_image()
    assert image is not None
    assert image.size() == QSize(40, 20)
    assert (image_array(image) == RED).all()
    with pytest.raises(ValueError, match="HxWx3 uint8"):
        widget.show_frame(np.zeros((20, 40), np.uint8))
    with pytest.raises(ValueError, match="HxWx3 uint8"):
        widget.show_frame(np.zeros((20, 40, 3), np.float32))


def test_placeholder_without_a_frame(qtbot) -> None:
    widget = VideoWidget()
    qtbot.addWidget(widget)
    widget.resize(320, 240)
    assert widget.placeholder == QCoreApplication.translate("VideoWidget", "No video")

    def centre_is_written(shot: QImage) -> bool:
        centre = image_array(shot)[100:140, 60:260]
        return bool((centre > 120).any())

    shot = widget.grab().toImage()
    assert pixel(shot, 3, 3) == (32, 32, 32)  # dark, not black: no picture, not a black one
    assert centre_is_written(shot)

    widget.placeholder = ""
    assert not centre_is_written(widget.grab().toImage())
    widget.placeholder = "Camera off"
    assert widget.placeholder == "Camera off"
    assert centre_is_written(widget.grab().toImage())

    widget.show_frame(halves())
    widget.clear()
    assert widget.current_image() is None
    shot = widget.grab().toImage()
    assert pixel(shot, 3, 3) == (32, 32, 32)
    assert centre_is_written(shot)


def test_size_hints(qtbot) -> None:
    widget = VideoWidget()
    qtbot.addWidget(widget)
    assert widget.sizeHint() == QSize(320, 240)
    assert widget.minimumSizeHint().width() <= 160
    assert widget.minimumSizeHint().height() <= 120


def test_fitted_keeps_the_aspect() -> None:
    assert fitted(QSize(640, 480), QRect(0, 0, 320, 480)) == QRect(0, 120, 320, 240)
    assert fitted(QSize(640, 480), QRect(10, 0, 800, 300)) == QRect(210, 0, 400, 300)


async def test_repaints_are_coalesced(qtbot) -> None:
    painted: list[int] = []

    class Counting(VideoWidget):
        def paintEvent(self, event) -> None:
            painted.append(self.frames_shown)
            super().paintEvent(event)

    widget = Counting()
    qtbot.addWidget(widget)
    widget.show()
    await until(lambda: bool(painted))
    painted.clear()
    for _ in range(5):
        widget.show_frame(halves())
    assert painted == []  # show_frame never paints by itself
    await until(lambda: bool(painted))
    await asyncio.sleep(0.05)
    assert painted == [5]  # five frames, one paint, of the newest


async def test_bind_shows_what_the_sink_converts(qtbot, caplog) -> None:
    widget = VideoWidget()
    qtbot.addWidget(widget)
    widget.show()
    track = TestPatternTrack(width=320, height=240, fps=30, marker=MARKER)
    sink = FrameSink(track)
    widget.bind(sink)
    assert widget.sink is sink
    sink.start()
    try:
        await until(lambda: widget.frames_shown >= 3)
        image = widget.current_image()
        assert image is not None
        assert image.size() == QSize(320, 240)
        assert colour_distance(read_marker(image_array(image)), MARKER) < 5

        widget.unbind()
        assert sink.on_frame is None
        assert widget.sink is None
        shown = widget.frames_shown
        await sink.wait_frames(sink.frames + 3)
        assert widget.frames_shown == shown
        assert widget.current_image() is not None  # unbinding keeps the last frame up

        other = VideoWidget()
        other.bind(sink)  # a sink with a frame shows it at once
        assert other.frames_shown == 1
        Shiboken.delete(other)  # the window went away, the sink did not
        assert sink.on_frame is not None
        await sink.wait_frames(sink.frames + 3)  # its frames go nowhere, without errors
        assert not [r for r in caplog.records if "on_frame" in r.getMessage()]
    finally:
        await sink.stop()
        track.stop()


def test_language_change_repaints_the_default_placeholder(qtbot) -> None:
    widget = VideoWidget()
    qtbot.addWidget(widget)
    QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
    assert widget.placeholder == QCoreApplication.translate("VideoWidget", "No video")


# ---------------------------------------------------------------- level meter


def test_level_scale_is_in_decibels() -> None:
    assert level_fraction(0.0) == 0.0
    assert level_fraction(float("nan")) == 0.0
    assert level_fraction(1.0) == 1.0
    assert level_fraction(2.0) == 1.0
    assert level_fraction(10 ** (FLOOR_DB / 20)) == pytest.approx(0.0)
    assert level_fraction(0.01) == pytest.approx(1 - 40 / -FLOOR_DB)  # -40 dB: quiet speech
    assert level_fraction(0.1) == pytest.approx(1 - 20 / -FLOOR_DB)  # -20 dB: speech


def test_level_meter_paints_a_bar(qtbot) -> None:
    meter = LevelMeter()
    qtbot.addWidget(meter)
    meter.resize(200, 12)
    meter.set_level(0.0)
    shot = meter.grab().toImage()
    assert pixel(shot, 2, 6) == pixel(shot, 198, 6)  # all background

    meter.set_level(0.1)  # -20 dB: two thirds lit, green
    assert meter.level == 0.1
    assert meter.fraction == pytest.approx(2 / 3)
    shot = meter.grab().toImage()
    lit, dark = pixel(shot, 2, 6), pixel(shot, 198, 6)
    assert lit != dark
    assert lit[1] > lit[0]  # green
    assert pixel(shot, 130, 6) == lit
    assert pixel(shot, 140, 6) == dark

    meter.set_level(1.0)
    shot = meter.grab().toImage()
    right = pixel(shot, 198, 6)
    assert right[0] > right[1]  # red near full scale

    meter.set_level(-1.0)
    assert meter.level == 0.0
    assert meter.fraction == 0.0

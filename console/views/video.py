"""Pictures and levels of a call: :class:`VideoWidget` and :class:`LevelMeter`.

A :class:`VideoWidget` shows the newest RGB frame a
:class:`~console.calls.media.FrameSink` converted (in the sink's executor, never
on the GUI thread): :meth:`VideoWidget.bind` makes the sink call
:meth:`VideoWidget.show_frame` on the loop (which is the GUI thread under
qasync). ``show_frame`` only wraps the array in a ``QImage`` and asks for a
repaint with ``update()``, so any number of frames between two paints cost one
paint; the paint scales the picture to fit, aspect kept, with black bars.
"""

from __future__ import annotations

import math
import weakref
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent

    from console.calls.media import FrameSink

# lupdate reads translate("Context", "English text") calls into resources/translations
translate = QCoreApplication.translate

BACKGROUND = QColor(32, 32, 32)
PLACEHOLDER_TEXT = QColor(190, 190, 190)


class _Forward:
    """What a bound sink calls: the widget's ``show_frame``, unless the widget is gone.

    Holds the widget weakly, and is switched off when the widget's C++ side is
    destroyed (a sink may outlive the window it was showing in).
    """

    def __init__(self, widget: VideoWidget) -> None:
        self._widget = weakref.ref(widget)
        self.alive = True

    def __call__(self, array: np.ndarray) -> None:
        widget = self._widget()
        if self.alive and widget is not None:
            widget.show_frame(array)


class VideoWidget(QWidget):
    """The newest frame of a video, scaled to fit; a placeholder text when there is none.

    ``show_frame(array)`` takes a ``height x width x 3`` uint8 RGB array (what
    ``FrameSink.on_frame`` gives). The array is kept as long as the ``QImage``
    drawn from it; :meth:`current_image` returns a copy. The accessible name is
    the caller's to set (whose picture this is).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._array: np.ndarray | None = None
        self._image: QImage | None = None
        self._placeholder: str | None = None  # None: the translated default
        self._frames_shown = 0
        self._sink: FrameSink | None = None
        self._forward: _Forward | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # paint() covers every pixel
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        forwards: list[_Forward] = []
        self._forwards = forwards  # the destroyed handler must not hold the widget itself
        self.destroyed.connect(lambda *_: _switch_off(forwards))

    # ------------------------------------------------------------ properties

    @property
    def placeholder(self) -> str:
        """The text shown while there is no frame (default: "No video", translated)."""
        if self._placeholder is None:
            return translate("VideoWidget", "No video")
        return self._placeholder

    @placeholder.setter
    def placeholder(self, text: str | None) -> None:
        self._placeholder = text
        if self._image is None:
            self.update()

    @property
    def frames_shown(self) -> int:
        """How many frames :meth:`show_frame` took (not how many were painted)."""
        return self._frames_shown

    @property
    def sink(self) -> FrameSink | None:
        """The sink bound with :meth:`bind`, if any."""
        return self._sink

    def current_image(self) -> QImage | None:
        """A copy of the frame on show (it stays valid after the next frame), or ``None``."""
        return None if self._image is None else self._image.copy()

    # ------------------------------------------------------------ frames

    def show_frame(self, array: np.ndarray) -> None:
        """Show ``array`` (``H x W x 3`` uint8 RGB) from the next paint on."""
        if array.ndim != 3 or array.shape[2] != 3 or array.dtype != np.uint8:
            raise ValueError(f"expected an HxWx3 uint8 RGB array, not {array.shape} {array.dtype}")
        height, width = array.shape[:2]
        if array.strides[1:] != (3, 1) or array.strides[0] < 3 * width:
            array = np.ascontiguousarray(array)  # QImage needs packed pixels within a row
        image = QImage(array.data, width, height, array.strides[0], QImage.Format.Format_RGB888)
        self._array, self._image = array, image  # the image reads the array's memory
        self._frames_shown += 1
        self.update()

    def clear(self) -> None:
        """Drop the frame: the placeholder shows again."""
        self._image = None
        self._array = None
        self.update()

    def bind(self, sink: FrameSink) -> None:
        """Show every frame ``sink`` converts (and its newest one now, if any)."""
        self.unbind()
        forward = _Forward(self)
        self._forwards.append(forward)
        self._sink, self._forward = sink, forward
        sink.on_frame = forward
        if sink.last_frame is not None:
            self.show_frame(sink.last_frame)

    def unbind(self) -> None:
        """Stop showing the bound sink's frames (the frame on show stays; see :meth:`clear`)."""
        sink, forward = self._sink, self._forward
        self._sink = self._forward = None
        if forward is not None:
            forward.alive = False
            self._forwards.remove(forward)
        if sink is not None and sink.on_frame is forward:
            sink.on_frame = None

    # ------------------------------------------------------------ Qt

    def sizeHint(self) -> QSize:
        return QSize(320, 240)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 120)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self._placeholder is None:
            self.update()  # the default placeholder is translated when painted
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            area = self.rect()
            image = self._image
            if image is None or image.isNull():
                painter.fillRect(area, BACKGROUND)
                painter.setPen(PLACEHOLDER_TEXT)
                flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
                painter.drawText(area.adjusted(8, 8, -8, -8), int(flags), self.placeholder)
                return
            target = fitted(image.size(), area)
            painter.fillRect(area, Qt.GlobalColor.black)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            if target.size() != image.size():
                # Qt scales 32-bit pixels on its fast path and RGB888 on a generic
                # one: converting first and scaling that is about twice as fast
                image = image.convertToFormat(QImage.Format.Format_RGB32)
            painter.drawImage(target, image)
        finally:
            painter.end()


def _switch_off(forwards: list[_Forward]) -> None:
    for forward in forwards:
        forward.alive = False


def fitted(size: QSize, area: QRect) -> QRect:
    """The largest rectangle of ``size``'s aspect ratio inside ``area``, centred in it."""
    scaled = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    x = area.x() + (area.width() - scaled.width()) // 2
    y = area.y() + (area.height() - scaled.height()) // 2
    return QRect(x, y, scaled.width(), scaled.height())


# ---------------------------------------------------------------- level meter

#: the quietest level the meter shows (speech sits around -40 .. -20 dB of full scale)
FLOOR_DB = -60.0
METER_BACKGROUND = QColor(40, 40, 40)
#: the bar's colours from FLOOR_DB up to each limit (dBFS)
ZONES = ((-12.0, QColor(60, 190, 90)), (-3.0, QColor(230, 180, 40)), (0.0, QColor(220, 60, 50)))


def level_fraction(rms: float) -> float:
    """Where an RMS level (fraction of full scale) falls on the meter: 0 .. 1, linear in dB."""
    if not rms > 0:  # also NaN
        return 0.0
    db = 20.0 * math.log10(min(rms, 1.0))
    return max(0.0, min(1.0, (db - FLOOR_DB) / -FLOOR_DB))


class LevelMeter(QWidget):
    """A horizontal bar of a sound level on a dB scale (``FLOOR_DB`` .. 0 dBFS).

    Green for ordinary speech, amber when loud, red near clipping. The caller
    sets the accessible name (whose sound it measures).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._level = 0.0
        self._fraction = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    @property
    def level(self) -> float:
        """The last RMS level set (0 .. 1)."""
        return self._level

    @property
    def fraction(self) -> float:
        """How much of the bar is lit (0 .. 1)."""
        return self._fraction

    def set_level(self, rms: float) -> None:
        """Show an RMS level, as a fraction of full scale (0 .. 1; clamped)."""
        self._level = min(1.0, rms) if rms > 0 else 0.0  # NaN too
        fraction = level_fraction(self._level)
        width = max(1, self.width())
        if round(fraction * width) != round(self._fraction * width):
            self.update()  # only when a pixel changes: 15 levels a second stay cheap
        self._fraction = fraction

    def sizeHint(self) -> QSize:
        return QSize(200, 14)

    def minimumSizeHint(self) -> QSize:
        return QSize(60, 8)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            area = self.rect()
            painter.fillRect(area, METER_BACKGROUND)
            lit = round(area.width() * self._fraction)
            start = 0
            for limit, colour in ZONES:
                end = min(lit, round(area.width() * (limit - FLOOR_DB) / -FLOOR_DB))
                if end > start:
                    zone = QRect(area.x() + start, area.y(), end - start, area.height())
                    painter.fillRect(zone, colour)
                    start = end
        finally:
            painter.end()

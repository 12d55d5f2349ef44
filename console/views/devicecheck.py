"""Check camera and microphone: the operator's own picture and microphone level, live.

The dialog subscribes to the console's :class:`~console.calls.devices.LocalMedia`
while it is shown (a preview subscription for the picture, a level
subscription for the meter) and ends both subscriptions when it is hidden or
closed; the media itself stays open for calls. It says which devices are in
use, and plainly when the patient would get a test picture or a test tone.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from console.calls.devices import MediaDeviceError
from console.calls.media import FrameSink
from console.views.video import LevelMeter, VideoWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QHideEvent, QShowEvent

    from console.calls.devices import LocalMedia

log = logging.getLogger(__name__)

# lupdate reads translate("Context", "English text") calls into resources/translations
translate = QCoreApplication.translate

#: how often the meter reads the microphone level (about 15 times a second)
LEVEL_INTERVAL_MS = 66
#: ticks without a new audio frame after which the meter drops to zero
STALE_TICKS = 8


class DeviceCheckDialog(QDialog):
    """Shows the local picture and a live microphone level, and names their sources.

    Sinks run only while the dialog is shown (:meth:`start` on show, :meth:`stop`
    on hide or close). If ``media`` is not open yet, showing the dialog opens it;
    a :class:`~console.calls.devices.MediaDeviceError` is then shown in the dialog.
    """

    def __init__(self, media: LocalMedia, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.media = media
        self.setWindowTitle(translate("DeviceCheckDialog", "Check camera and microphone"))
        self.setObjectName("deviceCheckDialog")

        self.video = VideoWidget(self)
        self.video.setObjectName("deviceCheckVideo")
        self.video.setAccessibleName(translate("DeviceCheckDialog", "Your camera's picture"))
        self.video.placeholder = translate("DeviceCheckDialog", "Starting the camera…")
        self.camera_label = self._label("deviceCheckCamera")
        self.level = LevelMeter(self)
        self.level.setObjectName("deviceCheckLevel")
        self.level.setAccessibleName(translate("DeviceCheckDialog", "Microphone level"))
        self.microphone_label = self._label("deviceCheckMicrophone")
        self.hint = self._label("deviceCheckHint")
        self.hint.setText(
            translate("DeviceCheckDialog", "Say something: the bar should move while you speak.")
        )
        self.problems_label = self._label("deviceCheckProblems")
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("deviceCheckClose")
        self.close_button.setAccessibleName(translate("DeviceCheckDialog", "Close"))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.video, 1)
        layout.addWidget(self.camera_label)
        layout.addWidget(self.level)
        layout.addWidget(self.microphone_label)
        layout.addWidget(self.hint)
        layout.addWidget(self.problems_label)
        layout.addWidget(buttons)

        self._timer = QTimer(self)
        self._timer.setInterval(LEVEL_INTERVAL_MS)
        self._timer.timeout.connect(self._update_level)
        self._video_sink: FrameSink | None = None
        self._level_sink: FrameSink | None = None
        self._level_frames = 0
        self._stale = 0
        self._opening: asyncio.Task[None] | None = None
        self._stopping: asyncio.Task[None] | None = None
        self._describe_sources()

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        return label

    # ------------------------------------------------------------ state

    @property
    def video_sink(self) -> FrameSink | None:
        """The sink feeding the picture while the dialog runs."""
        return self._video_sink

    @property
    def level_sink(self) -> FrameSink | None:
        """The sink feeding the meter while the dialog runs."""
        return self._level_sink

    @property
    def running(self) -> bool:
        return self._video_sink is not None

    async def wait_started(self) -> None:
        """Wait until a start that had to open the media is done (no-op otherwise)."""
        if self._opening is not None:
            await asyncio.wait({self._opening})

    async def wait_stopped(self) -> None:
        """Wait until the sinks of the last :meth:`stop` have finished."""
        if self._stopping is not None:
            await asyncio.wait({self._stopping})

    # ------------------------------------------------------------ start / stop

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.stop()
        super().hideEvent(event)

    def start(self) -> None:
        """Subscribe to the picture and the level (idempotent). Needs the running loop."""
        if self._video_sink is not None or (self._opening is not None and not self._opening.done()):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            log.warning("device check shown without a running event loop: no live picture")
            return
        if self.media.is_open:
            self._start_sinks()
        else:
            self._opening = loop.create_task(self._open_then_start(), name="medconsole-devicecheck")

    async def _open_then_start(self) -> None:
        try:
            await asyncio.shield(self.media.open())  # closing the dialog must not cancel it
        except MediaDeviceError as exc:
            self._describe_sources()
            self.video.placeholder = translate("DeviceCheckDialog", "No camera")
            self._show_problems([str(exc)])
            return
        except Exception as exc:
            log.exception("device check: opening the local media failed")
            self._show_problems([type(exc).__name__])
            return
        if self.isVisible():
            self._start_sinks()

    def _start_sinks(self) -> None:
        self._describe_sources()
        video = FrameSink(self.media.preview_track())
        level = FrameSink(self.media.level_track())
        self.video.bind(video)
        video.start()
        level.start()
        self._video_sink, self._level_sink = video, level
        self._level_frames = 0
        self._stale = 0
        self._timer.start()

    def stop(self) -> None:
        """End the subscriptions (idempotent); :meth:`wait_stopped` waits for the sinks."""
        self._timer.stop()
        if self._opening is not None and not self._opening.done():
            self._opening.cancel()
        sinks = [s for s in (self._video_sink, self._level_sink) if s is not None]
        self._video_sink = self._level_sink = None
        self.video.unbind()
        self.level.set_level(0.0)
        if not sinks:
            return
        for sink in sinks:
            sink.track.stop()  # leave the relay now; the sink's task ends below
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # the loop is gone (shutting down): nothing left to wait for
            return
        self._stopping = loop.create_task(_stop_all(sinks), name="medconsole-devicecheck-stop")

    # ------------------------------------------------------------ display

    def _update_level(self) -> None:
        sink = self._level_sink
        if sink is None:
            return
        if sink.frames == self._level_frames:
            self._stale += 1
            if self._stale >= STALE_TICKS or sink.ended:
                self.level.set_level(0.0)
            return
        self._level_frames, self._stale = sink.frames, 0
        self.level.set_level(sink.peak_rms)  # the loudest frame since the last tick
        sink.peak_rms = 0.0

    def _describe_sources(self) -> None:
        media = self.media
        if not media.is_open:
            self.camera_label.setText(translate("DeviceCheckDialog", "Camera: not open"))
            self.microphone_label.setText(translate("DeviceCheckDialog", "Microphone: not open"))
            return
        deliberate = media.mode == "synthetic"
        if not media.synthetic_video:
            camera = translate("DeviceCheckDialog", "Camera: {source}").format(
                source=media.video_source
            )
        elif deliberate:
            camera = translate(
                "DeviceCheckDialog", "Camera: test picture (the settings ask for test media)"
            )
        else:
            camera = translate(
                "DeviceCheckDialog", "Camera: none found. The patient sees a test picture."
            )
        if not media.synthetic_audio:
            microphone = translate("DeviceCheckDialog", "Microphone: {source}").format(
                source=media.audio_source
            )
        elif deliberate:
            microphone = translate(
                "DeviceCheckDialog", "Microphone: test tone (the settings ask for test media)"
            )
        else:
            microphone = translate(
                "DeviceCheckDialog", "Microphone: none found. The patient hears a test tone."
            )
        self.camera_label.setText(camera)
        self.microphone_label.setText(microphone)
        self._show_problems(list(media.problems))

    def _show_problems(self, problems: list[str]) -> None:
        self.problems_label.setText("\n".join(problems))
        self.problems_label.setVisible(bool(problems))


async def _stop_all(sinks: list[FrameSink]) -> None:
    await asyncio.gather(*(sink.stop() for sink in sinks))

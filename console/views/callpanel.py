"""The call: the patient's picture, our preview, mute, hold, end, and how long it has run."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from console.calls.media import FrameSink
from console.views.video import VideoWidget

# lupdate reads translate("Context", "English text") calls into resources/translations
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from console.protocol import messages as m
    from console.views.controller import ConsoleController


class CallPanel(QWidget):
    """Video and the call's controls for the contact the console holds."""

    def __init__(self, controller: ConsoleController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.contact: m.ContactView | None = None
        self._started: float | None = None
        self._preview: FrameSink | None = None

        self.remote = VideoWidget()
        self.remote.setObjectName("remoteVideo")
        self.remote.setAccessibleName(translate("CallPanel", "Patient's video"))
        self.remote.placeholder = translate("CallPanel", "No call")
        self.remote.setMinimumSize(320, 240)
        self.local = VideoWidget()
        self.local.setObjectName("localVideo")
        self.local.setAccessibleName(translate("CallPanel", "Your camera"))
        self.local.placeholder = translate("CallPanel", "Camera off")
        self.local.setFixedSize(160, 120)

        self.timer_label = QLabel("00:00")
        self.timer_label.setObjectName("callTimer")
        self.timer_label.setAccessibleName(translate("CallPanel", "Call duration"))
        font = self.timer_label.font()
        font.setPointSize(font.pointSize() + 2)
        font.setBold(True)
        self.timer_label.setFont(font)
        self.mute_button = self._button(
            translate("CallPanel", "Mute"),
            "muteButton",
            translate("CallPanel", "Mute the microphone"),
        )
        self.mute_button.setCheckable(True)
        self.mute_button.toggled.connect(self._mute)
        self.hold_button = self._button(
            translate("CallPanel", "Hold"),
            "holdButton",
            translate("CallPanel", "Put the patient on hold"),
        )
        self.hold_button.setCheckable(True)
        self.hold_button.toggled.connect(self._hold)
        self.end_button = self._button(
            translate("CallPanel", "End"), "endButton", translate("CallPanel", "End the contact")
        )
        self.end_button.setStyleSheet("background: #c62828; color: white; padding: 4px 14px;")
        self.end_button.clicked.connect(self._end)
        self.video_button = self._button(
            translate("CallPanel", "Video call"),
            "raiseCallButton",
            translate("CallPanel", "Invite the patient to a video call"),
        )
        self.video_button.clicked.connect(self._raise)
        self.status = QLabel()
        self.status.setObjectName("callStatus")

        stage = QGridLayout()
        stage.addWidget(self.remote, 0, 0)
        stage.addWidget(
            self.local, 0, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom
        )
        controls = QHBoxLayout()
        controls.addWidget(self.timer_label)
        controls.addWidget(self.status, 1)
        for b in (self.video_button, self.mute_button, self.hold_button, self.end_button):
            controls.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(stage, 1)
        layout.addLayout(controls)

        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(500)
        self._tick_timer.timeout.connect(self._tick)
        controller.call_started.connect(self._call_started)
        controller.call_ended.connect(self._call_ended)
        controller.remote_video.connect(self._remote_video)
        controller.call_answered.connect(self._answered)
        self.set_contact(None)

    @staticmethod
    def _button(text: str, name: str, accessible: str) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(name)
        b.setAccessibleName(accessible)
        return b

    @property
    def in_call(self) -> bool:
        return self.contact is not None and self.contact.id in self.controller.calls

    def set_contact(self, view: m.ContactView | None) -> None:
        self.contact = view
        active = view is not None and view.state in ("connected", "with_doctor")
        if view is not None and self._started is None and active:
            self._started = time.monotonic()  # the contact's time counts from the answer
            self._tick_timer.start()
        if not active:
            self._tick_timer.stop()
            if view is None:
                self._started = None
                self.timer_label.setText("00:00")
        self.end_button.setEnabled(active)
        self.video_button.setVisible(view is not None and view.channel == "chat")
        self.video_button.setEnabled(active and not self.in_call)
        self._update_call_buttons()

    def _update_call_buttons(self) -> None:
        media = self.in_call
        self.mute_button.setEnabled(media)
        self.hold_button.setEnabled(media)
        if not media:
            for b in (self.mute_button, self.hold_button):
                b.blockSignals(True)
                b.setChecked(False)
                b.blockSignals(False)

    def _tick(self) -> None:
        if self._started is None:
            return
        gone = int(time.monotonic() - self._started)
        self.timer_label.setText(f"{gone // 60:02d}:{gone % 60:02d}")

    # -- call lifecycle

    def _call_started(self, contact_id: str) -> None:
        if self.contact is None or contact_id != self.contact.id:
            return
        self.status.setText(translate("CallPanel", "Connecting…"))
        self._start_preview()
        self._update_call_buttons()
        self.video_button.setEnabled(False)

    def _remote_video(self, contact_id: str, sink: FrameSink) -> None:
        if self.contact is not None and contact_id == self.contact.id:
            self.remote.bind(sink)
            self.status.setText(translate("CallPanel", "In call"))

    def _call_ended(self, contact_id: str) -> None:
        if self.contact is not None and contact_id != self.contact.id:
            return
        self.remote.unbind()
        self.remote.clear()
        self.status.setText("")
        self._stop_preview()
        self._update_call_buttons()

    def _answered(self, contact_id: str, accepted: bool) -> None:
        if self.contact is not None and contact_id == self.contact.id and not accepted:
            self.status.setText(translate("CallPanel", "The patient declined the video call."))
            self.video_button.setEnabled(True)

    def _start_preview(self) -> None:
        media = self.controller.media
        if media is None or self._preview is not None:
            return
        self._preview = FrameSink(media.preview_track())
        self.local.bind(self._preview)
        self._preview.start()

    def _stop_preview(self) -> None:
        sink, self._preview = self._preview, None
        if sink is not None:
            self.local.unbind()
            self.local.clear()
            sink.track.stop()
            self.controller.run("preview", sink.stop())

    # -- buttons

    def _mute(self, on: bool) -> None:
        self.controller.set_muted(on)
        self.status.setText(
            translate("CallPanel", "Microphone off") if on else translate("CallPanel", "In call")
        )

    def _hold(self, on: bool) -> None:
        if self.contact is not None:
            self.controller.set_hold(self.contact.id, on)
            self.status.setText(
                translate("CallPanel", "On hold: the patient is told")
                if on
                else translate("CallPanel", "In call")
            )

    def _end(self) -> None:
        if self.contact is not None:
            self.end_button.setEnabled(False)
            self.controller.end(self.contact.id)

    def _raise(self) -> None:
        if self.contact is not None:
            self.video_button.setEnabled(False)
            self.status.setText(
                translate("CallPanel", "Waiting for the patient to accept the video call…")
            )
            self.controller.raise_call(self.contact.id, "video")

"""The incoming offer: it rings, says who and what, and counts down to the ring timeout."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from console.views.models import channel_name, kind_name, queue_name
from console.views.resources import RING, icon

# lupdate reads translate("Context", "English text") calls into resources/translations
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

    from console.protocol import messages as m


class Ringer:
    """The ring tone, looping while an offer rings (silent where there is no audio output)."""

    def __init__(self) -> None:
        self.playing = False
        self._effect = None
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:  # PySide6-Essentials without QtMultimedia: no sound, still a console
            return
        effect = QSoundEffect()
        effect.setSource(QUrl.fromLocalFile(str(RING)))
        effect.setLoopCount(QSoundEffect.Loop.Infinite.value)
        effect.setVolume(0.8)
        self._effect = effect

    @property
    def source(self) -> str:
        return self._effect.source().toLocalFile() if self._effect is not None else ""

    def start(self) -> None:
        self.playing = True
        if self._effect is not None:
            self._effect.play()

    def stop(self) -> None:
        self.playing = False
        if self._effect is not None:
            self._effect.stop()


class OfferPanel(QFrame):
    """Shown while an offer rings; ``accepted`` / ``rejected`` carry the contact id."""

    accepted = Signal(str)
    rejected = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, *, now: Callable[[], datetime] | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("offerPanel")
        self.setAccessibleName(translate("OfferPanel", "Incoming contact"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#offerPanel { background: #fff8e1; border: 2px solid #ffb300; border-radius: 6px; }"
        )
        self._now = now or (lambda: datetime.now(UTC))
        self.offer: m.OfferMsg | None = None
        self._total = 1.0
        self.ringer = Ringer()

        self.icon = QLabel()
        self.title = QLabel()
        self.title.setObjectName("offerTitle")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.title.setFont(font)
        self.details = QLabel()
        self.details.setObjectName("offerDetails")
        self.countdown = QProgressBar()
        self.countdown.setObjectName("offerCountdown")
        self.countdown.setAccessibleName(translate("OfferPanel", "Time left to answer"))
        self.countdown.setTextVisible(True)
        self.countdown.setRange(0, 1000)

        self.accept_button = QPushButton(translate("OfferPanel", "Accept"))
        self.accept_button.setObjectName("acceptButton")
        self.accept_button.setAccessibleName(translate("OfferPanel", "Accept the contact"))
        self.accept_button.setStyleSheet("background: #2e7d32; color: white; padding: 6px 16px;")
        self.reject_button = QPushButton(translate("OfferPanel", "Reject"))
        self.reject_button.setObjectName("rejectButton")
        self.reject_button.setAccessibleName(translate("OfferPanel", "Reject the contact"))
        self.accept_button.clicked.connect(self._accept)
        self.reject_button.clicked.connect(self._reject)

        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.details)
        text.addWidget(self.countdown)
        row = QHBoxLayout(self)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        row.addWidget(self.accept_button)
        row.addWidget(self.reject_button)

        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._tick)
        self.hide()

    @property
    def ringing(self) -> bool:
        return self.offer is not None

    def show_offer(self, offer: m.OfferMsg) -> None:
        self.offer = offer
        c = offer.contact
        self.icon.setPixmap(icon(c.channel).pixmap(32, 32))
        self.title.setText(
            translate("OfferPanel", "{kind} · {channel}").format(
                kind=kind_name(c.kind), channel=channel_name(c.channel)
            )
        )
        phone = c.caller_phone or translate("OfferPanel", "number not known")
        self.details.setText(
            translate("OfferPanel", "Caller: {phone} · queue: {queue}").format(
                phone=phone, queue=queue_name(c.queue)
            )
        )
        self._total = max(1.0, (offer.expires_at - self._now()).total_seconds())
        self._tick()
        self._timer.start()
        self.show()
        self.ringer.start()

    def withdraw(self, contact_id: str | None = None) -> None:
        """Stop ringing (the offer was answered, rejected, timed out or taken away)."""
        if (
            contact_id is not None
            and self.offer is not None
            and self.offer.contact.id != contact_id
        ):
            return
        self.offer = None
        self._timer.stop()
        self.ringer.stop()
        self.hide()

    def seconds_left(self) -> float:
        if self.offer is None:
            return 0.0
        return max(0.0, (self.offer.expires_at - self._now()).total_seconds())

    def _tick(self) -> None:
        left = self.seconds_left()
        self.countdown.setValue(int(1000 * left / self._total))
        self.countdown.setFormat(
            translate("OfferPanel", "%1 s to answer").replace("%1", str(int(left + 0.999)))
        )

    def _accept(self) -> None:
        if self.offer is not None:
            contact_id = self.offer.contact.id
            self.withdraw()
            self.accepted.emit(contact_id)

    def _reject(self) -> None:
        if self.offer is not None:
            contact_id = self.offer.contact.id
            self.withdraw()
            self.rejected.emit(contact_id)

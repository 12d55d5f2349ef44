"""The contact's chat: history (kept across transfers), text, files both ways, image thumbnails."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from console.views.models import ChatModel

# lupdate reads translate("Context", "English text") calls into resources/translations
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from console.protocol import messages as m
    from console.views.controller import ConsoleController

THUMB = 128
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


class _Decoded(QObject):
    ready = Signal(str, QImage, QImage)  # attachment id, full image, thumbnail


class _Decode(QRunnable):
    """Decode an image and scale its thumbnail off the GUI thread (QImage is thread-safe)."""

    def __init__(self, attachment_id: str, data: bytes, out: _Decoded) -> None:
        super().__init__()
        self.attachment_id, self.data, self.out = attachment_id, data, out

    def run(self) -> None:
        image = QImage.fromData(self.data)
        if image.isNull():
            return
        thumb = image.scaled(
            THUMB,
            THUMB,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.out.ready.emit(self.attachment_id, image, thumb)


class ImageViewer(QDialog):
    """An attached image at full size (scrolls when larger than the screen)."""

    def __init__(self, image: QImage, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageViewer")
        self.setWindowTitle(title)
        label = QLabel()
        label.setObjectName("imageViewerImage")
        label.setPixmap(QPixmap.fromImage(image))
        area = QScrollArea()
        area.setWidget(label)
        area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(area)
        self.image = image
        self.resize(min(image.width() + 40, 1200), min(image.height() + 40, 900))


class ChatPanel(QWidget):
    """Chat of the contact the console holds."""

    def __init__(self, controller: ConsoleController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.contact_id: str | None = None
        self.images: dict[str, QImage] = {}
        self._asked: set[str] = set()
        self._decoded = _Decoded()
        self._decoded.ready.connect(self._image_ready)
        self.viewer: ImageViewer | None = None

        self.model = ChatModel(self)
        self.history = QListView()
        self.history.setObjectName("chatHistory")
        self.history.setAccessibleName(translate("ChatPanel", "Chat history"))
        self.history.setModel(self.model)
        self.history.setWordWrap(True)
        self.history.setIconSize(QSize(THUMB, THUMB))
        self.history.setUniformItemSizes(False)
        self.history.setSpacing(3)
        self.history.setAlternatingRowColors(True)
        self.history.doubleClicked.connect(self._open)
        self.input = QLineEdit()
        self.input.setObjectName("chatInput")
        self.input.setAccessibleName(translate("ChatPanel", "Message"))
        self.input.setPlaceholderText(
            translate("ChatPanel", "Message to the patient (Enter sends)")
        )
        self.input.returnPressed.connect(self.send)
        self.send_button = QPushButton(translate("ChatPanel", "Send"))
        self.send_button.setObjectName("chatSendButton")
        self.send_button.setAccessibleName(translate("ChatPanel", "Send the message"))
        self.send_button.clicked.connect(self.send)
        self.attach_button = QPushButton(translate("ChatPanel", "File…"))
        self.attach_button.setObjectName("chatAttachButton")
        self.attach_button.setAccessibleName(translate("ChatPanel", "Send a file"))
        self.attach_button.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        row.addWidget(self.attach_button)
        row.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.history, 1)
        layout.addLayout(row)
        controller.chat_message.connect(self.add)
        self.set_contact(None)

    def set_contact(self, view: m.ContactView | None) -> None:
        new_id = view.id if view is not None else None
        if new_id != self.contact_id:
            self.contact_id = new_id
            self.model.set_messages(view.chat if view is not None else [])
            for msg in self.model.messages:
                self._fetch(msg)
            self.history.scrollToBottom()
        elif view is not None:
            for msg in view.chat:
                self.add(msg)
        enabled = view is not None and view.state in ("connected", "with_doctor")
        for w in (self.input, self.send_button, self.attach_button):
            w.setEnabled(enabled)

    def add(self, msg: m.ChatMessage) -> None:
        if msg.contact_id != self.contact_id:
            return
        if self.model.add(msg):
            self._fetch(msg)
            self.history.scrollToBottom()

    def send(self) -> None:
        text = self.input.text().strip()
        if self.contact_id is None or not text:
            return
        self.controller.chat(self.contact_id, text)
        self.input.clear()

    def choose_file(self) -> None:
        if self.contact_id is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("ChatPanel", "Send a file"),
            "",
            translate("ChatPanel", "Images and documents (*.png *.jpg *.jpeg *.pdf)"),
        )
        if path:
            self.send_file(path)

    def send_file(self, path: str) -> None:
        if self.contact_id is not None:
            self.controller.send_file(self.contact_id, path)

    # -- images

    def _fetch(self, msg: m.ChatMessage) -> None:
        att = msg.attachment
        if att is None or att.mime not in IMAGE_TYPES or att.id in self._asked:
            return
        self._asked.add(att.id)
        aid = att.id

        def decode(data: bytes) -> None:  # off the GUI thread
            QThreadPool.globalInstance().start(_Decode(aid, data, self._decoded))

        self.controller.download(att.url, decode)

    def _image_ready(self, attachment_id: str, image: QImage, thumb: QImage) -> None:
        self.images[attachment_id] = image
        self.model.set_thumbnail(attachment_id, QPixmap.fromImage(thumb))

    def _open(self, index: object) -> None:
        msg = self.model.message(index.row())  # type: ignore[attr-defined]
        if msg.attachment is None:
            return
        image = self.images.get(msg.attachment.id)
        if image is None:
            return
        self.viewer = ImageViewer(image, msg.attachment.name, self)
        self.viewer.show()

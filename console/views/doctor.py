"""The doctor's workspace: the insured's card, the consultation's clock, the conclusion.

The same main window serves doctors (chosen by the role at sign-in); in place of
the medconsultant's identification, consent and transfer panels a doctor gets
:class:`DoctorWorkspace`:

- :class:`PatientCard`: name, age, policy, representative, the medconsultant's
  reason, and the documents of the medical card (files the patient sent, earlier
  conclusions), which open from memory (images, PDFs) or are saved where asked.
- :class:`ConsultationClock`: time against the consultation's limit (30 minutes
  urgent, 15 by appointment, as the hub says), warning ``WARN_BEFORE_S`` before
  and at the limit, once each, with a chime.
- :class:`ConclusionForm`: complaints, history, recommendations, whether an
  in-person visit is needed, or "no conclusion: not enough information". No field
  for a diagnosis, a prescription, a sick leave or a certificate, and a note says
  why. Save signs it (the doctor's name and the hub's time); End hands the patient
  back to the medconsultant, once a conclusion (or its absence) is signed.

The call (and raising a chat to video) and the chat are the window's own panels.
Like the other panels, these only ask the controller; nothing here talks to the
hub or the store.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.views.booking import status_name, way_name, zone
from console.views.chat import IMAGE_TYPES, ImageViewer
from console.views.models import full_name, kind_name, mmss, policy_badge
from console.views.resources import QT_TRANSLATE_NOOP, SOUNDS

# lupdate reads translate("Context", "English text") calls into resources/translations
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from collections.abc import Callable

    from console.protocol import messages as m
    from console.views.controller import ConsoleController
    from console.views.mainwindow import MainWindow

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

#: the clock warns this long before the consultation's limit (and again at it)
WARN_BEFORE_S = 5 * 60
#: characters in one field of the conclusion (the protocol's MAX_CONCLUSION_TEXT)
MAX_TEXT = 8000
CHIME = SOUNDS / "alert.wav"

# The hub's refusals a doctor can meet (English on the wire; shown translated).
HUB_MESSAGES = (
    QT_TRANSLATE_NOOP("HubError", "only the doctor writes the conclusion"),
    QT_TRANSLATE_NOOP("HubError", "the consultation has not started"),
    QT_TRANSLATE_NOOP(
        "HubError",
        "write the complaints and the recommendations, or sign that there is no conclusion",
    ),
    QT_TRANSLATE_NOOP("HubError", "only the doctor records a failed call"),
    QT_TRANSLATE_NOOP("HubError", "this contact is not an appointment's"),
    QT_TRANSLATE_NOOP("HubError", "only a doctor has a day of appointments"),
)
#: the doctor's day of appointments is asked for again this often (ms)
DAY_REFRESH_MS = 60_000
#: the ways to reach that are a call to a phone (console.booking.PHONE_WAYS)
PHONE_WAYS = ("insured_phone", "representative_phone")


def _button(text: str, name: str, accessible: str) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setAccessibleName(accessible)
    return b


def _text_edit(name: str, accessible: str, placeholder: str, lines: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)  # Tab goes to the next field, as in any form
    height = edit.fontMetrics().lineSpacing() * lines + 12
    edit.setFixedHeight(height)  # the form fits the column; a longer text scrolls inside
    return edit


def _local(at: datetime) -> str:
    return f"{at.astimezone():%d.%m.%Y %H:%M}"


# ---------------------------------------------------------------- the chime


class Chime:
    """A short alert, once per call (silent where there is no QtMultimedia or no output)."""

    def __init__(self) -> None:
        self.played = 0
        self._effect: Any = None
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:
            return
        effect = QSoundEffect()
        effect.setSource(QUrl.fromLocalFile(str(CHIME)))
        effect.setVolume(0.7)
        self._effect = effect

    def play(self) -> None:
        self.played += 1
        if self._effect is not None:
            self._effect.play()


# ---------------------------------------------------------------- the clock


class ConsultationClock(QFrame):
    """Time since the doctor took the contact, against its limit.

    ``warned(phase, message)`` fires once per contact when ``WARN_BEFORE_S`` are
    left (``"soon"``) and when the limit is reached (``"over"``).
    """

    warned = Signal(str, str)

    def __init__(
        self, parent: QWidget | None = None, *, now: Callable[[], datetime] | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("consultationClock")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._now = now or (lambda: datetime.now(UTC))
        self.contact_id: str | None = None
        self.started: datetime | None = None
        self.limit_s = 0
        self.phase = "none"
        self._warned: set[str] = set()
        self.chime = Chime()

        self.text = QLabel()
        self.text.setObjectName("consultationTime")
        self.text.setAccessibleName(translate("ConsultationClock", "Consultation time"))
        font = self.text.font()
        font.setPointSize(font.pointSize() + 2)
        font.setBold(True)
        self.text.setFont(font)
        self.limit = QLabel()
        self.limit.setObjectName("consultationLimit")
        self.bar = QProgressBar()
        self.bar.setObjectName("consultationProgress")
        self.bar.setAccessibleName(translate("ConsultationClock", "Time used of the limit"))
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        top = QHBoxLayout()
        top.addWidget(self.text, 1)
        top.addWidget(self.limit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addWidget(self.bar)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)
        self.set_consultation(None)

    def set_consultation(self, view: m.ContactView | None) -> None:
        """Count for ``view`` (its consultation's start and limit); stop on None."""
        info = view.consultation if view is not None else None
        if view is None or info is None:
            self.contact_id, self.started, self.limit_s = None, None, 0
            self._timer.stop()
            self.text.setText(translate("ConsultationClock", "No consultation"))
            self.limit.clear()
            self.bar.setValue(0)
            self._look("none")
            return
        if view.id != self.contact_id:
            self._warned = set()
        self.contact_id = view.id
        self.started = info.started_at
        self.limit_s = info.limit_s
        self.limit.setText(
            translate("ConsultationClock", "{kind}: limit {minutes} min").format(
                kind=kind_name(view.kind), minutes=info.limit_s // 60
            )
        )
        self.bar.setRange(0, max(1, info.limit_s))
        if view.state in ("with_doctor", "connected"):
            self._timer.start()
        else:
            self._timer.stop()  # ended: the clock stays where it stopped
        self.tick()

    def elapsed_s(self) -> int:
        if self.started is None:
            return 0
        return max(0, int((self._now() - self.started).total_seconds()))

    def tick(self) -> None:
        if self.contact_id is None:
            return
        gone = self.elapsed_s()
        left = self.limit_s - gone
        self.bar.setValue(min(gone, self.limit_s))
        text = translate("ConsultationClock", "Consultation {elapsed} of {limit}").format(
            elapsed=mmss(gone), limit=mmss(self.limit_s)
        )
        if left <= 0:
            phase = "over"
            text += " — " + translate("ConsultationClock", "the time is up")
        elif left <= WARN_BEFORE_S:
            phase = "soon"
            text += " — " + translate("ConsultationClock", "{left} left").format(left=mmss(left))
        else:
            phase = "ok"
        self.text.setText(text)
        self._look(phase)
        if phase in ("soon", "over") and phase not in self._warned:
            self._warned.add(phase)
            if phase == "over":
                self._warned.add("soon")  # a late start: one warning, the stronger
                message = translate(
                    "ConsultationClock",
                    "The consultation has reached its limit of {minutes} minutes: conclude it.",
                ).format(minutes=self.limit_s // 60)
            else:
                message = translate(
                    "ConsultationClock",
                    "{minutes} minutes of the consultation are left: time to conclude.",
                ).format(minutes=max(1, round(left / 60)))
            self.chime.play()
            self.warned.emit(phase, message)

    def _look(self, phase: str) -> None:
        self.phase = phase
        colours = {
            "none": ("#f5f5f5", "#757575", "#bdbdbd"),
            "ok": ("#e8f5e9", "#1b5e20", "#43a047"),
            "soon": ("#fff3e0", "#e65100", "#fb8c00"),
            "over": ("#ffebee", "#b71c1c", "#e53935"),
        }
        back, fore, bar = colours[phase]
        self.setStyleSheet(
            f"#consultationClock {{ background: {back}; border: 1px solid {bar};"
            " border-radius: 4px; }"
            f" #consultationTime, #consultationLimit {{ color: {fore}; }}"
            f" #consultationProgress::chunk {{ background: {bar}; }}"
        )


# ---------------------------------------------------------------- the card


class DocumentsModel(QAbstractListModel):
    """The medical card's documents, newest first (replaced whole: it changes rarely)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.documents: list[m.CardDocument] = []

    def set_documents(self, documents: list[m.CardDocument]) -> None:
        if documents == self.documents:
            return
        self.beginResetModel()
        self.documents = list(documents)
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.documents)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.documents):
            return None
        doc = self.documents[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.describe(doc)
        if role == Qt.ItemDataRole.ToolTipRole:
            return translate("PatientCard", "Double-click to open")
        if role == Qt.ItemDataRole.UserRole:
            return doc
        return None

    @staticmethod
    def describe(doc: m.CardDocument) -> str:
        if doc.kind == "conclusion":
            return translate("PatientCard", "Conclusion of {date}, {doctor}").format(
                date=_local(doc.at), doctor=doc.name
            )
        return translate("PatientCard", "{name}, sent {date}").format(
            name=doc.name, date=_local(doc.at)
        )


class PdfViewer(QDialog):
    """A PDF from memory (nothing written to disk)."""

    def __init__(self, data: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfViewer")
        self.setWindowTitle(title)
        self.data = data
        self._bytes = QByteArray(data)
        layout = QVBoxLayout(self)
        try:
            from PySide6.QtPdf import QPdfDocument
            from PySide6.QtPdfWidgets import QPdfView
        except ImportError:  # PySide6-Essentials: no viewer; the doctor saves it instead
            layout.addWidget(QLabel(translate("PatientCard", "PDF viewing is not available.")))
            return
        # Children are deleted in the order they were made: the view before the document
        # it paints, the document before the buffer it reads pages from (its own child).
        view = QPdfView(self)
        self.document = QPdfDocument(self)
        self._buffer = QBuffer(self._bytes, self.document)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        view.setObjectName("pdfView")
        view.setAccessibleName(title)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        view.setDocument(self.document)
        layout.addWidget(view)
        self.resize(760, 900)


class PatientCard(QGroupBox):
    """Whom the consultation is for: the card, the reason, the medical card's documents."""

    def __init__(self, controller: ConsoleController, parent: QWidget | None = None) -> None:
        super().__init__(translate("PatientCard", "Patient"), parent)
        self.setObjectName("patientCard")
        self.controller = controller
        self.contact: m.ContactView | None = None
        self.viewer: QDialog | None = None

        self.name = QLabel()
        self.name.setObjectName("patientName")
        self.name.setTextFormat(Qt.TextFormat.RichText)
        self.name.setWordWrap(True)
        self.badge = QLabel()
        self.badge.setObjectName("patientPolicyBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details = QLabel()
        self.details.setObjectName("patientDetails")
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setWordWrap(True)
        self.reason_title = QLabel()
        self.reason_title.setObjectName("reasonFrom")
        self.reason_title.setStyleSheet("color: #616161;")
        self.reason = QLabel()
        self.reason.setObjectName("doctorReason")
        self.reason.setAccessibleName(translate("PatientCard", "Reason for the contact"))
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason.setStyleSheet(
            "#doctorReason { background: #fffde7; border: 1px solid #fff59d;"
            " border-radius: 3px; padding: 6px; }"
        )
        self.documents_title = QLabel()
        self.documents_title.setObjectName("medicalCardTitle")
        self.documents_title.setStyleSheet("color: #616161;")
        self.model = DocumentsModel(self)
        self.documents = QListView()
        self.documents.setObjectName("medicalCardDocuments")
        self.documents.setAccessibleName(translate("PatientCard", "Documents of the medical card"))
        self.documents.setModel(self.model)
        self.documents.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.documents.setUniformItemSizes(True)
        self.documents.setMaximumHeight(52)
        self.documents.doubleClicked.connect(lambda ix: self.open_document(ix.row()))
        self.open_button = _button(
            translate("PatientCard", "Open"),
            "openDocumentButton",
            translate("PatientCard", "Open the selected document"),
        )
        self.open_button.clicked.connect(self._open_selected)

        head = QHBoxLayout()
        head.addWidget(self.name, 1)
        head.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        docs_head = QHBoxLayout()
        docs_head.addWidget(self.documents_title, 1)
        docs_head.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.details)
        layout.addWidget(self.reason_title)
        layout.addWidget(self.reason)
        layout.addLayout(docs_head)
        layout.addWidget(self.documents)
        self.set_contact(None)

    def set_contact(self, view: m.ContactView | None) -> None:
        self.contact = view
        person = view.person if view is not None else None
        info = view.consultation if view is not None else None
        if view is None or person is None:
            self.name.setText(
                translate("PatientCard", "No consultation.")
                if view is None
                else translate("PatientCard", "The person is not identified.")
            )
            self.details.clear()
            self.badge.hide()
        else:
            self.name.setText(f"<span style='font-size:15px'><b>{full_name(person)}</b></span>")
            word, colour = policy_badge(person.policy_status)
            self.badge.setText(word)
            self.badge.setStyleSheet(
                f"background: {colour.name()}; color: white; padding: 3px 8px; font-weight: bold;"
            )
            self.badge.show()
            lines = [
                translate("PatientCard", "born {born}, {age} years").format(
                    born=person.birth_date.strftime("%d.%m.%Y"), age=person.age
                ),
                translate("PatientCard", "policy {number}").format(
                    number=person.policy_number or "—"
                ),
            ]
            if info is not None and info.representative:
                rep = info.representative
                if info.representative_phone:
                    rep = f"{rep}, {info.representative_phone}"
                lines.append(translate("PatientCard", "representative: {who}").format(who=rep))
            elif view.caller_phone:
                lines.append(
                    translate("PatientCard", "phone: {phone}").format(phone=view.caller_phone)
                )
            if person.age < 1:
                lines.append(
                    "<span style='color:#c62828'>"
                    + translate(
                        "PatientCard",
                        "Under one year old: outside the program's age rule; advise only.",
                    )
                    + "</span>"
                )
            self.details.setText("<br>".join(lines))
        by = info.transferred_by if info is not None else None
        self.reason_title.setText(
            translate("PatientCard", "Reason, from the medconsultant {name}:").format(name=by)
            if by
            else translate("PatientCard", "Reason:")
        )
        reason = view.reason.strip() if view is not None else ""
        self.reason.setText(reason or translate("PatientCard", "The medconsultant gave none."))
        documents = list(info.documents) if info is not None else []
        self.model.set_documents(documents)
        self.documents_title.setText(
            translate("PatientCard", "Medical card, documents: {n}").format(n=len(documents))
        )
        self.open_button.setEnabled(bool(documents))

    def _open_selected(self) -> None:
        rows = self.documents.selectionModel().selectedRows()
        self.open_document(rows[0].row() if rows else 0)

    def open_document(self, row: int) -> None:
        """Images and PDFs open in a window, from memory; other files are saved where asked."""
        if not 0 <= row < len(self.model.documents):
            return
        doc = self.model.documents[row]
        title = DocumentsModel.describe(doc)
        if doc.mime in IMAGE_TYPES or doc.mime == "application/pdf":

            def show(data: bytes) -> None:
                if doc.mime == "application/pdf":
                    self.viewer = PdfViewer(data, title, self)
                else:
                    image = QImage.fromData(data)
                    if image.isNull():
                        return
                    self.viewer = ImageViewer(image, title, self)
                self.viewer.show()

            self.controller.download(doc.url, show)
            return
        path, _ = QFileDialog.getSaveFileName(
            self, translate("PatientCard", "Save the document"), doc.name
        )
        if not path:
            return

        async def save() -> None:
            data = await self.controller.client.download(doc.url)
            await asyncio.to_thread(_write, path, data)

        self.controller.run("save_document", save())


def _write(path: str, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- the conclusion


class ConclusionForm(QGroupBox):
    """The conclusion: what telemedicine may record, signed by the doctor, then End.

    ``end_requested(contact_id)`` when the doctor ends the consultation.
    """

    end_requested = Signal(str)

    def __init__(self, controller: ConsoleController, parent: QWidget | None = None) -> None:
        super().__init__(translate("ConclusionForm", "Conclusion"), parent)
        self.setObjectName("conclusionForm")
        self.controller = controller
        self.contact: m.ContactView | None = None
        self.signed: m.ConclusionView | None = None
        self.saving = False

        self.limits = QLabel(
            translate(
                "ConclusionForm",
                "Telemedicine's limits: a doctor who has not seen the patient in person for "
                "this illness makes no diagnosis, and so prescribes no prescription drugs, "
                "opens no sick leave and issues no certificates (Federal Law 323-FZ, "
                "art. 36.2). The conclusion records the complaints, the history and the "
                "recommendations, and whether an in-person visit is needed.",
            )
        )
        self.limits.setObjectName("telemedicineLimitsNote")
        self.limits.setWordWrap(True)
        self.limits.setStyleSheet(
            "#telemedicineLimitsNote { background: #e3f2fd; border: 1px solid #90caf9;"
            " border-radius: 3px; padding: 6px; color: #0d47a1; }"
        )
        self.complaints = _text_edit(
            "conclusionComplaints",
            translate("ConclusionForm", "Complaints"),
            translate("ConclusionForm", "What the patient complains of"),
            3,
        )
        self.history = _text_edit(
            "conclusionHistory",
            translate("ConclusionForm", "History"),
            translate("ConclusionForm", "How the illness began and went on; what was taken"),
            3,
        )
        self.recommendations = _text_edit(
            "conclusionRecommendations",
            translate("ConclusionForm", "Recommendations"),
            translate("ConclusionForm", "Regimen, what to watch for, when to see a doctor"),
            4,
        )
        self.in_person = QCheckBox(translate("ConclusionForm", "An in-person visit is needed"))
        self.in_person.setObjectName("conclusionInPersonVisit")
        self.in_person.setAccessibleName(translate("ConclusionForm", "In-person visit needed"))
        self.no_conclusion = QCheckBox(
            translate("ConclusionForm", "No conclusion: not enough information")
        )
        self.no_conclusion.setObjectName("conclusionNone")
        self.no_conclusion.setAccessibleName(
            translate("ConclusionForm", "No conclusion: not enough information")
        )
        self.status = QLabel()
        self.status.setObjectName("conclusionStatus")
        self.status.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("conclusionError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c;")
        self.error.hide()
        self.save_button = _button(
            translate("ConclusionForm", "Save and sign"),
            "conclusionSaveButton",
            translate("ConclusionForm", "Save and sign the conclusion"),
        )
        self.save_button.setToolTip(translate("ConclusionForm", "Ctrl+S"))
        self.save_button.setStyleSheet("padding: 5px 14px; font-weight: bold;")
        self.save_button.clicked.connect(self.save)
        self.end_button = _button(
            translate("ConclusionForm", "End consultation"),
            "doctorEndButton",
            translate("ConclusionForm", "End the consultation and hand the patient back"),
        )
        self.end_button.setStyleSheet(
            "QPushButton { background: #c62828; color: white; padding: 5px 14px; }"
            " QPushButton:disabled { background: #e0e0e0; color: #9e9e9e; }"
        )
        self.end_button.clicked.connect(self.end)
        self.pdf_button = _button(
            translate("ConclusionForm", "Preview…"),
            "conclusionPdfButton",
            translate("ConclusionForm", "Show the signed conclusion as the patient gets it"),
        )
        self.pdf_button.clicked.connect(self.show_pdf)
        self.viewer: PdfViewer | None = None

        form = QVBoxLayout(self)
        form.setSpacing(4)
        form.addWidget(self.limits)
        for title, edit in (
            (translate("ConclusionForm", "Complaints"), self.complaints),
            (translate("ConclusionForm", "History"), self.history),
            (translate("ConclusionForm", "Recommendations"), self.recommendations),
        ):
            label = QLabel(title)
            label.setBuddy(edit)
            label.setStyleSheet("font-weight: bold;")
            form.addWidget(label)
            form.addWidget(edit)
        form.addWidget(self.in_person)
        form.addWidget(self.no_conclusion)
        form.addWidget(self.error)
        form.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.end_button)
        form.addLayout(buttons)

        for edit in (self.complaints, self.history, self.recommendations):
            edit.textChanged.connect(self._update)
        for box in (self.in_person, self.no_conclusion):
            box.toggled.connect(self._update)
        controller.failed.connect(self._failed)
        self.set_contact(None)

    # -- the form's values

    def values(self) -> dict[str, Any]:
        return {
            "complaints": self.complaints.toPlainText().strip(),
            "history": self.history.toPlainText().strip(),
            "recommendations": self.recommendations.toPlainText().strip(),
            "in_person_visit": self.in_person.isChecked(),
            "no_conclusion": self.no_conclusion.isChecked(),
        }

    @property
    def dirty(self) -> bool:
        """The form differs from the signed version (or nothing is signed yet)."""
        if self.signed is None:
            return True
        s = self.signed
        return self.values() != {
            "complaints": s.complaints,
            "history": s.history,
            "recommendations": s.recommendations,
            "in_person_visit": s.in_person_visit,
            "no_conclusion": s.no_conclusion,
        }

    def problem(self) -> str:
        """Why the form cannot be signed as it is ("" when it can)."""
        v = self.values()
        if any(len(v[k]) > MAX_TEXT for k in ("complaints", "history", "recommendations")):
            return translate("ConclusionForm", "A field is longer than {n} characters.").format(
                n=MAX_TEXT
            )
        if not v["no_conclusion"] and not (v["complaints"] and v["recommendations"]):
            return translate(
                "ConclusionForm",
                "Write the complaints and the recommendations, or tick "
                "“No conclusion: not enough information”.",
            )
        return ""

    # -- the contact

    def set_contact(self, view: m.ContactView | None) -> None:
        new = view is None or self.contact is None or view.id != self.contact.id
        self.contact = view
        signed = view.consultation.conclusion if view and view.consultation else None
        if new:
            self.saving = False
            self.error.hide()
            self._fill(signed)
        self.signed = signed
        editable = view is not None and view.state in ("with_doctor", "wrap_up")
        for w in (
            self.complaints,
            self.history,
            self.recommendations,
            self.in_person,
            self.no_conclusion,
        ):
            w.setEnabled(editable)
        self._update()

    def _fill(self, signed: m.ConclusionView | None) -> None:
        self.complaints.setPlainText(signed.complaints if signed else "")
        self.history.setPlainText(signed.history if signed else "")
        self.recommendations.setPlainText(signed.recommendations if signed else "")
        self.in_person.setChecked(bool(signed and signed.in_person_visit))
        self.no_conclusion.setChecked(bool(signed and signed.no_conclusion))

    def _update(self) -> None:
        view = self.contact
        editable = view is not None and view.state in ("with_doctor", "wrap_up")
        self.save_button.setEnabled(editable and not self.saving and self.dirty)
        can_end = bool(
            view is not None
            and view.state == "with_doctor"
            and self.signed is not None
            and not self.dirty
            and not self.saving
        )
        self.end_button.setEnabled(can_end)
        self.pdf_button.setEnabled(self.signed is not None)
        if view is None:
            self.status.clear()
            self.end_button.setToolTip("")
            return
        if self.saving:
            self.status.setText(translate("ConclusionForm", "Signing…"))
        elif self.signed is None:
            self.status.setText(translate("ConclusionForm", "Not signed yet."))
        else:
            s = self.signed
            text = translate("ConclusionForm", "Signed by {doctor}, {time} (version {n}).").format(
                doctor=s.doctor_name, time=_local(s.signed_at), n=s.version
            )
            if self.dirty:
                text += " " + translate(
                    "ConclusionForm", "Changed since: save to sign a new version."
                )
            self.status.setText(text)
        if view.state != "with_doctor":
            why = translate("ConclusionForm", "The consultation is over.")
        elif self.signed is None:
            why = translate(
                "ConclusionForm", "Sign the conclusion (or that there is none) before ending."
            )
        elif self.dirty:
            why = translate("ConclusionForm", "Save the changes first: they are not signed yet.")
        else:
            why = translate("ConclusionForm", "The patient goes back to the medconsultant.")
        self.end_button.setToolTip(why)

    # -- actions

    def save(self) -> None:
        view = self.contact
        if view is None or not self.save_button.isEnabled():
            return
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        self.error.hide()
        self.saving = True
        self._update()
        contact_id = view.id

        def signed(conclusion: m.ConclusionView) -> None:
            self.saving = False
            if self.contact is not None and self.contact.id == contact_id:
                self.signed = conclusion
            self._update()

        self.controller.run(
            "save_conclusion",
            self.controller.client.save_conclusion(contact_id, **self.values()),
            signed,
        )

    def show_pdf(self) -> None:
        """The signed version's PDF, as the patient downloads it (from memory)."""
        signed = self.signed
        if signed is None:
            return
        title = translate("ConclusionForm", "Conclusion, version {n}").format(n=signed.version)

        def show(data: bytes) -> None:
            self.viewer = PdfViewer(data, title, self)
            self.viewer.show()

        self.controller.download(signed.url, show)

    def _failed(self, what: str, message: str) -> None:
        if what != "save_conclusion":
            return
        self.saving = False
        self.error.setText(message)
        self.error.show()
        self._update()

    def end(self) -> None:
        if self.contact is not None and self.end_button.isEnabled():
            self.end_button.setEnabled(False)
            self.end_requested.emit(self.contact.id)


# ---------------------------------------------------------------- the day


class DayModel(QAbstractListModel):
    """The doctor's appointments of today, by start (the hub's reply, replaced whole)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.appointments: list[m.AppointmentView] = []
        self.tz: Any = UTC
        self.now: datetime | None = None

    def set_day(self, reply: m.MyDayMsg) -> None:
        self.beginResetModel()
        self.appointments = list(reply.appointments)
        self.tz = zone(reply.timezone)
        self.now = reply.now
        self.endResetModel()

    def of_contact(self, contact_id: str) -> m.AppointmentView | None:
        """The appointment whose queue contact this is (its way to reach, its status)."""
        return next((a for a in self.appointments if a.contact_id == contact_id), None)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.appointments)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.appointments):
            return None
        a = self.appointments[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.describe(a)
        if role == Qt.ItemDataRole.ToolTipRole:
            return a.phone or ""
        if role == Qt.ItemDataRole.ForegroundRole:
            over = a.status in ("given", "not_reached", "closed_as_given", "late_cancelled")
            return QColor("#757575") if over else None
        if role == Qt.ItemDataRole.UserRole:
            return a
        return None

    def describe(self, a: m.AppointmentView) -> str:
        start, end = a.start.astimezone(self.tz), a.end.astimezone(self.tz)
        text = (
            f"{start:%H:%M}–{end:%H:%M}  {a.person_name or '—'} · {way_name(a.way)}"
            f" · {status_name(a.status)}"
        )
        if a.conclusion_id is not None:
            text += " · " + translate("DoctorDay", "conclusion signed")
        return text


class DoctorDay(QGroupBox):
    """Today's appointments of a doctor by appointment; those waiting now are in the
    queue dock. Asked for when the doctor's state changes and every minute. A duty
    doctor sees it only on a day they have appointments too."""

    def __init__(self, controller: ConsoleController, parent: QWidget | None = None) -> None:
        super().__init__(translate("DoctorDay", "Today"), parent)
        self.setObjectName("doctorDay")
        self.controller = controller
        me = controller.me
        self.duty = bool(me is not None and me.on_duty)
        self.loaded = 0  # replies shown (tests wait on it)
        self.model = DayModel(self)
        self.list = QListView()
        self.list.setObjectName("doctorDayList")
        self.list.setAccessibleName(translate("DoctorDay", "Today's appointments"))
        self.list.setModel(self.model)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setUniformItemSizes(True)
        self.list.setMaximumHeight(84)
        self.empty = QLabel(translate("DoctorDay", "No appointments today."))
        self.empty.setObjectName("doctorDayEmpty")
        self.empty.setStyleSheet("color: #757575;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.empty)
        layout.addWidget(self.list)
        self._timer = QTimer(self)
        self._timer.setInterval(DAY_REFRESH_MS)
        self._timer.timeout.connect(self.reload)
        self._timer.start()
        controller.state_changed.connect(lambda *_args: self.reload())
        self._show()
        QTimer.singleShot(0, self.reload)

    def reload(self) -> None:
        self.controller.run("list_my_day", self.controller.client.list_my_day(), self.set_day)

    def set_day(self, reply: m.MyDayMsg) -> None:
        self.model.set_day(reply)
        self.loaded += 1
        self._show()

    def _show(self) -> None:
        n = self.model.rowCount()
        self.empty.setVisible(n == 0)
        self.list.setVisible(n > 0)
        self.setVisible(not self.duty or n > 0)


# ---------------------------------------------------------------- the failed call


class FailedCallRow(QWidget):
    """The "Call failed" button for an appointment's contact reached by a phone call (002):
    the hub counts the attempts and closes it as given on the last. The contact's way to
    reach comes from the doctor's day (``day``: its appointments by contact)."""

    attempted = Signal(object)  # m.AppointmentView

    def __init__(
        self, controller: ConsoleController, day: DayModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("failedCallRow")
        self.controller = controller
        self.day = day
        self.contact: m.ContactView | None = None
        self.sending = False
        self.button = _button(
            translate("FailedCallRow", "Call failed"),
            "failedCallButton",
            translate("FailedCallRow", "The phone call failed: count one more attempt"),
        )
        self.button.clicked.connect(self.failed_call)
        self.status = QLabel()
        self.status.setObjectName("failedCallStatus")
        self.status.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.status, 1)
        controller.failed.connect(self._failed)
        self.set_contact(None)

    def by_phone(self, view: m.ContactView | None) -> bool:
        """An appointment's contact whose agreed way is a call to a phone."""
        if view is None or view.kind != "appointment":
            return False
        appt = self.day.of_contact(view.id)
        return appt is not None and appt.way in PHONE_WAYS

    def applies(self, view: m.ContactView | None) -> bool:
        """An appointment's contact, by phone, with the doctor now."""
        return view is not None and view.state == "with_doctor" and self.by_phone(view)

    def set_contact(self, view: m.ContactView | None) -> None:
        if view is None or self.contact is None or view.id != self.contact.id:
            self.status.clear()
            self.sending = False
        self.contact = view
        self.setVisible(self.by_phone(view) or bool(self.status.text()))
        self.button.setEnabled(self.applies(view) and not self.sending)

    def failed_call(self) -> None:
        view = self.contact
        if not self.applies(view) or self.sending or view is None:
            return
        self.sending = True
        self.button.setEnabled(False)
        contact_id = view.id

        def done(appt: m.AppointmentView) -> None:
            self.sending = False
            if self.contact is not None and self.contact.id == contact_id:
                self.status.setText(self.describe(appt))
            self.set_contact(self.contact)
            self.attempted.emit(appt)

        self.controller.run("failed_call", self.controller.client.failed_call(contact_id), done)

    @staticmethod
    def describe(appt: m.AppointmentView) -> str:
        if appt.status == "closed_as_given":
            return translate(
                "FailedCallRow",
                "No answer after {n} attempts: the consultation is closed as given.",
            ).format(n=appt.phone_attempts)
        return translate("FailedCallRow", "Failed call: attempt {n} of {limit}.").format(
            n=appt.phone_attempts, limit=appt.phone_attempts_limit or "?"
        )

    def _failed(self, what: str, message: str) -> None:
        if what != "failed_call":
            return
        self.sending = False
        self.status.setText(message)
        self.set_contact(self.contact)


# ---------------------------------------------------------------- the workspace


class DoctorWorkspace(QWidget):
    """The doctor's left column: the clock, the card and the conclusion (see the module)."""

    def __init__(
        self,
        controller: ConsoleController,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("doctorWorkspace")
        self.controller = controller
        self.wrapup: QWidget | None = None
        self.clock = ConsultationClock(now=now)
        self.card = PatientCard(controller)
        self.conclusion = ConclusionForm(controller)
        self.conclusion.end_requested.connect(controller.end)
        self.day = DoctorDay(controller)
        self.contact: m.ContactView | None = None
        self._asked: set[str] = set()  # appointments' contacts the day was asked again for
        self.failed_call = FailedCallRow(controller, self.day.model)
        self.failed_call.attempted.connect(lambda _appt: self.day.reload())
        self.day.model.modelReset.connect(lambda: self.failed_call.set_contact(self.contact))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.day)
        layout.addWidget(self.clock)
        layout.addWidget(self.failed_call)
        layout.addWidget(self.card)
        layout.addWidget(self.conclusion, 1)
        controller.contact_changed.connect(lambda _view: self.refresh())
        controller.contact_gone.connect(lambda _cid, _why: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self.set_contact(self.controller.current_contact())

    def set_contact(self, view: m.ContactView | None) -> None:
        self.contact = view
        self.clock.set_consultation(view)
        self.failed_call.set_contact(view)
        if (
            view is not None
            and view.kind == "appointment"
            and self.day.model.of_contact(view.id) is None
            and view.id not in self._asked
        ):
            self._asked.add(view.id)  # queued since the day was last asked for
            self.day.reload()
        self.card.set_contact(view)
        self.conclusion.set_contact(view)
        if self.wrapup is not None:
            self.wrapup.setVisible(view is not None and view.state == "wrap_up")

    def install(self, window: MainWindow) -> None:
        """Fit the main window to a doctor: the title, the queues that are theirs, the
        shortcuts (Ctrl+S signs, F9 ends through the conclusion), no medconsultant's
        actions, the clock's warnings and the hand-back in the status bar."""
        me = self.controller.me
        who = f" — {me.full_name}" if me is not None else ""
        window.setWindowTitle(translate("DoctorWorkspace", "medconsole — doctor") + who)
        if me is not None:
            mine = [f"doctor:{me.id}"]
            if me.on_duty and me.specialty:
                mine.insert(0, f"duty:{me.specialty}")
            window.summary_order = tuple(mine)
        # a medconsultant's: find by policy, send consents, transfer, book
        for action in window.findChildren(QAction):
            if action.shortcut().toString() in ("Ctrl+F", "Ctrl+K", "Ctrl+T", "Ctrl+B"):
                action.setVisible(False)
                action.setEnabled(False)
        window.call.end_button.hide()  # ending goes through the conclusion
        # the column with the conclusion wider; the chat over the (often idle) call
        window.work_split.setSizes([600, 480])
        window.media_split.setSizes([280, 520])
        for column, width in enumerate((54, 68, 72)):  # the patient's name in a narrower dock
            window.queue_view.setColumnWidth(column, width)
        window.end_action.triggered.disconnect()
        window.end_action.triggered.connect(self.conclusion.end_button.click)
        self.wrapup = window.wrapup  # only while a contact the patient left is wrapped up
        self.save_action = QAction(
            translate("DoctorWorkspace", "Save and sign the conclusion"), window
        )
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_action.triggered.connect(self.conclusion.save)
        contact_menu = window.menuBar().actions()[0].menu()
        if isinstance(contact_menu, QMenu):
            contact_menu.addSeparator()
            contact_menu.addAction(self.save_action)
        self.clock.warned.connect(lambda _phase, text: window.statusBar().showMessage(text, 30000))
        back = translate(
            "DoctorWorkspace", "The patient went back to the medconsultant for follow-up."
        )

        def gone(_contact_id: str, why: str) -> None:
            if why == "handed_back":
                window.statusBar().showMessage(back, 8000)

        self.controller.contact_gone.connect(gone)

"""Booking an appointment: the dialog, and the insured's appointments in the workspace.

:class:`BookingDialog` is the medconsultant's booking dialog: a specialty or a
doctor, the next free slots first, a calendar with the free days marked for
other days; choosing a slot holds it for 10 minutes (a countdown shows); the
booking is confirmed with the agreed way to reach the insured, whether
documents are needed first and a referral where the program asks for one. A
slot another medconsultant was faster to take is said so, and the list is
fetched again.

:class:`AppointmentsPanel` lists the insured's appointments (future and past)
in the workspace, with the "Book an appointment" button (disabled, with the
reason, until the person is identified and both consents are confirmed),
cancelling, and the transfer of an appointment's contact to the booked doctor.

Both talk to the hub only through the controller's staff client, as tasks on
the loop (``controller.run``): nothing here waits on the network in the GUI
thread, and no dialog is run modally inside a coroutine (``open()``).
"""

from __future__ import annotations

import contextlib
import time
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.client import HubCommandError
from console.views.models import header_text
from console.views.resources import QT_TRANSLATE_NOOP
from console.views.workspace import consents_missing

# lupdate reads translate("Context", "English text") calls into resources/translations
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence

    from console.protocol import messages as m
    from console.views.controller import ConsoleController

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_DISPLAY = Qt.ItemDataRole.DisplayRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
#: the role a row's object (SlotView, AppointmentView) is under
ObjectRole = Qt.ItemDataRole.UserRole + 1
ROW_HEIGHT = 24

# The hub's booking refusals (console/booking/errors.py), translated by their exact text.
BOOKING_MESSAGES = (
    QT_TRANSLATE_NOOP("HubError", "there is no such slot in the doctor's schedule"),
    QT_TRANSLATE_NOOP("HubError", "this slot has already begun: choose a later one"),
    QT_TRANSLATE_NOOP("HubError", "this slot has just been taken: choose another one"),
    QT_TRANSLATE_NOOP(
        "HubError",
        "the slot was held for 10 minutes and has been released: choose a slot again",
    ),
    QT_TRANSLATE_NOOP("HubError", "another medconsultant is booking this slot"),
    QT_TRANSLATE_NOOP("HubError", "the appointment is not in a state that allows this"),
    QT_TRANSLATE_NOOP(
        "HubError", "the consultation has started or is over: it can no longer be cancelled"
    ),
    QT_TRANSLATE_NOOP("HubError", "the appointment's time has not come yet"),
    QT_TRANSLATE_NOOP(
        "HubError", "a call needs the phone number of the insured or of the representative"
    ),
    QT_TRANSLATE_NOOP("HubError", "this consultation can be booked only on a referral"),
    QT_TRANSLATE_NOOP("HubError", "the referral is for another specialty, doctor or person"),
    QT_TRANSLATE_NOOP("HubError", "the referral is not valid on the day of the consultation"),
    QT_TRANSLATE_NOOP("HubError", "the referral has already been used"),
    QT_TRANSLATE_NOOP("HubError", "the program's consultations are used up"),
    QT_TRANSLATE_NOOP(
        "HubError", "the consultation starts only after the documents are in the medical card"
    ),
    QT_TRANSLATE_NOOP("HubError", "the appointment was changed meanwhile: look at it again"),
    QT_TRANSLATE_NOOP("HubError", "only a medconsultant books appointments"),
    QT_TRANSLATE_NOOP("HubError", "no doctor with working hours"),
    QT_TRANSLATE_NOOP("HubError", "no such appointment"),
    QT_TRANSLATE_NOOP("HubError", "no such referral"),
)

SPECIALTIES = {
    "therapist": QT_TRANSLATE_NOOP("Specialty", "Therapist"),
    "pediatrician": QT_TRANSLATE_NOOP("Specialty", "Pediatrician"),
    "cardiologist": QT_TRANSLATE_NOOP("Specialty", "Cardiologist"),
    "neurologist": QT_TRANSLATE_NOOP("Specialty", "Neurologist"),
    "endocrinologist": QT_TRANSLATE_NOOP("Specialty", "Endocrinologist"),
    "gastroenterologist": QT_TRANSLATE_NOOP("Specialty", "Gastroenterologist"),
    "dermatologist": QT_TRANSLATE_NOOP("Specialty", "Dermatologist"),
}
WAYS: tuple[tuple[str, str], ...] = (
    ("video", QT_TRANSLATE_NOOP("BookingDialog", "Video call on the platform")),
    ("audio", QT_TRANSLATE_NOOP("BookingDialog", "Audio call on the platform")),
    ("chat", QT_TRANSLATE_NOOP("BookingDialog", "Chat on the platform")),
    ("insured_phone", QT_TRANSLATE_NOOP("BookingDialog", "Call to the insured's mobile phone")),
    (
        "representative_phone",
        QT_TRANSLATE_NOOP("BookingDialog", "Call to the representative's mobile phone"),
    ),
)
STATUSES = {
    "held": QT_TRANSLATE_NOOP("Appointment", "being booked"),
    "released": QT_TRANSLATE_NOOP("Appointment", "released"),
    "booked": QT_TRANSLATE_NOOP("Appointment", "booked"),
    "cancelled": QT_TRANSLATE_NOOP("Appointment", "cancelled"),
    "late_cancelled": QT_TRANSLATE_NOOP("Appointment", "cancelled late"),
    "waiting": QT_TRANSLATE_NOOP("Appointment", "waiting now"),
    "in_progress": QT_TRANSLATE_NOOP("Appointment", "with the doctor"),
    "given": QT_TRANSLATE_NOOP("Appointment", "given"),
    "not_reached": QT_TRANSLATE_NOOP("Appointment", "not reached"),
    "closed_as_given": QT_TRANSLATE_NOOP("Appointment", "closed as given"),
}
WEEKDAYS = (
    QT_TRANSLATE_NOOP("Weekday", "Mon"),
    QT_TRANSLATE_NOOP("Weekday", "Tue"),
    QT_TRANSLATE_NOOP("Weekday", "Wed"),
    QT_TRANSLATE_NOOP("Weekday", "Thu"),
    QT_TRANSLATE_NOOP("Weekday", "Fri"),
    QT_TRANSLATE_NOOP("Weekday", "Sat"),
    QT_TRANSLATE_NOOP("Weekday", "Sun"),
)
_GREEN = QColor("#2e7d32")
_RED = "#b71c1c"


def specialty_name(specialty: str) -> str:
    return translate("Specialty", SPECIALTIES[specialty]) if specialty in SPECIALTIES else specialty


def way_name(way: str | None) -> str:
    return next((translate("BookingDialog", text) for w, text in WAYS if w == way), way or "")


def status_name(status: str) -> str:
    return translate("Appointment", STATUSES[status]) if status in STATUSES else status


def local_day(when: datetime, tz: ZoneInfo) -> str:
    """``Mon 23.11.2026`` in the call center's time, the weekday in the user's language."""
    local = when.astimezone(tz)
    return f"{translate('Weekday', WEEKDAYS[local.weekday()])} {local:%d.%m.%Y}"


def short_name(full_name: str) -> str:
    """ "Волков А. П." of "Волков Андрей Петрович" (a list's width)."""
    surname, *rest = full_name.split() or [""]
    return " ".join([surname, *(f"{part[0]}." for part in rest if part)])


def hub_message(exc: HubCommandError) -> str:
    return QCoreApplication.translate("HubError", exc.message)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError):  # an unknown zone: show UTC rather than nothing
        return ZoneInfo("UTC")


_zone = zone


def _button(text: str, name: str, accessible: str) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setAccessibleName(accessible)
    return b


def _table(name: str, accessible: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # widths fit
    return view


# ---------------------------------------------------------------------- models


class SlotsModel(QAbstractTableModel):
    """Free slots as the hub listed them (a reply, replaced whole), earliest first."""

    HEADERS = (
        QT_TRANSLATE_NOOP("SlotsModel", "Day"),
        QT_TRANSLATE_NOOP("SlotsModel", "Time"),
        QT_TRANSLATE_NOOP("SlotsModel", "Doctor"),
        QT_TRANSLATE_NOOP("SlotsModel", "Specialty"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slots: list[m.SlotView] = []
        self.names: dict[int, str] = {}
        self.tz = ZoneInfo("UTC")

    def set_slots(self, slots: Sequence[m.SlotView], names: dict[int, str], tz: ZoneInfo) -> None:
        self.beginResetModel()
        self.slots = list(slots)
        self.names = dict(names)
        self.tz = tz
        self.endResetModel()

    def slot(self, row: int) -> m.SlotView:
        return self.slots[row]

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.slots)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        return header_text("SlotsModel", self.HEADERS, section, orientation, role)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.slots):
            return None
        s = self.slots[index.row()]
        if role == ObjectRole:
            return s
        if role != _DISPLAY:
            return None
        col = index.column()
        if col == 0:
            return local_day(s.start, self.tz)
        if col == 1:
            return f"{s.start.astimezone(self.tz):%H:%M}–{s.end.astimezone(self.tz):%H:%M}"
        if col == 2:
            return self.names.get(s.doctor_id, "")
        return specialty_name(s.specialty)


class AppointmentsModel(QAbstractTableModel):
    """An insured's appointments, by start (a reply, replaced whole)."""

    HEADERS = (
        QT_TRANSLATE_NOOP("AppointmentsModel", "When"),
        QT_TRANSLATE_NOOP("AppointmentsModel", "Doctor"),
        QT_TRANSLATE_NOOP("AppointmentsModel", "Status"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.appointments: list[m.AppointmentView] = []
        self.tz = ZoneInfo("UTC")
        self.now: datetime | None = None

    def set_appointments(
        self, appointments: Sequence[m.AppointmentView], tz: ZoneInfo, now: datetime | None
    ) -> None:
        self.beginResetModel()
        self.appointments = list(appointments)
        self.tz = tz
        self.now = now
        self.endResetModel()

    def appointment(self, row: int) -> m.AppointmentView:
        return self.appointments[row]

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.appointments)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        return header_text("AppointmentsModel", self.HEADERS, section, orientation, role)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.appointments):
            return None
        a = self.appointments[index.row()]
        if role == ObjectRole:
            return a
        if role == _FOREGROUND:
            past = self.now is not None and a.end <= self.now
            if a.status in ("cancelled", "late_cancelled", "not_reached") or past:
                return QBrush(QColor("#757575"))
            return None
        if role == _TOOLTIP:
            return f"{a.doctor_name} ({specialty_name(a.specialty)}) · {way_name(a.way)}"
        if role != _DISPLAY:
            return None
        col = index.column()
        if col == 0:
            local = a.start.astimezone(self.tz)
            return f"{translate('Weekday', WEEKDAYS[local.weekday()])} {local:%d.%m %H:%M}"
        if col == 1:
            return f"{short_name(a.doctor_name)}, {specialty_name(a.specialty).lower()}"
        text = status_name(a.status)
        if a.documents_needed and not a.documents_ready and a.status in ("booked", "waiting"):
            text += " · " + translate("AppointmentsModel", "documents needed")
        if a.conclusion_id is not None:
            text += " · " + translate("AppointmentsModel", "conclusion")
        return text


# ---------------------------------------------------------------------- the dialog


class BookingDialog(QDialog):
    """The booking dialog for one identified person; see the module docstring.

    ``booked`` carries the new :class:`~console.protocol.messages.AppointmentView`.
    Closing it lets a hold that was not confirmed go.
    """

    booked = Signal(object)  # m.AppointmentView
    loaded = Signal(str)  # what finished loading: "slots", "days", "hold", "booking"

    def __init__(
        self,
        controller: ConsoleController,
        person: m.PersonCard,
        *,
        contact_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.client = controller.client
        self.person = person
        self.contact_id = contact_id
        self.tz = ZoneInfo("UTC")
        self.hub_now: datetime | None = None
        self.doctors: list[m.DoctorView] = []
        self.day: date | None = None  # the calendar's chosen day; None: the next free slots
        self.held: m.SlotHeld | None = None
        self.free_days: dict[date, int] = {}  # the calendar's month shown
        self._hold_ends = 0.0  # time.monotonic() when the hold runs out
        self._pending = 0
        self._closing = False
        self.setObjectName("bookingDialog")
        self.setWindowTitle(
            translate("BookingDialog", "Book an appointment — {name}").format(
                name=f"{person.surname} {person.name} {person.patronymic}".strip()
            )
        )

        # -- what to look for
        self.specialty = QComboBox()
        self.specialty.setObjectName("specialtyCombo")
        self.specialty.setAccessibleName(translate("BookingDialog", "Specialty"))
        self.doctor = QComboBox()
        self.doctor.setObjectName("doctorCombo")
        self.doctor.setAccessibleName(translate("BookingDialog", "Doctor"))
        self.specialty.addItem(translate("BookingDialog", "Any specialty"), None)
        self.doctor.addItem(translate("BookingDialog", "Any doctor"), None)
        self.specialty.currentIndexChanged.connect(self._specialty_changed)
        self.doctor.currentIndexChanged.connect(lambda _i: self.reload())
        filters = QHBoxLayout()
        filters.addWidget(QLabel(translate("BookingDialog", "Specialty")))
        filters.addWidget(self.specialty, 1)
        filters.addSpacing(12)
        filters.addWidget(QLabel(translate("BookingDialog", "Doctor")))
        filters.addWidget(self.doctor, 2)

        # -- the slots, and the calendar for other days
        self.slots_model = SlotsModel(self)
        self.slots_view = _table("slotsView", translate("BookingDialog", "Free slots"))
        self.slots_view.setModel(self.slots_model)
        for col, width in ((0, 112), (1, 96), (2, 230)):
            self.slots_view.setColumnWidth(col, width)
        self.slots_view.doubleClicked.connect(lambda _ix: self.hold_current())
        self.slots_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.slots_title = QLabel()
        self.slots_title.setObjectName("slotsTitle")
        self.slots_title.setStyleSheet("font-weight: bold;")
        self.next_button = _button(
            translate("BookingDialog", "Next free slots"),
            "nextSlotsButton",
            translate("BookingDialog", "Show the next free slots"),
        )
        self.next_button.clicked.connect(self.show_next)
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("bookingCalendar")
        self.calendar.setAccessibleName(translate("BookingDialog", "Calendar of free days"))
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setMinimumWidth(300)
        self.calendar.clicked.connect(self._day_chosen)
        self.calendar.currentPageChanged.connect(self.load_days)
        self.calendar_note = QLabel(
            translate("BookingDialog", "Days with free slots are in bold green.")
        )
        self.calendar_note.setObjectName("calendarNote")
        self.calendar_note.setWordWrap(True)
        self.calendar_note.setStyleSheet("color: #616161;")

        slots_box = QVBoxLayout()
        head = QHBoxLayout()
        head.addWidget(self.slots_title, 1)
        head.addWidget(self.next_button)
        slots_box.addLayout(head)
        slots_box.addWidget(self.slots_view, 1)
        cal_box = QVBoxLayout()
        cal_box.addWidget(self.calendar)
        cal_box.addWidget(self.calendar_note)
        cal_box.addStretch(1)
        middle = QHBoxLayout()
        middle.addLayout(slots_box, 3)
        middle.addLayout(cal_box, 2)

        self.hold_button = _button(
            translate("BookingDialog", "Hold this slot"),
            "holdSlotButton",
            translate("BookingDialog", "Hold the chosen slot for 10 minutes"),
        )
        self.hold_button.setDefault(True)
        self.hold_button.clicked.connect(self.hold_current)

        # -- the held slot, and what the booking records
        self.held_box = QGroupBox(translate("BookingDialog", "Booking"))
        self.held_box.setObjectName("heldBox")
        self.held_label = QLabel(translate("BookingDialog", "Choose a slot and hold it."))
        self.held_label.setObjectName("heldSlot")
        self.held_label.setWordWrap(True)
        self.countdown = QLabel()
        self.countdown.setObjectName("holdCountdown")
        self.countdown.setAccessibleName(translate("BookingDialog", "Time left on the hold"))
        self.countdown.setStyleSheet("font-weight: bold; color: #1565c0;")
        self.way = QComboBox()
        self.way.setObjectName("wayCombo")
        self.way.setAccessibleName(translate("BookingDialog", "How the insured will be reached"))
        for value, text in WAYS:
            self.way.addItem(translate("BookingDialog", text), value)
        self.way.currentIndexChanged.connect(self._way_changed)
        self.phone = QComboBox()
        self.phone.setObjectName("phoneCombo")
        self.phone.setAccessibleName(translate("BookingDialog", "Phone to call"))
        self.phone.setEditable(True)
        self.phone.setMinimumContentsLength(18)
        self.documents = QCheckBox(
            translate("BookingDialog", "Documents must be in the medical card first")
        )
        self.documents.setObjectName("documentsCheck")
        self.documents.setAccessibleName(translate("BookingDialog", "Documents needed first"))
        self.referral = QComboBox()
        self.referral.setObjectName("referralCombo")
        self.referral.setAccessibleName(translate("BookingDialog", "Referral"))
        self.referral.currentIndexChanged.connect(lambda _i: self._update_buttons())
        self.referral_note = QLabel()
        self.referral_note.setObjectName("referralNote")
        self.referral_note.setWordWrap(True)
        self.quota = QLabel()
        self.quota.setObjectName("quotaLeft")
        self.confirm_button = _button(
            translate("BookingDialog", "Confirm the booking"),
            "confirmBookingButton",
            translate("BookingDialog", "Confirm the booking of the held slot"),
        )
        self.confirm_button.setStyleSheet("padding: 6px 14px; font-weight: bold;")
        self.confirm_button.clicked.connect(self.confirm)
        self.release_button = _button(
            translate("BookingDialog", "Let the slot go"),
            "releaseHoldButton",
            translate("BookingDialog", "Release the held slot"),
        )
        self.release_button.clicked.connect(self.release)
        form = QFormLayout()
        form.addRow(translate("BookingDialog", "How to reach"), self.way)
        form.addRow(translate("BookingDialog", "Phone"), self.phone)
        form.addRow("", self.documents)
        form.addRow(translate("BookingDialog", "Referral"), self.referral)
        form.addRow("", self.referral_note)
        held_top = QHBoxLayout()
        held_top.addWidget(self.held_label, 1)
        held_top.addWidget(self.countdown)
        held_buttons = QHBoxLayout()
        held_buttons.addWidget(self.quota, 1)
        held_buttons.addWidget(self.release_button)
        held_buttons.addWidget(self.confirm_button)
        held_layout = QVBoxLayout(self.held_box)
        held_layout.addLayout(held_top)
        held_layout.addLayout(form)
        held_layout.addLayout(held_buttons)

        self.status = QLabel()
        self.status.setObjectName("bookingStatus")
        self.status.setAccessibleName(translate("BookingDialog", "Booking status"))
        self.status.setWordWrap(True)
        self.close_button = _button(
            translate("BookingDialog", "Close"),
            "closeBookingButton",
            translate("BookingDialog", "Close the booking dialog"),
        )
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(middle, 1)
        hold_row = QHBoxLayout()
        hold_row.addStretch(1)
        hold_row.addWidget(self.hold_button)
        layout.addLayout(hold_row)
        layout.addWidget(self.held_box)
        layout.addLayout(bottom)

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        controller.failed.connect(self._failed)
        self._show_hold(None)
        self.resize(1000, 700)
        self.reload(first=True)

    # ------------------------------------------------------------ talking to the hub

    def _call(
        self,
        what: str,
        coro: Awaitable[Any],
        done: Callable[[Any], None],
        refused: Callable[[HubCommandError], None] | None = None,
    ) -> None:
        """Run a command on the loop; a refusal by the hub comes back here, with its code."""

        async def go() -> tuple[bool, Any]:
            try:
                return True, await coro
            except HubCommandError as exc:
                return False, exc

        def settle(result: tuple[bool, Any]) -> None:
            self._busy(-1)
            if self._closing:
                return
            ok, value = result
            if ok:
                done(value)
            elif refused is not None:
                refused(value)
            else:
                self.say(hub_message(value), error=True)

        self._busy(+1)
        self.controller.run(f"booking.{what}", go(), settle)

    def _busy(self, delta: int) -> None:
        self._pending = max(0, self._pending + delta)
        if self._pending:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def _failed(self, what: str, message: str) -> None:
        if what.startswith("booking."):
            self._busy(-1)
            self.say(message, error=True)

    def say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {_RED};" if error else "color: #2e7d32;")

    def _filters(self) -> dict[str, Any]:
        return {"specialty": self.specialty.currentData(), "doctor_id": self.doctor.currentData()}

    def reload(self, *, first: bool = False) -> None:
        """The slots (of the chosen day, or the next free) and the calendar's month again."""
        self.slots_title.setText(translate("BookingDialog", "Loading free slots…"))
        self._call(
            "slots",
            self.client.list_slots(day=self.day, limit=200 if self.day else 12, **self._filters()),
            lambda reply: self._show_slots(reply, first=first),
        )
        if not first:
            self.load_days(self.calendar.yearShown(), self.calendar.monthShown())

    def show_next(self) -> None:
        self.day = None
        self.reload()

    def load_days(self, year: int, month: int) -> None:
        self._call(
            "days",
            self.client.list_free_days(year, month, **self._filters()),
            self._show_days,
        )

    def _show_slots(self, reply: m.SlotsMsg, *, first: bool) -> None:
        self.tz = _zone(reply.timezone)
        self.hub_now = reply.now
        if first or not self.doctors:
            self._set_doctors(reply.doctors)
        names = {d.id: d.full_name for d in self.doctors}
        self.slots_model.set_slots(reply.slots, names, self.tz)
        if reply.slots:
            self.slots_view.selectRow(0)
        if self.day is None:
            title = translate("BookingDialog", "Next free slots")
        else:
            title = translate("BookingDialog", "Free slots on {day}").format(
                day=self.day.strftime("%d.%m.%Y")
            )
        if not reply.slots:
            title += " — " + translate("BookingDialog", "none")
        self.slots_title.setText(title)
        self.next_button.setVisible(self.day is not None)  # back from a calendar day
        if first:
            today = reply.now.astimezone(self.tz).date()
            self.calendar.setMinimumDate(QDate(today.year, today.month, today.day))
            self.calendar.setSelectedDate(QDate(today.year, today.month, today.day))
            self.load_days(self.calendar.yearShown(), self.calendar.monthShown())
        self._update_buttons()
        self.loaded.emit("slots")

    def _set_doctors(self, doctors: Sequence[m.DoctorView]) -> None:
        self.doctors = sorted(doctors, key=lambda d: (specialty_name(d.specialty), d.full_name))
        self.specialty.blockSignals(True)
        chosen = self.specialty.currentData()
        self.specialty.clear()
        self.specialty.addItem(translate("BookingDialog", "Any specialty"), None)
        for sp in dict.fromkeys(d.specialty for d in self.doctors):
            self.specialty.addItem(specialty_name(sp), sp)
        found = self.specialty.findData(chosen)
        self.specialty.setCurrentIndex(max(found, 0))
        self.specialty.blockSignals(False)
        self._fill_doctors()

    def _fill_doctors(self) -> None:
        sp = self.specialty.currentData()
        chosen = self.doctor.currentData()
        self.doctor.blockSignals(True)
        self.doctor.clear()
        self.doctor.addItem(translate("BookingDialog", "Any doctor"), None)
        for d in self.doctors:
            if sp is None or d.specialty == sp:
                self.doctor.addItem(f"{d.full_name} — {specialty_name(d.specialty)}", d.id)
        found = self.doctor.findData(chosen)
        self.doctor.setCurrentIndex(max(found, 0))
        self.doctor.blockSignals(False)

    def _specialty_changed(self, _index: int) -> None:
        self._fill_doctors()
        self.reload()

    def choose(self, *, specialty: str | None = None, doctor_id: int | None = None) -> None:
        """Choose by specialty and/or doctor, as the combo boxes do (tests, shortcuts)."""
        if specialty is not None:
            self.specialty.setCurrentIndex(max(self.specialty.findData(specialty), 0))
        if doctor_id is not None:
            self.doctor.setCurrentIndex(max(self.doctor.findData(doctor_id), 0))

    def _show_days(self, reply: m.FreeDaysMsg) -> None:
        if (reply.year, reply.month) != (self.calendar.yearShown(), self.calendar.monthShown()):
            return  # the user has paged on meanwhile
        free = QTextCharFormat()
        free.setFontWeight(QFont.Weight.Bold)
        free.setForeground(QBrush(QColor("#ffffff")))
        free.setBackground(QBrush(_GREEN))
        none = QTextCharFormat()
        none.setForeground(QBrush(QColor("#9e9e9e")))
        for d in reply.days:
            fmt = QTextCharFormat(free if d.free else none)
            if d.free:
                fmt.setToolTip(translate("BookingDialog", "{n} free slots").format(n=d.free))
            self.calendar.setDateTextFormat(QDate(d.day.year, d.day.month, d.day.day), fmt)
        self.free_days = {d.day: d.free for d in reply.days}
        self.loaded.emit("days")

    def _day_chosen(self, qd: QDate) -> None:
        self.day = date(qd.year(), qd.month(), qd.day())
        self.reload()

    # ------------------------------------------------------------ holding and booking

    def current_slot(self) -> m.SlotView | None:
        rows = self.slots_view.selectionModel().selectedRows()
        return self.slots_model.slot(rows[0].row()) if rows else None

    def hold_current(self) -> None:
        slot = self.current_slot()
        if slot is None:
            return
        self.hold_button.setEnabled(False)
        self.say(translate("BookingDialog", "Holding the slot…"))
        self._call(
            "hold",
            self.client.hold_slot(
                self.person.person_id, slot.doctor_id, slot.start, contact_id=self.contact_id
            ),
            self._show_hold,
            self._hold_refused,
        )

    def _hold_refused(self, exc: HubCommandError) -> None:
        self.say(hub_message(exc), error=True)
        if exc.code in ("slot_taken", "slot_in_past"):
            self.reload()  # the fresh list, without the slot somebody took
        self._update_buttons()

    def _show_hold(self, held: m.SlotHeld | None) -> None:
        self.held = held
        on = held is not None
        for w in (self.way, self.documents, self.confirm_button, self.release_button):
            w.setEnabled(on)
        if held is None:
            self._timer.stop()
            self.countdown.clear()
            self.held_label.setText(translate("BookingDialog", "Choose a slot and hold it."))
            self.referral.clear()
            self.referral.setEnabled(False)
            self.referral_note.clear()
            self.quota.clear()
            self.phone.clear()
            self.phone.setEnabled(False)
            self._update_buttons()
            return
        a = held.appointment
        left = ((a.hold_expires_at or held.now) - held.now).total_seconds()
        self._hold_ends = time.monotonic() + max(0.0, left)
        self.held_label.setText(
            translate("BookingDialog", "<b>{day}, {time}</b> · {doctor} ({specialty})").format(
                day=local_day(a.start, self.tz),
                time=f"{a.start.astimezone(self.tz):%H:%M}",
                doctor=a.doctor_name,
                specialty=specialty_name(a.specialty),
            )
        )
        self.referral.blockSignals(True)
        self.referral.clear()
        self.referral.addItem(translate("BookingDialog", "No referral"), None)
        for r in held.referrals:
            to = specialty_name(r.specialty)
            if r.doctor_name:
                to = f"{r.doctor_name} ({to})"
            parts = [
                to,
                translate("BookingDialog", "issued {day}").format(
                    day=r.issued_on.strftime("%d.%m.%Y")
                ),
            ]
            if r.valid_until:
                parts.append(
                    translate("BookingDialog", "valid until {day}").format(
                        day=r.valid_until.strftime("%d.%m.%Y")
                    )
                )
            self.referral.addItem(" · ".join(parts), r.id)
        if held.referral_required and held.referrals:
            self.referral.setCurrentIndex(1)
        self.referral.blockSignals(False)
        self.referral.setEnabled(bool(held.referrals))
        if held.referral_required and not held.referrals:
            self.referral_note.setText(
                translate(
                    "BookingDialog",
                    "The insured's program books this specialty only on a referral, "
                    "and they have none for it: a therapist's referral is needed first.",
                )
            )
            self.referral_note.setStyleSheet(f"color: {_RED};")
        elif held.referral_required:
            self.referral_note.setText(
                translate("BookingDialog", "The program books this specialty only on a referral.")
            )
            self.referral_note.setStyleSheet("color: #616161;")
        else:
            self.referral_note.clear()
        if held.quota_left is None:
            self.quota.setText(translate("BookingDialog", "The program has no quota."))
        else:
            self.quota.setText(
                translate("BookingDialog", "Consultations left under the program: {n}").format(
                    n=held.quota_left
                )
            )
        self._way_changed()
        self._timer.start()
        self._tick()
        self.say(
            translate("BookingDialog", "The slot is held for you: agree the details and confirm.")
        )
        self.confirm_button.setFocus()
        self._update_buttons()
        self.reload()  # the held slot leaves the free ones: it is in the booking box now
        self.loaded.emit("hold")

    def _way_changed(self, _index: int = 0) -> None:
        held = self.held
        way = self.way.currentData()
        phones: list[str] = []
        if held is not None:
            if way == "representative_phone":
                phones = held.representative_phones
            elif way == "insured_phone":
                phones = held.insured_phones
        by_phone = way in ("insured_phone", "representative_phone")
        self.phone.clear()
        self.phone.addItems(phones)
        self.phone.setEnabled(held is not None and by_phone)
        editor = self.phone.lineEdit()
        if editor is not None:
            editor.setPlaceholderText(
                translate("BookingDialog", "8 (9xx) xxx-xx-xx") if by_phone else ""
            )
        self._update_buttons()

    def _tick(self) -> None:
        if self.held is None:
            return
        left = int(self._hold_ends - time.monotonic())
        if left <= 0:
            self._timer.stop()
            self.countdown.setText(translate("BookingDialog", "The hold has run out"))
            self.countdown.setStyleSheet(f"font-weight: bold; color: {_RED};")
            self.confirm_button.setEnabled(False)
            return
        self.countdown.setText(
            translate("BookingDialog", "Held for {t}").format(t=f"{left // 60:02d}:{left % 60:02d}")
        )
        colour = _RED if left < 60 else "#1565c0"
        self.countdown.setStyleSheet(f"font-weight: bold; color: {colour};")

    def blocked_reason(self) -> str:
        """Why the held slot cannot be confirmed yet ("" when it can)."""
        held = self.held
        if held is None:
            return translate("BookingDialog", "Hold a slot first.")
        if held.referral_required and self.referral.currentData() is None:
            return translate("BookingDialog", "Choose the referral.")
        way = self.way.currentData()
        if way in ("insured_phone", "representative_phone") and not self.phone.currentText():
            return translate("BookingDialog", "Give the phone to call.")
        if held.quota_left == 0:
            return translate("BookingDialog", "The program's consultations are used up.")
        return ""

    def _update_buttons(self, *_args: Any) -> None:
        self.hold_button.setEnabled(self.current_slot() is not None)
        reason = self.blocked_reason() if self.held is not None else ""
        self.confirm_button.setEnabled(
            self.held is not None and not reason and self._hold_ends > time.monotonic()
        )
        self.confirm_button.setToolTip(reason)

    def confirm(self) -> None:
        held = self.held
        if held is None or self.blocked_reason():
            return
        way = self.way.currentData()
        phone = self.phone.currentText().strip() if self.phone.isEnabled() else None
        self.confirm_button.setEnabled(False)
        self.say(translate("BookingDialog", "Booking…"))
        self._call(
            "confirm",
            self.client.confirm_booking(
                held.appointment.id,
                way,
                phone=phone or None,
                documents_needed=self.documents.isChecked(),
                referral_id=self.referral.currentData(),
            ),
            self._booked,
            self._confirm_refused,
        )

    def _confirm_refused(self, exc: HubCommandError) -> None:
        self.say(hub_message(exc), error=True)
        if exc.code in ("hold_expired", "not_your_hold", "slot_taken"):
            self._show_hold(None)
            self.reload()
        else:
            self._update_buttons()

    def _booked(self, appt: m.AppointmentView) -> None:
        self.held = None
        self._show_hold(None)
        self.say(
            translate(
                "BookingDialog", "Booked: {day}, {time}, {doctor}. The SMS has been sent."
            ).format(
                day=local_day(appt.start, self.tz),
                time=f"{appt.start.astimezone(self.tz):%H:%M}",
                doctor=appt.doctor_name,
            )
        )
        self.booked.emit(appt)
        self.reload()
        self.loaded.emit("booking")

    def release(self) -> None:
        held = self.held
        if held is None:
            return
        self._show_hold(None)
        self._call(
            "release",
            self.client.release_hold(held.appointment.id),
            lambda _r: self.say(translate("BookingDialog", "The slot is free again.")),
        )

    def done(self, result: int) -> None:
        """Closing lets an unconfirmed hold go (the hub would after 10 minutes anyway)."""
        held, self.held = self.held, None
        self._timer.stop()
        if held is not None:
            self.controller.run("booking.release", self.client.release_hold(held.appointment.id))
        self._closing = True
        with contextlib.suppress(RuntimeError, TypeError):
            self.controller.failed.disconnect(self._failed)
        super().done(result)


# ---------------------------------------------------------------------- the workspace panel


class AppointmentsPanel(QGroupBox):
    """The insured's appointments, and booking, cancelling, the booked doctor."""

    transfer_requested = Signal(str, str)  # contact id, target queue ("doctor:<id>")
    loaded = Signal()

    def __init__(self, controller: ConsoleController, parent: QWidget | None = None) -> None:
        super().__init__(translate("AppointmentsPanel", "Appointments"), parent)
        self.setObjectName("appointmentsPanel")
        self.controller = controller
        self.contact: m.ContactView | None = None
        self.person_id: int | None = None
        self.dialog: BookingDialog | None = None
        self.model = AppointmentsModel(self)
        self.view = _table(
            "appointmentsView", translate("AppointmentsPanel", "The insured's appointments")
        )
        self.view.setModel(self.model)
        for col, width in ((0, 118), (1, 180)):
            self.view.setColumnWidth(col, width)
        self.view.setMinimumHeight(ROW_HEIGHT * 3 + 6)
        self.view.setMaximumHeight(ROW_HEIGHT * 5 + 6)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.summary = QLabel()
        self.summary.setObjectName("appointmentsSummary")
        self.summary.setWordWrap(True)
        self.blocked = QLabel()
        self.blocked.setObjectName("bookBlockedReason")
        self.blocked.setWordWrap(True)
        self.blocked.setStyleSheet(f"color: {_RED};")
        self.book_button = _button(
            translate("AppointmentsPanel", "Book an appointment"),
            "bookButton",
            translate("AppointmentsPanel", "Book an appointment with a doctor"),
        )
        self.book_button.setStyleSheet("padding: 6px 14px; font-weight: bold;")
        self.book_button.clicked.connect(self.open_booking)
        self.cancel_button = _button(
            translate("AppointmentsPanel", "Cancel…"),
            "cancelAppointmentButton",
            translate("AppointmentsPanel", "Cancel the selected appointment"),
        )
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.documents_button = _button(
            translate("AppointmentsPanel", "Documents are in"),
            "documentsInButton",
            translate("AppointmentsPanel", "The documents are in the medical card"),
        )
        self.documents_button.clicked.connect(self.documents_in)
        self.to_doctor_button = _button(
            translate("AppointmentsPanel", "To the booked doctor"),
            "transferBookedButton",
            translate("AppointmentsPanel", "Transfer to the booked doctor"),
        )
        self.to_doctor_button.clicked.connect(self.transfer_to_booked)
        actions = QHBoxLayout()
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.documents_button)
        actions.addWidget(self.to_doctor_button)
        actions.addStretch(1)
        actions.addWidget(self.book_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        layout.addWidget(self.blocked)
        layout.addLayout(actions)
        self.set_contact(None)

    # -- contact

    def set_contact(self, view: m.ContactView | None) -> None:
        self.contact = view
        person = view.person.person_id if view is not None and view.person is not None else None
        if person != self.person_id:
            self.person_id = person
            self.model.set_appointments([], ZoneInfo("UTC"), None)
            self.summary.clear()
            if person is not None and self._operator():
                self.reload()  # (a doctor's console has no such panel: nothing read, audited)
        reason = self.blocked_reason()
        self.blocked.setText(reason)
        self.book_button.setEnabled(not reason)
        self.book_button.setToolTip(reason)
        self._update_buttons()

    def _operator(self) -> bool:
        return self.controller.me is None or self.controller.me.role == "operator"

    def blocked_reason(self) -> str:
        view = self.contact
        if view is None:
            return translate("AppointmentsPanel", "No contact.")
        if self.controller.me is not None and self.controller.me.role != "operator":
            return translate("AppointmentsPanel", "Only a medconsultant books.")
        if view.person is None:
            return translate("AppointmentsPanel", "Identify the person first.")
        if view.person.policy_status != "valid":
            return translate(
                "AppointmentsPanel", "The policy is not valid today: services cannot be given."
            )
        if consents_missing(view):
            return translate("AppointmentsPanel", "Both consents must be confirmed first.")
        if view.state != "connected":
            return translate("AppointmentsPanel", "The contact is not in conversation.")
        return ""

    def reload(self) -> None:
        if self.person_id is None:
            return
        self.summary.setText(translate("AppointmentsPanel", "Loading the appointments…"))
        person_id = self.person_id
        contact_id = self.contact.id if self.contact is not None else None

        def show(reply: m.AppointmentsMsg) -> None:
            if reply.person_id != self.person_id:
                return  # another person meanwhile
            now = reply.now
            self.model.set_appointments(reply.appointments, _zone(reply.timezone), now)
            coming = [a for a in reply.appointments if a.status in ("booked", "waiting")]
            parts = [
                translate("AppointmentsPanel", "Coming: {n}, earlier: {m}").format(
                    n=len(coming), m=len(reply.appointments) - len(coming)
                )
            ]
            if reply.quota_left is not None:
                parts.append(
                    translate("AppointmentsPanel", "consultations left: {n}").format(
                        n=reply.quota_left
                    )
                )
            usable = [r for r in reply.referrals if not r.used]
            if usable:
                parts.append(translate("AppointmentsPanel", "referrals: {n}").format(n=len(usable)))
            self.summary.setText(" · ".join(parts))
            self._update_buttons()
            self.loaded.emit()

        self.controller.run(
            "appointments",
            self.controller.client.list_appointments(person_id, contact_id=contact_id),
            show,
        )

    # -- actions

    def selected(self) -> m.AppointmentView | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.appointment(rows[0].row()) if rows else None

    def _mine(self) -> m.AppointmentView | None:
        """The appointment whose contact this is (waiting for its doctor now)."""
        if self.contact is None:
            return None
        return next(
            (
                a
                for a in self.model.appointments
                if a.contact_id == self.contact.id and a.status == "waiting"
            ),
            None,
        )

    def _update_buttons(self, *_args: Any) -> None:
        chosen = self.selected()
        operator = self.controller.me is None or self.controller.me.role == "operator"
        self.cancel_button.setEnabled(
            operator and chosen is not None and chosen.status in ("booked", "waiting")
        )
        mine = self._mine()
        needs_docs = mine is not None and mine.documents_needed and not mine.documents_ready
        self.documents_button.setVisible(needs_docs)
        self.documents_button.setEnabled(needs_docs)
        connected = self.contact is not None and self.contact.state == "connected"
        self.to_doctor_button.setVisible(mine is not None)
        self.to_doctor_button.setEnabled(
            mine is not None and connected and not needs_docs and not consents_missing(self.contact)
        )
        if mine is not None:
            tip = (
                translate(
                    "AppointmentsPanel",
                    "The consultation needs documents: they must be in the medical card first.",
                )
                if needs_docs
                else translate("AppointmentsPanel", "Transfer to {doctor}").format(
                    doctor=mine.doctor_name
                )
            )
            self.to_doctor_button.setToolTip(tip)

    def open_booking(self) -> None:
        view = self.contact
        if view is None or view.person is None or self.blocked_reason():
            return
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        dialog = BookingDialog(self.controller, view.person, contact_id=view.id, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.booked.connect(lambda _a: self.reload())
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        dialog.open()

    def _dialog_closed(self, _result: int) -> None:
        self.dialog = None

    def ask_cancel(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        box = QMessageBox(self)
        box.setObjectName("cancelAppointmentQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(translate("AppointmentsPanel", "Cancel the appointment"))
        box.setText(
            translate(
                "AppointmentsPanel",
                "Cancel the appointment of {day} {time} with {doctor}? Before the start the "
                "slot becomes free; later it counts against the program's quota.",
            ).format(
                day=local_day(chosen.start, self.model.tz),
                time=f"{chosen.start.astimezone(self.model.tz):%H:%M}",
                doctor=chosen.doctor_name,
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                self.cancel(chosen.id)

        box.finished.connect(answered)
        box.open()

    def cancel(self, appointment_id: int) -> None:
        self.controller.run(
            "cancel_appointment",
            self.controller.client.cancel_appointment(appointment_id),
            lambda _a: self.reload(),
        )

    def documents_in(self) -> None:
        mine = self._mine()
        if mine is not None:
            self.controller.run(
                "documents_in",
                self.controller.client.documents_in(mine.id),
                lambda _a: self.reload(),
            )

    def transfer_to_booked(self) -> None:
        mine = self._mine()
        if mine is not None and self.contact is not None:
            self.to_doctor_button.setEnabled(False)
            self.transfer_requested.emit(self.contact.id, f"doctor:{mine.doctor_id}")

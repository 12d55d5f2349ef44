"""The medconsultant's main window: the queue, the offer, the contact workspace, the status bar."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.protocol import messages as m
from console.views.booking import AppointmentsPanel
from console.views.callpanel import CallPanel
from console.views.chat import ChatPanel
from console.views.doctor import DoctorWorkspace
from console.views.models import QueueModel, queue_name
from console.views.offer import OfferPanel
from console.views.resources import QT_TRANSLATE_NOOP
from console.views.workspace import (
    ConsentPanel,
    IdentityPanel,
    ReasonPanel,
    TransferPanel,
    WrapUpPanel,
)

# lupdate reads translate("Context", "English text") calls into resources/translations
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QCloseEvent

    from console.views.controller import ConsoleController


STATE_LOOK: dict[str, tuple[str, str]] = {
    "offline": (QT_TRANSLATE_NOOP("MainWindow", "Offline"), "#757575"),
    "available": (QT_TRANSLATE_NOOP("MainWindow", "Available"), "#2e7d32"),
    "ringing": (QT_TRANSLATE_NOOP("MainWindow", "Ringing"), "#ef6c00"),
    "busy": (QT_TRANSLATE_NOOP("MainWindow", "In contact"), "#1565c0"),
    "wrap_up": (QT_TRANSLATE_NOOP("MainWindow", "Wrap-up"), "#6a1b9a"),
    "break": (QT_TRANSLATE_NOOP("MainWindow", "Break"), "#795548"),
    "not_responding": (QT_TRANSLATE_NOOP("MainWindow", "Not responding"), "#c62828"),
}
# the medconsultants' own queue first, then where they transfer to
SUMMARY_ORDER = ("operators", "duty:therapist", "duty:pediatrician")
#: the queue table repaints at most this often (the hub sends at most 4 views a second)
QUEUE_REPAINT_MS = 200

CONNECTION_LOOK: dict[str, tuple[str, str]] = {
    "online": (QT_TRANSLATE_NOOP("MainWindow", "Hub: connected"), "#2e7d32"),
    "connecting": (QT_TRANSLATE_NOOP("MainWindow", "Hub: connecting…"), "#ef6c00"),
    "reconnecting": (
        QT_TRANSLATE_NOOP("MainWindow", "Hub: connection lost, reconnecting…"),
        "#c62828",
    ),
    "logged_out": (QT_TRANSLATE_NOOP("MainWindow", "Hub: signed out"), "#c62828"),
    "closed": (QT_TRANSLATE_NOOP("MainWindow", "Hub: disconnected"), "#757575"),
}


class MainWindow(QMainWindow):
    """One window for a whole shift. ``closed`` fires once the window has gone."""

    closed = Signal()

    def __init__(
        self,
        controller: ConsoleController,
        *,
        settings: QSettings | None = None,
        now: Callable[[], datetime] | None = None,
        open_device_check: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.controller = controller
        self.settings = settings or QSettings("medconsole", "console")
        self._now = now or (lambda: datetime.now(UTC))
        self._open_device_check = open_device_check
        self.contact: m.ContactView | None = None
        self.staff_state = "offline"
        self.setObjectName("mainWindow")
        me = controller.me
        who = f" — {me.full_name}" if me is not None else ""
        self.setWindowTitle(translate("MainWindow", "medconsole — medconsultant") + who)

        # -- queue dock
        self.queue_model = QueueModel(self._now, self)
        self.queue_view = QTableView()
        self.queue_view.setObjectName("queueView")
        self.queue_view.setAccessibleName(translate("MainWindow", "Queue"))
        self.queue_view.setModel(self.queue_model)
        self.queue_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue_view.verticalHeader().hide()
        self.queue_view.verticalHeader().setDefaultSectionSize(24)
        self.queue_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.queue_view.horizontalHeader().setStretchLastSection(True)
        for col, width in ((0, 105), (1, 85), (2, 70), (3, 140)):
            self.queue_view.setColumnWidth(col, width)
        self.queue_summary = QLabel()
        self.queue_summary.setObjectName("queueSummary")
        self.queue_summary.setWordWrap(True)
        dock_body = QWidget()
        dock_layout = QVBoxLayout(dock_body)
        dock_layout.addWidget(self.queue_summary)
        dock_layout.addWidget(self.queue_view, 1)
        self.queue_dock = QDockWidget(translate("MainWindow", "Queue"), self)
        self.queue_dock.setObjectName("queueDock")
        self.queue_dock.setWidget(dock_body)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.queue_dock)

        # -- workspace
        self.offer_panel = OfferPanel(now=self._now)
        self.identity = IdentityPanel(controller)
        self.consent = ConsentPanel(controller)
        self.reason = ReasonPanel(controller)
        self.transfer = TransferPanel(controller)
        self.appointments = AppointmentsPanel(controller)
        self.wrapup = WrapUpPanel(controller, now=self._now)
        self.call = CallPanel(controller)
        self.chat = ChatPanel(controller)
        self.summary_order: tuple[str, ...] = SUMMARY_ORDER
        # a doctor's column: the card, the clock and the conclusion (console.views.doctor)
        is_doctor = me is not None and me.role == "doctor"
        self.doctor = DoctorWorkspace(controller, now=self._now) if is_doctor else None

        left = QWidget()
        left_layout = QVBoxLayout(left)
        panels: tuple[QWidget, ...] = (self.identity, self.consent, self.reason, self.transfer)
        for panel in ((self.doctor,) if self.doctor is not None else panels) + (self.wrapup,):
            left_layout.addWidget(panel)
        if self.doctor is None:  # a medconsultant's: a doctor's column has no booking
            left_layout.insertWidget(4, self.appointments)  # after the transfer: booking
        left_layout.addStretch(0)
        left_scroll = QScrollArea()
        left_scroll.setWidget(left)
        left_scroll.setWidgetResizable(True)
        self.media_split = QSplitter(Qt.Orientation.Vertical)
        self.media_split.setObjectName("mediaSplit")
        self.media_split.addWidget(self.call)
        self.media_split.addWidget(self.chat)
        self.work_split = QSplitter(Qt.Orientation.Horizontal)
        self.work_split.setObjectName("workSplit")
        self.work_split.addWidget(left_scroll)
        self.work_split.addWidget(self.media_split)
        self.work_split.setStretchFactor(0, 1)
        self.work_split.setStretchFactor(1, 1)
        self.work_split.setSizes([540, 430])  # the card, consents and transfer unclipped

        self.idle = QLabel(
            translate(
                "MainWindow", "No contact. Set yourself available to receive contacts (Ctrl+1)."
            )
        )
        self.idle.setObjectName("idleNote")
        self.idle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle.setStyleSheet("color: #616161; font-size: 15px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.idle)
        self.stack.addWidget(self.work_split)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.addWidget(self.offer_panel)
        central_layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        # -- status bar
        self.state_button = QToolButton()
        self.state_button.setObjectName("staffState")
        self.state_button.setAccessibleName(translate("MainWindow", "Your state"))
        self.state_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.hub_status = QLabel()
        self.hub_status.setObjectName("hubStatus")
        self.hub_status.setAccessibleName(translate("MainWindow", "Connection to the hub"))
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        bar = self.statusBar()
        bar.addPermanentWidget(self.hub_status)
        bar.addPermanentWidget(self.state_button)
        bar.addPermanentWidget(self.clock)

        self._build_menus()
        if self.doctor is not None:
            self.doctor.install(self)
        self._wire()
        self._show_state("offline", "")
        self._show_connection(controller.client.connection_state, "")
        self._queue_pending: list[m.QueueSnapshot | m.QueueDelta] = []
        self._queue_timer = QTimer(self)
        self._queue_timer.setInterval(QUEUE_REPAINT_MS)
        self._queue_timer.timeout.connect(self._apply_queue_changes)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._tick)
        self._clock_timer.start()
        self._tick()
        self.resize(1400, 860)
        # wide enough for channel, kind, wait and name without scrolling
        dock = 320 if self.doctor is not None else 430  # a doctor's queue is short
        self.resizeDocks([self.queue_dock], [dock], Qt.Orientation.Horizontal)
        self._restore_layout()
        self._show_contact(controller.current_contact())

    # ------------------------------------------------------------ menus and shortcuts

    def _action(self, menu: QMenu, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        contact = bar.addMenu(translate("MainWindow", "&Contact"))
        self.accept_action = self._action(
            contact, translate("MainWindow", "Accept"), "F5", self.offer_panel._accept
        )
        self.reject_action = self._action(
            contact, translate("MainWindow", "Reject"), "F6", self.offer_panel._reject
        )
        contact.addSeparator()
        self.mute_action = self._action(
            contact, translate("MainWindow", "Mute / unmute"), "F7", self.call.mute_button.toggle
        )
        self.hold_action = self._action(
            contact, translate("MainWindow", "Hold / resume"), "F8", self.call.hold_button.toggle
        )
        self.end_action = self._action(
            contact, translate("MainWindow", "End contact"), "F9", self.call.end_button.click
        )
        contact.addSeparator()
        self._action(
            contact, translate("MainWindow", "Find by policy"), "Ctrl+F", self._focus_policy
        )
        self._action(
            contact,
            translate("MainWindow", "Send consents"),
            "Ctrl+K",
            self.consent.send_button.click,
        )
        self._action(
            contact,
            translate("MainWindow", "Transfer to the duty doctor"),
            "Ctrl+T",
            self.transfer.button.click,
        )
        self._action(
            contact,
            translate("MainWindow", "Book an appointment…"),
            "Ctrl+B",
            self.appointments.book_button.click,
        )
        self._action(
            contact,
            translate("MainWindow", "Write to the chat"),
            "Ctrl+L",
            self.chat.input.setFocus,
        )
        self._action(
            contact,
            translate("MainWindow", "Send a file…"),
            "Ctrl+O",
            self.chat.attach_button.click,
        )
        self._action(
            contact,
            translate("MainWindow", "Finish wrap-up"),
            "Ctrl+Return",
            self.wrapup.done_button.click,
        )

        state = bar.addMenu(translate("MainWindow", "&State"))
        self.available_action = self._action(
            state,
            translate("MainWindow", "Available"),
            "Ctrl+1",
            lambda: self.controller.set_state("available"),
        )
        self.break_action = self._action(
            state, translate("MainWindow", "Break…"), "Ctrl+2", self.ask_break
        )
        self.offline_action = self._action(
            state,
            translate("MainWindow", "Offline"),
            "Ctrl+3",
            lambda: self.controller.set_state("offline"),
        )
        self.state_button.setMenu(state)

        tools = bar.addMenu(translate("MainWindow", "&Tools"))
        self._action(
            tools,
            translate("MainWindow", "Check camera and microphone…"),
            "Ctrl+D",
            self.device_check,
        )
        view = bar.addMenu(translate("MainWindow", "&View"))
        view.addAction(self.queue_dock.toggleViewAction())

    def _focus_policy(self) -> None:
        self.identity.policy.setFocus()
        self.identity.policy.selectAll()

    def ask_break(self) -> None:
        reasons = [
            translate("MainWindow", "Lunch"),
            translate("MainWindow", "Rest"),
            translate("MainWindow", "Training"),
            translate("MainWindow", "Technical problem"),
        ]
        reason, ok = QInputDialog.getItem(
            self,
            translate("MainWindow", "Break"),
            translate("MainWindow", "Reason for the break:"),
            reasons,
            0,
            True,
        )
        if ok and reason.strip():
            self.controller.set_state("break", reason.strip())

    def device_check(self) -> None:
        if self._open_device_check is not None:
            self._open_device_check()

    # ------------------------------------------------------------ events

    def _wire(self) -> None:
        c = self.controller
        c.offered.connect(self.offer_panel.show_offer)
        c.offer_withdrawn.connect(lambda cid, _r: self.offer_panel.withdraw(cid))
        self.offer_panel.accepted.connect(c.accept)
        self.offer_panel.rejected.connect(c.reject)
        c.contact_changed.connect(self._contact_changed)
        c.contact_gone.connect(self._contact_gone)
        c.state_changed.connect(self._show_state)
        c.queue_changed.connect(self._queue_changed)
        if c.client.queue is not None:  # the view so far; the signal brings what changes
            self._queue_changed(c.client.queue)
        c.connection_changed.connect(self._show_connection)
        c.failed.connect(self._failed)
        self.transfer.transfer_requested.connect(self._transfer)
        self.appointments.transfer_requested.connect(self._transfer)

    def _contact_changed(self, view: m.ContactView) -> None:
        first = self.contact is None or self.contact.id != view.id
        self._show_contact(view)
        if first and view.state == "connected":
            # everyone the phone reaches, even when the patient's page already chose one:
            # the medconsultant confirms who is calling, or picks another
            self.identity.lookup_caller()
        if view.state == "wrap_up" and self.staff_state == "wrap_up":
            self.wrapup.start(view.id, self._wrapup_until)

    def _contact_gone(self, contact_id: str, reason: str) -> None:
        if self.contact is not None and self.contact.id == contact_id:
            messages = {
                "transferred": translate("MainWindow", "The contact went to the doctor."),
                "patient_left": translate("MainWindow", "The patient left."),
                "connection_lost": translate(
                    "MainWindow", "The contact was returned to the queue."
                ),
                "moved": translate("MainWindow", "A supervisor moved the contact."),
            }
            if reason in messages:
                self.statusBar().showMessage(messages[reason], 8000)
            self._show_contact(self.controller.current_contact())

    def _show_contact(self, view: m.ContactView | None) -> None:
        self.contact = view
        for panel in (
            self.identity,
            self.consent,
            self.reason,
            self.transfer,
            self.appointments,
            self.call,
            self.chat,
        ):
            panel.set_contact(view)
        self.stack.setCurrentIndex(1 if view is not None else 0)
        if view is None:
            self.wrapup.stop()

    _wrapup_until: datetime | None = None

    def _show_state(self, state: str, reason: str, until: object = None) -> None:
        self.staff_state = state
        text, colour = STATE_LOOK.get(state, (state, "#000000"))
        label = translate("MainWindow", text)
        if state == "break" and reason:
            label = f"{label}: {reason}"
        self.state_button.setText(label)
        self.state_button.setStyleSheet(f"color: {colour}; font-weight: bold; padding: 2px 8px;")
        self._wrapup_until = until if isinstance(until, datetime) else None
        if state == "wrap_up" and self.contact is not None:
            self.wrapup.start(self.contact.id, self._wrapup_until)
        elif state != "wrap_up":
            self.wrapup.stop()
        if state == "available" and self.contact is None:
            self.idle.setText(translate("MainWindow", "Waiting for contacts…"))
        elif self.contact is None:
            self.idle.setText(
                translate(
                    "MainWindow", "No contact. Set yourself available to receive contacts (Ctrl+1)."
                )
            )

    def _show_connection(self, state: str, reason: str) -> None:
        text, colour = CONNECTION_LOOK.get(state, (state, "#000000"))
        label = translate("MainWindow", text)
        if state == "logged_out" and reason == "signed_in_elsewhere":
            label = translate("MainWindow", "Hub: signed in on another console")
        self.hub_status.setText(label)
        self.hub_status.setStyleSheet(f"color: {colour}; padding: 2px 8px;")

    def _queue_changed(self, change: m.QueueSnapshot | m.QueueDelta) -> None:
        """Keep the queue table, repainting it at most every ``QUEUE_REPAINT_MS``.

        A change applies at once if the table has not changed for that long;
        otherwise it waits (with any others) for the timer, and they apply in one
        go: one repaint of the table, however many changes. No one reads a queue
        that moves 20 times a second, and each repaint of the table costs the
        GUI thread several milliseconds.
        """
        self._queue_pending.append(change)
        if not self._queue_timer.isActive():
            self._apply_queue_changes()
            self._queue_timer.start()

    def _apply_queue_changes(self) -> None:
        pending, self._queue_pending = self._queue_pending, []
        if not pending:
            self._queue_timer.stop()  # quiet for a whole interval: the next applies at once
            return
        for change in pending:
            if isinstance(change, m.QueueDelta):
                self.queue_model.apply_delta(change.upsert, change.remove)
            else:
                self.queue_model.set_entries(change.entries)
        summaries = pending[-1].summaries
        parts = [
            translate("MainWindow", "{queue}: {waiting} waiting, longest {longest}").format(
                queue=queue_name(s.queue),
                waiting=s.waiting,
                longest=f"{int(s.longest_wait_s) // 60:02d}:{int(s.longest_wait_s) % 60:02d}",
            )
            for s in sorted(
                (s for s in summaries if s.queue in self.summary_order),
                key=lambda s: self.summary_order.index(s.queue),
            )
        ]
        self.queue_summary.setText("\n".join(parts))

    def _transfer(self, contact_id: str, target: str) -> None:
        self.reason._save.stop()
        self.controller.transfer(contact_id, target, reason=self.reason.text)

    def _failed(self, what: str, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        if what == "transfer":
            self.transfer.set_contact(self.contact)
            self.appointments.set_contact(self.contact)

    def _tick(self) -> None:
        self.clock.setText(self._now().astimezone().strftime("%H:%M:%S"))
        self.queue_model.tick()

    # ------------------------------------------------------------ layout

    def _restore_layout(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state)
        for split in (self.work_split, self.media_split):
            saved = s.value(f"window/{split.objectName()}")
            if saved is not None:
                split.restoreState(saved)

    def save_layout(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        for split in (self.work_split, self.media_split):
            s.setValue(f"window/{split.objectName()}", split.saveState())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.offer_panel.withdraw()
        super().closeEvent(event)
        self.closed.emit()

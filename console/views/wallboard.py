"""The supervisor's wallboard: the call center's numbers, live, and the day's report.

A supervisor signs in to the same console; :func:`console.views.app.open_console`
shows this window instead of the medconsultant's. The pieces:

* :class:`WallboardController` turns the staff client's ``wallboard`` events into
  a Qt signal and runs the supervisor's commands (watch the board, load a day's
  report, move a waiting contact, set someone offline) as tasks on the asyncio
  loop that qasync runs on the GUI thread, like
  :class:`~console.views.controller.ConsoleController` does for a medconsultant.
* :class:`WallboardWindow`: per queue group the numbers now / today / the last
  15 minutes, coloured by :class:`~console.views.boardmodels.Thresholds`; a
  banner and a sound when a longest wait crosses its red threshold (once per
  crossing); charts of waiting and service level over the last hours; the staff
  board with its filters and actions; the day's report with CSV export.

Updates: the hub sends a board at most once a second while anything changes.
The tables repaint from each board (their models change data in place); the
charts sample it into a bounded ring (:class:`BoardHistory`) and redraw from a
500 ms timer, only when something new came: at most twice a second, whatever
the rate of boards. Between boards a 1 s tick moves the longest waits and the
times in state on by the local clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QObject,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.views.boardmodels import (
    GROUP_ORDER,
    BoardHistory,
    LongestWaitAlarm,
    QueueBoardModel,
    ReportFilter,
    ReportModel,
    StaffBoardModel,
    StaffFilter,
    Thresholds,
    day_totals,
    group_name,
    percent,
    seconds_text,
    state_name,
)
from console.views.controller import CommandRunner, ConsoleController
from console.views.mainwindow import CONNECTION_LOOK, STATE_LOOK
from console.views.models import ObjectRole, channel_name, mmss, utcnow
from console.views.resources import QT_TRANSLATE_NOOP, RING, SOUNDS

# lupdate reads translate("Context", "English text") calls into resources/translations
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from PySide6.QtGui import QCloseEvent

    from console.client import ConnectionEvent, StaffClient
    from console.protocol import messages as m
    from console.settings import Settings

log = logging.getLogger(__name__)

ALERT = SOUNDS / "alert.wav"
#: the charts' line colours, by queue group (others take the spares in turn)
QUEUE_COLOURS = {
    "operators": "#1565c0",
    "duty:therapist": "#2e7d32",
    "duty:pediatrician": "#ef6c00",
    "appointments": "#6a1b9a",
}
_SPARE_COLOURS = ("#00838f", "#ad1457", "#5d4037", "#455a64")
#: the charts redraw at most this often (ms)
CHART_REDRAW_MS = 500
#: the charts' y ranges reach this much over their data: the legend's row sits there
LEGEND_HEADROOM = 1.2


# ---------------------------------------------------------------- the controller


class WallboardController(CommandRunner):
    """The supervisor's link to the hub: the client's events as signals, commands as tasks.

    All on the GUI thread (qasync runs the asyncio loop there). A command that
    fails becomes ``failed(what, message for the user)``; it never raises into
    Qt. The board is watched again after every ``welcome`` (a reconnect starts a
    new hub session, which watches nothing). Closing the controller stops the
    watch but not the client: whoever made the client closes it.
    """

    board_changed = Signal(object)  # m.WallboardMsg
    queue_changed = Signal(object)  # m.QueueSnapshot, if the hub sends the supervisor one
    report_loaded = Signal(object)  # m.ReportMsg
    connection_changed = Signal(str, str)  # state, reason
    moved = Signal(str, str)  # contact id, staff id
    forced_offline = Signal(str)  # staff id
    exported = Signal(str)  # the path a report was written to

    def __init__(self, client: StaffClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.board: m.WallboardMsg | None = None
        self.watching = False
        self._unsubscribe = [
            client.on("connection", self._on_connection),
            client.on("welcome", self._on_welcome),
            client.on("queue", self.queue_changed.emit),
        ]
        from console.protocol import messages as m

        self._unsubscribe.append(client.on(m.WallboardMsg, self._on_board))

    # ------------------------------------------------------------ commands

    def watch(self, on: bool = True) -> None:
        self.watching = on
        self.run("watch_wallboard", self.client.watch_wallboard(on=on))

    def load_report(self, day: date) -> None:
        self.run("report", self.client.get_report(day), self.report_loaded.emit)

    def move_contact(self, contact_id: str, staff_id: str) -> None:
        self.run(
            "move_contact",
            self.client.move_contact(contact_id, staff_id),
            lambda _: self.moved.emit(contact_id, staff_id),
        )

    def force_offline(self, staff_id: str) -> None:
        self.run(
            "force_offline",
            self.client.force_offline(staff_id),
            lambda _: self.forced_offline.emit(staff_id),
        )

    def export_csv(self, path: str, text: str) -> None:
        """Write a report's CSV to ``path`` off the GUI thread (``exported`` when done)."""

        def write() -> None:
            Path(path).write_text(text, encoding="utf-8", newline="")

        self.run("export", asyncio.to_thread(write), lambda _: self.exported.emit(path))

    # ------------------------------------------------------------ what the supervisor sees

    def waiting_contacts(self, board: m.WallboardMsg | None = None) -> list[tuple[str, str]]:
        """``(contact id, label)`` of the contacts a supervisor can move: those waiting in
        the queue view (if the hub sends the supervisor one) and those ringing at a
        staff member now (an offer is still waiting). Ids, channels and queues only."""
        out: dict[str, str] = {}
        now = datetime.now(UTC)
        snapshot = self.client.queue
        for e in snapshot.entries if snapshot is not None else ():
            wait = mmss((now - e.enqueued_at).total_seconds())
            out[e.id] = f"{e.id} · {channel_name(e.channel)} · {group_name(e.queue)} · {wait}"
        board = board or self.board
        for row in board.staff if board is not None else ():
            if row.state == "ringing" and row.contact_id and row.contact_id not in out:
                label = translate("Wallboard", "{contact} · {channel} · ringing at {name}")
                out[row.contact_id] = label.format(
                    contact=row.contact_id,
                    channel=channel_name(row.channel) if row.channel else "",
                    name=row.staff.full_name,
                )
        return list(out.items())

    # ------------------------------------------------------------ events

    def _on_board(self, msg: m.WallboardMsg) -> None:
        self.board = msg
        self.board_changed.emit(msg)

    def _on_connection(self, event: ConnectionEvent) -> None:
        self.connection_changed.emit(event.state, event.reason)

    def _on_welcome(self, _msg: m.Welcome) -> None:
        if self.watching:
            self.watch(True)

    async def close(self) -> None:
        """Stop watching (if the hub is there to hear it) and the commands; not the client."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        if self.watching and self.client.online:
            self.watching = False
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2):
                    await self.client.watch_wallboard(on=False)
        await self.wait_idle(cancel_after=5)


# ---------------------------------------------------------------- the alert's sound


class AlertSound:
    """A short alert, played once per call (silent where there is no QtMultimedia)."""

    def __init__(self, source: Path = ALERT) -> None:
        self.plays = 0
        self._effect = None
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:  # PySide6-Essentials: no sound, still a wallboard
            return
        effect = QSoundEffect()
        effect.setSource(QUrl.fromLocalFile(str(source if source.exists() else RING)))
        effect.setLoopCount(1)
        effect.setVolume(0.9)
        self._effect = effect

    @property
    def source(self) -> str:
        return self._effect.source().toLocalFile() if self._effect is not None else ""

    def play(self) -> None:
        self.plays += 1
        if self._effect is not None:
            self._effect.play()


# ---------------------------------------------------------------- the charts


class BoardCharts(QWidget):
    """Waiting per queue and the last 15 minutes' service level, over the last hours.

    Reads :class:`BoardHistory` (bounded); :meth:`mark_dirty` after a new board,
    and a timer redraws at most every :data:`CHART_REDRAW_MS`.
    """

    def __init__(self, history: BoardHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.redraws = 0
        self._dirty = False
        self.waiting_plot = self._plot(
            "waitingChart", translate("Wallboard", "Waiting now, by queue")
        )
        self.level_plot = self._plot(
            "serviceLevelChart", translate("Wallboard", "Service level, last 15 minutes, %")
        )
        self.level_plot.setYRange(0, 100 * LEGEND_HEADROOM, padding=0)
        self.level_plot.getPlotItem().getAxis("left").setTicks(
            [[(v, str(v)) for v in range(0, 101, 20)]]
        )
        self.goal_line = pg.InfiniteLine(
            pos=80,
            angle=0,
            pen=pg.mkPen("#616161", width=1, style=Qt.PenStyle.DashLine),
            label="",
            labelOpts={"position": 0.02, "color": "#424242", "anchors": [(0, 1), (0, 1)]},
        )
        self.level_plot.addItem(self.goal_line)
        self.curves: dict[str, tuple[Any, Any]] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.waiting_plot, 1)
        layout.addWidget(self.level_plot, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(CHART_REDRAW_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    def _plot(self, name: str, title: str) -> Any:
        widget = pg.PlotWidget(background="w", axisItems={"bottom": pg.DateAxisItem()})
        widget.setObjectName(name)
        widget.setAccessibleName(title)
        widget.setMinimumHeight(180)
        item = widget.getPlotItem()
        item.setTitle(title, color="#424242", size="10pt")
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setMouseEnabled(x=False, y=False)
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            axis.setPen(pg.mkPen("#9e9e9e"))
            axis.setTextPen(pg.mkPen("#424242"))
        # one row across the top, in the headroom the y ranges leave for it
        item.addLegend(
            offset=(6, 2),
            brush=pg.mkBrush(255, 255, 255, 220),
            labelTextColor="#212121",
            colCount=len(GROUP_ORDER),
            horSpacing=12,
        )
        return widget

    def _curves(self, queue: str) -> tuple[Any, Any]:
        found = self.curves.get(queue)
        if found is None:
            colour = (
                QUEUE_COLOURS.get(queue)
                or _SPARE_COLOURS[
                    len([q for q in self.curves if q not in QUEUE_COLOURS]) % len(_SPARE_COLOURS)
                ]
            )
            pen = pg.mkPen(colour, width=2)
            name = group_name(queue)
            found = (
                self.waiting_plot.plot(name=name, pen=pen, connect="finite"),
                self.level_plot.plot(name=name, pen=pen, connect="finite"),
            )
            self.curves[queue] = found
        return found

    def set_goal(self, goal: float) -> None:
        self.goal_line.setValue(100 * goal)
        self.goal_line.label.setFormat(
            translate("Wallboard", "goal {goal}").format(goal=percent(goal))
        )

    def mark_dirty(self) -> None:
        self._dirty = True

    def refresh(self) -> None:
        """Redraw from the history, if anything came since the last redraw."""
        if not self._dirty:
            return
        self._dirty = False
        self.redraws += 1
        times = np.asarray(self.history.times(), dtype=float)
        top = 0.0
        for queue in self.history.queues:
            waiting, level = self.history.series(queue)
            w, s = self._curves(queue)
            w.setData(times, np.asarray(waiting, dtype=float), connect="finite")
            s.setData(times, np.asarray(level, dtype=float), connect="finite")
            finite = [x for x in waiting if not math.isnan(x)]
            top = max(top, *finite) if finite else top
        self.waiting_plot.setYRange(0, max(5.0, top) * LEGEND_HEADROOM, padding=0)
        if len(times) > 1:
            for plot in (self.waiting_plot, self.level_plot):
                plot.setXRange(times[0], times[-1], padding=0.01)

    def points(self) -> int:
        """The most points any one line holds now (tests: the history is bounded)."""
        sizes = [
            0 if (x := c.getData()[0]) is None else len(x)
            for pair in self.curves.values()
            for c in pair
        ]
        return max(sizes, default=0)


# ---------------------------------------------------------------- the staff board


ROLE_FILTERS = (
    ("", QT_TRANSLATE_NOOP("StaffBoard", "All roles")),
    ("operator", QT_TRANSLATE_NOOP("StaffBoard", "Medconsultants")),
    ("doctor", QT_TRANSLATE_NOOP("StaffBoard", "Doctors")),
    ("supervisor", QT_TRANSLATE_NOOP("StaffBoard", "Supervisors")),
)


class StaffBoardPanel(QWidget):
    """The staff board: filters, the table, and the supervisor's two actions."""

    move_requested = Signal(object)  # m.StaffBoardRow
    offline_requested = Signal(object)  # m.StaffBoardRow

    def __init__(self, now: Callable[[], datetime] = utcnow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = StaffBoardModel(now, self)
        self.proxy = StaffFilter(self)
        self.proxy.setSourceModel(self.model)

        self.role_filter = QComboBox()
        self.role_filter.setObjectName("staffRoleFilter")
        self.role_filter.setAccessibleName(translate("StaffBoard", "Show the role"))
        for role, text in ROLE_FILTERS:
            self.role_filter.addItem(translate("StaffBoard", text), role)
        self.state_filter = QComboBox()
        self.state_filter.setObjectName("staffStateFilter")
        self.state_filter.setAccessibleName(translate("StaffBoard", "Show the state"))
        self.state_filter.addItem(translate("StaffBoard", "All states"), "")
        for state in STATE_LOOK:
            self.state_filter.addItem(state_name(state), state)
        self.count = QLabel()
        self.count.setObjectName("staffCount")

        self.view = QTableView()
        self.view.setObjectName("staffBoard")
        self.view.setAccessibleName(translate("StaffBoard", "Staff board"))
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        # who needs attention first: not responding, ringing, in contact, ... offline last
        self.view.sortByColumn(StaffBoardModel.STATE, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(26)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in ((0, 250), (1, 210), (2, 210), (3, 85), (4, 160), (5, 110), (6, 150)):
            self.view.setColumnWidth(col, width)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        self.move_button = QPushButton(translate("StaffBoard", "Move a waiting contact to…"))
        self.move_button.setObjectName("moveContactButton")
        self.move_button.setToolTip(
            translate("StaffBoard", "Offer a waiting contact to the selected staff member next")
        )
        self.offline_button = QPushButton(translate("StaffBoard", "Set offline…"))
        self.offline_button.setObjectName("setOfflineButton")
        self.offline_button.setToolTip(
            translate("StaffBoard", "For a staff member who left without signing out")
        )

        filters = QHBoxLayout()
        filters.addWidget(QLabel(translate("StaffBoard", "Staff")))
        filters.addWidget(self.role_filter)
        filters.addWidget(self.state_filter)
        filters.addWidget(self.count)
        filters.addStretch(1)
        filters.addWidget(self.move_button)
        filters.addWidget(self.offline_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)

        self.role_filter.currentIndexChanged.connect(
            lambda _: self.proxy.set_role(self.role_filter.currentData())
        )
        self.state_filter.currentIndexChanged.connect(
            lambda _: self.proxy.set_state(self.state_filter.currentData())
        )
        self.proxy.rowsInserted.connect(self._update)
        self.proxy.rowsRemoved.connect(self._update)
        self.proxy.modelReset.connect(self._update)
        self.proxy.layoutChanged.connect(self._update)
        self.proxy.dataChanged.connect(self._update)  # the selected one's state changed
        self.view.selectionModel().selectionChanged.connect(self._update)
        self.move_button.clicked.connect(self._move)
        self.offline_button.clicked.connect(self._offline)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self._update()

    def selected(self) -> m.StaffBoardRow | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        row: m.StaffBoardRow | None = rows[0].data(ObjectRole)
        return row

    def select(self, staff_id: str) -> bool:
        """Select a staff member's row (if the filters show it)."""
        source = self.model.row_of(staff_id)
        if source < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source, 0))
        if not index.isValid():
            return False
        self.view.selectRow(index.row())
        return True

    @staticmethod
    def can_move_to(row: m.StaffBoardRow | None) -> bool:
        return row is not None and row.staff.role in ("operator", "doctor") and row.online

    @staticmethod
    def can_set_offline(row: m.StaffBoardRow | None) -> bool:
        return row is not None and row.state != "offline"

    def _update(self, *_: Any) -> None:
        row = self.selected()
        self.move_button.setEnabled(self.can_move_to(row))
        self.offline_button.setEnabled(self.can_set_offline(row))
        self.count.setText(
            translate("StaffBoard", "{shown} of {total}").format(
                shown=self.proxy.rowCount(), total=self.model.rowCount()
            )
        )

    def _move(self) -> None:
        row = self.selected()
        if self.can_move_to(row):
            self.move_requested.emit(row)

    def _offline(self) -> None:
        row = self.selected()
        if self.can_set_offline(row):
            self.offline_requested.emit(row)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        self.view.selectRow(index.row())
        row = self.selected()
        menu = QMenu(self)
        menu.setObjectName("staffMenu")
        move = menu.addAction(self.move_button.text())
        move.setEnabled(self.can_move_to(row))
        move.triggered.connect(self._move)
        offline = menu.addAction(self.offline_button.text())
        offline.setEnabled(self.can_set_offline(row))
        offline.triggered.connect(self._offline)
        menu.popup(self.view.viewport().mapToGlobal(pos))


class MoveContactDialog(QDialog):
    """Choose the waiting contact to give to ``staff``; ``chosen`` holds its id after OK.

    The list has what the supervisor's console knows to be waiting; an id typed
    in (from another screen, say) is taken as well.
    """

    def __init__(
        self,
        staff: m.StaffBoardRow,
        contacts: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.staff = staff
        self.setObjectName("moveContactDialog")
        self.setWindowTitle(translate("MoveContactDialog", "Move a waiting contact"))
        note = QLabel(
            translate(
                "MoveContactDialog",
                "The contact you choose is offered to {name} next. "
                "The move is recorded in the audit log.",
            ).format(name=staff.staff.full_name)
        )
        note.setWordWrap(True)
        self.choice = QComboBox()
        self.choice.setObjectName("moveContactChoice")
        self.choice.setAccessibleName(translate("MoveContactDialog", "Waiting contact"))
        self.choice.setEditable(True)
        self.choice.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for contact_id, label in contacts:
            self.choice.addItem(label, contact_id)
        line = self.choice.lineEdit()
        if line is not None:
            line.setPlaceholderText(translate("MoveContactDialog", "Contact id"))
        if not contacts:
            self.choice.setEditText("")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.move_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.move_button.setText(translate("MoveContactDialog", "Move"))
        self.move_button.setObjectName("moveConfirmButton")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName(
            "moveCancelButton"
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.choice.editTextChanged.connect(self._check)
        self.choice.currentIndexChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.choice)
        layout.addWidget(self.buttons)
        self.resize(460, 150)
        self._check()

    @property
    def chosen(self) -> str:
        """The chosen contact's id: the listed one, or what was typed."""
        text = self.choice.currentText().strip()
        i = self.choice.findText(text)
        if i >= 0:
            return str(self.choice.itemData(i))
        return text

    def _check(self, *_: Any) -> None:
        text = self.chosen
        ok = 0 < len(text) <= 64 and all(c.isascii() and (c.isalnum() or c in "_.:-") for c in text)
        self.move_button.setEnabled(ok)


# ---------------------------------------------------------------- the day's report


class ReportPanel(QWidget):
    """A day's report: pick the day, load, read it by queue, export it as CSV."""

    def __init__(self, controller: WallboardController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = ReportModel(self)
        self.proxy = ReportFilter(self)
        self.proxy.setSourceModel(self.model)

        self.day = QDateEdit()
        self.day.setObjectName("reportDate")
        self.day.setAccessibleName(translate("ReportPanel", "Day of the report"))
        self.day.setCalendarPopup(True)
        self.day.setDate(QDate.currentDate())
        self.day.setMaximumDate(QDate.currentDate())
        self.load_button = QPushButton(translate("ReportPanel", "Load"))
        self.load_button.setObjectName("reportLoadButton")
        self.queue = QComboBox()
        self.queue.setObjectName("reportQueue")
        self.queue.setAccessibleName(translate("ReportPanel", "Queue of the report"))
        self.queue.addItem(translate("ReportPanel", "All queues"), "")
        self.queue.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.non_empty = QCheckBox(translate("ReportPanel", "Only intervals with contacts"))
        self.non_empty.setObjectName("reportNonEmpty")
        self.non_empty.setChecked(True)
        self.export_button = QPushButton(translate("ReportPanel", "Export CSV…"))
        self.export_button.setObjectName("reportExportButton")
        self.export_button.setEnabled(False)
        self.view = QTableView()
        self.view.setObjectName("reportView")
        self.view.setAccessibleName(translate("ReportPanel", "The day's report"))
        self.view.setModel(self.proxy)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        for col, width in enumerate((120, 200, 110, 110, 110, 150, 110, 130)):
            self.view.setColumnWidth(col, width)
        self.totals = QLabel(translate("ReportPanel", "Choose a day and load its report."))
        self.totals.setObjectName("reportTotals")

        top = QHBoxLayout()
        top.addWidget(QLabel(translate("ReportPanel", "Day")))
        top.addWidget(self.day)
        top.addWidget(self.load_button)
        top.addSpacing(16)
        top.addWidget(self.queue)
        top.addWidget(self.non_empty)
        top.addStretch(1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.totals)

        self.load_button.clicked.connect(self.load)
        self.export_button.clicked.connect(self.choose_file)
        self.queue.currentIndexChanged.connect(self._filter)
        self.non_empty.toggled.connect(self._filter)
        controller.report_loaded.connect(self.set_report)
        controller.failed.connect(self._failed)

    @property
    def report(self) -> m.ReportMsg | None:
        return self.model.report

    def load(self) -> None:
        day = self.day.date().toPython()
        assert isinstance(day, date)
        self.load_button.setEnabled(False)
        self.totals.setText(translate("ReportPanel", "Loading the report…"))
        self.controller.load_report(day)

    def set_report(self, report: m.ReportMsg) -> None:
        self.load_button.setEnabled(True)
        keep = self.queue.currentData()
        self.model.set_report(report)
        self.queue.blockSignals(True)
        self.queue.clear()
        self.queue.addItem(translate("ReportPanel", "All queues"), "")
        for queue in self.model.queues():
            self.queue.addItem(group_name(queue), queue)
        self.queue.setCurrentIndex(max(0, self.queue.findData(keep)))
        self.queue.blockSignals(False)
        self.export_button.setEnabled(True)
        self._filter()

    def _filter(self, *_: Any) -> None:
        self.proxy.set_queue(self.queue.currentData())
        self.proxy.set_hide_empty(self.non_empty.isChecked())
        self._show_totals()

    def _show_totals(self) -> None:
        report = self.model.report
        if report is None:
            return
        queue = self.proxy.queue
        t = day_totals(r for r in report.rows if queue is None or r.queue == queue)
        self.totals.setText(
            translate(
                "ReportPanel",
                "{day}: offered {offered}, answered {answered}, abandoned {abandoned}, "
                "service level {level}, average handle time {aht}",
            ).format(
                day=report.day.strftime("%d.%m.%Y"),
                offered=t.offered,
                answered=t.answered,
                abandoned=t.abandoned,
                level=percent(t.service_level),
                aht=seconds_text(t.aht_s),
            )
        )

    def _failed(self, what: str, _message: str) -> None:
        if what == "report":
            self.load_button.setEnabled(True)
            self.totals.setText(translate("ReportPanel", "The report could not be loaded."))

    def choose_file(self) -> None:
        report = self.model.report
        if report is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            translate("ReportPanel", "Export the report"),
            f"medconsole-report-{report.day.isoformat()}.csv",
            translate("ReportPanel", "CSV files (*.csv)"),
        )
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        """Write the loaded report's CSV, as the hub made it, to ``path``."""
        report = self.model.report
        if report is not None:
            self.controller.export_csv(path, report.csv)


# ---------------------------------------------------------------- the window


class WallboardWindow(QMainWindow):
    """The supervisor's window; ``closed`` fires once it has gone.

    ``thresholds`` colour the cells (the defaults of :class:`Thresholds` when not
    given); ``now`` is the clock the ticking numbers use (tests fix it).
    """

    closed = Signal()
    alerted = Signal(list)  # the queues whose longest wait just crossed the red threshold

    def __init__(
        self,
        controller: WallboardController,
        *,
        thresholds: Thresholds | None = None,
        settings: QSettings | None = None,
        now: Callable[[], datetime] | None = None,
        history: BoardHistory | None = None,
    ) -> None:
        super().__init__()
        self.controller = controller
        self.settings = settings or QSettings("medconsole", "console")
        self._now = now or utcnow
        self.thresholds = thresholds or Thresholds()
        self.alarm = LongestWaitAlarm()
        self.sound = AlertSound()
        self.board: m.WallboardMsg | None = None
        self._dismissed = False
        self.setObjectName("wallboardWindow")
        me = controller.client.me
        who = f" — {me.full_name}" if me is not None else ""
        self.setWindowTitle(translate("Wallboard", "medconsole — supervisor") + who)

        # -- the alert banner
        self.banner = QFrame()
        self.banner.setObjectName("alertBanner")
        self.banner.setStyleSheet(
            "#alertBanner { background: #c62828; border-radius: 4px; }"
            "#alertBanner QLabel { color: white; font-size: 16px; font-weight: bold; }"
        )
        self.banner_text = QLabel()
        self.banner_text.setObjectName("alertText")
        self.banner_text.setAccessibleName(translate("Wallboard", "Alert"))
        self.dismiss_button = QPushButton(translate("Wallboard", "Dismiss"))
        self.dismiss_button.setObjectName("alertDismissButton")
        self.dismiss_button.setToolTip(
            translate("Wallboard", "Hide the alert until the next queue crosses the threshold")
        )
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(12, 6, 8, 6)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.dismiss_button)
        self.banner.hide()

        # -- the header line
        self.header = QLabel(translate("Wallboard", "Waiting for the hub's numbers…"))
        self.header.setObjectName("boardHeader")
        self.staff_summary = QLabel()
        self.staff_summary.setObjectName("staffSummary")
        self.staff_summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header_layout = QHBoxLayout()
        header_layout.addWidget(self.header, 1)
        header_layout.addWidget(self.staff_summary)

        # -- the queues
        self.queue_model = QueueBoardModel(self.thresholds, self._now, self)
        self.queue_view = QTableView()
        self.queue_view.setObjectName("queueBoard")
        self.queue_view.setAccessibleName(translate("Wallboard", "Queues"))
        self.queue_view.setModel(self.queue_model)
        self.queue_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.queue_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.queue_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue_view.verticalHeader().hide()
        self.queue_view.verticalHeader().setDefaultSectionSize(34)
        self.queue_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        font = QFont(self.queue_view.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.queue_view.setFont(font)
        queue_header = self.queue_view.horizontalHeader()
        queue_header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        queue_header.setStretchLastSection(True)
        queue_header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.queue_view.setColumnWidth(QueueBoardModel.QUEUE, 210)
        for col in range(1, QueueBoardModel.AHT_RECENT):
            self.queue_view.setColumnWidth(col, 112)

        # -- charts and staff
        self.history = history if history is not None else BoardHistory()
        self.charts = BoardCharts(self.history)
        self.staff = StaffBoardPanel(self._now)
        self.live_split = QSplitter(Qt.Orientation.Vertical)
        self.live_split.setObjectName("liveSplit")
        self.live_split.addWidget(self.charts)
        self.live_split.addWidget(self.staff)
        self.live_split.setStretchFactor(0, 1)
        self.live_split.setStretchFactor(1, 1)
        self.live_split.setSizes([320, 380])
        live = QWidget()
        live_layout = QVBoxLayout(live)
        live_layout.addWidget(self.queue_view)
        live_layout.addWidget(self.live_split, 1)

        # -- the report
        self.report = ReportPanel(controller)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("wallboardTabs")
        self.tabs.addTab(live, translate("Wallboard", "Live"))
        self.tabs.addTab(self.report, translate("Wallboard", "Day's report"))

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addLayout(header_layout)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        # -- status bar
        self.hub_status = QLabel()
        self.hub_status.setObjectName("hubStatus")
        self.hub_status.setAccessibleName(translate("Wallboard", "Connection to the hub"))
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        self.statusBar().addPermanentWidget(self.hub_status)
        self.statusBar().addPermanentWidget(self.clock)

        self._build_menus()
        self._wire()
        self._show_connection(controller.client.connection_state, "")
        self._fit_queue_view()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._tick()
        self.resize(1600, 1000)
        self._restore_layout()

    # ------------------------------------------------------------ menus

    def _build_menus(self) -> None:
        view = self.menuBar().addMenu(translate("Wallboard", "&View"))
        actions = (
            (translate("Wallboard", "Live board"), "Ctrl+1", lambda: self.tabs.setCurrentIndex(0)),
            (
                translate("Wallboard", "Day's report"),
                "Ctrl+2",
                lambda: self.tabs.setCurrentIndex(1),
            ),
            (translate("Wallboard", "Full screen"), "F11", self._toggle_full_screen),
        )
        for text, keys, slot in actions:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            view.addAction(action)

    def _toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def _wire(self) -> None:
        c = self.controller
        c.board_changed.connect(self.show_board)
        c.connection_changed.connect(self._show_connection)
        c.failed.connect(self._failed)
        c.moved.connect(self._moved)
        c.forced_offline.connect(self._forced_offline)
        c.exported.connect(self._exported)
        self.staff.move_requested.connect(self.ask_move)
        self.staff.offline_requested.connect(self.ask_offline)
        self.dismiss_button.clicked.connect(self._dismiss)

    # ------------------------------------------------------------ the board

    def show_board(self, msg: m.WallboardMsg) -> None:
        self.board = msg
        self.queue_model.set_board(msg)
        self.staff.model.set_board(msg)
        self.history.add(msg)
        self.charts.set_goal(msg.goal)
        self.charts.mark_dirty()
        self._fit_queue_view()
        self.header.setText(
            translate(
                "Wallboard",
                "Service level goal: {goal} answered within {target} s · updated {time}",
            ).format(
                goal=percent(msg.goal),
                target=f"{msg.target_s:g}",
                time=msg.at.astimezone().strftime("%H:%M:%S"),
            )
        )
        self._show_staff_summary(msg)
        self._check_alarm()

    def _show_staff_summary(self, msg: m.WallboardMsg) -> None:
        counts: dict[str, int] = {}
        for row in msg.staff:
            counts[row.state] = counts.get(row.state, 0) + 1
        online = sum(1 for row in msg.staff if row.online)
        parts = [translate("Wallboard", "Online {n}").format(n=online)]
        parts += [
            f"{state_name(s)} {n}" for s in STATE_LOOK if s != "offline" and (n := counts.get(s))
        ]
        self.staff_summary.setText(" · ".join(parts))

    def _fit_queue_view(self) -> None:
        rows = max(self.queue_model.rowCount(), len(GROUP_ORDER))
        header = self.queue_view.horizontalHeader().sizeHint().height()
        self.queue_view.setFixedHeight(header + rows * 34 + 4)

    def _check_alarm(self) -> None:
        red = self.queue_model.red_longest_waits()
        crossed = self.alarm.check(red)
        if crossed:
            self._dismissed = False
            self.sound.play()
            self.alerted.emit(sorted(crossed))
        if not red or self._dismissed:
            self.banner.hide()
            return
        waits = ", ".join(
            f"{group_name(q)} {mmss(red[q])}" for q in sorted(red, key=self.queue_model.row_of)
        )
        self.banner_text.setText(
            translate("Wallboard", "Longest wait over {limit}: {queues}").format(
                limit=mmss(self.thresholds.longest_wait_red_s), queues=waits
            )
        )
        self.banner.show()

    def _dismiss(self) -> None:
        self._dismissed = True
        self.banner.hide()

    def _tick(self) -> None:
        self.clock.setText(self._now().astimezone().strftime("%H:%M:%S"))
        self.queue_model.tick()
        self.staff.model.tick()
        self._check_alarm()

    # ------------------------------------------------------------ actions

    def ask_move(self, row: m.StaffBoardRow) -> MoveContactDialog:
        """Ask which waiting contact to give to ``row``'s staff member (opens, returns)."""
        dialog = MoveContactDialog(row, self.controller.waiting_contacts(self.board), self)
        staff_id = row.staff.id

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                self.controller.move_contact(dialog.chosen, staff_id)
            dialog.deleteLater()

        dialog.finished.connect(done)
        dialog.open()
        return dialog

    def ask_offline(self, row: m.StaffBoardRow) -> QMessageBox:
        """Confirm setting ``row``'s staff member offline (opens, returns)."""
        box = QMessageBox(self)
        box.setObjectName("offlineConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(translate("Wallboard", "Set offline"))
        box.setText(translate("Wallboard", "Set {name} offline?").format(name=row.staff.full_name))
        box.setInformativeText(
            translate(
                "Wallboard",
                "For a colleague who left without signing out. "
                "The change is recorded in the audit log.",
            )
        )
        confirm = box.addButton(
            translate("Wallboard", "Set offline"), QMessageBox.ButtonRole.AcceptRole
        )
        confirm.setObjectName("offlineConfirmButton")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setObjectName("offlineCancelButton")
        box.setDefaultButton(cancel)
        staff_id = row.staff.id

        def done(_result: int) -> None:
            if box.clickedButton() is confirm:
                self.controller.force_offline(staff_id)
            box.deleteLater()

        box.finished.connect(done)
        box.open()
        return box

    def _moved(self, contact_id: str, staff_id: str) -> None:
        row = self.staff.model.row_of(staff_id)
        name = self.staff.model.rows[row].staff.full_name if row >= 0 else staff_id
        self.statusBar().showMessage(
            translate("Wallboard", "Contact {contact} is offered to {name} next.").format(
                contact=contact_id, name=name
            ),
            10000,
        )

    def _forced_offline(self, staff_id: str) -> None:
        row = self.staff.model.row_of(staff_id)
        name = self.staff.model.rows[row].staff.full_name if row >= 0 else staff_id
        self.statusBar().showMessage(
            translate("Wallboard", "{name} is set offline.").format(name=name), 10000
        )

    def _exported(self, path: str) -> None:
        self.statusBar().showMessage(
            translate("Wallboard", "The report is saved to {path}.").format(path=path), 10000
        )

    def _failed(self, _what: str, message: str) -> None:
        self.statusBar().showMessage(message, 10000)

    def _show_connection(self, state: str, _reason: str) -> None:
        text, colour = CONNECTION_LOOK.get(state, (state, "#757575"))
        self.hub_status.setText(translate("MainWindow", text))
        self.hub_status.setStyleSheet(f"color: {colour};")

    # ------------------------------------------------------------ layout

    def _restore_layout(self) -> None:
        s = self.settings
        geometry = s.value("wallboard/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        split = s.value("wallboard/liveSplit")
        if split is not None:
            self.live_split.restoreState(split)

    def save_layout(self) -> None:
        s = self.settings
        s.setValue("wallboard/geometry", self.saveGeometry())
        s.setValue("wallboard/liveSplit", self.live_split.saveState())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self._timer.stop()
        self.charts.timer.stop()
        super().closeEvent(event)
        self.closed.emit()


# ---------------------------------------------------------------- the session


@dataclass
class WallboardSession:
    """A supervisor's console: the wallboard window over a connected client.

    ``console``, when given, owns the client (and the media it never opened for
    a supervisor) and closes them; otherwise the client is closed here.
    """

    window: WallboardWindow
    controller: WallboardController
    console: ConsoleController | None = None

    async def close(self) -> None:
        self.window.close()
        await self.controller.close()
        if self.console is not None:
            await self.console.close()
        else:
            with contextlib.suppress(Exception):
                await self.controller.client.close()


def open_wallboard(
    client: StaffClient,
    *,
    console: ConsoleController | None = None,
    qsettings: QSettings | None = None,
    thresholds: Thresholds | None = None,
    settings: Settings | None = None,
) -> WallboardSession:
    """Show the wallboard over a connected supervisor's ``client`` and start watching.

    The cells colour by ``thresholds``, else by those the console's ``settings``
    give (``MEDCONSOLE_WALLBOARD_*``), else by the defaults.
    """
    if thresholds is None and settings is not None:
        thresholds = Thresholds.from_settings(settings)
    controller = WallboardController(client)
    window = WallboardWindow(controller, thresholds=thresholds, settings=qsettings)
    window.show()
    controller.watch(True)
    return WallboardSession(window, controller, console)


__all__ = [
    "AlertSound",
    "BoardCharts",
    "MoveContactDialog",
    "ReportPanel",
    "StaffBoardPanel",
    "WallboardController",
    "WallboardSession",
    "WallboardWindow",
    "open_wallboard",
]

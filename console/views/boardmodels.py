"""The supervisor's wallboard as Qt item models, and the rules that colour it.

What the numbers mean is defined once, in :mod:`console.stats.figures`; the hub
computes them and sends a :class:`~console.protocol.messages.WallboardMsg` at
most once a second while anything changes. This module only shows them:

* :class:`QueueBoardModel`: one row per queue group, now / today / the last 15
  minutes, each cell coloured by :class:`Thresholds`;
* :class:`StaffBoardModel` (+ :class:`StaffFilter`): every staff member's state,
  time in state, current contact and channel (ids only: no patient data);
* :class:`ReportModel` (+ :class:`ReportFilter`): the day's 15-minute report;
* :class:`BoardHistory`: a bounded ring of samples for the charts;
* :class:`LongestWaitAlarm`: which queues *just* crossed the red longest wait.

Clocks: the hub stamps each board with its own time (``at``); the console's
clock may differ by seconds. So the ticking numbers (longest wait, time in
state) are the board's values plus the time elapsed on *this* machine since the
board arrived, never ``local now - hub timestamp``.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from console.views.mainwindow import STATE_LOOK
from console.views.models import (
    ObjectRole,
    channel_name,
    header_text,
    mmss,
    queue_name,
    utcnow,
)
from console.views.resources import QT_TRANSLATE_NOOP

# lupdate reads translate("Context", "English text") calls into resources/translations
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from datetime import datetime

    from console.protocol import messages as m
    from console.settings import Settings

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

#: a cell's :class:`Level` as an int (tests, delegates)
LevelRole = Qt.ItemDataRole.UserRole + 10
#: a cell's raw value (seconds, a ratio, a count; None when undefined), for sorting
ValueRole = Qt.ItemDataRole.UserRole + 11

_DISPLAY = Qt.ItemDataRole.DisplayRole
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_DASH = "—"

#: the queue groups in the wallboard's order (as console.stats.DEFAULT_GROUPS)
GROUP_ORDER = ("operators", "duty:therapist", "duty:pediatrician", "appointments")


# ---------------------------------------------------------------- thresholds


class Level(IntEnum):
    OK = 0
    AMBER = 1
    RED = 2


#: what a level looks like: (background, text colour); OK keeps the view's own
LEVEL_LOOK: dict[Level, tuple[QColor, QColor]] = {
    Level.AMBER: (QColor("#ffca28"), QColor("#212121")),
    Level.RED: (QColor("#d32f2f"), QColor("#ffffff")),
}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a wallboard cell turns amber or red. A value *past* a threshold counts:
    a longest wait over 60 s is amber, 60 s itself is not.

    Service level compares with the board's own goal (``WallboardMsg.goal``, 0.8
    by default): amber below the goal, red more than ``service_level_red_below``
    below it. Shares are ratios (0.05 is 5%).

    These defaults are the only ones: the console's settings
    (``MEDCONSOLE_WALLBOARD_*``, ``--wallboard-*``) override any of them, see
    :meth:`from_settings`; the hub's settings give the target and the goal.
    """

    longest_wait_amber_s: float = 60.0
    longest_wait_red_s: float = 120.0
    service_level_amber_below: float = 0.0
    service_level_red_below: float = 0.15
    abandoned_amber: float = 0.05
    abandoned_red: float = 0.10

    def __post_init__(self) -> None:
        for amber, red in (
            ("longest_wait_amber_s", "longest_wait_red_s"),
            ("service_level_amber_below", "service_level_red_below"),
            ("abandoned_amber", "abandoned_red"),
        ):
            a, r = getattr(self, amber), getattr(self, red)
            if not 0 <= a <= r:
                raise ValueError(
                    f"each amber threshold must be between 0 and its red one: "
                    f"{amber} is {a:g}, {red} is {r:g}"
                )

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        """The thresholds the console's settings give, the defaults for the rest.

        Raises ValueError when an amber threshold would then be past its red one.
        """
        return cls(**settings.wallboard_thresholds())

    def longest_wait(self, seconds: float | None) -> Level:
        if seconds is None:
            return Level.OK
        if seconds > self.longest_wait_red_s:
            return Level.RED
        return Level.AMBER if seconds > self.longest_wait_amber_s else Level.OK

    def service_level(self, value: float | None, goal: float) -> Level:
        if value is None:
            return Level.OK
        # rounded: 0.8 - 0.15 is 0.6500000000000001, and 65% is not below 65%
        if value < round(goal - self.service_level_red_below, 9):
            return Level.RED
        return Level.AMBER if value < round(goal - self.service_level_amber_below, 9) else Level.OK

    def abandoned(self, share: float | None) -> Level:
        if share is None:
            return Level.OK
        if share > self.abandoned_red:
            return Level.RED
        return Level.AMBER if share > self.abandoned_amber else Level.OK


# ---------------------------------------------------------------- words and numbers


def group_name(queue: str) -> str:
    """A queue group's name as the wallboard shows it."""
    if queue == "appointments":
        return translate("Wallboard", "Appointments")
    if queue == "operators":
        return translate("Wallboard", "Medconsultants")
    if queue.startswith("duty:") and queue not in ("duty:therapist", "duty:pediatrician"):
        return translate("Wallboard", "Duty {specialty}").format(
            specialty=specialty_name(queue.removeprefix("duty:"))
        )
    return queue_name(queue)


def specialty_name(specialty: str) -> str:
    names = {
        "therapist": translate("Specialty", "therapist"),
        "pediatrician": translate("Specialty", "pediatrician"),
        "cardiologist": translate("Specialty", "cardiologist"),
        "neurologist": translate("Specialty", "neurologist"),
    }
    return names.get(specialty, specialty)


def role_name(info: m.StaffInfo) -> str:
    if info.role == "operator":
        return translate("StaffBoard", "Medconsultant")
    if info.role == "doctor":
        if not info.specialty:
            return translate("StaffBoard", "Doctor")
        if info.on_duty:
            text = translate("StaffBoard", "Duty doctor, {specialty}")
        else:
            text = translate("StaffBoard", "Doctor, {specialty}")
        return text.format(specialty=specialty_name(info.specialty))
    if info.role == "supervisor":
        return translate("StaffBoard", "Supervisor")
    return translate("StaffBoard", "Administrator")


def state_name(state: str) -> str:
    look = STATE_LOOK.get(state)
    return translate("MainWindow", look[0]) if look else state


def state_colour(state: str) -> QColor:
    look = STATE_LOOK.get(state)
    return QColor(look[1] if look else "#212121")


def percent(value: float | None, decimals: int = 0, rounding: str = "nearest") -> str:
    """``0.834`` as "83%" (in the console's locale); a dash for no value.

    ``rounding`` "down" (or "up") rounds toward the worse side of a threshold, so
    that a coloured cell never reads like the goal: the wallboard truncates service
    levels, and 79.7% under an 80% goal shows an amber 79%, not 80%.
    """
    if value is None:
        return _DASH
    scaled = 100 * value * 10**decimals
    if rounding == "down":
        scaled = math.floor(scaled + 1e-9)
    elif rounding == "up":
        scaled = math.ceil(scaled - 1e-9)
    return QLocale().toString(scaled / 10**decimals, "f", decimals) + "%"


def seconds_text(value: float | None) -> str:
    return _DASH if value is None else mmss(value)


# ---------------------------------------------------------------- the queues


class QueueBoardModel(QAbstractTableModel):
    """One row per queue group: now, today, and the last 15 minutes.

    :meth:`set_board` takes each :class:`WallboardMsg`; the rows are the
    groups in :data:`GROUP_ORDER`, then any other in the hub's order. A board
    with the same groups changes data only (one ``dataChanged`` over the whole
    table, a handful of cells). :meth:`tick` moves the longest wait on between
    boards.
    """

    (
        QUEUE,
        WAITING,
        LONGEST,
        FREE,
        OFFERED,
        SL_TODAY,
        SL_RECENT,
        ABANDONED_TODAY,
        ABANDONED_RECENT,
        ASA_TODAY,
        ASA_RECENT,
        AHT_TODAY,
        AHT_RECENT,
    ) = range(13)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("QueueBoardModel", "Queue"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Waiting"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Longest\nwait"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Free\nstaff"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Offered\ntoday"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Service level\ntoday"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Service level\n15 min"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Abandoned\ntoday"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Abandoned\n15 min"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Avg. answer\ntoday"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Avg. answer\n15 min"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Avg. handle\ntoday"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Avg. handle\n15 min"),
    )
    TIPS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("QueueBoardModel", "The queue group"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Contacts waiting now"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "How long the longest-waiting contact has waited"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Staff available for this queue now"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Contacts that entered the queue today"),
        QT_TRANSLATE_NOOP(
            "QueueBoardModel",
            "Service level: answered within the target, of answered and abandoned after it",
        ),
        QT_TRANSLATE_NOOP(
            "QueueBoardModel", "Service level of the contacts of the last 15 minutes"
        ),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Abandoned share: abandoned of offered, today"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Abandoned share over the last 15 minutes"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Average speed of answer, today"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Average speed of answer, last 15 minutes"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Average handle time (talk and wrap-up), today"),
        QT_TRANSLATE_NOOP("QueueBoardModel", "Average handle time, last 15 minutes"),
    )
    _ROLES = frozenset(
        (
            _DISPLAY,
            Qt.ItemDataRole.TextAlignmentRole,
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.ToolTipRole,
            ObjectRole,
            LevelRole,
            ValueRole,
        )
    )

    def __init__(
        self,
        thresholds: Thresholds | None = None,
        now: Callable[[], datetime] = utcnow,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.thresholds = thresholds or Thresholds()
        self._now = now
        self._rows: list[m.QueueBoard] = []
        self._received: datetime | None = None
        self.goal = 0.8
        self.target_s = 20.0
        self._bold = QFont()
        self._bold.setBold(True)

    # -- Qt's interface

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == _DISPLAY:
            return translate("QueueBoardModel", self.HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole:
            return translate("QueueBoardModel", self.TIPS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in self._ROLES:
            return None
        row = index.row()
        if not 0 <= row < len(self._rows) or not 0 <= index.column() < len(self.HEADERS):
            return None
        q = self._rows[row]
        col = index.column()
        if role == ObjectRole:
            return q
        if role == ValueRole:
            return self.value(q, col)
        if role == _DISPLAY:
            return self._text(q, col)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if col == self.QUEUE else _RIGHT
        level = self.level(q, col)
        if role == LevelRole:
            return int(level)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._level_tip(col, level)
        if level is Level.OK:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(LEVEL_LOOK[level][0])
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(LEVEL_LOOK[level][1])
        return self._bold if level is Level.RED else None  # FontRole

    # -- values, levels, texts

    def longest_wait(self, q: m.QueueBoard) -> float | None:
        """The board's longest wait, moved on by the time since the board arrived."""
        if q.longest_wait_s is None or q.waiting == 0:
            return None
        elapsed = 0.0
        if self._received is not None:
            elapsed = max(0.0, (self._now() - self._received).total_seconds())
        return q.longest_wait_s + elapsed

    def value(self, q: m.QueueBoard, col: int) -> Any:
        today, recent = q.today, q.recent
        values: dict[int, Any] = {
            self.QUEUE: q.queue,
            self.WAITING: q.waiting,
            self.LONGEST: self.longest_wait(q),
            self.FREE: q.free_staff,
            self.OFFERED: today.offered,
            self.SL_TODAY: today.service_level,
            self.SL_RECENT: recent.service_level,
            self.ABANDONED_TODAY: today.abandoned_share,
            self.ABANDONED_RECENT: recent.abandoned_share,
            self.ASA_TODAY: today.asa_s,
            self.ASA_RECENT: recent.asa_s,
            self.AHT_TODAY: today.aht_s,
            self.AHT_RECENT: recent.aht_s,
        }
        return values.get(col)

    def level(self, q: m.QueueBoard, col: int) -> Level:
        t = self.thresholds
        if col == self.LONGEST:
            return t.longest_wait(self.longest_wait(q))
        if col in (self.SL_TODAY, self.SL_RECENT):
            return t.service_level(self.value(q, col), self.goal)
        if col in (self.ABANDONED_TODAY, self.ABANDONED_RECENT):
            return t.abandoned(self.value(q, col))
        return Level.OK

    def _text(self, q: m.QueueBoard, col: int) -> str:
        if col == self.QUEUE:
            return group_name(q.queue)
        value = self.value(q, col)
        if col in (self.WAITING, self.FREE, self.OFFERED):
            return str(value)
        if col in (self.SL_TODAY, self.SL_RECENT):
            return percent(value, rounding="down")
        if col in (self.ABANDONED_TODAY, self.ABANDONED_RECENT):
            return percent(value, 1)
        if col == self.LONGEST and value is not None:
            return mmss(math.ceil(value - 1e-9))  # 120.4 s is past 02:00: "02:01"
        return seconds_text(value)

    def _level_tip(self, col: int, level: Level) -> str | None:
        if level is Level.OK:
            return None
        t = self.thresholds
        red = level is Level.RED
        if col == self.LONGEST:
            limit = t.longest_wait_red_s if red else t.longest_wait_amber_s
            return translate("QueueBoardModel", "Longer than {limit}").format(limit=mmss(limit))
        if col in (self.SL_TODAY, self.SL_RECENT):
            below = t.service_level_red_below if red else t.service_level_amber_below
            return translate("QueueBoardModel", "Below {limit} (the goal is {goal})").format(
                limit=percent(self.goal - below), goal=percent(self.goal)
            )
        limit_share = t.abandoned_red if red else t.abandoned_amber
        return translate("QueueBoardModel", "Over {limit}").format(limit=percent(limit_share))

    # -- updates

    @property
    def boards(self) -> Sequence[m.QueueBoard]:
        return tuple(self._rows)

    def row_of(self, queue: str) -> int:
        return next((r for r, q in enumerate(self._rows) if q.queue == queue), -1)

    def set_board(self, msg: m.WallboardMsg) -> None:
        self.goal, self.target_s = msg.goal, msg.target_s
        self._received = self._now()
        rows = ordered_groups(msg.queues)
        if [q.queue for q in rows] != [q.queue for q in self._rows]:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        self._rows = rows
        if rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, self.AHT_RECENT))

    def tick(self) -> None:
        """Time passed: the longest waits moved on (their colour may have too)."""
        if self._rows:
            top, bottom = self.index(0, self.LONGEST), self.index(len(self._rows) - 1, self.LONGEST)
            self.dataChanged.emit(top, bottom)

    def red_longest_waits(self) -> dict[str, float]:
        """The queues whose longest wait is past the red threshold, and that wait."""
        out = {}
        for q in self._rows:
            wait = self.longest_wait(q)
            if self.thresholds.longest_wait(wait) is Level.RED and wait is not None:
                out[q.queue] = wait
        return out


def ordered_groups(queues: Iterable[m.QueueBoard]) -> list[m.QueueBoard]:
    """The wallboard's groups first, in their order; any other after, as given."""
    rank = {g: i for i, g in enumerate(GROUP_ORDER)}
    return sorted(queues, key=lambda q: rank.get(q.queue, len(rank)))


class LongestWaitAlarm:
    """Which queues crossed the red longest wait since the last check: once per crossing.

    A queue that stays past the threshold is not reported again; once it is
    back under it (or gone from the board), the next crossing is reported anew.
    """

    def __init__(self) -> None:
        self.over: frozenset[str] = frozenset()

    def check(self, red: Iterable[str]) -> frozenset[str]:
        now = frozenset(red)
        crossed = now - self.over
        self.over = now
        return crossed


# ---------------------------------------------------------------- the charts' data


class BoardHistory:
    """Samples of waiting and the last-15-minutes service level per queue, for the charts.

    Points at least ``sample_s`` seconds of board time apart, but for the newest,
    which follows every board until it is that far from the one before, at
    most ``capacity`` samples: the oldest fall off. 1440 samples of 10 s are the
    last four hours, whatever the update rate.
    """

    def __init__(self, capacity: int = 1440, sample_s: float = 10.0) -> None:
        if capacity < 2:
            raise ValueError("capacity must be at least 2")
        self.capacity = capacity
        self.sample_s = sample_s
        self._times: deque[float] = deque(maxlen=capacity)
        self._samples: deque[dict[str, tuple[float, float]]] = deque(maxlen=capacity)
        self.queues: list[str] = []  # in order of first appearance (GROUP_ORDER first)

    def __len__(self) -> int:
        return len(self._times)

    def add(self, msg: m.WallboardMsg) -> None:
        t = msg.at.timestamp()
        sample = {
            q.queue: (
                float(q.waiting),
                math.nan if q.recent.service_level is None else 100 * q.recent.service_level,
            )
            for q in ordered_groups(msg.queues)
        }
        for queue in sample:
            if queue not in self.queues:
                self.queues.append(queue)
        if self._times and t < self._times[-1]:
            return  # an older board (a reconnect's replay): the charts only move forward
        if len(self._times) > 1 and self._times[-1] - self._times[-2] < self.sample_s:
            # the newest point is live: it moves on until a full step separates it
            # from the one before, and stays when the next board comes after that
            self._times[-1] = t
            self._samples[-1] = sample
            return
        self._times.append(t)
        self._samples.append(sample)

    def times(self) -> list[float]:
        return list(self._times)

    def series(self, queue: str) -> tuple[list[float], list[float]]:
        """``(waiting, service level %)`` of ``queue`` at each sample; NaN where unknown."""
        nan = (math.nan, math.nan)
        waiting, level = [], []
        for sample in self._samples:
            w, s = sample.get(queue, nan)
            waiting.append(w)
            level.append(s)
        return waiting, level


# ---------------------------------------------------------------- the staff


class StaffBoardModel(QAbstractTableModel):
    """Every staff member the hub knows: state, time in it, contact, handled today.

    :meth:`set_board` keeps the rows in place by staff id (removals, then new
    people appended, then one batched ``dataChanged``), so the supervisor's
    selection survives the board's once-a-second updates. Contacts show as ids
    and channels only: a supervisor's board holds no patient data.
    """

    NAME, ROLE, STATE, IN_STATE, CONTACT, CHANNEL, HANDLED, CONSOLE = range(8)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("StaffBoardModel", "Name"),
        QT_TRANSLATE_NOOP("StaffBoardModel", "Role"),
        QT_TRANSLATE_NOOP("StaffBoardModel", "State"),
        QT_TRANSLATE_NOOP("StaffBoardModel", "In state"),
        QT_TRANSLATE_NOOP("StaffBoardModel", "Contact"),
        QT_TRANSLATE_NOOP("StaffBoardModel", "Channel"),
        QT_TRANSLATE_NOOP("StaffBoardModel", "Handled today"),
        QT_TRANSLATE_NOOP("StaffBoardModel", "Console"),
    )
    _STATE_RANK: ClassVar[dict[str, int]] = {
        s: i
        for i, s in enumerate(
            ("not_responding", "ringing", "busy", "wrap_up", "available", "break", "offline")
        )
    }

    def __init__(self, now: Callable[[], datetime] = utcnow, parent: Any = None) -> None:
        super().__init__(parent)
        self._now = now
        self._rows: list[m.StaffBoardRow] = []
        self._ids: list[str] = []
        self._at: datetime | None = None  # the board's time (the hub's clock)
        self._received: datetime | None = None  # when it arrived (this machine's clock)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_text("StaffBoardModel", self.HEADERS, section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not 0 <= row < len(self._rows) or not 0 <= index.column() < len(self.HEADERS):
            return None
        r = self._rows[row]
        col = index.column()
        if role == ObjectRole:
            return r
        if role == _DISPLAY:
            return self._text(r, col)
        if role == ValueRole:
            return self._value(r, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == self.STATE:
                return QBrush(state_colour(r.state))
            if col == self.CONSOLE and not r.online:
                return QBrush(QColor("#757575"))
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col in (self.IN_STATE, self.HANDLED) else None
        if role == Qt.ItemDataRole.ToolTipRole and col == self.STATE and r.reason:
            return r.reason
        return None

    def in_state(self, r: m.StaffBoardRow) -> float:
        """Seconds in the current state: the board's count plus the time since it arrived."""
        if self._at is None or self._received is None:
            return 0.0
        on_board = (self._at - r.since).total_seconds()
        return max(0.0, on_board + max(0.0, (self._now() - self._received).total_seconds()))

    def _text(self, r: m.StaffBoardRow, col: int) -> str | None:
        if col == self.NAME:
            return r.staff.full_name
        if col == self.ROLE:
            return role_name(r.staff)
        if col == self.STATE:
            name = state_name(r.state)
            return f"{name} · {r.reason}" if r.reason else name
        if col == self.IN_STATE:
            return mmss(self.in_state(r))
        if col == self.CONTACT:
            return r.contact_id or ""
        if col == self.CHANNEL:
            return channel_name(r.channel) if r.channel else ""
        if col == self.HANDLED:
            return str(r.handled_today)
        if r.online:  # CONSOLE
            return translate("StaffBoardModel", "connected")
        return translate("StaffBoardModel", "not connected")

    def _value(self, r: m.StaffBoardRow, col: int) -> Any:
        if col == self.STATE:
            return self._STATE_RANK.get(r.state, len(self._STATE_RANK))
        if col == self.IN_STATE:
            return self.in_state(r)
        if col == self.HANDLED:
            return r.handled_today
        if col == self.CONSOLE:
            return int(r.online)
        return self._text(r, col) or ""

    # -- updates

    @property
    def rows(self) -> Sequence[m.StaffBoardRow]:
        return tuple(self._rows)

    def row_of(self, staff_id: str) -> int:
        try:
            return self._ids.index(staff_id)
        except ValueError:
            return -1

    def set_board(self, msg: m.WallboardMsg) -> None:
        self._at, self._received = msg.at, self._now()
        new = {r.staff.id: r for r in msg.staff}
        for first, last in reversed(
            _runs([i for i, sid in enumerate(self._ids) if sid not in new])
        ):
            self.beginRemoveRows(_ROOT, first, last)
            del self._rows[first : last + 1]
            del self._ids[first : last + 1]
            self.endRemoveRows()
        self._rows = [new[sid] for sid in self._ids]
        known = set(self._ids)
        added = [r for r in msg.staff if r.staff.id not in known]
        if added:
            first = len(self._rows)
            self.beginInsertRows(_ROOT, first, first + len(added) - 1)
            self._rows.extend(added)
            self._ids.extend(r.staff.id for r in added)
            self.endInsertRows()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.CONSOLE))

    def tick(self) -> None:
        """Time passed: the time-in-state column moved on."""
        if self._rows:
            top = self.index(0, self.IN_STATE)
            bottom = self.index(len(self._rows) - 1, self.IN_STATE)
            self.dataChanged.emit(top, bottom, [_DISPLAY, ValueRole])


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Ascending row numbers as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


class StaffFilter(QSortFilterProxyModel):
    """The staff board by role and state (None: all), sortable on every column."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.role: str | None = None
        self.state: str | None = None
        self.setSortRole(ValueRole)
        self.setSortLocaleAware(True)

    def set_role(self, role: str | None) -> None:
        self.beginFilterChange()
        self.role = role or None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_state(self, state: str | None) -> None:
        self.beginFilterChange()
        self.state = state or None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def lessThan(self, left: Index, right: Index) -> bool:
        """By the column's value; equal values (a state, a count) by name."""
        a, b = left.data(ValueRole), right.data(ValueRole)
        if a != b and a is not None and b is not None:
            return bool(a < b)
        model, col = self.sourceModel(), StaffBoardModel.NAME
        return str(model.index(left.row(), col).data()) < str(model.index(right.row(), col).data())

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        row = model.data(model.index(source_row, 0, source_parent), ObjectRole)
        if row is None:
            return False
        if self.role is not None and row.staff.role != self.role:
            return False
        return self.state is None or row.state == self.state


# ---------------------------------------------------------------- the day's report


class ReportModel(QAbstractTableModel):
    """The day's report: one row per 15-minute interval and queue group, as the hub sent it."""

    INTERVAL, QUEUE, OFFERED, ANSWERED, ABANDONED, SERVICE_LEVEL, ASA, AHT = range(8)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("ReportModel", "Interval"),
        QT_TRANSLATE_NOOP("ReportModel", "Queue"),
        QT_TRANSLATE_NOOP("ReportModel", "Offered"),
        QT_TRANSLATE_NOOP("ReportModel", "Answered"),
        QT_TRANSLATE_NOOP("ReportModel", "Abandoned"),
        QT_TRANSLATE_NOOP("ReportModel", "Service level"),
        QT_TRANSLATE_NOOP("ReportModel", "Avg. answer"),
        QT_TRANSLATE_NOOP("ReportModel", "Avg. handle"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[m.ReportRow] = []
        self.report: m.ReportMsg | None = None

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_text("ReportModel", self.HEADERS, section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not 0 <= row < len(self._rows) or not 0 <= index.column() < len(self.HEADERS):
            return None
        r = self._rows[row]
        col = index.column()
        f = r.figures
        if role == ObjectRole:
            return r
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if col in (self.INTERVAL, self.QUEUE) else _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and f.offered == 0 and col > self.QUEUE:
            return QBrush(QColor("#9e9e9e"))
        if role != _DISPLAY:
            return None
        if col == self.INTERVAL:
            return f"{r.start:%H:%M}–{r.end:%H:%M}"
        if col == self.QUEUE:
            return group_name(r.queue)
        if col == self.OFFERED:
            return str(f.offered)
        if col == self.ANSWERED:
            return str(f.answered)
        if col == self.ABANDONED:
            return str(f.abandoned)
        if col == self.SERVICE_LEVEL:
            return percent(f.service_level)
        if col == self.ASA:
            return seconds_text(f.asa_s)
        return seconds_text(f.aht_s)

    def set_report(self, report: m.ReportMsg) -> None:
        self.beginResetModel()
        self.report = report
        self._rows = list(report.rows)
        self.endResetModel()

    def queues(self) -> list[str]:
        seen: dict[str, None] = {}
        for r in self._rows:
            seen.setdefault(r.queue)
        return list(seen)


@dataclass(frozen=True, slots=True)
class Totals:
    offered: int
    answered: int
    abandoned: int
    service_level: float | None
    aht_s: float | None


def day_totals(rows: Iterable[m.ReportRow]) -> Totals:
    """The intervals added up (they add up to the day: a visit counts in the interval it
    entered in); service level and AHT recomputed from the counts, as the hub defines them."""
    offered = answered = abandoned = within = late = handled = 0
    handle = 0.0
    for r in rows:
        f = r.figures
        offered += f.offered
        answered += f.answered
        abandoned += f.abandoned
        within += f.answered_within_target
        late += f.abandoned_after_target
        if f.aht_s is not None and f.handled:
            handled += f.handled
            handle += f.aht_s * f.handled
    judged = answered + late
    return Totals(
        offered,
        answered,
        abandoned,
        within / judged if judged else None,
        handle / handled if handled else None,
    )


class ReportFilter(QSortFilterProxyModel):
    """The report for one queue group (None: all), optionally without empty intervals."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.queue: str | None = None
        self.hide_empty = True

    def set_queue(self, queue: str | None) -> None:
        self.beginFilterChange()
        self.queue = queue or None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_hide_empty(self, hide: bool) -> None:
        self.beginFilterChange()
        self.hide_empty = hide
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        row = model.data(model.index(source_row, 0, source_parent), ObjectRole)
        if row is None:
            return False
        if self.queue is not None and row.queue != self.queue:
            return False
        return not (self.hide_empty and row.figures.offered == 0)

    def rows(self) -> list[m.ReportRow]:
        """The rows shown, in order."""
        return [self.data(self.index(r, 0), ObjectRole) for r in range(self.rowCount())]


__all__ = [
    "GROUP_ORDER",
    "BoardHistory",
    "Level",
    "LevelRole",
    "LongestWaitAlarm",
    "QueueBoardModel",
    "ReportFilter",
    "ReportModel",
    "StaffBoardModel",
    "StaffFilter",
    "Thresholds",
    "ValueRole",
    "day_totals",
]

"""The supervisor's wallboard: its models, colours, alert, charts, staff board and report.

Most tests feed :class:`WallboardMsg` objects straight to the window (or to a
fake client's event), so they need no hub; the last ones run a real supervisor
console on the hub (on a fake clock), with colleagues and patients on it.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import random
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox, QWidget

from console.client import StaffClient
from console.clock import FakeClock
from console.hub.service import HubConfig
from console.protocol import messages as m
from console.settings import Settings
from console.store import audit
from console.views import app as console_app
from console.views.boardmodels import (
    LEVEL_LOOK,
    BoardHistory,
    Level,
    LevelRole,
    LongestWaitAlarm,
    QueueBoardModel,
    ReportFilter,
    ReportModel,
    StaffBoardModel,
    StaffFilter,
    Thresholds,
    ValueRole,
    day_totals,
)
from console.views.models import ObjectRole
from console.views.wallboard import (
    CHART_REDRAW_MS,
    MoveContactDialog,
    WallboardController,
    WallboardSession,
    WallboardWindow,
    open_wallboard,
)
from tests.client.conftest import owner_phones
from tests.views.conftest import PASSWORD, SHOTS
from tests.views.test_accessibility import ACTIONABLE, part_of_another, spoken_name
from tests.views.ui import click, until

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

AT = datetime(2026, 11, 23, 11, 40, tzinfo=UTC)
GROUPS = ("operators", "duty:therapist", "duty:pediatrician", "appointments")


# ---------------------------------------------------------------- building boards


def figures(
    offered: int = 0,
    answered: int = 0,
    within: int = 0,
    abandoned: int = 0,
    late: int = 0,
    waiting: int = 0,
    asa: float | None = None,
    aht: float | None = None,
) -> m.Figures:
    """Figures as console.stats defines them (ratios from the counts)."""
    judged = answered + late
    return m.Figures(
        offered=offered,
        answered=answered,
        answered_within_target=within,
        abandoned=abandoned,
        abandoned_after_target=late,
        waiting=waiting,
        handled=answered,
        service_level=within / judged if judged else None,
        abandoned_share=abandoned / offered if offered else None,
        asa_s=asa if answered else None,
        aht_s=aht if answered else None,
    )


def queue(
    name: str,
    waiting: int = 0,
    longest: float | None = None,
    free: int = 1,
    today: m.Figures | None = None,
    recent: m.Figures | None = None,
) -> m.QueueBoard:
    return m.QueueBoard(
        queue=name,
        waiting=waiting,
        longest_wait_s=longest if waiting else None,
        free_staff=free,
        today=today or figures(),
        recent=recent or figures(),
    )


def person(
    sid: str,
    name: str,
    role: str = "operator",
    state: str = "available",
    *,
    minutes: float = 3,
    contact: str | None = None,
    channel: str | None = None,
    handled: int = 0,
    online: bool = True,
    specialty: str | None = None,
    duty: bool = False,
    reason: str = "",
    at: datetime = AT,
) -> m.StaffBoardRow:
    return m.StaffBoardRow(
        staff=m.StaffInfo(
            id=sid,
            login=sid,
            full_name=name,
            role=role,
            specialty=specialty,
            on_duty=duty,
        ),
        state=state,
        reason=reason,
        since=at - timedelta(minutes=minutes),
        online=online,
        contact_id=contact,
        channel=channel,
        handled_today=handled,
    )


def board(
    queues: list[m.QueueBoard] | None = None,
    staff: list[m.StaffBoardRow] | None = None,
    at: datetime = AT,
) -> m.WallboardMsg:
    return m.WallboardMsg(
        at=at,
        target_s=20,
        goal=0.8,
        queues=queues if queues is not None else [queue(g) for g in GROUPS],
        staff=staff or [],
    )


def busy_staff(at: datetime = AT) -> list[m.StaffBoardRow]:
    """A morning shift: ten medconsultants, the duty doctors, two specialists, a supervisor."""
    p = lambda *a, **k: person(*a, at=at, **k)  # noqa: E731
    return [
        p("op1", "Смирнова Анна Викторовна", state="busy", minutes=6.2, contact="C1041",
          channel="video", handled=21),
        p("op2", "Кузнецов Дмитрий Олегович", state="busy", minutes=2.1, contact="C1047",
          channel="audio", handled=18),
        p("op3", "Попова Мария Андреевна", state="wrap_up", minutes=0.8, contact="C1039",
          channel="chat", handled=24),
        p("op4", "Васильев Артём Игоревич", state="busy", minutes=11.5, contact="C1032",
          channel="video", handled=15),
        p("op5", "Новикова Екатерина Павловна", state="ringing", minutes=0.1, contact="C1052",
          channel="audio", handled=19),
        p("op6", "Фёдоров Илья Сергеевич", state="break", minutes=9.4, reason="Обед", handled=12),
        p("op7", "Морозова Ольга Дмитриевна", state="busy", minutes=4.7, contact="C1044",
          channel="chat", handled=22),
        p("op8", "Волков Никита Алексеевич", state="not_responding", minutes=3.3,
          online=False, handled=9),
        p("op9", "Алексеева Дарья Романовна", state="busy", minutes=1.4, contact="C1049",
          channel="video", handled=17),
        p("op10", "Лебедев Максим Юрьевич", state="offline", minutes=95, online=False,
          handled=0),
        p("therapist1", "Ковалёв Андрей Петрович", "doctor", "busy", minutes=14.2,
          contact="C1027", channel="video", handled=7, specialty="therapist", duty=True),
        p("pediatrician1", "Лебедева Ольга Николаевна", "doctor", "busy", minutes=8.9,
          contact="C1036", channel="video", handled=6, specialty="pediatrician", duty=True),
        p("cardiologist1", "Морозов Игорь Алексеевич", "doctor", "available", minutes=22,
          handled=4, specialty="cardiologist"),
        p("neurologist1", "Соколова Елена Дмитриевна", "doctor", "wrap_up", minutes=1.9,
          contact="C1030", channel="audio", handled=5, specialty="neurologist"),
        p("supervisor1", "Павлов Сергей Юрьевич", "supervisor", "available", minutes=160,
          handled=0),
    ]  # fmt: skip


def busy_queues(scale: float = 1.0, longest: float = 155.0) -> list[m.QueueBoard]:
    """Late morning of a busy day: the medconsultants behind, the pediatrician red."""
    return [
        queue(
            "operators",
            waiting=max(0, round(7 * scale)),
            longest=longest,
            free=0,
            today=figures(412, 371, 324, 19, 14, 7, asa=17.8, aht=402),
            recent=figures(38, 29, 20, 3, 2, 7, asa=31.5, aht=366),
        ),
        queue(
            "duty:therapist",
            waiting=2,
            longest=48,
            free=0,
            today=figures(63, 58, 47, 2, 1, 2, asa=21.4, aht=754),
            recent=figures(7, 6, 4, 0, 0, 2, asa=26.0, aht=690),
        ),
        queue(
            "duty:pediatrician",
            waiting=3,
            longest=96,
            free=0,
            today=figures(41, 35, 22, 3, 3, 3, asa=38.2, aht=812),
            recent=figures(6, 3, 1, 1, 1, 3, asa=57.0, aht=None),
        ),
        queue(
            "appointments",
            waiting=0,
            free=2,
            today=figures(28, 27, 26, 1, 0, 0, asa=6.1, aht=845),
            recent=figures(3, 3, 3, 0, 0, 0, asa=4.0, aht=None),
        ),
    ]


def report_msg(day: date = date(2026, 11, 23)) -> m.ReportMsg:
    rows = []
    lines = ["start,end,queue,offered,answered"]
    start = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
    for i in range(96):
        lo, hi = start + timedelta(minutes=15 * i), start + timedelta(minutes=15 * (i + 1))
        for g in GROUPS:
            busy = 32 <= i < 80  # 08:00-20:00
            n = (i % 7 + 3) if busy and g == "operators" else (1 if busy and i % 3 == 0 else 0)
            f = figures(n, n - (1 if n > 4 else 0), max(0, n - 2), 1 if n > 4 else 0, 0, 0,
                        asa=15.0, aht=380.0)  # fmt: skip
            rows.append(m.ReportRow(start=lo, end=hi, queue=g, figures=f))
            lines.append(f"{lo.isoformat()},{hi.isoformat()},{g},{f.offered},{f.answered}")
    return m.ReportMsg(day=day, rows=rows, csv="\n".join(lines) + "\n")


class FakeClient:
    """The staff client as the wallboard uses it: events by kind, the supervisor's commands."""

    def __init__(self) -> None:
        self.handlers: dict[str, list[Any]] = {}
        self.calls: list[tuple[Any, ...]] = []
        self.queue: m.QueueSnapshot | None = None
        self.me = m.StaffInfo(
            id="supervisor1", login="supervisor1", full_name="Павлов Сергей Юрьевич",
            role="supervisor",
        )  # fmt: skip
        self.connection_state = "online"
        self.online = True
        self.report = report_msg()

    def on(self, kind: Any, callback: Any) -> Any:
        key = kind if isinstance(kind, str) else kind.__name__
        handlers = self.handlers.setdefault(key, [])
        handlers.append(callback)
        return lambda: callback in handlers and handlers.remove(callback)

    def emit(self, key: str, event: Any) -> None:
        for callback in list(self.handlers.get(key, ())):
            callback(event)

    async def watch_wallboard(self, on: bool = True) -> None:
        self.calls.append(("watch_wallboard", on))

    async def get_report(self, day: date) -> m.ReportMsg:
        self.calls.append(("get_report", day))
        return self.report

    async def move_contact(self, contact_id: str, staff_id: str) -> None:
        self.calls.append(("move_contact", contact_id, staff_id))

    async def force_offline(self, staff_id: str) -> None:
        self.calls.append(("force_offline", staff_id))

    async def close(self) -> None:
        self.calls.append(("close",))


@pytest.fixture
def fake() -> FakeClient:
    return FakeClient()


@pytest.fixture
def window(qtbot, fake, tmp_path) -> WallboardWindow:
    console_app.install_translations(console_app.application(), "en")
    controller = WallboardController(fake)  # type: ignore[arg-type]
    qsettings = QSettings(str(tmp_path / "wallboard.ini"), QSettings.Format.IniFormat)
    w = WallboardWindow(controller, settings=qsettings, now=lambda: AT)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def cell(w: WallboardWindow, queue_id: str, col: int) -> Any:
    model = w.queue_model
    return model.index(model.row_of(queue_id), col)


def painted(w: WallboardWindow, index: Any) -> QColor:
    """The colour painted at the left edge of a queue cell, in a grab of the whole window."""
    image = w.grab().toImage()
    rect = w.queue_view.visualRect(index)
    spot = w.queue_view.viewport().mapTo(w, rect.topLeft() + QPoint(4, rect.height() // 2))
    scale = image.width() / w.width()  # 1 offscreen; more on a high-DPI screen
    return QColor(image.pixel(int(spot.x() * scale), int(spot.y() * scale)))


# ---------------------------------------------------------------- models


def test_every_board_model_passes_qt_checks_through_its_updates(qtmodeltester) -> None:
    now = [AT]
    queues = QueueBoardModel(now=lambda: now[0])
    qtmodeltester.check(queues)
    queues.set_board(board(busy_queues()))
    queues.set_board(board(busy_queues(scale=0.5, longest=30)))
    queues.set_board(board([queue("operators", 1, 10), queue("duty:cardiologist", 2, 70)]))
    now[0] += timedelta(seconds=5)
    queues.tick()
    qtmodeltester.check(queues)

    staff = StaffBoardModel(lambda: now[0])
    qtmodeltester.check(staff)
    everyone = busy_staff()
    staff.set_board(board(staff=everyone))
    staff.set_board(board(staff=everyone[3:9]))  # some leave
    staff.set_board(board(staff=[*everyone[:2], *everyone[5:], everyone[4]]))  # some come back
    staff.tick()
    qtmodeltester.check(staff)
    assert staff.rowCount() == len(everyone) - 2

    proxy = StaffFilter()
    proxy.setSourceModel(staff)
    proxy.set_role("doctor")
    proxy.set_state("busy")
    qtmodeltester.check(proxy)

    report = ReportModel()
    qtmodeltester.check(report)
    report.set_report(report_msg())
    qtmodeltester.check(report)
    shown = ReportFilter()
    shown.setSourceModel(report)
    shown.set_queue("operators")
    qtmodeltester.check(shown)


def test_a_board_fills_the_cells_and_the_next_one_changes_them(window) -> None:
    w = window
    w.show_board(board(busy_queues(), busy_staff()))
    qm = w.queue_model
    assert [qm.index(r, 0).data() for r in range(4)] == [
        "Medconsultants", "Duty therapist", "Duty pediatrician", "Appointments",
    ]  # fmt: skip
    assert cell(w, "operators", qm.WAITING).data() == "7"
    assert cell(w, "operators", qm.LONGEST).data() == "02:35"
    assert cell(w, "operators", qm.SL_TODAY).data() == "84%"  # 324 / (371 + 14)
    assert cell(w, "operators", qm.ABANDONED_TODAY).data() == "4.6%"  # 19 / 412
    assert cell(w, "operators", qm.ASA_RECENT).data() == "00:31"
    assert cell(w, "operators", qm.AHT_TODAY).data() == "06:42"
    assert cell(w, "appointments", qm.LONGEST).data() == "—"  # nobody waits
    assert cell(w, "duty:pediatrician", qm.AHT_RECENT).data() == "—"  # nothing handled yet

    changed = []
    qm.dataChanged.connect(lambda *a: changed.append(a))
    w.show_board(board(busy_queues(scale=0.3, longest=12), busy_staff(), at=AT))
    assert cell(w, "operators", qm.WAITING).data() == "2"
    assert cell(w, "operators", qm.LONGEST).data() == "00:12"
    assert changed, "the view was told"

    staff = w.staff.model
    r = staff.row_of("op1")
    assert staff.index(r, staff.STATE).data() == "In contact"
    assert staff.index(r, staff.IN_STATE).data() == "06:12"
    assert staff.index(r, staff.CONTACT).data() == "C1041"
    assert staff.index(r, staff.CHANNEL).data() == "Video"
    assert staff.index(r, staff.HANDLED).data() == "21"
    assert "Обед" in staff.index(staff.row_of("op6"), staff.STATE).data()
    assert "Павлов Сергей Юрьевич" in w.windowTitle()


def test_the_ticking_numbers_move_on_by_the_local_clock_not_the_hubs() -> None:
    now = [datetime(2026, 11, 23, 11, 40, 7, tzinfo=UTC)]  # this machine is 7 s ahead
    qm = QueueBoardModel(now=lambda: now[0])
    staff = StaffBoardModel(lambda: now[0])
    msg = board([queue("operators", 1, 50)], [person("op1", "А", "operator", "busy", minutes=1)])
    qm.set_board(msg)
    staff.set_board(msg)
    assert qm.index(0, qm.LONGEST).data() == "00:50"
    assert staff.index(0, staff.IN_STATE).data() == "01:00"
    now[0] += timedelta(seconds=15)
    assert qm.index(0, qm.LONGEST).data() == "01:05"
    assert qm.index(0, qm.LONGEST).data(LevelRole) == Level.AMBER  # 65 s: past 60
    assert staff.index(0, staff.IN_STATE).data() == "01:15"


# ---------------------------------------------------------------- thresholds


def test_thresholds_are_past_not_at_and_service_level_follows_the_goal() -> None:
    t = Thresholds()
    assert [t.longest_wait(s) for s in (None, 60, 60.5, 120, 121)] == [
        Level.OK, Level.OK, Level.AMBER, Level.AMBER, Level.RED,
    ]  # fmt: skip
    assert [t.service_level(v, 0.8) for v in (None, 0.8, 0.79, 0.65, 0.649)] == [
        Level.OK, Level.OK, Level.AMBER, Level.AMBER, Level.RED,
    ]  # fmt: skip
    assert t.service_level(0.85, 0.9) is Level.AMBER  # the board's goal, not a fixed one
    assert [t.abandoned(v) for v in (None, 0.05, 0.051, 0.10, 0.11)] == [
        Level.OK, Level.OK, Level.AMBER, Level.AMBER, Level.RED,
    ]  # fmt: skip
    strict = Thresholds(longest_wait_amber_s=20, longest_wait_red_s=40)
    assert strict.longest_wait(45) is Level.RED
    with pytest.raises(ValueError, match="amber"):
        Thresholds(abandoned_amber=0.2, abandoned_red=0.1)


def test_a_threshold_turns_the_cell_red_in_the_model_and_on_screen(window) -> None:
    w = window
    w.show_board(board(busy_queues()))
    qm = w.queue_model
    red_bg, red_fg = LEVEL_LOOK[Level.RED]
    amber_bg, _ = LEVEL_LOOK[Level.AMBER]

    longest = cell(w, "operators", qm.LONGEST)  # 155 s > 120 s
    assert longest.data(LevelRole) == Level.RED
    assert longest.data(Qt.ItemDataRole.BackgroundRole).color() == red_bg
    assert longest.data(Qt.ItemDataRole.ForegroundRole).color() == red_fg
    assert longest.data(Qt.ItemDataRole.FontRole).bold()
    assert painted(w, longest) == red_bg

    sl_peds = cell(w, "duty:pediatrician", qm.SL_TODAY)  # 22 / 38 = 58% < 65%
    assert sl_peds.data(LevelRole) == Level.RED
    assert painted(w, sl_peds) == red_bg
    sl_ther = cell(w, "duty:therapist", qm.SL_TODAY)  # 47 / 59 = 79.7%: under the goal
    assert sl_ther.data(LevelRole) == Level.AMBER
    assert sl_ther.data() == "79%"  # truncated: an amber cell never reads as the goal
    assert painted(w, sl_ther) == amber_bg
    amber = cell(w, "duty:pediatrician", qm.LONGEST)  # 96 s
    assert amber.data(LevelRole) == Level.AMBER
    assert painted(w, amber) == amber_bg
    fine = cell(w, "appointments", qm.SL_TODAY)  # 26 / 27
    assert fine.data(LevelRole) == Level.OK
    assert fine.data(Qt.ItemDataRole.BackgroundRole) is None
    assert painted(w, fine) not in (red_bg, amber_bg)

    # the next board: the wait is back under the threshold, and so is the cell
    w.show_board(board(busy_queues(longest=30)))
    assert painted(w, cell(w, "operators", qm.LONGEST)) not in (red_bg, amber_bg)


def test_the_longest_wait_alert_sounds_once_per_crossing(window) -> None:
    w = window
    alerts: list[list[str]] = []
    w.alerted.connect(alerts.append)
    calm = busy_queues(longest=30)
    w.show_board(board(calm))
    assert not w.banner.isVisible() and w.sound.plays == 0

    for _ in range(5):  # the hub's boards keep coming while the queue stays red
        w.show_board(board(busy_queues(longest=155)))
        w._tick()
    assert w.banner.isVisible()
    assert "Medconsultants 02:35" in w.banner_text.text()
    assert w.sound.plays == 1
    assert alerts == [["operators"]]

    w.dismiss_button.click()  # seen: the banner goes until the next crossing
    w.show_board(board(busy_queues(longest=160)))
    assert not w.banner.isVisible() and w.sound.plays == 1

    w.show_board(board(calm))  # back under the threshold ...
    assert not w.banner.isVisible()
    w.show_board(board(busy_queues(longest=130)))  # ... and over again: a new crossing
    assert w.banner.isVisible() and w.sound.plays == 2
    assert alerts == [["operators"], ["operators"]]
    assert w.sound.source.endswith("alert.wav") or w.sound.source == ""


def test_a_wait_crosses_the_threshold_between_boards_as_the_clock_ticks(qtbot, fake) -> None:
    now = [AT]
    w = WallboardWindow(WallboardController(fake), now=lambda: now[0])  # type: ignore[arg-type]
    qtbot.addWidget(w)
    w.show_board(board([queue("operators", 1, 110)]))
    assert w.sound.plays == 0
    now[0] += timedelta(seconds=11)
    w._tick()
    assert w.sound.plays == 1 and not w.banner.isHidden()


def test_the_alarm_reports_each_queue_once_per_crossing() -> None:
    alarm = LongestWaitAlarm()
    assert alarm.check({"operators"}) == {"operators"}
    assert alarm.check({"operators", "duty:therapist"}) == {"duty:therapist"}
    assert alarm.check({"duty:therapist"}) == set()
    assert alarm.check({"operators", "duty:therapist"}) == {"operators"}


# ---------------------------------------------------------------- charts


def test_the_charts_hold_a_bounded_number_of_points_after_many_updates(qtbot, fake) -> None:
    history = BoardHistory(capacity=120, sample_s=10)
    w = WallboardWindow(WallboardController(fake), history=history, now=lambda: AT)  # type: ignore[arg-type]
    qtbot.addWidget(w)
    start = AT - timedelta(hours=6)
    for i in range(3000):  # six hours of boards, more than one a second at times
        at = start + timedelta(seconds=7.2 * i)
        w.show_board(board(busy_queues(scale=1 + math.sin(i / 200)), at=at))
    assert len(history) == 120
    w.charts.refresh()
    assert 0 < w.charts.points() <= 120
    assert set(w.charts.curves) == set(GROUPS)  # one line per queue
    times = history.times()
    assert times[-1] == (start + timedelta(seconds=7.2 * 2999)).timestamp()  # the newest is live
    assert all(b - a >= 10 for a, b in itertools.pairwise(times[:-1]))  # but the live one

    redraws = w.charts.redraws
    w.charts.refresh()  # nothing new: no redraw
    assert w.charts.redraws == redraws
    assert w.charts.timer.interval() == CHART_REDRAW_MS >= 500
    legend = w.charts.waiting_plot.getPlotItem().legend
    assert [label.text for _, label in legend.items] == [
        "Medconsultants", "Duty therapist", "Duty pediatrician", "Appointments",
    ]  # fmt: skip


def test_history_keeps_its_newest_point_live_and_ignores_older_boards() -> None:
    h = BoardHistory(capacity=3, sample_s=10)
    for s in (0, 4, 8, 12, 15, 30, 41):
        h.add(board([queue("operators", s)], at=AT + timedelta(seconds=s)))
    assert [t - AT.timestamp() for t in h.times()] == [12, 30, 41]
    h.add(board([queue("operators", 99)], at=AT))  # a replay from before
    assert h.series("operators")[0] == [12, 30, 41]
    assert math.isnan(h.series("operators")[1][0])  # no service level yet: a gap, not a 0


# ---------------------------------------------------------------- staff board


def test_the_staff_board_filters_by_role_and_state(window) -> None:
    w = window
    w.show_board(board(busy_queues(), busy_staff()))
    panel = w.staff
    shown = lambda: sorted(  # noqa: E731
        panel.proxy.index(r, 0).data(ObjectRole).staff.id for r in range(panel.proxy.rowCount())
    )
    assert len(shown()) == 15
    panel.role_filter.setCurrentIndex(panel.role_filter.findData("doctor"))
    assert shown() == ["cardiologist1", "neurologist1", "pediatrician1", "therapist1"]
    panel.state_filter.setCurrentIndex(panel.state_filter.findData("busy"))
    assert shown() == ["pediatrician1", "therapist1"]
    panel.role_filter.setCurrentIndex(panel.role_filter.findData("operator"))
    assert shown() == ["op1", "op2", "op4", "op7", "op9"]
    assert panel.count.text() == "5 of 15"
    # the filter holds across the next board, whose states changed
    staff = busy_staff()
    staff[1] = person("op2", "Кузнецов Дмитрий Олегович", state="wrap_up", contact="C1047")
    w.show_board(board(busy_queues(), staff))
    assert shown() == ["op1", "op4", "op7", "op9"]
    panel.state_filter.setCurrentIndex(0)
    panel.role_filter.setCurrentIndex(0)
    assert len(shown()) == 15


def test_the_actions_follow_the_selected_staff_members_state_from_board_to_board(window) -> None:
    w = window
    staff = busy_staff()
    w.show_board(board(busy_queues(), staff))
    panel = w.staff
    assert panel.select("op3")  # wrapping up, connected
    assert panel.move_button.isEnabled() and panel.offline_button.isEnabled()
    staff[2] = person("op3", "Попова Мария Андреевна", state="offline", online=False)
    w.show_board(board(busy_queues(), staff))  # gone: nothing to move to, nothing to set
    assert panel.selected().state == "offline"
    assert not panel.move_button.isEnabled() and not panel.offline_button.isEnabled()
    staff[2] = person("op3", "Попова Мария Андреевна", state="offline", online=True)
    w.show_board(board(busy_queues(), staff))  # the console is back, not available yet
    assert panel.move_button.isEnabled() and not panel.offline_button.isEnabled()


# ---------------------------------------------------------------- actions and the report


async def test_move_a_contact_and_set_offline_go_to_the_client_after_confirmation(
    window, fake
) -> None:
    w = window
    fake.emit("WallboardMsg", board(busy_queues(), busy_staff()))  # through the controller
    assert w.board is not None
    panel = w.staff

    assert panel.select("op3")
    assert panel.move_button.isEnabled()
    await click(panel.move_button)
    dialog = w.findChild(MoveContactDialog)
    await until(lambda: dialog is not None and dialog.isVisible(), what="the move dialog")
    assert dialog.choice.findData("C1052") >= 0  # ringing at op5: still waiting
    dialog.choice.setCurrentIndex(dialog.choice.findData("C1052"))
    await click(dialog.move_button)
    await until(lambda: ("move_contact", "C1052", "op3") in fake.calls, what="the move")
    await until(lambda: "C1052" in w.statusBar().currentMessage(), what="the note")

    await click(panel.move_button)  # a typed id, then cancelled: nothing moves
    await until(lambda: w.findChild(MoveContactDialog) is not None, what="the dialog")
    dialog = w.findChild(MoveContactDialog)
    dialog.choice.setEditText("C2000")
    assert dialog.chosen == "C2000"
    await click(dialog.buttons.button(dialog.buttons.StandardButton.Cancel))
    await w.controller.wait_idle()
    assert [c for c in fake.calls if c[0] == "move_contact"] == [("move_contact", "C1052", "op3")]

    assert panel.select("op8")  # not responding, console gone
    assert not panel.move_button.isEnabled() and panel.offline_button.isEnabled()
    await click(panel.offline_button)
    box = w.findChild(QMessageBox, "offlineConfirm")
    await until(lambda: box is not None and box.isVisible(), what="the confirmation")
    assert "Волков Никита Алексеевич" in box.text()
    await click(box.findChild(QWidget, "offlineCancelButton"))
    await w.controller.wait_idle()
    assert not [c for c in fake.calls if c[0] == "force_offline"]
    await click(panel.offline_button)
    await until(lambda: w.findChild(QMessageBox, "offlineConfirm") is not None, what="again")
    box = w.findChild(QMessageBox, "offlineConfirm")
    await click(box.findChild(QWidget, "offlineConfirmButton"))
    await until(lambda: ("force_offline", "op8") in fake.calls, what="the force offline")
    await until(lambda: "set offline" in w.statusBar().currentMessage(), what="the note")

    assert panel.select("op10")  # offline already: nothing to set
    assert not panel.offline_button.isEnabled()


async def test_the_days_report_loads_filters_and_exports_its_csv(window, fake, tmp_path) -> None:
    w = window
    panel = w.report
    assert not panel.export_button.isEnabled()
    panel.day.setDate(date(2026, 11, 23))
    await click(panel.load_button)
    await until(lambda: panel.report is not None, what="the report")
    assert ("get_report", date(2026, 11, 23)) in fake.calls
    assert panel.model.rowCount() == 96 * 4
    shown = panel.proxy.rowCount()
    assert 0 < shown < 96 * 4  # the night's empty intervals are hidden
    assert panel.proxy.index(0, 0).data() == "08:00–08:15"
    panel.queue.setCurrentIndex(panel.queue.findData("operators"))
    assert panel.proxy.rowCount() == 48
    t = day_totals(r for r in fake.report.rows if r.queue == "operators")
    assert f"offered {t.offered}," in panel.totals.text()
    panel.non_empty.setChecked(False)
    assert panel.proxy.rowCount() == 96

    path = tmp_path / "report.csv"
    panel.export_to(str(path))
    await until(path.exists, what="the file")
    await w.controller.wait_idle()
    assert path.read_bytes() == fake.report.csv.encode()
    assert str(path) in w.statusBar().currentMessage()


async def test_the_controller_watches_again_after_a_reconnect(fake) -> None:
    controller = WallboardController(fake)  # type: ignore[arg-type]
    controller.watch(True)
    await controller.wait_idle()
    fake.emit("welcome", None)
    await controller.wait_idle()
    assert fake.calls == [("watch_wallboard", True), ("watch_wallboard", True)]
    await controller.close()
    assert fake.calls[-1] == ("watch_wallboard", False)
    assert not any(fake.handlers.values())  # unsubscribed


# ---------------------------------------------------------------- accessibility


async def test_every_actionable_wallboard_widget_has_a_name(window) -> None:
    w = window
    w.show_board(board(busy_queues(), busy_staff()))
    w.staff.select("op3")
    w.ask_move(w.board.staff[2])
    w.ask_offline(w.board.staff[2])
    names = {
        "queueBoard", "staffBoard", "staffRoleFilter", "staffStateFilter", "moveContactButton",
        "setOfflineButton", "reportDate", "reportLoadButton", "reportQueue", "reportExportButton",
        "reportView", "alertDismissButton", "waitingChart", "serviceLevelChart",
        "moveContactChoice", "moveConfirmButton", "offlineConfirmButton",
    }  # fmt: skip
    for name in names:
        assert len(w.findChildren(QWidget, name)) == 1, name
    nameless = [
        f"{type(x).__name__} {x.objectName() or '(no objectName)'}"
        for x in w.findChildren(QWidget)
        if isinstance(x, ACTIONABLE) and not part_of_another(x) and not spoken_name(x)
    ]
    assert nameless == []


# ---------------------------------------------------------------- the screenshot


def busy_morning(w: WallboardWindow, end: datetime) -> None:
    """Three hours of boards into the charts (a morning peak, waits that move in steps and
    last a while, a 15-minute service level that drifts), then the board of ``end``."""
    rng = random.Random(7)
    shapes = {  # queue: (base, peak height, peak hour, peak width, SL drop per waiting)
        "operators": (1.0, 6.5, 11.3, 0.9, 0.045),
        "duty:therapist": (0.4, 1.8, 11.0, 0.7, 0.06),
        "duty:pediatrician": (0.2, 2.8, 11.5, 0.5, 0.16),
        "appointments": (0.1, 0.6, 10.5, 0.8, 0.03),
    }
    noise = dict.fromkeys(shapes, 0.0)
    level = dict.fromkeys(shapes, 0.95)
    steps = 3 * 360
    for i in range(steps):
        at = end - timedelta(seconds=10 * (steps - i))
        hour = at.hour + at.minute / 60 + at.second / 3600
        qs = []
        for g, (base, height, centre, width, drop) in shapes.items():
            noise[g] = 0.97 * noise[g] + rng.gauss(0, 0.18)
            load = base + height * math.exp(-(((hour - centre) / width) ** 2))
            waiting = max(0, round(load + noise[g]))
            level[g] += 0.02 * (min(1.0, 0.98 - drop * load) - level[g]) + rng.gauss(0, 0.004)
            n = 20
            within = round(max(0.0, min(1.0, level[g])) * n)
            qs.append(queue(g, waiting, 15 + 14 * waiting, recent=figures(n, n, within)))
        w.history.add(board(qs, at=at))
    w.show_board(board(busy_queues(), busy_staff(end), at=end))


async def test_screenshot_of_a_busy_day(qtbot, fake, tmp_path) -> None:
    console_app.install_translations(console_app.application(), "ru")
    try:
        end = datetime(2026, 11, 23, 11, 40).astimezone()  # late morning, this machine's time
        controller = WallboardController(fake)  # type: ignore[arg-type]
        qsettings = QSettings(str(tmp_path / "shot.ini"), QSettings.Format.IniFormat)
        w = WallboardWindow(controller, settings=qsettings, now=lambda: end)
        qtbot.addWidget(w)
        w.resize(1600, 1000)
        w.show()
        qtbot.waitExposed(w)
        busy_morning(w, end)
        w.staff.select("op5")
        w.charts.refresh()
        await until(w.banner.isVisible, what="the alert")
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / "5-wallboard.png"
        assert w.grab().save(str(path))
        qm = w.queue_model
        assert qm.headerData(qm.WAITING, Qt.Orientation.Horizontal) == "Ожидают"
        assert "Максимальное ожидание" in w.banner_text.text()
        assert painted(w, cell(w, "operators", qm.LONGEST)) == LEVEL_LOOK[Level.RED][0]
    finally:
        console_app.install_translations(console_app.application(), "en")


# ---------------------------------------------------------------- on a real hub

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)  # 12:00 in Moscow, the seeded registry's day
HUB_WAIT = 30.0  # seconds: generous, for a loaded machine (nothing here is timed)


@pytest.fixture
def hub_clock() -> FakeClock:
    """The hub's time moves only when a test says so: waits are exact."""
    return FakeClock(T0)


@pytest.fixture
def hub_config() -> HubConfig:
    return HubConfig(wallboard_every=0.05, wallboard_idle_every=0.5)


@pytest.fixture
async def staff_client(hub_server) -> AsyncIterator[Callable[[str], Awaitable[StaffClient]]]:
    """``await staff_client("op1")``: a colleague's console, as a plain staff client."""
    made: list[StaffClient] = []

    async def make(login: str) -> StaffClient:
        client = StaffClient(hub_server.base, backoff=(0.05, 0.1, 0.2))
        made.append(client)
        await client.login(login, PASSWORD)
        await client.connect()
        return client

    yield make
    for client in made:
        await client.close()


@pytest.fixture
async def supervisor(hub_server, tmp_path) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """``await supervisor(**settings)``: sup1's wallboard on the hub, coloured by the
    console's settings (``wallboard_*``), showing its first board."""
    sessions: list[WallboardSession] = []

    async def make(**settings: Any) -> WallboardSession:
        console_app.install_translations(console_app.application(), "en")
        client = StaffClient(hub_server.base, backoff=(0.05, 0.1, 0.2))
        await client.login("sup1", PASSWORD)
        await client.connect()
        conf = Settings(data_dir=tmp_path, hub_url=hub_server.base, **settings)
        qsettings = QSettings(str(tmp_path / "sup1.ini"), QSettings.Format.IniFormat)
        session = open_wallboard(client, qsettings=qsettings, settings=conf)
        sessions.append(session)
        await until(lambda: session.window.board is not None, HUB_WAIT, what="the first board")
        return session

    yield make
    for session in sessions:
        async with asyncio.timeout(15):
            await session.close()


async def audited(hub_server, action: str) -> list[Any]:
    async with hub_server.hub.db.transaction() as s:
        return list(await audit.entries(s, action=action))


async def test_a_supervisor_sees_a_contact_arrive_be_answered_and_another_abandon(
    open_console, patient, staff_client, hub_server, hub_clock
) -> None:
    session = await open_console("supervisor1", available=False)  # the console's own sign-in
    w = session.window
    assert isinstance(w, WallboardWindow)
    await until(lambda: w.board is not None, HUB_WAIT, what="the first board")
    qm = w.queue_model
    ops = lambda col: cell(w, "operators", col)  # noqa: E731
    assert [ops(c).data() for c in (qm.WAITING, qm.OFFERED, qm.ASA_TODAY, qm.SL_TODAY)] == [
        "0", "0", "—", "—",
    ]  # fmt: skip
    assert "80% answered within 20 s" in w.header.text()
    op1 = await staff_client("op1")
    first, second = owner_phones(hub_server.people, 2)

    # A arrives: the hub pushes the board, nobody asks for it
    a = await patient(first)
    await a.start("chat")
    await until(lambda: ops(qm.WAITING).data() == "1", HUB_WAIT, what="one waiting")
    assert ops(qm.OFFERED).data() == "1"
    hub_clock.advance(12)
    await until(lambda: (ops(qm.LONGEST).data(ValueRole) or 0) >= 12, HUB_WAIT, what="the wait")

    # op1 answers A after 12 s: within the 20 s target
    offered = op1.expect(m.OfferMsg)
    await op1.set_state("available")
    await asyncio.wait_for(offered, HUB_WAIT)
    await op1.accept(a.contact_id)
    await until(lambda: ops(qm.ASA_TODAY).data() == "00:12", HUB_WAIT, what="the speed of answer")
    assert [ops(c).data() for c in (qm.WAITING, qm.LONGEST, qm.SL_TODAY, qm.ASA_RECENT)] == [
        "0", "—", "100%", "00:12",
    ]  # fmt: skip
    staff = w.staff.model
    row = lambda login: staff.row_of(op1.me.id if login == "op1" else login)  # noqa: E731
    await until(
        lambda: staff.index(row("op1"), staff.CONTACT).data() == a.contact_id, HUB_WAIT, what="op1"
    )
    assert staff.index(row("op1"), staff.STATE).data() == "In contact"
    assert staff.index(row("op1"), staff.HANDLED).data() == "1"

    # B waits 25 s, past the target, and hangs up: abandoned, and the service level falls
    b = await patient(second)
    await b.start("chat")
    await until(lambda: ops(qm.WAITING).data() == "1", HUB_WAIT, what="B waiting")
    hub_clock.advance(25)
    await b.hang_up()
    await until(
        lambda: ops(qm.ABANDONED_TODAY).data() == "50.0%", HUB_WAIT, what="the abandoned share"
    )
    assert [ops(c).data() for c in (qm.WAITING, qm.OFFERED, qm.SL_TODAY, qm.ASA_TODAY)] == [
        "0", "2", "50%", "00:12",  # 1 within the target of 1 answered + 1 abandoned late
    ]  # fmt: skip
    assert ops(qm.ABANDONED_TODAY).data(LevelRole) == Level.RED  # past 10%
    assert ops(qm.SL_TODAY).data(LevelRole) == Level.RED  # 50%: more than 15 points short
    assert ops(qm.ASA_TODAY).data(LevelRole) == Level.OK


async def test_a_red_threshold_from_the_settings_turns_the_longest_wait_red_and_alerts(
    supervisor, patient, staff_client, hub_server, hub_clock
) -> None:
    session = await supervisor(wallboard_longest_wait_amber_s=5, wallboard_longest_wait_red_s=10)
    w = session.window
    assert w.thresholds == Thresholds(longest_wait_amber_s=5, longest_wait_red_s=10)
    alerts: list[list[str]] = []
    w.alerted.connect(alerts.append)
    qm = w.queue_model
    longest = lambda: cell(w, "operators", qm.LONGEST)  # noqa: E731
    assert not w.banner.isVisible() and w.sound.plays == 0

    pat = await patient(owner_phones(hub_server.people, 1)[0])
    await pat.start("chat")
    await until(
        lambda: cell(w, "operators", qm.WAITING).data() == "1", HUB_WAIT, what="one waiting"
    )
    hub_clock.advance(11)  # past the 10 s set; far under the default 2 minutes
    await until(lambda: longest().data(LevelRole) == Level.RED, HUB_WAIT, what="the red cell")
    red_bg, red_fg = LEVEL_LOOK[Level.RED]
    assert longest().data(Qt.ItemDataRole.BackgroundRole).color() == red_bg
    assert longest().data(Qt.ItemDataRole.ForegroundRole).color() == red_fg
    assert longest().data(Qt.ItemDataRole.ToolTipRole) == "Longer than 00:10"
    assert painted(w, longest()) == red_bg
    await until(w.banner.isVisible, HUB_WAIT, what="the alert")
    assert w.banner_text.text().startswith("Longest wait over 00:10: Medconsultants 00:")
    assert w.sound.plays == 1 and alerts == [["operators"]]
    assert Thresholds().longest_wait(longest().data(ValueRole)) is Level.OK  # the setting did it

    # answered: nobody waits, the cell and the banner clear, and no second alert
    op1 = await staff_client("op1")
    offered = op1.expect(m.OfferMsg)
    await op1.set_state("available")
    await asyncio.wait_for(offered, HUB_WAIT)
    await op1.accept(pat.contact_id)
    await until(lambda: longest().data() == "—", HUB_WAIT, what="nobody waiting")
    assert longest().data(LevelRole) == Level.OK
    await until(lambda: not w.banner.isVisible(), HUB_WAIT, what="the banner to go")
    assert w.sound.plays == 1


async def test_move_a_contact_and_set_offline_from_the_wallboard_take_effect_and_are_audited(
    supervisor, patient, staff_client, hub_server
) -> None:
    session = await supervisor()
    w = session.window
    panel = w.staff
    op1, op2 = await staff_client("op1"), await staff_client("op2")
    assert op1.me is not None and op2.me is not None
    first, second = owner_phones(hub_server.people, 2)
    await op1.set_state("available")
    a = await patient(first)
    offered = op1.expect(m.OfferMsg)
    await a.start("chat")
    await asyncio.wait_for(offered, HUB_WAIT)
    await op1.accept(a.contact_id)  # op1 is busy with A
    b = await patient(second)
    await b.start("chat")  # B waits: op2 is signed in but not available
    await until(
        lambda: b.contact_id in dict(w.controller.waiting_contacts()),
        HUB_WAIT,
        what="B, to the supervisor",
    )

    # the supervisor gives B to op1, who is busy: B is theirs next, nobody else's
    await until(
        lambda: panel.select(op1.me.id) and panel.move_button.isEnabled(), HUB_WAIT, what="op1"
    )
    await click(panel.move_button)
    await until(
        lambda: w.findChild(MoveContactDialog) is not None, HUB_WAIT, what="the move dialog"
    )
    dialog = w.findChild(MoveContactDialog)
    assert dialog.choice.findData(b.contact_id) >= 0
    dialog.choice.setCurrentIndex(dialog.choice.findData(b.contact_id))
    await click(dialog.move_button)
    await until(lambda: b.contact_id in w.statusBar().currentMessage(), HUB_WAIT, what="the note")
    assert "Смирнова Анна Викторовна" in w.statusBar().currentMessage()
    moves = await audited(hub_server, "supervisor.move_contact")
    assert [(e.actor, e.contact_id, e.detail["staff_id"]) for e in moves] == [
        ("sup1", b.contact_id, op1.me.id)
    ]
    await op2.set_state("available")
    assert op2.offer is None  # free, but B is op1's
    to_op1 = op1.expect(m.OfferMsg)
    await op1.end(a.contact_id)
    await op1.wrapup_done(a.contact_id)
    assert (await asyncio.wait_for(to_op1, HUB_WAIT)).contact.id == b.contact_id
    await until(
        lambda: panel.model.rows[panel.model.row_of(op1.me.id)].state == "ringing",
        HUB_WAIT,
        what="op1 ringing on the board",
    )

    # op1 walks away from the ringing console: the supervisor sets them offline
    assert panel.select(op1.me.id) and panel.offline_button.isEnabled()
    await click(panel.offline_button)
    await until(
        lambda: w.findChild(QMessageBox, "offlineConfirm") is not None, HUB_WAIT, what="confirm"
    )
    box = w.findChild(QMessageBox, "offlineConfirm")
    assert "Смирнова Анна Викторовна" in box.text()
    gone_offline = op1.expect(m.StaffStateMsg, lambda e: e.state == "offline")
    to_op2 = op2.expect(m.OfferMsg)
    await click(box.findChild(QWidget, "offlineConfirmButton"))
    await asyncio.wait_for(gone_offline, HUB_WAIT)
    staff = panel.model
    await until(
        lambda: staff.index(staff.row_of(op1.me.id), staff.STATE).data() == "Offline",
        HUB_WAIT,
        what="op1 offline on the board",
    )
    assert "set offline" in w.statusBar().currentMessage()
    assert not panel.offline_button.isEnabled()  # nothing more to set
    forced = await audited(hub_server, "supervisor.force_offline")
    assert [(e.actor, e.detail) for e in forced] == [
        ("sup1", {"staff_id": op1.me.id, "state": "ringing"})
    ]
    # B goes on to the next one free
    assert (await asyncio.wait_for(to_op2, HUB_WAIT)).contact.id == b.contact_id

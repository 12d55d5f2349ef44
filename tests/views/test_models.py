"""The console's item models: Qt's model checks, and what the user sees in them."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtGui import QPixmap

from console.protocol import messages as m
from console.views.models import ChatModel, MatchesModel, ObjectRole, QueueModel
from tests.conftest import NOW


def entry(i: int, *, kind: str = "urgent", name: str | None = None, wait: int = 0) -> m.QueueEntry:
    return m.QueueEntry(
        id=f"C{i}",
        channel=("audio", "video", "chat")[i % 3],
        kind=kind,
        queue="operators",
        enqueued_at=NOW - timedelta(seconds=wait),
        priority=0,
        person_name=name,
    )


def card(pid: int, age: int, status: str | None = "valid", relation: str = "self") -> m.PersonCard:
    return m.PersonCard(
        person_id=pid,
        surname="Иванов",
        name="Пётр",
        patronymic="Сергеевич",
        birth_date=date(2026 - age, 1, 1),
        age=age,
        route="pediatrician" if age < 18 else "therapist",
        policy_number=f"P{pid}",
        policy_status=status,
        relation=relation,
    )


def chat(
    i: int, *, author: str = "patient", text: str = "", attachment: m.Attachment | None = None
):
    return m.ChatMessage(
        id=i,
        contact_id="C1",
        at=NOW,
        author=author,
        text=text or f"text {i}",
        attachment=attachment,
    )


def test_queue_model_passes_qt_checks_through_every_kind_of_update(qtmodeltester) -> None:
    model = QueueModel(lambda: NOW)
    qtmodeltester.check(model)
    model.set_entries([entry(i) for i in range(5)])
    model.set_entries([entry(i) for i in (0, 2, 4)])  # removals
    model.set_entries([entry(i) for i in (9, 0, 2, 7, 4, 8)])  # insertions at both ends
    model.set_entries([entry(i) for i in (4, 0, 2)])  # a reordering
    model.set_entries([entry(4, name="Иванов П. С."), entry(0), entry(2)])  # data only
    model.tick()
    qtmodeltester.check(model)
    assert [e.id for e in model.entries] == ["C4", "C0", "C2"]


def test_a_selected_contact_stays_selected_while_the_queue_moves(qtbot) -> None:
    model = QueueModel(lambda: NOW)
    model.set_entries([entry(i) for i in range(4)])
    kept = QPersistentModelIndex(model.index(2, 0))  # what a view's selection holds
    model.set_entries([entry(9), entry(0), entry(2), entry(3)])  # C1 answered, C9 urgent first
    assert kept.isValid() and model.data(model.index(kept.row(), 0), ObjectRole).id == "C2"
    assert kept.row() == 2


def ranked(i: int, priority: int = 0, **kw) -> m.QueueEntry:
    """A contact that arrived ``i``-th (the hub's routing order: priority, then arrival)."""
    return entry(i, wait=1000 - i, **kw).model_copy(update={"seq": i, "priority": priority})


def test_the_queue_follows_the_hubs_deltas_row_by_row(qtmodeltester) -> None:
    """What the hub sends after the first view: arrivals land where their rank says,
    leavers go, a contact handed back (higher priority) moves to the head, a name
    shows; the model stays a valid Qt model throughout."""
    model = QueueModel(lambda: NOW)
    qtmodeltester.check(model)
    model.set_entries([ranked(i) for i in range(6)])
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.apply_delta([ranked(9), ranked(3, name="Петров А. В.")], ["C1", "C4"])
    assert [e.id for e in model.entries] == ["C0", "C2", "C3", "C5", "C9"]
    assert inserted == [(4, 4)]  # the newcomer only: no rebuild of the rest
    assert model.index(2, QueueModel.PERSON).data() == "Петров А. В."
    model.apply_delta([ranked(5, priority=2), ranked(7, priority=1)], [])
    assert [e.id for e in model.entries] == ["C5", "C7", "C0", "C2", "C3", "C9"]
    model.apply_delta([], ["C5", "C7", "C0", "C2", "C3", "C9", "C404"])  # an unknown id: ignored
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_a_selected_contact_stays_selected_while_deltas_move_it(qtbot) -> None:
    model = QueueModel(lambda: NOW)
    model.set_entries([ranked(i) for i in range(5)])
    kept = QPersistentModelIndex(model.index(3, 0))  # C3, selected
    model.apply_delta([ranked(3, priority=2), ranked(8)], ["C0"])  # handed back: to the head
    assert kept.isValid() and kept.row() == 0
    assert model.data(model.index(kept.row(), 0), ObjectRole).id == "C3"
    model.apply_delta([ranked(3)], [])  # and back among the others
    assert kept.row() == 2 and model.entries[kept.row()].id == "C3"


def test_deltas_on_a_view_not_in_routing_order_still_come_out_right() -> None:
    """Rows a caller set in some other order (not the hub's): a delta sorts them."""
    model = QueueModel(lambda: NOW)
    model.set_entries([ranked(2), ranked(1)])
    model.apply_delta([ranked(0)], ["C2"])
    assert [e.id for e in model.entries] == ["C0", "C1"]


def test_the_queue_shows_channel_kind_the_ticking_wait_and_the_name_once_known() -> None:
    now = [NOW]
    model = QueueModel(lambda: now[0])
    model.set_entries([entry(1, kind="appointment", wait=75), entry(2, name="Петров А. В.")])
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[:4] == ["Video", "Appointment", "01:15", "not identified"]
    assert model.index(1, QueueModel.PERSON).data() == "Петров А. В."
    assert not model.index(0, 0).data(Qt.ItemDataRole.DecorationRole).isNull()  # channel icon
    now[0] += timedelta(seconds=10)
    assert model.index(0, QueueModel.WAIT).data() == "01:25"


def test_matches_model_passes_qt_checks_and_shows_route_and_policy_badges(qtmodeltester) -> None:
    model = MatchesModel()
    model.set_people(
        [card(1, 40), card(2, 9, relation="represented"), card(3, 0), card(4, 70, "expired")]
    )
    qtmodeltester.check(model)
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(4)]
    assert rows[0][0] == "Иванов Пётр Сергеевич" and rows[0][3] == "Therapist"
    assert rows[1][3] == "Pediatrician" and rows[1][5] == "represented"
    assert "under 1" in rows[2][3]
    assert rows[3][4] == "P4 · EXPIRED"
    red = model.index(3, MatchesModel.POLICY).data(Qt.ItemDataRole.ForegroundRole).color()
    assert red.red() > 150 and red.green() < 100
    tip = lambda row: model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)  # noqa: E731
    assert tip(0) is None  # nothing to heed
    assert "Under 1 year" in tip(2) and "routed to the pediatrician" in tip(2)
    assert tip(3) == "The policy has expired: services cannot be given."


def test_chat_model_passes_qt_checks_keeps_order_and_ignores_repeats(qtmodeltester) -> None:
    model = ChatModel()
    qtmodeltester.check(model)
    model.set_messages([chat(1), chat(3)])
    assert model.add(chat(2)) is True  # arrived late: goes between
    assert model.add(chat(3)) is False  # the echo of our own message
    assert [x.id for x in model.messages] == [1, 2, 3]
    att = m.Attachment(id="A1", name="rash.png", mime="image/png", size=2048, url="/files/A1")
    model.add(chat(4, author="staff", attachment=att))
    assert "rash.png (2 KB)" in model.index(3).data()
    pixmap = QPixmap(8, 8)
    model.set_thumbnail("A1", pixmap)
    assert model.index(3).data(Qt.ItemDataRole.DecorationRole).size() == pixmap.size()
    qtmodeltester.check(model)

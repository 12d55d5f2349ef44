"""Qt item models of what the hub tells a console: the queue, identity matches, chat.

Each model is fed from the staff client's events (see :mod:`console.views.controller`)
and keeps the rows a view shows; views never rebuild lists row by row. Updates
are incremental where that keeps the user's selection and scroll position (the
queue changes many times a second, the chat grows by one message).
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import UTC, datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QIcon

from console.protocol.queueview import routing_key
from console.views.resources import QT_TRANSLATE_NOOP, icon

# lupdate reads translate("Context", "English text") calls into resources/translations
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from PySide6.QtGui import QPixmap

    from console.protocol import messages as m
    from console.protocol.queueview import RoutingKey

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

#: the role a model puts its row's object (QueueEntry, PersonCard, ChatMessage) under
ObjectRole = Qt.ItemDataRole.UserRole + 1
#: seconds waited, as a number, for sorting and tests
WaitRole = Qt.ItemDataRole.UserRole + 2

_DISPLAY = Qt.ItemDataRole.DisplayRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
#: the roles QueueModel.data answers
_QUEUE_ROLES = frozenset(
    (_DISPLAY, _DECORATION, _FOREGROUND, _ALIGNMENT, _TOOLTIP, ObjectRole, WaitRole)
)
_GREY = QBrush(QColor("#757575"))
_RED = QBrush(QColor("#c62828"))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def header_text(
    context: str, headers: Sequence[str], section: int, orientation: Qt.Orientation, role: int
) -> Any:
    """A horizontal header's translated text (``headers`` marked with QT_TRANSLATE_NOOP)."""
    if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
        return None
    return translate(context, headers[section]) if 0 <= section < len(headers) else None


def channel_name(channel: str) -> str:
    names = {
        "audio": translate("Channel", "Audio"),
        "video": translate("Channel", "Video"),
        "chat": translate("Channel", "Chat"),
        "phone": translate("Channel", "Phone"),
    }
    return names.get(channel, channel)


def kind_name(kind: str) -> str:
    names = {
        "urgent": translate("Kind", "Urgent"),
        "appointment": translate("Kind", "Appointment"),
        "follow_up": translate("Kind", "Follow-up"),
        "callback": translate("Kind", "Callback"),
    }
    return names.get(kind, kind)


def queue_name(queue: str) -> str:
    names = {
        "operators": translate("Queue", "Medconsultants"),
        "duty:therapist": translate("Queue", "Duty therapist"),
        "duty:pediatrician": translate("Queue", "Duty pediatrician"),
    }
    if queue in names:
        return names[queue]
    if queue.startswith("doctor:"):
        return translate("Queue", "Doctor's appointments")
    return queue


def route_name(route: str) -> str:
    names = {
        "pediatrician": translate("Route", "Pediatrician"),
        "therapist": translate("Route", "Therapist"),
    }
    return names.get(route, route)


def policy_badge(status: str | None) -> tuple[str, QColor]:
    """What a policy's status looks like: a word and its colour."""
    if status == "valid":
        return translate("Policy", "valid"), QColor("#2e7d32")
    if status == "expired":
        return translate("Policy", "EXPIRED"), QColor("#c62828")
    if status == "not_yet_valid":
        return translate("Policy", "NOT YET VALID"), QColor("#ef6c00")
    return translate("Policy", "NO POLICY"), QColor("#c62828")


def mmss(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def utcnow() -> datetime:
    return datetime.now(UTC)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Ascending row numbers as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


class QueueModel(QAbstractTableModel):
    """Everything waiting in the queues a console serves, in the hub's routing order.

    :meth:`set_entries` takes a whole view (the hub's snapshot) and turns it into
    row removals, moves (a layout change) and insertions, and ``dataChanged``
    for the rows whose data changed, so a selected row stays selected while the
    queue moves. :meth:`apply_delta` takes what changed (the hub's delta) and
    touches only those rows: each finds its place by its routing key
    (:func:`~console.protocol.queueview.routing_key`), so an update costs what
    changed, not the length of the queue. :meth:`tick` refreshes the wait
    column (the console calls it every second).
    """

    CHANNEL, KIND, WAIT, PERSON, QUEUE = range(5)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("QueueModel", "Channel"),
        QT_TRANSLATE_NOOP("QueueModel", "Kind"),
        QT_TRANSLATE_NOOP("QueueModel", "Waiting"),
        QT_TRANSLATE_NOOP("QueueModel", "Person"),
        QT_TRANSLATE_NOOP("QueueModel", "Queue"),
    )

    def __init__(self, now: Callable[[], datetime] = utcnow, parent: Any = None) -> None:
        super().__init__(parent)
        self._now = now
        self._rows: list[m.QueueEntry] = []
        self._ids: list[str] = []
        self._keys: list[RoutingKey] | None = []  # the rows' routing keys; None: not sorted
        self._by_id: dict[str, m.QueueEntry] = {}

    # -- Qt's interface

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_text(type(self).__name__, self.HEADERS, section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A repaint asks every visible cell for seven roles: the ones this model
        # has nothing for (font, background, check state) leave first.
        if role not in _QUEUE_ROLES:
            return None
        row = index.row()  # -1 for an invalid index
        if not 0 <= row < len(self._rows):
            return None
        e = self._rows[row]
        col = index.column()
        if role == _DISPLAY:
            if col == self.CHANNEL:
                return channel_name(e.channel)
            if col == self.KIND:
                return kind_name(e.kind)
            if col == self.WAIT:
                return mmss((self._now() - e.enqueued_at).total_seconds())
            if col == self.PERSON:
                return e.person_name or translate("QueueModel", "not identified")
            if col == self.QUEUE:
                return queue_name(e.queue)
            return None
        if role == _DECORATION:
            return icon(e.channel) if col == self.CHANNEL else None
        if role == _FOREGROUND:
            if col == self.PERSON and not e.person_name:
                return _GREY
            if col == self.KIND and e.kind == "urgent":
                return _RED
            return None
        if role == _ALIGNMENT:
            return _RIGHT if col == self.WAIT else None
        if role == _TOOLTIP:
            return translate("QueueModel", "Being offered to a colleague") if e.offered else None
        if role == ObjectRole:
            return e
        return (self._now() - e.enqueued_at).total_seconds()  # WaitRole

    # -- updates

    @property
    def entries(self) -> Sequence[m.QueueEntry]:
        return tuple(self._rows)

    def entry(self, row: int) -> m.QueueEntry:
        return self._rows[row]

    def set_entries(self, entries: Sequence[m.QueueEntry]) -> None:
        """Show ``entries`` (already in routing order), changing as few rows as it can."""
        entries = list(entries)
        new_ids = [e.id for e in entries]
        if new_ids == self._ids:
            self._update_data(entries)
            self._index_rows()
            return
        keep = set(new_ids)
        # 1. removals, bottom up, one contiguous run at a time
        for first, last in reversed(_runs([r for r, i in enumerate(self._ids) if i not in keep])):
            self.beginRemoveRows(_ROOT, first, last)
            del self._rows[first : last + 1]
            del self._ids[first : last + 1]
            self.endRemoveRows()
        # 2. what is left, in the new order: rows that moved move in one layout change
        old = set(self._ids)
        kept = [i for i in new_ids if i in old]
        if kept != self._ids:
            self._reorder(kept)
        # 3. insertions, top down, one contiguous run at a time (each lands where
        # the new order has it: everything above it is in place already)
        for first, last in _runs([r for r, i in enumerate(new_ids) if i not in old]):
            self.beginInsertRows(_ROOT, first, last)
            self._rows[first:first] = entries[first : last + 1]
            self._ids[first:first] = new_ids[first : last + 1]
            self.endInsertRows()
        # 4. the kept rows may carry new data (a name, "offered")
        self._update_data(entries)
        self._index_rows()

    def _index_rows(self) -> None:
        self._by_id = dict(zip(self._ids, self._rows, strict=True))
        keys = [routing_key(e) for e in self._rows]
        self._keys = keys if all(a < b for a, b in pairwise(keys)) else None

    def apply_delta(self, upsert: Sequence[m.QueueEntry], remove: Sequence[str]) -> None:
        """``remove`` leave, ``upsert`` join or replace their namesakes, each at the
        row its routing key gives; a selected row stays selected."""
        keys = self._keys
        if keys is None:  # rows not in routing order (not the hub's): the slow way
            view = {**self._by_id, **{e.id: e for e in upsert}}
            for cid in remove:
                view.pop(cid, None)
            self.set_entries(sorted(view.values(), key=routing_key))
            return
        for cid in remove:
            old = self._by_id.pop(cid, None)
            if old is not None:
                row = bisect_left(keys, routing_key(old))
                self.beginRemoveRows(_ROOT, row, row)
                del self._rows[row], self._ids[row], keys[row]
                self.endRemoveRows()
        changed: list[str] = []
        for e in upsert:
            old = self._by_id.get(e.id)
            self._by_id[e.id] = e
            key = routing_key(e)
            if old is None:
                row = bisect_left(keys, key)
                self.beginInsertRows(_ROOT, row, row)
                self._rows.insert(row, e)
                self._ids.insert(row, e.id)
                keys.insert(row, key)
                self.endInsertRows()
                continue
            row = bisect_left(keys, routing_key(old))
            dest = bisect_left(keys, key)  # counted with the row still in its place
            if dest in (row, row + 1):  # it stays where it is
                self._rows[row] = e
                keys[row] = key
                changed.append(e.id)
                continue
            self.beginMoveRows(_ROOT, row, row, _ROOT, dest)
            del self._rows[row], self._ids[row], keys[row]
            to = dest - 1 if dest > row else dest
            self._rows.insert(to, e)
            self._ids.insert(to, e.id)
            keys.insert(to, key)
            self.endMoveRows()
            changed.append(e.id)
        if changed:
            rows = [bisect_left(keys, routing_key(self._by_id[cid])) for cid in changed]
            last = len(self.HEADERS) - 1
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), last))

    def _update_data(self, entries: list[m.QueueEntry]) -> None:
        """Keep ``entries`` (the same ids as the rows, in the same order); ``dataChanged``
        from the first row whose fields changed down, so that a view repaints only
        if that row is on screen or above it.

        Entries are frozen pydantic models of one class: equal fields are an equal
        ``__dict__``, compared in C (``==`` on the models costs several µs a pair).
        """
        before, self._rows = self._rows, entries
        pairs = enumerate(zip(before, entries, strict=True))
        first = next((r for r, (a, b) in pairs if a is not b and a.__dict__ != b.__dict__), None)
        if first is not None:
            bottom = self.index(len(entries) - 1, len(self.HEADERS) - 1)
            self.dataChanged.emit(self.index(first, 0), bottom)

    def _reorder(self, ids: list[str]) -> None:
        """Put the rows (the same set) in the order of ``ids``; persistent indexes follow
        their rows, so a view's selection and current row stay on the same contacts."""
        self.layoutAboutToBeChanged.emit()
        row_of = {cid: row for row, cid in enumerate(ids)}
        by_id = dict(zip(self._ids, self._rows, strict=True))
        before = self._ids
        self._ids = ids
        self._rows = [by_id[cid] for cid in ids]
        moved = self.persistentIndexList()
        self.changePersistentIndexList(
            moved, [self.index(row_of[before[i.row()]], i.column()) for i in moved]
        )
        self.layoutChanged.emit()

    def tick(self) -> None:
        """The wait column moved on: repaint it."""
        if self._rows:
            top = self.index(0, self.WAIT)
            bottom = self.index(len(self._rows) - 1, self.WAIT)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])


def full_name(card: m.PersonCard) -> str:
    return " ".join(x for x in (card.surname, card.name, card.patronymic) if x)


def person_warnings(p: m.PersonCard) -> list[str]:
    """What the medconsultant must heed about this person, in the console's language.

    Built from the card's fields rather than the hub's English ``warnings`` texts,
    so that they translate.
    """
    out = []
    if p.policy_status is None:
        out.append(translate("MatchesModel", "No policy on record: services cannot be given."))
    elif p.policy_status == "expired":
        out.append(translate("MatchesModel", "The policy has expired: services cannot be given."))
    elif p.policy_status == "not_yet_valid":
        out.append(
            translate("MatchesModel", "The policy is not valid yet: services cannot be given yet.")
        )
    if p.age < 1:
        out.append(
            translate(
                "MatchesModel",
                "Under 1 year: outside the program's routing rule (1-17 pediatrician, "
                "18+ therapist); routed to the pediatrician.",
            )
        )
    return out


class MatchesModel(QAbstractTableModel):
    """The insured people an identification found: who, age, route, policy."""

    NAME, BIRTH, AGE, ROUTE, POLICY, RELATION = range(6)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("MatchesModel", "Name"),
        QT_TRANSLATE_NOOP("MatchesModel", "Born"),
        QT_TRANSLATE_NOOP("MatchesModel", "Age"),
        QT_TRANSLATE_NOOP("MatchesModel", "Route"),
        QT_TRANSLATE_NOOP("MatchesModel", "Policy"),
        QT_TRANSLATE_NOOP("MatchesModel", "Relation"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[m.PersonCard] = []

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_text(type(self).__name__, self.HEADERS, section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        p = self._rows[index.row()]
        col = index.column()
        if role == ObjectRole:
            return p
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.NAME:
                return full_name(p)
            if col == self.BIRTH:
                return p.birth_date.strftime("%d.%m.%Y")
            if col == self.AGE:
                return str(p.age)
            if col == self.ROUTE:
                if p.age < 1:
                    return translate("MatchesModel", "Pediatrician (under 1!)")
                return route_name(p.route)
            if col == self.POLICY:
                word, _ = policy_badge(p.policy_status)
                return f"{p.policy_number or '—'} · {word}"
            if col == self.RELATION:
                if p.relation == "self":
                    return translate("MatchesModel", "owner of the phone")
                return translate("MatchesModel", "represented")
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == self.POLICY:
                return QBrush(policy_badge(p.policy_status)[1])
            if col == self.ROUTE and p.age < 1:
                return QBrush(QColor("#c62828"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(person_warnings(p)) or None
        return None

    @property
    def people(self) -> Sequence[m.PersonCard]:
        return tuple(self._rows)

    def person(self, row: int) -> m.PersonCard:
        return self._rows[row]

    def set_people(self, people: Sequence[m.PersonCard]) -> None:
        self.beginResetModel()
        self._rows = list(people)
        self.endResetModel()


ThumbnailRole = Qt.ItemDataRole.UserRole + 3


class ChatModel(QAbstractListModel):
    """One contact's chat, oldest first; a message is added once however often it arrives.

    Image attachments show a thumbnail once :meth:`set_thumbnail` has one; the
    controller downloads them off the GUI thread's critical path.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[m.ChatMessage] = []
        self._ids: set[int] = set()
        self._thumbs: dict[str, QPixmap] = {}

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        msg = self._rows[index.row()]
        if role == ObjectRole:
            return msg
        if role == Qt.ItemDataRole.DisplayRole:
            return self.describe(msg)
        if role in (Qt.ItemDataRole.DecorationRole, ThumbnailRole) and msg.attachment:
            thumb = self._thumbs.get(msg.attachment.id)
            if thumb is not None:
                return thumb
            if role == Qt.ItemDataRole.DecorationRole:
                return QIcon.fromTheme("mail-attachment")
        if role == Qt.ItemDataRole.ForegroundRole and msg.author == "system":
            return QBrush(QColor("#616161"))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if msg.author == "staff":
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and msg.attachment:
            return translate("ChatModel", "Double-click to open")
        return None

    @staticmethod
    def describe(msg: m.ChatMessage) -> str:
        local = msg.at.astimezone()
        if msg.author == "patient":
            who = translate("ChatModel", "Patient")
        elif msg.author == "system":
            who = translate("ChatModel", "System")
        else:
            who = msg.author_name or translate("ChatModel", "Staff")
        text = msg.text
        if msg.attachment:
            size_kb = max(1, msg.attachment.size // 1024)
            att = translate("ChatModel", "File: {name} ({size} KB)").format(
                name=msg.attachment.name, size=size_kb
            )
            text = f"{text}\n{att}" if text else att
        return f"{who}, {local:%H:%M}\n{text}"

    @property
    def messages(self) -> Sequence[m.ChatMessage]:
        return tuple(self._rows)

    def message(self, row: int) -> m.ChatMessage:
        return self._rows[row]

    def set_messages(self, messages: Sequence[m.ChatMessage]) -> None:
        self.beginResetModel()
        self._rows = sorted(messages, key=lambda x: x.id)
        self._ids = {x.id for x in self._rows}
        self.endResetModel()

    def add(self, message: m.ChatMessage) -> bool:
        """Append ``message`` if it is new; ``True`` if it was."""
        if message.id in self._ids:
            return False
        pos = len(self._rows)
        while pos > 0 and self._rows[pos - 1].id > message.id:
            pos -= 1
        self.beginInsertRows(_ROOT, pos, pos)
        self._rows.insert(pos, message)
        self._ids.add(message.id)
        self.endInsertRows()
        return True

    def set_thumbnail(self, attachment_id: str, pixmap: QPixmap) -> None:
        self._thumbs[attachment_id] = pixmap
        for row, msg in enumerate(self._rows):
            if msg.attachment and msg.attachment.id == attachment_id:
                ix = self.index(row)
                self.dataChanged.emit(ix, ix, [Qt.ItemDataRole.DecorationRole, ThumbnailRole])

    def thumbnail(self, attachment_id: str) -> QPixmap | None:
        return self._thumbs.get(attachment_id)

"""A console's queue view, sent whole once and then as deltas.

A console lists what waits in its queues (up to the hub's ``queue_view_limit``
entries, in routing order). Re-sending that list after every change costs the
hub the serialising and every console the parsing of all of it: with a few
thousand waiting, tens of milliseconds of a console's GUI thread several times
a second. So the hub sends a connection the whole view once
(:class:`~console.protocol.messages.QueueSnapshot`) and after that only what
changed (:class:`~console.protocol.messages.QueueDelta`): :func:`diff` on the
hub's side, :class:`QueueView` on the console's.

The routing order is a property of the entries themselves, :func:`routing_key`
(higher priority, then the earlier ``enqueued_at``, then arrival ``seq``; the
queue engine's ``Contact.sort_key``), so a delta carries no positions: the
console puts each entry where its key says.

A delta is relative to the view the connection was last sent; the hub sends
every connection a snapshot first, and one frame at a time on one WebSocket,
so the two sides stay in step. A delta with no snapshot before it on the
connection is a broken hub: :meth:`QueueView.apply` raises :class:`OutOfStep`.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from datetime import datetime

    from console.protocol.messages import QueueEntry

RoutingKey = tuple[int, "datetime", int, str]


class OutOfStep(RuntimeError):
    """A delta arrived for a view that has not had its snapshot."""


def routing_key(e: QueueEntry) -> RoutingKey:
    """The hub's routing order (``id`` last only to make the key total)."""
    return (-e.priority, e.enqueued_at, e.seq, e.id)


def diff(
    before: Mapping[str, QueueEntry], after: Sequence[QueueEntry]
) -> tuple[list[QueueEntry], list[str]]:
    """``(upsert, remove)`` that turn the view ``before`` (by id) into ``after``.

    Entries are frozen pydantic models of one class: equal fields are an equal
    ``__dict__``, compared in C.
    """
    upsert: list[QueueEntry] = []
    joined = 0
    for e in after:
        b = before.get(e.id)
        if b is None:
            joined += 1
            upsert.append(e)
        elif b is not e and b.__dict__ != e.__dict__:
            upsert.append(e)
    if len(before) + joined == len(after):  # every one before is still there
        return upsert, []
    now = {e.id for e in after}
    return upsert, [cid for cid in before if cid not in now]


class QueueView:
    """The entries of one connection's queue view, in routing order, kept by deltas."""

    def __init__(self) -> None:
        self._by_id: dict[str, QueueEntry] = {}
        self._keys: list[RoutingKey] = []  # sorted
        self._synced = False

    @property
    def synced(self) -> bool:
        """Whether a snapshot has set the view since the last :meth:`forget`."""
        return self._synced

    def forget(self) -> None:
        """The connection is gone: the next frame must be a snapshot."""
        self._synced = False

    def reset(self, entries: Iterable[QueueEntry]) -> None:
        """A snapshot: exactly ``entries``."""
        self._by_id = {e.id: e for e in entries}
        self._keys = sorted(routing_key(e) for e in self._by_id.values())
        self._synced = True

    def apply(self, upsert: Iterable[QueueEntry], remove: Iterable[str]) -> None:
        """A delta: ``remove`` leave, ``upsert`` join or replace their namesakes."""
        if not self._synced:
            raise OutOfStep("a queue delta before any queue snapshot")
        for cid in remove:
            gone = self._by_id.pop(cid, None)
            if gone is not None:
                self._drop(routing_key(gone))
        for e in upsert:
            old = self._by_id.get(e.id)
            key = routing_key(e)
            if old is not None:
                old_key = routing_key(old)
                if old_key == key:
                    self._by_id[e.id] = e
                    continue
                self._drop(old_key)
            self._by_id[e.id] = e
            insort(self._keys, key)

    def _drop(self, key: RoutingKey) -> None:
        i = bisect_left(self._keys, key)
        if i < len(self._keys) and self._keys[i] == key:
            del self._keys[i]

    def entries(self) -> list[QueueEntry]:
        """Every entry, in routing order."""
        by_id = self._by_id
        return [by_id[k[3]] for k in self._keys]

    def __len__(self) -> int:
        return len(self._by_id)

    def by_id(self) -> dict[str, QueueEntry]:
        """A copy of the entries by id (what :func:`diff` compares against)."""
        return dict(self._by_id)

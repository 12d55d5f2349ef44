"""The stored routing events behind the call center's numbers, for a period.

:mod:`console.stats` builds its visits from the events of ``contact_events``
(:class:`~console.stats.VisitBuilder` needs *every* event of a contact, from
its arrival, to tell which queue stay a later event belongs to). The visits of
a period ``[since, until)`` are those that entered a queue in it (plus, for
the wallboard, those still waiting), so :func:`load_events` reads in two steps:

1. the contacts: those with an *opening* event in the period (a visit's
   ``ContactQueued``, ``ContactTransferred`` or ``ContactReturned`` is stamped
   with the instant it entered the queue) or answered in it (the staff board
   counts acceptances), through the index on ``at``; with ``open_contacts``,
   also every contact not closed yet (``closed_at`` is indexed): a patient
   waiting since before ``since`` still waits now;
2. their events, through the index on ``contact_id``, a few thousand contacts
   a statement (one ``IN (subquery)`` over a long history makes PostgreSQL
   walk the whole index), merged back into the engine's order (``id``).

Both steps cost what the period holds, however long the history; the
existing indexes serve them. Measured by ``bench/stats.py`` on a day of
100,000 contacts (1.05 million events, a day of history before it), on two
cores shared with other work (load 4 to 6): step 1 takes 1 to 1.5 s (a
covering index on ``(type, at, contact_id)`` makes it 0.5 s on SQLite and
changes nothing on PostgreSQL: not worth an index written on every event),
both steps 10 s on SQLite and 15 s on PostgreSQL for 456,000 rows (of which
PostgreSQL spends 3 to 4 s on the ``->>`` test: the column is ``json``, parsed
for each row), decoding 7 to 13 s more off the event loop.

Only the rows visits are made of are read: the events
:class:`~console.stats.VisitBuilder` reads and, of the staff-state changes,
those that end a handle (from busy or wrap-up to anything else): about half
the rows. The JSON test is portable (``json_extract`` on SQLite, ``->>`` on
PostgreSQL).

The rows come back as JSON text, not parsed: parsing and decoding them is
CPU work (about 12 microseconds a row, half of it ``json.loads``), which the
hub runs off its event loop (:func:`decode`, :func:`build_visits`); the
driver's own JSON parsing would run on the loop, and slower.
"""

from __future__ import annotations

import json
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import Text, and_, cast, func, or_, select

from console.queue import event_from_dict
from console.stats import day_bounds, visits_from_events
from console.store.models import ContactEvent, ContactRow

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date, datetime, tzinfo

    from sqlalchemy.ext.asyncio import AsyncSession

    from console.queue import Event
    from console.stats import QueueVisit

#: The events that open a visit (stamped with the instant it entered the queue).
OPENING_TYPES = ("ContactQueued", "ContactTransferred", "ContactReturned")
#: The event types :class:`console.stats.VisitBuilder` reads (and, of
#: ``StaffStateChanged``, those from busy or wrap-up to another state).
VISIT_EVENT_TYPES = (
    *OPENING_TYPES,
    "ContactRequeued",
    "ContactAccepted",
    "PatientLost",
    "PatientReconnected",
    "ContactClosed",
)
_WORKING = ("busy", "wrap_up")
_FINDING_TYPES = (*OPENING_TYPES, "ContactAccepted")
CHUNK = 2000  # contacts a statement (SQLite takes up to 32766 parameters)


async def contacts_in_period(
    s: AsyncSession,
    since: datetime,
    until: datetime | None = None,
    *,
    open_contacts: bool = False,
) -> list[str]:
    """Ids of the contacts with a visit that entered a queue, or an answer, in
    ``[since, until)`` (``until`` None: from ``since`` on), and with
    ``open_contacts`` every open one; in the order of those events."""
    period = [ContactEvent.type.in_(_FINDING_TYPES), ContactEvent.at >= since]
    if until is not None:
        period.append(ContactEvent.at < until)
    # In the order they entered: the events of neighbours in the list are neighbours
    # in the table, so step 2 reads few pages.
    stmt = select(ContactEvent.contact_id).where(*period).order_by(ContactEvent.at)
    found: dict[str, None] = dict.fromkeys(
        cid for cid in (await s.scalars(stmt)).all() if cid is not None
    )
    if open_contacts:
        stmt = select(ContactRow.id).where(ContactRow.closed_at.is_(None))
        found.update(dict.fromkeys((await s.scalars(stmt)).all()))
    return list(found)


async def last_event_id(s: AsyncSession) -> int:
    """The id of the latest stored event (0 for none): a mark to load up to."""
    return int((await s.execute(select(func.max(ContactEvent.id)))).scalar() or 0)


async def load_events(
    s: AsyncSession,
    since: datetime,
    until: datetime | None = None,
    *,
    open_contacts: bool = False,
    upto: int | None = None,
) -> list[str]:
    """The stored events the visits of ``[since, until)`` need, as JSON text of their
    ``event_to_dict`` form, in the engine's order: every event visits are made of,
    of every contact of :func:`contacts_in_period`; with ``upto``, only the events
    stored up to that id (:func:`last_event_id`). See the module docstring."""
    ids = await contacts_in_period(s, since, until, open_contacts=open_contacts)
    old = ContactEvent.data["old"].as_string()
    new = ContactEvent.data["new"].as_string()
    wanted = or_(
        ContactEvent.type.in_(VISIT_EVENT_TYPES),
        and_(ContactEvent.type == "StaffStateChanged", old.in_(_WORKING), new.not_in(_WORKING)),
    )
    rows: list[Any] = []
    for n in range(0, len(ids), CHUNK):
        chunk = ids[n : n + CHUNK]
        stmt = select(ContactEvent.id, cast(ContactEvent.data, Text)).where(
            ContactEvent.contact_id.in_(chunk), wanted
        )
        if upto is not None:
            stmt = stmt.where(ContactEvent.id <= upto)
        rows.extend((await s.execute(stmt)).all())
    rows.sort(key=itemgetter(0))
    return [r[1] for r in rows]


def decode(rows: Iterable[str | dict[str, Any]]) -> list[Event]:
    """The engine's events from :func:`load_events`' rows (CPU: run it off the event loop)."""
    loads = json.loads
    return [event_from_dict(loads(r) if isinstance(r, str) else r) for r in rows]


def build_visits(rows: Iterable[str | dict[str, Any]]) -> list[QueueVisit]:
    """The visits of :func:`load_events`' rows (CPU: run it off the event loop)."""
    return visits_from_events(decode(rows))


async def day_visits(s: AsyncSession, day: date, tz: tzinfo) -> list[QueueVisit]:
    """Every visit that entered a queue on ``day`` (the call center's local day in ``tz``),
    for :func:`console.stats.report`; decoded on the caller's thread."""
    since, until = day_bounds(day, tz)
    return build_visits(await load_events(s, since, until))


__all__ = [
    "OPENING_TYPES",
    "VISIT_EVENT_TYPES",
    "build_visits",
    "contacts_in_period",
    "day_visits",
    "decode",
    "load_events",
]

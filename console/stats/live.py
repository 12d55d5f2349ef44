"""The wallboard and today's report kept up to date from the engine's events, in memory.

:func:`~console.stats.wallboard` and :func:`~console.stats.report` take every
visit of the day and walk them all: 0.2 to 0.4 s for a day of 100,000 contacts
(125,000 visits; ``bench/stats.py``), too much to do every second on the hub's
event loop. :class:`LiveStats` gives the same numbers (a test compares them)
for the cost of the contacts in progress (3 to 5 ms a wallboard on that day): it
folds the events as the hub commits them (:class:`VisitBuilder`, O(1) an
event), and when asked, moves every visit no later event can change
(:meth:`VisitBuilder.settle`) into running tallies of its local day, once.
Then:

- today's figures = the settled tallies of today + the visits still open;
- the last 15 minutes = the settled visits that entered in them (kept in a
  short list) + the open ones;
- waiting now and the longest wait = the open visits only (a settled visit
  never waits);
- today's report = the settled tallies per interval + the open visits.

Settled visits are counted as of the end of time: all their facts are in the
past of any ``now`` the hub asks about (``now`` never goes backwards). Feed it
the stored events of the period first (``console.store.stats``: every event
of every contact with an event since the earlier of the local midnight and
``now - recent``, and of every open contact), then every list of events the
engine returns, in order. Not thread-safe.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from console.queue.events import ContactAccepted
from console.stats.figures import (
    _TICK,
    QueueFigures,
    StatsConfig,
    WallboardRow,
    _aware,
    _Tally,
    _wallboard_rows,
    waiting_since,
)
from console.stats.report import _report_rows, day_bounds
from console.stats.visits import VisitBuilder, queue_group

if TYPE_CHECKING:
    from collections.abc import Iterable

    from console.queue.events import Event
    from console.stats.visits import QueueVisit

_END_OF_TIME = datetime.max.replace(tzinfo=UTC) - timedelta(days=2)
# Settle after this many new events even when nobody asks (memory stays bounded).
_SETTLE_EVERY = 5000


@dataclass(slots=True)
class _Day:
    """The settled visits that entered on one local day, tallied."""

    start: datetime  # local midnight, UTC
    end: datetime
    tallies: dict[str, _Tally] = field(default_factory=dict)  # group -> whole day
    grid: dict[str, dict[int, _Tally]] = field(default_factory=dict)  # group -> interval


class LiveStats:
    """The call center's numbers as of now, from events applied as they happen.

    ``tz`` is the call center's time zone ("today" is its local day);
    ``config`` the definitions' settings (:class:`StatsConfig`).
    """

    def __init__(self, tz: tzinfo, config: StatsConfig | None = None) -> None:
        self.tz = tz
        self.config = config or StatsConfig()
        self._builder = VisitBuilder()
        self._days: dict[date, _Day] = {}
        self._recent: list[QueueVisit] = []  # settled, entered at most `recent` before latest
        self._accepted: dict[date, Counter[str]] = {}  # local day -> staff id -> acceptances
        self._latest: datetime | None = None  # the latest event instant seen
        self._unsettled = 0  # events since the last settle
        self._groups: dict[str, str] = {}
        self._day_of = (_END_OF_TIME, _END_OF_TIME, date.min)  # the last local day met: UTC bounds

    def apply(self, events: Iterable[Event]) -> None:
        """Fold the events (in the engine's order) in."""
        events = list(events)
        if not events:
            return
        self._builder.apply(events)
        latest = max(e.at for e in events)
        if self._latest is None or latest > self._latest:
            self._latest = latest
        for e in events:
            if isinstance(e, ContactAccepted):
                day = self._local_day(e.at)
                counter = self._accepted.get(day)
                if counter is None:
                    counter = self._accepted[day] = Counter()
                counter[e.staff_id] += 1
        self._unsettled += len(events)
        if self._unsettled >= _SETTLE_EVERY:
            self._settle()

    # ------------------------------------------------------------------ the numbers

    def wallboard(self, now: datetime) -> dict[str, WallboardRow]:
        """What :func:`console.stats.wallboard` gives for all the visits so far, at ``now``."""
        now = _aware(now, "now")
        today = self._today(now)
        day = self._days.get(today)
        today_t = {g: t.copy() for g, t in day.tallies.items()} if day else {}
        recent_start = now - self.config.recent
        self._recent = [v for v in self._recent if v.entered_at >= recent_start]
        recent_t: dict[str, _Tally] = {}
        end = now + _TICK
        for v in self._recent:
            if v.entered_at < end:
                self._tally(recent_t, v).add(v, now, self.config)
        waiting: dict[str, int] = {}
        oldest: dict[str, datetime] = {}
        start = day.start if day else self._bounds(today)[0]
        for v in self._builder.visits():
            entered = v.entered_at
            if start <= entered < end:
                self._tally(today_t, v).add(v, now, self.config)
            if recent_start <= entered < end:
                self._tally(recent_t, v).add(v, now, self.config)
            since = waiting_since(v, now)
            if since is not None:
                group = self._group(v.queue)
                waiting[group] = waiting.get(group, 0) + 1
                if group not in oldest or since < oldest[group]:
                    oldest[group] = since
        return _wallboard_rows(
            today_t, recent_t, waiting, oldest, now=now, tz=self.tz, config=self.config
        )

    def report(self, now: datetime) -> list[QueueFigures]:
        """What :func:`console.stats.report` gives for today (``now``'s local day)."""
        now = _aware(now, "now")
        today = self._today(now)
        start, day_end = self._bounds(today)
        day = self._days.get(today)
        grid = {
            g: {i: t.copy() for i, t in by_index.items()}
            for g, by_index in (day.grid.items() if day else ())
        }
        visible = min(day_end, now + _TICK)
        step = self.config.interval
        for v in self._builder.visits():
            entered = v.entered_at
            if start <= entered < visible:
                by_index = grid.setdefault(self._group(v.queue), {})
                index = (entered - start) // step
                tally = by_index.get(index)
                if tally is None:
                    tally = by_index[index] = _Tally()
                tally.add(v, now, self.config)
        return _report_rows(grid, start, day_end, tz=self.tz, config=self.config)

    def handled_today(self, now: datetime) -> Counter[str]:
        """Contacts each staff member accepted (answered) on ``now``'s local day, by id."""
        return Counter(self._accepted.get(_aware(now, "now").astimezone(self.tz).date(), ()))

    # ------------------------------------------------------------------ internals

    def _today(self, now: datetime) -> date:
        """``now``'s local day, after settling and forgetting earlier days."""
        today = now.astimezone(self.tz).date()
        self._settle()
        for old in [d for d in self._days if d < today]:
            del self._days[old]
        for old in [d for d in self._accepted if d < today]:
            del self._accepted[old]
        return today

    def _bounds(self, day: date) -> tuple[datetime, datetime]:
        found = self._days.get(day)
        return (found.start, found.end) if found else day_bounds(day, self.tz)

    def _local_day(self, at: datetime) -> date:
        """``at``'s local day (``at.astimezone(self.tz).date()``, without a time-zone
        conversion for each of the day's instants)."""
        start, end, day = self._day_of
        if start <= at < end:
            return day
        day = at.astimezone(self.tz).date()
        start, end = day_bounds(day, self.tz)
        self._day_of = (start, end, day)
        return day

    def _group(self, queue: str) -> str:
        group = self._groups.get(queue)
        if group is None:
            group = self._groups[queue] = queue_group(queue)
        return group

    def _tally(self, tallies: dict[str, _Tally], v: QueueVisit) -> _Tally:
        group = self._group(v.queue)
        tally = tallies.get(group)
        if tally is None:
            tally = tallies[group] = _Tally()
        return tally

    def _settle(self) -> None:
        """Move every settled visit into its day's tallies (and the recent list)."""
        self._unsettled = 0
        settled = self._builder.settle()
        if not settled:
            return
        latest = self._latest or _END_OF_TIME
        recent_from = latest - self.config.recent
        step = self.config.interval
        config = self.config
        day: _Day | None = None
        for v in settled:
            entered = v.entered_at
            if day is None or not day.start <= entered < day.end:
                local = self._local_day(entered)
                day = self._days.get(local)
                if day is None:
                    start, end = day_bounds(local, self.tz)
                    day = self._days[local] = _Day(start, end)
            group = self._group(v.queue)
            tally = day.tallies.get(group)
            if tally is None:
                tally = day.tallies[group] = _Tally()
            tally.add(v, _END_OF_TIME, config)
            by_index = day.grid.get(group)
            if by_index is None:
                by_index = day.grid[group] = {}
            index = (entered - day.start) // step
            tally = by_index.get(index)
            if tally is None:
                tally = by_index[index] = _Tally()
            tally.add(v, _END_OF_TIME, config)
            if entered >= recent_from:
                self._recent.append(v)


__all__ = ["LiveStats"]

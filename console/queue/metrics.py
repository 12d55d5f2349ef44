"""Call-center metrics, computed from the engine's events and state.

Definitions (one for "today", "the last 15 minutes" and the interval report)
---------------------------------------------------------------------------

*Visit*: one stay of a contact in one queue. It starts when the contact enters
the queue (arrival, transfer, hand-back): ``entered_at`` is the event's
``enqueued_at``. It is *answered* when a staff member first accepts it there,
or *resolved unanswered* when the contact closes before that (abandoned, not
reached, cancelled). A requeue after the staff member was lost continues the
same visit, which stays answered at its first acceptance.

- **speed of answer** = ``answered_at - entered_at``;
- **answered within target**: speed of answer ``<= service_level_target``
  (default 20 s; exactly 20 s is within);
- **short abandon**: abandoned after waiting ``< short_abandon`` (default 5 s);
  short abandons are left out of the abandoned count and of the denominator;
- **offered** (the denominator) = answered + abandoned (not short) + not
  reached; cancelled contacts are left out (nobody failed them);
- **service level** = answered within target / offered;
- **abandoned share** = abandoned / offered;
- **ASA** (average speed of answer) = mean speed of answer of answered visits;
- *Handle*: one staff member's work on one contact, from acceptance to the end
  of that member's wrap-up for it (after an end, a transfer or a hand-back),
  or to the moment they were lost; **AHT** = mean handle time.

Windows: a visit counts in the window ``[start, end)`` that holds the instant
it was resolved (answered or closed); a handle in the window that holds its
end. A visit still waiting or a handle still open counts in no window yet; the
live numbers (waiting now, longest wait, staff per state) come from the
engine's state via :func:`live_metrics`.

Every ratio and mean is None when its denominator is zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from console.queue.events import (
    ContactAccepted,
    ContactClosed,
    ContactQueued,
    ContactRequeued,
    ContactReturned,
    ContactTransferred,
    Event,
    StaffStateChanged,
)
from console.queue.model import OPERATORS, Channel, Kind, Outcome, QueueConfig, Staff, StaffState

if TYPE_CHECKING:
    from collections.abc import Iterable

    from console.queue.state import EngineState

#: The key of the all-queues aggregate in :func:`window_metrics`.
ALL_QUEUES = "*"

_WORKING = frozenset({StaffState.BUSY, StaffState.WRAP_UP})


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueVisit:
    """One stay of a contact in one queue (see the module docstring)."""

    contact_id: str
    queue: str
    channel: Channel
    kind: Kind
    entered_at: datetime
    answered_at: datetime | None = None
    closed_at: datetime | None = None  # closed before it was answered
    outcome: Outcome | None = None  # why, when closed before it was answered

    @property
    def resolved_at(self) -> datetime | None:
        return self.answered_at if self.answered_at is not None else self.closed_at

    @property
    def wait(self) -> timedelta | None:
        """Time from entering the queue to being answered or closed."""
        resolved = self.resolved_at
        return None if resolved is None else resolved - self.entered_at


@dataclass(frozen=True, slots=True, kw_only=True)
class Handle:
    """One staff member's work on one contact: acceptance to wrap-up end."""

    contact_id: str
    queue: str
    staff_id: str
    accepted_at: datetime
    ended_at: datetime | None = None

    @property
    def duration(self) -> timedelta | None:
        return None if self.ended_at is None else self.ended_at - self.accepted_at


class MetricsRecorder:
    """Folds engine events, in order, into visits and handles.

    Feed it every list an engine method returns (or the persisted event log on
    start-up); it keeps what it needs and ignores the rest.
    """

    def __init__(self) -> None:
        self._visits: list[QueueVisit] = []
        self._open_visit: dict[str, int] = {}  # contact id -> index of its current visit
        self._handles: list[Handle] = []
        self._open_handle: dict[str, int] = {}  # staff id -> index of their open handle

    @property
    def visits(self) -> tuple[QueueVisit, ...]:
        return tuple(self._visits)

    @property
    def handles(self) -> tuple[Handle, ...]:
        return tuple(self._handles)

    def apply(self, events: Iterable[Event]) -> None:
        for event in events:
            self._apply(event)

    def forget_before(self, instant: datetime) -> None:
        """Drop visits resolved and handles ended before ``instant`` (keeps memory bounded)."""
        open_visits = set(self._open_visit.values())
        open_handles = set(self._open_handle.values())
        keep_v = [
            i
            for i, v in enumerate(self._visits)
            if i in open_visits or v.resolved_at is None or v.resolved_at >= instant
        ]
        keep_h = [
            i
            for i, h in enumerate(self._handles)
            if i in open_handles or h.ended_at is None or h.ended_at >= instant
        ]
        new_v = {old: new for new, old in enumerate(keep_v)}
        new_h = {old: new for new, old in enumerate(keep_h)}
        self._visits = [self._visits[i] for i in keep_v]
        self._handles = [self._handles[i] for i in keep_h]
        self._open_visit = {k: new_v[i] for k, i in self._open_visit.items()}
        self._open_handle = {k: new_h[i] for k, i in self._open_handle.items()}

    def _open(
        self, contact_id: str, queue: str, channel: Channel, kind: Kind, at: datetime
    ) -> None:
        self._open_visit[contact_id] = len(self._visits)
        self._visits.append(
            QueueVisit(
                contact_id=contact_id, queue=queue, channel=channel, kind=kind, entered_at=at
            )
        )

    def _apply(self, e: Event) -> None:
        if isinstance(e, ContactQueued):
            self._open(e.contact_id, e.queue, e.channel, e.kind, e.enqueued_at)
        elif isinstance(e, ContactTransferred | ContactReturned):
            self._open(e.contact_id, e.to_queue, e.channel, e.kind, e.enqueued_at)
        elif isinstance(e, ContactRequeued):
            if e.contact_id not in self._open_visit:  # recorder started mid-stream
                self._open(e.contact_id, e.queue, e.channel, e.kind, e.enqueued_at)
        elif isinstance(e, ContactAccepted):
            i = self._open_visit.get(e.contact_id)
            if i is not None and self._visits[i].answered_at is None:
                self._visits[i] = replace(self._visits[i], answered_at=e.at)
            self._open_handle[e.staff_id] = len(self._handles)
            self._handles.append(
                Handle(
                    contact_id=e.contact_id, queue=e.queue, staff_id=e.staff_id, accepted_at=e.at
                )
            )
        elif isinstance(e, ContactClosed):
            i = self._open_visit.pop(e.contact_id, None)
            if i is not None and self._visits[i].answered_at is None:
                self._visits[i] = replace(self._visits[i], closed_at=e.at, outcome=e.outcome)
        elif isinstance(e, StaffStateChanged) and e.old in _WORKING and e.new not in _WORKING:
            j = self._open_handle.pop(e.staff_id, None)
            if j is not None:
                self._handles[j] = replace(self._handles[j], ended_at=e.at)


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueMetrics:
    """Metrics of one queue (or of all, :data:`ALL_QUEUES`) over one window."""

    queue: str
    answered: int = 0
    answered_within_target: int = 0
    abandoned: int = 0  # short abandons excluded
    short_abandoned: int = 0
    not_reached: int = 0
    cancelled: int = 0
    handles: int = 0
    asa: timedelta | None = None
    aht: timedelta | None = None

    @property
    def offered(self) -> int:
        """The denominator: answered + abandoned (not short) + not reached."""
        return self.answered + self.abandoned + self.not_reached

    @property
    def service_level(self) -> float | None:
        """Share of offered contacts answered within the target."""
        return self.answered_within_target / self.offered if self.offered else None

    @property
    def abandoned_share(self) -> float | None:
        return self.abandoned / self.offered if self.offered else None


@dataclass(slots=True)
class _Tally:
    answered: int = 0
    within: int = 0
    abandoned: int = 0
    short: int = 0
    not_reached: int = 0
    cancelled: int = 0
    speed: list[timedelta] = field(default_factory=list)
    handle_times: list[timedelta] = field(default_factory=list)

    def add_visit(self, v: QueueVisit, config: QueueConfig) -> None:
        wait = v.wait
        if wait is None:
            return
        if v.answered_at is not None:
            self.answered += 1
            self.speed.append(wait)
            if wait <= config.service_level_target:
                self.within += 1
        elif v.outcome is Outcome.ABANDONED:
            if wait < config.short_abandon:
                self.short += 1
            else:
                self.abandoned += 1
        elif v.outcome is Outcome.CANCELLED:
            self.cancelled += 1
        else:  # not reached (the only other way to leave a queue unanswered)
            self.not_reached += 1

    def result(self, queue: str) -> QueueMetrics:
        return QueueMetrics(
            queue=queue,
            answered=self.answered,
            answered_within_target=self.within,
            abandoned=self.abandoned,
            short_abandoned=self.short,
            not_reached=self.not_reached,
            cancelled=self.cancelled,
            handles=len(self.handle_times),
            asa=_mean(self.speed),
            aht=_mean(self.handle_times),
        )


def _mean(values: list[timedelta]) -> timedelta | None:
    return sum(values, timedelta(0)) / len(values) if values else None


def window_metrics(
    visits: Iterable[QueueVisit],
    handles: Iterable[Handle],
    start: datetime,
    end: datetime,
    *,
    config: QueueConfig | None = None,
) -> dict[str, QueueMetrics]:
    """Per-queue metrics over ``[start, end)``, plus the aggregate under ``"*"``.

    Visits count by the instant they were resolved, handles by the instant
    they ended (see the module docstring for every definition).
    """
    config = config if config is not None else QueueConfig()
    tallies: dict[str, _Tally] = {ALL_QUEUES: _Tally()}
    for v in visits:
        resolved = v.resolved_at
        if resolved is not None and start <= resolved < end:
            for key in (v.queue, ALL_QUEUES):
                tallies.setdefault(key, _Tally()).add_visit(v, config)
    for h in handles:
        duration = h.duration
        if h.ended_at is not None and duration is not None and start <= h.ended_at < end:
            for key in (h.queue, ALL_QUEUES):
                tallies.setdefault(key, _Tally()).handle_times.append(duration)
    return {queue: tally.result(queue) for queue, tally in sorted(tallies.items())}


@dataclass(frozen=True, slots=True, kw_only=True)
class IntervalMetrics:
    start: datetime
    end: datetime
    queues: dict[str, QueueMetrics]


def interval_report(
    visits: Iterable[QueueVisit],
    handles: Iterable[Handle],
    start: datetime,
    end: datetime,
    *,
    step: timedelta = timedelta(minutes=15),
    config: QueueConfig | None = None,
) -> list[IntervalMetrics]:
    """:func:`window_metrics` for consecutive intervals of ``step`` from ``start`` to ``end``."""
    if step <= timedelta(0):
        raise ValueError("step must be positive")
    visits, handles = list(visits), list(handles)
    report = []
    lo = start
    while lo < end:
        hi = min(lo + step, end)
        report.append(
            IntervalMetrics(
                start=lo, end=hi, queues=window_metrics(visits, handles, lo, hi, config=config)
            )
        )
        lo = hi
    return report


@dataclass(frozen=True, slots=True, kw_only=True)
class LiveQueueMetrics:
    """The queue right now: who waits, for how long, and its staff by state."""

    queue: str
    waiting: int  # contacts in the queue, offered and patient-lost ones included
    longest_wait: timedelta | None  # now - enqueued_at of the longest-waiting one
    staff: dict[StaffState, int]  # staff members serving this queue, by state


def staff_by_state(staff: Iterable[Staff]) -> dict[StaffState, int]:
    """How many staff members are in each state (every state present, zeros too)."""
    counts = dict.fromkeys(StaffState, 0)
    for s in staff:
        counts[s.state] += 1
    return counts


def live_metrics(state: EngineState, now: datetime) -> dict[str, LiveQueueMetrics]:
    """Live per-queue numbers from an engine snapshot (``engine.snapshot()``)."""
    queues = {OPERATORS}
    for s in state.staff:
        queues |= s.queues
    waiting = [c for c in state.contacts if c.in_queue]
    queues |= {c.queue for c in waiting}
    result = {}
    for queue in sorted(queues):
        here = [c for c in waiting if c.queue == queue]
        result[queue] = LiveQueueMetrics(
            queue=queue,
            waiting=len(here),
            longest_wait=max((now - c.enqueued_at for c in here), default=None),
            staff=staff_by_state(s for s in state.staff if queue in s.queues),
        )
    return result

"""The call center's numbers, and exactly what each one means.

DOMAIN.md ("What the call center measures") names the numbers: queue length,
longest wait, average speed of answer, service level ("share answered within a
target, e.g. 80% within 20 s"), abandoned contacts, average handle time. It
does not define them further; where this page goes beyond it, it picks the
usual contact-center definition (where the industry has several variants, it
names the one chosen) and says so. The wallboard and the 15-minute report are
built by the same code (:class:`_Tally`), so they cannot disagree.

These are the product's only definitions. (An older set, the retired
``console.queue.metrics``, counted a visit in the window where it was answered
or left and took service level as answered within target / offered; numbers
from it do not compare with these.)

Every definition counts *visits* (:class:`~console.stats.visits.QueueVisit`:
one stay of a contact in one queue). A contact that is transferred to a
doctor and handed back makes three visits: operators, the doctor's queue,
operators again; each counts in its own queue.

Time
    Numbers are taken *as of* ``now``: a fact stamped after ``now`` (an answer,
    a departure, the end of a handle) is treated as not having happened yet,
    so replaying stored visits at an earlier ``now`` gives the numbers as they
    were then. (Exact for a visit with one handle; for the rare visit whose
    staff member was lost mid-contact the repeat wait is only known as of the
    visit's last state.)

Window
    A window ``[start, end)`` counts the visits that **entered** the queue in
    it (``start <= entered_at < end``, and ``entered_at <= now``): every
    number of a window, answers and handle times included, is about the
    contacts that arrived in it, whenever they were answered. So a contact
    arriving at 09:14 and answered at 09:16 counts in 09:00-09:15, and the
    15-minute intervals of a day add up to the day. "Today" is from the call
    center's local midnight (``tz``) up to and including ``now``; "the last 15
    minutes" is ``[now - 15 min, now]``. A consequence: the last 15 minutes'
    AHT only has the contacts that both entered and were fully handled in
    them, so it leans short; the day's and the report's are the fair ones.

Waiting now, longest wait (not windowed)
    Waiting now: visits that entered at or before ``now`` and at ``now`` are
    neither answered nor gone, plus answered visits waiting again after their
    staff member was lost (``requeued_at``). Longest wait: ``now`` minus the
    start of the longest current wait (``entered_at``, or ``requeued_at``);
    None when nobody waits. A contact whose offer is ringing still waits.

Short abandon
    An abandon (``Exit.ABANDONED``) after a wait ``< short_abandon`` (default
    5 s; 5.0 s is not short). Short abandons are counted on their own and are
    left out of everything else: offered, abandoned, service level
    (industry practice: misdials and instant hang-ups say nothing of service).

Offered
    Visits in the window, short abandons excluded. Every offered visit is in
    exactly one of: answered, abandoned, transferred, cancelled, waiting::

        offered = answered + abandoned + transferred + cancelled + waiting

Answered
    Accepted by a staff member (``answered_at <= now``). A visit answered once
    stays answered, even if its staff member is lost and it waits again, or
    the contact is later closed with another outcome.

Speed of answer, answered within target
    ``answered_at - entered_at``; within target when ``<= target`` (default
    20 s; exactly 20 s is within).

Abandoned
    Left while waiting, not short: the patient went (``Exit.ABANDONED``, at
    the moment the patient hung up or the connection dropped for good) or the
    contact was closed as not reached after 15 minutes (``Exit.TIMED_OUT``,
    counted also in ``timed_out``). *Abandoned after target*: abandoned after
    waiting ``> target``.

Transferred, cancelled
    Moved to another queue before anyone answered, or cancelled while waiting
    (e.g. an appointment called off). Neither answered nor abandoned: they
    count in offered only.

Service level (SL)
    ``answered within target / (answered + abandoned after target)``.
    Abandons within the target neither help nor hurt (the patient left before
    we were late); contacts still waiting are not counted until they are
    answered or leave. Of the usual denominators (answered; answered + all
    abandons; answered + abandons after target) this is the last: it neither
    ignores patients we kept waiting too long nor blames the center for
    those who left before the target was reached.
    The goal (default 80%) is :attr:`StatsConfig.goal`.

Abandoned share
    ``abandoned / offered`` (the industry's abandon rate; contacts still
    waiting are in the denominator).

ASA (average speed of answer)
    Mean speed of answer of the answered visits.

AHT (average handle time)
    Mean handle time (talk + wrap-up of every staff member who held the
    contact in this visit) over the answered visits whose handling has ended
    by ``now`` (``handled``); a visit still being talked or wrapped up is not
    in it yet.

Empty
    A ratio or mean whose denominator is zero is **None**, never 0: "no
    contacts" must not look like "0% service level" or "0 s waits".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from console.stats.visits import DEFAULT_GROUPS, Exit, queue_group

if TYPE_CHECKING:
    from collections.abc import Iterable

    from console.queue.model import QueueConfig
    from console.stats.visits import QueueVisit

_HOUR = timedelta(hours=1)
_TICK = timedelta(microseconds=1)  # the resolution of datetime: "up to and including now"


@dataclass(frozen=True, slots=True, kw_only=True)
class StatsConfig:
    """The settings of the definitions (see the module docstring)."""

    target: timedelta = timedelta(seconds=20)  # service level: answered within this
    goal: float = 0.8  # service level the center aims at
    short_abandon: timedelta = timedelta(seconds=5)  # abandons quicker than this are left out
    recent: timedelta = timedelta(minutes=15)  # the wallboard's "last 15 minutes"
    interval: timedelta = timedelta(minutes=15)  # the report's interval; divides an hour
    groups: tuple[str, ...] = field(default=DEFAULT_GROUPS)  # always shown, in this order

    def __post_init__(self) -> None:
        if self.target < timedelta(0) or self.short_abandon < timedelta(0):
            raise ValueError("StatsConfig.target and short_abandon must not be negative")
        if not 0 <= self.goal <= 1:
            raise ValueError("StatsConfig.goal is a share, from 0 to 1")
        if self.recent <= timedelta(0):
            raise ValueError("StatsConfig.recent must be positive")
        if self.interval <= timedelta(0) or _HOUR % self.interval:
            raise ValueError("StatsConfig.interval must divide an hour (e.g. 15 minutes)")

    @classmethod
    def from_queue_config(cls, config: QueueConfig, **overrides: Any) -> StatsConfig:
        """The engine's ``service_level_target`` and ``short_abandon``, plus ``overrides``."""
        base = cls(target=config.service_level_target, short_abandon=config.short_abandon)
        return replace(base, **overrides)

    def meets_goal(self, service_level: float | None) -> bool | None:
        """Whether a service level reaches the goal; None when there is none."""
        return None if service_level is None else service_level >= self.goal


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueFigures:
    """The numbers of one queue group over one window (see the module docstring).

    ``start``/``end`` are the window (the wallboard and the report give them in
    the call center's time zone); for the wallboard's windows ``end`` is
    ``now`` and included. Counts are exact; the ratios are ``a / b`` of two of
    the counts, so a test can compare them with ``==``.
    """

    queue: str
    start: datetime
    end: datetime
    offered: int = 0
    answered: int = 0
    answered_within_target: int = 0
    abandoned: int = 0  # timed-out ones included, short ones not
    abandoned_after_target: int = 0
    timed_out: int = 0  # of abandoned: closed as not reached
    short_abandoned: int = 0  # not in offered
    transferred: int = 0
    cancelled: int = 0
    waiting: int = 0  # of offered: still waiting at now
    handled: int = 0  # answered visits whose handling has ended (AHT's denominator)
    asa: timedelta | None = None
    aht: timedelta | None = None

    @property
    def service_level(self) -> float | None:
        """answered within target / (answered + abandoned after target); None if 0/0."""
        denominator = self.answered + self.abandoned_after_target
        return self.answered_within_target / denominator if denominator else None

    @property
    def abandoned_share(self) -> float | None:
        """abandoned / offered; None if nothing was offered."""
        return self.abandoned / self.offered if self.offered else None


@dataclass(frozen=True, slots=True, kw_only=True)
class WallboardRow:
    """One queue group on the wallboard: who waits now, today, the last 15 minutes."""

    queue: str
    waiting: int
    longest_wait: timedelta | None
    today: QueueFigures
    recent: QueueFigures


@dataclass(slots=True)
class _Tally:
    """Running counts of one group over one window: the one implementation of the
    definitions, shared by :func:`queue_figures`, :func:`wallboard` and the report."""

    offered: int = 0
    answered: int = 0
    within: int = 0
    abandoned: int = 0
    abandoned_late: int = 0
    timed_out: int = 0
    short: int = 0
    transferred: int = 0
    cancelled: int = 0
    waiting: int = 0
    handled: int = 0
    speed: timedelta = timedelta(0)
    handle: timedelta = timedelta(0)

    def add(self, v: QueueVisit, now: datetime, config: StatsConfig) -> None:
        """Count one visit of the window, as of ``now``."""
        answered = v.answered_at
        if answered is not None and answered <= now:
            self.offered += 1
            self.answered += 1
            speed = answered - v.entered_at
            self.speed += speed
            if speed <= config.target:
                self.within += 1
            if v.handled_at is not None and v.handle_time is not None and v.handled_at <= now:
                self.handled += 1
                self.handle += v.handle_time
            return
        left, exit_ = v.left_at, v.exit
        if left is None or exit_ is None or left > now:
            self.offered += 1
            self.waiting += 1
            return
        wait = left - v.entered_at
        if exit_ is Exit.ABANDONED and wait < config.short_abandon:
            self.short += 1
            return
        self.offered += 1
        if exit_ is Exit.CANCELLED:
            self.cancelled += 1
        elif exit_ is Exit.TRANSFERRED:
            self.transferred += 1
        else:
            self.abandoned += 1
            if exit_ is Exit.TIMED_OUT:
                self.timed_out += 1
            if wait > config.target:
                self.abandoned_late += 1

    def copy(self) -> _Tally:
        return replace(self)

    def figures(self, queue: str, start: datetime, end: datetime) -> QueueFigures:
        return QueueFigures(
            queue=queue,
            start=start,
            end=end,
            offered=self.offered,
            answered=self.answered,
            answered_within_target=self.within,
            abandoned=self.abandoned,
            abandoned_after_target=self.abandoned_late,
            timed_out=self.timed_out,
            short_abandoned=self.short,
            transferred=self.transferred,
            cancelled=self.cancelled,
            waiting=self.waiting,
            handled=self.handled,
            asa=self.speed / self.answered if self.answered else None,
            aht=self.handle / self.handled if self.handled else None,
        )


def waiting_since(v: QueueVisit, now: datetime) -> datetime | None:
    """When the visit's current wait began, if it is waiting at ``now``; else None."""
    if v.entered_at > now or (v.left_at is not None and v.left_at <= now):
        return None
    answered = v.answered_at
    if answered is None or answered > now:
        return v.entered_at
    requeued = v.requeued_at
    return requeued if requeued is not None and requeued <= now else None


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return value.astimezone(UTC)


def local_midnight(now: datetime, tz: tzinfo) -> datetime:
    """The start of ``now``'s day in ``tz`` (the call center's "today"), as a UTC instant."""
    local = _aware(now, "now").astimezone(tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def queue_figures(
    visits: Iterable[QueueVisit],
    queue: str,
    *,
    now: datetime,
    since: datetime,
    until: datetime | None = None,
    config: StatsConfig | None = None,
) -> QueueFigures:
    """The figures of one queue group (``"operators"``, ``"duty:therapist"``,
    ``"appointments"``...) for the visits that entered in ``[since, until)``,
    as of ``now``; without ``until``, in ``[since, now]``."""
    config = config or StatsConfig()
    now = _aware(now, "now")
    start = _aware(since, "since")
    end = now + _TICK if until is None else min(_aware(until, "until"), now + _TICK)
    tally = _Tally()
    for v in visits:
        if start <= v.entered_at < end and queue_group(v.queue) == queue:
            tally.add(v, now, config)
    return tally.figures(queue, since, now if until is None else until)


def _ordered(config: StatsConfig, seen: Iterable[str]) -> list[str]:
    """The configured groups first, in order, then any other group seen, sorted."""
    return [*config.groups, *sorted(set(seen) - set(config.groups))]


def wallboard(
    visits: Iterable[QueueVisit],
    *,
    now: datetime,
    tz: tzinfo,
    config: StatsConfig | None = None,
) -> dict[str, WallboardRow]:
    """Every queue group's wallboard row, in one pass over ``visits``.

    ``visits`` must hold every visit that entered since the earlier of the
    local midnight and ``now - config.recent``, and every visit still waiting
    (see :mod:`console.stats.visits` for the query). The configured groups are
    always present, in order (empty ones with None averages); any other group
    seen follows, sorted.
    """
    config = config or StatsConfig()
    now = _aware(now, "now")
    today_start = local_midnight(now, tz)
    recent_start = now - config.recent
    end = now + _TICK
    today: dict[str, _Tally] = {}
    recent: dict[str, _Tally] = {}
    waiting: dict[str, int] = {}
    oldest: dict[str, datetime] = {}
    groups: dict[str, str] = {}
    for v in visits:
        group = groups.get(v.queue)
        if group is None:
            group = groups[v.queue] = queue_group(v.queue)
        entered = v.entered_at
        if today_start <= entered < end:
            tally = today.get(group)
            if tally is None:
                tally = today[group] = _Tally()
            tally.add(v, now, config)
        if recent_start <= entered < end:
            tally = recent.get(group)
            if tally is None:
                tally = recent[group] = _Tally()
            tally.add(v, now, config)
        since = waiting_since(v, now)
        if since is not None:
            waiting[group] = waiting.get(group, 0) + 1
            if group not in oldest or since < oldest[group]:
                oldest[group] = since
    return _wallboard_rows(today, recent, waiting, oldest, now=now, tz=tz, config=config)


def _wallboard_rows(
    today: dict[str, _Tally],
    recent: dict[str, _Tally],
    waiting: dict[str, int],
    oldest: dict[str, datetime],
    *,
    now: datetime,
    tz: tzinfo,
    config: StatsConfig,
) -> dict[str, WallboardRow]:
    """The wallboard's rows from its tallies (``now`` in UTC): shared by :func:`wallboard`
    and :class:`console.stats.live.LiveStats`."""
    local_now = now.astimezone(tz)
    local_start = local_midnight(now, tz).astimezone(tz)
    local_recent = (now - config.recent).astimezone(tz)
    rows = {}
    for group in _ordered(config, [*today, *recent, *waiting]):
        first = oldest.get(group)
        rows[group] = WallboardRow(
            queue=group,
            waiting=waiting.get(group, 0),
            longest_wait=None if first is None else now - first,
            today=today.get(group, _Tally()).figures(group, local_start, local_now),
            recent=recent.get(group, _Tally()).figures(group, local_recent, local_now),
        )
    return rows

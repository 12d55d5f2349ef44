"""The day's report: every queue group's figures in 15-minute intervals, and its CSV.

The rows are :class:`~console.stats.figures.QueueFigures` computed by the same
tally as the wallboard, one window per interval (a visit counts in the
interval it entered the queue in; see :mod:`console.stats.figures`).
Intervals follow the call center's clock: from local midnight to the next
local midnight in steps of ``config.interval``, so a day has 96 quarter hours,
92 or 100 on a daylight-saving change (Moscow has none since 2014).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from console.stats.figures import _TICK, QueueFigures, StatsConfig, _aware, _ordered, _Tally
from console.stats.visits import queue_group

if TYPE_CHECKING:
    from collections.abc import Iterable

    from console.stats.visits import QueueVisit


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """Local midnight of ``day`` and of the next day in ``tz``, as UTC instants."""
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return start, end


def report(
    visits: Iterable[QueueVisit],
    day: date,
    *,
    tz: tzinfo,
    now: datetime,
    config: StatsConfig | None = None,
) -> list[QueueFigures]:
    """Every interval of ``day`` for every queue group, as of ``now``, in one pass.

    Rows are ordered by interval, then group (the configured groups, then any
    other seen that day, sorted); an interval with no visit still has its rows
    (zeros, None averages), so the report is a complete grid. ``start`` and
    ``end`` of each row are in ``tz``, for display; Python compares and
    subtracts two times of the same zone by wall clock, so on the autumn DST
    day convert them with ``.astimezone(UTC)`` before arithmetic. Intervals
    after ``now`` are empty.
    """
    config = config or StatsConfig()
    now = _aware(now, "now")
    start, end = day_bounds(day, tz)
    step = config.interval
    visible = min(end, now + _TICK)
    tallies: dict[str, dict[int, _Tally]] = {}
    groups: dict[str, str] = {}
    for v in visits:
        entered = v.entered_at
        if not start <= entered < visible:
            continue
        group = groups.get(v.queue)
        if group is None:
            group = groups[v.queue] = queue_group(v.queue)
        index = (entered - start) // step
        by_index = tallies.get(group)
        if by_index is None:
            by_index = tallies[group] = {}
        tally = by_index.get(index)
        if tally is None:
            tally = by_index[index] = _Tally()
        tally.add(v, now, config)
    return _report_rows(tallies, start, end, tz=tz, config=config)


def _report_rows(
    tallies: dict[str, dict[int, _Tally]],
    start: datetime,
    end: datetime,
    *,
    tz: tzinfo,
    config: StatsConfig,
) -> list[QueueFigures]:
    """The report's grid from its tallies (group -> interval index -> tally) for the
    day ``[start, end)`` (UTC): shared by :func:`report` and ``LiveStats``."""
    step = config.interval
    count = -((start - end) // step)  # ceil: a half-hour DST shift and a 1 h step
    empty = _Tally()
    rows = []
    ordered = _ordered(config, tallies)
    for index in range(count):
        lo = start + index * step
        hi = min(lo + step, end)
        local_lo, local_hi = lo.astimezone(tz), hi.astimezone(tz)
        for group in ordered:
            tally = tallies.get(group, {}).get(index, empty)
            rows.append(tally.figures(group, local_lo, local_hi))
    return rows


#: The report's columns: counts, then ratios as percentages (0-100) and
#: averages in seconds, two decimals with a point; empty when undefined (0/0).
CSV_COLUMNS = (
    "start",
    "end",
    "queue",
    "offered",
    "answered",
    "answered_within_target",
    "abandoned",
    "abandoned_after_target",
    "timed_out",
    "short_abandoned",
    "transferred",
    "cancelled",
    "waiting",
    "handled",
    "service_level_pct",
    "abandoned_pct",
    "asa_s",
    "aht_s",
)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _percent(value: float | None) -> str:
    return "" if value is None else _number(100 * value)


def _seconds(value: timedelta | None) -> str:
    return "" if value is None else _number(value.total_seconds())


def report_csv(rows: Iterable[QueueFigures]) -> str:
    """The report as CSV text: a header line, then one line per row.

    Comma-separated, ``\\n`` line ends (write it with ``newline=""``), decimal
    point ``.`` whatever the locale; times as ISO 8601 with the UTC offset
    (e.g. ``2026-11-22T09:00+03:00``); percentages as numbers (``66.67``).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            (
                r.start.isoformat(timespec="minutes"),
                r.end.isoformat(timespec="minutes"),
                r.queue,
                r.offered,
                r.answered,
                r.answered_within_target,
                r.abandoned,
                r.abandoned_after_target,
                r.timed_out,
                r.short_abandoned,
                r.transferred,
                r.cancelled,
                r.waiting,
                r.handled,
                _percent(r.service_level),
                _percent(r.abandoned_share),
                _seconds(r.asa),
                _seconds(r.aht),
            )
        )
    return out.getvalue()

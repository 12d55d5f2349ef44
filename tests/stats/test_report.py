"""The day's report in 15-minute intervals, and its CSV, checked by hand."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from console.stats import (
    CSV_COLUMNS,
    DEFAULT_GROUPS,
    QueueFigures,
    StatsConfig,
    day_bounds,
    queue_figures,
    report,
    report_csv,
)
from tests.stats.helpers import APPT, DAY, MSK, NOW, OPS, PED, SCENARIO, THER, at, s, visit

BERLIN = ZoneInfo("Europe/Berlin")


def rows_at(rows: list[QueueFigures], hour: int, minute: int) -> dict[str, QueueFigures]:
    return {r.queue: r for r in rows if (r.start.hour, r.start.minute) == (hour, minute)}


def test_the_day_is_a_complete_grid_in_local_time() -> None:
    rows = report(SCENARIO, DAY, tz=MSK, now=at(NOW))
    assert len(rows) == 96 * 4  # 96 quarter hours x 4 groups
    assert [r.queue for r in rows[:4]] == list(DEFAULT_GROUPS)
    first, last = rows[0], rows[-1]
    assert first.start == datetime(2026, 11, 22, 0, 0, tzinfo=MSK)
    assert first.start.utcoffset() == timedelta(hours=3)
    assert last.end == datetime(2026, 11, 23, 0, 0, tzinfo=MSK)
    assert sum(r.offered for r in rows) == 8 + 4 + 1  # operators, therapist, appointments


def test_nine_to_quarter_past_by_hand() -> None:
    rows = rows_at(report(SCENARIO, DAY, tz=MSK, now=at(NOW)), 9, 0)
    ops = rows[OPS]
    # [09:00, 09:15) = [0, 900): c01..c07 and c09 entered; c04 is a short abandon.
    assert (ops.offered, ops.answered, ops.answered_within_target) == (7, 4, 2)
    assert (ops.abandoned, ops.abandoned_after_target, ops.short_abandoned) == (2, 1, 1)
    assert (ops.cancelled, ops.waiting, ops.handled) == (1, 0, 4)
    assert ops.service_level == 2 / 5  # 2 / (4 + 1)
    assert ops.abandoned_share == 2 / 7  # c05, c06 of 7 offered
    # c07 (entered 09:14, answered 09:15:30) counts here, where it entered.
    assert ops.asa == s(155) / 4  # (10 + 20 + 35 + 90) / 4 = 38.75 s
    assert ops.aht == s(255)  # (200 + 120 + 300 + 400) / 4
    ther = rows[THER]
    # c10 (answered in 5 s), c11 (not reached), c12 (transferred out) entered before 09:15.
    assert (ther.offered, ther.answered, ther.abandoned, ther.transferred) == (3, 1, 1, 1)
    assert (ther.timed_out, ther.abandoned_after_target) == (1, 1)
    assert ther.service_level == 1 / 2  # 1 / (1 answered + 1 abandoned after target)
    assert ther.abandoned_share == 1 / 3
    assert (ther.asa, ther.aht) == (s(5), s(600))
    assert rows[PED].offered == rows[APPT].offered == 0


def test_quarter_past_nine_by_hand() -> None:
    rows = rows_at(report(SCENARIO, DAY, tz=MSK, now=at(NOW)), 9, 15)
    ops = rows[OPS]
    # Only c08 (09:16:40), still waiting at 09:25.
    assert (ops.offered, ops.waiting, ops.answered) == (1, 1, 0)
    assert ops.service_level is None  # nobody answered or abandoned yet: 0/0
    assert ops.abandoned_share == 0.0  # 0 / 1
    assert (ops.asa, ops.aht) == (None, None)
    ther = rows[THER]  # c13: answered after 25 s, still talking
    assert (ther.offered, ther.answered, ther.handled) == (1, 1, 0)
    assert (ther.service_level, ther.asa, ther.aht) == (0.0, s(25), None)
    appt = rows[APPT]  # c14 in doctor:d7 at 09:20, answered after 90 s
    assert (appt.offered, appt.answered, appt.service_level, appt.asa) == (1, 1, 0.0, s(90))


def test_intervals_add_up_to_the_day() -> None:
    rows = report(SCENARIO, DAY, tz=MSK, now=at(NOW))
    start, end = day_bounds(DAY, MSK)
    for group in DEFAULT_GROUPS:
        whole = queue_figures(SCENARIO, group, now=at(NOW), since=start, until=end)
        mine = [r for r in rows if r.queue == group]
        for name in ("offered", "answered", "abandoned", "short_abandoned", "waiting", "handled"):
            assert sum(getattr(r, name) for r in mine) == getattr(whole, name), (group, name)


def test_a_contact_entering_on_the_boundary_counts_in_the_later_interval() -> None:
    # Entered at 09:15:00.000000 exactly; the one before, a microsecond earlier.
    on = visit("b1", OPS, 900, answered=905)
    before = replace(visit("b0", OPS, 899, answered=905), entered_at=at(900) - s(1e-6))
    rows = report([on, before], DAY, tz=MSK, now=at(NOW))
    assert rows_at(rows, 9, 0)[OPS].offered == 1  # b0: [09:00, 09:15) leaves 09:15 out
    assert rows_at(rows, 9, 15)[OPS].offered == 1  # b1
    first = queue_figures([on, before], OPS, now=at(NOW), since=at(0), until=at(900))
    second = queue_figures([on, before], OPS, now=at(NOW), since=at(900), until=at(1800))
    assert (first.offered, second.offered) == (1, 1)
    assert (first.asa, second.asa) == (s(5) + s(1e-6), s(5))


def test_csv_by_hand() -> None:
    rows = rows_at(report(SCENARIO, DAY, tz=MSK, now=at(NOW)), 9, 0)
    quarter = rows_at(report(SCENARIO, DAY, tz=MSK, now=at(NOW)), 9, 15)
    text = report_csv([rows[OPS], rows[THER], rows[PED], quarter[OPS]])
    assert text == (
        ",".join(CSV_COLUMNS) + "\n"
        # SL 2/5 = 40.00 %, abandoned 2/7 = 28.57 %, ASA 38.75 s, AHT 255 s
        "2026-11-22T09:00+03:00,2026-11-22T09:15+03:00,operators,"
        "7,4,2,2,1,0,1,0,1,0,4,40.00,28.57,38.75,255.00\n"
        # SL 1/2, abandoned 1/3 = 33.33 %, ASA 5 s, AHT 600 s
        "2026-11-22T09:00+03:00,2026-11-22T09:15+03:00,duty:therapist,"
        "3,1,1,1,1,1,0,1,0,0,1,50.00,33.33,5.00,600.00\n"
        # empty: zeros, and empty cells where a ratio would be 0/0
        "2026-11-22T09:00+03:00,2026-11-22T09:15+03:00,duty:pediatrician,"
        "0,0,0,0,0,0,0,0,0,0,0,,,,\n"
        "2026-11-22T09:15+03:00,2026-11-22T09:30+03:00,operators,"
        "1,0,0,0,0,0,0,0,0,1,0,,0.00,,\n"
    )
    whole_day = report_csv(report(SCENARIO, DAY, tz=MSK, now=at(NOW)))
    parsed = list(csv.DictReader(io.StringIO(whole_day)))
    assert len(parsed) == 96 * 4
    assert float(parsed[36 * 4]["service_level_pct"]) == 40.0  # 09:00 is the 37th quarter


def test_moscow_day_boundary_in_the_report() -> None:
    late = visit("y1", OPS, -9 * 3600 - 10, answered=-9 * 3600 + 5)  # 23:59:50 on the 21st
    early = visit("y2", OPS, -9 * 3600, answered=-9 * 3600 + 1)  # 00:00:00 on the 22nd
    now = at(0)
    before = report([late, early], date(2026, 11, 21), tz=MSK, now=now)
    assert [(r.start.time().isoformat(), r.offered) for r in before if r.offered] == [
        ("23:45:00", 1)
    ]
    day = report([late, early], DAY, tz=MSK, now=now)
    assert [(r.start.time().isoformat(), r.offered) for r in day if r.offered] == [("00:00:00", 1)]
    # In UTC both are on the 21st; the report follows the call center's day.
    assert late.entered_at.date() == early.entered_at.date() == date(2026, 11, 21)


def test_daylight_saving_days_have_92_and_100_quarters() -> None:
    spring = report([], date(2026, 3, 29), tz=BERLIN, now=datetime(2026, 4, 1, tzinfo=UTC))
    assert len(spring) == 92 * 4  # 23 hours
    # Autumn: 02:00-03:00 happens twice; a contact in each lands in its own interval.
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST (+02)
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET (+01)
    template = visit("d", OPS, 0, answered=30)
    visits = [replace(template, entered_at=t, answered_at=t + s(30)) for t in (first, second)]
    autumn = report(visits, date(2026, 10, 25), tz=BERLIN, now=datetime(2026, 11, 1, tzinfo=UTC))
    assert len(autumn) == 100 * 4  # 25 hours
    busy = [(r.start.isoformat(timespec="minutes"), r.asa) for r in autumn if r.offered]
    assert busy == [("2026-10-25T02:30+02:00", s(30)), ("2026-10-25T02:30+01:00", s(30))]
    # (Local times of one zone compare by wall clock: index by position, not by equality.)
    assert [i // 4 for i, r in enumerate(autumn) if r.offered] == [10, 14]


def test_an_hourly_report() -> None:
    rows = report(SCENARIO, DAY, tz=MSK, now=at(NOW), config=StatsConfig(interval=s(3600)))
    assert len(rows) == 24 * 4
    nine = rows_at(rows, 9, 0)[OPS]
    assert (nine.offered, nine.answered, nine.waiting) == (8, 4, 1)  # = the day so far

"""The hand-computed scenario of the statistics tests, and a visit builder."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from console.queue import Channel, Kind
from console.stats import Exit, QueueVisit

MSK = ZoneInfo("Europe/Moscow")
DAY = date(2026, 11, 22)
T0 = datetime(2026, 11, 22, 9, 0, tzinfo=MSK)  # 06:00 UTC
NOW = 1500  # 09:25:00 MSK, in seconds after T0
OPS, THER, PED, APPT = "operators", "duty:therapist", "duty:pediatrician", "appointments"


def at(seconds: float) -> datetime:
    """The instant ``seconds`` after 09:00 MSK on 22 November 2026."""
    return T0 + timedelta(seconds=seconds)


def s(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def visit(
    contact_id: str,
    queue: str,
    entered: float,
    *,
    answered: float | None = None,
    handle: float | None = None,
    left: float | None = None,
    exit: Exit | None = None,
    requeued: float | None = None,
    handled: float | None = None,
) -> QueueVisit:
    """A visit with times in seconds after T0; one handle runs from the answer for
    ``handle`` seconds (``handled`` overrides its end)."""
    handled_at = None
    if handle is not None:
        assert answered is not None
        handled_at = at(handled if handled is not None else answered + handle)
    return QueueVisit(
        contact_id=contact_id,
        queue=queue,
        channel=Channel.VIDEO,
        kind=Kind.URGENT,
        entered_at=at(entered),
        answered_at=None if answered is None else at(answered),
        left_at=None if left is None else at(left),
        exit=exit,
        handle_time=None if handle is None else s(handle),
        handled_at=handled_at,
        requeued_at=None if requeued is None else at(requeued),
    )


#: A morning of 14 contacts; seconds after 09:00 MSK. ``now`` is 1500 (09:25).
SCENARIO = [
    # operators
    visit("c01", OPS, 0, answered=10, handle=200),  # 10 s: within target
    visit("c02", OPS, 30, answered=50, handle=120),  # 20 s: within (exactly the target)
    visit("c03", OPS, 60, answered=95, handle=300),  # 35 s: late
    visit("c04", OPS, 100, left=103, exit=Exit.ABANDONED),  # 3 s: short abandon
    visit("c05", OPS, 120, left=135, exit=Exit.ABANDONED),  # 15 s: abandoned within target
    visit("c06", OPS, 200, left=260, exit=Exit.ABANDONED),  # 60 s: abandoned after target
    visit("c07", OPS, 840, answered=930, handle=400),  # 09:14:00 -> 09:15:30, 90 s
    visit("c08", OPS, 1000, answered=1560),  # waiting at now (answered after it)
    visit("c09", OPS, 300, left=320, exit=Exit.CANCELLED),
    # duty therapist
    visit("c10", THER, 400, answered=405, handle=600),  # 5 s, handled by 1005
    visit("c11", THER, 500, left=1400, exit=Exit.TIMED_OUT),  # not reached after 900 s
    visit("c12", THER, 600, left=630, exit=Exit.TRANSFERRED),  # moved before an answer
    visit("c13", THER, 1100, answered=1125),  # 25 s, still talking at now
    # a doctor's appointment queue
    visit("c14", "doctor:d7", 1200, answered=1290, handle=500),  # 90 s, handled at 1790
]

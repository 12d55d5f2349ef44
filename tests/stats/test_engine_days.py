"""More mornings on the real engine, with the figures worked out by hand.

These are the scenarios of the retired ``console.queue.metrics`` tests, told
again with :mod:`console.stats`' definitions (a visit counts in the window it
entered; service level = answered within target / (answered + abandoned after
target); cancelled visits are offered). Default engine timings: ring 20 s,
wrap-up 30 s, not reached after 900 s. Times are seconds after 09:00 MSK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.clock import FakeClock
from console.queue import Channel, ContactState, Engine, Event, Kind, Role
from console.stats import (
    DEFAULT_GROUPS,
    Entry,
    queue_figures,
    report,
    visits_from_events,
    wallboard,
)
from tests.stats.helpers import APPT, DAY, MSK, OPS, PED, T0, THER, at, s

if TYPE_CHECKING:
    from console.stats import QueueVisit

V, FOLLOW = Channel.VIDEO, Kind.FOLLOW_UP


class Day:
    """An engine on a fake clock, and every event it returned."""

    def __init__(self, *, operators: int = 2, therapist: bool = False) -> None:
        self.clock = FakeClock(T0)
        self.engine = Engine(self.clock)
        self.events: list[Event] = []
        for n in range(1, operators + 1):
            self.engine.register_staff(f"o{n}", Role.OPERATOR)
        if therapist:
            self.engine.register_staff("t1", Role.DOCTOR, specialty="therapist", duty=True)

    def when(self, seconds: int) -> None:
        """Move the clock to ``seconds`` and let the engine act on its deadlines."""
        self.clock.set(at(seconds))
        self.events += self.engine.tick()

    def do(self, events: list[Event]) -> None:
        self.events += events

    def visits(self) -> list[QueueVisit]:
        return visits_from_events(self.events)


def day_of_two_operators() -> Day:
    """c1 arrives 0, o1 answers at 10 (10 s), ends at 190; wrap-up runs out at 220.
    c2 (chat) arrives 5; o2, back from a break at 35, answers at 40 (35 s), ends at
       160 and finishes wrap-up at 170.
    c3 arrives 60, hangs up at 63: a short abandon (3 s).
    c4 arrives 60, hangs up at 120: abandoned after 60 s.
    c5 (an appointment, with the operators) arrives 90, cancelled at 100.
    c6 (urgent) waits from 0 for a duty pediatrician nobody is; not reached at 900.
    """
    d = Day()
    e = d.engine
    d.do(e.set_break("o2", "meeting"))
    d.do(e.set_available("o1"))
    d.do(e.arrive("c1", V, FOLLOW))
    d.do(e.arrive("c6", V, Kind.URGENT, queue="duty:pediatrician"))
    d.when(5)
    d.do(e.arrive("c2", Channel.CHAT, FOLLOW))
    d.when(10)
    d.do(e.accept("c1", "o1"))
    d.when(35)
    d.do(e.set_available("o2"))
    d.when(40)
    d.do(e.accept("c2", "o2"))
    d.when(60)
    d.do(e.arrive("c3", V, FOLLOW))
    d.do(e.arrive("c4", V, FOLLOW))
    d.when(63)
    d.do(e.patient_left("c3"))
    d.when(90)
    d.do(e.arrive("c5", V, Kind.APPOINTMENT))
    d.when(100)
    d.do(e.cancel("c5"))
    d.when(120)
    d.do(e.patient_left("c4"))
    d.when(160)
    d.do(e.end("c2", "o2"))
    d.when(170)
    d.do(e.finish_wrapup("o2"))
    d.when(190)
    d.do(e.end("c1", "o1"))
    d.when(220)  # o1's wrap-up runs out
    d.when(900)  # c6 not reached
    return d


def test_a_day_of_two_operators_by_hand() -> None:
    visits = day_of_two_operators().visits()
    board = wallboard(visits, now=at(900), tz=MSK)
    ops = board[OPS].today
    assert (ops.offered, ops.answered, ops.answered_within_target) == (4, 2, 1)
    # 4 offered = c1, c2 answered + c4 abandoned + c5 cancelled; c3 (3 s) is short.
    assert (ops.abandoned, ops.abandoned_after_target, ops.short_abandoned) == (1, 1, 1)
    assert (ops.cancelled, ops.timed_out, ops.waiting, ops.handled) == (1, 0, 0, 2)
    assert ops.service_level == 1 / 3  # c1 within / (2 answered + c4 abandoned after 60 s)
    assert ops.abandoned_share == 1 / 4  # c4 of 4 offered (cancelled c5 is offered)
    assert ops.asa == s(22.5)  # (10 + 35) / 2
    assert ops.aht == s(170)  # c1 10 -> 220 = 210 s, c2 40 -> 170 = 130 s: 340 / 2
    ped = board[PED].today
    # c6: closed as not reached after 900 s: an abandon (a timeout), after the target.
    assert (ped.offered, ped.abandoned, ped.timed_out, ped.abandoned_after_target) == (1, 1, 1, 1)
    assert (ped.service_level, ped.abandoned_share) == (0.0, 1.0)  # 0 / (0 + 1), 1 / 1
    assert (ped.asa, ped.aht) == (None, None)
    assert (board[OPS].waiting, board[PED].waiting) == (0, 0)


def test_a_window_counts_the_visits_that_entered_in_it() -> None:
    visits = day_of_two_operators().visits()
    # Nobody entered in [100, 160), though c4 left and c2 ended in it: all empty.
    quiet = queue_figures(visits, OPS, now=at(900), since=at(100), until=at(160))
    assert (quiet.offered, quiet.abandoned, quiet.cancelled, quiet.handled) == (0, 0, 0, 0)
    assert (quiet.service_level, quiet.abandoned_share, quiet.asa) == (None, None, None)
    # [60, 120) holds c3, c4 and c5; c4 left at 120 (outside it) and still counts.
    later = queue_figures(visits, OPS, now=at(900), since=at(60), until=at(120))
    assert (later.offered, later.abandoned, later.short_abandoned, later.cancelled) == (2, 1, 1, 1)
    assert later.service_level == 0 / 1  # no answer, c4 abandoned after the target


def test_the_report_of_that_day() -> None:
    rows = report(day_of_two_operators().visits(), DAY, tz=MSK, now=at(900))
    nine = {r.queue: r for r in rows if (r.start.hour, r.start.minute) == (9, 0)}
    quarter = {r.queue: r for r in rows if (r.start.hour, r.start.minute) == (9, 15)}
    assert nine[OPS].service_level == 1 / 3  # the same figures as the wallboard's day
    assert nine[OPS].offered == 4
    # c6 entered at 09:00 and was closed at 09:15:00 exactly: it counts at 09:00.
    assert (nine[PED].offered, nine[PED].timed_out) == (1, 1)
    assert all(quarter[g].offered == 0 for g in DEFAULT_GROUPS)
    assert quarter[OPS].service_level is None
    assert sum(r.offered for r in rows) == 4 + 1


def test_staff_lost_then_transferred_then_handed_back() -> None:
    """c1 (urgent) arrives 0; o1 answers at 4 and is lost at 60 (no wrap-up): c1
    waits again; o2, available at 70, answers at 75 and transfers it to the duty
    therapist at 100 (o2's wrap-up runs out at 130); t1, available at 110,
    answers at 112 and hands it back at 400 (t1's wrap-up runs out at 430)."""
    d = Day(therapist=True)
    e = d.engine
    d.do(e.set_available("o1"))
    d.do(e.arrive("c1", V, Kind.URGENT))
    d.when(4)
    d.do(e.accept("c1", "o1"))
    d.when(60)
    d.do(e.staff_lost("o1"))
    d.when(65)
    waiting_again = d.visits()
    d.when(70)
    d.do(e.set_available("o2"))
    d.when(75)
    d.do(e.accept("c1", "o2"))
    d.when(100)
    d.do(e.transfer("c1", "o2", "duty:therapist"))
    d.when(110)
    d.do(e.set_available("t1"))
    d.when(112)
    d.do(e.accept("c1", "t1"))
    d.when(130)
    d.when(400)
    d.do(e.hand_back("c1", "t1"))
    assert e.get_contact("c1").state is ContactState.OFFERED  # ringing at o2 (first refusal)
    at_400 = d.visits()
    d.when(430)

    # At 65: c1 waits again since o1 was lost at 60, and stays answered at 4.
    row = wallboard(waiting_again, now=at(65), tz=MSK)[OPS]
    assert (row.waiting, row.longest_wait) == (1, s(5))
    assert (row.today.answered, row.today.waiting, row.today.asa) == (1, 0, s(4))
    # As of 65 no handle is open, so o1's part counts as the handling so far (as
    # for c4 in test_visits): 4 -> 60 = 56 s. o2's part will be added to it.
    assert (row.today.handled, row.today.aht) == (1, s(56))

    got = {(v.queue, v.entry): v for v in d.visits()}
    assert set(got) == {(OPS, Entry.ARRIVED), (THER, Entry.TRANSFERRED), (OPS, Entry.HANDED_BACK)}
    first = got[OPS, Entry.ARRIVED]
    assert first.answered_at == at(4)  # the first answer counts
    assert first.requeued_at is None  # cleared when o2 answered
    # o1 4 -> lost at 60 (56 s) + o2 75 -> end of wrap-up at 130 (55 s) = 111 s.
    assert (first.handle_time, first.handled_at) == (s(111), at(130))
    ther = got[THER, Entry.TRANSFERRED]
    assert (ther.entered_at, ther.answered_at) == (at(100), at(112))  # waited 12 s
    assert (ther.handle_time, ther.handled_at) == (s(318), at(430))  # 112 -> 430
    back = got[OPS, Entry.HANDED_BACK]
    assert (back.entered_at, back.answered_at, back.left_at) == (at(400), None, None)

    # At 400 t1 still talks/wraps up: the therapist's visit is answered, not handled.
    board = wallboard(at_400, now=at(400), tz=MSK)
    ops, th = board[OPS], board[THER]
    assert (ops.waiting, ops.longest_wait) == (1, s(0))  # the handed-back c1, ringing
    assert (ops.today.offered, ops.today.answered, ops.today.waiting) == (2, 1, 1)
    assert (ops.today.service_level, ops.today.asa, ops.today.aht) == (1.0, s(4), s(111))
    assert (th.today.offered, th.today.answered, th.today.handled) == (1, 1, 0)
    assert (th.today.service_level, th.today.asa, th.today.aht) == (1.0, s(12), None)
    # At 430 t1's wrap-up has run out: 318 s.
    assert wallboard(d.visits(), now=at(430), tz=MSK)[THER].today.aht == s(318)


def test_waiting_now_includes_a_contact_whose_offer_rings() -> None:
    """o1 lets c1 ring out (0 -> 20) and is not responding; c2 arrives 30, c3 for the
    duty therapist at 50; o2 comes in at 70 and c1 (the oldest) rings at o2."""
    d = Day(operators=2, therapist=True)
    e = d.engine
    d.do(e.set_available("o1"))
    d.do(e.arrive("c1", V, FOLLOW))
    d.when(20)  # the offer rings out
    d.when(30)
    d.do(e.arrive("c2", V, FOLLOW))
    d.when(50)
    d.do(e.arrive("c3", V, FOLLOW, queue="duty:therapist"))
    d.when(70)
    d.do(e.set_available("o2"))
    d.when(80)
    assert e.get_contact("c1").state is ContactState.OFFERED
    board = wallboard(d.visits(), now=at(80), tz=MSK)
    # c1 rings at o2, but it is still waiting (it keeps its place): 2 waiting, oldest 80 s.
    assert (board[OPS].waiting, board[OPS].longest_wait) == (2, s(80))
    assert (board[THER].waiting, board[THER].longest_wait) == (1, s(30))  # c3, since 50
    assert (board[APPT].waiting, board[APPT].longest_wait) == (0, None)
    ops = board[OPS].today
    assert (ops.offered, ops.waiting, ops.answered) == (2, 2, 0)
    assert (ops.service_level, ops.abandoned_share) == (None, 0.0)  # 0/0, and 0 / 2

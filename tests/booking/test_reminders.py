"""The booking SMS and the reminder 10 minutes before: due once, late after a restart (002, 003)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from console.booking import (
    Appointment,
    AppointmentStatus,
    ContactWay,
    NotificationKind,
    Target,
    booking_sms_text,
    cancel,
    close_not_reached,
    connect,
    due_work,
    enter_queue,
    mark_sent,
    next_due,
    notifications_due,
    release,
    reminder_text,
)
from tests.booking.helpers import MONDAY, MOSCOW, T0, booked, local, minutes

if TYPE_CHECKING:
    from console.clock import FakeClock

TEN = local(MONDAY, 10)
BOOKING = NotificationKind.BOOKING_SMS
REMINDER = NotificationKind.REMINDER


def kinds(appointments: list[Appointment], now: datetime) -> list[NotificationKind]:
    return [n.kind for n in notifications_due(appointments, now)]


def test_a_booking_sends_an_sms_at_once_and_once(clock: FakeClock) -> None:
    appt = booked(TEN, clock.now())
    due = notifications_due([appt], clock.now())
    assert [(n.kind, n.due_at) for n in due] == [(BOOKING, clock.now())]
    assert due[0].targets(online=True) == {Target.SMS}
    sent = mark_sent(appt, BOOKING, clock.now())
    assert sent.booking_sms_at == clock.now()
    assert kinds([sent], clock.now() + minutes(1)) == []


def test_no_booking_sms_without_a_phone() -> None:
    appt = booked(TEN, T0, way=ContactWay.CHAT, phone=None)
    assert kinds([appt], T0) == []


def test_the_reminder_falls_due_10_minutes_before(clock: FakeClock) -> None:
    appt = mark_sent(booked(TEN, clock.now()), BOOKING, clock.now())
    assert next_due([appt]) == TEN - minutes(10)
    clock.set(TEN - minutes(10) - timedelta(seconds=1))
    assert kinds([appt], clock.now()) == []
    clock.set(TEN - minutes(10))
    (reminder,) = notifications_due([appt], clock.now())
    assert (reminder.kind, reminder.due_at) == (REMINDER, TEN - minutes(10))
    assert reminder.targets(online=True) == {Target.PAGE, Target.SMS}
    assert reminder.targets(online=False) == {Target.SMS}
    sent = mark_sent(appt, REMINDER, clock.now())
    assert kinds([sent], clock.now()) == []
    assert kinds([sent], TEN + minutes(5)) == []


def test_the_reminder_goes_to_the_page_only_when_there_is_no_phone() -> None:
    appt = booked(TEN, T0, way=ContactWay.CHAT, phone=None)
    (reminder,) = notifications_due([appt], TEN - minutes(10))
    assert reminder.targets(online=True) == {Target.PAGE}
    assert reminder.targets(online=False) == frozenset()


def test_no_reminder_once_cancelled_connected_or_closed() -> None:
    appt = mark_sent(booked(TEN, T0), BOOKING, T0)
    cancelled = cancel(appt, T0 + minutes(1))
    assert kinds([cancelled], TEN - minutes(5)) == []
    waiting = enter_queue(appt, TEN, "c-1")
    assert kinds([waiting], TEN) == [REMINDER]  # missed: late, but still useful
    assert kinds([connect(waiting, TEN)], TEN) == []
    assert kinds([close_not_reached(waiting, TEN + minutes(15))], TEN + minutes(15)) == []


def test_texts_give_the_local_date_and_time() -> None:
    appt = booked(TEN, T0)
    assert "23.11.2026 в 10:00" in booking_sms_text(appt, MOSCOW)
    assert "23.11.2026 в 10:00" in reminder_text(appt, MOSCOW)


class Hub:
    """The hub's booking timer in miniature: stored appointments, a send log, down/up."""

    def __init__(self, clock: FakeClock, appointments: list[Appointment]) -> None:
        self.clock = clock
        self.stored = {a.id: a for a in appointments}  # survives a restart
        self.sent: list[tuple[NotificationKind, int | None, datetime, datetime]] = []
        self.queued: list[str] = []

    def run(self, until: datetime, step: timedelta = timedelta(seconds=5)) -> None:
        while self.clock.now() < until:
            self.tick()
            self.clock.advance(step)

    def tick(self) -> None:
        now = self.clock.now()
        work = due_work(self.stored.values(), now)
        for a in work.expired_holds:
            self.stored[a.id] = release(a, now)
        for a in work.to_queue:
            self.queued.append(f"appt-{a.id}")
            self.stored[a.id] = enter_queue(a, now, f"appt-{a.id}")
        for a in work.not_reached:
            self.stored[a.id] = close_not_reached(self.stored[a.id], now)
        for n in work.notifications:
            current = self.stored[n.appointment.id]
            self.stored[n.appointment.id] = mark_sent(current, n.kind, now)  # first, then send
            self.sent.append((n.kind, n.appointment.id, n.due_at, now))


def test_the_timer_sends_each_message_once(clock: FakeClock) -> None:
    hub = Hub(clock, [booked(TEN, clock.now())])
    hub.run(until=TEN + minutes(30))
    assert [(k, due) for k, _, due, _ in hub.sent] == [(BOOKING, T0), (REMINDER, TEN - minutes(10))]
    assert all(at - due < timedelta(seconds=5) for _, _, due, at in hub.sent)
    assert hub.queued == ["appt-1"]
    assert hub.stored[1].status is AppointmentStatus.NOT_REACHED


def test_a_reminder_missed_during_a_restart_is_sent_late_once(clock: FakeClock) -> None:
    hub = Hub(
        clock, [booked(TEN, clock.now()), booked(TEN + minutes(45), clock.now(), appointment_id=2)]
    )
    hub.run(until=TEN - minutes(12))
    assert [k for k, *_ in hub.sent] == [BOOKING, BOOKING]
    # The hub is down from 09:48 to 09:55: only the stored appointments survive.
    clock.set(TEN - minutes(5))
    hub = Hub(clock, list(hub.stored.values()))
    hub.run(until=TEN + minutes(60))
    reminders = [(appt_id, due, at) for k, appt_id, due, at in hub.sent if k is REMINDER]
    assert reminders == [
        (1, TEN - minutes(10), TEN - minutes(5)),  # late, once
        (2, TEN + minutes(35), TEN + minutes(35)),  # on time
    ]
    assert [k for k, *_ in hub.sent].count(BOOKING) == 0


def test_a_hold_that_lapses_while_the_hub_is_down_is_released_on_restart(clock: FakeClock) -> None:
    from tests.booking.helpers import held

    appt = held(TEN, clock.now())
    clock.advance(minutes(30))
    hub = Hub(clock, [appt])
    hub.tick()
    assert hub.stored[1].status is AppointmentStatus.RELEASED
    assert hub.sent == []


def test_next_due_is_none_when_nothing_will_fall_due() -> None:
    appt = booked(TEN, T0)
    done = replace(appt, status=AppointmentStatus.GIVEN)
    assert next_due([done]) is None
    assert next_due([]) is None

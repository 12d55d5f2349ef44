"""Booking, persisted, on SQLite and PostgreSQL: the database lets one booking of a slot win."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from console.booking import (
    FREEING,
    AppointmentChanged,
    AppointmentStatus,
    BookingError,
    ContactWay,
    DutyShift,
    HoldExpired,
    NotificationKind,
    Referral,
    ReferralUsed,
    SlotTaken,
    cancel,
    confirm,
    due_work,
    enter_queue,
    hold,
    next_free_slots,
    on_duty,
    same_hours,
)
from console.store import booking as store
from console.store import hubstore, registry
from console.store.database import Database
from console.store.models import (
    APPOINTMENT_FREEING,
    REFERRAL_FREEING,
    AppointmentRow,
)
from console.store.staff import Role, add_staff
from tests.store.test_registry import load_family

MOSCOW = ZoneInfo("Europe/Moscow")
#: 08:00 in Moscow, Monday 23 November 2026.
T0 = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
NINE = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 09:00 in Moscow
WEEK = timedelta(days=7)
RACERS = 20
S = AppointmentStatus


class Setup:
    """Two therapists with weekday mornings, a cardiologist, operators, the family."""

    def __init__(self) -> None:
        self.doctor = 0
        self.other_doctor = 0
        self.cardiologist = 0
        self.operators: list[int] = []
        self.persons: list[int] = []


async def setup(db: Database, operators: int = 2) -> Setup:
    await load_family(db)
    out = Setup()
    async with db.transaction() as s:
        for login, attr, specialty in (
            ("doc-a", "doctor", "therapist"),
            ("doc-b", "other_doctor", "therapist"),
            ("doc-c", "cardiologist", "cardiologist"),
        ):
            member = await add_staff(s, login=login, password="", password_hash="x",
                                     role=Role.DOCTOR, specialty=specialty, now=T0)  # fmt: skip
            setattr(out, attr, member.id)
            await store.set_working_hours(s, member.id, same_hours(range(5), time(9), time(12)))
        for n in range(operators):
            member = await add_staff(s, login=f"op-{n}", password="", password_hash="x",
                                     role=Role.OPERATOR, now=T0)  # fmt: skip
            out.operators.append(member.id)
        for number in ("P-1", "P-2", "P-3", "P-4"):
            record = await registry.find_by_policy(s, number)
            assert record is not None
            out.persons.append(record.person.id)
    return out


async def book(
    db: Database, w: Setup, start: datetime = NINE, *, operator: int = 0, person: int = 0,
    now: datetime = T0, doctor: int | None = None, **confirm_kw: object,
):  # fmt: skip
    """Hold and confirm in one unit of work, as the hub would in two."""
    async with db.transaction() as s:
        schedule = await store.schedule_of(s, doctor or w.doctor)
        assert schedule is not None
        held = hold(schedule, start, now, MOSCOW, person_id=w.persons[person],
                    operator_id=w.operators[operator])  # fmt: skip
        held = await store.hold_slot(s, held, now)
        kw: dict[str, object] = {"way": ContactWay.VIDEO, "phone": "+79161234567"}
        kw.update(confirm_kw)
        booked = confirm(held, now, MOSCOW, operator_id=w.operators[operator], **kw)  # type: ignore[arg-type]
        return await store.save_appointment(s, held, booked)


async def busy_now(db: Database, now: datetime = T0) -> set:
    async with db.transaction() as s:
        return await store.busy_slots(s, start=now, end=now + WEEK, now=now)


def test_the_schema_frees_slots_as_the_rules_do() -> None:
    assert set(APPOINTMENT_FREEING) == {s.value for s in FREEING}
    assert set(REFERRAL_FREEING) == {S.RELEASED.value, S.CANCELLED.value}


async def test_working_hours_and_schedules(db: Database) -> None:
    w = await setup(db)
    async with db.transaction() as s:
        therapists = await store.schedules(s, specialty="therapist")
        assert [x.doctor_id for x in therapists] == sorted([w.doctor, w.other_doctor])
        assert therapists[0].on(0)[0].start == time(9)
        await store.set_working_hours(s, w.doctor, same_hours((1,), time(14, 30), time(16)))
    async with db.transaction() as s:
        mine = await store.schedule_of(s, w.doctor)
        assert mine is not None
        assert mine.hours == same_hours((1,), time(14, 30), time(16))
        assert await store.schedule_of(s, w.operators[0]) is None
        both = await store.schedules(s, doctor_ids=[w.cardiologist, w.doctor])
        assert {x.specialty for x in both} == {"therapist", "cardiologist"}
        with pytest.raises(ValueError, match="whole minutes"):
            await store.set_working_hours(s, w.doctor, same_hours((1,), time(9, 0, 30), time(10)))


async def test_duty_shifts(db: Database) -> None:
    w = await setup(db)
    async with db.transaction() as s:
        day = await store.add_duty_shift(
            s, DutyShift(w.doctor, "therapist", T0, T0 + timedelta(hours=12))
        )
        noon = T0 + timedelta(hours=12)
        await store.add_duty_shift(
            s, DutyShift(w.other_doctor, "therapist", noon, noon + timedelta(hours=12))
        )
        assert day.id is not None
    async with db.transaction() as s:
        now = T0 + timedelta(hours=1)
        shifts = await store.duty_shifts(s, start=now, end=now + timedelta(seconds=1))
        assert on_duty(shifts, now, "therapist") == (w.doctor,)
        later = await store.duty_shifts(
            s, start=T0, end=T0 + timedelta(days=1), specialty="therapist"
        )
        assert [x.doctor_id for x in later] == [w.doctor, w.other_doctor]
        assert await store.remove_duty_shift(s, day.id)
        assert not await store.remove_duty_shift(s, day.id)


async def test_hold_confirm_and_cancel_in_time_frees_the_slot(db: Database) -> None:
    w = await setup(db)
    booked = await book(db, w, documents_needed=True)
    assert booked.id is not None and booked.status is S.BOOKED
    async with db.transaction() as s:
        stored = await store.get_appointment(s, booked.id)
    assert stored == booked
    assert (w.doctor, NINE) in await busy_now(db)
    with pytest.raises(SlotTaken):
        await book(db, w, operator=1)

    async with db.transaction() as s:
        await store.save_appointment(s, booked, cancel(booked, T0 + timedelta(minutes=5)))
    assert (w.doctor, NINE) not in await busy_now(db)
    again = await book(db, w, operator=1, person=1)
    assert again.status is S.BOOKED


async def test_an_expired_hold_gives_the_slot_to_the_next_medconsultant(db: Database) -> None:
    w = await setup(db)
    async with db.transaction() as s:
        schedule = await store.schedule_of(s, w.doctor)
        assert schedule is not None
        first = await store.hold_slot(s, hold(schedule, NINE, T0, MOSCOW, person_id=w.persons[0],
                                              operator_id=w.operators[0]), T0)  # fmt: skip
    later = T0 + timedelta(minutes=10)
    assert (w.doctor, NINE) in await busy_now(db, T0 + timedelta(minutes=9))
    assert (w.doctor, NINE) not in await busy_now(db, later)
    second = await book(db, w, operator=1, person=1, now=later)
    assert second.status is S.BOOKED
    # The first medconsultant comes back within what they think is their time.
    with pytest.raises(HoldExpired):
        async with db.transaction() as s:
            late = replace(first, hold_expires_at=later + timedelta(minutes=1))
            mine = confirm(late, later, MOSCOW, operator_id=w.operators[0], way=ContactWay.CHAT)
            await store.save_appointment(s, first, mine)


async def test_expired_holds_are_released_in_bulk(db: Database) -> None:
    w = await setup(db)
    async with db.transaction() as s:
        schedule = await store.schedule_of(s, w.doctor)
        assert schedule is not None
        for n, start in enumerate((NINE, NINE + timedelta(minutes=15))):
            await store.hold_slot(s, hold(schedule, start, T0, MOSCOW, person_id=w.persons[n],
                                          operator_id=w.operators[n]), T0)  # fmt: skip
    async with db.transaction() as s:
        assert await store.release_expired_holds(s, T0 + timedelta(minutes=9)) == []
        released = await store.release_expired_holds(s, T0 + timedelta(minutes=10))
    assert [a.status for a in released] == [S.RELEASED, S.RELEASED]
    async with db.transaction() as s:
        assert await store.open_appointments(s) == []


async def test_one_hold_per_medconsultant(db: Database) -> None:
    w = await setup(db)
    async with db.transaction() as s:
        schedule = await store.schedule_of(s, w.doctor)
        assert schedule is not None
        kw = {"person_id": w.persons[0], "operator_id": w.operators[0]}
        first = await store.hold_slot(s, hold(schedule, NINE, T0, MOSCOW, **kw), T0)
        second = await store.hold_slot(
            s, hold(schedule, NINE + timedelta(minutes=15), T0, MOSCOW, **kw), T0
        )
    async with db.transaction() as s:
        assert first.id is not None and second.id is not None
        assert (await store.get_appointment(s, first.id)).status is S.RELEASED  # type: ignore[union-attr]
        assert (await store.get_appointment(s, second.id)).status is S.HELD  # type: ignore[union-attr]


async def test_a_stale_save_is_refused(db: Database) -> None:
    w = await setup(db)
    booked = await book(db, w)
    async with db.transaction() as s:
        await store.save_appointment(s, booked, cancel(booked, T0))
    with pytest.raises(AppointmentChanged) as err:
        async with db.transaction() as s:
            await store.save_appointment(s, booked, cancel(booked, T0 + timedelta(minutes=1)))
    assert err.value.code == "appointment_changed"


async def test_referrals_serve_one_consultation(db: Database) -> None:
    w = await setup(db)
    async with db.transaction() as s:
        new = Referral(
            id=None, person_id=w.persons[0], specialty="cardiologist", issued_on=T0.date()
        )
        ref = await store.add_referral(s, new, T0)
        assert ref.id is not None and not ref.used
    booked = await book(db, w, doctor=w.cardiologist, referral=ref)
    async with db.transaction() as s:
        used = await store.get_referral(s, ref.id)
        assert used is not None and used.used
        assert [r.id for r in await store.referrals_of(s, w.persons[0])] == [ref.id]
    # A second booking that read the referral before the first was saved: the database refuses.
    with pytest.raises(ReferralUsed):
        await book(db, w, NINE + timedelta(minutes=15), doctor=w.cardiologist, operator=1,
                   referral=ref)  # fmt: skip
    async with db.transaction() as s:
        await store.save_appointment(s, booked, cancel(booked, T0 + timedelta(minutes=1)))
    async with db.transaction() as s:
        freed = await store.get_referral(s, ref.id)
        assert freed is not None and not freed.used


async def test_notifications_are_claimed_once_and_survive_a_restart(db: Database) -> None:
    w = await setup(db)
    booked = await book(db, w)
    assert booked.id is not None
    async with db.transaction() as s:
        assert await store.claim_notification(s, booked.id, NotificationKind.BOOKING_SMS, T0)
        assert not await store.claim_notification(s, booked.id, NotificationKind.BOOKING_SMS, T0)
    # The hub is down from 08:49 to 08:55: the reminder due at 08:50 goes out late, once.
    after_restart = NINE - timedelta(minutes=5)
    async with db.transaction() as s:
        work = due_work(await store.due_appointments(s, after_restart), after_restart)
    assert [(n.kind, n.due_at) for n in work.notifications] == [
        (NotificationKind.REMINDER, NINE - timedelta(minutes=10))
    ]
    async with db.transaction() as s:
        assert await store.claim_notification(
            s, booked.id, NotificationKind.REMINDER, after_restart
        )
    async with db.transaction() as s:
        assert due_work(await store.due_appointments(s, after_restart), after_restart).empty
        # A later save of an appointment read before the claim does not undo it.
        current = await store.get_appointment(s, booked.id)
        assert current is not None and current.reminder_at == after_restart
        await hubstore.add_contact(s, contact_id="c-1", channel="video", kind="appointment",
                                   caller_phone=None, person_id=booked.person_id,
                                   arrived_at=NINE)  # fmt: skip
        await store.save_appointment(s, booked, enter_queue(booked, NINE, "c-1"))
    async with db.transaction() as s:
        current = await store.get_appointment(s, booked.id)
        assert current is not None
        assert (current.status, current.reminder_at) == (S.WAITING, after_restart)
        assert await store.appointment_of_contact(s, "c-1") == current
        assert await store.appointment_of_contact(s, "c-2") is None
    async with db.transaction() as s:
        work = due_work(await store.due_appointments(s, NINE + timedelta(minutes=15)),
                        NINE + timedelta(minutes=15))  # fmt: skip
    assert [a.id for a in work.not_reached] == [booked.id]


async def test_listings(db: Database) -> None:
    w = await setup(db)
    a = await book(db, w)
    b = await book(db, w, NINE + timedelta(minutes=15), operator=1, person=1, doctor=w.other_doctor)
    async with db.transaction() as s:
        await store.save_appointment(s, a, cancel(a, T0))
        day = (NINE - timedelta(hours=1), NINE + timedelta(hours=4))
        assert [x.id for x in await store.appointments_between(s, *day)] == [b.id]
        assert [x.id for x in await store.appointments_between(s, *day, claiming_only=False)] == [
            a.id,
            b.id,
        ]
        assert await store.appointments_between(s, *day, doctor_ids=[w.doctor]) == []
        assert [x.id for x in await store.appointments_of_person(s, w.persons[0])] == [a.id]
        assert (
            await store.appointments_of_person(s, w.persons[0], since=NINE + timedelta(minutes=1))
            == []
        )
        assert [x.id for x in await store.open_appointments(s)] == [b.id]


# ------------------------------------------------------------------ the race


async def racing_database(db: Database) -> Database:
    """Another handle on the test's database with a connection for each racer."""
    url = db.engine.url.render_as_string(hide_password=False)
    kwargs: dict[str, object] = {"pool_size": RACERS + 2, "max_overflow": 0}
    if db.dialect == "postgresql":
        async with db.reading() as conn:
            kwargs["connect_args"] = {
                "server_settings": {"search_path": await conn.scalar(text("SHOW search_path"))}
            }
    return Database(url, **kwargs)


@pytest.mark.parametrize("stale_hold", [False, True], ids=["free", "after-an-expired-hold"])
async def test_twenty_concurrent_bookings_of_one_slot_one_wins(
    db: Database, stale_hold: bool
) -> None:
    w = await setup(db, operators=RACERS + 1)
    now = T0
    if stale_hold:  # somebody held the slot and walked away 20 minutes ago
        async with db.transaction() as s:
            schedule = await store.schedule_of(s, w.doctor)
            assert schedule is not None
            old = hold(schedule, NINE, now - timedelta(minutes=20), MOSCOW,
                       person_id=w.persons[3], operator_id=w.operators[RACERS])  # fmt: skip
            await store.hold_slot(s, old, now - timedelta(minutes=20))

    racer_db = await racing_database(db)
    start_together = asyncio.Barrier(RACERS)
    connections: set[int] = set()

    async def attempt(n: int):
        async with racer_db.transaction() as s:
            conn = await s.connection()
            connections.add(id(await conn.get_raw_connection()))
            schedule = await store.schedule_of(s, w.doctor)
            assert schedule is not None
            busy = await store.busy_slots(s, start=now, end=now + WEEK, now=now)
            held = hold(schedule, NINE, now, MOSCOW, person_id=w.persons[n % 3],
                        operator_id=w.operators[n], busy=busy)  # fmt: skip
            await start_together.wait()
            held = await store.hold_slot(s, held, now)
            booked = confirm(held, now, MOSCOW, operator_id=w.operators[n], way=ContactWay.CHAT)
            return await store.save_appointment(s, held, booked)

    try:
        results = await asyncio.gather(*(attempt(n) for n in range(RACERS)), return_exceptions=True)
        assert len(connections) == RACERS  # twenty sessions, each on its own connection
        winners = [r for r in results if not isinstance(r, BaseException)]
        losers = [r for r in results if isinstance(r, BaseException)]
        assert len(winners) == 1, results
        assert winners[0].status is S.BOOKED and winners[0].start == NINE
        assert len(losers) == RACERS - 1
        assert all(type(e) is SlotTaken for e in losers), losers
        # Refused by the database, not by the rules: every racer saw the slot free.
        assert all(isinstance(e.__cause__, IntegrityError) for e in losers)
        assert {str(e) for e in losers} == {"this slot has just been taken: choose another one"}
        assert all(isinstance(e, BookingError) and e.code == "slot_taken" for e in losers)

        # A loser looks again: the slot is gone, the next ones are offered.
        async with racer_db.transaction() as s:
            schedules = await store.schedules(s, specialty="therapist")
            busy = await store.busy_slots(s, start=now, end=now + WEEK, now=now)
        fresh = next_free_slots(schedules, busy, now, MOSCOW, specialty="therapist", limit=3)
        assert (w.doctor, NINE) not in {x.key for x in fresh}
        assert [x.key for x in fresh] == [
            (w.other_doctor, NINE),
            (w.doctor, NINE + timedelta(minutes=15)),
            (w.other_doctor, NINE + timedelta(minutes=15)),
        ]
        async with racer_db.transaction() as s:
            claims = await s.scalar(
                select(func.count())
                .select_from(AppointmentRow)
                .where(
                    AppointmentRow.doctor_id == w.doctor,
                    AppointmentRow.slot_start == NINE,
                    AppointmentRow.status.not_in(APPOINTMENT_FREEING),
                )
            )
        assert claims == 1
    finally:
        await racer_db.close()

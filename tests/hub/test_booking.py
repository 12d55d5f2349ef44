"""Booking through the real hub: two medconsultants racing for a slot, the booking SMS,
the reminder (once, also across a restart), the queue at the appointment's time, not
reached after 15 minutes, the transfer to the booked doctor and three failed calls."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from console.admin import seed
from console.booking import Referral
from console.clock import FakeClock
from console.hub.app import build
from console.identity import consent as consent_rules
from console.identity.model import ConsentKind
from console.identity.routing import age_on
from console.queue import Kind
from console.store import audit, conclusions, consents, hubstore, registry
from console.store import booking as booking_store
from tests.hub.clients import WsClient, parse, patient_login
from tests.hub.test_flow import staff

if TYPE_CHECKING:
    from pathlib import Path

    from tests.hub.conftest import HubUnderTest

#: Monday 23 November 2026, 09:00 in Moscow: the therapist's morning has begun.
NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
DAY = NOW.date()


@pytest.fixture
def hub_clock() -> FakeClock:
    return FakeClock(NOW)


def insured(people, program: str | None = None, *, skip: int = 0):
    """Adults with a phone of their own and a policy valid for weeks yet."""
    found = [
        p
        for p in people
        if p.phone
        and not p.representative_policy
        and age_on(p.birth_date, DAY) >= 18
        and p.policy.valid_from <= DAY
        and p.policy.valid_to >= DAY + timedelta(days=40)
        and (program is None or p.policy.program == program)
    ]
    return found[skip]


async def prepare(h: HubUnderTest, person) -> int:
    """Schedules of the demo, and the person's consents confirmed; the person's id."""
    await seed.seed_booking(h.hub.db, today=DAY, tz=h.settings.tz, now=NOW)
    async with h.hub.db.transaction() as s:
        rec = await registry.find_by_policy(s, person.policy.number)
        assert rec is not None
        for kind in ConsentKind:
            version = consent_rules.CURRENT_TEXT_VERSIONS[kind]
            current = (await consents.get_consents(s, rec.person.id))[kind]
            sent = consent_rules.send(current, NOW, version)
            await consents.save_consent(s, rec.person.id, consent_rules.confirm(sent, NOW, version))
    return rec.person.id


def sms(outbox: Path, word: str) -> list[dict[str, Any]]:
    if not outbox.exists():
        return []
    lines = [json.loads(x) for x in outbox.read_text(encoding="utf-8").splitlines() if x]
    return [x for x in lines if word in x["text"]]


def at(slot: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(slot["start"])


async def first_slot(c: WsClient, **where: Any) -> dict[str, Any]:
    reply = await c.call({"type": "list_slots", **where})
    assert reply["type"] == "slots", reply
    parse(reply)
    assert reply["slots"], "no free slot"
    return reply["slots"][0]


async def book(c: WsClient, person_id: int, slot: dict[str, Any], **confirm: Any) -> dict:
    held = await c.call(
        {
            "type": "hold_slot",
            "person_id": person_id,
            "doctor_id": slot["doctor_id"],
            "start": slot["start"],
        }
    )
    assert held["type"] == "slot_held", held
    parse(held)
    done = await c.call(
        {
            "type": "confirm_booking",
            "appointment_id": held["appointment"]["id"],
            "way": "video",
            **confirm,
        }
    )
    assert done["type"] == "appointment", done
    assert done["appointment"]["status"] == "booked"
    return done["appointment"]


@pytest.mark.parametrize(
    "hub_backend", ["sqlite", pytest.param("pg", marks=pytest.mark.pg)], indirect=True
)
async def test_two_medconsultants_race_for_one_slot_and_one_wins(hub_server) -> None:
    h = hub_server
    person = insured(h.people)
    pid = await prepare(h, person)
    op1 = await staff(h, "op1", available=False)
    op2 = await staff(h, "op2", available=False)
    slot = await first_slot(op1, specialty="therapist")
    assert at(slot) > NOW and slot["specialty"] == "therapist"
    cmd = {"type": "hold_slot", "person_id": pid, "doctor_id": slot["doctor_id"]}
    replies = await asyncio.gather(
        op1.call({**cmd, "start": slot["start"]}), op2.call({**cmd, "start": slot["start"]})
    )
    kinds = sorted(r["type"] for r in replies)
    assert kinds == ["error", "slot_held"], replies
    lost = next(r for r in replies if r["type"] == "error")
    assert lost["code"] == "slot_taken"
    assert lost["message"] == "this slot has just been taken: choose another one"
    # the loser's fresh list no longer has it
    loser = op1 if replies[0] is lost else op2
    fresh = await loser.call({"type": "list_slots", "specialty": "therapist"})
    assert (slot["doctor_id"], slot["start"]) not in {
        (x["doctor_id"], x["start"]) for x in fresh["slots"]
    }
    # a late booking of the same slot is refused too
    winner = op2 if loser is op1 else op1
    won = next(r for r in replies if r["type"] == "slot_held")
    done = await winner.call(
        {"type": "confirm_booking", "appointment_id": won["appointment"]["id"], "way": "chat"}
    )
    assert done["appointment"]["status"] == "booked"
    again = await loser.call({**cmd, "start": slot["start"]})
    assert again["type"] == "error" and again["code"] == "slot_taken"


@pytest.mark.parametrize(
    "hub_backend", ["sqlite", pytest.param("pg", marks=pytest.mark.pg)], indirect=True
)
async def test_booking_sms_reminder_once_queue_and_not_reached(hub_server, hub_clock) -> None:
    h = hub_server
    person = insured(h.people)
    pid = await prepare(h, person)
    op1 = await staff(h, "op1", available=False)
    slot = await first_slot(op1, specialty="therapist")
    appt = await book(op1, pid, slot)
    start = at(slot)

    # the booking SMS is in the outbox when the reply arrives: date and time, local
    booked = sms(h.outbox, "Вы записаны")
    assert len(booked) == 1 and booked[0]["to"] == person.phone
    local = start.astimezone(h.settings.tz)
    assert local.strftime("%d.%m.%Y в %H:%M") in booked[0]["text"]
    # what the medconsultant sees of the insured
    listed = await op1.call({"type": "list_appointments", "person_id": pid})
    parse(listed)
    assert [a["id"] for a in listed["appointments"]] == [appt["id"]]
    async with h.hub.db.transaction() as s:
        assert await audit.entries(s, action="booking.appointments")
        assert await audit.entries(s, action="booking.confirm")

    # ten minutes before: the reminder, once however often the timer runs
    await h.hub.booking.run_due()
    assert sms(h.outbox, "Напоминаем") == []
    hub_clock.set(start - timedelta(minutes=10))
    for _ in range(3):
        await h.hub.booking.run_due()
    reminders = sms(h.outbox, "Напоминаем")
    assert len(reminders) == 1 and reminders[0]["to"] == person.phone
    assert len(sms(h.outbox, "Вы записаны")) == 1  # the booking SMS is not sent again

    # at the time: a contact waits for a medconsultant, with appointment priority
    hub_clock.set(start)
    await h.hub.booking.run_due()
    waiting = [c for c in h.hub.engine.contacts() if c.kind is Kind.APPOINTMENT]
    assert len(waiting) == 1
    contact = waiting[0]
    assert contact.queue == "operators" and contact.channel.value == "video"
    assert int(contact.priority) == 1  # Priority.APPOINTMENT: ahead of urgent contacts
    while True:  # the medconsultants' queue view shows it as an appointment
        view = await op1.expect("queue", "queue_delta")
        entries = view.get("entries") or view.get("upsert") or []
        if any(e["id"] == contact.id for e in entries):
            break
    assert next(e for e in entries if e["id"] == contact.id)["kind"] == "appointment"
    listed = await op1.call({"type": "list_appointments", "person_id": pid})
    assert listed["appointments"][0]["status"] == "waiting"
    assert listed["appointments"][0]["contact_id"] == contact.id

    # nobody connected within 15 minutes: closed as not reached, the contact too
    hub_clock.set(start + timedelta(minutes=14))
    await h.hub.booking.run_due()
    assert any(c.id == contact.id for c in h.hub.engine.contacts())
    hub_clock.set(start + timedelta(minutes=15))
    await h.hub.booking.run_due()
    assert all(c.id != contact.id for c in h.hub.engine.contacts())
    listed = await op1.call({"type": "list_appointments", "person_id": pid})
    assert listed["appointments"][0]["status"] == "not_reached"
    async with h.hub.db.transaction() as s:
        row = await hubstore.get_contact(s, contact.id)
        assert row is not None and row.outcome == "not_reached" and row.closed_at is not None
    assert len(sms(h.outbox, "Напоминаем")) == 1
    # the supervisor's numbers count it as not reached (abandoned), not as called off
    sup = await staff(h, "sup1", available=False)
    report = await sup.call({"type": "get_report", "day": local.date().isoformat()})
    ops = [r["figures"] for r in report["rows"] if r["queue"] == "operators"]
    assert sum(f["timed_out"] for f in ops) == 1 and sum(f["abandoned"] for f in ops) == 1
    assert sum(f["cancelled"] for f in ops) == 0


async def test_a_reminder_missed_while_the_hub_was_down_goes_out_late_once(
    hub_server, hub_clock
) -> None:
    h = hub_server
    person = insured(h.people)
    pid = await prepare(h, person)
    op1 = await staff(h, "op1", available=False)
    slot = await first_slot(op1, specialty="neurologist")
    async with h.hub.db.transaction() as s:  # the demo's programs ask for a referral
        await booking_store.add_referral(
            s,
            Referral(id=None, person_id=pid, specialty="neurologist", issued_on=DAY),
            NOW,
        )
        referral = (await booking_store.referrals_of(s, pid))[0]
    appt = await book(op1, pid, slot, referral_id=referral.id)
    assert appt["referral_id"] == referral.id
    await op1.close()
    await h.hub.stop()  # the hub goes down...

    start = at(slot)
    hub_clock.set(start - timedelta(minutes=4))  # ...and misses the reminder's time
    _app, hub2 = await build(h.settings, clock=hub_clock)
    await hub2.start()  # its booking timer runs at once
    try:
        for _ in range(500):
            if sms(h.outbox, "Напоминаем"):
                break
            await asyncio.sleep(0.02)
        for _ in range(3):
            await hub2.booking.run_due()
        reminders = sms(h.outbox, "Напоминаем")
        assert len(reminders) == 1 and reminders[0]["to"] == person.phone
        assert datetime.fromisoformat(reminders[0]["at"]) == start - timedelta(minutes=4)
        async with hub2.db.transaction() as s:
            stored = await booking_store.get_appointment(s, appt["id"])
        assert stored is not None and stored.reminder_at == start - timedelta(minutes=4)
    finally:
        await hub2.stop()
        await hub2.db.close()

    # and a third start sends nothing again
    _app, hub3 = await build(h.settings, clock=hub_clock)
    await hub3.start()
    try:
        await hub3.booking.run_due()
        assert len(sms(h.outbox, "Напоминаем")) == 1
    finally:
        await hub3.stop()
        await hub3.db.close()


async def test_referral_quota_cancel_and_the_patients_page(hub_server, hub_clock) -> None:
    h = hub_server
    person = insured(h.people, "Телемедицина Базовая")
    pid = await prepare(h, person)
    op1 = await staff(h, "op1", available=False)
    pat = WsClient(h.base, h.session, "/ws/patient")
    token = await patient_login(h.session, h.base, person.phone, h.outbox)
    assert (await pat.connect(token))["type"] == "welcome"

    slot = await first_slot(op1, specialty="cardiologist")
    held = await op1.call(
        {"type": "hold_slot", "person_id": pid, "doctor_id": slot["doctor_id"],
         "start": slot["start"]}
    )  # fmt: skip
    assert held["referral_required"] is True and held["referrals"] == []
    assert held["quota_left"] == 5
    assert held["insured_phones"] and held["representative_phones"] == []
    refused = await op1.call(
        {"type": "confirm_booking", "appointment_id": held["appointment"]["id"], "way": "chat"}
    )
    assert refused["type"] == "error" and refused["code"] == "referral_required"
    async with h.hub.db.transaction() as s:
        ref = await booking_store.add_referral(
            s,
            Referral(
                id=None,
                person_id=pid,
                specialty="cardiologist",
                doctor_id=slot["doctor_id"],
                issued_on=DAY,
            ),
            NOW,
        )
    listed = await op1.call({"type": "list_appointments", "person_id": pid})
    assert [r["id"] for r in listed["referrals"]] == [ref.id]
    done = await op1.call(
        {
            "type": "confirm_booking",
            "appointment_id": held["appointment"]["id"],
            "way": "insured_phone",
            "referral_id": ref.id,
            "documents_needed": True,
        }
    )
    assert done["type"] == "appointment", done
    appt = done["appointment"]
    assert appt["way"] == "insured_phone" and appt["documents_needed"] is True
    assert appt["documents_ready"] is False and appt["phone"]

    # the patient's page lists it (told at once, being online), and gets the reminder
    pushed = await pat.expect("appointments")
    assert [a["id"] for a in pushed["appointments"]] == [appt["id"]]
    mine = await pat.call({"type": "list_appointments"})
    assert [a["id"] for a in mine["appointments"]] == [appt["id"]]
    assert mine["appointments"][0]["specialty"] == "cardiologist"
    hub_clock.set(at(slot) - timedelta(minutes=10))
    await h.hub.booking.run_due()
    reminder = await pat.expect("reminder")
    assert reminder["appointment"]["id"] == appt["id"] and "Напоминаем" in reminder["text"]
    assert len(sms(h.outbox, "Напоминаем")) == 1  # and by SMS as well

    # a cancellation before the start frees the slot; the referral serves again
    gone = await op1.call({"type": "cancel_appointment", "appointment_id": appt["id"]})
    assert gone["appointment"]["status"] == "cancelled"
    free = await op1.call(
        {"type": "list_slots", "doctor_id": slot["doctor_id"], "day": at(slot).date().isoformat()}
    )
    assert slot["start"] in {x["start"] for x in free["slots"]}
    listed = await op1.call({"type": "list_appointments", "person_id": pid})
    assert listed["quota_left"] == 5 and listed["referrals"][0]["used"] is False
    days = await op1.call(
        {"type": "list_free_days", "specialty": "cardiologist", "year": 2026, "month": 11}
    )
    parse(days)
    by_day = {d["day"]: d["free"] for d in days["days"]}
    assert len(by_day) == 30 and by_day["2026-11-22"] == 0  # a Sunday, and past
    assert by_day["2026-11-24"] == 16  # Tuesday 15:00-19:00
    await pat.close()


async def test_at_the_time_the_medconsultant_transfers_to_the_booked_doctor(
    hub_server, hub_clock
) -> None:
    h = hub_server
    person = insured(h.people, skip=1)
    pid = await prepare(h, person)
    op1 = await staff(h, "op1", available=False)
    slot = await first_slot(op1, specialty="therapist")
    appt = await book(op1, pid, slot, way="insured_phone", documents_needed=True)
    doctor = await staff(h, "therapist1", available=False)

    hub_clock.set(at(slot))
    await h.hub.booking.run_due()
    await op1.call({"type": "set_state", "state": "available"})
    offer = await op1.expect("offer")
    contact_id = offer["contact"]["id"]
    assert offer["contact"]["kind"] == "appointment"
    assert offer["contact"]["person"]["person_id"] == pid
    assert (await op1.call({"type": "accept", "contact_id": contact_id}))["type"] == "ack"

    # documents first (003)
    to = f"doctor:{slot['doctor_id']}"
    refused = await op1.call({"type": "transfer", "contact_id": contact_id, "to": to})
    assert refused["type"] == "error" and refused["code"] == "documents_missing"
    ok = await op1.call({"type": "documents_in", "appointment_id": appt["id"]})
    assert ok["appointment"]["documents_ready"] is True
    moved = await op1.call({"type": "transfer", "contact_id": contact_id, "to": to})
    assert moved["type"] == "ack", moved
    await h.hub.booking.run_due()  # connected: no longer "not reached"

    await doctor.call({"type": "set_state", "state": "available"})
    offer = await doctor.expect("offer")
    assert offer["contact"]["id"] == contact_id
    await doctor.call({"type": "accept", "contact_id": contact_id})
    await h.hub.booking.run_due()
    listed = await op1.call({"type": "list_appointments", "person_id": pid})
    assert listed["appointments"][0]["status"] == "in_progress"

    # three failed phone attempts close it as given (002)
    for attempt in (1, 2):
        r = await doctor.call({"type": "failed_call", "contact_id": contact_id})
        assert r["appointment"]["status"] == "in_progress", r
        assert r["appointment"]["id"] == appt["id"] and attempt < 3
    r = await doctor.call({"type": "failed_call", "contact_id": contact_id})
    assert r["appointment"]["status"] == "closed_as_given"
    await doctor.expect("state", state="wrap_up")
    hub_clock.set(at(slot) + timedelta(minutes=20))
    await h.hub.booking.run_due()  # nothing left to close
    listed = await op1.call({"type": "list_appointments", "person_id": pid})
    assert listed["appointments"][0]["status"] == "closed_as_given"
    assert listed["appointments"][0].get("conclusion_id") is None

    # the doctor signs the conclusion of its contact: the medconsultant's list says so
    async with h.hub.db.transaction() as s:
        signed = await conclusions.sign(
            s,
            contact_id=contact_id,
            person_id=pid,
            doctor_id=slot["doctor_id"],
            doctor_name="Волков Андрей Петрович",
            doctor_specialty="therapist",
            signed_at=at(slot) + timedelta(minutes=21),
            no_conclusion=True,
        )
    listed = await op1.call({"type": "list_appointments", "person_id": pid})
    parse(listed)
    assert listed["appointments"][0]["conclusion_id"] == signed.id

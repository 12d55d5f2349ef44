"""The medconsultant books an appointment in the console, on a real hub with a fake clock.

Identify, confirm the consents, open the booking dialog from the workspace, lose a
slot to a faster colleague (a clear message, fresh slots), hold the next one and
confirm it: the SMS outbox holds the booking message, and with the hub's clock
moved on the reminder goes out once. A screenshot of the dialog, in Russian, with a
held cardiologist's slot on a referral, goes to ``bench/out/screens``.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtGui import QColor, QImage

from console.admin import seed
from console.booking import Referral
from console.clock import FakeClock
from console.identity.routing import age_on
from console.store import booking as booking_store
from console.store import registry
from tests.hub.clients import WsClient, staff_login
from tests.views.conftest import SHOTS
from tests.views.test_console_flow import accept_offer
from tests.views.ui import click, until

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from console.views.app import ConsoleSession
    from console.views.booking import BookingDialog

#: Monday 23 November 2026, 09:00 in Moscow.
NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
DAY = NOW.date()


@pytest.fixture
def hub_clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def english_after() -> Iterator[None]:
    """A test in Russian leaves the application in English for the tests after it."""
    yield
    from console.views import app as console_app

    console_app.install_translations(console_app.application(), "en")


def alone_on_their_phone(people, skip: int = 0):
    """Adults whose phone is theirs alone (the contact arrives identified), policy valid."""
    phones = Counter(p.phone for p in people if p.phone)
    found = [
        p
        for p in people
        if p.phone
        and phones[p.phone] == 1
        and age_on(p.birth_date, DAY) >= 18
        and p.policy.valid_from <= DAY
        and p.policy.valid_to >= DAY + timedelta(days=40)
    ]
    return found[skip]


def sms(outbox: Path, word: str) -> list[dict[str, Any]]:
    if not outbox.exists():
        return []
    lines = [json.loads(x) for x in outbox.read_text(encoding="utf-8").splitlines() if x]
    return [x for x in lines if word in x["text"]]


async def identified_and_consented(session: ConsoleSession, patient, person) -> Any:
    """The medconsultant takes the patient's chat, the person is known, consents confirmed."""
    w = session.window
    pat = await patient(person.phone)
    await pat.start("chat")
    contact_id = await accept_offer(None, session)
    await until(lambda: w.contact.person is not None, what="the person identified")
    panel = w.appointments
    assert not panel.book_button.isEnabled()
    assert panel.blocked.text() in (
        "Both consents must be confirmed first.",
        "Оба согласия должны быть подтверждены.",
        panel.blocked_reason(),
    )
    await click(w.consent.send_button)
    await until(panel.book_button.isEnabled, what="booking allowed once both consents are in")
    assert panel.blocked.text() == ""
    assert w.contact.id == contact_id
    return pat


async def open_dialog(session: ConsoleSession) -> BookingDialog:
    w = session.window
    await click(w.appointments.book_button)
    await until(lambda: w.appointments.dialog is not None, what="the booking dialog")
    dialog = w.appointments.dialog
    assert dialog is not None and dialog.isVisible()
    await until(lambda: dialog.slots_model.rowCount() > 0, what="the next free slots")
    await until(lambda: dialog.free_days, what="the calendar's free days")
    return dialog


async def choose_specialty(dialog: BookingDialog, specialty: str) -> None:
    """Choose by specialty; wait for that specialty's next free slots."""
    dialog.choose(specialty=specialty)
    await until(
        lambda: (
            dialog.slots_model.rowCount() > 0
            and all(s.specialty == specialty for s in dialog.slots_model.slots)
        ),
        what=f"the {specialty}'s free slots",
    )


async def test_book_a_slot_lose_a_race_get_the_sms_and_one_reminder(
    qtbot, hub_server, open_console, patient, hub_clock
) -> None:
    h = hub_server
    await seed.seed_booking(h.hub.db, today=DAY, tz=h.settings.tz, now=NOW)
    person = alone_on_their_phone(h.people)
    op = await open_console("op1")
    w = op.window
    pat = await identified_and_consented(op, patient, person)
    dialog = await open_dialog(op)

    # by specialty: the therapist's next free slots, earliest first
    await choose_specialty(dialog, "therapist")
    starts = [s.start for s in dialog.slots_model.slots]
    assert starts == sorted(starts) and starts[0] > NOW
    assert dialog.slots_model.index(0, 2).data() == "Волков Андрей Петрович"
    first = dialog.current_slot()
    assert first is not None and first.start == starts[0]
    # the calendar marks the free days: today (Monday) and not Sunday the 29th
    assert dialog.free_days[DAY] > 0 and dialog.free_days[DAY + timedelta(days=6)] == 0

    # another medconsultant is faster with the first slot
    other = WsClient(h.base, h.session, "/ws/staff")
    await other.connect(await staff_login(h.session, h.base, "op2"))
    taken = await other.call(
        {
            "type": "hold_slot",
            "person_id": w.contact.person.person_id,
            "doctor_id": first.doctor_id,
            "start": first.start.isoformat(),
        }
    )
    assert taken["type"] == "slot_held"
    await click(dialog.hold_button)
    await until(lambda: "taken" in dialog.status.text(), what="the clear refusal")
    assert dialog.status.text() == "this slot has just been taken: choose another one"
    await until(
        lambda: (
            dialog.slots_model.rowCount() > 0 and dialog.slots_model.slots[0].start != first.start
        ),
        what="fresh slots without the taken one",
    )
    assert first.start not in {s.start for s in dialog.slots_model.slots}
    await other.close()

    # hold the next one: ten minutes, counting down
    chosen = dialog.current_slot()
    assert chosen is not None
    await click(dialog.hold_button)
    await until(lambda: dialog.held is not None, what="the hold")
    assert dialog.countdown.text().startswith("Held for 09:") or dialog.countdown.text() == (
        "Held for 10:00"
    )
    assert dialog.way.currentData() == "video"
    assert not dialog.phone.isEnabled()  # a platform call needs no phone
    dialog.way.setCurrentIndex(dialog.way.findData("insured_phone"))
    assert dialog.phone.isEnabled() and dialog.phone.currentText()  # the insured's number
    dialog.documents.setChecked(True)
    assert dialog.confirm_button.isEnabled()
    await click(dialog.confirm_button)
    await until(lambda: dialog.status.text().startswith("Booked:"), what="the booking")
    assert dialog.held is None

    # the booking SMS went out to the insured's phone, with the date and time
    booked = sms(h.outbox, "Вы записаны")
    assert len(booked) == 1 and booked[0]["to"] == person.phone
    local = chosen.start.astimezone(h.settings.tz)
    assert local.strftime("%d.%m.%Y в %H:%M") in booked[0]["text"]
    # the workspace lists it
    panel = w.appointments
    await until(lambda: panel.model.rowCount() == 1, what="the appointment in the workspace")
    a = panel.model.appointment(0)
    assert (a.status, a.way, a.documents_needed) == ("booked", "insured_phone", True)
    assert "booked" in panel.model.index(0, 2).data()
    dialog.close()
    await until(lambda: panel.dialog is None, what="the dialog closed")

    # ten minutes before: the reminder, once, by SMS and on the patient's page
    hub_clock.set(chosen.start - timedelta(minutes=10))
    for _ in range(3):
        await h.hub.booking.run_due()
    reminders = sms(h.outbox, "Напоминаем")
    assert len(reminders) == 1 and reminders[0]["to"] == person.phone
    await until(
        lambda: any(f["type"] == "reminder" for f in pat.ws.seen), what="the page's reminder"
    )
    assert [f["appointment"]["id"] for f in pat.ws.seen if f["type"] == "reminder"] == [a.id]


async def test_screenshot_of_the_booking_dialog(
    qtbot, hub_server, open_console, patient, hub_clock, english_after
) -> None:
    h = hub_server
    await seed.seed_booking(h.hub.db, today=DAY, tz=h.settings.tz, now=NOW)
    person = alone_on_their_phone(h.people, skip=1)
    async with h.hub.db.transaction() as s:
        rec = await registry.find_by_policy(s, person.policy.number)
        assert rec is not None
        await booking_store.add_referral(
            s,
            Referral(
                id=None,
                person_id=rec.person.id,
                specialty="cardiologist",
                issued_on=DAY - timedelta(days=2),
                valid_until=DAY + timedelta(days=30),
            ),
            NOW,
        )
    op = await open_console("op1", lang="ru")
    await identified_and_consented(op, patient, person)
    dialog = await open_dialog(op)
    await choose_specialty(dialog, "cardiologist")
    await click(dialog.hold_button)
    await until(lambda: dialog.held is not None, what="the hold")
    held = dialog.held.appointment
    await until(
        lambda: (
            dialog._pending == 0 and held.start not in {x.start for x in dialog.slots_model.slots}
        ),
        what="the free slots without the held one",
    )
    assert dialog.referral.currentData() is not None  # the referral the program asks for
    dialog.way.setCurrentIndex(dialog.way.findData("insured_phone"))
    dialog.documents.setChecked(True)
    assert dialog.windowTitle().startswith("Запись на приём")
    assert dialog.countdown.text().startswith("Время удерживается ещё 09:")
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / "8-booking-dialog.png"
    assert dialog.grab().save(str(path))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (dialog.width(), dialog.height())
    # the calendar's free days are painted green
    cal = dialog.calendar
    greens = 0
    top_left = cal.mapTo(dialog, cal.rect().topLeft())
    for x in range(top_left.x(), top_left.x() + cal.width(), 3):
        for y in range(top_left.y(), top_left.y() + cal.height(), 3):
            if QColor(image.pixel(x, y)).name() == "#2e7d32":
                greens += 1
    assert greens > 50
    held_id = held.id
    dialog.reject()
    await until(lambda: op.window.appointments.dialog is None, what="closed")

    async def released() -> bool:
        async with h.hub.db.transaction() as s:
            a = await booking_store.get_appointment(s, held_id)
        return a is not None and a.status.value == "released"

    for _ in range(200):  # closing the dialog let the hold go
        if await released():
            break
        await asyncio.sleep(0.05)
    assert await released()

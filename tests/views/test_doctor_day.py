"""A doctor by appointment on a real hub with a fake clock: today's appointments in the
"Today" list, and the "Call failed" button on an appointment to be reached by phone,
whose third press closes the consultation as given."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from console.booking import Referral
from console.store import booking as booking_store
from tests.hub.test_booking import DAY, NOW, at, book, first_slot, hub_clock, insured, prepare
from tests.hub.test_flow import staff
from tests.views.ui import click, press, until

__all__ = ["hub_clock"]  # the fake clock of the hub (a fixture)


async def test_the_cardiologist_sees_today_and_three_failed_calls_close_it(
    qtbot, hub_server, open_console, hub_clock
) -> None:
    h = hub_server
    person = insured(h.people, skip=2)
    pid = await prepare(h, person)
    op1 = await staff(h, "op1", available=False)
    slot = await first_slot(op1, specialty="cardiologist")
    assert at(slot).date() == DAY and at(slot) > NOW  # this morning, 10:00 in Moscow
    async with h.hub.db.transaction() as s:
        ref = await booking_store.add_referral(
            s,
            Referral(
                id=None,
                person_id=pid,
                specialty="cardiologist",
                doctor_id=None,
                issued_on=DAY,
                valid_until=DAY + timedelta(days=30),
            ),
            NOW,
        )
    appt = await book(op1, pid, slot, way="insured_phone", referral_id=ref.id)

    # -- the cardiologist's console: today's appointment in the "Today" list
    doctor = await open_console("cardiologist1", available=False)
    w = doctor.window
    assert w.doctor is not None
    day = w.doctor.day
    await until(lambda: day.model.rowCount() == 1, what="today's appointment listed")
    assert not day.isHidden() and not day.list.isHidden() and day.empty.isHidden()
    text = day.model.index(0).data()
    short = f"{person.surname} {person.name[0]}. {person.patronymic[0]}."
    assert text.startswith("10:00–10:15") and short in text, text
    assert "Call to the insured's mobile phone" in text and "booked" in text
    assert f"{person.phone[-4:-2]}-{person.phone[-2:]}" in day.model.index(0).data(
        Qt.ItemDataRole.ToolTipRole
    )
    row = w.doctor.failed_call
    assert row.isHidden() and not row.button.isEnabled()  # no contact held
    assert row.button.accessibleName()

    # -- at its time: queued, the medconsultant transfers it to the cardiologist
    hub_clock.set(at(slot))
    await h.hub.booking.run_due()
    await op1.call({"type": "set_state", "state": "available"})
    contact_id = (await op1.expect("offer"))["contact"]["id"]
    assert (await op1.call({"type": "accept", "contact_id": contact_id}))["type"] == "ack"
    to = f"doctor:{slot['doctor_id']}"
    assert (await op1.call({"type": "transfer", "contact_id": contact_id, "to": to}))[
        "type"
    ] == "ack"
    doctor.controller.set_state("available")
    await until(lambda: w.offer_panel.offer is not None, what="the doctor's offer")
    await press(w, Qt.Key.Key_F5)
    await until(lambda: w.contact is not None and w.contact.id == contact_id, what="accepted")
    await until(row.button.isEnabled, what="the failed-call button for a phone appointment")
    assert row.isVisible() and day.isVisible() and row.button.objectName() == "failedCallButton"
    await until(
        lambda: (
            day.model.of_contact(contact_id) is not None
            and day.model.of_contact(contact_id).status in ("waiting", "in_progress")
        ),
        what="the day refreshed with the contact",
    )

    # -- three failed calls: the count, then closed as given
    for n in (1, 2):
        await click(row.button)
        await until(
            lambda n=n: row.status.text() == f"Failed call: attempt {n} of 3.",
            what=f"attempt {n}",
        )
        await until(row.button.isEnabled, what="the button back")
    await click(row.button)
    await until(lambda: "closed as given" in row.status.text(), what="the third closes it as given")
    assert row.status.text() == ("No answer after 3 attempts: the consultation is closed as given.")
    await until(lambda: w.contact is None or w.contact.state != "with_doctor", what="ended")
    assert not row.button.isEnabled()
    await until(
        lambda: "closed as given" in (day.model.index(0).data() or ""),
        what="the Today list shows it closed as given",
    )
    async with h.hub.db.transaction() as s:
        done = await booking_store.get_appointment(s, appt["id"])
    assert done is not None and done.status.value == "closed_as_given"
    assert done.phone_attempts == 3

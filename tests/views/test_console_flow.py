"""The medconsultant's console on a real hub: offer, identification, consent, transfer, chat.

Chat contacts (no media) so these run in the ordinary suite; the video call is in
``test_console_call.py`` (loopback-only namespace).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage

from console.identity.routing import age_on
from tests.conftest import TODAY
from tests.hub.test_flow import adult_with_phone
from tests.views.ui import click, press, type_text, until

if TYPE_CHECKING:
    from console.views.app import ConsoleSession


def child_with_parent_phone(people):
    """A child (1-17) whose registered phone is a parent's: the common case for pediatrics."""
    return next(
        p
        for p in people
        if p.phone
        and p.representative_policy
        and 1 <= age_on(p.birth_date, TODAY) <= 17
        and p.policy.valid_from <= TODAY <= p.policy.valid_to
    )


def png(colour: str, w: int = 300, h: int = 200) -> bytes:
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return bytes(data.data())


async def accept_offer(
    qtbot, session: ConsoleSession, contact_id: str | None = None, timeout: float = 10.0
) -> str:
    """Accept by F5 the offer ringing (of ``contact_id``, when given); its id."""
    w = session.window
    await until(
        lambda: (
            w.offer_panel.isVisible()
            and (contact_id is None or w.offer_panel.offer.contact.id == contact_id)
        ),
        timeout,
        "the offer to ring",
    )
    contact_id = w.offer_panel.offer.contact.id
    await press(w, Qt.Key.Key_F5)  # the shortcut accepts
    await until(lambda: w.contact is not None and w.contact.id == contact_id, what="the contact")
    return contact_id


async def test_offer_rings_shows_who_and_counts_down_and_reject_passes_it_on(
    qtbot, hub_server, open_console, patient
) -> None:
    op1 = await open_console("op1")
    person = adult_with_phone(hub_server.people)
    pat = await patient(person.phone)
    await pat.start("audio")
    w = op1.window
    await until(w.offer_panel.isVisible, what="the offer")
    panel = w.offer_panel
    assert panel.ringer.playing and panel.ringer.source.endswith("ring.wav")
    national = f"8 ({person.phone[2:5]}) {person.phone[5:8]}-{person.phone[8:10]}-"
    assert national in panel.details.text()
    assert panel.title.text() == "Urgent · Audio"
    first = panel.countdown.value()
    assert 0 < first <= 1000 and "s to answer" in panel.countdown.text()
    await asyncio.sleep(1.2)
    assert panel.countdown.value() < first  # it counts down
    assert w.queue_model.rowCount() == 1  # the ringing contact is still in the queue view

    op2 = await open_console("op2")
    await click(w.findChild(type(panel.reject_button), "rejectButton"))
    assert not panel.isVisible() and not panel.ringer.playing
    await until(op2.window.offer_panel.isVisible, what="the next medconsultant's offer")


@pytest.mark.parametrize(
    ("who", "duty", "route_word"),
    [("adult", "therapist1", "Therapist"), ("child", "pediatrician1", "Pediatrician")],
)
async def test_identify_consent_and_transfer_to_the_duty_doctor_by_age(
    qtbot, hub_server, open_console, patient, who, duty, route_word
) -> None:
    people = hub_server.people
    person = adult_with_phone(people) if who == "adult" else child_with_parent_phone(people)
    age = age_on(person.birth_date, TODAY)
    doctor = await open_console(duty)
    op = await open_console("op1")
    w = op.window
    pat = await patient(person.phone)
    await pat.start("chat")
    contact_id = await accept_offer(qtbot, op)

    # the caller's phone is looked up at once: every person it belongs to or represents
    ident = w.identity
    await until(lambda: ident.model.rowCount() >= 1, what="the phone's people")
    policies = [p.policy_number for p in ident.model.people]
    assert person.policy.number in policies
    transfer_button = w.transfer.button
    assert not transfer_button.isEnabled()
    if who == "child":  # the parent's phone reaches the family: the medconsultant chooses
        assert w.contact.person is None
        assert w.transfer.blocked.text() == "Identify the person first."
        assert not w.consent.send_button.isEnabled()  # whose consent, not known yet
    else:  # a phone of one person: the contact arrives identified, the list confirms it
        assert w.contact.person.policy_number == person.policy.number

    row = policies.index(person.policy.number)
    ident.matches.selectRow(row)
    await click(ident.select_button)
    await until(lambda: w.contact.person is not None, what="the person chosen")
    assert person.surname in ident.card.text() and f"{age} years" in ident.card.text()
    assert ident.badge.text() == "valid" and ident.badge.isVisible()
    assert w.transfer.route.text().startswith(route_word)
    assert w.transfer.blocked.text() == "Both consents must be confirmed first."
    assert not transfer_button.isEnabled()

    # consent: sent by the button, confirmed by the patient on their page
    assert "not sent" in w.consent.state.text()
    await click(w.consent.send_button)
    await until(
        lambda: w.consent.state.text().count("confirmed") == 2, what="both consents confirmed"
    )
    await until(transfer_button.isEnabled, what="the transfer allowed")
    queue = "duty:pediatrician" if who == "child" else "duty:therapist"
    await until(lambda: "free doctors" in w.transfer.load.text(), what="the duty queue's load")
    assert "free doctors 0" not in w.transfer.load.text()  # the duty doctor is available

    await type_text(w.reason.edit, "Температура 38,5 второй день")
    await press(w, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # transfer shortcut
    await until(lambda: w.contact is None, what="the contact to leave the medconsultant")
    assert w.stack.currentWidget() is w.idle
    offer = await _offer_for(doctor)
    assert offer.contact.id == contact_id and offer.contact.queue == queue
    assert offer.contact.reason == "Температура 38,5 второй день"  # the note travelled


async def _offer_for(session: ConsoleSession):
    await until(lambda: session.window.offer_panel.offer is not None, what="the doctor's offer")
    return session.window.offer_panel.offer


async def test_chat_text_and_images_both_ways(qtbot, hub_server, open_console, patient, tmp_path):
    op = await open_console("op1")
    w = op.window
    person = adult_with_phone(hub_server.people)
    pat = await patient(person.phone)
    await pat.start("chat")
    await accept_offer(qtbot, op)

    await type_text(w.chat.input, "Здравствуйте! Чем могу помочь?", enter=True)
    got = await pat.wait_chat(lambda x: x["author"] == "staff")
    assert got["text"] == "Здравствуйте! Чем могу помочь?"
    assert w.chat.input.text() == ""

    await pat.say("У меня сыпь, отправляю фото")
    await pat.send_file(png("#d81b60"), "rash.png")
    model = w.chat.model
    await until(lambda: model.rowCount() == 3, what="the patient's messages")
    att = model.message(2).attachment
    assert att is not None and att.name == "rash.png"
    await until(lambda: model.thumbnail(att.id) is not None, what="the thumbnail")
    thumb = model.thumbnail(att.id)
    assert max(thumb.width(), thumb.height()) == 128  # a thumbnail, aspect kept
    assert QColor(thumb.toImage().pixel(10, 10)).name() == "#d81b60"
    w.chat.history.doubleClicked.emit(model.index(2))  # opens full size
    viewer = w.chat.viewer
    assert viewer is not None and viewer.isVisible()
    assert (viewer.image.width(), viewer.image.height()) == (300, 200)
    viewer.close()

    picture = tmp_path / "памятка.png"
    picture.write_bytes(png("#1e88e5", 64, 64))
    w.chat.send_file(str(picture))
    sent = await pat.wait_chat(lambda x: x["author"] == "staff" and x.get("attachment"))
    assert sent["attachment"]["name"] == "памятка.png" and sent["attachment"]["mime"] == "image/png"
    await until(lambda: model.rowCount() == 4, what="our file in our history")


async def test_a_file_the_hub_refuses_is_explained_and_nothing_is_lost(
    qtbot, hub_server, open_console, patient, tmp_path
) -> None:
    op = await open_console("op1")
    w = op.window
    pat = await patient(adult_with_phone(hub_server.people).phone)
    await pat.start("chat")
    await accept_offer(qtbot, op)
    bad = tmp_path / "virus.png"
    bad.write_bytes(b"MZ\x90\x00 not an image at all")
    w.chat.send_file(str(bad))
    await until(lambda: "cannot be sent" in w.statusBar().currentMessage(), what="the refusal")
    await type_text(w.chat.input, "А так можно?", enter=True)
    await pat.wait_chat(lambda x: x["text"] == "А так можно?")  # the console still works


async def test_wrap_up_outcome_and_comment_then_available_again(
    qtbot, hub_server, open_console, patient
) -> None:
    op = await open_console("op1")
    w = op.window
    pat = await patient(adult_with_phone(hub_server.people).phone)
    await pat.start("chat")
    await accept_offer(qtbot, op)
    await press(w, Qt.Key.Key_F9)  # end
    await until(w.wrapup.isEnabled, what="wrap-up")
    assert w.staff_state == "wrap_up" and "Wrap-up" in w.state_button.text()
    await until(lambda: "left" in w.wrapup.timer_label.text(), what="the wrap-up countdown")
    w.wrapup.outcome.setCurrentIndex(w.wrapup.outcome.findData("closed_as_given"))
    await type_text(w.wrapup.comment, "Дана справочная информация")
    await click(w.wrapup.done_button)
    await until(lambda: w.staff_state == "available", what="available again")
    assert w.contact is None and not w.wrapup.isEnabled()


async def test_break_with_reason_and_offline_from_the_state_menu(qtbot, open_console) -> None:
    op = await open_console("op1")
    w = op.window
    await until(lambda: w.staff_state == "available", what="available")
    assert w.state_button.text() == "Available"
    op.controller.set_state("break", "Lunch")
    await until(lambda: w.staff_state == "break", what="the break")
    assert w.state_button.text() == "Break: Lunch"
    w.offline_action.trigger()
    await until(lambda: w.staff_state == "offline", what="offline")
    assert w.hub_status.text() == "Hub: connected"

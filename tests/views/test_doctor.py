"""The doctor's console on a real hub: a transferred child, the card, the conclusion, the PDF.

A duty pediatrician's console receives a 9-year-old a medconsultant transferred,
sees the reason, the representative, the medical card and the chat, raises the
chat to video (the patient declines), writes and signs a conclusion and ends;
the child goes back to the medconsultant who transferred it, and the patient
downloads the conclusion's PDF, whose text holds the doctor's recommendations.
Chat contacts: no media, the ordinary suite. Also the consultation clock's
warnings (a fake clock), the doctor's window's names and language, and the
screenshot ``7-doctor-conclusion.png``.
"""

from __future__ import annotations

import asyncio
import io
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from console.identity.routing import age_on
from console.protocol import messages as m
from console.views.doctor import WARN_BEFORE_S, ConsultationClock
from tests.conftest import TODAY
from tests.hub.test_flow import staff
from tests.views.test_accessibility import ACTIONABLE, part_of_another, spoken_name
from tests.views.test_console_flow import accept_offer, png
from tests.views.test_screens import shoot
from tests.views.test_translations import (  # noqa: F401 - a fixture
    TS,
    english_afterwards,
    latin_words,
    read_ts,
    shown_texts,
)
from tests.views.ui import as_input, click, press, type_text, until

if TYPE_CHECKING:
    from console.views.app import ConsoleSession
    from tests.hub.clients import WsClient
    from tests.views.patient import TestPatient

REASON = "Температура 38,5 второй день, кашель"
COMPLAINTS = "Температура до 38,5 второй день, сухой кашель, насморк"
HISTORY = "Болеет с позавчера; в классе болеют ОРВИ. Аллергии нет."
RECOMMENDATIONS = (
    "Обильное тёплое питьё, проветривание. При температуре выше 38,5 — жаропонижающее "
    "по возрасту. Если температура держится дольше трёх дней или появится одышка — очный "
    "приём педиатра."
)
FORBIDDEN = re.compile(r"diagnos|prescri|sick|leave|certif|диагноз|рецепт|больничн|справк", re.I)


def nine_year_old(people):
    """A child of 9 whose registered phone is a parent's (seed 3 has one)."""
    return next(
        p
        for p in people
        if p.phone
        and p.representative_policy
        and age_on(p.birth_date, TODAY) == 9
        and p.policy.valid_from <= TODAY <= p.policy.valid_to
    )


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


async def download(pat: TestPatient, url: str) -> bytes:
    async with pat.session.get(
        f"{pat.base}{url}", headers={"Authorization": f"Bearer {pat.token}"}
    ) as r:
        assert r.status == 200 and r.content_type == "application/pdf", r.status
        return await r.read()


async def transfer_on_the_console(op: ConsoleSession, pat: TestPatient, child) -> str:
    """The medconsultant's console: accept, choose the child, consents, reason, Ctrl+T."""
    w = op.window
    contact_id = await accept_offer(None, op)
    ident = w.identity
    await until(lambda: ident.model.rowCount() >= 1, what="the phone's people")
    policies = [p.policy_number for p in ident.model.people]
    ident.matches.selectRow(policies.index(child.policy.number))
    await click(ident.select_button)
    await until(lambda: w.contact.person is not None, what="the child chosen")
    await click(w.consent.send_button)
    await until(w.transfer.button.isEnabled, what="the transfer allowed")
    await type_text(w.reason.edit, REASON)
    await press(w, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: w.contact is None, what="the contact to go to the doctor")
    return contact_id


async def medconsultant_takes(h) -> tuple[WsClient, str]:
    """op1, on the hub's protocol (no console), takes the waiting contact."""
    op = await staff(h, "op1")
    cid = (await op.expect("offer"))["contact"]["id"]
    await op.call({"type": "accept", "contact_id": cid})
    return op, cid


async def transfer_to_the_pediatrician(op: WsClient, cid: str, pat: TestPatient) -> None:
    for kind in ("personal_data", "remote_consultation"):
        await op.call({"type": "send_consent", "contact_id": cid, "kind": kind})
    await until(lambda: len(pat.consents) == 2, what="the consents confirmed")
    while True:  # the patient sent them; the transfer waits until the hub has them
        view = (await op.expect("contact"))["contact"]
        if [c["state"] for c in view["consents"]] == ["confirmed", "confirmed"]:
            break
    await op.call({"type": "set_reason", "contact_id": cid, "reason": REASON})
    done = await op.call({"type": "transfer", "contact_id": cid, "to": "duty:pediatrician"})
    assert done["type"] == "ack", done


async def test_the_duty_pediatrician_concludes_and_hands_the_child_back(
    qtbot, hub_server, open_console, patient
) -> None:
    child = nine_year_old(hub_server.people)
    doctor = await open_console("pediatrician1")
    op = await open_console("op1")
    pat = await patient(child.phone)
    pat.accept_calls = False  # the patient answers the video call themselves, below
    await pat.start("chat", pat.person_id(child.policy.number))
    await until(op.window.offer_panel.isVisible, what="the medconsultant's offer")
    await pat.say("У ребёнка температура")
    await pat.send_file(png("#43a047", 120, 90), "горло.png")
    contact_id = await transfer_on_the_console(op, pat, child)
    # the medconsultant ends the wrap-up; another one has been free longer meanwhile
    op2 = await open_console("op2")
    op.controller.set_state("available")
    await until(lambda: op.window.staff_state == "available", what="op1 available")

    # -- the doctor's console: the offer, then the card
    w = doctor.window
    assert w.doctor is not None and w.windowTitle().startswith("medconsole — doctor")
    assert w.identity.parent() is None and w.transfer.parent() is None  # not a doctor's
    await until(lambda: w.offer_panel.offer is not None, what="the doctor's offer")
    assert w.offer_panel.offer.contact.queue == "duty:pediatrician"
    await press(w, Qt.Key.Key_F5)
    await until(lambda: w.contact is not None and w.contact.id == contact_id, what="accepted")
    ws = w.doctor
    card = ws.card
    assert f"{child.surname} {child.name}" in card.name.text()
    assert "9 years" in card.details.text() and child.policy.number in card.details.text()
    assert "representative:" in card.details.text()
    assert card.reason.text() == REASON
    assert "Смирнова Анна Викторовна" in card.reason_title.text()  # the medconsultant's
    assert card.model.rowCount() == 1 and "горло.png" in card.model.index(0).data()
    assert card.documents_title.text() == "Medical card, documents: 1"
    texts = [w.chat.model.message(r).text for r in range(w.chat.model.rowCount())]
    assert "У ребёнка температура" in texts  # the chat came with the contact
    assert ws.clock.phase == "ok" and ws.clock.limit.text() == "Urgent: limit 30 min"
    assert ws.clock.text.text().startswith("Consultation 00:0")
    assert "of 30:00" in ws.clock.text.text()

    # -- telemedicine's limits: no field for them, and the form says why
    form = ws.conclusion
    assert form.limits.isVisible() and "323-FZ" in form.limits.text()
    assert "makes no diagnosis" in form.limits.text()
    fields = [
        x for x in ws.findChildren(QWidget) if isinstance(x, QLineEdit | QPlainTextEdit | QTextEdit)
    ]
    assert {f.objectName() for f in fields} == {
        "conclusionComplaints",
        "conclusionHistory",
        "conclusionRecommendations",
    }
    boxes = {b.objectName() for b in ws.findChildren(QCheckBox)}
    assert boxes == {"conclusionInPersonVisit", "conclusionNone"}
    assert not [f for f in fields + ws.findChildren(QCheckBox) if FORBIDDEN.search(f.objectName())]

    # -- raise the chat to video: the patient declines
    assert w.call.video_button.isVisible() and w.call.video_button.isEnabled()
    await click(w.call.video_button)
    await pat.wait_for(lambda: any(x["type"] == "call_request" for x in pat.ws.seen))
    assert next(x for x in pat.ws.seen if x["type"] == "call_request")["media"] == "video"
    await pat.answer_call(False)
    await until(lambda: "declined" in w.call.status.text(), what="the patient's refusal")

    # -- the conclusion: nothing to end before it is signed; an empty one is refused
    assert not form.end_button.isEnabled() and "Sign the conclusion" in form.end_button.toolTip()
    await click(form.save_button)
    assert form.error.isVisible() and "Write the complaints" in form.error.text()
    await type_text(form.complaints, COMPLAINTS)
    await type_text(form.history, HISTORY)
    await type_text(form.recommendations, RECOMMENDATIONS)
    await press(w, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # save and sign
    await until(lambda: form.signed is not None, what="the conclusion signed")
    assert form.status.text().startswith("Signed by Лебедева Ольга Николаевна")
    assert "(version 1)" in form.status.text()
    assert form.end_button.isEnabled() and not form.save_button.isEnabled()
    await click(form.pdf_button)  # the doctor sees what the patient gets
    await until(lambda: form.viewer is not None and form.viewer.isVisible(), what="the PDF")
    assert form.viewer.document.pageCount() == 1
    assert RECOMMENDATIONS[:40] in " ".join(pdf_text(form.viewer.data).split())
    form.viewer.close()

    # -- the patient is sent the PDF; its text holds the recommendations (Cyrillic)
    await pat.wait_for(lambda: any(x["type"] == "conclusion_ready" for x in pat.ws.seen))
    ready = next(x for x in pat.ws.seen if x["type"] == "conclusion_ready")
    assert ready["contact_id"] == contact_id and ready["url"] == form.signed.url
    text = " ".join(pdf_text(await download(pat, ready["url"])).split())
    assert " ".join(RECOMMENDATIONS.split()) in text
    assert COMPLAINTS in text and "Лебедева Ольга Николаевна, врач-педиатр" in text

    # -- End: the child goes back to the medconsultant who transferred (not to op2)
    await press(w, Qt.Key.Key_F9)
    await until(lambda: w.contact is None, what="the doctor's contact to go")
    assert "went back to the medconsultant" in w.statusBar().currentMessage()
    await until(
        lambda: (
            op.window.offer_panel.offer is not None
            and op.window.offer_panel.offer.contact.id == contact_id
        ),
        what="the hand-back offered to the medconsultant who transferred",
    )
    assert op2.window.offer_panel.offer is None
    await press(op.window, Qt.Key.Key_F5)
    await until(lambda: op.window.contact is not None, what="the medconsultant has the child back")
    assert op.window.contact.id == contact_id and op.window.contact.state == "connected"


def _view(started: datetime, limit_s: int, state: str = "with_doctor") -> m.ContactView:
    return m.ContactView(
        id="c1",
        channel="chat",
        kind="appointment" if limit_s == 900 else "urgent",
        state=state,
        queue="doctor:5",
        arrived_at=started,
        consultation=m.ConsultationView(started_at=started, limit_s=limit_s),
    )


def test_the_clock_warns_five_minutes_before_and_at_the_limit(qtbot) -> None:
    t0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    now = [t0]
    clock = ConsultationClock(now=lambda: now[0])
    qtbot.addWidget(clock)
    warnings: list[tuple[str, str]] = []
    clock.warned.connect(lambda phase, text: warnings.append((phase, text)))
    clock.set_consultation(_view(t0, 15 * 60))  # by appointment
    assert clock.limit.text() == "Appointment: limit 15 min"
    now[0] = t0 + timedelta(seconds=15 * 60 - WARN_BEFORE_S - 1)
    clock.tick()
    assert (clock.phase, warnings) == ("ok", [])
    assert clock.text.text() == "Consultation 09:59 of 15:00"
    now[0] += timedelta(seconds=1)
    clock.tick()
    assert clock.phase == "soon" and clock.text.text().endswith("— 05:00 left")
    assert warnings == [("soon", "5 minutes of the consultation are left: time to conclude.")]
    clock.tick()
    assert len(warnings) == 1  # once
    now[0] = t0 + timedelta(minutes=15)
    clock.tick()
    assert clock.phase == "over" and clock.text.text().endswith("the time is up")
    assert warnings[-1] == (
        "over",
        "The consultation has reached its limit of 15 minutes: conclude it.",
    )
    now[0] += timedelta(minutes=3)
    clock.tick()
    assert len(warnings) == 2 and clock.text.text().startswith("Consultation 18:00 of 15:00")
    assert clock.chime.played == 2
    # a new consultation warns again; a late one (already over) warns once
    clock.set_consultation(
        _view(now[0] - timedelta(minutes=31), 30 * 60).model_copy(update={"id": "c2"})
    )
    assert [p for p, _ in warnings] == ["soon", "over", "over"]
    clock.set_consultation(None)
    assert clock.phase == "none" and clock.text.text() == "No consultation"


@pytest.mark.usefixtures("english_afterwards")
async def test_the_doctors_window_names_every_control_and_speaks_russian(
    qtbot, open_console
) -> None:
    w = (await open_console("pediatrician1", lang="ru")).window
    await until(lambda: w.hub_status.text() == "Сервер: подключено", what="connected")
    assert w.windowTitle().startswith("medconsole — врач")
    nameless = [
        f"{type(x).__name__} {x.objectName()}"
        for x in w.findChildren(QWidget)
        if isinstance(x, ACTIONABLE) and not part_of_another(x) and not spoken_name(x)
    ]
    assert nameless == []
    committed = read_ts(TS)
    english = {msg.key[1]: msg.name for msg in committed.values() if latin_words(msg.key[1])}
    leftovers = [f"{k}: {v!r}" for k, v in shown_texts(w).items() if v in english]
    assert leftovers == []
    hidden = [a.text() for a in w.menuBar().actions()[0].menu().actions() if not a.isVisible()]
    assert "Перевести на дежурного врача" in hidden  # a medconsultant's action
    assert w.doctor.conclusion.limits.text().startswith("Ограничения телемедицины")


@pytest.mark.usefixtures("english_afterwards")
async def test_screenshot_of_the_conclusion_form(qtbot, hub_server, open_console, patient):
    """``7-doctor-conclusion.png``: the doctor's workspace with a signed conclusion (Russian)."""
    h = hub_server
    child = nine_year_old(h.people)
    session = await open_console("pediatrician1", lang="ru")
    w = session.window
    pat = await patient(child.phone)
    await pat.start("chat", pat.person_id(child.policy.number))
    op, cid = await medconsultant_takes(h)
    await pat.say("Здравствуйте, у сына температура со вчерашнего дня")
    await pat.send_file(png("#ef9a9a", 160, 120), "горло.png")
    await pat.send_file(
        b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n", "анализ крови.pdf"
    )
    await transfer_to_the_pediatrician(op, cid, pat)
    await until(w.offer_panel.isVisible, what="the doctor's offer")
    await press(w, Qt.Key.Key_F5)
    await until(lambda: w.contact is not None, what="the consultation")
    await until(lambda: w.chat.model.rowCount() >= 3, what="the chat history")
    await pat.say("Кашель сухой, насморк. Лекарства не давали.")
    await type_text(w.chat.input, "Здравствуйте! Сейчас задам несколько вопросов.", enter=True)
    form = w.doctor.conclusion
    await type_text(form.complaints, COMPLAINTS)
    await type_text(form.history, HISTORY)
    await type_text(form.recommendations, RECOMMENDATIONS)
    await as_input(form.in_person.click)  # ticked
    await click(form.save_button)
    await until(lambda: form.signed is not None, what="the conclusion signed")
    await until(lambda: w.chat.model.rowCount() >= 5, what="the whole chat")
    image = shoot(w, "7-doctor-conclusion")
    note = w.doctor.conclusion.limits
    spot = note.mapTo(w, note.rect().center())
    assert QColor(image.pixel(spot.x(), 4 + note.mapTo(w, note.rect().topLeft()).y())).name() in (
        "#e3f2fd",
        "#0d47a1",
    )  # the limits note is painted where it claims to be
    await op.close()


@pytest.mark.netns
async def test_the_doctor_raises_the_chat_to_video_and_the_patient_accepts(
    qtbot, hub_server, open_console, patient
) -> None:
    """Real media (loopback-only namespace): the patient accepts, the doctor sees them."""
    from tests.views.patient import PATIENT_MARKER
    from tests.views.test_console_call import MEDIA_TIMEOUT, close, frame_marker

    child = nine_year_old(hub_server.people)
    doctor = await open_console("pediatrician1")
    w = doctor.window
    pat = await patient(child.phone)
    op = None
    try:
        await pat.start("chat", pat.person_id(child.policy.number))
        op, cid = await medconsultant_takes(hub_server)
        await transfer_to_the_pediatrician(op, cid, pat)
        await until(w.offer_panel.isVisible, what="the doctor's offer")
        await press(w, Qt.Key.Key_F5)
        await until(lambda: w.contact is not None, what="the consultation")
        assert cid not in doctor.controller.calls  # a chat: no media yet
        await click(w.call.video_button)  # the patient's client accepts the call
        await until(lambda: cid in doctor.controller.calls, MEDIA_TIMEOUT, "the video leg")
        await until(lambda: w.call.remote.frames_shown >= 3, MEDIA_TIMEOUT, "the child's picture")
        assert close(frame_marker(w.call.remote), PATIENT_MARKER)
        assert pat.legs[-1]["media"] == "video" and pat.legs[-1]["staff_role"] == "doctor"
        assert not w.call.video_button.isEnabled()  # in a call already
    finally:
        await pat.close()
        if op is not None:
            await op.close()
        async with asyncio.timeout(15):
            await doctor.close()

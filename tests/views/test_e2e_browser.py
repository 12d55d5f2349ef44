"""The whole path of an urgent call, end to end: a real browser, two real consoles, one hub.

Headless Chromium is the patient on the hub's own page (its fake camera and
microphone); the medconsultant's and the duty therapist's consoles are the real
windows (pytest-qt, offscreen, on qasync's loop), each with a synthetic camera
whose picture carries a marker square of its own colour. The hub is the real one
(SQLite). Everything runs in a loopback-only network namespace (``scripts/test.sh``):
every ICE pair is 127.0.0.1 on both ends.

1. The patient signs in with the SMS code and starts a video contact. The
   medconsultant accepts it: each side sees the other's picture (the browser's
   ``<video>`` shows the medconsultant's marker; the console paints the browser's
   camera), and chat goes both ways. The phone reaches a family: the patient
   chooses themself on the page, and the console shows the adult's card and
   policy; the medconsultant sends the consents, the patient confirms them on
   the page, the reason is written and Ctrl+T transfers to the duty therapist.
2. The therapist's console rings and takes the contact with the chat so far: a
   new leg, the doctor's marker on the patient's page, the patient's picture in
   the doctor's console, chat both ways. The doctor writes and signs a
   conclusion (the page gets its link) and ends (F9).
3. The patient goes back to the medconsultant who transferred: a third leg,
   pictures and chat again. The medconsultant books a follow-up with the
   therapist; the patient's page lists the appointment, and its conclusion link
   downloads the PDF.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import Qt

from console.admin import seed
from console.calls.media import colour_distance, read_marker
from console.identity.routing import age_on
from tests.browser.cdp import Browser
from tests.browser.conftest import needs_browser
from tests.browser.test_e2e_hub import PIXEL_JS, login_page, page_pair
from tests.browser.test_page import text_has, tid, visible
from tests.views.conftest import SHOTS
from tests.views.test_booking import choose_specialty, open_dialog
from tests.views.test_console_call import MEDIA_TIMEOUT, image_array
from tests.views.test_console_flow import accept_offer
from tests.views.ui import click, press, type_text, until

if TYPE_CHECKING:
    from console.views.app import ConsoleSession
    from tests.hub.conftest import HubUnderTest

pytestmark = [needs_browser, pytest.mark.netns]

OPERATOR_MARKER = (230, 30, 30)
DOCTOR_MARKER = (30, 30, 230)
#: Chromium's fake camera: a green-ish moving pattern, far from both markers
CLOSE = 60.0

REASON = "Температура 38,7 со вчерашнего вечера, ломит всё тело"
COMPLAINTS = "Температура до 38,7 второй день, ломота, слабость"
HISTORY = "Заболел вчера вечером; контакт с больным ОРВИ на работе. Аллергии нет."
RECOMMENDATIONS = (
    "Обильное тёплое питьё, постельный режим. Жаропонижающее при температуре выше 38,5. "
    "Повторная консультация терапевта через три дня."
)


def parent_with_a_child(people, today):
    """An adult whose phone also reaches a child they represent: the contact arrives
    with people to choose from, so the medconsultant has to identify."""
    policies = {p.policy.number: p for p in people}
    for child in people:
        parent = policies.get(child.representative_policy or "")
        if (
            parent is not None
            and parent.phone
            and not parent.representative_policy
            and age_on(parent.birth_date, today) >= 18
            and parent.policy.valid_from <= today <= parent.policy.valid_to
        ):
            return parent
    raise AssertionError("the seeded registry has no parent with a phone")


def full_name(p) -> str:
    return " ".join(x for x in (p.surname, p.name, p.patronymic) if x)


def near(seen, expected) -> bool:
    return seen is not None and colour_distance(tuple(seen[:3]), expected) < CLOSE


async def page_shows(b: Browser, marker: tuple[int, int, int]) -> list[int]:
    """Wait until the page's remote ``<video>`` paints ``marker`` in its corner."""
    r, g, bl = marker
    return await b.wait_for(
        f"(() => {{ const p = {PIXEL_JS}; return p && Math.abs(p[0]-{r}) < 60 && "
        f"Math.abs(p[1]-{g}) < 60 && Math.abs(p[2]-{bl}) < 60 ? p : null; }})()",
        timeout=MEDIA_TIMEOUT,
    )


async def console_sees_the_browser(session: ConsoleSession) -> None:
    """The console paints the browser's camera: frames keep coming, and the picture is
    neither console's marker."""
    remote = session.window.call.remote
    await until(lambda: remote.frames_shown >= 3, MEDIA_TIMEOUT, "the patient's picture")
    shown = remote.frames_shown
    await until(lambda: remote.frames_shown >= shown + 5, MEDIA_TIMEOUT, "more of the picture")
    frame = remote.current_image()
    assert frame is not None
    corner = read_marker(image_array(frame))
    assert not near(corner, OPERATOR_MARKER) and not near(corner, DOCTOR_MARKER), corner


async def chat_both_ways(b: Browser, session: ConsoleSession, from_page: str, reply: str) -> None:
    w = session.window
    await b.type(tid("chat-input"), from_page)
    await b.click(tid("chat-send"))
    await until(
        lambda: from_page in chat_texts(session), MEDIA_TIMEOUT, "the page's message in the console"
    )
    await type_text(w.chat.input, reply, enter=True)
    await b.wait_for(text_has("chat-log", reply), timeout=MEDIA_TIMEOUT)


def chat_texts(session: ConsoleSession) -> list[str]:
    model = session.window.chat.model
    return [model.message(r).text for r in range(model.rowCount())]


async def leg_of(b: Browser) -> dict[str, Any]:
    return await b.evaluate("window.medconsole.state().leg")


async def new_leg_with_frames(b: Browser, before: str | None) -> str:
    """The page opened a leg other than ``before`` and its video is playing."""
    await b.wait_for(
        f"(() => {{ const s = window.medconsole.state(); return s.leg && s.leg !== "
        f"{'null' if before is None else repr(before)} && s.remoteFrames > 10; }})()",
        timeout=MEDIA_TIMEOUT,
    )
    return (await b.evaluate("window.medconsole.state()"))["leg"]


async def test_patient_in_chromium_to_medconsultant_to_doctor_and_back_to_a_booking(
    qtbot, hub_server: HubUnderTest, open_console
) -> None:
    h = hub_server
    now = datetime.now(UTC)
    today = now.astimezone(h.settings.tz).date()
    await seed.seed_booking(h.hub.db, today=today, tz=h.settings.tz, now=now)
    adult = parent_with_a_child(h.people, today)
    doctor = await open_console("therapist1", marker=DOCTOR_MARKER)
    op = await open_console("op1", marker=OPERATOR_MARKER)
    w = op.window

    async with Browser() as b:
        # -- leg 1: the page to the medconsultant
        await login_page(b, h, adult.phone)
        reached = await b.evaluate("window.medconsole.state().persons")
        assert reached >= 2
        # whom the call is for: the page lists the phone's people; the adult picks themself
        radio = await b.evaluate(
            "[...document.querySelectorAll('#persons-list label')]"
            f".find(l => l.textContent.startsWith({adult.surname + ' ' + adult.name!r}))"
            "?.htmlFor ?? null"
        )
        assert radio is not None, "the adult is not among the page's people"
        await b.click(f"#{radio}")
        await b.click(tid("start-video"))
        cid = await accept_offer(None, op, timeout=MEDIA_TIMEOUT)
        assert w.contact.channel == "video"
        first_leg = await new_leg_with_frames(b, None)
        assert near(await page_shows(b, OPERATOR_MARKER), OPERATOR_MARKER)
        await console_sees_the_browser(op)
        pair = await page_pair(b)
        assert pair["local"]["address"] == "127.0.0.1" == pair["remote"]["address"]
        await chat_both_ways(b, op, "Здравствуйте, температура", "Здравствуйте! Чем помочь?")

        # identified by the phone and the page's choice: the card, the policy's badge,
        # and the phone's other people to switch to
        ident = w.identity
        await until(lambda: ident.model.rowCount() == reached, what="the phone's people")
        assert w.contact.person is not None
        assert w.contact.person.policy_number == adult.policy.number
        assert full_name(adult) in ident.card.text() and ident.badge.text() == "valid"
        # the consents: sent from the console, confirmed by the patient on the page
        await click(w.consent.send_button)
        async with asyncio.timeout(MEDIA_TIMEOUT):
            while not w.transfer.button.isEnabled():  # the page asks one consent at a time
                if await b.evaluate(visible("consent-confirm")):
                    await b.click(tid("consent-confirm"))
                await asyncio.sleep(0.1)
        confirmed = await b.evaluate("window.medconsole.state().consentsConfirmed")
        assert sorted(confirmed) == ["personal_data", "remote_consultation"]
        await type_text(w.reason.edit, REASON)
        await b.screenshot(SHOTS / "e2e-1-page-with-medconsultant.png", full_page=True)
        await press(w, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: w.contact is None, MEDIA_TIMEOUT, "the contact to go to the doctor")

        # -- leg 2: the duty therapist
        d = doctor.window
        assert await accept_offer(None, doctor, cid, MEDIA_TIMEOUT) == cid
        assert d.contact.queue == "duty:therapist"
        second_leg = await new_leg_with_frames(b, first_leg)
        assert near(await page_shows(b, DOCTOR_MARKER), DOCTOR_MARKER)
        await console_sees_the_browser(doctor)
        await b.wait_for(text_has("staff-line", "Врач"), timeout=MEDIA_TIMEOUT)
        texts = chat_texts(doctor)
        assert "Здравствуйте, температура" in texts and "Здравствуйте! Чем помочь?" in texts
        card = d.doctor.card
        assert card.reason.text() == REASON
        assert adult.surname in card.name.text()
        await chat_both_ways(b, doctor, "Горло не болит, кашля нет", "Понял вас, пишу заключение")

        form = d.doctor.conclusion
        await type_text(form.complaints, COMPLAINTS)
        await type_text(form.history, HISTORY)
        await type_text(form.recommendations, RECOMMENDATIONS)
        await press(d, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: form.signed is not None, MEDIA_TIMEOUT, "the conclusion signed")
        link = await b.wait_for(
            "document.querySelector('[data-testid=conclusion-link]')?.href ?? null",
            timeout=MEDIA_TIMEOUT,
        )
        assert form.signed.url in link
        await b.screenshot(SHOTS / "e2e-2-page-with-doctor.png", full_page=True)
        await press(d, Qt.Key.Key_F9)
        await until(lambda: d.contact is None, MEDIA_TIMEOUT, "the doctor's contact to go")

        # -- leg 3: back to the medconsultant who transferred
        op.controller.set_state("available")  # wrap-up over
        assert await accept_offer(None, op, cid, MEDIA_TIMEOUT) == cid
        await new_leg_with_frames(b, second_leg)
        assert near(await page_shows(b, OPERATOR_MARKER), OPERATOR_MARKER)
        await console_sees_the_browser(op)
        await chat_both_ways(b, op, "Спасибо доктору", "Запишу вас на повторную консультацию")

        # a follow-up with the therapist, booked in the console
        panel = w.appointments
        await until(panel.book_button.isEnabled, what="booking allowed")
        dialog = await open_dialog(op)
        await choose_specialty(dialog, "therapist")
        slot = dialog.current_slot()
        assert slot is not None and slot.start > now
        await click(dialog.hold_button)
        await until(lambda: dialog.held is not None, what="the slot held")
        await click(dialog.confirm_button)
        await until(lambda: dialog.status.text().startswith("Booked:"), what="the booking")
        dialog.close()

        # the page: the appointment, and the conclusion's PDF behind its link
        local = slot.start.astimezone(h.settings.tz).strftime("%H:%M")
        row = await b.wait_for(
            "[...document.querySelectorAll('[data-testid=appointments-list] li')]"
            ".map(li => li.textContent).find(t => t.includes('запись подтверждена')) ?? null",
            timeout=MEDIA_TIMEOUT,
        )
        assert local in row and "терапевт" in row
        pdf = await b.evaluate(
            "fetch(document.querySelector('[data-testid=conclusion-link]').href)"
            ".then(async r => [r.status, r.headers.get('content-type'),"
            " new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5))])"
        )
        assert pdf == [200, "application/pdf", "%PDF-"]
        await b.screenshot(SHOTS / "e2e-3-page-booked.png", full_page=True)
        w.grab().save(str(SHOTS / "e2e-3-console-booked.png"))

        # the medconsultant ends; the page says so
        await click(w.call.end_button)
        await b.wait_for(visible("ended"), timeout=MEDIA_TIMEOUT)
        errors = list(b.page_errors)
    assert not errors, f"uncaught exceptions in the page: {errors}"

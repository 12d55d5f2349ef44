"""Screenshots of the console's main states, for a person to look at.

Written to ``bench/out/screens/`` (in Russian, as medconsultants see it): idle
with people waiting, an offer ringing, a chat with an image, and (in the
loopback namespace, with real media) a video call with the identification
shown. Each test also checks the picture is the window it claims to be.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage

from console.identity.routing import age_on
from tests.conftest import TODAY
from tests.views.conftest import SHOTS
from tests.views.patient import PATIENT_MARKER
from tests.views.test_console_call import close, on_screen_marker
from tests.views.test_console_flow import child_with_parent_phone, png
from tests.views.ui import click, press, type_text, until

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def shoot(widget: QWidget, name: str) -> QImage:
    """Save the widget as it is painted now; the image, for checks."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    pixmap = widget.grab()
    path = SHOTS / f"{name}.png"
    assert pixmap.save(str(path)), path
    image = QImage(str(path))
    assert (image.width(), image.height()) == (widget.width(), widget.height())
    return image


def owners(people, n: int) -> list:
    seen: dict[str, object] = {}
    for p in people:
        if p.phone and not p.representative_policy and age_on(p.birth_date, TODAY) >= 18:
            seen.setdefault(p.phone, p)
    return list(seen.values())[:n]


async def test_idle_ringing_and_chat_with_an_image(qtbot, hub_server, open_console, patient):
    session = await open_console("op1", available=False, lang="ru")
    w = session.window
    session.controller.set_state("break", "Обед")
    waiting = owners(hub_server.people, 3)
    pats = []
    for person in waiting:
        p = await patient(person.phone)
        await p.start("chat" if len(pats) % 2 else "video")
        pats.append(p)
    await until(lambda: w.queue_model.rowCount() == 3, what="three people waiting")
    await until(lambda: w.staff_state == "break", what="the break")
    shoot(w, "1-idle")
    names = {w.queue_model.index(r, 3).data() for r in range(3)}
    assert any(waiting[0].surname in (n or "") for n in names)

    session.controller.set_state("available")
    await until(w.offer_panel.isVisible, what="the offer")
    image = shoot(w, "2-ringing")
    spot = w.offer_panel.mapTo(w, QPoint(w.offer_panel.width() - 250, 10))
    assert QColor(image.pixel(spot)).name() == "#fff8e1"  # the ringing panel is painted

    # the third (a chat) comes next: reject the video offers until it rings
    while w.offer_panel.offer.contact.channel != "chat":
        await click(w.offer_panel.reject_button)
        await until(w.offer_panel.isVisible, what="the next offer")
    await press(w, Qt.Key.Key_F5)
    await until(lambda: w.contact is not None, what="the chat contact")
    chatter = next(p for p in pats if p.contact_id == w.contact.id)
    await type_text(w.chat.input, "Здравствуйте! Пришлите, пожалуйста, фото.", enter=True)
    await chatter.wait_chat(lambda x: x["author"] == "staff")
    await chatter.say("Вот, сыпь на руке")
    await chatter.send_file(png("#d81b60", 400, 300), "сыпь.png")
    att_rows = lambda: [  # noqa: E731
        r for r in range(w.chat.model.rowCount()) if w.chat.model.message(r).attachment
    ]
    await until(att_rows, what="the image in the chat")
    att = w.chat.model.message(att_rows()[0]).attachment
    await until(lambda: w.chat.model.thumbnail(att.id) is not None, what="the thumbnail")
    image = shoot(w, "3-chat-with-image")
    pink = sum(
        1
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
        if QColor(image.pixel(x, y)).name() == "#d81b60"
    )
    assert pink > 100  # the thumbnail is painted in the history


@pytest.mark.netns
async def test_video_call_with_identification(qtbot, hub_server, open_console, patient):
    session = await open_console("op1", lang="ru")
    w = session.window
    person = child_with_parent_phone(hub_server.people)
    pat = await patient(person.phone)
    await pat.start("video")
    await until(w.offer_panel.isVisible, what="the offer")
    await press(w, Qt.Key.Key_F5)
    await until(lambda: w.contact is not None, what="the contact")
    await until(lambda: w.identity.model.rowCount() >= 2, what="the family on the phone")
    row = [p.policy_number for p in w.identity.model.people].index(person.policy.number)
    w.identity.matches.selectRow(row)
    await click(w.identity.select_button)
    await until(lambda: w.contact.person is not None, what="the child chosen")
    remote = w.call.remote
    await until(lambda: remote.frames_shown > 10, 20, "the patient's video")
    await until(lambda: w.call.local.frames_shown > 10, 20, "the preview")
    shoot(w, "4-video-call-identified")
    assert close(on_screen_marker(remote), PATIENT_MARKER)  # the patient's picture, painted
    # both ends hang up here, on the running loop (see test_console_call.video_call)
    await pat.close()
    async with asyncio.timeout(15):
        await session.close()

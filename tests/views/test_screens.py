"""Screenshots of the console's main states, for a person to look at.

Written to ``bench/out/screens/`` (in Russian, as medconsultants see it): idle
with people waiting, an offer ringing, a chat with an image, and (in the
loopback namespace, with real media) a video call with the identification
shown; and the supervisor's wallboard after a busy morning simulated through the
real hub on its fake clock. Each test also checks the picture is the window it
claims to be.
"""

from __future__ import annotations

import asyncio
import math
import os
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QColor, QImage

from console.client import HubCommandError, StaffClient
from console.clock import FakeClock
from console.hub.service import HubConfig
from console.identity.routing import age_on
from console.views import app as console_app
from console.views.boardmodels import Thresholds
from console.views.wallboard import WallboardController, WallboardWindow
from tests.conftest import TODAY
from tests.hub.clients import WsClient, patient_login
from tests.views.conftest import PASSWORD, SHOTS
from tests.views.patient import PATIENT_MARKER
from tests.views.test_console_call import close, on_screen_marker
from tests.views.test_console_flow import child_with_parent_phone, png
from tests.views.ui import click, press, type_text, until

if TYPE_CHECKING:
    from collections.abc import Iterator

    from PySide6.QtWidgets import QWidget

    from tests.hub.conftest import HubUnderTest


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


# ---------------------------------------------------------------- the supervisor's busy day

BUSY_START = datetime(2026, 11, 22, 5, 30, tzinfo=UTC)  # 08:30 in Moscow, the registry's day
BUSY_END = datetime(2026, 11, 22, 8, 40, tzinfo=UTC)  # 11:40
STEP = timedelta(seconds=10)
RING = HubConfig().queue.ring_timeout
#: where a medconsultant passes a contact on, and how often (the rest they finish themselves)
ROUTES = (("duty:therapist", 0.16), ("duty:pediatrician", 0.10), ("cardiologist1", 0.05),
          ("neurologist1", 0.03))  # fmt: skip
DOCTORS = ("therapist1", "pediatrician1", "cardiologist1", "neurologist1")


def single_person_phones(people) -> list[str]:
    """Phones that reach exactly one adult with a valid policy: the contact is theirs at once."""
    out = []
    for phone in dict.fromkeys(p.phone for p in people if p.phone):
        owners = [p for p in people if p.phone == phone]
        policies = {p.policy.number for p in owners}
        reached = owners + [p for p in people if p.representative_policy in policies]
        one = reached[0]
        valid = one.policy.valid_from <= TODAY <= one.policy.valid_to
        if len(reached) == 1 and valid and age_on(one.birth_date, TODAY) >= 18:
            out.append(phone)
    return out


@dataclass
class Visit:
    """One contact of the simulated day, as the simulation follows it."""

    cid: str
    phone: str
    pat: WsClient
    route: str | None  # where the medconsultant passes it on (None: they finish it)
    stage: str = "waiting"  # waiting, talking, with_doctor, returned, back
    waiting_since: datetime | None = None
    patience: float = math.inf  # seconds it waits before hanging up (while waiting)
    talk_until: datetime | None = None


class BusyDay:
    """Patients arriving, medconsultants and doctors answering, transferring, ending, and
    patients giving up, on the hub's fake clock, all through the hub's own protocol.

    Sequential and seeded: each step moves the clock on, lets the hub's deadlines run
    (wrap-ups end by themselves after 30 s), and then acts for everyone in turn.
    """

    def __init__(self, h: HubUnderTest, clock: FakeClock, staff: dict[str, StaffClient]) -> None:
        self.h = h
        self.clock = clock
        self.staff = staff
        self.rng = random.Random(20261122)
        self.phones = single_person_phones(h.people)
        self.patients: dict[str, WsClient] = {}
        self.visits: dict[str, Visit] = {}
        self.consented: set[str] = set()  # phones whose consents are confirmed
        self.breaks: dict[str, str] = {}  # login -> a break they take once they are free
        self.doctor_ids = {login: staff[login].me.id for login in DOCTORS}  # type: ignore[union-attr]

    def arrivals_per_hour(self, at: datetime) -> float:
        hour = at.astimezone(self.h.settings.tz)
        h = hour.hour + hour.minute / 60
        return 14 + 34 * math.exp(-(((h - 11.4) / 0.8) ** 2))

    async def run(self, until: datetime) -> None:
        while self.clock.now() < until:
            self.clock.advance(STEP)
            await self.h.hub.tick()  # ring timeouts, wrap-ups that end by themselves
            now = self.clock.now()
            await self.give_up(now)
            rate = self.arrivals_per_hour(now) * STEP.total_seconds() / 3600
            for _ in range(sum(self.rng.random() < rate / 2 for _ in range(2))):
                await self.arrive(now)
            for login, client in self.staff.items():
                await self.act(login, client, now)
            await asyncio.sleep(0.01)  # the hub sends its board, the console paints

    async def patient(self, phone: str) -> WsClient:
        pat = self.patients.get(phone)
        if pat is None:
            pat = WsClient(self.h.base, self.h.session, "/ws/patient")
            welcome = await pat.connect(
                await patient_login(self.h.session, self.h.base, phone, self.h.outbox)
            )
            assert welcome["type"] == "welcome", welcome
            self.patients[phone] = pat
        pat.pending.clear()
        return pat

    async def arrive(self, now: datetime) -> None:
        patients = self.h.hub.patients  # a phone is free once its last contact closed
        free = [p for p in self.phones if p not in patients or not patients[p].contact_id]
        if not free:
            return
        phone = self.rng.choice(free)
        pat = await self.patient(phone)
        channel = self.rng.choices(("chat", "audio", "video"), (4, 3, 3))[0]
        status = await pat.call({"type": "start", "channel": channel})
        assert status["type"] == "queue_status", status
        draw, route = self.rng.random(), None
        for target, share in ROUTES:
            if draw < share:
                route = target
                break
            draw -= share
        visit = Visit(status["contact_id"], phone, pat, route)
        self.visits[visit.cid] = visit
        self.wait(visit, now)

    def wait(self, visit: Visit, now: datetime) -> None:
        visit.stage, visit.waiting_since = "waiting", now
        impatient = self.rng.random() < 0.1
        visit.patience = (
            self.rng.uniform(30, 90) if impatient else min(600, self.rng.expovariate(1 / 300))
        )

    async def give_up(self, now: datetime) -> None:
        for visit in list(self.visits.values()):
            if visit.stage != "waiting" or visit.waiting_since is None:
                continue
            if (now - visit.waiting_since).total_seconds() > visit.patience:
                reply = await visit.pat.call({"type": "hang_up"})
                assert reply["type"] == "ack", f"{visit}: {reply}"
                del self.visits[visit.cid]

    async def act(self, login: str, client: StaffClient, now: datetime) -> None:
        offer = client.offer
        if login in self.breaks and offer is None and not client.contacts:
            await client.set_state("break", self.breaks.pop(login))
            return
        if offer is not None and offer.contact.id in self.visits:
            # answered after it rang 5 s or more (an offer rings 20 s)
            if offer.expires_at - now <= RING - timedelta(seconds=5):
                await self.accept(client, self.visits[offer.contact.id], now)
            return
        held = next(
            (v for v in self.visits.values() if v.talk_until and v.cid in client.contacts), None
        )
        if held is not None and held.talk_until is not None and now >= held.talk_until:
            await self.finish(login, client, held, now)

    async def accept(self, client: StaffClient, visit: Visit, now: datetime) -> None:
        try:
            await client.accept(visit.cid)
        except HubCommandError:  # gone meanwhile (hung up, rang out)
            return
        r = self.rng.uniform
        if client.me is not None and client.me.role == "doctor":
            visit.stage, visit.talk_until = "with_doctor", now + timedelta(seconds=r(300, 660))
        elif visit.stage == "returned":
            visit.stage, visit.talk_until = "back", now + timedelta(seconds=r(40, 120))
        else:
            talk = r(120, 300) if visit.route else r(180, 420)
            visit.stage, visit.talk_until = "talking", now + timedelta(seconds=talk)

    async def finish(self, login: str, client: StaffClient, visit: Visit, now: datetime) -> None:
        visit.talk_until = None
        if visit.stage == "talking" and visit.route is not None:
            if visit.phone not in self.consented:
                for kind in ("personal_data", "remote_consultation"):
                    await client.send_consent(visit.cid, kind)
                    ask = await visit.pat.expect("consent_request", kind=kind)
                    reply = await visit.pat.call(
                        {"type": "confirm_consent", "kind": kind,
                         "text_version": ask["text_version"]}
                    )  # fmt: skip
                    assert reply["type"] == "ack", reply
                self.consented.add(visit.phone)
            to = visit.route
            await client.transfer(
                visit.cid, f"doctor:{self.doctor_ids[to]}" if to in DOCTORS else to
            )
            self.wait(visit, now)
            return
        if visit.stage == "with_doctor":  # a doctor signs, then hands back
            await client.save_conclusion(
                visit.cid, complaints="Жалобы", recommendations="Рекомендации"
            )
        await client.end(visit.cid)  # a medconsultant goes to wrap-up
        if visit.stage == "with_doctor":
            visit.stage, visit.waiting_since = "returned", None  # nobody hangs up on a return
        else:
            del self.visits[visit.cid]

    async def close(self) -> None:
        for pat in self.patients.values():
            await pat.close()


@pytest.fixture
def in_moscow() -> Iterator[None]:
    """This machine's clock in the call center's time zone, as a supervisor's would be."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Moscow"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.parametrize("hub_clock", [FakeClock(BUSY_START)], ids=["fake-clock"])
@pytest.mark.parametrize("hub_config", [HubConfig(wallboard_every=0.02, wallboard_idle_every=0.5)])
async def test_the_wallboard_after_a_busy_morning(
    qtbot, hub_server, hub_clock, tmp_path, in_moscow
):
    """Three hours of a morning through the real hub: the tiles, charts and staff board as
    the supervisor sees them at 11:40, the medconsultants behind and a red longest wait."""
    h = hub_server
    console_app.install_translations(console_app.application(), "ru")
    clients: list[StaffClient] = []
    day: BusyDay | None = None
    window: WallboardWindow | None = None
    try:
        for login in ("sup1", "op1", "op2", "op3", *DOCTORS):
            client = StaffClient(h.base, backoff=(0.05, 0.1, 0.2))
            clients.append(client)
            await client.login(login, PASSWORD)
            await client.connect()
        sup, staff = clients[0], {c.me.login: c for c in clients[1:] if c.me is not None}
        controller = WallboardController(sup)
        qsettings = QSettings(str(tmp_path / "busy.ini"), QSettings.Format.IniFormat)
        window = w = WallboardWindow(
            controller,
            settings=qsettings,
            now=hub_clock.now,  # the hub's clock is this machine's here
            thresholds=Thresholds.from_settings(h.settings),
        )
        w.resize(1600, 1000)
        w.show()
        controller.watch(True)
        await until(lambda: w.board is not None, 30, "the first board")

        for login in ("op1", "op2", "therapist1", "pediatrician1", "cardiologist1"):
            await staff[login].set_state("available")
        day = BusyDay(h, hub_clock, staff)
        await day.run(BUSY_START + timedelta(minutes=25))  # op3 starts at 08:55
        await staff["op3"].set_state("available")
        await staff["neurologist1"].set_state("available")
        await day.run(BUSY_END - timedelta(minutes=20))
        day.breaks["neurologist1"] = "Обед"
        await day.run(BUSY_END)

        final = h.hub._wallboard_msg()
        await until(lambda: w.board is not None and w.board.at == final.at, 30, "the last board")
        await until(lambda: w.clock.text() == "11:40:00", 30, "the clock's tick")
        w.charts.refresh()
        SHOTS.mkdir(parents=True, exist_ok=True)
        image = shoot(w, "6-wallboard-busy")

        # what the supervisor reads off it is the hub's own numbers, and there are plenty
        qm = w.queue_model
        board = {q.queue: q for q in final.queues}
        ops = board["operators"]
        assert ops.today.offered > 60 and ops.today.abandoned > 0 and ops.today.answered > 40
        assert all(board[g].today.offered > 0 for g in board), "every queue had contacts"
        for q in final.queues:
            row = qm.row_of(q.queue)
            assert qm.index(row, qm.OFFERED).data() == str(q.today.offered)
            assert qm.index(row, qm.WAITING).data() == str(q.waiting)
        assert w.charts.points() > 100  # the morning, not a handful of boards
        states = [r.state for r in w.staff.model.rows]
        assert states.count("busy") >= 2 and "break" in states
        assert (image.width(), image.height()) == (1600, 1000)
        assert qm.headerData(qm.WAITING, Qt.Orientation.Horizontal) == "Ожидают"  # in Russian
        assert w.banner.isVisible() and "Максимальное ожидание" in w.banner_text.text()
    finally:
        console_app.install_translations(console_app.application(), "en")
        if window is not None:
            window.close()
            await window.controller.close()
        if day is not None:
            await day.close()
        for client in clients:
            await client.close()

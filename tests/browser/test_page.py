"""The patient page in a real headless Chromium, against a fake hub (no hub, no database).

Each test drives the page through its ``data-testid`` elements and checks both
what the page shows and the frames it sends (the fake hub validates every frame
against ``console.protocol``). Screenshots of the main states go to
``/tmp/page-shots`` (``MEDCONSOLE_SHOTS_DIR``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import struct
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.cdp import Browser, CDPError, JSError
from tests.browser.conftest import SHOTS, needs_browser
from tests.browser.fakehub import CODE, CONTACT, PHONE, TOKEN

if TYPE_CHECKING:
    from tests.browser.fakehub import FakeHub

pytestmark = needs_browser

CONSENT_TEXT = "\n\n".join(
    f"{i}. Я, действуя свободно, своей волей и в своём интересе, даю согласие на обработку "
    "моих персональных данных, включая сведения о состоянии здоровья, в целях оказания "
    "медицинских услуг с применением телемедицинских технологий."
    for i in range(1, 9)
)


# ---------------------------------------------------------------- helpers


def tid(testid: str) -> str:
    return f"[data-testid={testid}]"


def visible(testid: str) -> str:
    return (
        f"(() => {{ const e = document.querySelector('{tid(testid)}');"
        " return !!e && e.getClientRects().length > 0; })()"
    )


def hidden(testid: str) -> str:
    return f"!{visible(testid)}"


def text_of(testid: str) -> str:
    return f"(document.querySelector('{tid(testid)}')?.textContent ?? '')"


def text_has(testid: str, fragment: str) -> str:
    return f"{text_of(testid)}.includes({json.dumps(fragment, ensure_ascii=False)})"


async def state(browser: Browser) -> dict[str, Any]:
    return await browser.evaluate("window.medconsole.state()")


async def shot(browser: Browser, name: str) -> None:
    await browser.screenshot(SHOTS / f"{name}.png", full_page=True)


async def login(browser: Browser, hub: FakeHub) -> None:
    await browser.navigate(hub.url)
    await browser.wait_for(visible("phone"))
    await browser.type(tid("phone"), PHONE)
    await browser.click(tid("send-code"))
    await browser.wait_for(visible("code"))
    await browser.type(tid("code"), CODE)
    await browser.click(tid("login"))
    await hub.connected()
    await browser.wait_for("window.medconsole.state().connected")


async def start(
    browser: Browser, hub: FakeHub, channel: str, *, position: int = 1, waiting_s: float = 0
) -> dict[str, Any]:
    """Press a channel button; answer ``start`` as the hub does (a queue_status with its ref)."""
    await browser.click(tid(f"start-{channel}"))
    frame = await hub.expect("start")
    assert frame["channel"] == channel
    await hub.send(
        {
            "type": "queue_status",
            "ref": frame["ref"],
            "contact_id": CONTACT,
            "position": position,
            "waiting_s": waiting_s,
            "state": "waiting",
        }
    )
    await browser.wait_for(f"window.medconsole.state().contactId === '{CONTACT}'")
    return frame


def live_in_group(pgid: int) -> list[int]:
    """Processes of a group that are still running (zombies left to PID 1 do not count)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append(int(stat.parent.name))
    return alive


def small_png(path: Path, width: int = 160, height: int = 120) -> Path:
    """A small RGB gradient PNG, like a photo of a test result."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(
        b"\x00" + b"".join(bytes((200, 60 + y, 40 + x)) for x in range(width))
        for y in range(height)
    )
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    path.write_bytes(png)
    return path


# ---------------------------------------------------------------- the driver itself


async def test_driver_basics_and_clean_close(hub: FakeHub) -> None:
    async with Browser() as b:
        root, pid = b._root, b._proc.pid  # type: ignore[union-attr]
        assert root is not None and root.is_dir()
        await b.navigate(hub.url)
        assert await b.evaluate("1 + 1") == 2
        assert await b.evaluate("Promise.resolve({a: [1, 'два']})") == {"a": [1, "два"]}
        assert await b.evaluate("undefined") is None
        with pytest.raises(JSError, match="boom"):
            await b.evaluate("(() => { throw new Error('boom') })()")
        with pytest.raises(TimeoutError, match="false"):
            await b.wait_for("false", timeout=0.2)
        assert await b.wait_for("document.title") == "Консультация врача онлайн"
        with pytest.raises(CDPError, match="not visible"):
            await b.click(tid("hang-up"), timeout=0)  # hidden before a contact
        with pytest.raises(CDPError, match="no element"):
            await b.click("#nothing-here", timeout=0.2)
        assert await b.evaluate("typeof navigator.mediaDevices.getUserMedia") == "function"
    assert not root.exists(), "the profile folder must be removed"
    assert live_in_group(pid) == [], "the whole process group is gone"
    await b.close()  # idempotent


# ---------------------------------------------------------------- login


async def test_login_errors_success_and_resume(browser: Browser, hub: FakeHub) -> None:
    await browser.navigate(hub.url)
    await browser.wait_for(visible("phone"))
    assert await browser.evaluate(hidden("code"))
    await shot(browser, "01-login")

    # Too short: checked in the page, nothing is sent.
    await browser.type(tid("phone"), "123")
    await browser.click(tid("send-code"))
    await browser.wait_for(text_has("login-error", "полностью"))
    assert hub.sms_requests == []

    # The server refuses: a friendly line and the server's own message.
    await browser.type(tid("phone"), "+7 916 123 45 6")
    await browser.click(tid("send-code"))
    await browser.wait_for(text_has("login-error", "Номер не распознан"))
    assert await browser.evaluate(text_has("login-error", "Проверьте номер телефона"))

    # Accepted: the code step, with a resend countdown.
    await browser.type(tid("phone"), PHONE)
    await browser.click(tid("send-code"))
    await browser.wait_for(visible("code"))
    assert hub.sms_requests[-1] == {"phone": PHONE}
    assert await browser.evaluate("document.getElementById('resend').disabled")
    assert await browser.evaluate(
        "document.getElementById('resend-timer').textContent.startsWith('через ')"
    )
    assert await browser.evaluate(hidden("login-error"))

    # Asking again too soon: still on the code step, told how long to wait.
    await browser.click("#change-phone")
    await browser.wait_for(visible("phone"))
    hub.sms_too_soon = True
    await browser.click(tid("send-code"))
    await browser.wait_for(text_has("login-error", "Код уже отправлен"))
    assert await browser.evaluate(text_has("login-error", "0:42"))
    assert await browser.evaluate(visible("code"))

    # A wrong code: the server's message says how many tries are left.
    await browser.type(tid("code"), "0000")
    await browser.click(tid("login"))
    await browser.wait_for(text_has("login-error", "осталось попыток: 2"))
    assert await browser.evaluate(text_has("login-error", "Неверный код из SMS"))
    await shot(browser, "02-login-wrong-code")

    await browser.type(tid("code"), CODE)
    await browser.click(tid("login"))
    await hub.connected()
    assert hub.logins[-1] == {"phone": PHONE, "code": CODE}
    assert hub.frames[0] == {"v": 1, "type": "hello", "token": TOKEN}
    await browser.wait_for(visible("start-audio"))
    assert await browser.evaluate(text_has("persons", "Для кого консультация?"))
    radios = await browser.evaluate(
        "[...document.querySelectorAll('input[name=person]')].map(r => [r.value, r.checked])"
    )
    assert radios == [["1", True], ["2", False]]
    assert await browser.evaluate(text_has("persons", "Иванов Сергей Андреевич, 7 лет"))
    st = await state(browser)
    assert st["loggedIn"] and st["connected"] and st["persons"] == 2 and st["contactId"] is None
    stored = await browser.evaluate(
        "JSON.parse(sessionStorage.getItem('medconsole.patient.token'))"
    )
    assert stored["token"] == TOKEN
    await shot(browser, "03-start")

    # A reload resumes with the stored token: no new login.
    await browser.reload()
    await browser.wait_for("window.medconsole.state().connected")
    assert hub.hellos == 2 and len(hub.logins) == 2
    assert await browser.evaluate(hidden("phone"))
    assert await browser.evaluate(visible("start-video"))


# ---------------------------------------------------------------- queue and consent


async def test_queue_status_ticks_and_consents(browser: Browser, hub: FakeHub) -> None:
    await login(browser, hub)
    await browser.click(tid("person-1"))  # the child
    await browser.click(tid("start-chat"))
    frame = await hub.expect("start")
    assert frame["channel"] == "chat" and frame["person_id"] == 2 and frame["ref"]

    await hub.send(
        {
            "type": "queue_status",
            "ref": frame["ref"],
            "contact_id": CONTACT,
            "position": 2,
            "waiting_s": 35,
            "state": "waiting",
        }
    )
    await browser.wait_for(f"{text_of('queue-status')} === 'Вы в очереди: 2-й. Ожидание 0:35'")
    # The wait ticks locally between updates.
    await browser.wait_for(text_has("queue-status", "Ожидание 0:36"), timeout=3)
    assert await browser.evaluate(text_of("hang-up")) == "Покинуть очередь"
    assert await browser.evaluate(visible("chat-input"))
    await shot(browser, "04-queue")

    await hub.send(
        {
            "type": "consent_request",
            "kind": "personal_data",
            "text_version": "pd-2026.1",
            "text": CONSENT_TEXT,
        }
    )
    await browser.wait_for(visible("consent-confirm"))
    assert await browser.evaluate("document.getElementById('consent-title').textContent") == (
        "Согласие на обработку персональных данных"
    )
    scrolls = await browser.evaluate(
        "(() => { const t = document.getElementById('consent-text');"
        " return t.scrollHeight > t.clientHeight; })()"
    )
    assert scrolls, "a long consent text scrolls inside its box"
    await shot(browser, "05-consent")
    await browser.click(tid("consent-confirm"))
    confirm = await hub.expect("confirm_consent")
    assert confirm == {
        "v": 1,
        "type": "confirm_consent",
        "kind": "personal_data",
        "text_version": "pd-2026.1",
    }

    await hub.send(
        {
            "type": "consent_request",
            "kind": "remote_consultation",
            "text_version": "rc-3",
            "text": "Информированное добровольное согласие на дистанционную консультацию.",
        }
    )
    await browser.wait_for(text_has("consent", "дистанционную консультацию"))
    await browser.click(tid("consent-confirm"))
    confirm = await hub.expect("confirm_consent")
    assert (confirm["kind"], confirm["text_version"]) == ("remote_consultation", "rc-3")
    await browser.wait_for(hidden("consent-confirm"))
    st = await state(browser)
    assert st["consentPending"] == [] and st["consentsConfirmed"] == [
        "personal_data",
        "remote_consultation",
    ]
    # The confirmed texts stay available to the patient.
    assert await browser.evaluate("document.querySelectorAll('#docs-list details').length") == 2

    await hub.send(
        {
            "type": "queue_status",
            "contact_id": CONTACT,
            "position": 0,
            "waiting_s": 0,
            "state": "connected",
        }
    )
    await browser.wait_for(f"{text_of('queue-status')} === 'Вы на связи с медконсультантом'")


# ---------------------------------------------------------------- chat


async def test_chat_send_receive_and_upload(browser: Browser, hub: FakeHub, tmp_path: Path) -> None:
    await login(browser, hub)
    await start(browser, hub, "chat")
    await hub.send(
        {
            "type": "leg",
            "contact_id": CONTACT,
            "leg": "L1",
            "media": "none",
            "staff_role": "operator",
            "staff_name": "Петрова Анна",
        }
    )
    await browser.wait_for(f"{text_of('staff-line')} === 'Медконсультант Петрова Анна · чат'")
    st = await state(browser)
    assert st["leg"] == "L1" and st["pcState"] is None, "a chat leg opens no peer connection"
    assert hub.nothing_sent(), "no offer for a chat leg"

    await hub.send({"type": "chat", "message": hub.chat_message("Здравствуйте! Чем могу помочь?")})
    await browser.wait_for(text_has("chat-log", "Здравствуйте! Чем могу помочь?"))
    assert await browser.evaluate(text_has("chat-log", "Петрова Анна"))
    assert await browser.evaluate(
        "/\\d\\d:\\d\\d/.test(document.querySelector('[data-testid=chat-log] time').textContent)"
    )

    # Sending with the button; the hub echoes the message (without ref) and acks.
    await browser.type(tid("chat-input"), "Болит горло третий день")
    await browser.click(tid("chat-send"))
    sent = await hub.expect("chat")
    assert sent["text"] == "Болит горло третий день" and "attachment_id" not in sent
    assert await browser.evaluate("document.querySelector('[data-testid=chat-input]').value") == ""
    await hub.send({"type": "chat", "message": hub.chat_message(sent["text"], author="patient")})
    await hub.send({"type": "ack", "ref": sent["ref"]})
    await browser.wait_for("window.medconsole.state().chatCount === 2")
    assert (
        await browser.evaluate("document.querySelectorAll('[data-testid=chat-log] li').length") == 2
    )
    assert (await state(browser))["chatPending"] == 0

    # Enter sends too.
    await browser.type(tid("chat-input"), "Температура 38")
    await browser.press("Enter")
    sent = await hub.expect("chat")
    assert sent["text"] == "Температура 38"

    # A photo: uploaded with the token, then sent as an attachment; shown as a thumbnail.
    await browser.set_file(tid("chat-file"), small_png(tmp_path / "горло.png"))
    sent = await hub.expect("chat")
    upload = hub.uploads[-1]
    assert upload["auth"] == f"Bearer {TOKEN}"
    assert sent["attachment_id"] == upload["id"] and sent["text"] == ""
    attachment = {k: upload[k] for k in ("id", "name", "mime", "size", "url")}
    await hub.send(
        {"type": "chat", "message": hub.chat_message(author="patient", attachment=attachment)}
    )
    await browser.wait_for(
        "(() => { const i = document.querySelector('[data-testid=chat-log] a.thumb img');"
        " return !!i && i.complete && i.naturalWidth === 160; })()"
    )
    href = await browser.evaluate("document.querySelector('[data-testid=chat-log] a.thumb').href")
    assert upload["url"] in href and f"token={TOKEN}" in href

    # A PDF from the doctor is a link with its size.
    await hub.send(
        {
            "type": "chat",
            "message": hub.chat_message(
                "Памятка",
                attachment={
                    "id": "doc1",
                    "name": "памятка.pdf",
                    "mime": "application/pdf",
                    "size": 153600,
                    "url": "/api/attachments/doc1",
                },
            ),
        }
    )
    await browser.wait_for(text_has("chat-log", "памятка.pdf (150 КБ)"))

    # A file type the hub refuses: a clear message, nothing sent.
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    await browser.set_file(tid("chat-file"), bad)
    await browser.wait_for(text_has("status", "Такой файл отправить нельзя"))
    assert await browser.evaluate(text_has("status", "notes.txt"))
    assert hub.nothing_sent()
    await shot(browser, "06-chat")


async def test_hold_notice_while_held_and_after_a_reload(browser: Browser, hub: FakeHub) -> None:
    await login(browser, hub)
    await start(browser, hub, "chat")
    await hub.send(
        {
            "type": "leg",
            "contact_id": CONTACT,
            "leg": "L1",
            "media": "none",
            "staff_role": "operator",
            "staff_name": "Петрова Анна",
        }
    )
    await browser.wait_for(visible("staff-line"))
    assert await browser.evaluate(hidden("hold-notice"))

    await hub.hold(True)
    await browser.wait_for(visible("hold-notice"))
    assert await browser.evaluate(
        text_has("hold-notice", "Консультант поставил вызов на удержание.")
    )
    assert await browser.evaluate(text_has("hold-notice", "Пожалуйста, оставайтесь на связи"))
    assert await browser.evaluate(visible("chat-input")), "the chat stays open while held"
    assert await browser.evaluate(visible("hang-up"))
    await shot(browser, "14-on-hold")

    # A reload forgets everything; the hub re-sends the hold after the welcome.
    hub.open_contact = CONTACT
    await browser.reload()
    await browser.wait_for("window.medconsole.state().connected")
    await browser.wait_for(visible("hold-notice"))
    assert (await state(browser))["contactId"] == CONTACT

    await hub.hold(False)
    await browser.wait_for(hidden("hold-notice"))
    assert not (await state(browser))["onHold"]

    # Held, then transferred: the contact waits for the doctor, nobody holds it any more.
    await hub.hold(True)
    await browser.wait_for(visible("hold-notice"))
    await hub.send(
        {
            "type": "queue_status",
            "contact_id": CONTACT,
            "position": 1,
            "waiting_s": 0,
            "state": "transferred",
        }
    )
    await browser.wait_for(text_has("queue-status", "Вас переводят к врачу"))
    assert await browser.evaluate(hidden("hold-notice"))

    # A hold for another contact (a stale frame) changes nothing.
    await hub.hold(True, contact_id="c-other")
    await hub.send({"type": "chat", "message": hub.chat_message("Ожидайте врача")})
    await browser.wait_for(text_has("chat-log", "Ожидайте врача"))  # frames arrive in order
    assert not (await state(browser))["onHold"]
    assert await browser.evaluate(hidden("hold-notice"))


# ---------------------------------------------------------------- calls


@contextlib.contextmanager
def loopback_if_alone(monkeypatch: pytest.MonkeyPatch) -> Any:
    """In a namespace with only ``lo``, let aioice offer 127.0.0.1 (TESTING.md)."""
    import aioice.ice

    if not aioice.ice.get_host_addresses(use_ipv4=True, use_ipv6=False):
        monkeypatch.setattr(aioice.ice, "get_host_addresses", lambda **_: ["127.0.0.1"])
    yield


@pytest.mark.netns
async def test_call_request_then_video_leg_and_transfer(
    browser: Browser, hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    aiortc = pytest.importorskip("aiortc")
    from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack

    await login(browser, hub)
    await start(browser, hub, "chat")
    await hub.send(
        {
            "type": "leg",
            "contact_id": CONTACT,
            "leg": "L1",
            "media": "none",
            "staff_role": "doctor",
            "staff_name": "Сидоров Павел Ильич",
        }
    )
    await browser.wait_for(text_has("staff-line", "Врач Сидоров Павел Ильич"))

    # The doctor raises the chat to video: decline once, then accept.
    await hub.send({"type": "call_request", "contact_id": CONTACT, "media": "video"})
    await browser.wait_for(visible("accept-call"))
    assert await browser.evaluate(
        text_has("call-request", "Врач Сидоров Павел Ильич предлагает видеозвонок")
    )
    await shot(browser, "07-call-request")
    await browser.click(tid("decline-call"))
    assert (await hub.expect("call_answer"))["accept"] is False
    await browser.wait_for(hidden("accept-call"))

    await hub.send({"type": "call_request", "contact_id": CONTACT, "media": "video"})
    await browser.click(tid("accept-call"))
    assert (await hub.expect("call_answer"))["accept"] is True

    # The hub opens a video leg; the page offers with all its candidates gathered.
    await hub.send(
        {
            "type": "leg",
            "contact_id": CONTACT,
            "leg": "L2",
            "media": "video",
            "staff_role": "doctor",
            "staff_name": "Сидоров Павел Ильич",
        }
    )
    offer = (await hub.expect("signal", timeout=15))["signal"]
    assert offer["leg"] == "L2" and offer["kind"] == "offer"
    sdp = offer["sdp"]
    assert "m=audio" in sdp and "m=video" in sdp and "a=candidate:" in sdp
    assert "a=group:BUNDLE 0 1" in sdp

    received: list[int] = [0]
    tasks: list[asyncio.Task[None]] = []

    async def consume(track: Any) -> None:
        with contextlib.suppress(Exception):
            while True:
                await track.recv()
                received[0] += 1

    with loopback_if_alone(monkeypatch):
        staff = aiortc.RTCPeerConnection(aiortc.RTCConfiguration(iceServers=[]))
        try:

            @staff.on("track")
            def on_track(track: Any) -> None:
                if track.kind == "video":
                    tasks.append(asyncio.ensure_future(consume(track)))

            await staff.setRemoteDescription(aiortc.RTCSessionDescription(sdp=sdp, type="offer"))
            staff.addTrack(AudioStreamTrack())
            staff.addTrack(VideoStreamTrack())
            await staff.setLocalDescription(await staff.createAnswer())
            answer = staff.localDescription.sdp
            await hub.send(
                {
                    "type": "signal",
                    "contact_id": CONTACT,
                    "signal": {"leg": "L2", "kind": "answer", "sdp": answer},
                }
            )
            await browser.wait_for("window.medconsole.state().pcState === 'connected'", timeout=15)
            await browser.wait_for("window.medconsole.state().remoteFrames > 5", timeout=10)
            for _ in range(100):
                if received[0] >= 5:
                    break
                await asyncio.sleep(0.05)
            assert received[0] >= 5, "the staff side gets the patient's camera"
            assert await browser.evaluate(visible("remote-video"))
            assert await browser.evaluate(visible("local-video"))
            assert (
                await browser.evaluate(
                    "document.querySelector('[data-testid=remote-video]').videoWidth"
                )
                == 640
            )
            assert (
                await browser.evaluate(
                    "document.querySelector('[data-testid=remote-audio]').srcObject"
                    ".getAudioTracks().length"
                )
                == 1
            )
            stats = await browser.evaluate("window.medconsole.stats()")
            assert stats["pair"] and stats["local"]["address"]
            await browser.wait_for(
                f"{text_of('staff-line')} === 'Врач Сидоров Павел Ильич · видеозвонок'"
            )
            await shot(browser, "08-video-call")
            await browser.set_viewport(390, 844, mobile=True)
            await shot(browser, "08b-video-call-phone")
            await browser.set_viewport(1280, 800)

            # A transfer opens a new leg: the old connection closes, a new offer follows.
            await hub.send(
                {
                    "type": "leg",
                    "contact_id": CONTACT,
                    "leg": "L3",
                    "media": "audio",
                    "staff_role": "operator",
                    "staff_name": "Петрова Анна",
                }
            )
            offer = (await hub.expect("signal", timeout=15))["signal"]
            assert offer["leg"] == "L3" and "m=audio" in offer["sdp"]
            assert "m=video" not in offer["sdp"]
            st = await state(browser)
            assert st["leg"] == "L3" and st["legMedia"] == "audio"
            assert st["localTracks"] == ["audio"], "the camera is off for an audio leg"
            assert await browser.evaluate(hidden("remote-video"))
            await browser.wait_for(text_has("media", "Аудиозвонок: Медконсультант Петрова Анна"))
            await shot(browser, "08c-audio-leg-after-transfer")
            for _ in range(100):
                if staff.connectionState in ("closed", "failed", "disconnected"):
                    break
                await asyncio.sleep(0.05)
            assert staff.connectionState in ("closed", "failed", "disconnected")
        finally:
            for t in tasks:
                t.cancel()
            await staff.close()

    await browser.click(tid("hang-up"))
    await hub.expect("hang_up")
    st = await state(browser)
    assert st["pcState"] is None and st["localTracks"] == []


async def test_audio_start_hang_up_ended_and_conclusion(browser: Browser, hub: FakeHub) -> None:
    await login(browser, hub)
    await start(browser, hub, "audio", position=3, waiting_s=5)
    await browser.wait_for("window.medconsole.state().localTracks.join() === 'audio'")
    await browser.wait_for("window.medconsole.state().micLevel > 0.001", timeout=5)
    assert await browser.evaluate(hidden("local-video"))
    assert await browser.evaluate(text_has("queue-status", "Вы в очереди: 3-й"))

    await browser.click(tid("hang-up"))
    assert (await hub.expect("hang_up")) == {"v": 1, "type": "hang_up"}
    await browser.wait_for(visible("ended"))
    assert await browser.evaluate(text_has("ended", "Вы завершили обращение"))
    assert (await state(browser))["localTracks"] == []
    assert await browser.evaluate("document.querySelector('[data-testid=chat-input]').disabled")

    await hub.send({"type": "ended", "contact_id": CONTACT, "outcome": "completed"})
    await browser.wait_for(text_has("ended", "Консультация завершена."))
    url = "/api/attachments/conclusion-1"
    await hub.send({"type": "conclusion_ready", "contact_id": CONTACT, "url": url})
    await browser.wait_for(visible("conclusion-link"))
    link = await browser.evaluate(
        "(() => { const a = document.querySelector('[data-testid=conclusion-link]');"
        " return {text: a.textContent, url: a.dataset.url, href: a.href}; })()"
    )
    assert link["text"] == "Заключение врача (PDF)" and link["url"] == url
    assert url in link["href"] and f"token={TOKEN}" in link["href"]
    assert (await state(browser))["conclusionUrl"] == url
    await shot(browser, "09-ended")

    await browser.click("#new-contact")
    await browser.wait_for(visible("start-audio"))
    assert await browser.evaluate(visible("conclusion-link")), "the conclusion stays available"
    assert (await state(browser))["contactId"] is None


async def test_appointments_their_conclusion_and_the_reminder(
    browser: Browser, hub: FakeHub
) -> None:
    """The phone's appointments, in the call center's time (as the SMS gives it), each
    with its status; a past one links its conclusion; a reminder shows as a banner and
    asks for the list again."""
    await login(browser, hub)
    past = {
        "id": 1,
        "person_id": 7,
        "doctor_name": "Морозов Игорь Алексеевич",
        "specialty": "cardiologist",
        "start": "2026-11-20T07:00:00Z",
        "end": "2026-11-20T07:15:00Z",
        "status": "given",
        "contact_id": "c-past",
    }
    future = past | {
        "id": 2,
        "start": "2026-11-30T10:15:00Z",
        "end": "2026-11-30T10:30:00Z",
        "status": "booked",
        "contact_id": None,
    }
    await hub.send({"type": "conclusion_ready", "contact_id": "c-past", "url": "/c/1.pdf"})
    await hub.send(
        {"type": "appointments", "appointments": [future, past], "timezone": "Europe/Moscow"}
    )
    await browser.wait_for(
        "document.querySelectorAll('[data-testid=appointments-list] li').length === 2"
    )
    assert await browser.evaluate("!document.getElementById('appointments').hidden")
    rows = await browser.evaluate(
        "[...document.querySelectorAll('[data-testid=appointments-list] li')]"
        ".map(li => ({id: li.dataset.appointment, text: li.textContent,"
        " link: li.querySelector('a')?.href ?? null}))"
    )
    assert [r["id"] for r in rows] == ["1", "2"]  # by start
    assert "10:00" in rows[0]["text"] and "кардиолог, Морозов Игорь Алексеевич" in rows[0]["text"]
    assert "консультация проведена" in rows[0]["text"] and "Заключение (PDF)" in rows[0]["text"]
    assert rows[0]["link"] is not None and "/c/1.pdf" in rows[0]["link"]
    assert "13:15" in rows[1]["text"] and "запись подтверждена" in rows[1]["text"]
    assert rows[1]["link"] is None
    assert await browser.evaluate(hidden("reminder"))

    text = "Напоминание: через 10 минут консультация кардиолога."
    await hub.send({"type": "reminder", "appointment": future, "text": text})
    await browser.wait_for(visible("reminder"))
    assert await browser.evaluate(text_has("reminder", text))
    assert (await hub.expect("list_appointments"))["type"] == "list_appointments"
    await shot(browser, "11-appointments-reminder")


# ---------------------------------------------------------------- connection


async def test_reconnect_resumes_then_errors(browser: Browser, hub: FakeHub) -> None:
    await login(browser, hub)
    await start(browser, hub, "chat")
    hub.open_contact = CONTACT
    hub.history = [
        hub.chat_message("Вы на связи с медконсультантом."),
        hub.chat_message("Спасибо", author="patient"),
    ]
    await hub.drop()
    await browser.wait_for(visible("conn-banner"), timeout=3)
    assert await browser.evaluate(text_has("conn-banner", "Связь потеряна, переподключение…"))
    assert (await state(browser))["reconnecting"]
    await shot(browser, "10-reconnecting")

    await hub.connected(timeout=5)  # the first retry comes after 1 s
    await browser.wait_for("window.medconsole.state().connected")
    await browser.wait_for(hidden("conn-banner"))
    assert hub.hellos == 2 and hub.frames[-1]["token"] == TOKEN
    await browser.wait_for("window.medconsole.state().chatCount === 2")
    assert await browser.evaluate(text_has("chat-log", "Вы на связи с медконсультантом."))
    assert (await state(browser))["contactId"] == CONTACT

    await hub.send({"type": "error", "code": "conflict", "message": "Консультация уже открыта"})
    await browser.wait_for(text_has("status", "Консультация уже открыта"))
    assert (await state(browser))["contactId"] == CONTACT, "a non-fatal error keeps the contact"

    await hub.send({"type": "error", "code": "unauthorized", "message": "session expired"})
    await browser.wait_for(visible("phone"))
    assert await browser.evaluate(text_has("login-error", "Сессия истекла"))
    assert await browser.evaluate("sessionStorage.getItem('medconsole.patient.token')") is None


async def test_device_check_and_phone_width(browser: Browser, hub: FakeHub) -> None:
    await login(browser, hub)
    await browser.click(tid("check-devices"))
    await browser.wait_for(
        "document.querySelector('[data-testid=local-video]').videoWidth > 0", timeout=10
    )
    await browser.wait_for("window.medconsole.state().micLevel > 0.001", timeout=5)
    await browser.wait_for(
        "parseFloat(document.getElementById('mic-bar').style.width) > 0", timeout=5
    )
    assert await browser.evaluate(text_has("device-result", "Камера и микрофон работают"))
    await shot(browser, "11-device-check")

    await browser.set_viewport(390, 844, mobile=True)
    await browser.wait_for("document.documentElement.clientWidth === 390")
    overflow = await browser.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, "nothing wider than a phone screen"
    await shot(browser, "12-phone-start")

    await browser.click("#stop-check")
    await browser.wait_for("window.medconsole.state().localTracks.length === 0")
    await browser.click(tid("start-video"))
    frame = await hub.expect("start")
    assert frame == {
        "v": 1,
        "type": "start",
        "ref": frame["ref"],
        "channel": "video",
        "person_id": 1,
    }
    await hub.send(
        {
            "type": "queue_status",
            "ref": frame["ref"],
            "contact_id": CONTACT,
            "position": 1,
            "waiting_s": 12,
            "state": "waiting",
        }
    )
    await browser.wait_for("window.medconsole.state().localTracks.length === 2", timeout=10)
    await browser.wait_for(text_has("queue-status", "Вы в очереди: 1-й"))
    overflow = await browser.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    await shot(browser, "13-phone-queue-video")

"""The patient simulator against the real hub, in-process, in fast real time.

Patients arrive many a second; a medconsultant's desk on the staff WebSocket
takes every offer, asks for both consents and a question, waits for the answer
and ends. What the patients did is checked on both sides, and no log line
carries a phone, a name or what anyone wrote. Chat contacts carry no media and
run anywhere; the video ones run in the loopback-only namespace (``netns``).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING, Any

import pytest

from console import cli
from console import demo as demo_cmd
from console.calls import simulator as simmod
from console.calls.ice import LOOPBACK, CallConfig
from console.calls.media import TestPatternTrack, ToneTrack
from console.calls.patient import SmsOutbox, phone_key
from console.calls.session import StaffCallSession
from console.calls.simulator import Mix, Simulator
from console.identity.phones import format_national
from console.protocol import messages as m
from tests.conftest import TODAY
from tests.hub.clients import WsClient, staff_login
from tests.hub.conftest import (  # noqa: F401 - the real hub on loopback
    N_INSURED,
    hub_backend,
    hub_clock,
    hub_config,
    hub_server,
)

if TYPE_CHECKING:
    from pathlib import Path

    from tests.hub.conftest import HubUnderTest

TIMEOUT = 120.0  # two busy cores: generous, and never a timing assertion
WRITTEN = (
    *simmod.ADULT_REASONS,
    *simmod.CHILD_REASONS,
    *simmod.APPOINTMENT_REASONS,
    *simmod.REPLIES,
    *simmod.GREETINGS,
)
QUESTION = "Что вас беспокоит?"


def phones_of(people: list[Any]) -> list[str]:
    return list(dict.fromkeys(p.phone for p in people if p.phone))


async def until(pred: Any, timeout: float = TIMEOUT, what: str = "condition") -> None:
    try:
        async with asyncio.timeout(timeout):
            while not pred():  # noqa: ASYNC110 - polling counters
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


class Desk:
    """A medconsultant on the staff WebSocket who takes every offer in turn.

    Per contact: both consents sent and confirmed, a question asked and answered
    in chat (a chat contact is first raised to a video call if ``raise_calls``),
    media answered with a :class:`StaffCallSession` when the patient offers it,
    then the end and the wrap-up.
    """

    def __init__(self, h: HubUnderTest, *, raise_calls: bool = False) -> None:
        self.h = h
        self.ws = WsClient(h.base, h.session, "/ws/staff")
        self.raise_calls = raise_calls
        self.served: list[str] = []
        self.consents_asked = 0
        self.chats: dict[str, list[dict[str, Any]]] = {}
        self.calls: dict[str, StaffCallSession] = {}
        self.connected: list[str] = []
        self._task: asyncio.Task[None] | None = None

    async def open(self) -> None:
        welcome = await self.ws.connect(await staff_login(self.h.session, self.h.base, "op1"))
        assert welcome["type"] == "welcome", welcome
        assert (await self.ws.call({"type": "set_state", "state": "available"}))["type"] == "ack"
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            offer = await self.ws.expect("offer", timeout=3600)
            cid = offer["contact"]["id"]
            if (await self.ws.call({"type": "accept", "contact_id": cid}))["type"] != "ack":
                continue  # withdrawn: the patient hung up while it rang
            await self._serve(cid, offer["contact"]["channel"])

    async def _take(self, pred: Any, what: str) -> dict[str, Any]:
        return await self.ws._take(pred, 30, what)

    async def _serve(self, cid: str, channel: str) -> None:
        self.served.append(cid)
        view = await self._take(
            lambda x: x["type"] == "contact" and x["contact"]["id"] == cid, "the contact"
        )
        states = {c["kind"]: c["state"] for c in view["contact"]["consents"]}
        asked = [k for k in ("personal_data", "remote_consultation") if states[k] != "confirmed"]
        for kind in asked:  # a person who confirmed before is not asked again
            reply = await self.ws.call({"type": "send_consent", "contact_id": cid, "kind": kind})
            assert reply["type"] == "ack", reply
            self.consents_asked += 1
        if asked:
            await self._take(
                lambda x: (
                    x["type"] == "contact"
                    and x["contact"]["id"] == cid
                    and sum(c["state"] == "confirmed" for c in x["contact"]["consents"]) == 2
                ),
                "both consents confirmed",
            )
        if channel == "video":
            await self._answer(cid)
        elif self.raise_calls:
            await self.ws.call({"type": "raise_call", "contact_id": cid, "media": "video"})
            answered = await self._take(
                lambda x: x["type"] == "call_answered" and x["contact_id"] == cid, "the answer"
            )
            assert answered["accept"] is True
            await self._answer(cid)
        await self.ws.send({"type": "chat", "contact_id": cid, "text": QUESTION})
        await self._take(
            lambda x: (
                x["type"] == "chat"
                and x["message"]["contact_id"] == cid
                and x["message"]["text"] in simmod.REPLIES
            ),
            "the patient's answer",
        )
        self.chats[cid] = [x["message"] for x in self.ws.seen if x["type"] == "chat"]
        await self.ws.call({"type": "end", "contact_id": cid})
        await self.ws.call({"type": "wrapup_done", "contact_id": cid, "outcome": "completed"})
        await self.ws.call({"type": "set_state", "state": "available"})
        if (call := self.calls.pop(cid, None)) is not None:
            await call.close()

    async def _answer(self, cid: str) -> None:
        offer = await self._take(
            lambda x: (
                x["type"] == "signal" and x["contact_id"] == cid and x["signal"]["kind"] == "offer"
            ),
            "the patient's offer",
        )
        signal = m.Signal.model_validate(offer["signal"])

        async def send(s: m.Signal) -> None:
            await self.ws.send(
                {"type": "signal", "contact_id": cid, "signal": s.model_dump(mode="json")}
            )

        if (old := self.calls.pop(cid, None)) is not None:
            await old.close()
        call = StaffCallSession(
            signal.leg,
            send,
            audio=ToneTrack(),
            video=TestPatternTrack(width=160, height=120, fps=10),
            config=CallConfig.loopback(),
        )
        self.calls[cid] = call
        await call.handle(signal)
        await call.wait_connected(timeout=60)
        await call.wait_remote_frames(3, timeout=60)
        local, remote = call.selected_pair() or ((None, 0), (None, 0))
        assert local[0] == LOOPBACK and remote[0] == LOOPBACK
        self.connected.append(cid)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for call in self.calls.values():
            await call.close()
        await self.ws.close()


def assert_no_personal_data(text: str, people: list[Any]) -> None:
    for p in people:
        if p.phone:
            for form in (p.phone, phone_key(p.phone), format_national(p.phone)):
                assert form not in text, "a phone in the log"
        assert p.surname not in text, "a name in the log"
        assert p.policy.number not in text, "a policy number in the log"
    for line in (*WRITTEN, QUESTION):
        assert line not in text, "chat text in the log"


# ---------------------------------------------------------------- the stream, no hub


def _sim(seed: int, rate: float = 30.0, **kw: Any) -> Simulator:
    async def no_codes(_phone: str) -> str:
        raise AssertionError("no hub here")

    phones = ["+79161234567"]
    return Simulator("http://127.0.0.1:9", phones, no_codes, rate_per_min=rate, seed=seed, **kw)


def test_the_same_seed_gives_the_same_patients_and_arrivals() -> None:
    a, b, other = _sim(4), _sim(4), _sim(5)
    assert [a.plan(i) for i in range(300)] == [b.plan(i) for i in range(300)]
    assert [a.plan(i) for i in range(300)] != [other.plan(i) for i in range(300)]
    gaps_a, gaps_b = a.arrival_gaps(), b.arrival_gaps()
    assert [next(gaps_a) for _ in range(100)] == [next(gaps_b) for _ in range(100)]


def test_the_stream_is_poisson_at_the_rate_with_the_mix_asked_for() -> None:
    n = 6000
    mix = Mix()
    sim = _sim(11, rate=12.0, mix=mix)
    gaps = sim.arrival_gaps()
    sample = [next(gaps) for _ in range(n)]
    mean = sum(sample) / n
    assert mean == pytest.approx(60 / 12.0, rel=0.05)  # exponential gaps: 12 a minute
    var = sum((g - mean) ** 2 for g in sample) / n
    assert var**0.5 == pytest.approx(mean, rel=0.1)  # sd = mean, as an exponential's is
    plans = [sim.plan(i) for i in range(n)]
    for channel, share in mix.channels:
        assert sum(p.channel == channel for p in plans) / n == pytest.approx(share, abs=0.03)
    assert sum(p.abandons for p in plans) / n == pytest.approx(mix.abandon_share, abs=0.03)
    assert sum(p.appointment for p in plans) / n == pytest.approx(mix.appointment_share, abs=0.03)
    assert sum(p.sends_image for p in plans) / n == pytest.approx(mix.image_share, abs=0.03)
    assert sum(p.patience_s for p in plans) / n == pytest.approx(mix.patience_s, rel=0.1)


async def test_login_codes_are_read_per_phone_from_what_is_appended(tmp_path: Path) -> None:
    outbox = tmp_path / "sms.jsonl"

    def sms(to: str, code: str) -> str:
        text = f"Код для входа в телемедицину: {code}. Никому его не сообщайте."
        return json.dumps({"to": to, "text": text, "at": "2026-11-22T09:00:00+00:00"}) + "\n"

    outbox.write_text(sms("+79161234567", "111111"), encoding="utf-8")  # before: never taken
    codes = SmsOutbox(outbox)
    with outbox.open("a", encoding="utf-8") as f:
        f.write(sms("+79161234567", "222222") + sms("+79031112233", "333333"))
        f.write(sms("+79161234567", "444444")[:30])  # the hub is still writing this one
    assert await codes.code_for("8 (903) 111-22-33") == "333333"
    assert await codes.code_for("+7 916 123-45-67") == "222222"
    with outbox.open("a", encoding="utf-8") as f:
        f.write(sms("+79161234567", "444444")[30:])
    assert await codes.code_for("+79161234567") == "444444"
    with pytest.raises(simmod.PatientError) as refused:
        await codes.code_for("+79161234567", timeout=0.3)  # each code is handed out once
    assert refused.value.code == "no_code"


def test_the_photo_is_a_png_the_hub_takes() -> None:
    from console.hub.app import sniff

    data = simmod.snapshot_png(__import__("random").Random(1))
    assert sniff(data[:512]) == "image/png" and len(data) < 64 * 1024


# ---------------------------------------------------------------- against the hub


async def test_patients_arrive_confirm_consents_chat_and_some_hang_up(
    hub_server: HubUnderTest,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="console")
    h = hub_server
    n = 10
    mix = Mix(
        channels=(("chat", 1.0),),
        abandon_share=0.4,
        patience_s=1.0,
        think_s=0.05,
        image_share=0.5,
    )
    sim = Simulator(
        h.base, phones_of(h.people), SmsOutbox(h.outbox),
        rate_per_min=300, patients=n, seed=7, mix=mix,
    )  # fmt: skip
    planned = [sim.plan(i) for i in range(n)]
    assert sum(p.abandons for p in planned) >= 2 and sum(p.sends_image for p in planned) >= 2
    desk = Desk(h)
    run = asyncio.create_task(sim.run())
    try:
        # nobody answers at first: the impatient hang up, the rest wait for the desk
        await until(lambda: sim.stats.arrived == n, what="every patient to arrive")
        await until(lambda: sim.stats.abandoned >= 1, what="someone to hang up")
        await desk.open()
        async with asyncio.timeout(TIMEOUT):
            stats = await run
    finally:
        run.cancel()
        await desk.close()

    assert (stats.arrived, stats.signed_in, stats.failed) == (n, n, 0)
    assert set(sim.outcomes) == set(range(n))
    served = [i for i, outcome in sim.outcomes.items() if outcome == "ended"]
    abandoned = [i for i, outcome in sim.outcomes.items() if outcome == "abandoned"]
    assert len(served) + len(abandoned) == n and served and abandoned
    assert all(planned[i].abandons for i in abandoned)  # only the impatient hang up
    assert stats.served == len(served) == len(desk.served)
    assert stats.consents == desk.consents_asked >= 1  # confirmed whenever asked
    assert stats.waiting == 0 and stats.ended == len(served)
    # each told in chat why they called; those served also answered the question
    assert stats.chat_lines >= n + len(served)
    for cid in desk.served:
        patient_said = [c["text"] for c in desk.chats[cid] if c["author"] == "patient"]
        assert any(t in WRITTEN for t in patient_said), patient_said
    photos = [
        c for chats in desk.chats.values() for c in chats if (c.get("attachment") or {}).get("mime")
    ]
    if any(planned[i].sends_image for i in served):
        assert stats.images >= 1
        assert all(c["attachment"]["mime"] == "image/png" for c in photos)

    text = caplog.text
    assert any(cid in text for cid in desk.served), "log lines name the contacts"
    assert_no_personal_data(text, h.people)


async def test_the_simulate_command_uses_the_demo_registry_and_the_outbox(
    hub_server: HubUnderTest,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    h = hub_server
    folder = tmp_path / "data"
    folder.mkdir()
    assert cli.main(["simulate", "--data-dir", str(folder), "--patients", "1"]) == cli.EXIT_USAGE
    assert "no demo registry" in capsys.readouterr().err

    # the registry the hub tests seed, recorded as medconsole demo records its own
    marker = {"insured": N_INSURED, "seed": 3, "today": TODAY.isoformat(), "complete": True}
    (folder / demo_cmd.DEMO_MARKER).write_text(json.dumps(marker), encoding="utf-8")
    assert set(demo_cmd.demo_phones(N_INSURED, 3, TODAY)) == set(phones_of(h.people))
    argv = [
        "simulate", "--hub", h.base, "--data-dir", str(folder), "--sms-outbox", str(h.outbox),
        "--patients", "3", "--rate", "600", "--abandon", "1", "--patience", "0.5", "--seed", "2",
    ]  # fmt: skip
    async with asyncio.timeout(TIMEOUT):
        code = await asyncio.to_thread(cli.main, argv)
    assert code == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "3 arrived, 0 waiting, 0 served, 3 hung up waiting, 0 ended, 0 failed" in out


@pytest.mark.netns
async def test_patients_send_video_and_accept_a_call_raised_from_chat(
    hub_server: HubUnderTest,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="console")
    h = hub_server
    mix = Mix(
        channels=(("video", 0.5), ("chat", 0.5)),
        abandon_share=0.0,
        think_s=0.05,
        image_share=0.0,
    )
    sim = Simulator(
        h.base, phones_of(h.people), SmsOutbox(h.outbox),
        rate_per_min=120, patients=4, seed=3, mix=mix, config=CallConfig.loopback(),
    )  # fmt: skip
    channels = [sim.plan(i).channel for i in range(4)]
    assert "video" in channels and "chat" in channels
    desk = Desk(h, raise_calls=True)
    await desk.open()
    try:
        async with asyncio.timeout(TIMEOUT * 2):
            stats = await sim.run()
    finally:
        await desk.close()
    assert (stats.served, stats.ended, stats.failed) == (4, 4, 0)
    assert stats.calls_accepted == channels.count("chat")
    assert sorted(desk.connected) == sorted(desk.served)  # media both ways on 127.0.0.1
    assert_no_personal_data(caplog.text, h.people)

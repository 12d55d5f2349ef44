"""The hub under the patient simulator: service level, offer latency, hub CPU and memory.

    .venv/bin/python bench/load.py [--minutes 10] [--rate 10] [--staff 20] [--seed 1]

Issue 7. The hub runs as its own process (``python -m console.cli hub`` on a
free 127.0.0.1 port, SQLite, started as ``bench/hub.py`` starts it) on a
registry of ``--insured`` seeded people and ``--staff`` consoles' worth of
staff: one supervisor, duty doctors (about 15%, two therapists to one
pediatrician) and medconsultants (the rest: 16 of 20).

Patients: the simulator of ``medconsole simulate`` and ``medconsole demo``
(:class:`console.calls.simulator.Simulator`, its default :class:`Mix`: video,
audio and chat, adults and children, some hanging up while they wait), in a
process of its own, arriving as a Poisson stream of ``--rate`` a minute
(10 = 600 an hour) for ``--minutes``; the phones are the seeded registry's,
the login codes come from the hub's SMS outbox file. The stream is the
simulator's own for ``--seed``: every arrival that falls within the minutes
comes, then everyone is let finish (at most ``--drain`` s more).

Staff: a :class:`console.client.StaffClient` each, in this process, behaving
like a person at a console. A medconsultant goes available, accepts an offer
after 1-3 s, answers the patient's call with a real aiortc
:class:`~console.calls.session.StaffCallSession`, greets in chat, sends the
consents not yet confirmed, and either transfers the contact (a share
``--transfer`` of those identified with a valid policy, once both consents are
confirmed, unless the patient asked to book) to ``duty:therapist`` or
``duty:pediatrician`` by the person's age, or talks for a handle time drawn
from an exponential distribution (mean ``--talk`` s) and ends it; wrap-up
3-10 s; available again. A duty doctor accepts, answers, consults (mean
``--doctor-talk`` s) and hands the patient back (``end``); the medconsultant
who transferred gets them back first and closes the contact (mean 20 s).
The supervisor watches the wallboard.

Media: real peer connections both ways (SDP offer/answer and ICE through the
hub, DTLS-SRTP on 127.0.0.1) with the synthetic tone and test pattern, but the
video at ``--video``, 160x120 at 5 fps by default, both directions (the
simulator's own is 320x240 at 15). The hub relays signaling only, never
media, so the picture's size changes nothing the hub does; it changes what
the load generator needs, and that shares the 2 cores with the hub it
measures. Measured here, one call (both ends, encoding and decoding) takes
about 20% of a core at 320x240@15 against 13% at 160x120@5, and at 600
contacts an hour some 10-15 calls run at once. The tone (Opus, 50 packets a
second each way) is most of what is left and stays: audio only is 10%.

Printed: service level (answered within the hub's own target, as
``console.stats.figures`` defines it), ASA and the abandoned share, measured
by the bench from the patients' timestamps (the first answer of each
contact; and over every visit of the medconsultants' queue, hand-backs
included, as the hub counts) beside the hub's own wallboard figures read by
the supervisor; offer latency, from a staff member becoming available with a
contact waiting (or a contact arriving, transferred or handed back with
someone free) to the offer frame at that staff client, p50/p95/p99/max; the
hub's CPU (share of one core, sampled every ``--sample`` s from /proc) and
RSS (start, max, end), and the CPU and event-loop lag of both load-generator
processes, so a client-bound run shows as one.

Baselines in the same run: the hub idle for ``--idle`` s with every console
connected and nobody calling (the floor), and the Erlang C model of the
medconsultants' queue (the measured arrival rate, the measured mean time a
medconsultant spends per contact from offer to available again, the number
of medconsultants): the service level and ASA an ideal ACD would give, with
the same human ring time, beside the measured ones. The model knows no
abandons (patients who hang up lighten the real queue) and no priorities
(hand-backs go first, and wait for the medconsultant who transferred them):
a yardstick, not a pass mark.

Nothing personal is printed or logged: counts, timings and error codes only.
The hub and the patients' process are always stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import math
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp

from bench.hub import (
    cpu_seconds,
    free_port,
    hub_command,
    hub_commit,
    machine_busy,
    own_cpu,
    pct,
    peak_rss_mib,
    raise_open_files,
    run_in,
    spawn,
    stop_async,
    tail,
    wait_ready,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from aiortc.mediastreams import MediaStreamTrack

    from console.calls.session import StaffCallSession
    from console.client import StaffClient
    from console.protocol import messages as m

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-load-password"
OPERATORS = "operators"
#: a patient who asks to book says so (the simulator's appointment reasons): not for the duty doctor
BOOKING_WORD = "запис"
GREETINGS = (
    "Здравствуйте! Медконсультант на связи, чем могу помочь?",
    "Добрый день! Слушаю вас.",
)
STAFF_LINES = (
    "Понятно. Подскажите, когда это началось?",
    "Принимаете ли вы какие-нибудь лекарства?",
    "Хорошо, записала.",
)
DOCTOR_LINES = ("Здравствуйте, я дежурный врач. Расскажите, что беспокоит?",)
#: what every simulated doctor signs before handing the patient back: complaints, recommendations
CONCLUSION = ("Жалобы со слов пациента", "Рекомендации дежурного врача")
FOLLOWUP_LINES = ("Врач закончил консультацию. Нужно ли что-то ещё?",)


def ms_line(xs: list[float]) -> str:
    if not xs:
        return "none timed"
    return (
        f"p50 {pct(xs, 0.5) * 1000:.1f} / p95 {pct(xs, 0.95) * 1000:.1f} / "
        f"p99 {pct(xs, 0.99) * 1000:.1f} / max {max(xs) * 1000:.1f} ms (n={len(xs):,})"
    )


def rss_mib(pid: int) -> float:
    """Resident memory of a process now (VmRSS), MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


_IDS = re.compile(r"\b[cL][0-9a-f]{16}\b")
_NUMBERS = re.compile(r"\d+")


def error_key(exc: BaseException) -> str:
    """An exception for the summary: the hub's code, or the type (messages may quote input)."""
    code = getattr(exc, "code", None)
    return f"{type(exc).__name__} {code}" if isinstance(code, str) else type(exc).__name__


class CountingHandler(logging.Handler):
    """Counts warnings and errors by their message with ids and numbers blanked out.

    The loggers of ``console`` never put personal data in a line (DESIGN.md), and
    what aiohttp or aiortc say is about sockets; the summary prints the counts.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage().splitlines()[0][:120]
        except Exception:  # a message that does not format: its template
            text = str(record.msg)[:120]
        text = _NUMBERS.sub("N", _IDS.sub("<id>", text))
        self.counts[f"{record.name}: {text}"] += 1


def setup_logging(log: Path) -> CountingHandler:
    """Warnings to ``log`` (kept with --keep), and counted for the summary."""
    root = logging.getLogger()
    root.setLevel(logging.WARNING)
    to_file = logging.FileHandler(log, encoding="utf-8")
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(to_file)
    counting = CountingHandler()
    root.addHandler(counting)
    for name in ("aioice", "aiortc"):  # consent and teardown chatter of closed peers
        logging.getLogger(name).setLevel(logging.ERROR)
    return counting


class LagMonitor:
    """Lateness of a ``every`` s sleep on this process's event loop: a busy loop shows."""

    def __init__(self, every: float = 0.1) -> None:
        self.every = every
        self.lags: list[tuple[float, float]] = []  # (monotonic, seconds late)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="bench-lag")

    async def _run(self) -> None:
        while True:
            t = time.monotonic()
            await asyncio.sleep(self.every)
            now = time.monotonic()
            self.lags.append((now, max(0.0, now - t - self.every)))

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def between(self, a: float, b: float) -> list[float]:
        return [lag for t, lag in self.lags if a <= t <= b]


def lag_line(lags: list[float]) -> str:
    if not lags:
        return "loop lag -"
    return (
        f"loop lag p50 {pct(lags, 0.5) * 1000:.1f} / p99 {pct(lags, 0.99) * 1000:.1f} / "
        f"max {max(lags) * 1000:.0f} ms"
    )


# ---------------------------------------------------------------------- the team


@dataclass(frozen=True)
class Behaviour:
    """How the staff work; times in seconds."""

    ring: tuple[float, float] = (1.0, 3.0)  # an offer rings this long before the accept
    talk_s: float = 50.0  # a medconsultant's talk with a new contact, mean (exponential)
    followup_s: float = 20.0  # after the doctor hands the patient back, mean
    doctor_s: float = 90.0  # the duty doctor's consultation, mean
    wrap: tuple[float, float] = (3.0, 10.0)
    doctor_wrap: tuple[float, float] = (5.0, 15.0)
    transfer_share: float = 0.3  # of the identified new contacts with a valid policy
    consent_wait_s: float = 30.0  # how long a medconsultant waits for both consents
    video: tuple[int, int, float] = (160, 120, 5.0)  # the staff's test pattern


def team_roles(n: int) -> list[tuple[str, str, str | None]]:
    """(login, role, duty specialty) of ``n`` consoles: 1 supervisor, ~15% duty doctors
    (two therapists to one pediatrician, at least one of each), the rest medconsultants."""
    if n < 4:
        raise SystemExit(
            "--staff: at least 4 consoles (a supervisor, two doctors, a medconsultant)"
        )
    doctors = max(2, round(n * 0.15))
    pediatricians = max(1, doctors // 3)
    therapists = doctors - pediatricians
    operators = n - 1 - doctors
    roles: list[tuple[str, str, str | None]] = [("lsup01", "supervisor", None)]
    roles += [(f"lther{i:02d}", "doctor", "therapist") for i in range(1, therapists + 1)]
    roles += [(f"lped{i:02d}", "doctor", "pediatrician") for i in range(1, pediatricians + 1)]
    roles += [(f"lop{i:02d}", "operator", None) for i in range(1, operators + 1)]
    return roles


@dataclass
class OfferRec:
    """One offer as a staff client saw it (monotonic seconds)."""

    role: str
    login: str
    queue: str
    contact_id: str
    t_offer: float
    t_avail: float | None  # when this staff member became available, if known
    returned: bool = False  # handed back by a doctor
    t_accepted: float | None = None  # the accept's ack
    t_free: float | None = None  # available again (wrap-up done)
    withdrawn: bool = False


@dataclass
class Team:
    base: str
    http: aiohttp.ClientSession
    how: Behaviour
    seed: int
    desks: list[Desk] = field(default_factory=list)
    supervisor: Supervisor | None = None
    offers: list[OfferRec] = field(default_factory=list)
    transfers: dict[str, float] = field(default_factory=dict)  # contact -> transfer sent
    transferred_by: dict[str, str] = field(default_factory=dict)  # contact -> login
    handbacks: dict[str, float] = field(default_factory=dict)  # contact -> hand-back sent
    setups: list[float] = field(default_factory=list)  # accept's ack -> call connected
    errors: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)

    @property
    def operators(self) -> list[Desk]:
        return [d for d in self.desks if d.role == "operator"]

    def idle(self) -> bool:
        return all(d.current is None for d in self.desks)


def draw(rng: random.Random, mean: float, low: float = 5.0) -> float:
    """Exponential with ``mean``, at least ``low``, at most five means."""
    return min(max(low, rng.expovariate(1.0 / mean)), 5.0 * mean)


class Desk:
    """One medconsultant or duty doctor at a console: a staff client and a call."""

    def __init__(self, team: Team, login: str, role: str, specialty: str | None) -> None:
        from console.client import StaffClient

        self.team = team
        self.login = login
        self.role = role
        self.specialty = specialty
        self.rng = random.Random(f"{team.seed}:desk:{login}")
        self.client: StaffClient = StaffClient(team.base, session=team.http, request_timeout=30.0)
        self.t_avail: float | None = None
        self.current: OfferRec | None = None  # the contact being served, until wrap-up is done
        self.leaving = False  # we end or transfer: the wrap-up that follows is ours
        self.patient_left = asyncio.Event()
        self.accepting = False
        self.work: asyncio.Task[None] | None = None
        self.call: StaffCallSession | None = None
        self.call_contact: str | None = None
        self.call_tracks: list[MediaStreamTrack] = []
        self.signals = asyncio.Lock()
        self.tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def error(self, step: str, exc: BaseException) -> None:
        self.team.errors[f"{self.role} {step}: {error_key(exc)}"] += 1

    async def start(self) -> None:
        from console.protocol import messages as m

        await self.client.login(self.login, PASSWORD)
        self.client.on(m.OfferMsg, self._offered)
        self.client.on(m.OfferWithdrawn, self._withdrawn)
        self.client.on(m.SignalMsg, self._signal)
        self.client.on(m.StaffStateMsg, self._state)
        self.client.on(m.Error, lambda e: self.team.errors.update([f"hub error frame {e.code}"]))
        await self.client.connect()

    async def available(self) -> None:
        self.t_avail = time.monotonic()
        await self.client.set_state("available")

    async def close(self) -> None:
        tasks = [*self.tasks, *([self.work] if self.work else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._hang_up_call()
        with contextlib.suppress(Exception):
            await self.client.close()

    # ------------------------------------------------------------ what the hub sends

    def _offered(self, offer: m.OfferMsg) -> None:
        t = time.monotonic()
        c = offer.contact
        rec = OfferRec(self.role, self.login, c.queue, c.id, t, self.t_avail)
        rec.returned = c.queue == OPERATORS and c.id in self.team.handbacks
        self.team.offers.append(rec)
        self.t_avail = None
        if self.current is not None:  # the hub offers only to the available
            self.team.errors[f"{self.role}: offered while still serving"] += 1
            if self.work is not None:
                self.work.cancel()
        self.current = rec
        self.leaving = False
        self.patient_left.clear()
        self.work = asyncio.create_task(self._serve(rec), name=f"desk-{self.login}")

    def _withdrawn(self, msg: m.OfferWithdrawn) -> None:
        self.team.events[f"offers withdrawn ({msg.reason})"] += 1
        rec = self.current
        if rec is None or rec.contact_id != msg.contact_id or rec.t_accepted is not None:
            return
        rec.withdrawn = True
        self.current = None
        if not self.accepting and self.work is not None:
            self.work.cancel()

    def _state(self, msg: m.StaffStateMsg) -> None:
        if msg.state == "wrap_up" and self.current is not None and not self.leaving:
            self.patient_left.set()  # the patient hung up (the hub ended the contact)
            self.team.events["patients hung up while served"] += 1
        elif msg.state == "available" and self.current is None and self.t_avail is None:
            self.t_avail = time.monotonic()  # the hub made us available (an offer withdrawn)
        elif msg.state == "not_responding":
            self.team.errors[f"{self.role}: not responding (the offer rang out)"] += 1
            if self.work is not None and self.current is not None:
                self.work.cancel()
            self.current = None
            self.spawn(self._back_to_work())

    async def _back_to_work(self) -> None:
        try:
            await self.available()
        except Exception as exc:
            self.error("set_state", exc)

    def _signal(self, msg: m.SignalMsg) -> None:
        self.spawn(self._on_signal(msg))

    async def _on_signal(self, msg: m.SignalMsg) -> None:
        from console.calls.ice import CallConfig
        from console.calls.media import TestPatternTrack, ToneTrack
        from console.calls.session import StaffCallSession

        s = msg.signal
        async with self.signals:
            try:
                if s.kind == "offer":
                    await self._hang_up_call()
                    cid = msg.contact_id
                    width, height, fps = self.team.how.video
                    tone = ToneTrack(hz=330.0)
                    picture = TestPatternTrack(width=width, height=height, fps=fps)

                    async def send(sig: m.Signal) -> None:
                        await self.client.signal(cid, sig)

                    self.call_tracks, self.call_contact = [tone, picture], cid
                    self.call = StaffCallSession(
                        s.leg, send, audio=tone, video=picture, config=CallConfig.loopback()
                    )
                    await self.call.handle(s)
                    rec = self.current
                    t0 = rec.t_accepted if rec and rec.t_accepted else time.monotonic()
                    self.spawn(self._connected(self.call, t0))
                elif self.call is not None and self.call.leg == s.leg:
                    await self.call.handle(s)
            except Exception as exc:
                self.error(f"signal {s.kind}", exc)

    async def _connected(self, call: StaffCallSession, t0: float) -> None:
        try:
            await call.wait_connected(timeout=30)
        except Exception as exc:
            if not call.closed:
                self.error("call connect", exc)
            return
        self.team.setups.append(time.monotonic() - t0)

    async def _hang_up_call(self, contact_id: str | None = None) -> None:
        """Close the call (only if it is ``contact_id``'s, when given) and stop its tracks."""
        if contact_id is not None and self.call_contact != contact_id:
            return
        call, tracks = self.call, self.call_tracks
        self.call, self.call_tracks, self.call_contact = None, [], None
        if call is not None:
            with contextlib.suppress(Exception):
                await call.close()
        for track in tracks:
            track.stop()

    # ------------------------------------------------------------ serving a contact

    async def _pause(self, low: float, high: float) -> None:
        await asyncio.sleep(self.rng.uniform(low, high))

    async def _talk(self, seconds: float, lines: tuple[str, ...] = ()) -> bool:
        """Talk for ``seconds`` (a chat line halfway); False if the patient left meanwhile."""
        halves = [seconds / 2, seconds / 2] if lines else [seconds]
        for n, part in enumerate(halves):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.patient_left.wait(), part)
            if self.patient_left.is_set():
                return False
            if n == 0 and lines and self.current is not None:
                await self.client.chat(self.current.contact_id, self.rng.choice(lines))
        return True

    async def _until(self, pred: Callable[[], bool], timeout: float) -> bool:  # noqa: ASYNC109
        end = time.monotonic() + timeout
        while not pred():
            if self.patient_left.is_set() or time.monotonic() >= end:
                return False
            await asyncio.sleep(0.25)
        return True

    def _view(self, cid: str) -> m.ContactView | None:
        return self.client.contacts.get(cid)

    async def _serve(self, rec: OfferRec) -> None:
        cid = rec.contact_id
        how = self.team.how
        try:
            await self._pause(*how.ring)
            self.accepting = True
            try:
                await self.client.accept(cid)
            except Exception as exc:
                if rec.withdrawn:  # the patient hung up while it rang: not an error
                    return
                raise exc from None
            finally:
                self.accepting = False
            rec.t_accepted = time.monotonic()
            if self.role == "operator":
                await self._operator(rec)
            else:
                await self._doctor(rec)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not self.patient_left.is_set():
                self.error("serving", exc)
            await self._recover(rec)
        finally:
            await self._hang_up_call(cid)

    async def _operator(self, rec: OfferRec) -> None:
        cid, how = rec.contact_id, self.team.how
        await self._pause(1.0, 2.5)
        if rec.returned:
            await self.client.chat(cid, self.rng.choice(FOLLOWUP_LINES))
            if await self._talk(draw(self.rng, how.followup_s)):
                await self._end(cid)
            await self._wrapup(rec, how.wrap)
            return
        await self.client.chat(cid, self.rng.choice(GREETINGS))
        talk = draw(self.rng, how.talk_s)
        to = self._route(cid) if self.rng.random() < how.transfer_share else None
        await self._consents(cid)
        if to is not None:
            if (
                await self._until(lambda: self._confirmed(cid), how.consent_wait_s)
                and not self._wants_booking(cid)
                and await self._talk(talk / 2, STAFF_LINES)
            ):
                if await self._transfer(cid, to):
                    await self._hang_up_call(cid)
                    await self._wrapup(rec, how.wrap, passed_on=True)
                    return
            else:
                self.team.events["transfers given up (consents, booking, hung up)"] += 1
            talk /= 2
        if not self.patient_left.is_set() and await self._talk(talk, STAFF_LINES):
            await self._end(cid)
        await self._wrapup(rec, how.wrap)

    async def _doctor(self, rec: OfferRec) -> None:
        cid, how = rec.contact_id, self.team.how
        await self._pause(1.0, 2.5)
        await self.client.chat(cid, self.rng.choice(DOCTOR_LINES))
        handed_back = await self._talk(draw(self.rng, how.doctor_s, 10.0), STAFF_LINES)
        if handed_back:
            await self.client.save_conclusion(  # the hub ends nothing before it is signed
                cid, complaints=CONCLUSION[0], recommendations=CONCLUSION[1]
            )
            self.team.handbacks[cid] = time.monotonic()
            self.leaving = True
            await self.client.end(cid)  # a doctor's end hands the patient back
            self.team.events["hand-backs"] += 1
        await self._hang_up_call(cid)
        await self._wrapup(rec, how.doctor_wrap, passed_on=handed_back)

    def _route(self, cid: str) -> str | None:
        view = self._view(cid)
        person = view.person if view is not None else None
        if person is None or person.policy_status != "valid":
            return None
        return f"duty:{person.route}"

    def _confirmed(self, cid: str) -> bool:
        view = self._view(cid)
        return view is not None and all(c.state == "confirmed" for c in view.consents)

    def _wants_booking(self, cid: str) -> bool:
        view = self._view(cid)
        return view is not None and any(
            x.author == "patient" and BOOKING_WORD in x.text.lower() for x in view.chat
        )

    async def _consents(self, cid: str) -> None:
        view = self._view(cid)
        if view is None or view.person is None:
            return
        for consent in view.consents:
            if consent.state != "confirmed":
                await self._pause(0.5, 1.5)
                await self.client.send_consent(cid, consent.kind)
                self.team.events["consents sent"] += 1

    async def _transfer(self, cid: str, to: str) -> bool:
        from console.client import HubCommandError

        self.team.transfers[cid] = time.monotonic()
        self.leaving = True
        try:
            await self.client.transfer(cid, to)
        except HubCommandError as exc:
            self.leaving = False
            del self.team.transfers[cid]
            self.error("transfer", exc)
            return False
        self.team.events[f"transfers to {to}"] += 1
        self.team.transferred_by[cid] = self.login
        return True

    async def _end(self, cid: str) -> None:
        self.leaving = True
        await self.client.end(cid)

    async def _wrapup(
        self, rec: OfferRec, wrap: tuple[float, float], *, passed_on: bool = False
    ) -> None:
        """Wrap up, then available again. A contact passed on (transferred, handed back)
        is no longer on this console, so there is no wrap-up form: the person presses
        "available" (``set_state``), as the console offers; otherwise ``wrapup_done``."""
        await self._pause(*wrap)
        self.current = None
        rec.t_free = self.t_avail = time.monotonic()
        if self.client.state != "wrap_up":
            return  # the hub's wrap-up time ran out first
        if passed_on:
            await self.client.set_state("available")
        else:
            await self.client.wrapup_done(rec.contact_id)

    async def _recover(self, rec: OfferRec) -> None:
        """Back to available from wherever an error left this desk."""
        try:
            if self.client.state == "busy":
                await self._end(rec.contact_id)
            if self.client.state == "wrap_up" or self.leaving:
                await self._wrapup(rec, (0.0, 0.0), passed_on=True)
            elif self.client.state in ("not_responding", "offline", "break"):
                self.current = None
                await self.available()
            else:
                self.current = None
        except Exception as exc:
            self.error("recovery", exc)
            self.current = None


class Supervisor:
    """Watches the wallboard; keeps the last one."""

    def __init__(self, team: Team, login: str) -> None:
        from console.client import StaffClient

        self.team = team
        self.login = login
        self.client: StaffClient = StaffClient(team.base, session=team.http, request_timeout=30.0)
        self.boards = 0
        self.last: m.WallboardMsg | None = None

    async def start(self) -> None:
        from console.protocol import messages as m

        await self.client.login(self.login, PASSWORD)
        self.client.on(m.WallboardMsg, self._board)
        await self.client.connect()
        await self.client.watch_wallboard()
        self.last = self.client.wallboard

    def _board(self, board: m.WallboardMsg) -> None:
        self.boards += 1
        self.last = board

    def operators(self) -> m.QueueBoard | None:
        board = self.last
        return next((q for q in board.queues if q.queue == OPERATORS), None) if board else None

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.client.close()


async def start_team(team: Team, roles: list[tuple[str, str, str | None]]) -> None:
    """Everyone signs in (one at a time: argon2 runs on the hub's loop) and goes available."""
    import console.calls.session  # noqa: F401 - aiortc now, not on the loop with the first call

    for login, role, specialty in roles:
        if role == "supervisor":
            team.supervisor = Supervisor(team, login)
            await team.supervisor.start()
        else:
            desk = Desk(team, login, role, specialty)
            await desk.start()
            team.desks.append(desk)
    for desk in team.desks:
        await desk.available()


# ---------------------------------------------------------------------- seeding


async def seed_db(
    url: str, insured: int, seed: int, roles: list[tuple[str, str, str | None]]
) -> list[str]:
    """The registry (``insured`` people of the demo's generator) and the team; the phones."""
    import db as migrations
    from console.admin import seed as demo
    from console.admin.registry import import_rows
    from console.store import staff
    from console.store.database import Database

    today = datetime.now(UTC).date()
    people = list(demo.generate(insured, seed, today))
    database = Database(url)
    try:
        await migrations.upgrade(database.engine)
        now = datetime.now(UTC)
        await import_rows(database, people, now=now, source="bench:load", actor="bench")
        hashed = staff.hash_password(PASSWORD)
        async with database.transaction() as s:
            for n, (login, role, specialty) in enumerate(roles, 1):
                await staff.add_staff(
                    s,
                    login=login,
                    password="",
                    password_hash=hashed,
                    role=staff.Role(role),
                    full_name=f"Сотрудник {n}",
                    specialty=specialty,
                    on_duty=specialty is not None,
                    now=now,
                )
    finally:
        await database.close()
    return list(dict.fromkeys(p.phone for p in people if p.phone))


# ---------------------------------------------------------------------- the patients' process


def patients_process(config_path: Path) -> None:
    """``--patients-process CONFIG``: the simulator's stream; the visits' times to a JSON file."""
    cfg = json.loads(config_path.read_text(encoding="utf-8"))
    cfg["phone_list"] = Path(cfg["phones"]).read_text(encoding="utf-8").split()
    counting = setup_logging(Path(cfg["log"]))
    result = asyncio.run(run_patients(cfg))
    result["log_counts"] = dict(counting.counts)
    result["cpu"] = own_cpu()
    Path(cfg["out"]).write_text(json.dumps(result), encoding="utf-8")


async def run_patients(cfg: dict[str, Any]) -> dict[str, Any]:
    import console.calls.session  # noqa: F401 - aiortc now, not on the loop with the first call
    from console.calls.ice import CallConfig
    from console.calls.patient import SmsOutbox
    from console.calls.simulator import Mix, SimulatedPatient, Simulator, Visit

    visits: dict[int, dict[str, Any]] = {}

    class TimedPatient(SimulatedPatient):
        """A simulated patient who notes, on this machine's monotonic clock, when it
        asked for a medconsultant, was first answered, hung up waiting and was ended."""

        def __init__(self, sim: Simulator, visit: Visit, phone: str) -> None:
            super().__init__(sim, visit, phone)
            self.rec = visits.setdefault(visit.index, {"index": visit.index})
            self.rec["channel"] = visit.channel

        async def start(
            self, channel: str = "video", person_id: int | None = None
        ) -> dict[str, Any]:
            self.rec["start"] = time.monotonic()
            reply = await super().start(channel, person_id)
            self.rec["contact"] = self.contact_id
            return reply

        async def _got_leg(self, msg: dict[str, Any]) -> None:
            self.rec.setdefault("answered", time.monotonic())
            self.rec["legs"] = self.rec.get("legs", 0) + 1
            await super()._got_leg(msg)

        async def hang_up(self) -> None:
            if not self.legs:
                self.rec.setdefault("hung_up", time.monotonic())
            await super().hang_up()

        async def _got_ended(self, msg: dict[str, Any]) -> None:
            if msg.get("contact_id") in (None, self.contact_id):
                self.rec.setdefault("ended", time.monotonic())
            await super()._got_ended(msg)

    class TimedSimulator(Simulator):
        patient_class = TimedPatient

    width, height, fps = cfg["video"]
    sim = TimedSimulator(
        cfg["hub"],
        cfg["phone_list"],
        SmsOutbox(cfg["outbox"]),
        rate_per_min=cfg["rate"],
        seed=cfg["seed"],
        mix=Mix(abandon_share=cfg["abandon"], video=(width, height, float(fps))),
        config=CallConfig.loopback(),
    )
    # every arrival of the stream that falls within the minutes, and no more
    at, count = 0.0, 0
    for gap in sim.arrival_gaps():
        at += gap
        if at >= cfg["seconds"]:
            break
        count += 1
    sim.patients = count
    lag = LagMonitor()
    lag.start()
    loop = asyncio.get_running_loop()
    stopped = False

    closing: list[asyncio.Task[None]] = []

    def stop_stream() -> None:  # the drain ran out: everyone still there hangs up
        nonlocal stopped
        stopped = True
        for rec in visits.values():
            if "start" in rec and "ended" not in rec:
                rec["cut"] = True
        closing.append(asyncio.create_task(sim.close()))

    loop.add_signal_handler(signal.SIGTERM, stop_stream)
    t0 = time.monotonic()
    try:
        await sim.run()
    finally:
        lag.stop()
    t_end = time.monotonic()
    for index, rec in visits.items():
        rec["outcome"] = "cut" if rec.get("cut") else sim.outcomes.get(index, "cut")
    lags = [x for t, x in lag.lags if t <= t0 + cfg["seconds"]]  # while patients came
    return {
        "t0": t0,
        "t_end": t_end,
        "planned": count,
        "stopped": stopped,
        "visits": list(visits.values()),
        "stats": sim.stats.as_dict(),
        "lag": [pct(lags, 0.5), pct(lags, 0.99), max(lags, default=0.0)],
    }


# ---------------------------------------------------------------------- sampling


@dataclass
class Sample:
    t: float
    hub_cpu: float
    hub_rss: float
    own_cpu: float
    patients_cpu: float | None
    busy: float


class Sampler:
    """CPU times and the hub's RSS every ``every`` s, from /proc."""

    def __init__(self, hub_pid: int, every: float) -> None:
        self.hub_pid = hub_pid
        self.patients_pid: int | None = None
        self.every = every
        self.samples: list[Sample] = []
        self._task: asyncio.Task[None] | None = None

    def take(self) -> Sample:
        pat = None
        if self.patients_pid is not None:
            with contextlib.suppress(OSError, IndexError, ValueError):
                pat = cpu_seconds(self.patients_pid)
        s = Sample(
            time.monotonic(),
            cpu_seconds(self.hub_pid),
            rss_mib(self.hub_pid),
            own_cpu(),
            pat,
            machine_busy(),
        )
        self.samples.append(s)
        return s

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="bench-sampler")

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(OSError):
                self.take()
            await asyncio.sleep(self.every)

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def window(self, a: float, b: float) -> list[Sample]:
        return [s for s in self.samples if a - 0.01 <= s.t <= b + self.every]


def rates(samples: list[Sample], get: Callable[[Sample], float | None]) -> tuple[float, float]:
    """Mean and max, over consecutive samples, of d(CPU seconds)/d(wall) of ``get``."""
    steps: list[tuple[float, float]] = []  # (CPU seconds, wall seconds)
    for a, b in itertools.pairwise(samples):
        ca, cb = get(a), get(b)
        if ca is not None and cb is not None and b.t > a.t:
            steps.append((cb - ca, b.t - a.t))
    if not steps:
        return float("nan"), float("nan")
    mean = sum(c for c, _ in steps) / sum(w for _, w in steps)
    return mean, max(c / w for c, w in steps)


# ---------------------------------------------------------------------- Erlang C


def erlang_c(a: float, n: int) -> float:
    """The probability that an arrival waits, M/M/n with offered load ``a`` Erlangs."""
    if a <= 0:
        return 0.0
    if a >= n:
        return 1.0
    b = 1.0  # Erlang B, by its recursion
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return n * b / (n - a * (1 - b))


@dataclass
class Ideal:
    load: float  # Erlangs
    p_wait: float
    wait_s: float  # mean wait for a free medconsultant
    asa_s: float  # + the ring time
    sl: float  # answered within the target, ring time included


def ideal_acd(lam: float, service_s: float, n: int, target_s: float, rings: list[float]) -> Ideal:
    """Erlang C on ``lam`` arrivals a second, mean occupancy ``service_s`` per contact,
    ``n`` medconsultants; the human ring times ``rings`` added to each wait (their
    measured distribution: SL = mean over r of P(W <= target - r))."""
    a = lam * service_s
    if a >= n:
        return Ideal(a, 1.0, math.inf, math.inf, 0.0)
    c = erlang_c(a, n)
    rate = (n - a) / service_s
    rings = rings or [0.0]
    sl = statistics.fmean(
        1 - c * math.exp(-rate * (target_s - r)) if r <= target_s else 0.0 for r in rings
    )
    wait = c / rate
    return Ideal(a, c, wait, wait + statistics.fmean(rings), sl)


# ---------------------------------------------------------------------- the figures


@dataclass
class Service:
    """Service figures by the hub's definitions (console/stats/figures.py)."""

    offered: int = 0
    answered: int = 0
    within: int = 0
    abandoned: int = 0
    abandoned_after: int = 0
    short: int = 0
    waits: list[float] = field(default_factory=list)

    def add_answer(self, wait: float, target: float) -> None:
        self.offered += 1
        self.answered += 1
        self.within += wait <= target
        self.waits.append(wait)

    def add_abandon(self, wait: float, target: float, short: float) -> None:
        if wait < short:
            self.short += 1
            return
        self.offered += 1
        self.abandoned += 1
        self.abandoned_after += wait > target

    @property
    def sl(self) -> float:
        d = self.answered + self.abandoned_after
        return self.within / d if d else float("nan")

    @property
    def asa(self) -> float:
        return statistics.fmean(self.waits) if self.waits else float("nan")

    @property
    def abandoned_share(self) -> float:
        return self.abandoned / self.offered if self.offered else float("nan")


def fmean(xs: list[float]) -> float:
    return statistics.fmean(xs) if xs else float("nan")


def fmt_pct(x: float | None) -> str:
    return "-" if x is None or math.isnan(x) else f"{x:.1%}"


def fmt_s(x: float | None) -> str:
    return "-" if x is None or math.isnan(x) or math.isinf(x) else f"{x:.1f} s"


def row(name: str, sl: float | None, asa: float | None, ab: float | None, rest: str) -> str:
    return f"  {name:44} {fmt_pct(sl):>7} {fmt_s(asa):>9} {fmt_pct(ab):>9}   {rest}"


def service_row(name: str, s: Service, rest: str) -> str:
    return row(name, s.sl, s.asa, s.abandoned_share, rest)


@dataclass
class Run:
    """Everything the summary is made from."""

    args: argparse.Namespace
    team: Team
    pat: dict[str, Any]  # the patients' process's result
    sampler: Sampler
    lag: LagMonitor
    idle: tuple[float, float]  # the idle floor's stretch (monotonic)
    logs: Counter[str]  # this process's warnings
    hub_log: Path
    peak_rss: float  # the hub's VmHWM at the end
    peak_before: float  # and before the first patient came
    target: float = 20.0
    goal: float = 0.8
    short: float = 5.0

    @property
    def window(self) -> tuple[float, float]:
        t0 = float(self.pat["t0"])
        return t0, t0 + self.args.minutes * 60.0

    @property
    def started(self) -> list[dict[str, Any]]:
        """The visits that asked for a medconsultant."""
        return [v for v in self.pat["visits"] if "start" in v]

    @property
    def by_contact(self) -> dict[str, dict[str, Any]]:
        return {v["contact"]: v for v in self.started if v.get("contact")}


def new_contacts(run: Run) -> Service:
    """Each contact's first wait, from the patient's start to the first leg (or hang-up)."""
    s = Service()
    for v in run.started:
        if "answered" in v:
            s.add_answer(v["answered"] - v["start"], run.target)
        elif v["outcome"] == "cut":  # still waiting when the drain ran out: left out
            continue
        elif "hung_up" in v:
            s.add_abandon(v["hung_up"] - v["start"], run.target, run.short)
        elif v["outcome"] == "closed" and "ended" in v:  # not reached: abandoned (timed out)
            s.add_abandon(v["ended"] - v["start"], run.target, run.short)
    return s


def report_counts(run: Run, first: Service) -> list[str]:
    team, pat, stats = run.team, run.pat, run.pat["stats"]
    outcomes = Counter(v["outcome"] for v in pat["visits"])
    started = run.started
    media = sum(1 for v in started if v["channel"] != "chat")
    ops = sum(1 for r in team.offers if r.role == "operator")
    lines = [
        f"patients: {stats['arrived']} arrived ({pat['planned']} planned), {len(started)} asked "
        f"for a medconsultant ({media} by audio/video, {len(started) - media} by chat), "
        f"{first.answered} answered, {first.abandoned + first.short} hung up waiting "
        f"({first.short} within {run.short:g} s), {outcomes.get('closed', 0)} closed by the hub "
        f"while waiting, {stats['failed']} failed, {outcomes.get('cut', 0)} cut at the end"
        f"{' (the drain ran out)' if pat['stopped'] else ''}; {stats['consents']} consents "
        f"confirmed, {stats['chat_lines']} chat lines, {stats['images']} photos",
        f"staff: {ops} offers to {len(team.operators)} medconsultants, "
        f"{len(team.offers) - ops} to {len(team.desks) - len(team.operators)} duty doctors; "
        + ", ".join(f"{n} {k}" for k, n in sorted(team.events.items())),
        f"calls: {len(team.setups)} connected (the staff's accept acknowledged -> connected: "
        f"{ms_line(team.setups)})",
    ]
    if team.errors or stats["failed"] or pat["log_counts"] or run.logs:
        lines.append("errors and warnings (counted; the run carried on):")
        lines += [f"  staff: {n} x {k}" for k, n in team.errors.most_common()]
        lines += [f"  patients: {n} x {k}" for k, n in Counter(pat["log_counts"]).most_common(12)]
        lines += [f"  staff process log: {n} x {k}" for k, n in run.logs.most_common(12)]
    else:
        lines.append("errors: none (staff clients, patients, both processes' logs)")
    problems = 0
    with contextlib.suppress(OSError):
        text = run.hub_log.read_text(errors="replace")
        problems = sum(1 for ln in text.splitlines() if " ERROR " in ln or " WARNING " in ln)
    lines.append(f"hub log: {problems} warning/error lines")
    return lines


def report_service(run: Run, first: Service) -> list[str]:
    team, target, short = run.team, run.target, run.short
    seconds = run.args.minutes * 60.0
    ops = [r for r in team.offers if r.role == "operator"]
    every = new_contacts(run)  # + the hand-backs' waits: every visit, as the hub counts them
    returned = [(r, r.t_accepted) for r in ops if r.returned and r.t_accepted is not None]
    for r, accepted in returned:
        every.add_answer(accepted - team.handbacks[r.contact_id], target)
    lines = [
        f"service, medconsultants' queue (target {target:g} s, goal {run.goal:.0%}; SL = within "
        f"target / (answered + abandoned after target), abandons under {short:g} s left out, "
        "as console/stats/figures.py defines them):",
        f"  {'':44} {'SL':>7} {'ASA':>9} {'abandoned':>9}",
        service_row(
            "bench: new contacts (patient side)",
            first,
            f"{first.offered} offered, {first.answered} answered, {first.abandoned} abandoned",
        ),
        service_row("bench: every visit (+ handed back)", every, f"+ {len(returned)} handed back"),
    ]
    sup = team.supervisor
    board = sup.operators() if sup is not None else None
    if board is not None and sup is not None:
        f = board.today
        lines.append(
            row(
                "hub: its wallboard, today (supervisor)",
                f.service_level,
                f.asa_s,
                f.abandoned_share,
                f"{f.offered} offered, {f.answered} answered, {f.abandoned} abandoned, "
                f"{f.short_abandoned} short, {f.waiting} waiting; AHT {fmt_s(f.aht_s)}; "
                f"{sup.boards} boards received",
            )
        )
    else:
        lines.append("  hub: no wallboard received")
    occupancy = [r.t_free - r.t_offer for r in ops if r.t_free and r.t_accepted]
    rings = [r.t_accepted - r.t_offer for r in ops if r.t_accepted is not None]
    if not occupancy:
        return [*lines, "  Erlang C: no contact was handled"]
    n = len(team.operators)
    # the work the window's arrivals brought, over the window: their hand-backs count
    # too, though the last of them come back in the drain
    new, back = len(run.started), len(team.handbacks)
    arrivals = new + back
    lam, service_s = arrivals / seconds, statistics.fmean(occupancy)
    ideal = ideal_acd(lam, service_s, n, target, rings)
    lines.append(
        row("Erlang C: ideal ACD, same ring time", ideal.sl, ideal.asa_s, None, "no abandons")
    )
    by_contact = run.by_contact
    to_offer = [
        r.t_offer - by_contact[r.contact_id]["start"]
        for r in ops
        if not r.returned and r.t_accepted is not None and r.contact_id in by_contact
    ]
    if math.isinf(ideal.asa_s):
        lines.append("  Erlang C: UNSTABLE, the offered load is at least the medconsultants")
    else:
        lines.append(
            f"  measured / ideal: SL {first.sl / ideal.sl:.2f} (new), {every.sl / ideal.sl:.2f} "
            f"(every visit); ASA {first.asa - ideal.asa_s:+.1f} s (new), "
            f"{every.asa - ideal.asa_s:+.1f} s (every visit); mean wait until offered "
            f"{fmean(to_offer):.1f} s vs Erlang C's {ideal.wait_s:.1f} s"
        )
    lines.append(
        f"  Erlang C inputs: {arrivals} arrivals ({new} new + {back} handed back) for the "
        f"{seconds / 60:g} min = {lam * 60:.1f}/min; {service_s:.1f} s a "
        f"contact from offer to available again (ring {fmean(rings):.1f} s + talk + wrap-up, "
        f"n={len(occupancy)}); {n} medconsultants: {ideal.load:.1f} Erlangs"
        + (
            f", occupancy {ideal.load / n:.0%}, P(wait) {ideal.p_wait:.2f}"
            if ideal.load < n
            else ""
        )
    )
    return lines


def report_latency(run: Run) -> list[str]:
    team, by_contact = run.team, run.by_contact
    kinds: dict[str, list[float]] = {"new": [], "transferred": [], "handed back": []}
    untimed: Counter[str] = Counter()
    for r in team.offers:
        if r.queue.startswith("duty:"):
            kind, arrived = "transferred", team.transfers.get(r.contact_id)
        elif r.returned:
            kind, arrived = "handed back", team.handbacks.get(r.contact_id)
        else:
            kind, arrived = "new", by_contact.get(r.contact_id, {}).get("start")
        if arrived is None or r.t_avail is None:
            untimed[kind] += 1
            continue
        kinds[kind].append(r.t_offer - max(arrived, r.t_avail))
    labels = {
        "new": "new contacts -> medconsultants",
        "transferred": "transferred -> duty doctors",
        "handed back": "handed back -> medconsultants",
    }
    lines = [
        "offer latency (a staff member available with the contact waiting, or the contact "
        "arriving with them free -> the offer frame at that staff client):"
    ]
    back = [r for r in team.offers if r.returned]
    elsewhere = sum(1 for r in back if team.transferred_by.get(r.contact_id) != r.login)
    for kind, xs in kinds.items():
        more = f"; {untimed[kind]} not timed (availability unknown)" if untimed[kind] else ""
        if kind == "handed back":
            more += (
                f"; {len(back) - elsewhere} to the medconsultant who transferred (first refusal, "
                f"held while they are busy), {elsewhere} to another"
            )
        lines.append(f"  {labels[kind]:32} {ms_line(xs)}{more}")
    timed = kinds["new"] + kinds["transferred"]
    if timed:
        p99 = pct(timed, 0.99)
        verdict = "met" if p99 < 0.05 else "MISSED"
        lines.append(
            f"  new + transferred: p99 {p99 * 1000:.1f} ms [target p99 < 50 ms: {verdict}]"
        )
    return lines


def report_resources(run: Run) -> list[str]:
    t0, t1 = run.window
    sampler = run.sampler
    idle_samples, load_samples = sampler.window(*run.idle), sampler.window(t0, t1)
    after = [s for s in sampler.samples if s.t > t1]
    idle_cpu, _ = rates(idle_samples, lambda s: s.hub_cpu)
    hub_mean, hub_max = rates(load_samples, lambda s: s.hub_cpu)
    own_mean, own_max = rates(load_samples, lambda s: s.own_cpu)
    pat_mean, pat_max = rates(load_samples, lambda s: s.patients_cpu)
    busy_mean, _ = rates(load_samples, lambda s: s.busy)
    gen = own_mean + (0.0 if math.isnan(pat_mean) else pat_mean)
    rss = [s.hub_rss for s in load_samples]
    lines = [
        f"hub process (sampled every {run.args.sample:g} s from /proc; 100% = one core):",
        f"  idle floor ({run.idle[1] - run.idle[0]:.0f} s, {len(run.team.desks) + 1} consoles "
        f"connected, nobody calling): CPU {idle_cpu:.1%}, RSS "
        f"{fmean([s.hub_rss for s in idle_samples]):.0f} MiB",
    ]
    if rss:
        lines.append(
            f"  under load ({len(load_samples)} samples, {run.args.minutes:g} min): CPU mean "
            f"{hub_mean:.1%} ({hub_mean / max(idle_cpu, 1e-9):.1f} x the floor), max "
            f"{hub_max:.1%}; RSS start {rss[0]:.0f}, max {max(rss):.0f}, end {rss[-1]:.0f} MiB "
            f"({rss[-1] - rss[0]:+.0f}); after the drain {(after or load_samples)[-1].hub_rss:.0f}"
            f" MiB; peak (VmHWM) {run.peak_rss:.0f} MiB ({run.peak_before:.0f} already before any "
            "patient came: the staff's logins, argon2 takes 64 MiB a hash)"
        )
    lags = run.lag.between(t0, t1)
    p50, p99, top = run.pat["lag"]
    lines.append(
        f"load generator (same window): staff process CPU mean {own_mean:.0%}, max "
        f"{own_max:.0%}, {lag_line(lags)}; patients process CPU mean {pat_mean:.0%}, max "
        f"{pat_max:.0%}, loop lag p50 {p50 * 1000:.1f} / p99 {p99 * 1000:.1f} / max "
        f"{top * 1000:.0f} ms; other processes {max(0.0, busy_mean - hub_mean - gen):.0%}"
    )
    if busy_mean > 0.85 * (os.cpu_count() or 1) or max(p99, pct(lags, 0.99)) > 0.1:
        lines.append(
            "  CLIENT-BOUND: the load generator or the machine was near its limit; the "
            "latencies above include its own delays"
        )
    return lines


def report(run: Run) -> list[str]:
    from console.queue.model import QueueConfig

    sup = run.team.supervisor
    config = QueueConfig()
    run.short = config.short_abandon.total_seconds()
    board = sup.last if sup is not None else None
    run.target = board.target_s if board else config.service_level_target.total_seconds()
    run.goal = board.goal if board else 0.8
    first = new_contacts(run)
    return [
        *report_counts(run, first),
        *report_service(run, first),
        *report_latency(run),
        *report_resources(run),
    ]


# ---------------------------------------------------------------------- the run


async def progress(team: Team, sampler: Sampler, t0: float, total: float) -> None:
    """A line a minute: the hub's own figures and its CPU, no personal data."""
    last = sampler.samples[-1] if sampler.samples else None
    while True:
        await asyncio.sleep(60)
        now = sampler.samples[-1] if sampler.samples else None
        cpu = (
            (now.hub_cpu - last.hub_cpu) / (now.t - last.t)
            if now and last and now.t > last.t
            else float("nan")
        )
        last = now
        q = team.supervisor.operators() if team.supervisor else None
        board = (
            f"waiting {q.waiting}, offered {q.today.offered}, SL {fmt_pct(q.today.service_level)}, "
            f"ASA {fmt_s(q.today.asa_s)}"
            if q
            else "no wallboard"
        )
        busy = sum(1 for d in team.desks if d.current is not None)
        at = time.monotonic() - t0
        stage = (
            f"{at / 60:4.1f}/{total / 60:g} min" if at <= total + 1 else f"drain {at / 60:4.1f} min"
        )
        print(
            f"  {stage}: operators' queue {board}; "
            f"{busy}/{len(team.desks)} staff serving; hub CPU {cpu:.0%}, RSS "
            f"{now.hub_rss if now else float('nan'):.0f} MiB",
            flush=True,
        )


async def staff_in(
    team: Team, roles: list[tuple[str, str, str | None]], idle_s: float
) -> tuple[float, float]:
    """Sign the team in, then let the hub idle: the floor's stretch (monotonic)."""
    t = time.perf_counter()
    await start_team(team, roles)
    print(
        f"{len(roles)} consoles signed in and available in {time.perf_counter() - t:.1f} s; "
        f"the hub idles {idle_s:g} s (the floor)",
        flush=True,
    )
    idle_from = time.monotonic()
    await asyncio.sleep(idle_s)
    return idle_from, time.monotonic()


async def run_stream(
    args: argparse.Namespace, work: Path, base: str, team: Team, sampler: Sampler
) -> dict[str, Any]:
    """The patients' process, from start to its result (stopped if the drain runs out)."""
    config = {
        "hub": base,
        "phones": str(work / "phones.txt"),
        "outbox": str(work / "sms.jsonl"),
        "rate": args.rate,
        "seed": args.seed,
        "seconds": args.minutes * 60.0,
        "abandon": args.abandon,
        "video": list(args.video),
        "out": str(work / "patients.json"),
        "log": str(work / "patients.log"),
    }
    config_path = work / "patients-config.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    cmd = [sys.executable, __file__, "--patients-process", str(config_path)]
    patients = spawn(cmd, work / "patients.out")
    sampler.patients_pid = patients.pid
    print(
        f"patients: {args.rate:g}/min for {args.minutes:g} min, then at most {args.drain:g} s "
        "for everyone to finish",
        flush=True,
    )
    ticker = asyncio.create_task(progress(team, sampler, time.monotonic(), args.minutes * 60))
    try:
        try:
            await asyncio.to_thread(patients.wait, args.minutes * 60 + args.drain + 30)
        except subprocess.TimeoutExpired:
            print("  the drain ran out: the patients still there hang up", flush=True)
        await stop_async(patients)
    finally:
        ticker.cancel()
        await stop_async(patients)
    if patients.returncode != 0:
        raise SystemExit(
            f"the patients' process exited with {patients.returncode}:\n"
            f"{tail(work / 'patients.out')}"
        )
    return dict(json.loads((work / "patients.json").read_text(encoding="utf-8")))


async def settle(team: Team, within: float = 30.0) -> None:
    """The last wrap-ups, then a wallboard after the last change."""
    until = time.monotonic() + within
    while not team.idle() and time.monotonic() < until:  # noqa: ASYNC110 - the desks' own state
        await asyncio.sleep(0.5)
    await asyncio.sleep(2.5)


async def close_team(team: Team) -> None:
    await asyncio.gather(*(d.close() for d in team.desks), return_exceptions=True)
    if team.supervisor is not None:
        await team.supervisor.close()


async def run(args: argparse.Namespace, work: Path, logs: CountingHandler) -> list[str]:
    roles = team_roles(args.staff)
    t = time.perf_counter()
    phones = await seed_db(
        f"sqlite+aiosqlite:///{work / 'bench.sqlite3'}", args.insured, args.seed, roles
    )
    (work / "phones.txt").write_text("\n".join(phones), encoding="utf-8")
    print(
        f"seeded {args.insured:,} insured ({len(phones):,} phones) and {len(roles)} staff "
        f"in {time.perf_counter() - t:.1f} s",
        flush=True,
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDCONSOLE_")}
    hub_log = work / "hub.log"
    hub = spawn(hub_command(work, port, None), hub_log, env)
    how = Behaviour(
        talk_s=args.talk, doctor_s=args.doctor_talk, transfer_share=args.transfer, video=args.video
    )
    lag = LagMonitor()
    lag.start()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        team = Team(base, http, how, args.seed)
        sampler = Sampler(hub.pid, args.sample)
        try:
            await wait_ready(http, f"{base}/healthz", hub, hub_log)
            sampler.start()
            idle = await staff_in(team, roles, args.idle)
            peak_before = peak_rss_mib(hub.pid)
            pat = await run_stream(args, work, base, team, sampler)
            await settle(team)
            sampler.take()
            peak = peak_rss_mib(hub.pid)
            return report(
                Run(args, team, pat, sampler, lag, idle, logs.counts, hub_log, peak, peak_before)
            )
        finally:
            sampler.stop()
            lag.stop()
            await close_team(team)
            await stop_async(hub)


def video_format(text: str) -> tuple[int, int, float]:
    """``160x120@5`` -> (160, 120, 5.0)."""
    size, _, fps = text.partition("@")
    width, _, height = size.partition("x")
    try:
        return int(width), int(height), float(fps or 15)
    except ValueError:
        raise argparse.ArgumentTypeError("--video WIDTHxHEIGHT@FPS, e.g. 160x120@5") from None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, default=10.0, help="how long patients arrive")
    ap.add_argument("--rate", type=float, default=10.0, help="patients a minute (10 = 600/h)")
    ap.add_argument(
        "--staff",
        type=int,
        default=20,
        help="consoles: supervisor, doctors, the rest medconsultants",
    )
    ap.add_argument("--seed", type=int, default=1, help="the registry, the patients, the staff")
    ap.add_argument("--talk", type=float, default=50.0, help="medconsultant's mean talk, s")
    ap.add_argument("--doctor-talk", type=float, default=90.0, help="duty doctor's mean, s")
    ap.add_argument("--transfer", type=float, default=0.3, help="share transferred to a doctor")
    ap.add_argument("--abandon", type=float, default=0.2, help="patients who would hang up waiting")
    ap.add_argument(
        "--video",
        type=video_format,
        default=(160, 120, 5.0),
        help="the calls' video, both ways: WxH@FPS (default 160x120@5; the simulator's 320x240@15)",
    )
    ap.add_argument("--insured", type=int, default=3000, help="people in the seeded registry")
    ap.add_argument("--idle", type=float, default=20.0, help="seconds of the idle floor")
    ap.add_argument("--drain", type=float, default=600.0, help="at most this long to finish, s")
    ap.add_argument("--sample", type=float, default=2.0, help="CPU/RSS sampling interval, s")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (db, logs)")
    ap.add_argument("--patients-process", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.patients_process is not None:
        patients_process(args.patients_process)
        return
    raise_open_files(4096)
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    logs = setup_logging(work / "bench.log")
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    t = time.perf_counter()
    lines = run_in(work, run(args, work, logs), keep=args.keep)
    commit = hub_commit()
    roles = Counter(role for _, role, _ in team_roles(args.staff))
    width, height, fps = args.video
    head = [
        f"load: {args.rate * 60:,.0f} contacts/h ({args.rate:g}/min Poisson, seed {args.seed}) "
        f"for {args.minutes:g} min on one hub (own process, SQLite) at {commit}; {args.staff} "
        "consoles: "
        f"{roles['operator']} medconsultants, {roles['doctor']} duty doctors, "
        f"{roles['supervisor']} supervisor; {os.cpu_count()} cores, load average "
        f"{' '.join(load_before)} before; run took {time.perf_counter() - t:.0f} s",
        f"media: real aiortc calls (offer/answer/ICE via the hub, DTLS-SRTP on 127.0.0.1), tone "
        f"both ways, video {width}x{height}@{fps:g} both ways (--video); talk means: "
        f"medconsultant {args.talk:g} s, doctor {args.doctor_talk:g} s; transfer share "
        f"{args.transfer:g}; abandon share {args.abandon:g}",
    ]
    print("\n".join(["", "summary:", *head, *lines]))


if __name__ == "__main__":
    main()

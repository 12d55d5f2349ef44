"""The patient simulator: insured people calling the call center, for the demo and load tests.

Patients arrive as a Poisson stream (``rate_per_min``) until ``patients`` have
come (or for ever). Each is a :class:`~console.calls.patient.PatientClient`
on the hub's real patient protocol with a real aiortc peer: they sign in with
their phone and the SMS code, choose whom the contact is for (themselves, or a
child their phone reaches), start a video, audio or chat contact, write why
they call, confirm the consents when asked, answer the staff's chat, sometimes
send a photo, accept a video call raised from chat, and leave when the staff
member ends the contact. A share of them (``Mix.abandon_share``) hang up while
they wait.

Everything a patient decides is drawn from a random generator seeded with
``seed`` and the patient's number, and the arrival times from one seeded with
``seed``: the same arguments give the same stream (:meth:`Simulator.plan`).

The phones come from the caller (phones of the seeded registry; see
``medconsole simulate``), the login codes from the hub's SMS outbox file
(:class:`~console.calls.patient.SmsOutbox`): a hub that sends its codes through
a real SMS gateway cannot be simulated against.

Log lines name patients by number and contacts by id; never a phone, a name or
what anyone wrote.
"""

from __future__ import annotations

import asyncio
import logging
import random
import struct
import zlib
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import aiohttp

from console.calls.patient import PatientClient, PatientError, VideoFormat

if TYPE_CHECKING:
    import ssl as ssl_module
    from collections.abc import Callable, Iterable, Iterator

    from console.calls.ice import CallConfig
    from console.calls.patient import CodeSource

log = logging.getLogger(__name__)

#: nobody stays in one contact longer than this (a forgotten console, a hub gone quiet)
MAX_VISIT_S = 4 * 3600.0
#: how many phones a patient tries when theirs is busy or was sent a code a moment ago
PHONE_TRIES = 5

ADULT_REASONS = (
    "Здравствуйте! Температура 38,7 со вчерашнего вечера, ломит всё тело.",
    "Болит горло, трудно глотать, третий день.",
    "Давление 160 на 100, сильно болит голова.",
    "Сухой кашель уже неделю, по ночам хуже.",
    "Появилась сыпь на руках, чешется.",
    "Болит живот после еды, подташнивает.",
    "Кружится голова и слабость с утра.",
)
CHILD_REASONS = (
    "Здравствуйте! У ребёнка температура 38,5, капризничает, плохо ест.",
    "Ребёнок кашляет ночью, днём вроде бы ничего.",
    "У ребёнка сыпь на щеках и на животе.",
    "Ребёнок жалуется на боль в ухе.",
)
APPOINTMENT_REASONS = (
    "Здравствуйте! Хочу записаться к кардиологу на плановый приём.",
    "Нужна консультация невролога, можно записаться на этой неделе?",
    "Запишите, пожалуйста, на повторную консультацию, анализы готовы.",
)
REPLIES = (
    "Да, понятно.",
    "Началось позавчера.",
    "Нет, лекарств пока не принимали.",
    "Других жалоб нет.",
    "Хорошо, спасибо!",
    "Да, удобно.",
)
GREETINGS = ("Здравствуйте, вы меня слышите?", "Добрый день!", "Алло, здравствуйте.")


@dataclass(frozen=True)
class Mix:
    """Who calls and how they behave. The defaults are an ordinary working day."""

    #: channel and its share of arrivals
    channels: tuple[tuple[str, float], ...] = (("video", 0.45), ("audio", 0.2), ("chat", 0.35))
    #: of callers whose phone also reaches children, how many call for a child
    child_share: float = 0.5
    #: how many want a scheduled consultation rather than help now (they say so in chat)
    appointment_share: float = 0.25
    #: how many hang up while they wait, after their patience runs out
    abandon_share: float = 0.2
    #: the mean patience of those who hang up (exponentially distributed), seconds
    patience_s: float = 45.0
    #: nobody waits longer than this, seconds
    max_wait_s: float = 1800.0
    #: how many send a photo once someone has taken the contact
    image_share: float = 0.3
    #: mean time to read, type or decide, seconds
    think_s: float = 2.0
    #: answers to the staff's chat messages, at most, per contact
    max_replies: int = 3
    #: the patient's camera: small, so that many calls fit on one machine
    video: VideoFormat = (320, 240, 15.0)


@dataclass(frozen=True)
class Visit:
    """What one patient will do, drawn before they arrive."""

    index: int
    pick: float  # where in the phone pool their phone is, 0..1
    channel: str
    for_child: bool  # if their phone reaches a child
    appointment: bool
    abandons: bool
    patience_s: float
    sends_image: bool
    seed: int  # their own choices during the visit


@dataclass
class SimStats:
    """Counts of what the patients did (no personal data: this is what the demo prints)."""

    arrived: int = 0
    signed_in: int = 0
    waiting: int = 0  # now
    served: int = 0  # someone took the contact
    abandoned: int = 0  # hung up while waiting
    ended: int = 0  # the contact ended (by the staff, or by the hub)
    failed: int = 0
    consents: int = 0
    chat_lines: int = 0
    images: int = 0
    calls_accepted: int = 0

    @property
    def finished(self) -> int:
        return self.abandoned + self.ended + self.failed

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def line(self) -> str:
        return (
            f"{self.arrived} arrived, {self.waiting} waiting, {self.served} served, "
            f"{self.abandoned} hung up waiting, {self.ended} ended, {self.failed} failed; "
            f"{self.consents} consents, {self.chat_lines} chat lines, {self.images} photos, "
            f"{self.calls_accepted} calls accepted"
        )


def snapshot_png(rng: random.Random, width: int = 160, height: int = 120) -> bytes:
    """A small photo of a rash, as a PNG: skin tones and a red spot somewhere."""
    import numpy as np

    y, x = np.mgrid[0:height, 0:width]
    img = np.empty((height, width, 3), np.uint8)
    img[..., 0] = 200 + x * 40 // width
    img[..., 1] = 150 + y * 40 // height
    img[..., 2] = 130
    cx, cy, r = rng.randrange(width), rng.randrange(height), rng.randint(8, 20)
    img[(x - cx) ** 2 + (y - cy) ** 2 < r * r] = (190, 40, 60)
    raw = b"".join(b"\x00" + img[row].tobytes() for row in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _describe(exc: BaseException) -> str:
    """An exception for a log line: our codes, or the type (messages may quote input)."""
    if isinstance(exc, PatientError):
        return exc.code
    return type(exc).__name__


class SimulatedPatient(PatientClient):
    """One :class:`Visit`: a patient who thinks before each step."""

    def __init__(self, sim: Simulator, visit: Visit, phone: str) -> None:
        super().__init__(
            sim.hub_url,
            phone,
            session=sim.session,
            codes=sim.codes,
            config=sim.config,
            video=sim.mix.video,
            ssl=sim.ssl,
        )
        self.visit = visit
        self.mix = sim.mix
        self.stats = sim.stats
        self.rng = random.Random(visit.seed)
        self.replies = 0
        self.child = False

    def __repr__(self) -> str:
        return f"<SimulatedPatient {self.visit.index} contact={self.contact_id}>"

    def think(self) -> float:
        return self.mix.think_s * self.rng.uniform(0.5, 1.5)

    # ------------------------------------------------------------ reactions

    async def on_consent_request(self, msg: dict[str, Any]) -> None:
        self.spawn(self._consent(msg["kind"], msg["text_version"]))

    async def _consent(self, kind: str, version: str) -> None:
        await asyncio.sleep(self.think())  # reads the text
        await self.confirm_consent(kind, version)
        self.stats.consents += 1

    async def on_chat(self, message: dict[str, Any]) -> None:
        if message.get("author") == "staff" and self.replies < self.mix.max_replies:
            self.replies += 1
            self.spawn(self._reply())

    async def _reply(self) -> None:
        await asyncio.sleep(self.think())
        if self.ended is None:
            await self.say(self.rng.choice(REPLIES))
            self.stats.chat_lines += 1

    async def on_call_request(self, msg: dict[str, Any]) -> None:
        self.spawn(self._accept_call())

    async def _accept_call(self) -> None:
        await asyncio.sleep(self.think() / 2)
        await self.answer_call(True)
        self.stats.calls_accepted += 1

    # ------------------------------------------------------------ the visit

    def _whom(self) -> int | None:
        persons = self.welcome.get("persons") or []
        children = [p for p in persons if p.get("relation") == "represented"]
        selves = [p for p in persons if p.get("relation") != "represented"]
        if children and (self.visit.for_child or not selves):
            chosen = children[self.rng.randrange(len(children))]
        elif selves:
            chosen = selves[self.rng.randrange(len(selves))]
        else:
            return None
        self.child = int(chosen.get("age", 18)) < 18
        return int(chosen["person_id"])

    def _opening(self) -> str:
        if self.visit.appointment:
            return self.rng.choice(APPOINTMENT_REASONS)
        return self.rng.choice(CHILD_REASONS if self.child else ADULT_REASONS)

    async def _close_stale(self) -> None:
        """A contact of this phone is still open (a hub restart, an earlier run): end it."""
        log.info("patient %d: ending contact %s left open", self.visit.index, self.contact_id)
        await self.hang_up()
        await self.wait_for(lambda: self.ended is not None, 10)
        self.contact_id = None

    async def run(self) -> str:
        """Start a contact, wait, be served or hang up, and leave when it ends.

        The patient is signed in. Returns ``"abandoned"`` (hung up waiting),
        ``"ended"`` (served, then ended) or ``"closed"`` (closed by the hub while
        waiting); raises :class:`PatientError` if the hub refuses or goes away.
        """
        v, stats = self.visit, self.stats
        if self.welcome.get("contact_id"):
            await self._close_stale()
        await self.start(v.channel, self._whom())
        log.info(
            "patient %d: contact %s waiting (%s%s)",
            v.index,
            self.contact_id,
            v.channel,
            ", appointment" if v.appointment else "",
        )
        opening = self._opening()
        stats.waiting += 1
        try:
            if v.channel == "chat":  # chat callers write at once why they call
                await asyncio.sleep(self.think())
                await self.say(opening)
                stats.chat_lines += 1
            patience = min(v.patience_s, self.mix.max_wait_s) if v.abandons else None
            await self.wait_for(
                lambda: self.legs or self.ended is not None,
                patience if patience is not None else self.mix.max_wait_s,
            )
        finally:
            stats.waiting -= 1
        if not self.legs:
            if self.ended is not None:
                log.info("contact %s closed while waiting", self.contact_id)
                return "closed"
            if self.closed:
                raise PatientError("connection_lost", "the hub closed")
            await self.hang_up()
            log.info("contact %s: hung up waiting", self.contact_id)
            await self.wait_for(lambda: self.ended is not None, 10)
            return "abandoned"
        stats.served += 1
        log.info("contact %s: taken by %s", self.contact_id, self.legs[0].get("staff_role"))
        if v.channel != "chat":
            await asyncio.sleep(self.think())
            await self.say(opening if v.appointment else self.rng.choice(GREETINGS))
            stats.chat_lines += 1
        if v.sends_image and self.ended is None:
            await asyncio.sleep(self.think())
            await self.send_file(snapshot_png(self.rng), "фото.png")
            stats.images += 1
        await self.wait_for(lambda: self.ended is not None, MAX_VISIT_S)
        if self.ended is None:
            raise PatientError("connection_lost" if self.closed else "too_long")
        log.info("contact %s ended (%s)", self.contact_id, self.ended.get("outcome"))
        return "ended"


class Simulator:
    """A stream of :class:`SimulatedPatient` on the hub at ``hub_url``.

    ``phones``: the callers' phones (the registry's); ``codes``: where login
    codes come from (an :class:`~console.calls.patient.SmsOutbox`). ``initial``
    patients arrive at once (a queue already waiting when the demo opens), the
    rest ``rate_per_min`` a minute on average; ``patients`` in all (``None``:
    until :meth:`close`). ``config``: the patients' ICE settings (or a function
    making them when a patient's first call opens).
    """

    #: what each patient is made as (a subclass can record what its patients see)
    patient_class: type[SimulatedPatient] = SimulatedPatient

    def __init__(
        self,
        hub_url: str,
        phones: Iterable[str],
        codes: CodeSource,
        *,
        rate_per_min: float,
        patients: int | None = None,
        seed: int = 1,
        initial: int = 0,
        mix: Mix | None = None,
        config: CallConfig | Callable[[], CallConfig] | None = None,
        ssl: ssl_module.SSLContext | bool = True,
    ) -> None:
        if rate_per_min <= 0:
            raise ValueError("rate_per_min must be positive")
        if patients is not None and patients < 0:
            raise ValueError("patients must not be negative")
        self.hub_url = hub_url.rstrip("/")
        self.phones: list[str] = list(dict.fromkeys(phones))
        if not self.phones:
            raise ValueError("no phones to call from")
        self.codes = codes
        self.rate_per_min = rate_per_min
        self.patients = patients
        self.seed = seed
        self.initial = initial if patients is None else min(initial, patients)
        self.mix = mix or Mix()
        self.config = config
        self.ssl = ssl
        self.stats = SimStats()
        self.active: dict[int, SimulatedPatient] = {}
        self.outcomes: dict[int, str] = {}  # patient -> abandoned, ended, closed or failed
        self._session: aiohttp.ClientSession | None = None
        self._visits: set[asyncio.Task[None]] = set()
        self._busy: set[str] = set()
        self._tokens: dict[str, str] = {}  # phone -> a patient session the hub still knows
        self._closed = False

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            # every waiting patient holds a WebSocket: no cap on connections
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        return self._session

    def add_phones(self, phones: Iterable[str]) -> None:
        """More callers (the demo's registry, once it is all seeded)."""
        known = set(self.phones)
        self.phones.extend(p for p in dict.fromkeys(phones) if p not in known)

    # ------------------------------------------------------------ the plan

    def plan(self, index: int) -> Visit:
        """What patient ``index`` will do: the same for the same seed, whenever they come."""
        rng = random.Random(f"{self.seed}:patient:{index}")
        mix = self.mix
        names = [name for name, _ in mix.channels]
        weights = [share for _, share in mix.channels]
        return Visit(
            index=index,
            pick=rng.random(),
            channel=rng.choices(names, weights)[0],
            for_child=rng.random() < mix.child_share,
            appointment=rng.random() < mix.appointment_share,
            abandons=rng.random() < mix.abandon_share,
            patience_s=max(min(3.0, mix.patience_s), rng.expovariate(1.0 / mix.patience_s)),
            sends_image=rng.random() < mix.image_share,
            seed=rng.getrandbits(32),
        )

    def arrival_gaps(self) -> Iterator[float]:
        """Seconds between arrivals: exponential, ``60 / rate_per_min`` on average."""
        rng = random.Random(f"{self.seed}:arrivals")
        while True:
            yield rng.expovariate(self.rate_per_min / 60.0)

    def _take_phone(self, visit: Visit, tried: set[str]) -> str | None:
        """The visit's phone, or (busy, or tried already) another drawn for it."""
        rng = random.Random(visit.seed ^ 0x5EED)
        at = int(visit.pick * len(self.phones))
        for _ in range(50):
            phone = self.phones[at % len(self.phones)]
            if phone not in self._busy and phone not in tried:
                self._busy.add(phone)
                tried.add(phone)
                return phone
            at = rng.randrange(len(self.phones))
        return None

    # ------------------------------------------------------------ running

    async def run(self) -> SimStats:
        """Let the patients come and go; returns when every one of them has left."""
        gaps = self.arrival_gaps()
        try:
            index = 0
            while self.patients is None or index < self.patients:
                if index >= self.initial:
                    await asyncio.sleep(next(gaps))
                if self._closed:
                    break
                task = asyncio.create_task(self._visit(self.plan(index)), name=f"patient-{index}")
                self._visits.add(task)
                task.add_done_callback(self._visits.discard)
                index += 1
            while self._visits:
                await asyncio.gather(*list(self._visits), return_exceptions=True)
        finally:
            await self.close()
        return self.stats

    async def _visit(self, visit: Visit) -> None:
        self.stats.arrived += 1
        tried: set[str] = set()
        for _ in range(PHONE_TRIES):
            phone = self._take_phone(visit, tried)
            if phone is None:
                break
            patient = self.patient_class(self, visit, phone)
            self.active[visit.index] = patient
            try:
                try:
                    await patient.sign_in(self._tokens.get(phone))
                except PatientError as exc:
                    if exc.code in ("too_soon", "unknown_phone"):
                        continue  # another phone of the registry
                    raise
                self.stats.signed_in += 1
                self._tokens[phone] = patient.token
                outcome = await patient.run()
                self.outcomes[visit.index] = outcome
                if outcome == "abandoned":
                    self.stats.abandoned += 1
                else:
                    self.stats.ended += 1
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.outcomes[visit.index] = "failed"
                self.stats.failed += 1
                log.warning(
                    "patient %d (contact %s) failed: %s",
                    visit.index,
                    patient.contact_id,
                    _describe(exc),
                )
                return
            finally:
                self.active.pop(visit.index, None)
                self._busy.discard(phone)
                await patient.close()
        self.outcomes[visit.index] = "failed"
        self.stats.failed += 1
        log.warning("patient %d: no phone to call from", visit.index)

    @staticmethod
    async def _leave(patient: SimulatedPatient) -> None:
        """Hang up and wait (a while) until the hub has ended the contact."""
        await patient.hang_up()
        await patient.wait_for(lambda: patient.ended is not None, 5)

    async def close(self) -> None:
        """Stop the arrivals; every patient still there hangs up and leaves."""
        self._closed = True
        staying = [p for p in self.active.values() if p.contact_id and p.ended is None]
        if staying:  # hung up, not lost: the hub keeps no ghost of them for a restart
            await asyncio.gather(*(self._leave(p) for p in staying), return_exceptions=True)
        visits = list(self._visits)
        for task in visits:
            task.cancel()
        await asyncio.gather(*visits, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None

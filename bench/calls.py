"""Call setup through the hub and a transfer, beside two bare aiortc peers connected directly.

    unshare -n sh -c "ip link set lo up && exec .venv/bin/python bench/calls.py [--runs 10]"

Run it as root inside a loopback-only network namespace, as the calls tests
run (``scripts/test.sh``): ICE gathers on 127.0.0.1 only
(``CallConfig.loopback()``, as the product does on such a machine), so every
packet stays on ``lo`` and no other interface adds candidates or delay.

Everything runs in this process, on one event loop: the real hub
(``console.hub.app.build`` on 127.0.0.1, SQLite in a temporary folder, the
registry and demo staff the hub tests seed), a medconsultant (``op1``) and the
duty therapist (``therapist1``) on ``console.client.StaffClient``, each leg
answered by a ``StaffCallSession`` sending a 640x480 30 fps test pattern and a
tone, and per run a new patient (``tests.views.patient.TestPatient``: SMS login,
a video contact, consents confirmed when asked, each leg offered by a
``PatientCallSession`` sending a 640x480 30 fps test pattern and a tone).

Measured per run (``--runs``, after one untimed warm-up run of each):

- ``setup``: the patient waits with a video contact, offered to ``op1``; from
  the ``accept`` command to the first decoded remote video frame on the staff
  side and on the patient side (``FrameSink.first_frame_at``), and to both;
- ``transfer``: after ``identify`` + ``select_person`` and both consents (the
  hub refuses a transfer before them), from the ``transfer`` command to
  ``duty:therapist`` to the doctor's first decoded frame (the doctor accepts
  the offer as soon as it arrives, the patient opens a new leg, the doctor
  answers), and to the patient's first frame from the doctor;
- ``bare`` (the baseline, in the same run, interleaved with the hub runs): two
  ``RTCPeerConnection`` in this process with the same tracks (a 640x480 30 fps
  test pattern and a tone each way), gathering on 127.0.0.1 only, offer and
  answer handed over directly; from ``createOffer`` to the first decoded
  frame on each side, and to both.

Prints p50 / p95 / max of each, and the ratio setup / bare (both sides, p50
and p95); the target is a ratio under 1.5.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from collections.abc import Callable

    from console.calls.session import StaffCallSession
    from console.client import StaffClient
    from tests.hub.conftest import HubUnderTest

PASSWORD = "medconsole"  # the demo staff's (console.cli.seed_staff)
TARGET = 1.5
TIMEOUT = 30.0
OPERATOR = (40, 200, 40)
DOCTOR = (40, 60, 220)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] if xs else float("nan")


async def until(pred: Callable[[], object]) -> None:
    """Wait until ``pred()`` holds, polling each millisecond (TimeoutError after TIMEOUT).

    No figure depends on the polling: frame times are the sinks' own
    ``first_frame_at``.
    """
    async with asyncio.timeout(TIMEOUT):
        while not pred():  # noqa: ASYNC110 - polling state that has no event of its own
            await asyncio.sleep(0.001)


class Desk:
    """A staff member on ``StaffClient`` who answers every offered leg with synthetic media."""

    def __init__(self, client: StaffClient, marker: tuple[int, int, int]) -> None:
        from console.protocol import messages as m

        self.client = client
        self.marker = marker
        self.calls: dict[str, StaffCallSession] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        client.on(m.SignalMsg, self._on_signal)

    def _on_signal(self, msg: Any) -> None:
        task = asyncio.ensure_future(self._handle(msg.contact_id, msg.signal))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _handle(self, cid: str, signal: Any) -> None:
        from console.calls.ice import CallConfig
        from console.calls.media import TestPatternTrack, ToneTrack
        from console.calls.session import StaffCallSession

        if signal.kind == "offer":
            if (old := self.calls.pop(cid, None)) is not None:
                await self.hang_up_session(old)

            async def send(s: Any) -> None:
                await self.client.signal(cid, s)

            self.calls[cid] = StaffCallSession(
                signal.leg,
                send,
                audio=ToneTrack(hz=660),
                video=TestPatternTrack(marker=self.marker),
                config=CallConfig.loopback(),
            )
        call = self.calls.get(cid)
        if call is not None and call.leg == signal.leg:
            await call.handle(signal)

    async def session(self, cid: str) -> StaffCallSession:
        await until(lambda: cid in self.calls)
        return self.calls[cid]

    @staticmethod
    async def hang_up_session(call: StaffCallSession) -> None:
        await call.close()
        for track in (call.local_audio, call.local_video):
            if track is not None:
                track.stop()

    async def hang_up(self, cid: str) -> None:
        if (call := self.calls.pop(cid, None)) is not None:
            await self.hang_up_session(call)

    async def ready(self, cid: str) -> None:
        """Finish ``cid``'s wrap-up (if any) and be available again."""
        from console.client import HubCommandError

        await self.hang_up(cid)
        with contextlib.suppress(HubCommandError):
            if cid in self.client.contacts:
                await self.client.wrapup_done(cid, "completed", "")
        if self.client.state != "available":
            await self.client.set_state("available")


async def first_frame(call: Any) -> float:
    """``time.monotonic()`` of the first decoded frame of ``call``'s remote video."""
    sink = await call.wait_remote_frames(1, timeout=TIMEOUT)
    assert sink.first_frame_at is not None
    return float(sink.first_frame_at)


async def patient_call(patient: Any) -> Any:
    await until(lambda: patient.call is not None and patient.call.remote_video is not None)
    return patient.call


async def hub_run(h: HubUnderTest, op: Desk, doc: Desk, person: Any) -> dict[str, float]:
    from console.protocol import messages as m
    from tests.views.patient import TestPatient

    out: dict[str, float] = {}
    offered = op.client.expect(m.OfferMsg)
    patient = TestPatient(h, person.phone)
    try:
        await patient.sign_in()
        await patient.start("video")
        offer = await asyncio.wait_for(offered, TIMEOUT)
        cid = offer.contact.id

        # (1) call setup: accept -> first remote frame on both sides
        t0 = time.monotonic()
        await op.client.accept(cid)
        staff_at, patient_at = await asyncio.gather(
            first_frame(await op.session(cid)),
            first_frame(await patient_call(patient)),
        )
        out["setup staff"] = staff_at - t0
        out["setup patient"] = patient_at - t0
        out["setup both"] = max(staff_at, patient_at) - t0

        # identify, then both consents: what the hub requires before a transfer
        found = await op.client.identify(cid, policy_number=person.policy.number)
        await op.client.select_person(cid, found.matches[0].person_id)
        for kind in ("personal_data", "remote_consultation"):
            await op.client.send_consent(cid, kind)  # type: ignore[arg-type]
        await until(lambda: all(c.state == "confirmed" for c in op.client.contacts[cid].consents))

        # (2) transfer: the command -> the doctor decodes its first frame
        ring = doc.client.expect(m.OfferMsg)
        t0 = time.monotonic()
        await op.client.transfer(cid, "duty:therapist")
        await asyncio.wait_for(ring, TIMEOUT)
        await doc.client.accept(cid)
        doctor_at = await first_frame(await doc.session(cid))
        out["transfer doctor"] = doctor_at - t0
        await until(lambda: patient.call.leg == doc.calls[cid].leg)
        out["transfer patient"] = await first_frame(await patient_call(patient)) - t0

        await op.hang_up(cid)
        await patient.hang_up()
        await patient.wait_for(lambda: patient.ended is not None, timeout=TIMEOUT)
        await op.ready(cid)
        await doc.ready(cid)
    finally:
        await patient.close()
    return out


async def bare_run() -> dict[str, float]:
    """Two bare peers, offer and answer handed over directly."""
    from aiortc import RTCPeerConnection

    from console.calls.ice import CallConfig, gathering
    from console.calls.media import FrameSink, TestPatternTrack, ToneTrack

    config = CallConfig.loopback()
    pcs = [RTCPeerConnection(config.rtc_configuration()) for _ in range(2)]
    sinks: list[list[FrameSink]] = [[], []]
    tracks: list[Any] = []
    for i, (pc, marker) in enumerate(zip(pcs, ((220, 40, 40), OPERATOR), strict=True)):

        def on_track(track: Any, i: int = i) -> None:
            sink = FrameSink(track)
            sink.start()
            sinks[i].append(sink)

        pc.on("track", on_track)
        for track in (ToneTrack(hz=440 + 220 * i), TestPatternTrack(marker=marker)):
            tracks.append(track)
            pc.addTrack(track)

    async def first(i: int) -> float:
        await until(lambda: any(s.kind == "video" for s in sinks[i]))
        video = [s for s in sinks[i] if s.kind == "video"]
        await video[0].wait_frames(1, timeout=TIMEOUT)
        assert video[0].first_frame_at is not None
        return video[0].first_frame_at

    a, b = pcs
    try:
        t0 = time.monotonic()
        offer = await a.createOffer()
        with gathering(config):
            await a.setLocalDescription(offer)
        await b.setRemoteDescription(a.localDescription)
        answer = await b.createAnswer()
        with gathering(config):
            await b.setLocalDescription(answer)
        await a.setRemoteDescription(b.localDescription)
        offerer_at, answerer_at = await asyncio.gather(first(0), first(1))
    finally:
        for pc in pcs:
            await pc.close()
        await asyncio.gather(*(s.stop() for side in sinks for s in side))
        for track in tracks:
            track.stop()
    return {
        "bare answerer": answerer_at - t0,
        "bare offerer": offerer_at - t0,
        "bare both": max(offerer_at, answerer_at) - t0,
    }


async def main(args: argparse.Namespace) -> None:
    import aiohttp
    from aiohttp.test_utils import TestServer

    from console.client import StaffClient
    from console.hub.app import build
    from console.identity.routing import age_on
    from console.settings import Settings
    from tests.conftest import TODAY
    from tests.hub.conftest import HubUnderTest, seed_db

    work = Path(tempfile.mkdtemp(prefix="bench-calls-"))
    url = f"sqlite+aiosqlite:///{work / 'hub.sqlite3'}"
    people = await seed_db(url, n=max(60, 8 * (args.runs + 1)))
    parents = {p.representative_policy for p in people if p.representative_policy}
    adults = [
        p
        for p in people
        if p.phone
        and p.policy.number not in parents
        and not p.representative_policy
        and age_on(p.birth_date, TODAY) >= 18
        and p.policy.valid_from <= TODAY <= p.policy.valid_to
    ]
    phones: set[str] = set()
    adults = [p for p in adults if not (p.phone in phones or phones.add(p.phone))]
    if len(adults) < args.runs + 1:
        raise SystemExit(f"only {len(adults)} adults with a phone of their own for the runs")

    settings = Settings(data_dir=work, database_url=url, sms_outbox=work / "sms.jsonl")
    app, hub = await build(settings)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    results: dict[str, list[float]] = {}
    clients: list[StaffClient] = []
    try:
        async with aiohttp.ClientSession() as session:
            base = str(server.make_url("")).rstrip("/")
            h = HubUnderTest(base, hub, settings, settings.outbox_path(), session, people)
            desks = []
            for login, marker in (("op1", OPERATOR), ("therapist1", DOCTOR)):
                client = StaffClient(base, session=session)
                clients.append(client)
                await client.login(login, PASSWORD)
                await client.connect()
                await client.set_state("available")
                desks.append(Desk(client, marker))
            op, doc = desks
            for run in range(args.runs + 1):
                figures = {**await bare_run(), **await hub_run(h, op, doc, adults[run])}
                if run == 0:
                    print("warm-up run done (not counted)", flush=True)
                    continue
                for key, value in figures.items():
                    results.setdefault(key, []).append(value)
                print(
                    f"  run {run}/{args.runs}: setup {figures['setup both'] * 1000:.0f} ms,"
                    f" bare {figures['bare both'] * 1000:.0f} ms,"
                    f" transfer {figures['transfer doctor'] * 1000:.0f} ms",
                    flush=True,
                )
            for desk in desks:
                await asyncio.gather(*desk.tasks, return_exceptions=True)
                for cid in list(desk.calls):
                    await desk.hang_up(cid)
    finally:
        for client in clients:
            await client.close()
        await server.close()
        shutil.rmtree(work, ignore_errors=True)

    report(results, args.runs)


def report(results: dict[str, list[float]], runs: int) -> None:
    print(f"\n{runs} runs, ms      p50     p95     max")
    for key, xs in results.items():
        print(f"{key:<18}{pct(xs, 0.5) * 1e3:7.0f} {pct(xs, 0.95) * 1e3:7.0f} {max(xs) * 1e3:7.0f}")
    print()
    verdicts = []
    for p, name in ((0.5, "p50"), (0.95, "p95")):
        ratio = pct(results["setup both"], p) / pct(results["bare both"], p)
        verdicts.append(ratio < TARGET)
        print(f"setup / bare (both sides), {name}: {ratio:.2f}  (target < {TARGET})")
    for side, bare in (("staff", "answerer"), ("patient", "offerer")):
        ratio = pct(results[f"setup {side}"], 0.5) / pct(results[f"bare {bare}"], 0.5)
        print(f"setup {side} / bare {bare}, p50: {ratio:.2f}")
    print("target met" if all(verdicts) else "target NOT met")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--verbose", action="store_true", help="log warnings of the libraries")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING if args.verbose else logging.ERROR)
    asyncio.run(main(args))

"""A fake hub relay, colours and waiting helpers for the calls tests."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from console.protocol.messages import (
    PatientSignal,
    Signal,
    SignalMsg,
    StaffSignal,
    dump,
    parse_from_hub_patient,
    parse_from_hub_staff,
    parse_patient,
    parse_staff,
)

if TYPE_CHECKING:
    from console.calls.session import Media, PatientCallSession, StaffCallSession

TIMEOUT = 10.0
CONTACT = "c-1"

PATIENT = (220, 40, 40)
OPERATOR = (40, 200, 40)
DOCTOR = (40, 60, 220)


class FakeRelay:
    """What the hub does with ``signal`` frames, minus the sockets: two queues.

    Every signal goes through the wire models and JSON both ways (patient ->
    hub -> staff and back), as it would through the real hub.
    """

    def __init__(self) -> None:
        self.to_staff: asyncio.Queue[Signal] = asyncio.Queue()
        self.to_patient: asyncio.Queue[Signal] = asyncio.Queue()
        self.sent: list[Signal] = []

    async def from_patient(self, signal: Signal) -> None:
        self.sent.append(signal)
        command = parse_patient(dump(PatientSignal(type="signal", signal=signal)))
        assert isinstance(command, PatientSignal)
        relayed = parse_from_hub_staff(dump(SignalMsg(contact_id=CONTACT, signal=command.signal)))
        assert isinstance(relayed, SignalMsg)
        await self.to_staff.put(relayed.signal)

    async def from_staff(self, signal: Signal) -> None:
        self.sent.append(signal)
        command = parse_staff(dump(StaffSignal(type="signal", contact_id=CONTACT, signal=signal)))
        assert isinstance(command, StaffSignal)
        relayed = parse_from_hub_patient(dump(SignalMsg(contact_id=CONTACT, signal=command.signal)))
        assert isinstance(relayed, SignalMsg)
        await self.to_patient.put(relayed.signal)

    async def for_staff(self) -> Signal:
        async with asyncio.timeout(TIMEOUT):
            return await self.to_staff.get()

    async def for_patient(self) -> Signal:
        async with asyncio.timeout(TIMEOUT):
            return await self.to_patient.get()


async def connect(
    relay: FakeRelay,
    patient: PatientCallSession,
    staff: StaffCallSession,
    media: Media = "video",
) -> None:
    """One leg's signaling: the patient offers, the staff side answers."""
    assert staff.leg is not None
    await patient.open(staff.leg, media)
    await staff.handle(await relay.for_staff())
    await patient.handle(await relay.for_patient())


async def other_tasks(settle: float = 3.0) -> set[asyncio.Task[object]]:
    """The tasks still pending besides the current one, after letting them finish.

    Polls until none is left or ``settle`` seconds pass (closing a peer
    connection lets aiortc's tasks unwind over a few loop iterations).
    """
    current = asyncio.current_task()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + settle
    while True:
        pending = {t for t in asyncio.all_tasks() if t is not current and not t.done()}
        if not pending or loop.time() >= deadline:
            return pending
        await asyncio.sleep(0.02)

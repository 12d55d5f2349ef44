"""A patient for the console's tests: :class:`console.calls.patient.PatientClient` on a test hub.

It signs in by SMS code (read back from the test hub's outbox file), starts a
contact, confirms consents when asked, chats, uploads files, and answers every
leg it is told to open with a :class:`~console.calls.session.PatientCallSession`
sending a full-size test pattern of its marker colour and a tone, so the
console's pixels can be checked. ICE offers 127.0.0.1 only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from console.calls.ice import CallConfig
from console.calls.patient import PatientClient, SmsOutbox

if TYPE_CHECKING:
    from tests.hub.conftest import HubUnderTest

PATIENT_MARKER = (40, 200, 60)


class Frames:
    """Every frame the hub sent the patient, in order (``pat.ws.seen``)."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []


class TestPatient(PatientClient):
    __test__ = False  # not a test class

    def __init__(self, hub: HubUnderTest, phone: str, *, auto_consent: bool = True) -> None:
        super().__init__(
            hub.base,
            phone,
            session=hub.session,
            codes=SmsOutbox(hub.outbox),
            config=CallConfig.loopback(),
            marker=PATIENT_MARKER,
            auto_consent=auto_consent,
        )
        self.hub = hub
        self.ws = Frames()

    async def _dispatch(self, msg: dict[str, Any]) -> None:
        self.ws.seen.append(msg)
        await super()._dispatch(msg)

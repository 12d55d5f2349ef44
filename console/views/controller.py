"""The console's link between the staff client, the call media and the Qt widgets.

:class:`ConsoleController` owns one :class:`~console.client.StaffClient`, the
local camera and microphone (:class:`~console.calls.devices.LocalMedia`) and the
call sessions of the contacts this person holds. It turns the client's events
into Qt signals (all on the GUI thread: qasync runs the asyncio loop there) and
runs the widgets' commands as tasks on that loop, so nothing that waits on the
network or the disk blocks the window. A command that fails becomes a
``failed`` signal with a message for the user; it never raises into Qt.

Calls: when the patient's offer arrives for a leg of a held contact, the
controller answers it with a :class:`~console.calls.session.StaffCallSession`
fed by the local media's gated tracks (so mute and hold need no renegotiation)
and announces the remote tracks; the session closes when the leg changes, the
contact ends (wrap-up keeps the leg, not the call) or it leaves this console.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from console.calls.errors import CallError
from console.calls.session import StaffCallSession
from console.client import (
    ConnectionEvent,
    HttpError,
    HubCommandError,
    HubUnreachableError,
    StaffClient,
    StaffClientError,
)
from console.views.resources import QT_TRANSLATE_NOOP

# lupdate reads translate("Context", "English text") calls into resources/translations
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from datetime import datetime

    from console.calls.devices import LocalMedia
    from console.calls.ice import CallConfig
    from console.calls.media import FrameSink
    from console.protocol import messages as m

log = logging.getLogger(__name__)

#: contact states in which the holder has no call with the patient any more
ENDED_STATES = frozenset({"wrap_up", "closed"})


# The hub's refusals a medconsultant can meet, marked for translation; the hub
# sends English, the console shows them in its language. Others show as sent.
HUB_MESSAGES = (
    QT_TRANSLATE_NOOP("HubError", "a name needs the birth date"),
    QT_TRANSLATE_NOOP("HubError", "an empty message"),
    QT_TRANSLATE_NOOP("HubError", "no phone to look up"),
    QT_TRANSLATE_NOOP("HubError", "identify the insured before sending a consent"),
    QT_TRANSLATE_NOOP("HubError", "identify the insured before the transfer"),
    QT_TRANSLATE_NOOP("HubError", "no call was raised"),
    QT_TRANSLATE_NOOP("HubError", "no consent was asked for"),
    QT_TRANSLATE_NOOP("HubError", "not wrapping up this contact"),
    QT_TRANSLATE_NOOP("HubError", "only a connected contact can be put on hold"),
    QT_TRANSLATE_NOOP("HubError", "the contact has no caller phone to register"),
    QT_TRANSLATE_NOOP("HubError", "the policy is not valid today: services cannot be given"),
    QT_TRANSLATE_NOOP("HubError", "only a medconsultant transfers"),
    QT_TRANSLATE_NOOP("HubError", "you do not hold this contact"),
    QT_TRANSLATE_NOOP("HubError", "no such insured person"),
    QT_TRANSLATE_NOOP("HubError", "no such upload of yours"),
    QT_TRANSLATE_NOOP("HubError", "account disabled"),
    QT_TRANSLATE_NOOP("HubError", "session unknown or expired: log in again"),
)


def user_message(exc: BaseException) -> str:
    """What to tell the user about a failed command (never personal data from the input)."""
    if isinstance(exc, HubCommandError):
        # The hub's messages are English source strings; translated where known.
        return QCoreApplication.translate("HubError", exc.message)
    if isinstance(exc, HttpError):
        known = {
            "too_large": translate("ConsoleController", "The file is too large."),
            "type_not_allowed": translate("ConsoleController", "This type of file cannot be sent."),
        }
        return known.get(exc.code, QCoreApplication.translate("HubError", exc.message))
    if isinstance(exc, HubUnreachableError):
        return translate("ConsoleController", "The hub cannot be reached.")
    if isinstance(exc, StaffClientError):
        return translate("ConsoleController", "The command did not reach the hub; try again.")
    if isinstance(exc, CallError):
        return translate("ConsoleController", "The call could not be set up.")
    if isinstance(exc, OSError):
        return translate("ConsoleController", "The file could not be read.")
    return translate("ConsoleController", "Something went wrong; the details are in the log.")


class Call:
    """One answered leg: its session and when media started."""

    def __init__(self, contact_id: str, session: StaffCallSession) -> None:
        self.contact_id = contact_id
        self.session = session
        self.started = time.monotonic()
        self.remote_video: FrameSink | None = None
        self.remote_audio: FrameSink | None = None

    @property
    def leg(self) -> str:
        return self.session.leg or ""  # "" once the leg has closed


class CommandRunner(QObject):
    """Commands as tasks on the loop, for the console's controllers.

    A command that fails becomes ``failed(what, message for the user)``; it
    never raises into Qt. ``busy_changed`` says when one is in flight.
    """

    failed = Signal(str, str)  # what, message for the user
    busy_changed = Signal(bool)  # a command is in flight

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: set[asyncio.Task[Any]] = set()

    def run(
        self, what: str, coro: Awaitable[Any], done: Callable[[Any], None] | None = None
    ) -> None:
        """Run ``coro`` on the loop; ``done(result)`` on success, ``failed`` on error."""

        async def go() -> None:
            self.busy_changed.emit(True)
            try:
                result = await coro
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("%s failed: %s", what, type(exc).__name__)
                self.failed.emit(what, user_message(exc))
            else:
                if done is not None:
                    done(result)
            finally:
                self.busy_changed.emit(False)

        task = asyncio.ensure_future(go())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait_idle(self, cancel_after: float | None = None) -> None:
        """Wait until every command started so far has finished (tests, shutdown).

        With ``cancel_after`` (seconds), commands still running then are cancelled.
        """
        while self._tasks:
            pending = set(self._tasks)
            _done, late = await asyncio.wait(pending, timeout=cancel_after)
            if late:
                log.warning("%d commands still running at shutdown; cancelled", len(late))
                for task in late:
                    task.cancel()
                    self._tasks.discard(task)


class ConsoleController(CommandRunner):
    """See the module docstring. ``media`` may be ``None``: receive-only calls."""

    connection_changed = Signal(str, str)  # state, reason
    state_changed = Signal(str, str, object)  # state, reason, until (datetime | None)
    offered = Signal(object)  # m.OfferMsg
    offer_withdrawn = Signal(str, str)  # contact id, reason
    contact_changed = Signal(object)  # m.ContactView
    contact_gone = Signal(str, str)  # contact id, reason
    queue_changed = Signal(object)  # m.QueueSnapshot (the whole view) or m.QueueDelta
    chat_message = Signal(object)  # m.ChatMessage
    call_answered = Signal(str, bool)  # contact id, the patient accepted
    call_started = Signal(str)  # contact id
    call_ended = Signal(str)  # contact id
    remote_video = Signal(str, object)  # contact id, FrameSink
    identified = Signal(object)  # m.IdentifyResult

    def __init__(
        self,
        client: StaffClient,
        *,
        media: LocalMedia | None = None,
        call_config: CallConfig | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.media = media
        self.call_config = call_config
        self.calls: dict[str, Call] = {}
        self._held: set[str] = set()
        self._unsubscribe = [
            client.on("connection", self._on_connection),
            client.on("state", self._on_state),
            client.on("offer", self.offered.emit),
            client.on("offer_withdrawn", self._on_offer_withdrawn),
            client.on("contact", self._on_contact),
            client.on("contact_gone", self._on_contact_gone),
            client.on("queue", self.queue_changed.emit),
            client.on("chat", self._on_chat),
            client.on("signal", self._on_signal),
            client.on("call_answered", self._on_call_answered),
        ]

    # ------------------------------------------------------------ state

    @property
    def me(self) -> m.StaffInfo | None:
        return self.client.me

    def current_contact(self) -> m.ContactView | None:
        """The contact this console works on (a medconsultant holds one at a time)."""
        contacts = list(self.client.contacts.values())
        return contacts[-1] if contacts else None

    def is_held(self, contact_id: str) -> bool:
        return contact_id in self._held

    # commands the widgets call; each returns at once
    def set_state(self, state: str, reason: str = "") -> None:
        self.run("set_state", self.client.set_state(state, reason))  # type: ignore[arg-type]

    def accept(self, contact_id: str) -> None:
        self.run("accept", self.client.accept(contact_id))

    def reject(self, contact_id: str) -> None:
        self.run("reject", self.client.reject(contact_id))

    def identify(self, contact_id: str, **keys: Any) -> None:
        self.run("identify", self.client.identify(contact_id, **keys), self.identified.emit)

    def select_person(self, contact_id: str, person_id: int) -> None:
        self.run("select_person", self.client.select_person(contact_id, person_id))

    def register_phone(self, contact_id: str, person_id: int) -> None:
        self.run("register_phone", self.client.register_phone(contact_id, person_id))

    def send_consents(self, contact_id: str, kinds: list[m.ConsentKindName]) -> None:
        async def send_all() -> None:
            for kind in kinds:
                await self.client.send_consent(contact_id, kind)

        self.run("send_consent", send_all())

    def set_reason(self, contact_id: str, reason: str) -> None:
        self.run("set_reason", self.client.set_reason(contact_id, reason))

    def transfer(self, contact_id: str, to: str, reason: str | None = None) -> None:
        async def go() -> None:
            if reason is not None:
                await self.client.set_reason(contact_id, reason)
            await self.client.transfer(contact_id, to)

        self.run("transfer", go())

    def end(self, contact_id: str) -> None:
        self.run("end", self.client.end(contact_id))

    def wrapup_done(self, contact_id: str, outcome: m.Outcome, comment: str) -> None:
        self.run("wrapup_done", self.client.wrapup_done(contact_id, outcome, comment))

    def chat(self, contact_id: str, text: str) -> None:
        self.run("chat", self.client.chat(contact_id, text))

    def send_file(self, contact_id: str, path: str) -> None:
        async def go() -> None:
            attachment = await self.client.upload(path)
            await self.client.chat(contact_id, "", attachment.id)

        self.run("attach", go())

    def download(self, url: str, done: Callable[[bytes], None]) -> None:
        self.run("download", self.client.download(url), done)

    def raise_call(self, contact_id: str, media: str = "video") -> None:
        self.run("raise_call", self.client.raise_call(contact_id, media))  # type: ignore[arg-type]

    def set_muted(self, muted: bool) -> None:
        if self.media is not None:
            self.media.muted = muted

    def set_hold(self, contact_id: str, on: bool) -> None:
        """Hold: the patient hears silence, sees no picture and is told so."""
        if on:
            self._held.add(contact_id)
        else:
            self._held.discard(contact_id)
        if self.media is not None:
            self.media.held = bool(self._held)
        self.run("hold", self.client.hold(contact_id, on))

    # ------------------------------------------------------------ events

    def _on_connection(self, event: ConnectionEvent) -> None:
        self.connection_changed.emit(event.state, event.reason)

    def _on_state(self, msg: m.StaffStateMsg) -> None:
        self.state_changed.emit(msg.state, msg.reason, getattr(msg, "until", None))

    def _on_offer_withdrawn(self, msg: m.OfferWithdrawn) -> None:
        self.offer_withdrawn.emit(msg.contact_id, msg.reason)

    def _on_contact(self, msg: m.ContactUpdate) -> None:
        view = msg.contact
        call = self.calls.get(view.id)
        # a new leg replaces the call; an ended contact (wrap-up) keeps its leg but has no call
        if call is not None and (view.leg != call.leg or view.state in ENDED_STATES):
            self._close_call(view.id)
        self.contact_changed.emit(self.client.contacts.get(view.id, view))

    def _on_contact_gone(self, msg: m.ContactGone) -> None:
        self._close_call(msg.contact_id)
        self._held.discard(msg.contact_id)
        if self.media is not None:
            self.media.held = bool(self._held)
        self.contact_gone.emit(msg.contact_id, msg.reason)

    def _on_chat(self, msg: m.ChatMsg) -> None:
        self.chat_message.emit(msg.message)

    def _on_call_answered(self, msg: m.CallAnswered) -> None:
        self.call_answered.emit(msg.contact_id, msg.accept)

    def _on_signal(self, msg: m.SignalMsg) -> None:
        self.run("call", self._handle_signal(msg.contact_id, msg.signal))

    async def _handle_signal(self, contact_id: str, signal: m.Signal) -> None:
        if contact_id not in self.client.contacts:
            return  # a late signal of a contact that has left this console
        call = self.calls.get(contact_id)
        if signal.kind == "offer" and (call is None or call.leg != signal.leg):
            if call is not None:
                self._close_call(contact_id)
            call = self._new_call(contact_id, signal.leg)
        if call is None or call.leg != signal.leg:
            return
        await call.session.handle(signal)

    def _new_call(self, contact_id: str, leg: str) -> Call:
        audio = video = None
        if self.media is not None:
            audio, video = self.media.leg_tracks()

        async def send(signal: m.Signal) -> None:
            await self.client.signal(contact_id, signal)

        def on_remote(sink: FrameSink) -> None:
            call = self.calls.get(contact_id)
            if call is None:
                return
            if sink.kind == "video":
                call.remote_video = sink
                self.remote_video.emit(contact_id, sink)
            else:
                call.remote_audio = sink

        session = StaffCallSession(
            leg,
            send,
            audio=audio,
            video=video,
            config=self.call_config,
            on_remote_track=on_remote,
        )
        call = self.calls[contact_id] = Call(contact_id, session)
        self.call_started.emit(contact_id)
        return call

    def _close_call(self, contact_id: str) -> None:
        call = self.calls.pop(contact_id, None)
        if call is None:
            return
        self.run("hang_up", call.session.close())
        for track in (call.session.local_audio, call.session.local_video):
            if track is not None:
                track.stop()
        self.call_ended.emit(contact_id)

    # ------------------------------------------------------------ shutdown

    async def close(self) -> None:
        """Close the calls and the client; the window is going away."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        for contact_id in list(self.calls):
            self._close_call(contact_id)
        await self.wait_idle(cancel_after=5)
        with contextlib.suppress(Exception):
            await self.client.close()
        if self.media is not None:
            await self.media.close()


def until_text(until: datetime | None, now: datetime) -> str:
    """``mm:ss`` left until ``until`` (empty when there is no deadline)."""
    if until is None:
        return ""
    left = max(0, int((until - now).total_seconds()))
    return f"{left // 60:02d}:{left % 60:02d}"

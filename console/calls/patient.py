"""A patient on the hub's patient protocol, as the patient's page is, with an aiortc peer.

:class:`PatientClient` signs in with phone + SMS code, starts a contact, confirms
consents when asked, chats, uploads files, accepts a video call raised from chat
and answers every leg it is told to open with a
:class:`~console.calls.session.PatientCallSession` (a test pattern and a tone).
The simulator (:mod:`console.calls.simulator`) and the console's tests build
their patients on it.

Login codes: the hub sends them by SMS. Only a hub whose SMS backend is ``file``
(the demo's and the tests') can be driven from here: :class:`SmsOutbox` reads the
codes back from that file. A hub with a real SMS gateway sends them to real
phones, and nobody can simulate patients against it.

Nothing here logs personal data: log lines name contact ids, never phones, names
or chat text.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp

from console.calls.errors import CallError, SignalError
from console.protocol import messages as m

if TYPE_CHECKING:
    import ssl as ssl_module
    from collections.abc import Awaitable, Callable

    from console.calls.ice import CallConfig
    from console.calls.media import RGB, FrameSink
    from console.calls.session import PatientCallSession

    CodeSource = Callable[[str], Awaitable[str]]

log = logging.getLogger(__name__)

#: a video of this size and rate is what a patient sends unless told otherwise
VideoFormat = tuple[int, int, float]
FULL_VIDEO: VideoFormat = (640, 480, 30.0)

_CODE = re.compile(r"\b(\d{4,8})\b")


class PatientError(Exception):
    """The hub refused a patient's step. ``code`` is the hub's (``unknown_phone``,
    ``too_soon``, ``unauthorized``, ``conflict``, ...) or ours (``connection_lost``,
    ``no_code``); messages never carry the phone."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code


def phone_key(phone: str) -> str:
    """The last ten digits: the same key for ``+7 916 …``, ``8 (916) …`` and E.164."""
    return re.sub(r"\D", "", phone)[-10:]


class SmsOutbox:
    """Login codes as the hub's ``file`` SMS backend writes them (``{"to", "text", "at"}``).

    It reads only what is appended after it was made (and after each read), so an
    old code for the same phone is never taken; each code is handed out once.
    One reader can serve any number of patients at once.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self._offset = self.path.stat().st_size
        except OSError:
            self._offset = 0
        self._codes: dict[str, str] = {}
        self._lock = asyncio.Lock()

    def _read_new(self) -> dict[str, str]:
        found: dict[str, str] = {}
        try:
            with self.path.open("rb") as f:
                f.seek(0, 2)
                if f.tell() < self._offset:  # truncated or replaced: start over
                    self._offset = 0
                f.seek(self._offset)
                data = f.read()
        except FileNotFoundError:
            return found
        end = data.rfind(b"\n") + 1  # whole lines only: the hub may be mid-write
        self._offset += end
        for line in data[:end].splitlines():
            try:
                entry = json.loads(line)
                code = _CODE.search(str(entry["text"]))
                if code:
                    found[phone_key(str(entry["to"]))] = code.group(1)
            except (ValueError, KeyError, TypeError):
                continue
        return found

    async def code_for(self, phone: str, timeout: float = 10.0) -> str:  # noqa: ASYNC109
        """The newest unread code sent to ``phone``; waits for it up to ``timeout`` s."""
        key = phone_key(phone)
        try:
            async with asyncio.timeout(timeout):
                while True:
                    async with self._lock:
                        self._codes.update(await asyncio.to_thread(self._read_new))
                        code = self._codes.pop(key, None)
                    if code is not None:
                        return code
                    await asyncio.sleep(0.05)
        except TimeoutError:
            raise PatientError("no_code", f"no login code in {self.path.name}") from None

    async def __call__(self, phone: str) -> str:
        return await self.code_for(phone)


class PatientClient:
    """One insured person on ``/ws/patient``, reacting to what the hub sends.

    ``config``: the ICE settings of its calls, or a function that makes them when
    the first call opens (aiortc is imported then, not before).

    State, for the caller to read: ``welcome`` (the hub's welcome, a dict),
    ``contact_id``, ``statuses`` (``queue_status`` frames), ``legs`` (``leg``
    frames), ``chat`` (chat messages, dicts), ``holds``, ``consents`` (the kinds
    confirmed), ``ended`` (the ``ended`` frame, once), ``errors``; ``call`` and
    ``remote_video`` for the media. :meth:`wait_for` waits for any of it.

    ``on_consent_request``, ``on_chat``, ``on_call_request`` and ``on_leg`` are
    the reactions; subclasses (the simulator's patients) override them. They run
    on the reader, one message at a time: a reaction that takes its time spawns
    a task (:meth:`spawn`).
    """

    def __init__(
        self,
        hub_url: str,
        phone: str,
        *,
        session: aiohttp.ClientSession,
        codes: CodeSource,
        config: CallConfig | Callable[[], CallConfig] | None = None,
        marker: RGB = (40, 60, 220),
        video: VideoFormat = FULL_VIDEO,
        auto_consent: bool = True,
        accept_calls: bool = True,
        ssl: ssl_module.SSLContext | bool = True,
    ) -> None:
        self.base = hub_url.rstrip("/")
        self.phone = phone
        self.session = session
        self.codes = codes
        self.config = config
        self.marker = marker
        self.video = video
        self.auto_consent = auto_consent
        self.accept_calls = accept_calls
        self.ssl = ssl

        self.token = ""
        self.welcome: dict[str, Any] = {}
        self.contact_id: str | None = None
        self.statuses: list[dict[str, Any]] = []
        self.legs: list[dict[str, Any]] = []
        self.chat: list[dict[str, Any]] = []
        self.holds: list[bool] = []
        self.consents: list[str] = []
        self.errors: list[dict[str, Any]] = []
        self.ended: dict[str, Any] | None = None
        self.call: PatientCallSession | None = None
        self.remote_video: FrameSink | None = None

        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self._welcomed: asyncio.Future[dict[str, Any]] | None = None
        self._replies: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._refs = 0
        self._change = asyncio.Event()  # replaced, and the old one set, at every message
        self._lost = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._hanging_up: asyncio.Future[None] | None = None  # the call closing as it ended
        self._closing = False

    def __repr__(self) -> str:  # no phone: reprs end up in logs
        return f"<{type(self).__name__} contact={self.contact_id}>"

    @property
    def closed(self) -> bool:
        """The hub connection is gone (or was never opened)."""
        return self._ws is None or self._ws.closed or self._lost

    # ------------------------------------------------------------ signing in

    async def _post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        async with self.session.post(f"{self.base}{path}", json=body, ssl=self.ssl) as r:
            try:
                data = await r.json(content_type=None)
            except ValueError:
                data = {}
            return r.status, data if isinstance(data, dict) else {}

    @staticmethod
    def _refused(status: int, body: dict[str, Any]) -> PatientError:
        error = body.get("error") or {}
        code = str(error.get("code") or f"http_{status}")
        return PatientError(code, str(error.get("message", "")))

    async def log_in(self) -> str:
        """Phone, SMS code, token: the page's two requests. Sets and returns ``token``."""
        status, body = await self._post("/api/patient/sms-code", {"phone": self.phone})
        if status != 200:
            raise self._refused(status, body)
        code = await self.codes(self.phone)
        status, body = await self._post("/api/patient/login", {"phone": self.phone, "code": code})
        if status != 200:
            raise self._refused(status, body)
        self.token = str(body["token"])
        return self.token

    async def sign_in(self, token: str | None = None) -> dict[str, Any]:
        """Log in (or reuse ``token``, logging in afresh if the hub no longer knows it),
        open the WebSocket and return the welcome."""
        if token:
            self.token = token
            welcome = await self.connect()
            if welcome.get("type") == "welcome":
                return welcome
        await self.log_in()
        welcome = await self.connect()
        if welcome.get("type") != "welcome":
            raise self._refused(401, welcome)
        return welcome

    async def connect(self) -> dict[str, Any]:
        """Open ``/ws/patient`` with ``token``; the hub's first answer (welcome or error)."""
        await self._disconnect()
        url = re.sub(r"^http", "ws", self.base) + "/ws/patient"
        self._lost = False
        self._ws = await self.session.ws_connect(url, ssl=self.ssl, max_msg_size=m.MAX_HUB_FRAME)
        self._welcomed = asyncio.get_running_loop().create_future()
        self._reader = asyncio.create_task(self._read(self._ws), name="patient-reader")
        await self.send({"type": "hello", "token": self.token})
        async with asyncio.timeout(10):
            first = await self._welcomed
        if first.get("type") == "welcome":
            self.welcome = first
            if first.get("contact_id"):
                self.contact_id = first["contact_id"]
        return first

    async def _disconnect(self) -> None:
        ws, reader = self._ws, self._reader
        self._ws = self._reader = None
        if ws is not None:
            await ws.close()
        if reader is not None:
            await asyncio.gather(reader, return_exceptions=True)

    def person_id(self, policy_number: str | None = None) -> int:
        """The welcome's first person, or the one with ``policy_number``."""
        persons = self.welcome["persons"]
        if policy_number is None:
            return int(persons[0]["person_id"])
        return int(next(p for p in persons if p["policy_number"] == policy_number)["person_id"])

    # ------------------------------------------------------------ commands

    async def send(self, obj: dict[str, Any]) -> None:
        ws = self._ws
        if ws is None or ws.closed:
            raise PatientError("connection_lost", "not connected to the hub")
        await ws.send_str(json.dumps({"v": m.VERSION, **obj}, default=str))

    async def request(self, obj: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:  # noqa: ASYNC109
        """Send a command with a ``ref`` and return the hub's reply to it."""
        self._refs += 1
        ref = f"p{self._refs}"
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._replies[ref] = fut
        try:
            await self.send({**obj, "ref": ref})
            async with asyncio.timeout(timeout):
                return await fut
        finally:
            self._replies.pop(ref, None)

    async def start(self, channel: str = "video", person_id: int | None = None) -> dict[str, Any]:
        """Ask for a medconsultant; the first ``queue_status``. Raises :class:`PatientError`."""
        cmd: dict[str, Any] = {"type": "start", "channel": channel}
        if person_id is not None:
            cmd["person_id"] = person_id
        reply = await self.request(cmd)
        if reply.get("type") != "queue_status":
            raise PatientError(str(reply.get("code", "refused")), str(reply.get("message", "")))
        self.contact_id = reply["contact_id"]
        self.ended = None
        self.statuses.append(reply)
        return reply

    async def say(self, text: str) -> None:
        await self.send({"type": "chat", "text": text})

    async def upload(self, data: bytes, name: str) -> dict[str, Any]:
        """Upload a file as the page does; the hub's description of it."""
        form = aiohttp.FormData()
        form.add_field("file", data, filename=name, content_type="application/octet-stream")
        async with self.session.post(
            f"{self.base}/api/upload",
            data=form,
            headers={"Authorization": f"Bearer {self.token}"},
            ssl=self.ssl,
        ) as r:
            body = await r.json(content_type=None)
            if r.status != 200:
                raise self._refused(r.status, body if isinstance(body, dict) else {})
        return dict(body)

    async def send_file(self, data: bytes, name: str) -> None:
        """Upload a file and post it into the chat."""
        uploaded = await self.upload(data, name)
        await self.send({"type": "chat", "attachment_id": uploaded["id"]})

    async def confirm_consent(self, kind: str, text_version: str) -> None:
        await self.send({"type": "confirm_consent", "kind": kind, "text_version": text_version})
        self.consents.append(kind)

    async def answer_call(self, accept: bool = True) -> None:
        await self.send({"type": "call_answer", "accept": accept})

    async def hang_up(self) -> None:
        await self.send({"type": "hang_up"})

    # ------------------------------------------------------------ waiting

    async def wait_for(self, pred: Callable[[], Any], timeout: float | None = 10.0) -> bool:  # noqa: ASYNC109
        """Wait until ``pred()`` holds: True; False on timeout or a lost connection."""
        try:
            async with asyncio.timeout(timeout):
                while not pred() and not self.closed:
                    await self._change.wait()
        except TimeoutError:
            return False
        return bool(pred())

    async def wait_chat(
        self,
        pred: Callable[[dict[str, Any]], Any],
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """The first chat message (a dict) that ``pred`` accepts; TimeoutError if none comes."""

        def found() -> dict[str, Any] | None:
            return next((msg for msg in self.chat if pred(msg)), None)

        if not await self.wait_for(found, timeout):
            raise TimeoutError("no such chat message")
        message = found()
        assert message is not None
        return message

    def _changed(self) -> None:
        old, self._change = self._change, asyncio.Event()
        old.set()

    def spawn(self, coro: Awaitable[Any]) -> None:
        """Run a reaction beside the reader; cancelled by :meth:`close`."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._reaction_done)

    def _reaction_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.debug("contact %s: a reaction failed (%s)", self.contact_id, type(exc).__name__)

    # ------------------------------------------------------------ what the hub sends

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        try:
            async for frame in ws:
                if frame.type != aiohttp.WSMsgType.TEXT:
                    continue
                try:
                    msg = json.loads(frame.data)
                except ValueError:
                    continue
                if isinstance(msg, dict):
                    await self._dispatch(msg)
        finally:
            for fut in self._replies.values():
                if not fut.done():
                    fut.set_exception(PatientError("connection_lost", "the hub closed"))
            if self._welcomed is not None and not self._welcomed.done():
                self._welcomed.set_exception(PatientError("connection_lost", "the hub closed"))
            self._lost = True
            self._changed()

    async def _dispatch(self, msg: dict[str, Any]) -> None:
        kind = msg.get("type")
        ref = msg.get("ref")
        fut = self._replies.get(ref) if isinstance(ref, str) else None
        try:
            if fut is not None:
                if not fut.done():
                    fut.set_result(msg)
            elif kind in ("welcome", "error") and self._welcomed and not self._welcomed.done():
                self._welcomed.set_result(msg)
            elif isinstance(kind, str) and (handler := getattr(self, f"_got_{kind}", None)):
                await handler(msg)
        except (SignalError, CallError, PatientError, ValueError, KeyError) as exc:
            # a late answer for a leg already replaced, a malformed frame: not fatal
            log.debug("contact %s: %s not applied (%s)", self.contact_id, kind, type(exc).__name__)
        except Exception as exc:  # the reader carries on: one bad step is not the visit's end
            log.warning("contact %s: %s failed (%s)", self.contact_id, kind, type(exc).__name__)
        self._changed()

    async def _got_queue_status(self, msg: dict[str, Any]) -> None:
        self.statuses.append(msg)

    async def _got_leg(self, msg: dict[str, Any]) -> None:
        self.legs.append(msg)
        await self._open_leg(str(msg["leg"]), str(msg["media"]))
        await self.on_leg(msg)

    async def _got_signal(self, msg: dict[str, Any]) -> None:
        if self.call is not None:
            await self.call.handle(m.Signal.model_validate(msg["signal"]))

    async def _got_consent_request(self, msg: dict[str, Any]) -> None:
        await self.on_consent_request(msg)

    async def _got_chat(self, msg: dict[str, Any]) -> None:
        self.chat.append(msg["message"])
        await self.on_chat(msg["message"])

    async def _got_hold(self, msg: dict[str, Any]) -> None:
        self.holds.append(bool(msg["on"]))

    async def _got_call_request(self, msg: dict[str, Any]) -> None:
        await self.on_call_request(msg)

    async def _got_ended(self, msg: dict[str, Any]) -> None:
        if msg.get("contact_id") not in (None, self.contact_id):
            return  # a contact before this one (closed when its wrap-up ended)
        self.ended = msg
        if self.call is not None and not self.call.closed:
            self._hanging_up = asyncio.ensure_future(self.call.close())

    async def _got_error(self, msg: dict[str, Any]) -> None:
        self.errors.append(msg)
        log.debug("contact %s: the hub refused (%s)", self.contact_id, msg.get("code"))

    async def _open_leg(self, leg: str, media: str) -> None:
        if self.call is None or self.call.closed:
            # aiortc only with the first call: a waiting patient (and the demo's start) needs none
            from console.calls.session import PatientCallSession

            async def send(signal: m.Signal) -> None:
                await self.send({"type": "signal", "signal": signal.model_dump(mode="json")})

            def on_remote(sink: FrameSink) -> None:
                if sink.kind == "video":
                    self.remote_video = sink

            width, height, fps = self.video
            self.call = PatientCallSession(
                send,
                config=self.config() if callable(self.config) else self.config,
                marker=self.marker,
                on_remote_track=on_remote,
                width=width,
                height=height,
                fps=fps,
            )
        self.remote_video = None
        await self.call.open(leg, media)  # type: ignore[arg-type]

    # ------------------------------------------------------------ reactions

    async def on_leg(self, msg: dict[str, Any]) -> None:
        """Someone took the contact (the leg is open already)."""

    async def on_consent_request(self, msg: dict[str, Any]) -> None:
        if self.auto_consent:
            await self.confirm_consent(msg["kind"], msg["text_version"])

    async def on_chat(self, message: dict[str, Any]) -> None:
        """A chat message (ours echoed, or staff's)."""

    async def on_call_request(self, msg: dict[str, Any]) -> None:
        if self.accept_calls:
            await self.answer_call(True)

    # ------------------------------------------------------------ closing

    async def close(self) -> None:
        """Hang up the media and the connection (the contact stays with the hub)."""
        self._closing = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        ws, reader = self._ws, self._reader
        if ws is not None:
            await ws.close()
        if reader is not None:
            try:
                async with asyncio.timeout(5):
                    await asyncio.gather(reader, return_exceptions=True)
            except TimeoutError:
                reader.cancel()
                await asyncio.gather(reader, return_exceptions=True)
        if self._hanging_up is not None:  # never cancelled halfway: it would leave sockets
            await asyncio.gather(self._hanging_up, return_exceptions=True)
        if self.call is not None:
            await self.call.close()

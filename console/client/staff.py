"""The staff side of the hub protocol: login, the event stream, commands, reconnect.

:class:`StaffClient` is what the Qt console sits on. It is Qt-free and async: it
runs on whatever asyncio loop awaits it (the console runs it on qasync's loop,
which is the GUI thread; tests run it on pytest-asyncio's). It is not
thread-safe: call it, and read its state, from that loop's thread only.

A session::

    client = StaffClient("https://hub.example:8443")
    await client.login("op1", password)          # LoginError on a wrong password
    client.on("offer", ring)                        # plain callbacks, see below
    client.on("connection", show_connection_state)
    await client.connect()                          # hello -> welcome; the reader starts
    await client.set_state("available")
    ...                                             # ring(offer) is called
    await client.accept(offer.contact.id)           # client.contacts now holds it
    await client.close()

Ordering, which the views may rely on:

* Inbound frames are handled one at a time, in the order the hub sent them.
  For each, the client first updates its state (:attr:`~StaffClient.contacts`,
  :attr:`~StaffClient.offer`, :attr:`~StaffClient.state`, ...), then calls the
  callbacks of its kind synchronously, then feeds the event streams.
* The hub announces what a command changed before it acknowledges the
  command, so when ``await client.accept(...)`` (or ``chat``, ``set_state``, ...)
  returns, the client's state already shows the result.
* After every ``welcome`` (the first one and each one after a reconnect) the
  client emits ``welcome``, then a ``contact_gone`` (reason
  ``"connection_lost"``) for each contact it held before and the hub no longer
  gives it, an ``offer_withdrawn`` for an offer that is no longer ringing, and a
  ``contact`` for each contact it holds. A view of "my contacts" that listens to
  ``contact`` and ``contact_gone`` therefore stays right across reconnects.
* The hub tells the holder neither that a contact ended (``end``, the patient
  hanging up) nor that it closed (wrap-up done); the staff state says it. So
  after a ``state`` event the client emits a ``contact`` with state
  ``"wrap_up"`` when wrap-up starts, and a ``contact_gone`` (reason
  ``"closed"``) when the state leaves busy and wrap-up.

A supervisor's session::

    await client.login("sup1", password)
    await client.connect()
    client.on("wallboard", show)                    # every m.WallboardMsg, about 1/s
    await client.watch_wallboard()                  # client.wallboard is set on return
    report = await client.get_report(date.today())  # m.ReportMsg, with its CSV
    await client.move_contact(contact_id, staff_id) # offered to that staff member next
    await client.force_offline(staff_id)            # as if their console were lost

The client watches the wallboard again by itself after every reconnect while
it is on (:meth:`StaffClient.watch_wallboard`).

Reconnect: when the socket drops (hub restart, network, a missed heartbeat) the
client goes to ``"reconnecting"`` and tries again after each delay of the
backoff schedule (the last delay repeats), with a little jitter, sending the
same token. The hub's ``welcome`` gives back the contacts this person holds,
if the client is back within the hub's staff grace period (5 s by default;
after that the hub requeues the contact, and the client reports it gone).
:meth:`StaffClient.reconnect_now` skips the current delay.
If the hub rejects the token the client goes to ``"logged_out"`` and stops
trying; if the same login connected from another console it goes to
``"logged_out"`` with reason ``"signed_in_elsewhere"`` and does not fight back.
Commands issued while (re)connecting wait for the connection, within their
timeout. A command whose connection drops after it was sent raises
:class:`~console.client.errors.ConnectionLostError` and is not resent.

Nothing personal is logged: no names, phones, chat text, password or token;
ids, message types and codes only.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
import time
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload
from urllib.parse import urljoin, urlsplit

import aiohttp
from pydantic import ValidationError

from console.client.errors import (
    CommandTimeoutError,
    ConnectionLostError,
    HttpError,
    HubCommandError,
    HubUnreachableError,
    LoginError,
    NotConnectedError,
    StaffClientError,
)
from console.client.events import (
    EVENT_CLASSES,
    ConnectionEvent,
    ConnectionState,
    Emitter,
    EventKind,
    EventStream,
    kind_of,
    log_failure,
)
from console.protocol import messages as m
from console.protocol import queueview
from console.protocol.messages import MAX_HUB_FRAME

if TYPE_CHECKING:
    import ssl as ssl_module
    from collections.abc import Callable, Mapping, Sequence
    from datetime import date, datetime
    from os import PathLike
    from types import TracebackType

    from console.client.events import Event, Unsubscribe

log = logging.getLogger(__name__)

E = TypeVar("E")
C = TypeVar("C", bound=m.Msg)
R = TypeVar("R", bound=m.Msg)

# Capped at 4 s: the hub keeps a dropped console's contact for 5 s (HubConfig.staff_grace)
# after the drop or after its own restart, so a retry must land inside that window.
DEFAULT_BACKOFF: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0)
TASK_PREFIX = "staff-client"
# How the hub says why it closes a staff socket (the close frame's message).
_CLOSE_REASONS = {"signed in elsewhere": "signed_in_elsewhere", "hub stopping": "hub_stopping"}
# aiohttp fails the whole connection on a frame beyond this; a frame under it but
# over the protocol's MAX_FRAME is only dropped (logged) by the parser.
_MAX_INBOUND = MAX_HUB_FRAME

StateChoice = Literal["available", "break", "offline"]


class StaffClient:
    """One staff member's connection to the hub; see the module docstring.

    ``hub_url`` is the hub's base URL (``http://127.0.0.1:8080``,
    ``https://hub.example``). ``session`` is an aiohttp session to use (the
    caller closes it); without one the client makes its own and closes it in
    :meth:`close`. ``ssl`` goes to aiohttp as is (an ``SSLContext`` trusting the
    hub's certificate, ``False`` to skip verification; ``None`` means the
    default checks). ``backoff`` is the reconnect schedule in seconds, the last
    value repeating; ``heartbeat`` the WebSocket ping interval (a hub silent
    for half of it more is taken as gone). ``request_timeout`` bounds every
    command, waiting for a reconnect included; ``connect_timeout`` one
    connection attempt.
    """

    def __init__(
        self,
        hub_url: str,
        *,
        session: aiohttp.ClientSession | None = None,
        ssl: ssl_module.SSLContext | bool | None = None,
        backoff: Sequence[float] = DEFAULT_BACKOFF,
        heartbeat: float = 5.0,
        request_timeout: float = 10.0,
        connect_timeout: float = 10.0,
    ) -> None:
        parts = urlsplit(hub_url.strip().rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("hub_url must be an http:// or https:// URL")
        if not backoff or any(d < 0 for d in backoff):
            raise ValueError("backoff must be a non-empty list of non-negative delays")
        self._base = f"{parts.scheme}://{parts.netloc}{parts.path}"
        ws_scheme = "wss" if parts.scheme == "https" else "ws"
        self._ws_url = f"{ws_scheme}://{parts.netloc}{parts.path}/ws/staff"
        self._session = session
        self._own_session = session is None
        self._ssl: ssl_module.SSLContext | bool = True if ssl is None else ssl
        self._backoff = tuple(float(d) for d in backoff)
        self._heartbeat = heartbeat
        self.request_timeout = request_timeout
        self.connect_timeout = connect_timeout

        self._token: str | None = None
        self._session_expires_at: datetime | None = None
        self._conn_state: ConnectionState = "closed"
        self._changed = asyncio.Event()  # replaced (and set) at every state change
        self._wake = asyncio.Event()  # cuts a backoff wait short
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._runner: asyncio.Task[None] | None = None
        self._connect_lock = asyncio.Lock()
        self._pending: dict[str, asyncio.Future[m.Msg]] = {}
        self._refs = itertools.count(1)
        self._closed = False
        self._events = Emitter(TASK_PREFIX)

        self._welcome: m.Welcome | None = None
        self._me: m.StaffInfo | None = None
        self._state: m.StaffStateName = "offline"
        self._state_until: datetime | None = None
        self._contacts: dict[str, m.ContactView] = {}
        self._contacts_view = MappingProxyType(self._contacts)
        self._offer: m.OfferMsg | None = None
        self._queue: m.QueueSnapshot | None = None
        self._queue_view = queueview.QueueView()  # kept by the hub's deltas
        self._queue_summaries: list[m.QueueSummary] = []
        self._wallboard: m.WallboardMsg | None = None
        self._watching = False  # the wallboard: watched again after every reconnect

    def __repr__(self) -> str:
        who = self._me.id if self._me else "?"
        return f"<StaffClient {self._base} staff={who} {self._conn_state}>"

    async def __aenter__(self) -> StaffClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # ------------------------------------------------------------------ state

    @property
    def hub_url(self) -> str:
        return self._base

    @property
    def connection_state(self) -> ConnectionState:
        """``"connecting"``, ``"online"``, ``"reconnecting"``, ``"logged_out"`` or ``"closed"``.

        ``"closed"`` is also the state before the first :meth:`connect`. Every
        change is emitted as a :class:`ConnectionEvent` under ``"connection"``.
        """
        return self._conn_state

    @property
    def online(self) -> bool:
        return self._conn_state == "online"

    @property
    def logged_in(self) -> bool:
        """True once :meth:`login` succeeded (the token may still turn out expired)."""
        return self._token is not None

    @property
    def session_expires_at(self) -> datetime | None:
        """When the hub ends this login's session at the latest."""
        return self._session_expires_at

    @property
    def me(self) -> m.StaffInfo | None:
        """Who is signed in, from the last ``welcome``; None before the first."""
        return self._me

    @property
    def state(self) -> m.StaffStateName:
        """This person's staff state ("available", "ringing", "busy", ...)."""
        return self._state

    @property
    def state_until(self) -> datetime | None:
        """When the current state ends by itself: wrap-up's deadline (UTC, by the hub's
        clock), for a countdown; None for a state without one."""
        return self._state_until

    @property
    def contacts(self) -> Mapping[str, m.ContactView]:
        """The contacts this person holds, by id, each with its whole chat (read-only, live)."""
        return self._contacts_view

    @property
    def offer(self) -> m.OfferMsg | None:
        """The offer ringing now, or None."""
        return self._offer

    @property
    def queue(self) -> m.QueueSnapshot | None:
        """The queue view as it stands (a supervisor's has every queue); None before the
        hub sent one. The ``"queue"`` event carries each change: a
        :class:`~console.protocol.messages.QueueSnapshot` (the whole view) or a
        :class:`~console.protocol.messages.QueueDelta` (what changed)."""
        if self._queue is None and self._queue_view.synced:
            self._queue = m.QueueSnapshot.model_construct(
                entries=self._queue_view.entries(), summaries=self._queue_summaries
            )
        return self._queue

    @property
    def wallboard(self) -> m.WallboardMsg | None:
        """The last wallboard the hub sent (a supervisor's, once watched); None before."""
        return self._wallboard

    @property
    def watching_wallboard(self) -> bool:
        """Whether the wallboard is watched (and is watched again after a reconnect)."""
        return self._watching

    # ------------------------------------------------------------------ events

    @overload
    def on(self, kind: type[E], callback: Callable[[E], object]) -> Unsubscribe: ...

    @overload
    def on(self, kind: EventKind, callback: Callable[[Any], object]) -> Unsubscribe: ...

    def on(self, kind: type[Any] | str, callback: Callable[[Any], object]) -> Unsubscribe:
        """Call ``callback(event)`` for every event of ``kind``; returns the unsubscribe.

        ``kind`` is a message type ("offer", "offer_withdrawn", "contact",
        "contact_gone", "queue", "state", "identify_result", "chat", "signal",
        "call_answered", "wallboard", "report", "welcome", "error") or
        "connection", or the class
        itself (``m.OfferMsg``, :class:`ConnectionEvent`), which types the
        callback's argument. ``error`` carries only errors that answer no
        command (the hub's reply to a fire-and-forget frame, say); a command's
        own error is raised from the command.

        The callback runs on the loop's thread, synchronously, after the
        client's state was updated (see the module docstring). An exception in
        it is logged and does not stop the others. If it returns an awaitable,
        that runs as a task (cancelled by :meth:`close`).
        """
        return self._events.on(kind_of(kind), callback)

    @overload
    def expect(
        self, kind: type[E], where: Callable[[E], bool] | None = None
    ) -> asyncio.Future[E]: ...

    @overload
    def expect(
        self, kind: EventKind, where: Callable[[Any], bool] | None = None
    ) -> asyncio.Future[Any]: ...

    def expect(
        self, kind: type[Any] | str, where: Callable[[Any], bool] | None = None
    ) -> asyncio.Future[Any]:
        """A future of the next event of ``kind`` (for which ``where`` is true).

        The subscription starts now, so call it *before* the action that causes
        the event; await the future with a timeout of your choice::

            offered = client.expect(m.OfferMsg)
            await client.set_state("available")
            offer = await asyncio.wait_for(offered, 5)

        Cancelling the future unsubscribes; :meth:`close` fails it.
        """
        return self._events.expect(kind_of(kind), where)

    def events(self, *kinds: EventKind | type[Any]) -> EventStream:
        """An async iterator over the events of ``kinds`` (all kinds if none given).

        Use it as ``async with client.events("offer") as stream: async for ev in
        stream: ...``; it ends when the client closes.
        """
        wanted = frozenset(kind_of(k) for k in kinds) if kinds else None
        return self._events.stream(wanted)

    def _emit(self, event: Event) -> None:
        # the kind EVENT_CLASSES gives (a queue delta is a "queue" event, as the
        # snapshot it amends); a message's own type otherwise
        self._events.emit(EVENT_CLASSES.get(type(event), event.type), event)

    # ------------------------------------------------------------------ login and connection

    async def login(self, login: str, password: str) -> None:
        """Sign in with ``POST /api/staff/login`` and keep the session token.

        Raises :class:`LoginError` with the hub's code and message when the hub
        refuses (``"bad_credentials"``: "Wrong login or password."), and
        :class:`HubUnreachableError` when it cannot be reached. Call
        :meth:`connect` next. Logging in again (after ``"logged_out"``) replaces
        the token; the next connection uses the new one.
        """
        self._check_open()
        body: Any = None
        try:
            async with (
                asyncio.timeout(self.connect_timeout),
                self._http().post(
                    f"{self._base}/api/staff/login",
                    json={"login": login, "password": password},
                    ssl=self._ssl,
                ) as resp,
            ):
                status = resp.status
                body = await _json_body(resp)
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise HubUnreachableError(f"cannot reach the hub ({type(exc).__name__})") from None
        if status != 200:
            code, message = _error_of(body, status)
            raise LoginError(code, message, status)
        try:
            reply = m.TokenReply.model_validate(body)
        except ValidationError:
            raise LoginError(
                "bad_reply", "the hub's answer to the login is not understood"
            ) from None
        self._token = reply.token
        self._session_expires_at = reply.expires_at
        staff = body.get("staff") if isinstance(body, dict) else None
        log.info("signed in as staff %s", staff.get("id") if isinstance(staff, dict) else "?")

    async def connect(self) -> m.Welcome:
        """Open ``/ws/staff``, send ``hello``, wait for ``welcome``; then keep reading.

        Returns the welcome (also emitted, with the contacts this person holds).
        Raises :class:`LoginError` (state ``"logged_out"``) when the hub rejects
        the token, :class:`HubUnreachableError` (state ``"closed"``) when the hub
        cannot be reached. The first attempt does not retry; once online, every
        drop is retried by itself (see the module docstring).

        If the client is already online this returns at once; if it is
        reconnecting, it tries at once and waits up to ``connect_timeout`` for
        the connection (the console's "Reconnect" button).
        """
        self._check_open()
        async with self._connect_lock:
            if self._runner is not None and not self._runner.done():
                self.reconnect_now()
                try:
                    async with asyncio.timeout(self.connect_timeout):
                        await self._wait_online()
                except TimeoutError:
                    raise HubUnreachableError("the hub did not answer in time") from None
                assert self._welcome is not None
                return self._welcome
            if self._token is None:
                raise LoginError("not_logged_in", "log in first")
            self._set_state("connecting")
            try:
                ws, welcome = await self._open()
            except LoginError as exc:
                self._set_state("logged_out", exc.code)
                raise
            except BaseException:
                if not self._closed:
                    self._set_state("closed", "connection_failed")
                raise
            if self._closed:
                await ws.close()
                raise NotConnectedError("closed")
            self._ws = ws
            self._on_welcome(welcome)
            await self._rewatch(ws)
            self._runner = asyncio.get_running_loop().create_task(
                self._run(ws), name=f"{TASK_PREFIX}-connection"
            )
            return welcome

    def reconnect_now(self) -> None:
        """While reconnecting, skip the rest of the current backoff delay."""
        self._wake.set()

    async def close(self) -> None:
        """Stop everything: the reader, the reconnect, pending commands, handler tasks.

        Pending commands raise :class:`NotConnectedError`, event streams end,
        :meth:`expect` futures fail. No task of the client is left running when
        this returns. The client cannot be used afterwards. Idempotent.
        """
        if self._closed:
            return
        self._closed = True
        runner, self._runner = self._runner, None
        if runner is not None and runner is not asyncio.current_task():
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
        ws, self._ws = self._ws, None
        if ws is not None:
            with contextlib.suppress(Exception):
                await ws.close()
        self._fail_pending(lambda: NotConnectedError("closed"))
        self._set_state("closed", "closed")
        await self._events.aclose()
        if self._own_session and self._session is not None:
            await self._session.close()
        self._session = None
        log.debug("staff client closed")

    def _check_open(self) -> None:
        if self._closed:
            raise NotConnectedError("closed")

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        return self._session

    def _set_state(self, new: ConnectionState, reason: str = "") -> None:
        old = self._conn_state
        if new == old:
            return
        self._conn_state = new
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()
        log.info("hub connection %s -> %s%s", old, new, f" ({reason})" if reason else "")
        self._emit(ConnectionEvent(state=new, previous=old, reason=reason))

    async def _wait_online(
        self, stale: aiohttp.ClientWebSocketResponse | None = None
    ) -> aiohttp.ClientWebSocketResponse:
        """The live socket, once there is one other than ``stale``."""
        while True:
            self._check_open()
            ws = self._ws
            if (
                self._conn_state == "online"
                and ws is not None
                and ws is not stale
                and not ws.closed
            ):
                return ws
            if self._conn_state in ("closed", "logged_out"):
                raise NotConnectedError(self._conn_state)
            await self._changed.wait()

    async def _open(self) -> tuple[aiohttp.ClientWebSocketResponse, m.Welcome]:
        """One connection attempt: the socket and the hub's welcome on it."""
        token = self._token
        if token is None:
            raise LoginError("not_logged_in", "log in first")
        hello = m.dump(m.StaffHello(type="hello", token=token))
        ws: aiohttp.ClientWebSocketResponse | None = None
        try:
            async with asyncio.timeout(self.connect_timeout):
                ws = await self._http().ws_connect(
                    self._ws_url,
                    heartbeat=self._heartbeat,
                    ssl=self._ssl,
                    max_msg_size=_MAX_INBOUND,
                )
                await ws.send_str(hello)
                while True:
                    msg = await ws.receive()
                    if msg.type not in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                        raise HubUnreachableError("the hub closed the connection during the hello")
                    frame = self._parse(msg.data)
                    if isinstance(frame, m.Welcome):
                        return ws, frame
                    if isinstance(frame, m.Error):
                        if frame.code == "unauthorized":
                            raise LoginError(frame.code, frame.message)
                        raise HubUnreachableError(f"the hub refused the hello ({frame.code})")
                    # nothing else comes before the welcome; ignore it if it does
        except BaseException as exc:
            if ws is not None:
                with contextlib.suppress(Exception):
                    await ws.close()
            if isinstance(exc, StaffClientError) or not isinstance(
                exc, aiohttp.ClientError | OSError | TimeoutError
            ):
                raise
            raise HubUnreachableError(f"cannot reach the hub ({type(exc).__name__})") from None

    async def _run(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """The connection task: read until the socket drops, reconnect, repeat."""
        try:
            while True:
                reason = await self._read(ws)
                if self._ws is ws:
                    self._ws = None
                if reason == "signed_in_elsewhere":
                    self._set_state("logged_out", reason)
                else:
                    self._set_state("reconnecting", reason)
                self._fail_pending(
                    lambda: ConnectionLostError("the connection dropped before the hub replied")
                )
                if self._conn_state == "logged_out":
                    return
                found = await self._reconnect()
                if found is None:
                    return
                ws = found
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log_failure("the hub connection task failed", exc)
            self._ws = None
            self._fail_pending(lambda: ConnectionLostError("the client's connection task failed"))
            self._set_state("closed", "internal_error")

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> str:
        """Handle frames until the socket ends; returns why it ended."""
        reason = "connection_lost"
        while True:
            msg = await ws.receive()
            if msg.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                self._on_frame(msg.data)
                continue
            if msg.type is aiohttp.WSMsgType.CLOSE and isinstance(msg.extra, str):
                reason = _CLOSE_REASONS.get(msg.extra, reason)
            if msg.type in (
                aiohttp.WSMsgType.CLOSE,
                aiohttp.WSMsgType.CLOSING,
                aiohttp.WSMsgType.CLOSED,
                aiohttp.WSMsgType.ERROR,
            ):
                with contextlib.suppress(Exception):
                    await ws.close()
                return reason

    async def _reconnect(self) -> aiohttp.ClientWebSocketResponse | None:
        """Try with the backoff schedule until online (the socket) or logged out (None)."""
        for attempt in itertools.count():
            delay = self._backoff[min(attempt, len(self._backoff) - 1)]
            delay *= random.uniform(0.75, 1.0)  # consoles of a restarted hub spread out
            self._wake.clear()
            # not asyncio.wait_for: on 3.11 it can swallow a cancel that races the wake-up
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()
            if self._closed:
                return None
            try:
                ws, welcome = await self._open()
            except LoginError as exc:
                self._set_state("logged_out", exc.code)
                return None
            except HubUnreachableError as exc:
                log.info("reconnect attempt %d failed: %s", attempt + 1, exc)
                continue
            except Exception as exc:
                log_failure(f"reconnect attempt {attempt + 1} failed", exc)
                continue
            self._ws = ws
            self._on_welcome(welcome)
            await self._rewatch(ws)
            return ws
        raise AssertionError("unreachable")  # pragma: no cover

    async def _rewatch(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """A new hub session watches nothing: ask for the wallboard again if it was on.

        Sent without a ref from the connection task itself (which must not wait
        for a reply it reads): the wallboard arrives as an event, a refusal as
        an ``error`` event.
        """
        if not self._watching:
            return
        with contextlib.suppress(ConnectionError, RuntimeError, aiohttp.ClientError):
            await ws.send_str(m.dump(m.WatchWallboard(type="watch_wallboard", on=True)))

    def _fail_pending(self, error: Callable[[], Exception]) -> None:
        pending = list(self._pending.values())
        self._pending.clear()
        for fut in pending:
            if not fut.done():
                fut.set_exception(error())

    # ------------------------------------------------------------------ inbound

    @staticmethod
    def _parse(raw: str | bytes) -> m.Msg | None:
        try:
            msg: m.Msg = m.parse_from_hub_staff(raw)
        except m.ProtocolError as exc:
            log.warning(
                "dropped a frame from the hub that does not parse (field %s, %d bytes)",
                exc.field,
                len(raw),
            )
            return None
        return msg

    def _on_frame(self, raw: str | bytes) -> None:
        msg = self._parse(raw)
        if msg is None:
            return
        try:
            self._dispatch(msg)
        except Exception as exc:
            log_failure(f"handling a {getattr(msg, 'type', '?')} frame failed", exc)

    def _dispatch(self, msg: m.Msg) -> None:
        if msg.ref is not None:
            fut = self._pending.pop(msg.ref, None)
            if fut is not None and not fut.done():
                fut.set_result(msg)
            if fut is not None and isinstance(msg, m.Error):
                return  # the command raises it
        if isinstance(msg, m.Ack | m.Pong):
            return  # answers only (an identify's ack follows its result: nobody waits)
        if isinstance(msg, m.QueueDelta) and not self._apply_queue_delta(msg):
            return
        self._apply(msg)

    def _apply(self, msg: m.Msg) -> None:
        """Update the state from one hub message, then emit it (and what follows from it)."""
        after: list[Event] = []
        if isinstance(msg, m.Welcome):
            self._on_welcome(msg)
            return
        if isinstance(msg, m.OfferMsg):
            self._offer = msg
        elif isinstance(msg, m.OfferWithdrawn):
            if self._offer is not None and self._offer.contact.id == msg.contact_id:
                self._offer = None
        elif isinstance(msg, m.ContactUpdate):
            cid = msg.contact.id
            self._contacts[cid] = _merge_chat(self._contacts.get(cid), msg.contact)
            if self._offer is not None and self._offer.contact.id == cid:
                self._offer = None
        elif isinstance(msg, m.ContactGone):
            self._contacts.pop(msg.contact_id, None)
        elif isinstance(msg, m.QueueSnapshot | m.WallboardMsg):
            self._keep_latest(msg)
        elif isinstance(msg, m.StaffStateMsg):
            self._state = msg.state
            self._state_until = msg.until
            if msg.state != "ringing":
                self._offer = None
            after = self._contacts_follow_state(msg.state)
        elif isinstance(msg, m.ChatMsg):
            self._add_chat(msg.message)
        self._emit(msg)  # type: ignore[arg-type]
        for event in after:
            self._emit(event)

    def _keep_latest(self, msg: m.QueueSnapshot | m.WallboardMsg) -> None:
        """The views the hub sends whole: the last one is what stands."""
        if isinstance(msg, m.QueueSnapshot):
            self._queue_view.reset(msg.entries)
            self._queue = msg
            self._queue_summaries = msg.summaries
        else:
            self._wallboard = msg

    def _apply_queue_delta(self, delta: m.QueueDelta) -> bool:
        """Apply what changed in the queue view (the hub sends it whole once a
        connection, then as deltas: :mod:`console.protocol.queueview`); False if
        ``delta`` is out of step (then it is dropped)."""
        try:
            self._queue_view.apply(delta.upsert, delta.remove)
        except queueview.OutOfStep:
            log.warning("the hub sent a queue delta before the queue view; ignored")
            return False
        self._queue = None  # built again when asked for
        self._queue_summaries = delta.summaries
        return True

    def _contacts_follow_state(self, state: m.StaffStateName) -> list[Event]:
        """What the staff state says of the held contacts, which the hub does not send.

        A staff member holds a contact exactly while busy or wrapping up (the
        hub's welcome counts it so). Wrap-up means the contact has ended (the
        holder ended it, or the patient hung up): its view goes to "wrap_up".
        Any other state means it is closed: it leaves :attr:`contacts`.
        """
        events: list[Event] = []
        if state == "wrap_up":
            for cid, view in list(self._contacts.items()):
                if view.state != "wrap_up":
                    self._contacts[cid] = view.model_copy(update={"state": "wrap_up"})
                    events.append(m.ContactUpdate(contact=self._contacts[cid]))
        elif state != "busy":
            for cid in list(self._contacts):
                del self._contacts[cid]
                events.append(m.ContactGone(contact_id=cid, reason="closed"))
        return events

    def _on_welcome(self, welcome: m.Welcome) -> None:
        before = dict(self._contacts)
        self._welcome = welcome
        self._me = welcome.staff
        self._state = welcome.state
        self._state_until = welcome.state_until
        self._queue_view.forget()  # a new connection: the hub sends the view whole first
        self._contacts.clear()
        for view in welcome.contacts:
            self._contacts[view.id] = _merge_chat(before.get(view.id), view)
        lost_offer = None
        if self._offer is not None and welcome.state != "ringing":
            lost_offer, self._offer = self._offer, None
        self._set_state("online")
        self._emit(welcome)
        for cid in sorted(before.keys() - self._contacts.keys()):
            self._emit(m.ContactGone(contact_id=cid, reason="connection_lost"))
        if lost_offer is not None:
            self._emit(m.OfferWithdrawn(contact_id=lost_offer.contact.id, reason="connection_lost"))
        for view in list(self._contacts.values()):
            self._emit(m.ContactUpdate(contact=view))

    def _add_chat(self, message: m.ChatMessage) -> None:
        view = self._contacts.get(message.contact_id)
        if view is None or any(x.id == message.id for x in view.chat):
            return
        chat = [*view.chat, message]
        if len(chat) > 1 and chat[-2].id > message.id:
            chat.sort(key=lambda x: x.id)
        self._contacts[view.id] = view.model_copy(update={"chat": chat})

    # ------------------------------------------------------------------ commands

    async def request(
        self,
        command: m.Msg,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 (it bounds the wait for a reconnect too)
    ) -> m.Msg:
        """Send ``command`` with a fresh ``ref`` and return the hub's reply to it.

        The reply is an ``ack``, or a typed reply (``pong``, ``identify_result``);
        an ``error`` raises :class:`HubCommandError`. While the client is
        (re)connecting the command waits for the connection; the whole wait is
        bounded by ``timeout`` (``request_timeout`` by default), after which
        :class:`CommandTimeoutError`. Raises :class:`NotConnectedError` when
        logged out or closed, :class:`ConnectionLostError` when the connection
        drops after sending.
        """
        if isinstance(command, m.StaffHello):
            raise ValueError("connect() sends the hello")
        limit = self.request_timeout if timeout is None else timeout
        ref = f"c{next(self._refs)}"
        frame = command.model_copy(update={"ref": ref})
        fut: asyncio.Future[m.Msg] = asyncio.get_running_loop().create_future()
        try:
            async with asyncio.timeout(limit):
                await self._send_frame(frame, ref, fut)
                reply = await fut
        except TimeoutError:
            raise CommandTimeoutError(_type_of(command), limit) from None
        finally:
            self._pending.pop(ref, None)
        if isinstance(reply, m.Error):
            raise HubCommandError(reply.code, reply.message, reply.field)
        return reply

    async def send(
        self,
        command: m.Msg,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 (as request's)
    ) -> None:
        """Send ``command`` without a ``ref``: no reply is awaited (the hub sends none).

        Waits for the connection like :meth:`request`. If the hub refuses the
        frame, its ``error`` arrives as an ``error`` event.
        """
        if isinstance(command, m.StaffHello):
            raise ValueError("connect() sends the hello")
        limit = self.request_timeout if timeout is None else timeout
        frame = command.model_copy(update={"ref": None}) if command.ref is not None else command
        try:
            async with asyncio.timeout(limit):
                await self._send_frame(frame)
        except TimeoutError:
            raise CommandTimeoutError(_type_of(command), limit) from None

    async def _send_frame(
        self, frame: m.Msg, ref: str | None = None, fut: asyncio.Future[m.Msg] | None = None
    ) -> None:
        text = m.dump(frame)
        stale: aiohttp.ClientWebSocketResponse | None = None
        while True:
            ws = await self._wait_online(stale)
            if ref is not None and fut is not None:
                self._pending[ref] = fut
            try:
                await ws.send_str(text)
            except (ConnectionError, RuntimeError, aiohttp.ClientError):
                if fut is not None and fut.done():
                    return  # the drop was noticed meanwhile: the caller gets ConnectionLost
                if ref is not None:
                    self._pending.pop(ref, None)
                stale = ws  # not written: wait for the next connection and send it there
                continue
            log.debug("sent %s %s", _type_of(frame), ref or "")
            return

    async def set_state(self, state: StateChoice, reason: str = "") -> None:
        """Go available, on a break (``reason``: why) or offline."""
        await self.request(_command(m.SetState, type="set_state", state=state, reason=reason))

    async def accept(self, contact_id: str) -> None:
        """Answer the ringing offer; on return :attr:`contacts` holds the contact."""
        await self.request(_command(m.Accept, type="accept", contact_id=contact_id))

    async def reject(self, contact_id: str) -> None:
        """Decline the ringing offer."""
        await self.request(_command(m.Reject, type="reject", contact_id=contact_id))

    async def transfer(self, contact_id: str, to: str) -> None:
        """Pass the contact on: ``"duty:pediatrician"``, ``"duty:therapist"``, ``"doctor:<id>"``."""
        await self.request(_command(m.Transfer, type="transfer", contact_id=contact_id, to=to))

    async def end(self, contact_id: str) -> None:
        """End the contact: a doctor hands the patient back, a medconsultant goes to wrap-up."""
        await self.request(_command(m.EndContact, type="end", contact_id=contact_id))

    async def wrapup_done(
        self, contact_id: str, outcome: m.Outcome = "completed", comment: str = ""
    ) -> None:
        """Finish the wrap-up of ``contact_id`` with its outcome and a comment."""
        await self.request(
            _command(
                m.WrapUpDone,
                type="wrapup_done",
                contact_id=contact_id,
                outcome=outcome,
                comment=comment,
            )
        )

    async def chat(self, contact_id: str, text: str = "", attachment_id: str | None = None) -> None:
        """Post to the contact's chat; on return the message is in ``contacts[id].chat``."""
        await self.request(
            _command(
                m.StaffChat,
                type="chat",
                contact_id=contact_id,
                text=text,
                attachment_id=attachment_id,
            )
        )

    async def signal(self, contact_id: str, signal: m.Signal) -> None:
        """Relay a WebRTC signal to the patient; fire-and-forget (no ref, no ack)."""
        await self.send(
            _command(m.StaffSignal, type="signal", contact_id=contact_id, signal=signal)
        )

    async def identify(
        self,
        contact_id: str,
        *,
        phone: str | None = None,
        policy_number: str | None = None,
        full_name: str | None = None,
        birth_date: date | None = None,
    ) -> m.IdentifyResult:
        """Look the caller up (by the contact's own phone when no key is given)."""
        reply = await self.request(
            _command(
                m.Identify,
                type="identify",
                contact_id=contact_id,
                phone=phone,
                policy_number=policy_number,
                full_name=full_name,
                birth_date=birth_date,
            )
        )
        if not isinstance(reply, m.IdentifyResult):
            raise HubCommandError(
                "unexpected_reply", f"identify was answered with {_type_of(reply)}"
            )
        return reply

    async def select_person(self, contact_id: str, person_id: int) -> None:
        """Settle whom the contact is about; the updated contact arrives first."""
        await self.request(
            _command(
                m.SelectPerson, type="select_person", contact_id=contact_id, person_id=person_id
            )
        )

    async def send_consent(self, contact_id: str, kind: m.ConsentKindName) -> None:
        """Send a consent to the patient to confirm."""
        await self.request(
            _command(m.SendConsent, type="send_consent", contact_id=contact_id, kind=kind)
        )

    async def set_reason(self, contact_id: str, reason: str) -> None:
        """Record the reason for the contact."""
        await self.request(
            _command(m.SetReason, type="set_reason", contact_id=contact_id, reason=reason)
        )

    async def raise_call(self, contact_id: str, media: Literal["audio", "video"] = "video") -> None:
        """Ask the patient to raise the chat to a call; ``call_answered`` follows."""
        await self.request(
            _command(m.RaiseCall, type="raise_call", contact_id=contact_id, media=media)
        )

    async def hold(self, contact_id: str, on: bool = True) -> None:
        """Put the connected patient on hold (``on=False``: take them off it).

        The patient's page shows that they are on hold until it is taken off,
        across their reconnects; a transfer, hand-back or end takes it off. On
        return ``contacts[id].on_hold`` shows it. Only the holder of a connected
        contact may; else :class:`HubCommandError` ``"forbidden"`` or ``"conflict"``.
        """
        await self.request(_command(m.Hold, type="hold", contact_id=contact_id, on=on))

    async def register_phone(self, contact_id: str, person_id: int) -> None:
        """Add the contact's caller phone to ``person_id``'s phones (003 registration).

        The person must have been found on this contact by policy number or by
        full name and birth date (:meth:`identify`): that is the additional
        identification the phone is registered after. On return the contact's
        update has arrived (its ``person.phones`` include the phone when the
        contact is about that person), and an :meth:`identify` by phone finds
        the person. :class:`HubCommandError`: ``"conflict"`` when the contact has
        no caller phone, the phone is already that person's, or the person was
        not identified on this contact; ``"not_found"`` for an unknown person.
        """
        await self.request(
            _command(
                m.RegisterPhone, type="register_phone", contact_id=contact_id, person_id=person_id
            )
        )

    async def save_conclusion(
        self,
        contact_id: str,
        *,
        complaints: str = "",
        history: str = "",
        recommendations: str = "",
        in_person_visit: bool = False,
        no_conclusion: bool = False,
    ) -> m.ConclusionView:
        """Sign the conclusion of the contact this doctor holds; returns the signed version.

        Signing is the doctor's name and the hub's time; saving again signs the next
        version (a signed one never changes). There is no diagnosis, prescription, sick
        leave or certificate to give (telemedicine's limits). On return
        ``contacts[id].consultation.conclusion`` is this version, and the patient has been
        sent its PDF. :class:`HubCommandError`: ``"bad_message"`` when complaints or
        recommendations are missing without ``no_conclusion``; ``"forbidden"`` for anyone
        but the doctor holding the contact.
        """
        await self.request(
            _command(
                m.SaveConclusion,
                type="save_conclusion",
                contact_id=contact_id,
                complaints=complaints,
                history=history,
                recommendations=recommendations,
                in_person_visit=in_person_visit,
                no_conclusion=no_conclusion,
            )
        )
        view = self._contacts.get(contact_id)
        signed = view.consultation.conclusion if view and view.consultation else None
        if signed is None:
            raise HubCommandError("unexpected_reply", "the signed conclusion did not arrive")
        return signed

    # ------------------------------------------------------------------ booking

    async def _reply(self, command: m.Msg, kind: type[R]) -> R:
        reply = await self.request(command)
        if not isinstance(reply, kind):
            raise HubCommandError(
                "unexpected_reply", f"{_type_of(command)} was answered with {_type_of(reply)}"
            )
        return reply

    async def list_slots(
        self,
        *,
        specialty: str | None = None,
        doctor_id: int | None = None,
        day: date | None = None,
        limit: int = 10,
    ) -> m.SlotsMsg:
        """Free slots of a specialty and/or a doctor: the ``limit`` earliest from now,
        or those of ``day`` (the call center's date). ``doctors`` lists every doctor
        who takes appointments."""
        return await self._reply(
            _command(
                m.ListSlots,
                type="list_slots",
                specialty=specialty,
                doctor_id=doctor_id,
                day=day,
                limit=limit,
            ),
            m.SlotsMsg,
        )

    async def list_free_days(
        self, year: int, month: int, *, specialty: str | None = None, doctor_id: int | None = None
    ) -> m.FreeDaysMsg:
        """How many free slots each day of the month has, for the calendar."""
        return await self._reply(
            _command(
                m.ListFreeDays,
                type="list_free_days",
                year=year,
                month=month,
                specialty=specialty,
                doctor_id=doctor_id,
            ),
            m.FreeDaysMsg,
        )

    async def hold_slot(
        self, person_id: int, doctor_id: int, start: datetime, *, contact_id: str | None = None
    ) -> m.SlotHeld:
        """Hold a slot for 10 minutes while the booking is agreed (a medconsultant's).

        :class:`HubCommandError` ``"slot_taken"`` when another medconsultant was
        faster: list the slots again. A new hold lets this person's earlier one go.
        """
        return await self._reply(
            _command(
                m.HoldSlot,
                type="hold_slot",
                person_id=person_id,
                doctor_id=doctor_id,
                start=start,
                contact_id=contact_id,
            ),
            m.SlotHeld,
        )

    async def confirm_booking(
        self,
        appointment_id: int,
        way: m.ContactWayName,
        *,
        phone: str | None = None,
        documents_needed: bool = False,
        referral_id: int | None = None,
    ) -> m.AppointmentView:
        """Book the held slot; the booking SMS has gone out when this returns.
        :class:`HubCommandError` with the rule's code (``"hold_expired"``,
        ``"referral_required"``, ``"quota_exhausted"``...) when it cannot be."""
        reply = await self._reply(
            _command(
                m.ConfirmBooking,
                type="confirm_booking",
                appointment_id=appointment_id,
                way=way,
                phone=phone,
                documents_needed=documents_needed,
                referral_id=referral_id,
            ),
            m.AppointmentMsg,
        )
        return reply.appointment

    async def release_hold(self, appointment_id: int) -> None:
        """Let one's own hold go (the dialog closed, another slot chosen)."""
        await self.request(
            _command(m.ReleaseHold, type="release_hold", appointment_id=appointment_id)
        )

    async def cancel_appointment(self, appointment_id: int) -> m.AppointmentView:
        """Cancel at the insured's request: before the start the slot is free again."""
        reply = await self._reply(
            _command(m.CancelAppointment, type="cancel_appointment", appointment_id=appointment_id),
            m.AppointmentMsg,
        )
        return reply.appointment

    async def list_appointments(
        self, person_id: int, *, contact_id: str | None = None
    ) -> m.AppointmentsMsg:
        """An insured's appointments, future and past, their referrals and quota left."""
        return await self._reply(
            _command(
                m.ListAppointments,
                type="list_appointments",
                person_id=person_id,
                contact_id=contact_id,
            ),
            m.AppointmentsMsg,
        )

    async def documents_in(self, appointment_id: int) -> m.AppointmentView:
        """The documents the consultation needs are in the medical card (003)."""
        reply = await self._reply(
            _command(m.DocumentsIn, type="documents_in", appointment_id=appointment_id),
            m.AppointmentMsg,
        )
        return reply.appointment

    async def failed_call(self, contact_id: str) -> m.AppointmentView:
        """The booked doctor failed one more phone attempt; the third closes it as given."""
        reply = await self._reply(
            _command(m.FailedCall, type="failed_call", contact_id=contact_id),
            m.AppointmentMsg,
        )
        return reply.appointment

    async def list_my_day(self) -> m.MyDayMsg:
        """A doctor's own appointments of the call center's today, by start."""
        return await self._reply(_command(m.ListMyDay, type="list_my_day"), m.MyDayMsg)

    # ------------------------------------------------------------------ the supervisor's

    async def watch_wallboard(self, on: bool = True) -> None:
        """Watch the wallboard (``on=False``: stop). A supervisor's only.

        On return :attr:`wallboard` holds the hub's first one; then a
        ``wallboard`` event about once a second while anything changes. While
        on, it is watched again after every reconnect. Others get
        :class:`HubCommandError` ``"forbidden"``.
        """
        self._watching = on
        try:
            await self.request(_command(m.WatchWallboard, type="watch_wallboard", on=on))
        except HubCommandError:
            self._watching = False
            raise

    async def get_report(self, day: date) -> m.ReportMsg:
        """The day's report (the call center's local day): every queue group in 15-minute
        intervals, and the same as CSV text (``report.csv``). A supervisor's only."""
        reply = await self.request(_command(m.GetReport, type="get_report", day=day))
        if not isinstance(reply, m.ReportMsg):
            raise HubCommandError(
                "unexpected_reply", f"get_report was answered with {_type_of(reply)}"
            )
        return reply

    async def move_contact(self, contact_id: str, staff_id: str) -> None:
        """Give a waiting contact to a staff member: it is offered to them next (at once
        if they are free), and to nobody else meanwhile. Audited. :class:`HubCommandError`
        ``"conflict"`` when the contact is not waiting, or the staff member is not online
        or does not serve its queue; ``"not_found"`` for an unknown one."""
        await self.request(
            _command(m.MoveContact, type="move_contact", contact_id=contact_id, staff_id=staff_id)
        )

    async def force_offline(self, staff_id: str) -> None:
        """Set a staff member offline, as if their console were lost: a contact they held
        goes back to the head of its queue. Audited. :class:`HubCommandError`
        ``"conflict"`` when they are offline already, ``"not_found"`` for an unknown one."""
        await self.request(_command(m.ForceOffline, type="force_offline", staff_id=staff_id))

    async def ping(self) -> float:
        """Round trip to the hub, in seconds."""
        started = time.monotonic()
        await self.request(m.Ping(type="ping"))
        return time.monotonic() - started

    # ------------------------------------------------------------------ files

    async def upload(
        self,
        source: str | PathLike[str] | bytes,
        *,
        name: str | None = None,
    ) -> m.Attachment:
        """Upload a file (a path, or its bytes with ``name``) for a chat message.

        Returns the :class:`~console.protocol.messages.Attachment`; send its
        ``id`` with :meth:`chat`. Raises :class:`HttpError` when the hub refuses
        it (``"too_large"``, ``"type_not_allowed"``, ``"unauthorized"``). Bounded by
        the aiohttp session's timeout; wrap it in ``asyncio.timeout`` for less.
        """
        token = self._require_token()
        if isinstance(source, bytes):
            data, filename = source, name or "file"
        else:
            path = Path(source)
            data = await asyncio.to_thread(path.read_bytes)
            filename = name or path.name
        form = aiohttp.FormData()
        form.add_field("file", data, filename=filename, content_type="application/octet-stream")
        body: Any = None
        try:
            async with self._http().post(
                f"{self._base}/api/upload",
                data=form,
                headers={"Authorization": f"Bearer {token}"},
                ssl=self._ssl,
            ) as resp:
                status = resp.status
                body = await _json_body(resp)
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise HubUnreachableError(f"upload failed ({type(exc).__name__})") from None
        if status != 200:
            raise HttpError(status, *_error_of(body, status))
        return m.Attachment.model_validate(body)

    async def download(self, url: str) -> bytes:
        """The bytes of an attachment (``Attachment.url``, relative to the hub or absolute).

        Only URLs on the hub itself are fetched: the session token goes nowhere else.
        Bounded by the aiohttp session's timeout.
        """
        token = self._require_token()
        full = urljoin(self._base + "/", url)
        mine, theirs = urlsplit(self._base), urlsplit(full)
        if (theirs.scheme, theirs.netloc) != (mine.scheme, mine.netloc):
            raise ValueError("not a URL of this hub")
        try:
            async with self._http().get(
                full, headers={"Authorization": f"Bearer {token}"}, ssl=self._ssl
            ) as resp:
                status = resp.status
                data = await resp.read()
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise HubUnreachableError(f"download failed ({type(exc).__name__})") from None
        if status != 200:
            raise HttpError(status, *_error_of(_json_or_none(data), status))
        return data

    def _require_token(self) -> str:
        self._check_open()
        if self._token is None:
            raise LoginError("not_logged_in", "log in first")
        return self._token


# ---------------------------------------------------------------------- helpers


def _command(cls: type[C], **fields: Any) -> C:
    """Build a command; bad input raises :class:`HubCommandError` ``bad_message``,
    as the hub would, without repeating the input (it may be personal)."""
    try:
        return cls(**fields)
    except ValidationError as exc:
        err = exc.errors(include_url=False, include_input=False)[0]
        field = ".".join(str(p) for p in err["loc"]) or None
        raise HubCommandError("bad_message", f"{field}: {err['msg']}", field) from None


def _type_of(msg: m.Msg) -> str:
    return str(getattr(msg, "type", type(msg).__name__))


def _merge_chat(old: m.ContactView | None, new: m.ContactView) -> m.ContactView:
    """``new``, keeping chat messages only ``old`` has (a view read before they landed)."""
    if old is None or not old.chat:
        return new
    ids = {x.id for x in new.chat}
    extra = [x for x in old.chat if x.id not in ids]
    if not extra:
        return new
    return new.model_copy(update={"chat": sorted([*new.chat, *extra], key=lambda x: x.id)})


def _json_or_none(data: bytes) -> Any:
    import json

    try:
        return json.loads(data)
    except ValueError:
        return None


async def _json_body(resp: aiohttp.ClientResponse) -> Any:
    return _json_or_none(await resp.read())


def _error_of(body: Any, status: int) -> tuple[str, str]:
    """``(code, message)`` of the hub's ``{"error": {...}}`` body, or of the status."""
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, dict):
        code = str(err.get("code") or f"http_{status}")
        return code, str(err.get("message") or code)
    return f"http_{status}", f"the hub answered HTTP {status}"

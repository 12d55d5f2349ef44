"""Plain Python events: callbacks, one-shot futures and async streams.

The staff client emits every message the hub sends it (parsed with
:mod:`console.protocol`) under its ``type`` ("offer", "contact", "chat", ...),
plus :class:`ConnectionEvent` under ``"connection"``. The Qt console turns them
into signals; tests and coroutines await them.

Threading: everything here runs on the asyncio loop's thread. Callbacks are
called synchronously, in the order the hub sent the frames, after the client
has updated its own state (``client.contacts`` and friends already show the
change when a callback runs). A callback that returns an awaitable has it run as
a task of its own; the client cancels such tasks when it closes.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, get_args

from console.client.errors import NotConnectedError
from console.protocol import messages as m

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from types import TracebackType

log = logging.getLogger(__name__)

ConnectionState: TypeAlias = Literal["connecting", "online", "reconnecting", "logged_out", "closed"]

EventKind: TypeAlias = Literal[
    "welcome",
    "error",
    "offer",
    "offer_withdrawn",
    "contact",
    "contact_gone",
    "queue",
    "state",
    "identify_result",
    "chat",
    "signal",
    "call_answered",
    "wallboard",
    "report",
    "connection",
]
EVENT_KINDS: frozenset[str] = frozenset(get_args(EventKind))


@dataclass(frozen=True)
class ConnectionEvent:
    """The connection changed state (emitted under ``"connection"``).

    ``reason`` says why, where there is one: ``"connection_lost"``,
    ``"hub_stopping"``, ``"unauthorized"`` (the session was refused),
    ``"signed_in_elsewhere"`` (this login connected from another console),
    ``"closed"`` (``close()`` was called).
    """

    state: ConnectionState
    previous: ConnectionState
    reason: str = ""
    type: Literal["connection"] = "connection"


# What the hub sends to staff, one class per event kind ("ack" and "pong" only
# ever answer a command, so they are no events).
EVENT_CLASSES: dict[type[Any], str] = {
    m.Welcome: "welcome",
    m.Error: "error",
    m.OfferMsg: "offer",
    m.OfferWithdrawn: "offer_withdrawn",
    m.ContactUpdate: "contact",
    m.ContactGone: "contact_gone",
    m.QueueSnapshot: "queue",
    m.QueueDelta: "queue",
    m.StaffStateMsg: "state",
    m.IdentifyResult: "identify_result",
    m.ChatMsg: "chat",
    m.SignalMsg: "signal",
    m.CallAnswered: "call_answered",
    m.WallboardMsg: "wallboard",
    m.ReportMsg: "report",
    ConnectionEvent: "connection",
}

Event: TypeAlias = (
    m.Welcome
    | m.Error
    | m.OfferMsg
    | m.OfferWithdrawn
    | m.ContactUpdate
    | m.ContactGone
    | m.QueueSnapshot
    | m.QueueDelta
    | m.StaffStateMsg
    | m.IdentifyResult
    | m.ChatMsg
    | m.SignalMsg
    | m.CallAnswered
    | m.WallboardMsg
    | m.ReportMsg
    | ConnectionEvent
)
Unsubscribe: TypeAlias = "Callable[[], None]"


def kind_of(kind: str | type[Any]) -> str:
    """The event kind of a kind name or of a message class; ``ValueError`` if neither."""
    if isinstance(kind, str):
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}; one of {sorted(EVENT_KINDS)}")
        return kind
    found = EVENT_CLASSES.get(kind)
    if found is None:
        raise ValueError(f"{kind!r} is not an event the staff client emits")
    return found


def log_failure(what: str, exc: BaseException) -> None:
    """Log an exception's type and traceback, but not its message (it may hold personal data)."""
    tb = "".join(traceback.format_tb(exc.__traceback__))
    log.error("%s: %s\n%s", what, type(exc).__name__, tb.rstrip())


class EventStream:
    """An async iterator over the events of some kinds, from its creation on.

    Use it in ``async with`` (or call :meth:`close`) so that it stops collecting::

        async with client.events("offer", "connection") as events:
            async for event in events:
                ...

    The stream ends when the client closes. Events queue up without bound until
    they are read: a stream that nobody reads must be closed.
    """

    _END: Any = object()

    def __init__(self, emitter: Emitter, kinds: frozenset[str] | None) -> None:
        self._emitter = emitter
        self.kinds = kinds
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._closed = False

    def _offer(self, kind: str, event: Event) -> None:
        if not self._closed and (self.kinds is None or kind in self.kinds):
            self._queue.put_nowait(event)

    def _end(self) -> None:
        if not self._closed:
            self._closed = True
            self._queue.put_nowait(self._END)

    def close(self) -> None:
        """Stop collecting; a reader waiting in ``async for`` finishes."""
        self._emitter._streams.discard(self)
        self._end()

    def __aiter__(self) -> EventStream:
        return self

    async def __anext__(self) -> Event:
        item = await self._queue.get()
        if item is self._END:
            self._queue.put_nowait(self._END)  # every later read ends too
            raise StopAsyncIteration
        event: Event = item
        return event

    async def __aenter__(self) -> EventStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class Emitter:
    """Callbacks by kind, one-shot futures and streams; see the module docstring."""

    def __init__(self, task_prefix: str) -> None:
        self._handlers: dict[str, list[Callable[[Any], object]]] = {}
        self._streams: set[EventStream] = set()
        self._futures: set[asyncio.Future[Any]] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._prefix = task_prefix
        self._closed = False

    def on(self, kind: str, callback: Callable[[Any], object]) -> Unsubscribe:
        handlers = self._handlers.setdefault(kind, [])
        handlers.append(callback)

        def unsubscribe() -> None:
            if callback in handlers:
                handlers.remove(callback)

        return unsubscribe

    def expect(self, kind: str, where: Callable[[Any], bool] | None = None) -> asyncio.Future[Any]:
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        if self._closed:
            fut.set_exception(NotConnectedError("closed"))
            return fut

        def check(event: Any) -> None:
            if not fut.done() and (where is None or where(event)):
                fut.set_result(event)

        off = self.on(kind, check)
        self._futures.add(fut)

        def done(f: asyncio.Future[Any]) -> None:
            off()
            self._futures.discard(f)

        fut.add_done_callback(done)
        return fut

    def stream(self, kinds: frozenset[str] | None) -> EventStream:
        stream = EventStream(self, kinds)
        if self._closed:
            stream._end()
        else:
            self._streams.add(stream)
        return stream

    def emit(self, kind: str, event: Event) -> None:
        """Call the handlers of ``kind`` now; a failing handler is logged and skipped."""
        for callback in list(self._handlers.get(kind, ())):
            try:
                result = callback(event)
            except Exception as exc:
                log_failure(f"a {kind} handler failed", exc)
                continue
            if inspect.isawaitable(result):
                self._spawn(kind, result)
        for stream in list(self._streams):
            stream._offer(kind, event)

    def _spawn(self, kind: str, awaitable: Awaitable[object]) -> None:
        async def run() -> None:
            try:
                await awaitable
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log_failure(f"a {kind} handler failed", exc)

        task = asyncio.get_running_loop().create_task(run(), name=f"{self._prefix}-on-{kind}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def aclose(self) -> None:
        """End the streams, cancel waiting futures and running handler tasks."""
        self._closed = True
        for stream in list(self._streams):
            stream._end()
        self._streams.clear()
        for fut in list(self._futures):
            if not fut.done():
                fut.set_exception(NotConnectedError("closed"))
                fut.exception()  # a future nobody awaits any more is no error to log
        me = asyncio.current_task()
        tasks = [t for t in self._tasks if t is not me]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

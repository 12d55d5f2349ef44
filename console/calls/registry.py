"""Every live call session of a process, closed together on shutdown.

As in aiortc's ``examples/server``: a session enters the registry when it is
created and leaves it when it closes; :meth:`CallRegistry.close_all` closes the
rest concurrently with ``asyncio.gather`` (the console calls it on quit, the hub's
test staff client when it stops).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import TracebackType

    from console.calls.session import CallSession

log = logging.getLogger(__name__)

S = TypeVar("S", bound="CallSession")


class CallRegistry:
    """The live sessions; a closed session removes itself."""

    def __init__(self) -> None:
        self._sessions: dict[int, CallSession] = {}

    def add(self, session: S) -> S:
        """Keep ``session`` until it closes; returns it."""
        if session.closed:
            raise ValueError("cannot register a closed session")
        self._sessions[id(session)] = session
        session.add_close_callback(self._forget)
        return session

    def _forget(self, session: CallSession) -> None:
        self._sessions.pop(id(session), None)

    def find(self, leg: str) -> CallSession | None:
        """The live session of ``leg`` (the newest if several)."""
        for session in reversed(list(self._sessions.values())):
            if session.leg == leg:
                return session
        return None

    def __len__(self) -> int:
        return len(self._sessions)

    def __iter__(self) -> Iterator[CallSession]:
        return iter(list(self._sessions.values()))

    def __contains__(self, session: object) -> bool:
        return any(s is session for s in self._sessions.values())

    async def close(self, leg: str) -> bool:
        """Close the session of ``leg``; ``False`` if there is none."""
        session = self.find(leg)
        if session is None:
            return False
        await session.close()
        return True

    async def close_all(self) -> None:
        """Close every session concurrently; a failure is logged, never stops the others."""
        sessions = list(self._sessions.values())
        if not sessions:
            return
        results = await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                log.error("closing a call session failed: %s", type(result).__name__)
        self._sessions.clear()

    async def __aenter__(self) -> CallRegistry:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close_all()

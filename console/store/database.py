"""One handle on the database: the engine and a unit-of-work session."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError

from console.store.engine import create_engine, session_factory

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession


P = ParamSpec("P")
T = TypeVar("T")


class Database:
    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.engine: AsyncEngine = create_engine(url, **engine_kwargs)
        self._sessions = session_factory(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits on success, rolls back on any exception."""
        async with self._sessions() as session, session.begin():
            yield session

    async def read(
        self,
        fn: Callable[Concatenate[AsyncConnection, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run a look-up on a pooled connection; once more if the server had dropped it.

        A dropped connection (database restarted, network blip) surfaces on its
        first use; SQLAlchemy then invalidates the pool, and the retry gets a
        fresh connection. Only for reads: they are safe to repeat.
        """
        for attempt in (1, 2):
            try:
                async with self.engine.connect() as conn:
                    return await fn(conn, *args, **kwargs)
            except DBAPIError as exc:
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        """A pooled connection for look-ups: no ORM session, rolled back on exit."""
        async with self.engine.connect() as conn:
            yield conn

    async def close(self) -> None:
        await self.engine.dispose()

"""What the staff client raises.

Every error is a :class:`StaffClientError`; the ones about the connection are
also ``ConnectionError`` and a timeout is also ``TimeoutError``, so plain
``except ConnectionError`` works too. Messages carry codes and the hub's own
words, never the password, the token or the content of a command.
"""

from __future__ import annotations


class StaffClientError(Exception):
    """Base of everything :mod:`console.client` raises."""


class LoginError(StaffClientError):
    """The hub refused the credentials or the session.

    Raised by :meth:`StaffClient.login` (``code`` ``"bad_credentials"`` and the
    hub's message on a wrong login or password) and by :meth:`StaffClient.connect`
    when the hub rejects the session token (``code`` ``"unauthorized"``): show the
    login dialog again.
    """

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def __repr__(self) -> str:
        return f"LoginError(code={self.code!r}, status={self.status!r})"


class HubCommandError(StaffClientError):
    """The hub answered a command with an ``error`` frame.

    ``code`` is the hub's ("conflict", "forbidden", "not_found", "bad_message",
    "internal", ...), ``message`` its explanation for a person, ``field`` the
    command's field it names, if any.
    """

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"HubCommandError(code={self.code!r}, field={self.field!r})"


class HttpError(StaffClientError):
    """An upload or a download the hub refused (size, type, unknown file, ...)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class HubUnreachableError(StaffClientError, ConnectionError):
    """The hub could not be reached (refused, timed out, closed during the hello)."""


class NotConnectedError(StaffClientError, ConnectionError):
    """A command while the client is not connected and will not be by itself.

    ``state`` is the connection state at the time: ``"closed"`` (never connected
    or closed) or ``"logged_out"`` (the session ended: log in again).
    """

    def __init__(self, state: str) -> None:
        super().__init__(f"not connected to the hub ({state})")
        self.state = state


class ConnectionLostError(StaffClientError, ConnectionError):
    """The connection dropped after the command was sent and before its reply.

    The hub may or may not have carried it out; the client does not resend it
    (a chat message would go twice). The reconnect goes on by itself.
    """


class CommandTimeoutError(StaffClientError, TimeoutError):
    """No reply within the command's timeout (that includes waiting for a reconnect)."""

    def __init__(self, command: str, timeout: float) -> None:
        super().__init__(f"no reply to {command} within {timeout:g} s")
        self.command = command
        self.timeout = timeout

"""The staff side of the hub protocol: login, event stream, commands, reconnect.

Async and Qt-free; imports only :mod:`console.protocol`, aiohttp and the
standard library. The Qt console subscribes to :class:`StaffClient`'s events
and calls its commands; see :mod:`console.client.staff` for the ordering and
threading rules.
"""

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
    EVENT_KINDS,
    ConnectionEvent,
    ConnectionState,
    Event,
    EventKind,
    EventStream,
)
from console.client.staff import DEFAULT_BACKOFF, StaffClient

__all__ = [
    "DEFAULT_BACKOFF",
    "EVENT_KINDS",
    "CommandTimeoutError",
    "ConnectionEvent",
    "ConnectionLostError",
    "ConnectionState",
    "Event",
    "EventKind",
    "EventStream",
    "HttpError",
    "HubCommandError",
    "HubUnreachableError",
    "LoginError",
    "NotConnectedError",
    "StaffClient",
    "StaffClientError",
]

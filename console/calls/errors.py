"""Errors of the calls package."""

from __future__ import annotations


class CallError(RuntimeError):
    """A call cannot go on: the peer connection failed or closed, or the session is closed."""


class SignalError(CallError, ValueError):
    """A signaling step was refused: malformed SDP or candidate, wrong leg or wrong kind.

    The session that raised it stays usable (or at least closable); the caller
    reports the error to whoever sent the signal.
    """


class TrackEnded(CallError):
    """The track a :class:`~console.calls.media.FrameSink` was waiting on has ended."""

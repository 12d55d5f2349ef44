"""The wire protocol: pydantic models of every message, versioned (``VERSION``)."""

from console.protocol.messages import *  # noqa: F403
from console.protocol.messages import VERSION, ProtocolError, dump

__all__ = ["VERSION", "ProtocolError", "dump"]

"""Where SMS messages go: a pluggable backend.

``file`` appends one JSON object per message (``{"to", "text", "at"}``) to the
outbox file, for demos and tests; ``log`` only notes that a message went out
(never to whom or what). A real gateway is one more class with ``send``.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

log = logging.getLogger(__name__)


class SmsBackend(Protocol):
    async def send(self, to: str, text: str, at: datetime) -> None: ...


class FileOutbox:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = asyncio.Lock()

    def _append(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")

    async def send(self, to: str, text: str, at: datetime) -> None:
        line = json.dumps({"to": to, "text": text, "at": at.isoformat()}, ensure_ascii=False)
        async with self._lock:
            await asyncio.to_thread(self._append, line)


class LogOnly:
    async def send(self, to: str, text: str, at: datetime) -> None:
        log.info("sms sent (%d characters)", len(text))


def make_backend(kind: str, outbox: Path | None) -> SmsBackend:
    if kind == "file":
        if outbox is None:
            raise ValueError("the file SMS backend needs MEDCONSOLE_SMS_OUTBOX")
        return FileOutbox(outbox)
    if kind == "log":
        return LogOnly()
    raise ValueError(f"unknown SMS backend {kind!r} (file, log)")

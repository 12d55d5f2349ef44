"""Small checks on instants shared by the identity rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime


def require_aware(when: datetime, what: str = "now") -> None:
    """Refuse a naive datetime: every instant in the domain is timezone-aware (UTC)."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime")

"""Helpers of the routing engine's tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TypeVar

from console.queue import Engine, Event, Role

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
E = TypeVar("E", bound=Event)


def at(seconds: float) -> datetime:
    """The instant ``seconds`` after T0."""
    return T0 + timedelta(seconds=seconds)


def names(events: list[Event]) -> list[str]:
    return [type(e).__name__ for e in events]


def only(events: list[Event], cls: type[E]) -> list[E]:
    return [e for e in events if isinstance(e, cls)]


def register(
    engine: Engine,
    operators: tuple[str, ...] = (),
    therapists: tuple[str, ...] = (),
    pediatricians: tuple[str, ...] = (),
    doctors: dict[str, str] | None = None,
) -> None:
    """Register staff (offline): operators, duty therapists and pediatricians, and
    non-duty doctors given as ``{id: specialty}``."""
    for sid in operators:
        engine.register_staff(sid, Role.OPERATOR)
    for sid in therapists:
        engine.register_staff(sid, Role.DOCTOR, specialty="therapist", duty=True)
    for sid in pediatricians:
        engine.register_staff(sid, Role.DOCTOR, specialty="pediatrician", duty=True)
    for sid, specialty in (doctors or {}).items():
        engine.register_staff(sid, Role.DOCTOR, specialty=specialty)

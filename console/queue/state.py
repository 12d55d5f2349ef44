"""The engine's persistent state, its JSON form, and its consistency rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.queue.codec import from_primitive, to_primitive
from console.queue.errors import CorruptStateError, QueueError
from console.queue.events import EVENT_TYPES, Event
from console.queue.model import (
    CONNECTED_STATES,
    IN_QUEUE,
    Contact,
    ContactState,
    Staff,
    StaffState,
    check_queue_id,
)

STATE_VERSION = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class EngineState:
    """Everything the engine knows: live contacts, staff, and the arrival counter.

    Deadlines are stored as absolute instants, so a restored engine behaves as
    the one that was snapshotted, whatever the configuration says later.
    ``contacts`` and ``staff`` are sorted by id.
    """

    contacts: tuple[Contact, ...]
    staff: tuple[Staff, ...]
    seq: int
    version: int = STATE_VERSION


def state_to_dict(state: EngineState) -> dict[str, Any]:
    """The snapshot as JSON-ready primitives (ISO datetimes, enum values)."""
    data: dict[str, Any] = to_primitive(state)
    return data


def state_from_dict(data: dict[str, Any]) -> EngineState:
    """Inverse of :func:`state_to_dict`."""
    if data.get("version") != STATE_VERSION:
        raise CorruptStateError(f"unsupported state version {data.get('version')!r}")
    try:
        state: EngineState = from_primitive(EngineState, data)
    except (KeyError, TypeError, ValueError) as exc:
        raise CorruptStateError(f"cannot read engine state: {exc}") from exc
    return state


def event_to_dict(event: Event) -> dict[str, Any]:
    """An event as JSON-ready primitives, with its class name under ``"type"``."""
    return {"type": type(event).__name__, **to_primitive(event)}


def event_from_dict(data: dict[str, Any]) -> Event:
    """Inverse of :func:`event_to_dict`."""
    fields = dict(data)
    cls = EVENT_TYPES[fields.pop("type")]
    event: Event = from_primitive(cls, fields)
    return event


def check_consistency(state: EngineState) -> None:
    """Raise :class:`CorruptStateError` unless the state is internally consistent.

    Every ringing staff member matches exactly one offer and vice versa; every
    busy staff member holds exactly one connected contact and vice versa; every
    contact in wrap-up is wrapped up by the staff member that holds it.
    """
    contacts = {c.id: c for c in state.contacts}
    staff = {s.id: s for s in state.staff}
    if len(contacts) != len(state.contacts) or len(staff) != len(state.staff):
        raise CorruptStateError("duplicate ids in engine state")
    for contact in state.contacts:
        _check_contact(contact, staff)
    for member in state.staff:
        _check_staff(member, contacts)


_HOLDER_STATE = {
    ContactState.CONNECTED: StaffState.BUSY,
    ContactState.WITH_DOCTOR: StaffState.BUSY,
    ContactState.WRAP_UP: StaffState.WRAP_UP,
}


def _check_contact(c: Contact, staff: dict[str, Staff]) -> None:
    try:
        check_queue_id(c.queue)
    except QueueError as exc:
        raise CorruptStateError(str(exc)) from exc
    if c.state is ContactState.CLOSED:
        raise CorruptStateError(f"closed contact {c.id!r} in engine state")
    if c.state in IN_QUEUE and c.holder is not None:
        raise CorruptStateError(f"waiting contact {c.id!r} has a holder")
    if (c.state is ContactState.OFFERED) != (c.offer is not None):
        raise CorruptStateError(f"contact {c.id!r}: offer does not match state")
    if c.offer is not None:
        s = staff.get(c.offer.staff_id)
        if s is None or s.state is not StaffState.RINGING or s.contact_id != c.id:
            raise CorruptStateError(f"contact {c.id!r} offered to a staff member not ringing")
    if c.pinned_to is not None and (c.state not in IN_QUEUE or c.pinned_to not in staff):
        raise CorruptStateError(f"contact {c.id!r} is pinned but not waiting for a known member")
    expected = _HOLDER_STATE.get(c.state)
    if expected is not None:
        s = staff.get(c.holder or "")
        if s is None or s.state is not expected or s.contact_id != c.id:
            raise CorruptStateError(f"contact {c.id!r} is {c.state} without its holder")


def _check_staff(s: Staff, contacts: dict[str, Contact]) -> None:
    if s.state is StaffState.WRAP_UP and s.wrapup_until is None:
        raise CorruptStateError(f"staff member {s.id!r} wraps up without an end")
    if s.state not in (StaffState.RINGING, StaffState.BUSY):
        return
    c = contacts.get(s.contact_id or "")
    if c is None:
        raise CorruptStateError(f"staff member {s.id!r} is {s.state} without a contact")
    if s.state is StaffState.RINGING and (c.offer is None or c.offer.staff_id != s.id):
        raise CorruptStateError(f"staff member {s.id!r} rings without an offer")
    if s.state is StaffState.BUSY and (c.state not in CONNECTED_STATES or c.holder != s.id):
        raise CorruptStateError(f"staff member {s.id!r} is busy without holding")

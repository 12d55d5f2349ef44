"""Errors of the routing engine.

Every engine method validates before it changes anything, and runs inside a
guard that puts the state back if anything raises, so a :class:`QueueError`
always leaves the engine exactly as it was before the call.
"""

from __future__ import annotations


class QueueError(Exception):
    """Base class of every error the routing engine raises on purpose."""


class UnknownContactError(QueueError):
    """No live contact has this id (it never arrived, or it is closed)."""

    def __init__(self, contact_id: str) -> None:
        super().__init__(f"unknown contact {contact_id!r}")
        self.contact_id = contact_id


class UnknownStaffError(QueueError):
    """No staff member with this id is registered."""

    def __init__(self, staff_id: str) -> None:
        super().__init__(f"unknown staff member {staff_id!r}")
        self.staff_id = staff_id


class DuplicateContactError(QueueError):
    """A contact with this id is already live."""

    def __init__(self, contact_id: str) -> None:
        super().__init__(f"contact {contact_id!r} already exists")
        self.contact_id = contact_id


class WrongContactStateError(QueueError):
    """The contact is not in a state that allows the operation."""

    def __init__(self, contact_id: str, state: str, action: str) -> None:
        super().__init__(f"contact {contact_id!r} is {state}: cannot {action}")
        self.contact_id = contact_id
        self.state = state
        self.action = action


class WrongStaffStateError(QueueError):
    """The staff member is not in a state that allows the operation."""

    def __init__(self, staff_id: str, state: str, action: str) -> None:
        super().__init__(f"staff member {staff_id!r} is {state}: cannot {action}")
        self.staff_id = staff_id
        self.state = state
        self.action = action


class NotHolderError(QueueError):
    """The staff member does not hold the contact (is not connected to it)."""

    def __init__(self, contact_id: str, staff_id: str) -> None:
        super().__init__(f"staff member {staff_id!r} does not hold contact {contact_id!r}")
        self.contact_id = contact_id
        self.staff_id = staff_id


class NoSuchOfferError(QueueError):
    """The staff member has no open offer of this contact."""

    def __init__(self, contact_id: str, staff_id: str) -> None:
        super().__init__(f"contact {contact_id!r} is not being offered to {staff_id!r}")
        self.contact_id = contact_id
        self.staff_id = staff_id


class DeadlinePassedError(QueueError):
    """A deadline of the contact or staff member has passed and tick() has not run yet.

    The engine never acts on a deadline by itself; the caller runs
    :meth:`~console.queue.engine.Engine.tick` when
    :meth:`~console.queue.engine.Engine.next_deadline` falls due, ideally before
    every command.
    """

    def __init__(self, what: str, due: object) -> None:
        super().__init__(f"{what} fell due at {due}; call tick() first")
        self.what = what
        self.due = due


class InvalidArgumentError(QueueError):
    """An argument is malformed (empty id, unknown enum value, empty break reason)."""


class InvalidQueueError(InvalidArgumentError):
    """The queue id is malformed or not a valid target for the operation."""


class InvalidStaffProfileError(InvalidArgumentError):
    """A staff profile is inconsistent (an operator with a specialty, a doctor without)."""


class InvalidOutcomeError(InvalidArgumentError):
    """The outcome cannot be given by this operation."""


class CorruptStateError(QueueError):
    """A snapshot handed to ``Engine.restore`` is internally inconsistent."""

"""Age on the day of the contact and the duty doctor it routes to (003, footnote 2).

Age 1 to 17 goes to the pediatrician, 18 and over to the therapist. Under 1 year
the seed's rule says nothing: the contact goes to the pediatrician and the
medconsultant sees :data:`UNDER_ONE_WARNING`. The day is the call center's date
(:func:`today_in`), not the server's.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from console.clock import local_date
from console.identity.model import Route, RouteDecision

if TYPE_CHECKING:
    from datetime import tzinfo

    from console.clock import Clock

__all__ = [
    "ADULT_AGE",
    "PEDIATRIC_MIN_AGE",
    "UNDER_ONE_WARNING",
    "age_on",
    "birthday_in",
    "route_for",
    "today_in",
]

PEDIATRIC_MIN_AGE = 1
ADULT_AGE = 18

UNDER_ONE_WARNING = (
    "Age under 1 year is outside the program's routing rule "
    "(1-17 pediatrician, 18+ therapist); routed to the pediatrician."
)


def today_in(clock: Clock, tz: tzinfo) -> date:
    """The call center's date in its time zone: 23:30 UTC is already tomorrow in Moscow."""
    return local_date(clock, tz)


def birthday_in(birth_date: date, year: int) -> date:
    """The birthday in ``year``; 29 February falls on 28 February in a common year."""
    try:
        return birth_date.replace(year=year)
    except ValueError:  # 29 February, common year
        return date(year, 2, 28)


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on ``day``; a birthday on ``day`` already counts.

    Someone born on 29 February turns a year older on 28 February of a common
    year. Raises :class:`ValueError` if ``day`` is before ``birth_date``.
    """
    if day < birth_date:
        raise ValueError("The day is before the date of birth.")
    years = day.year - birth_date.year
    if day < birthday_in(birth_date, day.year):
        years -= 1
    return years


def route_for(birth_date: date, day: date) -> RouteDecision:
    """Which duty doctor a contact on ``day`` goes to, by the age on that day.

    1-17 years: pediatrician; 18 and over: therapist; under 1: pediatrician with
    :data:`UNDER_ONE_WARNING`. Raises :class:`ValueError` if ``day`` is before
    ``birth_date``.
    """
    age = age_on(birth_date, day)
    if age >= ADULT_AGE:
        return RouteDecision(age=age, route=Route.THERAPIST)
    if age >= PEDIATRIC_MIN_AGE:
        return RouteDecision(age=age, route=Route.PEDIATRICIAN)
    return RouteDecision(age=age, route=Route.PEDIATRICIAN, warnings=(UNDER_ONE_WARNING,))

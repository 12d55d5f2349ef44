"""Age on the day of the contact, routing by age, and the call center's date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from console.clock import FakeClock
from console.identity.model import Route
from console.identity.routing import UNDER_ONE_WARNING, age_on, birthday_in, route_for, today_in

MOSCOW = ZoneInfo("Europe/Moscow")
LEAP_BIRTH = date(2008, 2, 29)


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        pytest.param(date(1990, 6, 15), date(2026, 6, 15), 36, id="birthday-today"),
        pytest.param(date(1990, 6, 15), date(2026, 6, 14), 35, id="day-before-birthday"),
        pytest.param(date(1990, 6, 15), date(2026, 6, 16), 36, id="day-after-birthday"),
        pytest.param(date(1990, 12, 31), date(2026, 1, 1), 35, id="new-year"),
        pytest.param(date(2026, 3, 10), date(2026, 3, 10), 0, id="born-today"),
        pytest.param(LEAP_BIRTH, date(2027, 2, 27), 18, id="feb29-common-year-feb27"),
        pytest.param(LEAP_BIRTH, date(2026, 2, 27), 17, id="feb29-common-year-day-before-feb28"),
        pytest.param(LEAP_BIRTH, date(2026, 2, 28), 18, id="feb29-common-year-on-feb28"),
        pytest.param(LEAP_BIRTH, date(2026, 3, 1), 18, id="feb29-common-year-mar1"),
        pytest.param(LEAP_BIRTH, date(2028, 2, 28), 19, id="feb29-leap-year-feb28"),
        pytest.param(LEAP_BIRTH, date(2028, 2, 29), 20, id="feb29-leap-year-feb29"),
        pytest.param(LEAP_BIRTH, date(2028, 3, 1), 20, id="feb29-leap-year-mar1"),
        pytest.param(LEAP_BIRTH, date(2009, 2, 28), 1, id="feb29-first-birthday"),
        pytest.param(date(2008, 3, 1), date(2028, 2, 29), 19, id="mar1-birth-on-leap-feb29"),
    ],
)
def test_age_on(birth: date, day: date, age: int) -> None:
    assert age_on(birth, day) == age


def test_age_on_refuses_a_day_before_birth() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on(date(2020, 5, 5), date(2020, 5, 4))


@pytest.mark.parametrize(
    ("year", "birthday"),
    [
        pytest.param(2026, date(2026, 2, 28), id="common-year"),
        pytest.param(2028, date(2028, 2, 29), id="leap-year"),
        pytest.param(2100, date(2100, 2, 28), id="century-not-leap"),
    ],
)
def test_birthday_in_for_feb29(year: int, birthday: date) -> None:
    assert birthday_in(LEAP_BIRTH, year) == birthday


DAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("birth", "age", "route", "warnings"),
    [
        pytest.param(date(2026, 1, 1), 0, Route.PEDIATRICIAN, (UNDER_ONE_WARNING,), id="under-1"),
        pytest.param(DAY, 0, Route.PEDIATRICIAN, (UNDER_ONE_WARNING,), id="newborn-today"),
        pytest.param(
            date(2025, 11, 23), 0, Route.PEDIATRICIAN, (UNDER_ONE_WARNING,), id="one-day-short-of-1"
        ),
        pytest.param(date(2025, 11, 22), 1, Route.PEDIATRICIAN, (), id="exactly-1"),
        pytest.param(date(2016, 5, 1), 10, Route.PEDIATRICIAN, (), id="child-10"),
        pytest.param(date(2008, 11, 23), 17, Route.PEDIATRICIAN, (), id="17-years-364-days"),
        pytest.param(date(2008, 11, 22), 18, Route.THERAPIST, (), id="exactly-18"),
        pytest.param(date(1950, 1, 1), 76, Route.THERAPIST, (), id="adult-76"),
    ],
)
def test_route_for(birth: date, age: int, route: Route, warnings: tuple[str, ...]) -> None:
    decision = route_for(birth, DAY)
    assert (decision.age, decision.route, decision.warnings) == (age, route, warnings)


def test_17_years_364_days_really_is_364_days_past_the_17th_birthday() -> None:
    birth = date(2008, 11, 23)
    assert (DAY - birth.replace(year=2025)).days == 364


@pytest.mark.parametrize(
    ("day", "route"),
    [
        pytest.param(date(2026, 2, 27), Route.PEDIATRICIAN, id="day-before-feb28"),
        pytest.param(date(2026, 2, 28), Route.THERAPIST, id="feb28-common-year"),
    ],
)
def test_feb29_birth_turns_18_on_feb28_of_a_common_year(day: date, route: Route) -> None:
    assert route_for(LEAP_BIRTH, day).route is route


def test_under_one_warning_names_the_rule_and_the_route() -> None:
    assert "under 1 year" in UNDER_ONE_WARNING
    assert "pediatrician" in UNDER_ONE_WARNING


def test_route_for_refuses_a_day_before_birth() -> None:
    with pytest.raises(ValueError):
        route_for(date(2026, 12, 1), DAY)


@pytest.mark.parametrize(
    ("utc_instant", "tz", "day"),
    [
        pytest.param(datetime(2026, 11, 21, 20, 59, tzinfo=UTC), MOSCOW, date(2026, 11, 21),
                     id="moscow-23-59-still-today"),
        pytest.param(datetime(2026, 11, 21, 21, 0, tzinfo=UTC), MOSCOW, date(2026, 11, 22),
                     id="moscow-midnight-is-tomorrow"),
        pytest.param(datetime(2026, 11, 21, 23, 30, tzinfo=UTC), MOSCOW, date(2026, 11, 22),
                     id="utc-23-30-is-tomorrow-in-moscow"),
        pytest.param(datetime(2026, 11, 21, 23, 30, tzinfo=UTC), UTC, date(2026, 11, 21),
                     id="utc-23-30-in-utc"),
    ],
)  # fmt: skip
def test_today_in(utc_instant: datetime, tz: ZoneInfo, day: date) -> None:
    assert today_in(FakeClock(utc_instant), tz) == day


def test_eighteenth_birthday_begins_at_moscow_midnight_not_utc_midnight() -> None:
    birth = date(2008, 11, 22)
    clock = FakeClock(datetime(2026, 11, 21, 20, 30, tzinfo=UTC))  # 23:30 in Moscow
    assert route_for(birth, today_in(clock, MOSCOW)).route is Route.PEDIATRICIAN
    clock.advance(timedelta(hours=1))  # 00:30 in Moscow, still 21:30 on the 21st in UTC
    assert clock.now().date() == date(2026, 11, 21)
    assert route_for(birth, today_in(clock, MOSCOW)).route is Route.THERAPIST

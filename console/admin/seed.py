"""A deterministic, realistic demo registry: Russian names, families, odd policies.

``generate(n, seed, today)`` yields the same rows for the same arguments on any
machine. About 8% of the people have no phone, about 6% an expired policy and
2% one not valid yet; about a fifth of adults have children (0 to 17) who share
the parent's phone and are linked to the parent as their representative.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from console.identity.model import InsuredImport, Sex
from console.identity.model import Policy as PolicyValue
from console.identity.phones import PhoneError, normalize_phone

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

MALE_NAMES = (
    "Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Василий",
    "Виктор", "Владимир", "Дмитрий", "Евгений", "Егор", "Иван", "Игорь", "Илья",
    "Кирилл", "Константин", "Максим", "Михаил", "Никита", "Николай", "Олег", "Павел",
    "Пётр", "Роман", "Сергей", "Степан", "Фёдор", "Юрий",
)  # fmt: skip
FEMALE_NAMES = (
    "Алёна", "Алина", "Анастасия", "Анна", "Валентина", "Вера", "Виктория", "Галина",
    "Дарья", "Екатерина", "Елена", "Елизавета", "Ирина", "Ксения", "Любовь", "Людмила",
    "Марина", "Мария", "Наталья", "Нина", "Ольга", "Полина", "Светлана", "Софья",
    "Татьяна", "Юлия",
)  # fmt: skip
SURNAMES = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
    "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов",
    "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв",
    "Гусев", "Киселёв", "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв",
    "Белов", "Медведев", "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров",
    "Давыдов", "Беляев", "Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов",
    "Марков", "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов",
)  # fmt: skip
PROGRAMS = ("Телемедицина Базовая", "Телемедицина Семейная", "Телемедицина Премиум", "ДМС+")
MOBILE_CODES = (
    "900", "901", "902", "903", "904", "905", "906", "908", "909", "910", "911", "912", "913",
    "914", "915", "916", "917", "918", "919", "920", "921", "922", "923", "925", "926", "927",
    "928", "929", "930", "931", "950", "951", "952", "953", "960", "961", "962", "963", "964",
    "965", "966", "967", "977", "978", "980", "981", "982", "983", "985", "987", "988", "989",
    "991", "992", "993", "994", "995", "996", "999",
)  # fmt: skip


def is_valid_phone(e164: str) -> bool:
    """Some number blocks are not allocated; real exports only have real numbers."""
    try:
        normalize_phone(e164)
    except PhoneError:
        return False
    return True


def _female_surname(surname: str) -> str:
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname


_IRREGULAR_PATRONYMICS = {
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Илья": ("Ильич", "Ильинична"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Павел": ("Павлович", "Павловна"),
    "Никита": ("Никитич", "Никитична"),
    "Пётр": ("Петрович", "Петровна"),
    "Фёдор": ("Федорович", "Федоровна"),
}


def _patronymic(father: str, sex: Sex) -> str:
    """Russian patronymic from the father's name (the names in MALE_NAMES)."""
    if father in _IRREGULAR_PATRONYMICS:
        male, female = _IRREGULAR_PATRONYMICS[father]
    elif father.endswith("ий"):  # Василий -> Васильевич
        male, female = father[:-2] + "ьевич", father[:-2] + "ьевна"
    elif father.endswith(("й", "ь")):  # Сергей -> Сергеевич, Игорь -> Игоревич
        male, female = father[:-1] + "евич", father[:-1] + "евна"
    else:
        male, female = father + "ович", father + "овна"
    return male if sex is Sex.MALE else female


class _Gen:
    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.serial = 0
        self.phones: set[str] = set()

    def policy_number(self) -> str:
        self.serial += 1
        return f"TM-{self.today.year % 100:02d}-{self.serial:08d}"

    def phone(self) -> str:
        while True:
            p = "+7" + self.rng.choice(MOBILE_CODES) + f"{self.rng.randrange(10**7):07d}"
            if p not in self.phones and is_valid_phone(p):
                self.phones.add(p)
                return p

    def birth_date(self, age_from: int, age_to: int) -> date:
        age = self.rng.randint(age_from, age_to)
        return self.today - timedelta(days=int(age * 365.25) + self.rng.randrange(365))

    def policy(self, birth: date) -> PolicyValue:
        roll = self.rng.random()
        if roll < 0.06 and (self.today - birth).days > 800:  # expired (not for infants)
            valid_to = self.today - timedelta(days=self.rng.randint(1, 400))
        elif roll < 0.08:  # not yet valid
            start = self.today + timedelta(days=self.rng.randint(1, 30))
            return PolicyValue(
                number=self.policy_number(),
                program=self.rng.choice(PROGRAMS),
                purchased_on=self.today - timedelta(days=self.rng.randint(0, 10)),
                valid_from=start,
                valid_to=start + timedelta(days=364),
            )
        else:
            valid_to = self.today + timedelta(days=self.rng.randint(0, 364))
        valid_from = valid_to - timedelta(days=364)
        return PolicyValue(
            number=self.policy_number(),
            program=self.rng.choice(PROGRAMS),
            purchased_on=valid_from - timedelta(days=self.rng.randint(0, 14)),
            valid_from=valid_from,
            valid_to=valid_to,
        )

    def person(
        self,
        sex: Sex,
        birth: date,
        surname: str,
        phone: str | None,
        rep: str | None,
        father: str | None = None,
    ) -> InsuredImport:
        names = MALE_NAMES if sex is Sex.MALE else FEMALE_NAMES
        return InsuredImport(
            policy=self.policy(birth),
            surname=surname if sex is Sex.MALE else _female_surname(surname),
            name=self.rng.choice(names),
            patronymic=_patronymic(father or self.rng.choice(MALE_NAMES), sex),
            birth_date=birth,
            sex=sex,
            phone=phone,
            representative_policy=rep,
        )


def generate(n: int, seed: int, today: date) -> Iterator[InsuredImport]:
    """``n`` insured people; parents always come before their children."""
    g = _Gen(seed, today)
    made = 0
    while made < n:
        sex = Sex.MALE if g.rng.random() < 0.47 else Sex.FEMALE
        surname = g.rng.choice(SURNAMES)
        phone = None if g.rng.random() < 0.08 else g.phone()
        adult = g.person(sex, g.birth_date(18, 95), surname, phone, None)
        yield adult
        made += 1
        parent_age = today.year - adult.birth_date.year
        if phone and 22 <= parent_age <= 55 and g.rng.random() < 0.35:
            for _ in range(g.rng.choice((1, 1, 2, 2, 3))):
                if made >= n:
                    return
                child_sex = Sex.MALE if g.rng.random() < 0.5 else Sex.FEMALE
                age_to = min(17, parent_age - 20)
                birth = g.birth_date(0, age_to)
                father = adult.name if sex is Sex.MALE else None
                yield g.person(child_sex, birth, surname, phone, adult.policy.number, father)
                made += 1


# ---------------------------------------------------------------------- booking

#: Weekly working hours of the demo's doctors, by login: (weekdays, from, to), local time.
DEMO_HOURS: dict[str, tuple[tuple[tuple[int, ...], int, int], ...]] = {
    "therapist1": (((0, 1, 2, 3, 4), 8, 12),),
    "pediatrician1": (((0, 1, 2, 3, 4), 12, 16),),
    # the specialists: mornings and evenings, so some day of the week suits everyone
    "cardiologist1": (((0, 2, 4), 10, 14), ((1, 3), 15, 19)),
    "neurologist1": (((1, 3), 9, 13), ((0, 2), 14, 18), ((5,), 10, 12)),
}
#: The duty doctors' shifts, every day: (login, specialty, from, to), local time.
DEMO_DUTY = (("therapist1", "therapist", 8, 20), ("pediatrician1", "pediatrician", 8, 20))
#: Every this many adults of the demo registry holds a referral to a specialist.
REFERRAL_EVERY = 4


async def seed_booking(
    database: Any,
    *,
    today: date,
    tz: Any,
    now: Any,
    people: Iterable[InsuredImport] = (),
    duty_days: int = 14,
) -> dict[str, int]:
    """The demo's schedules, duty shifts and referrals (run after the staff exist).

    Working hours are set (replaced) for the doctors of :data:`DEMO_HOURS`; duty
    shifts are added for ``duty_days`` from ``today`` where a doctor has none that
    day; every :data:`REFERRAL_EVERY`-th adult of ``people`` with a valid policy and
    no referral yet gets one, alternately to the cardiologists (a specialty) and to
    the neurologist by name (000). Returns how many of each were made.
    """
    from datetime import time

    from console.booking import WorkingHours, shift_on
    from console.booking.model import Referral
    from console.identity.routing import age_on
    from console.store import booking as store
    from console.store import registry
    from console.store import staff as staff_repo

    made = {"schedules": 0, "shifts": 0, "referrals": 0}
    async with database.transaction() as s:
        ids: dict[str, int] = {}
        for login in {*DEMO_HOURS, *(d[0] for d in DEMO_DUTY)}:
            member = await staff_repo.by_login(s, login)
            if member is not None:
                ids[login] = member.id
        for login, stretches in DEMO_HOURS.items():
            if login not in ids:
                continue
            hours = [
                WorkingHours(day, time(start), time(end))
                for days, start, end in stretches
                for day in days
            ]
            await store.set_working_hours(s, ids[login], hours)
            made["schedules"] += 1
        for login, specialty, start, end in DEMO_DUTY:
            if login not in ids:
                continue
            for n in range(duty_days):
                shift = shift_on(
                    ids[login], specialty, today + timedelta(days=n), time(start), time(end), tz
                )
                existing = await store.duty_shifts(
                    s, start=shift.start, end=shift.end, specialty=specialty
                )
                if not any(x.doctor_id == ids[login] for x in existing):
                    await store.add_duty_shift(s, shift)
                    made["shifts"] += 1
        adults = [
            p
            for p in people
            if age_on(p.birth_date, today) >= 18
            and p.policy.valid_from <= today <= p.policy.valid_to
        ]
        for n, person in enumerate(adults[::REFERRAL_EVERY]):
            record = await registry.find_by_policy(s, person.policy.number)
            if record is None or await store.referrals_of(s, record.person.id):
                continue
            by_name = n % 2 == 1 and "neurologist1" in ids
            referral = Referral(
                id=None,
                person_id=record.person.id,
                specialty="neurologist" if by_name else "cardiologist",
                doctor_id=ids["neurologist1"] if by_name else None,
                issued_on=today - timedelta(days=3),
                valid_until=today + timedelta(days=60),
            )
            await store.add_referral(s, referral, now)
            made["referrals"] += 1
    return made

"""The ``medconsole`` command: ``main(argv)`` takes the arguments after the program name."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Sequence

log = logging.getLogger("console")

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2

DEMO_PASSWORD = "medconsole"  # the demo's published password, see README
DEMO_STAFF: tuple[dict[str, Any], ...] = (
    {"login": "op1", "role": "operator", "full_name": "Смирнова Анна Викторовна"},
    {"login": "op2", "role": "operator", "full_name": "Ковалёв Денис Игоревич"},
    {"login": "op3", "role": "operator", "full_name": "Орлова Мария Сергеевна"},
    {
        "login": "therapist1",
        "role": "doctor",
        "specialty": "therapist",
        "on_duty": True,
        "full_name": "Волков Андрей Петрович",
    },
    {
        "login": "pediatrician1",
        "role": "doctor",
        "specialty": "pediatrician",
        "on_duty": True,
        "full_name": "Лебедева Ольга Николаевна",
    },
    {
        "login": "cardiologist1",
        "role": "doctor",
        "specialty": "cardiologist",
        "full_name": "Морозов Игорь Алексеевич",
    },
    {
        "login": "neurologist1",
        "role": "doctor",
        "specialty": "neurologist",
        "full_name": "Соколова Елена Дмитриевна",
    },
    {"login": "supervisor1", "role": "supervisor", "full_name": "Павлов Сергей Юрьевич"},
    {"login": "sup1", "role": "supervisor", "full_name": "Зайцева Ирина Олеговна"},
    {"login": "admin", "role": "admin", "full_name": "Администратор"},
)


def _date(value: str) -> date:
    from console.admin.csvimport import _parse_date

    try:
        parsed: date = _parse_date(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r}: {exc}") from None
    return parsed


def _common() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", dest="database_url", help="database URL (MEDCONSOLE_DATABASE_URL)")
    p.add_argument("--data-dir", type=Path, help="data folder (MEDCONSOLE_DATA_DIR)")
    p.add_argument("--timezone", help="call center's time zone (MEDCONSOLE_TIMEZONE)")
    p.add_argument("--log-level", help="DEBUG, INFO, WARNING (MEDCONSOLE_LOG_LEVEL)")
    return p


def _service_level() -> argparse.ArgumentParser:
    """The hub's definition of the service level (the numbers it computes), as a parent."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--service-level-target",
        dest="service_level_target_s",
        type=float,
        metavar="SECONDS",
        help="service level: answered within this (MEDCONSOLE_SERVICE_LEVEL_TARGET_S)",
    )
    p.add_argument(
        "--service-level-goal",
        dest="service_level_goal",
        type=float,
        metavar="SHARE",
        help="the service level aimed at, 0.8 for 80%% (MEDCONSOLE_SERVICE_LEVEL_GOAL)",
    )
    return p


#: the console's wallboard colours: (flag, setting, metavar, what it is)
WALLBOARD_FLAGS = (
    ("longest-wait-amber", "wallboard_longest_wait_amber_s", "SECONDS",
     "a longest wait past this is amber"),
    ("longest-wait-red", "wallboard_longest_wait_red_s", "SECONDS",
     "a longest wait past this is red and raises the alert"),
    ("service-level-amber-below", "wallboard_service_level_amber_below", "SHARE",
     "a service level this far below the goal is amber"),
    ("service-level-red-below", "wallboard_service_level_red_below", "SHARE",
     "a service level this far below the goal is red"),
    ("abandoned-amber", "wallboard_abandoned_amber", "SHARE",
     "an abandoned share past this is amber"),
    ("abandoned-red", "wallboard_abandoned_red", "SHARE", "an abandoned share past this is red"),
)  # fmt: skip


def _wallboard() -> argparse.ArgumentParser:
    """The thresholds that colour the supervisor's wallboard (``--wallboard-*``), as a parent."""
    p = argparse.ArgumentParser(add_help=False)
    for name, dest, metavar, what in WALLBOARD_FLAGS:
        p.add_argument(
            f"--wallboard-{name}",
            dest=dest,
            type=float,
            metavar=metavar,
            help=f"{what} (MEDCONSOLE_{dest.upper()})",
        )
    return p


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="medconsole", description="Telemedicine call center: hub, console, admin tools."
    )
    top = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    dbp = top.add_parser("db", help="database schema and demo data")
    dbs = dbp.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    dbs.add_parser("upgrade", parents=[common], help="apply migrations up to the newest")
    seed = dbs.add_parser("seed", parents=[common], help="a deterministic demo registry and staff")
    seed.add_argument("--insured", type=int, default=10_000, help="how many insured people")
    seed.add_argument("--seed", type=int, default=1, help="random seed")
    seed.add_argument("--today", type=_date, help="the seed's 'today' (default: today)")

    ins = top.add_parser("insured", help="the insured registry")
    inss = ins.add_subparsers(dest="insured_command", required=True, metavar="ACTION")
    imp = inss.add_parser("import", parents=[common], help="import the insurer's sales CSV")
    imp.add_argument("file", type=Path)
    imp.add_argument("--batch", type=int, default=5000, help=argparse.SUPPRESS)

    find = inss.add_parser("find", parents=[common], help="identify insured people")
    how = find.add_mutually_exclusive_group(required=True)
    how.add_argument("--phone", help="caller's phone, any Russian form")
    how.add_argument("--policy", help="policy number")
    how.add_argument("--name", help='"Surname Name Patronymic" (with --birth-date)')
    find.add_argument("--birth-date", type=_date)
    find.add_argument("--on", type=_date, help="the date to compute age and validity on")
    find.add_argument("--json", action="store_true", help="print JSON")
    find.add_argument("--actor", default="cli", help=argparse.SUPPRESS)

    hub = top.add_parser(
        "hub", parents=[common, _service_level()], help="run the hub (queues, signaling, page)"
    )
    hub.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    hub.add_argument("--port", type=int, help="port (default 8780)")
    hub.add_argument("--cert", type=Path, help="TLS certificate (PEM) for HTTPS/WSS")
    hub.add_argument("--key", type=Path, help="TLS private key (PEM)")
    hub.add_argument(
        "--insecure",
        action="store_true",
        default=None,
        help="allow plain HTTP on a non-loopback address",
    )
    hub.add_argument("--sms-outbox", type=Path, help="file the 'file' SMS backend appends to")

    con = top.add_parser("console", parents=[common, _wallboard()], help="the staff console (Qt)")
    con.add_argument("--hub", dest="hub_url", help="the hub's URL (MEDCONSOLE_HUB_URL)")
    con.add_argument(
        "--login",
        help="log straight in as LOGIN, the password from MEDCONSOLE_PASSWORD (kiosks, automation)",
    )
    con.add_argument("--lang", choices=["ru", "en"], help="the console's language (default ru)")
    con.add_argument(
        "--media",
        choices=["auto", "devices", "synthetic"],
        help="camera and microphone: real devices, a test picture and tone, or auto (default)",
    )
    con.add_argument("--camera", help="camera device (default /dev/video0)")
    con.add_argument("--microphone", help="microphone device (default: the system's default)")
    con.add_argument(
        "--ice-server", dest="ice_servers", action="append", help="STUN/TURN URL (repeatable)"
    )
    con.add_argument(
        "--ice-host", dest="ice_host", action="append", help="host address to offer (repeatable)"
    )
    con.add_argument("--hub-ca", dest="hub_ca_file", type=Path, help="CA file for the hub's TLS")

    st = top.add_parser("staff", help="staff accounts")
    sts = st.add_subparsers(dest="staff_command", required=True, metavar="ACTION")
    add = sts.add_parser(
        "add", parents=[common], help="create an account; the password is read from stdin"
    )
    add.add_argument("--login", required=True)
    add.add_argument("--role", required=True, choices=["operator", "doctor", "supervisor", "admin"])
    add.add_argument("--specialty", help="therapist, pediatrician, cardiologist, ...")
    add.add_argument("--duty", action="store_true", help="a duty doctor")
    add.add_argument("--full-name", default="")
    sts.add_parser("list", parents=[common], help="list accounts")
    return _with_demo_parsers(parser, top, common, con)


def _with_demo_parsers(
    parser: argparse.ArgumentParser,
    top: Any,
    common: argparse.ArgumentParser,
    con: argparse.ArgumentParser,
) -> argparse.ArgumentParser:
    from console.demo import add_demo_parsers  # it imports this module

    return add_demo_parsers(parser, top, common, console=con)


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {
        k: getattr(args, k)
        for k in (
            "database_url",
            "data_dir",
            "timezone",
            "log_level",
            "host",
            "port",
            "cert",
            "key",
            "insecure",
            "sms_outbox",
            "hub_url",
            "lang",
            "media",
            "camera",
            "microphone",
            "ice_servers",
            "ice_host",
            "hub_ca_file",
            "service_level_target_s",
            "service_level_goal",
            *(dest for _flag, dest, _metavar, _what in WALLBOARD_FLAGS),
        )
        if getattr(args, k, None) is not None
    }
    return Settings(**overrides)


# Libraries that log statements with their parameters (personal data) at DEBUG.
_QUIET_LOGGERS = ("aiosqlite", "asyncpg", "sqlalchemy", "alembic")


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger().level))


async def _open(settings: Settings) -> Any:
    import db as migrations
    from console.store.database import Database

    database = Database(settings.resolved_database_url())
    await migrations.upgrade(database.engine)
    return database


def _today(settings: Settings) -> date:
    return datetime.now(UTC).astimezone(settings.tz).date()


async def _db_upgrade(settings: Settings) -> int:
    import db as migrations

    database = await _open(settings)
    try:
        rev = await migrations.current_revision(database.engine)
    finally:
        await database.close()
    print(f"database at revision {rev}")
    return EXIT_OK


async def seed_staff(database: Any, now: datetime, password_hash: str | None = None) -> int:
    """Create the demo staff that do not exist yet; returns how many were made."""
    from console.store import staff

    made = 0
    hashed = password_hash or staff.hash_password(DEMO_PASSWORD)
    async with database.transaction() as s:
        for member in DEMO_STAFF:
            if await staff.by_login(s, member["login"]) is None:
                await staff.add_staff(
                    s,
                    login=member["login"],
                    password="",
                    password_hash=hashed,
                    role=staff.Role(member["role"]),
                    full_name=member["full_name"],
                    specialty=member.get("specialty"),
                    on_duty=member.get("on_duty", False),
                    now=now,
                )
                made += 1
    return made


async def _db_seed(settings: Settings, n: int, seed: int, today: date | None) -> int:
    from console.admin import seed as demo
    from console.admin.registry import import_rows

    database = await _open(settings)
    now = datetime.now(UTC)
    day = today or _today(settings)
    people = list(demo.generate(n, seed, day))
    try:
        report = await import_rows(
            database, people, now=now, source=f"seed:{n}:{seed}", actor="cli:seed"
        )
        made = await seed_staff(database, now)
        # the doctors' working hours, duty shifts from today, referrals to the specialists
        await demo.seed_booking(database, today=day, tz=settings.tz, now=now, people=people)
    finally:
        await database.close()
    print(
        f"registry: {report.counts.inserted} added, {report.counts.updated} updated, "
        f"{report.counts.unchanged} unchanged; staff: {made} added "
        f"(password {DEMO_PASSWORD!r})"
    )
    return EXIT_OK


async def _import(settings: Settings, path: Path, batch: int) -> int:
    from tqdm import tqdm

    from console.admin.csvimport import ImportFileError
    from console.admin.registry import import_file

    if not await asyncio.to_thread(path.is_file):
        print(f"medconsole: cannot import {path}: no such file", file=sys.stderr)
        return EXIT_USAGE
    database = await _open(settings)
    bar = tqdm(unit=" rows", disable=not sys.stderr.isatty(), file=sys.stderr)
    try:
        report = await import_file(
            database,
            path,
            now=datetime.now(UTC),
            actor="cli:import",
            batch=batch,
            on_progress=bar.update,
            on_total=lambda n: setattr(bar, "total", n),
        )
    except (OSError, ImportFileError) as exc:
        print(f"medconsole: cannot import {path}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        bar.close()
        await database.close()
    for err in sorted(report.errors, key=lambda e: e.line):
        print(str(err), file=sys.stderr)
    c = report.counts
    print(
        f"{report.rows} rows: {c.inserted} added, {c.updated} updated, {c.unchanged} unchanged, "
        f"{len(report.errors)} with errors; {report.links.linked} representative links added"
    )
    return EXIT_PARTIAL if report.errors else EXIT_OK


async def _find(settings: Settings, args: argparse.Namespace) -> int:
    from console.admin.registry import FindError, as_json, find
    from console.identity.phones import PhoneError, format_national

    if args.name and not args.birth_date:
        print("medconsole: --name needs --birth-date", file=sys.stderr)
        return EXIT_USAGE
    database = await _open(settings)
    try:
        found = await find(
            database,
            on=args.on or _today(settings),
            actor=args.actor,
            phone=args.phone,
            policy=args.policy,
            full_name=args.name,
            birth_date=args.birth_date,
        )
    except (PhoneError, FindError, ValueError) as exc:
        print(f"medconsole: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        await database.close()
    if args.json:
        print(json.dumps(as_json(found), ensure_ascii=False, indent=2))
        return EXIT_OK
    if not found:
        print("No matches.")
    for m in found:
        p = m.record.person
        phones = ", ".join(format_national(ph.e164) for ph in m.record.phones) or "no phone"
        policy = m.policy.number if m.policy else "no policy"
        status = m.policy_status.value if m.policy_status else "-"
        print(
            f"{p.full_name}  {p.birth_date:%d.%m.%Y}  age {m.age}  -> {m.route.value}  "
            f"policy {policy} ({status})  {phones}"
            + (f"  [{m.relation}]" if m.relation != "self" else "")
        )
        for w in m.warnings:
            print(f"    ! {w}")
    return EXIT_OK


async def _staff_add(settings: Settings, args: argparse.Namespace) -> int:
    from console.store import staff

    password = sys.stdin.readline().rstrip("\r\n")
    database = await _open(settings)
    try:
        async with database.transaction() as s:
            member = await staff.add_staff(
                s,
                login=args.login,
                password=password,
                role=staff.Role(args.role),
                specialty=args.specialty,
                on_duty=args.duty,
                full_name=args.full_name,
                now=datetime.now(UTC),
            )
    except staff.StaffError as exc:
        print(f"medconsole: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        await database.close()
    print(f"staff account {member.login!r} created ({member.role.value})")
    return EXIT_OK


async def _staff_list(settings: Settings) -> int:
    from console.store import staff

    database = await _open(settings)
    try:
        async with database.transaction() as s:
            members = await staff.all_staff(s)
    finally:
        await database.close()
    for m in members:
        duty = " duty" if m.on_duty else ""
        print(f"{m.login:16} {m.role.value:10} {m.specialty or '':14}{duty}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        settings = _settings(args)
    except ValueError as exc:
        print(f"medconsole: bad setting: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _setup_logging(settings.log_level)
    match args.command, getattr(args, f"{args.command}_command", None):
        case "hub", None:
            from console.hub.app import serve

            with contextlib.suppress(KeyboardInterrupt):
                asyncio.run(serve(settings))
            return EXIT_OK
        case "console", None:
            from console.views.app import run_console
            from console.views.boardmodels import Thresholds

            try:  # the wallboard's thresholds with their defaults: amber before red
                Thresholds.from_settings(settings)
            except ValueError as exc:
                print(f"medconsole: bad setting: {exc}", file=sys.stderr)
                return EXIT_USAGE
            from console.demo import console_login

            return run_console(settings, **console_login(args))
        case "db", "upgrade":
            return asyncio.run(_db_upgrade(settings))
        case "db", "seed":
            return asyncio.run(_db_seed(settings, args.insured, args.seed, args.today))
        case "insured", "import":
            return asyncio.run(_import(settings, args.file, args.batch))
        case "insured", "find":
            return asyncio.run(_find(settings, args))
        case "staff", "add":
            return asyncio.run(_staff_add(settings, args))
        case "staff", "list":
            return asyncio.run(_staff_list(settings))
        case "demo", None:
            from console.demo import run_demo

            return run_demo(settings, args)
        case "simulate", None:
            from console.demo import run_simulate

            return run_simulate(settings, args)
    raise AssertionError(f"unhandled command {args.command}")


if __name__ == "__main__":
    sys.exit(main())

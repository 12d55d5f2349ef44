"""``medconsole demo`` and ``medconsole simulate``: a living call center on one machine.

``demo`` seeds a SQLite registry and staff in the data folder (the first time;
the rest of the registry in the background once the console is usable), runs
the hub in a process of its own, a stream of simulated patients
(:mod:`console.calls.simulator`) and the console signed in as a medconsultant
(or the role ``--as`` names). ``simulate`` sends the same patients to a hub
elsewhere. :mod:`console.cli` builds the parsers from :func:`add_demo_parsers`
and calls :func:`run_demo`, :func:`run_simulate` and :func:`console_login`.
"""

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

from console.cli import (
    DEMO_PASSWORD,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    _today,
    seed_staff,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from console.settings import Settings

log = logging.getLogger("console")


#: ``--as`` roles and the demo login each signs in with
DEMO_LOGINS = {
    "medconsultant": "op1",
    "doctor": "therapist1",
    "therapist": "therapist1",
    "pediatrician": "pediatrician1",
    "supervisor": "sup1",
}
DEMO_MARKER = "demo.json"  # in the data folder: the registry the demo seeded, and when
DEMO_FIRST = 200  # insured seeded before the hub opens; the rest by a background process
#: the parts whose INFO lines the demo leaves out (it prints its own)
DEMO_QUIET = ("console.hub", "console.calls", "console.client", "console.views", "console.admin")
DEMO_HUB_LINE = "HUB "  # how the demo's hub process tells the console process its URL
#: argon2 of the published demo password, made once: hashing takes the demo's start 0.2-0.5 s
DEMO_PASSWORD_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$PNYcZ70FWnPlcaN4ixB0pw$"
    "T5iTaPYCOhcHOT709SPqPHiCGqhpLGiWp50emEcQdxI"
)


class DemoError(Exception):
    """The demo cannot start (the port is taken, the database cannot be opened)."""


def add_demo_parsers(
    parser: argparse.ArgumentParser,
    top: Any,
    common: argparse.ArgumentParser,
    *,
    console: argparse.ArgumentParser,
) -> argparse.ArgumentParser:
    """``demo``, ``simulate`` and the console's ``--as``; returns ``parser``."""
    roles = sorted(DEMO_LOGINS)
    console.add_argument(
        "--as",
        dest="as_role",
        choices=roles,
        help="sign in with the demo login of this role (op1, therapist1, pediatrician1, sup1); "
        "the password from MEDCONSOLE_PASSWORD or the demo's",
    )
    demo = top.add_parser(
        "demo",
        parents=[common],
        help="the call center on this machine: hub, simulated patients, console",
        description=(
            "A SQLite database in the data folder (migrated; a demo registry of 10,000 insured "
            "and the demo staff seeded the first time), the hub, a stream of simulated "
            "patients, and the console signed in as a medconsultant (op1). Other roles: "
            "medconsole console --as doctor|supervisor, against the same hub. Without a screen "
            "it runs the hub and the patients only, until Ctrl-C. Staff password: "
            f"{DEMO_PASSWORD}."
        ),
    )
    demo.add_argument(
        "--as", dest="as_role", choices=roles, default="medconsultant", help="whose console opens"
    )
    demo.add_argument(
        "--rate", type=float, default=2.0, metavar="PER_MIN", help="patients a minute (default 2)"
    )
    demo.add_argument("--patients", type=int, metavar="N", help="stop after N (default: never)")
    demo.add_argument(
        "--abandon",
        type=float,
        default=0.2,
        metavar="SHARE",
        help="share of patients who hang up while waiting (default 0.2)",
    )
    demo.add_argument("--seed", type=int, default=1, help="random seed of registry and patients")
    demo.add_argument("--port", type=int, help="the hub's port (default 8780)")
    demo.add_argument("--lang", choices=["ru", "en"], help="the console's language (default ru)")
    demo.add_argument(
        "--media",
        choices=["auto", "devices", "synthetic"],
        help="the console's camera and microphone (default auto)",
    )
    demo.add_argument(
        "--ice-host", dest="ice_host", action="append", help="host address to offer (repeatable)"
    )
    demo.add_argument(
        "--headless", action="store_true", help="no console: the hub and the patients only"
    )
    # for tests and benchmarks: a smaller registry, the queue at start, a time limit, the hub
    # in the console's own process; and the hub process's side of the console's demo
    demo.add_argument("--insured", type=int, default=10_000, help=argparse.SUPPRESS)
    demo.add_argument("--waiting", type=int, default=3, help=argparse.SUPPRESS)
    demo.add_argument("--run-for", type=float, help=argparse.SUPPRESS)
    demo.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    demo.add_argument("--child", action="store_true", help=argparse.SUPPRESS)

    sim = top.add_parser(
        "simulate",
        parents=[common],
        help="a stream of simulated patients against a hub",
        description=(
            "Patients on the hub's real patient protocol with real WebRTC media, arriving as a "
            "Poisson stream: video, audio and chat, adults and children (through a parent's "
            "phone), urgent and appointment reasons; they confirm consents, chat, send photos, "
            "accept video and sometimes hang up while they wait. Their phones are the demo "
            "registry's (recorded in the data folder by medconsole demo) or --phones. Their "
            "login codes are read from the hub's SMS outbox file: only a hub whose SMS backend "
            "is 'file' (the demo's) can be simulated against; a hub with a real SMS gateway "
            "cannot."
        ),
    )
    sim.add_argument("--hub", dest="hub_url", help="the hub's URL (default http://127.0.0.1:8780)")
    sim.add_argument(
        "--rate", type=float, default=2.0, metavar="PER_MIN", help="patients a minute (default 2)"
    )
    sim.add_argument("--patients", type=int, metavar="N", help="how many (default: until Ctrl-C)")
    sim.add_argument("--seed", type=int, default=1, help="random seed: the same stream again")
    sim.add_argument(
        "--abandon",
        type=float,
        default=0.2,
        metavar="SHARE",
        help="share of patients who hang up while waiting (default 0.2)",
    )
    sim.add_argument(
        "--patience",
        type=float,
        default=45.0,
        metavar="SECONDS",
        help="how long those wait before they hang up, on average (default 45)",
    )
    sim.add_argument(
        "--sms-outbox",
        type=Path,
        metavar="PATH",
        help="the hub's SMS outbox file, where login codes land (default: the data folder's "
        "sms-outbox.jsonl, the demo hub's); a hub with a real SMS gateway cannot be simulated",
    )
    sim.add_argument(
        "--phones",
        type=Path,
        metavar="FILE",
        help="callers' phones, one a line (default: the demo registry of the data folder)",
    )
    sim.add_argument(
        "--ice-server", dest="ice_servers", action="append", help="STUN/TURN URL (repeatable)"
    )
    sim.add_argument(
        "--ice-host", dest="ice_host", action="append", help="host address to offer (repeatable)"
    )
    sim.add_argument("--hub-ca", dest="hub_ca_file", type=Path, help="CA file for the hub's TLS")
    return parser


def _demo_password() -> str:
    import os

    return os.environ.get("MEDCONSOLE_PASSWORD") or DEMO_PASSWORD


def console_login(args: argparse.Namespace) -> dict[str, Any]:
    """``console --as ROLE``: the demo login of that role, MEDCONSOLE_PASSWORD or the demo's."""
    role = getattr(args, "as_role", None)
    if role is None:
        return {"login": args.login}
    return {"login": args.login or DEMO_LOGINS[role], "password": _demo_password()}


def demo_phones(n: int, seed: int, today: date, first: int | None = None) -> list[str]:
    """The phones of the demo registry ``db seed --insured n --seed seed --today today`` made
    (of its ``first`` people): each once, in registry order."""
    from itertools import islice

    from console.admin import seed as demo

    people = demo.generate(n, seed, today)
    if first is not None:
        people = islice(people, first)
    return list(dict.fromkeys(p.phone for p in people if p.phone))


def _read_marker(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _process_age() -> float:
    """Seconds since this process started (Linux; 0 elsewhere): the command's start."""
    import os

    try:
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - int(stat[19]) / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def _no_screen() -> bool:
    import os

    if sys.platform in ("darwin", "win32"):
        return False
    return not any(os.environ.get(k) for k in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


class Stopwatch:
    """Seconds since the command started, by step: the demo's readiness line."""

    def __init__(self, started_at: float | None = None) -> None:
        import time

        self.started_at = time.monotonic() if started_at is None else started_at
        self.marks: dict[str, float] = {}
        self.tasks: set[asyncio.Task[Any]] = set()  # what reports on the steps
        self.on_ready: list[Callable[[], object]] = []  # called once the console is usable
        self.hub_cpu: float | None = None  # the hub process's CPU seconds until it listened

    def mark(self, step: str) -> float:
        import time

        self.marks[step] = time.monotonic() - self.started_at
        if step == "ready":
            for callback in self.on_ready:
                callback()
        return self.marks[step]


async def console_opened(session: Any, watch: Stopwatch) -> None:
    """The demo's console is up: a medconsultant (or doctor) goes available; once a
    medconsultant's queue shows who is waiting, the readiness line is printed."""
    watch.mark("window")
    controller = getattr(session, "console", None) or session.controller
    client = controller.client
    role = client.me.role if client.me is not None else None
    if role in ("operator", "doctor") and client.state in ("offline", "break", "not_responding"):
        try:
            await client.set_state("available")
        except Exception as exc:  # an offer came first (a queue waited): it rings anyway
            log.debug("demo: %s stays %s (%s)", role, client.state, type(exc).__name__)
    task = asyncio.ensure_future(_report_ready(session.window, watch, role == "operator"))
    watch.tasks.add(task)
    task.add_done_callback(watch.tasks.discard)


async def _report_ready(window: Any, watch: Stopwatch, wait_queue: bool) -> None:
    import time

    model = getattr(window, "queue_model", None)
    if model is not None and wait_queue:
        with contextlib.suppress(TimeoutError):  # a minute at most: no patient may come
            async with asyncio.timeout(60):
                while model.rowCount() == 0:  # noqa: ASYNC110 - a Qt model, nothing to await
                    await asyncio.sleep(0.02)
    at = watch.mark("ready")
    steps = [f"{k} {v:.2f} s" for k, v in watch.marks.items() if k != "ready"]
    if model is not None and wait_queue:
        steps.append(f"{model.rowCount()} waiting in its queue")
    steps.append(f"CPU: this process {time.process_time():.2f} s")
    if watch.hub_cpu is not None:
        steps[-1] += f", the hub's {watch.hub_cpu:.2f} s until it listened"
    print(f"demo: console usable {at:.2f} s after the command started ({'; '.join(steps)})")
    sys.stdout.flush()


class Demo:
    """The demo's hub side on the running loop: the data, the hub, the simulated patients.

    :meth:`start_hub` migrates and (the first time) seeds the database and opens
    the hub; :meth:`start_patients` lets the simulated patients come; :meth:`stop`
    ends it all. ``watch`` marks each step.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        insured: int = 10_000,
        seed: int = 1,
        rate: float = 2.0,
        patients: int | None = None,
        abandon: float = 0.2,
        waiting: int = 3,
        watch: Stopwatch | None = None,
    ) -> None:
        self.settings = settings
        self.insured, self.seed = insured, seed
        self.rate, self.patients, self.abandon, self.waiting = rate, patients, abandon, waiting
        self.watch = watch or Stopwatch()
        self.watch.on_ready.append(self.console_ready)
        self.hub: Any = None
        self.hub_url = ""
        self.simulator: Any = None
        self._phones: list[str] = []
        self._runner: Any = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._seeder: Any = None  # subprocess.Popen of the background seeding
        self._deferred: list[Callable[[], object]] | None = []  # None: released

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @property
    def marker(self) -> Path:
        return self.settings.data_dir / DEMO_MARKER

    # ------------------------------------------------------------ starting

    async def start(self) -> None:
        await self.start_hub()
        await self.start_patients()

    def _later(self, work: Callable[[], object]) -> None:
        """``work()`` once the console is usable (:meth:`console_ready`): seeding and
        reading the registry take the CPU the console needs to start."""
        if self._deferred is None:
            work()
        else:
            self._deferred.append(work)

    def console_ready(self) -> None:
        """The console is usable (or there is none): the deferred work may run."""
        deferred, self._deferred = self._deferred, None
        for work in deferred or ():
            work()

    async def start_hub(self) -> None:
        from aiohttp import web

        from console.hub.app import build

        try:
            app, self.hub = await build(self.settings)  # migrations applied
        except OSError as exc:
            raise DemoError(f"cannot open the database in {self.settings.data_dir}: {exc}") from exc
        self.watch.mark("database")
        try:
            self._phones = await self._seed(self.hub.db)
        except BaseException:
            await self.hub.db.close()
            raise
        self.watch.mark("seeded")
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        host = self.settings.host
        site = web.TCPSite(self._runner, host, self.settings.port)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            self._runner = None
            raise DemoError(
                f"cannot listen on {host}:{self.settings.port} ({exc.strerror}): is a demo or "
                "a hub running already? --port picks another"
            ) from exc
        port = self._runner.addresses[0][1]
        self.hub_url = f"http://{'127.0.0.1' if host in ('', '0.0.0.0') else host}:{port}"
        self.watch.mark("hub")

    def _call_config(self) -> Any:
        from console.calls.ice import CallConfig

        return CallConfig.from_urls(
            self.settings.ice_servers,
            host_addresses=self.settings.ice_host or None,
            add_loopback=True,  # the consoles and the patients share this machine
        )

    async def start_patients(self) -> None:
        from console.calls.patient import SmsOutbox
        from console.calls.simulator import Mix, Simulator

        if not self._phones:  # the registry was there: its first people's phones
            today = date.fromisoformat(_read_marker(self.marker)["today"])
            self._phones = await asyncio.to_thread(
                demo_phones, self.insured, self.seed, today, DEMO_FIRST
            )
        self.simulator = Simulator(
            self.hub_url,
            self._phones,
            SmsOutbox(self.settings.outbox_path()),
            rate_per_min=self.rate,
            patients=self.patients,
            seed=self.seed,
            initial=self.waiting,
            mix=Mix(abandon_share=self.abandon),
            config=self._call_config,  # aiortc is imported with the first call, not before
        )
        self._spawn(self.simulator.run())
        # the background work starts when the console is usable, or after this at the latest
        asyncio.get_running_loop().call_later(30.0, self.console_ready)

    async def _seed(self, database: Any) -> list[str]:
        """The demo registry and staff, seeded once. The phones of the first people when it
        seeded them (else :meth:`start_patients` reads them; everyone's follow later)."""
        from console.admin import seed as demo
        from console.store import staff

        info = _read_marker(self.marker)
        same = info.get("insured") == self.insured and info.get("seed") == self.seed
        async with database.transaction() as s:
            staffed = await staff.by_login(s, DEMO_LOGINS["medconsultant"]) is not None
        now = datetime.now(UTC)
        if same and info.get("complete") and staffed:
            # the demo doctors' hours again, and their duty shifts from today on
            self._later_booking(database, now)
            today = date.fromisoformat(info["today"])
            self._later(lambda: self._spawn(self._more_phones(today)))
            return []  # read once the hub listens (start_patients)
        # the first time (or after an interrupted seeding: the same day's registry again)
        if same and "today" in info:
            today = date.fromisoformat(info["today"])
        else:
            today = _today(self.settings)
        self._write_marker(today, complete=False)
        from itertools import islice

        from console.admin.registry import import_rows

        if not staffed:
            await seed_staff(database, now, DEMO_PASSWORD_HASH)
        first = list(islice(demo.generate(self.insured, self.seed, today), DEMO_FIRST))
        await import_rows(
            database, first, now=now, source=f"demo:{self.insured}:{self.seed}", actor="cli:demo"
        )
        # the doctors' working hours, duty shifts from today, referrals to the specialists
        self._later_booking(database, now, first)
        if self.insured > len(first):
            self._later(lambda: self._seed_rest(today))
        else:
            self._write_marker(today, complete=True)
        return list(dict.fromkeys(p.phone for p in first if p.phone))

    def _later_booking(self, database: Any, now: datetime, people: Any = ()) -> None:
        """The doctors' hours, duty shifts and referrals, once the console is usable: nobody
        books in the console's first second, and routing needs none of them."""
        from console.admin import seed as demo

        today, tz = _today(self.settings), self.settings.tz

        async def seed() -> None:
            try:
                await demo.seed_booking(database, today=today, tz=tz, now=now, people=people)
            except Exception:  # the demo goes on; booking shows no free slots
                log.exception("seeding the demo doctors' schedules failed")

        self._later(lambda: self._spawn(seed()))

    def _write_marker(self, today: date, *, complete: bool) -> None:
        self.marker.parent.mkdir(parents=True, exist_ok=True)
        self.marker.write_text(
            json.dumps(
                {
                    "insured": self.insured,
                    "seed": self.seed,
                    "today": today.isoformat(),
                    "complete": complete,
                }
            ),
            encoding="utf-8",
        )

    def _seed_rest(self, today: date) -> None:
        """``medconsole db seed`` of the whole registry in a process of its own (the other
        core) while the console starts; the rows already there stay unchanged."""
        import subprocess

        cmd = [
            sys.executable, "-m", "console.cli", "db", "seed",
            "--insured", str(self.insured), "--seed", str(self.seed),
            "--today", today.isoformat(), "--log-level", "WARNING",
            "--db", self.settings.resolved_database_url(),
            "--data-dir", str(self.settings.data_dir),
        ]  # fmt: skip
        self._seeder = subprocess.Popen(  # runs alongside; waited for in a thread
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self._spawn(self._seeded(self._seeder, today))

    async def _seeded(self, proc: Any, today: date) -> None:
        _out, err = await asyncio.to_thread(proc.communicate)
        if proc.returncode != 0:
            if proc.returncode > 0:  # not stopped by us
                detail = err.decode(errors="replace").strip().splitlines()[-1:] if err else []
                log.warning("seeding the demo registry failed: %s", " ".join(detail) or "?")
            return
        self._write_marker(today, complete=True)
        self.watch.mark("registry")
        print(f"demo: the registry of {self.insured} insured is ready", flush=True)
        await self._more_phones(today)

    async def _more_phones(self, today: date) -> None:
        phones = await asyncio.to_thread(demo_phones, self.insured, self.seed, today)
        if self.simulator is not None:
            self.simulator.add_phones(phones)

    # ------------------------------------------------------------ running

    def status_line(self) -> str:
        open_contacts = len(self.hub.engine.contacts()) if self.hub else 0
        stats = self.simulator.stats.line() if self.simulator else "-"
        return f"patients: {stats}; the hub holds {open_contacts} open contacts"

    async def stop(self) -> None:
        if self.simulator is not None:
            await self.simulator.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._seeder is not None and self._seeder.poll() is None:
            self._seeder.terminate()
            await asyncio.to_thread(self._seeder.wait)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[Demo]:
        try:
            await self.start()
            yield self
        finally:
            await self.stop()


def _quiet_for_demo() -> None:
    """The demo prints its own lines; the parts' INFO lines go (warnings still show)."""
    if logging.getLogger().level >= logging.INFO:
        for name in (*DEMO_QUIET, "aiohttp", "aioice", "aiortc"):
            logging.getLogger(name).setLevel(logging.WARNING)


def _stream_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the patients' flags (``demo``, ``simulate``), if anything."""
    if args.rate <= 0:
        return "--rate must be positive"
    if args.patients is not None and args.patients < 0:
        return "--patients must not be negative"
    if not 0 <= args.abandon <= 1:
        return "--abandon is a share, from 0 to 1"
    if getattr(args, "patience", 1.0) <= 0:
        return "--patience must be positive"
    return None


def run_demo(settings: Settings, args: argparse.Namespace) -> int:
    import time

    if problem := _stream_problem(args):
        print(f"medconsole: {problem}", file=sys.stderr)
        return EXIT_USAGE
    watch = Stopwatch(time.monotonic() - _process_age())
    _quiet_for_demo()
    if args.headless or args.child or _no_screen():
        if not (args.headless or args.child):
            print(
                "demo: no screen here (no DISPLAY or WAYLAND_DISPLAY): the hub and the simulated "
                "patients run without a console; Ctrl-C stops them.",
                flush=True,
            )
        demo = _demo_of(settings, args, watch)
        with contextlib.suppress(KeyboardInterrupt):
            return asyncio.run(_demo_headless(demo, args.run_for, child=args.child))
        return EXIT_OK
    if args.in_process:  # one process: the console's loop carries the hub and the patients
        demo = _demo_of(settings, args, watch)
        return _demo_console(settings, args, watch, hub=demo.running, stop=lambda: None)
    return _demo_console_and_hub_process(settings, args, watch)


def _demo_of(settings: Settings, args: argparse.Namespace, watch: Stopwatch) -> Demo:
    return Demo(
        settings,
        insured=args.insured,
        seed=args.seed,
        rate=args.rate,
        patients=args.patients,
        abandon=args.abandon,
        waiting=args.waiting,
        watch=watch,
    )


def _demo_console(
    settings: Settings,
    args: argparse.Namespace,
    watch: Stopwatch,
    *,
    hub: Callable[[], contextlib.AbstractAsyncContextManager[Any]],
    stop: Callable[[], None],
) -> int:
    """The console of ``--as`` on the qasync loop, inside ``hub()`` (which yields something
    with ``hub_url``); ``stop()`` once it is over."""
    from console.views.app import run_console

    login = DEMO_LOGINS[args.as_role]
    console_settings = settings.model_copy()

    @contextlib.asynccontextmanager
    async def around() -> AsyncIterator[None]:
        async with hub() as running:
            console_settings.hub_url = running.hub_url  # where it listens (--port 0: any)
            yield

    async def opened(session: Any) -> None:
        await console_opened(session, watch)
        print(
            f"demo: {login} signed in at {console_settings.hub_url}; other roles: medconsole "
            f"console --as doctor|supervisor; the patients' page: {console_settings.hub_url}/",
            flush=True,
        )
        if args.run_for is not None:
            asyncio.get_running_loop().call_later(args.run_for, session.window.close)

    print(f"demo: data in {settings.data_dir}; staff password {DEMO_PASSWORD!r}", flush=True)
    try:
        return run_console(
            console_settings,
            login=login,
            password=_demo_password(),
            around=around,
            opened=opened,
        )
    except DemoError as exc:
        print(f"medconsole: {exc}", file=sys.stderr)
        return EXIT_PARTIAL
    finally:
        stop()


class _HubProcess:
    """The demo's hub process as the console process sees it: its input (``ready``, then
    the end), its output lines, and waiting for it."""

    def __init__(self, pid: int, stdin: Any, stdout: Any, popen: Any = None) -> None:
        self.pid, self.stdin, self.stdout, self._popen = pid, stdin, stdout, popen
        self.returncode: int | None = None

    def wait(self, timeout: float) -> int | None:
        """The exit code, or None if it is still running after ``timeout`` s."""
        import os
        import subprocess
        import time

        if self._popen is not None:
            try:
                self.returncode = self._popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                return None
            return self.returncode
        deadline = time.monotonic() + timeout
        while self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
            elif time.monotonic() >= deadline:
                return None
            else:
                time.sleep(0.05)
        return self.returncode

    def terminate(self) -> None:
        import os
        import signal

        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGTERM)


def _start_hub_process(
    settings: Settings, args: argparse.Namespace, watch: Stopwatch
) -> _HubProcess:
    """The demo's hub process: forked where the platform allows, after importing what both
    sides need (the protocol, aiohttp), so that neither imports it again and the hub
    starts sooner; a new interpreter elsewhere."""
    import os

    if sys.platform != "linux":
        import subprocess

        cmd = [
            sys.executable, "-m", "console.cli", "demo", "--child",
            "--data-dir", str(settings.data_dir), "--db", settings.resolved_database_url(),
            "--timezone", settings.timezone, "--log-level", settings.log_level,
            "--port", str(settings.port), "--rate", str(args.rate),
            "--abandon", str(args.abandon), "--seed", str(args.seed),
            "--insured", str(args.insured), "--waiting", str(args.waiting),
        ]  # fmt: skip
        if args.patients is not None:
            cmd += ["--patients", str(args.patients)]
        for address in settings.ice_host:
            cmd += ["--ice-host", address]
        popen = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )
        return _HubProcess(popen.pid, popen.stdin, popen.stdout, popen)

    import aiohttp  # noqa: F401 - shared by both sides: imported once, before the fork

    import console.protocol.messages  # noqa: F401

    to_hub, from_console = os.pipe()
    to_console, from_hub = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the hub process: its input and output are the pipes; it never returns
        code = 1
        import gc

        gc.enable()  # no Qt here: the collector runs as usual (no GUI thread to run it)
        try:
            os.dup2(to_hub, 0)
            os.dup2(from_hub, 1)
            for fd in (to_hub, from_console, to_console, from_hub):
                os.close(fd)
            sys.stdin = os.fdopen(0, "r", encoding="utf-8")
            demo = _demo_of(settings, args, watch)
            code = asyncio.run(_demo_headless(demo, None, child=True))
        except KeyboardInterrupt:
            code = 0
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)
    os.close(to_hub)
    os.close(from_hub)
    return _HubProcess(
        pid,
        os.fdopen(from_console, "w", encoding="utf-8"),
        os.fdopen(to_console, "r", encoding="utf-8"),
    )


def _demo_console_and_hub_process(
    settings: Settings, args: argparse.Namespace, watch: Stopwatch
) -> int:
    """The console here, the hub and the patients in a process of their own.

    Both start at once, one on each core: this process imports Qt and the views
    while the other imports the hub, opens the database and lets the first patients
    in. The console's loop then carries only the console (the patients' video
    encoding and the hub's work run beside it).
    """
    import threading
    from concurrent.futures import Future

    child = _start_hub_process(settings, args, watch)
    url: Future[str] = Future()

    def relay() -> None:  # the hub process's lines, here; its URL to the console
        for line in child.stdout:
            if line.startswith(DEMO_HUB_LINE) and not url.done():
                address, _, cpu = line.removeprefix(DEMO_HUB_LINE).strip().partition(" ")
                with contextlib.suppress(ValueError):
                    watch.hub_cpu = float(cpu)
                url.set_result(address)
            else:
                sys.stdout.write(line)
                sys.stdout.flush()
        if not url.done():
            url.set_exception(DemoError("the demo's hub did not start (see above)"))

    threading.Thread(target=relay, name="demo-hub-output", daemon=True).start()

    def tell_ready() -> None:  # the hub process may now seed the rest, read the registry
        with contextlib.suppress(OSError, ValueError):
            child.stdin.write("ready\n")
            child.stdin.flush()

    watch.on_ready.append(tell_ready)

    class HubProcess:
        hub_url = ""

    @contextlib.asynccontextmanager
    async def hub() -> AsyncIterator[HubProcess]:
        running = HubProcess()
        running.hub_url = await asyncio.wrap_future(url)
        watch.mark("hub")
        yield running

    def stop() -> None:
        with contextlib.suppress(OSError, ValueError):
            child.stdin.close()  # the hub process stops at the end of its input
        if child.wait(timeout=20) is None:
            child.terminate()
            child.wait(timeout=10)

    return _demo_console(settings, args, watch, hub=hub, stop=stop)


async def _demo_headless(demo: Demo, run_for: float | None, *, child: bool = False) -> int:
    """The hub and the patients until Ctrl-C (or ``run_for`` seconds), a line a minute.

    ``child``: the console's hub process: it tells the console the hub's URL as soon
    as it listens, and stops when the console closes its input.
    """
    import signal
    import threading

    loop = asyncio.get_running_loop()
    stop = loop.create_future()

    def request_stop() -> None:
        if not stop.done():
            stop.set_result(None)

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, request_stop)
    if child:

        def until_eof() -> None:  # "ready": the console is usable; the end: it is gone
            with contextlib.suppress(OSError, ValueError):
                for line in sys.stdin:
                    if line.strip() == "ready":
                        loop.call_soon_threadsafe(demo.console_ready)
            loop.call_soon_threadsafe(request_stop)

        threading.Thread(target=until_eof, name="demo-console-gone", daemon=True).start()
    try:
        try:
            await demo.start_hub()
        except DemoError as exc:
            print(f"medconsole: {exc}", file=sys.stderr)
            return EXIT_PARTIAL
        if child:
            import time

            print(f"{DEMO_HUB_LINE}{demo.hub_url} {time.process_time():.3f}", flush=True)
        else:
            print(
                f"demo: data in {demo.settings.data_dir}; the hub listens at {demo.hub_url} (the "
                "patients' page: /); consoles: medconsole console --as medconsultant|doctor|"
                f"supervisor (password {DEMO_PASSWORD!r})",
                flush=True,
            )
        await demo.start_patients()
        if not child:
            demo.console_ready()  # there is no console to wait for
        if run_for is not None:
            loop.call_later(run_for, request_stop)
        while not stop.done():
            await asyncio.wait([stop], timeout=60.0)
            if not stop.done():
                print(f"demo {datetime.now():%H:%M}: {demo.status_line()}", flush=True)
        print(f"demo stopped: {demo.status_line()}", flush=True)
        return EXIT_OK
    finally:
        await demo.stop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def _phones_for(settings: Settings, path: Path | None) -> list[str]:
    """``--phones FILE``, or the demo registry recorded in the data folder."""
    if path is not None:
        return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    info = _read_marker(settings.data_dir / DEMO_MARKER)
    if not info.get("today"):
        raise DemoError(
            f"no demo registry recorded in {settings.data_dir} (run medconsole demo there "
            "first, or give --phones FILE)"
        )
    return demo_phones(int(info["insured"]), int(info["seed"]), date.fromisoformat(info["today"]))


def run_simulate(settings: Settings, args: argparse.Namespace) -> int:
    import ssl
    from urllib.parse import urlsplit

    from console.calls.ice import CallConfig
    from console.calls.patient import SmsOutbox
    from console.calls.simulator import Mix, Simulator

    if problem := _stream_problem(args):
        print(f"medconsole: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        phones = _phones_for(settings, args.phones)
    except (OSError, DemoError) as exc:
        print(f"medconsole: {exc}", file=sys.stderr)
        return EXIT_USAGE
    outbox = settings.outbox_path()
    if not outbox.parent.is_dir():
        print(
            f"medconsole: no SMS outbox folder {outbox.parent}: give --sms-outbox (the hub's "
            "file backend; a hub with a real SMS gateway cannot be simulated against)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    host = urlsplit(settings.hub_url).hostname or ""
    config = CallConfig.from_urls(
        settings.ice_servers,
        host_addresses=settings.ice_host or None,
        add_loopback=host == "localhost" or host.startswith("127."),  # a hub on this machine
    )
    context: ssl.SSLContext | bool = True
    if settings.hub_ca_file is not None:
        context = ssl.create_default_context(cafile=str(settings.hub_ca_file))
    sim = Simulator(
        settings.hub_url,
        phones,
        SmsOutbox(outbox),
        rate_per_min=args.rate,
        patients=args.patients,
        seed=args.seed,
        mix=Mix(abandon_share=args.abandon, patience_s=args.patience),
        config=config,
        ssl=context,
    )
    print(
        f"simulate: {args.patients or 'endless'} patients at {args.rate:g} a minute against "
        f"{settings.hub_url} ({len(phones)} phones; codes from {outbox})",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_simulate_run(sim))
    print(f"simulate: {sim.stats.line()}", flush=True)
    return EXIT_OK


async def _simulate_run(sim: Any) -> None:
    run = asyncio.create_task(sim.run())
    try:
        while not run.done():
            await asyncio.wait([run], timeout=60.0)
            if not run.done():
                print(f"simulate {datetime.now():%H:%M}: {sim.stats.line()}", flush=True)
        await run
    finally:
        run.cancel()
        await asyncio.gather(run, return_exceptions=True)

"""Hub under load: offer latency and signaling relay rate, beside a bare aiohttp WebSocket relay.

    .venv/bin/python bench/hub.py [--patients 1000] [--staff 100] [--seconds 10]

Seeds a SQLite database (insured people with distinct phones, N operators
sharing one precomputed argon2 hash), then starts the hub as its own process
(``python -m console.cli hub`` on a free 127.0.0.1 port), so the clients'
work never runs on the hub's event loop. From this process, over one
aiohttp session: the operators log in (``/api/staff/login``) and open
``/ws/staff``; every patient logs in as a patient does (``/api/patient/sms-code``,
the code read back from the SMS outbox file, ``/api/patient/login``), opens
``/ws/patient`` and sends ``hello``; every patient then ``start``s a chat so
that all contacts wait.

Offer latency: operators become available ``--group`` at a time (default one
at a time, the others busy or offline), and for each we time from sending the
command that makes them available (``set_state available`` the first time,
then ``end`` + ``wrapup_done``, timed from the ``wrapup_done``) to their
``offer`` frame arriving; they ``accept`` and go round again, in rounds of
every operator, until ``--offers`` offers were timed. p50, p99, max and the
count are printed.

Relay rate: after the last round each operator holds a contact; operator and
patient of each pair send ICE ``signal`` frames to each other as fast as a
window of ``--window`` unanswered frames per direction allows, for
``--seconds``; the frames that arrive at the far end per second, hub-wide, are
the rate. Baseline in the same run, after the hub is stopped: a bare aiohttp
server (its own process too) that pairs two sockets and forwards each frame
to the other as it is, driven by the same client code with the same number
of pairs and the same frames. Prints both rates and the ratio hub/bare.

Also prints the hub process's CPU time per phase and its peak RSS (from
/proc), and this process's CPU, so a client-bound figure shows as one.
Everything runs on 127.0.0.1; the hub and the relay are always stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from collections.abc import Coroutine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-operator-password"
CANDIDATE = {
    "candidate": "candidate:842163049 1 udp 1677729535 192.0.2.10 54400 typ srflx "
    "raddr 10.0.0.5 rport 54400 generation 0 ufrag 4ZcD network-cost 999",
    "sdpMid": "0",
    "sdpMLineIndex": 0,
}
REF_PREFIX = '{"v":1,"ref":"'
CLK_TCK = os.sysconf("SC_CLK_TCK")


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] if xs else float("nan")


def ms(xs: list[float]) -> str:
    return (
        f"p50 {pct(xs, 0.5) * 1000:.1f} ms p99 {pct(xs, 0.99) * 1000:.1f} ms "
        f"max {max(xs, default=float('nan')) * 1000:.1f} ms (n={len(xs):,})"
    )


# ---------------------------------------------------------------------- processes


def run_in(work: Path, main: Coroutine[Any, Any, list[str]], *, keep: bool) -> list[str]:
    """``asyncio.run(main)``; then, whatever happened, every process the bench started is
    stopped and the work folder removed (kept, and named, with ``keep``)."""
    try:
        return asyncio.run(main)
    finally:
        for proc in STARTED:
            stop(proc)
        if keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def hub_commit() -> str:
    """The short commit measured, and whether the hub's code had uncommitted changes."""
    commit = git("rev-parse", "--short", "HEAD") or "?"
    if git("status", "--porcelain", "--", *HUB_CODE):
        commit += " + uncommitted changes to the hub's code"
    return commit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def machine_busy() -> float:
    """CPU seconds all processors spent not idle since boot, from /proc/stat."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / CLK_TCK


def own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def raise_open_files(need: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < need:
        new = need if hard == resource.RLIM_INFINITY else min(need, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))


STARTED: list[subprocess.Popen[bytes]] = []  # stopped in main() whatever happens


def spawn(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    STARTED.append(proc)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


async def stop_async(proc: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM, and keep this loop running meanwhile: the server's close handshakes need us."""
    if proc is not None:
        await asyncio.to_thread(stop, proc)


def tail(path: Path, n: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


async def wait_ready(
    session: aiohttp.ClientSession, url: str, proc: subprocess.Popen[bytes], log: Path
) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{url}: the process exited ({proc.returncode}):\n{tail(log)}")
        with contextlib.suppress(aiohttp.ClientError):
            async with session.get(url) as r:
                if r.status == 200:
                    return
        await asyncio.sleep(0.1)
    raise SystemExit(f"{url} did not answer within 30 s:\n{tail(log)}")


class Phases:
    """CPU of the server process and of this one over named stretches of wall time."""

    def __init__(self) -> None:
        self.pid: int | None = None
        self.rows: list[str] = []

    @contextlib.contextmanager
    def phase(self, name: str):  # type: ignore[no-untyped-def]
        assert self.pid is not None
        w, c, o, b = time.perf_counter(), cpu_seconds(self.pid), own_cpu(), machine_busy()
        yield
        wall = time.perf_counter() - w
        cpu, own = cpu_seconds(self.pid) - c, own_cpu() - o
        others = max(0.0, machine_busy() - b - cpu - own)
        self.rows.append(
            f"  {name:34} {wall:6.1f} s wall | server CPU {cpu:6.1f} s ({cpu / wall:4.0%}) "
            f"| client CPU {own:6.1f} s ({own / wall:4.0%}) | other processes {others / wall:4.0%}"
        )


# ---------------------------------------------------------------------- the relay baseline


def serve_relay(port: int) -> None:
    """The baseline: two sockets per pair, each text frame forwarded to the other as it is."""
    from aiohttp import web

    peers: dict[str, web.WebSocketResponse] = {}

    async def relay(request: web.Request) -> web.WebSocketResponse:
        pair, side = request.match_info["pair"], request.match_info["side"]
        me, other = f"{pair}/{side}", f"{pair}/{'b' if side == 'a' else 'a'}"
        ws = web.WebSocketResponse(heartbeat=5.0, max_msg_size=256 * 1024)
        await ws.prepare(request)
        peers[me] = ws
        try:
            async for frame in ws:
                if frame.type is web.WSMsgType.TEXT:
                    peer = peers.get(other)
                    if peer is not None and not peer.closed:
                        await peer.send_str(frame.data)
        finally:
            peers.pop(me, None)
        return ws

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/ws/{pair}/{side}", relay)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


# ---------------------------------------------------------------------- clients


def compact(obj: dict[str, Any]) -> str:
    """JSON as the hub writes it (no spaces), so the bare relay forwards the same bytes."""
    return json.dumps(obj, separators=(",", ":"))


def frame_type(data: str) -> str:
    """The top-level ``type`` of a hub frame without parsing it (it comes after v and ref)."""
    i = data.find('"type":"')
    return data[i + 8 : data.find('"', i + 8)] if i >= 0 else ""


class Direction:
    """Frames one side sends its peer: in flight (send times, FIFO) and arrived."""

    __slots__ = ("arrived", "latencies", "measuring", "sent_at", "space")

    def __init__(self) -> None:
        self.sent_at: deque[float] = deque()
        self.arrived = 0
        self.latencies: list[float] = []
        self.measuring = False
        self.space = asyncio.Event()

    def got(self, t: float) -> None:
        self.arrived += 1
        t0 = self.sent_at.popleft() if self.sent_at else t
        if self.measuring:
            self.latencies.append(t - t0)
        self.space.set()


class Conn:
    """One WebSocket: a reader that parses only replies and the frame types kept."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, keep: set[str]) -> None:
        self.ws = ws
        self.keep = keep | {"error"}
        self.frames: dict[str, deque[tuple[float, dict[str, Any]]]] = defaultdict(deque)
        self.replies: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.counts: dict[str, int] = defaultdict(int)
        self.incoming: Direction | None = None  # set during the relay
        self.arrived = asyncio.Event()
        self.closed = False
        self._n = 0
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for msg in self.ws:
                if msg.type is not aiohttp.WSMsgType.TEXT:
                    continue
                t = time.perf_counter()
                data: str = msg.data
                kind = frame_type(data)
                if kind == "signal" and self.incoming is not None:
                    self.incoming.got(t)
                    continue
                self.counts[kind] += 1
                if data.startswith(REF_PREFIX):
                    obj = json.loads(data)
                    fut = self.replies.pop(obj["ref"], None)
                    if fut is not None and not fut.done():
                        fut.set_result(obj)
                        continue
                if kind in self.keep:
                    self.frames[kind].append((t, json.loads(data)))
                    self.arrived.set()
        finally:
            self.closed = True
            self.arrived.set()
            for fut in self.replies.values():
                if not fut.done():
                    fut.set_exception(ConnectionError("closed"))

    async def send(self, obj: dict[str, Any]) -> asyncio.Future[dict[str, Any]]:
        """Send a command with a fresh ``ref``; the future is its reply."""
        self._n += 1
        ref = f"r{self._n}"
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.replies[ref] = fut
        await self.ws.send_str(compact({"v": 1, "ref": ref, **obj}))
        return fut

    async def call(self, obj: dict[str, Any], within: float = 30.0) -> dict[str, Any]:
        reply = await asyncio.wait_for(await self.send(obj), within)
        if reply["type"] == "error":
            raise RuntimeError(f"{obj['type']} refused: {reply}")
        return reply

    async def expect(self, kind: str, within: float = 30.0) -> tuple[float, dict[str, Any]]:
        """The oldest unread frame of this type, with the time it arrived."""

        async def first() -> tuple[float, dict[str, Any]]:
            while not self.frames[kind]:
                if self.closed:
                    raise ConnectionError(f"closed while waiting for {kind}")
                self.arrived.clear()
                await self.arrived.wait()
            return self.frames[kind].popleft()

        return await asyncio.wait_for(first(), within)

    async def expect_any(self, within: float = 30.0) -> None:
        """Until the next kept frame arrives."""
        if self.closed:
            raise ConnectionError("closed")
        self.arrived.clear()
        await asyncio.wait_for(self.arrived.wait(), within)

    async def close(self) -> None:
        await self.ws.close()
        with contextlib.suppress(Exception):
            await self.reader


async def open_ws(session: aiohttp.ClientSession, url: str, keep: set[str]) -> Conn:
    ws = await session.ws_connect(url, max_msg_size=0, autoclose=True)
    return Conn(ws, keep)


async def hello(conn: Conn, token: str) -> None:
    """Sign the socket in: ``hello`` (no ref: the hub answers it with a ``welcome``)."""
    conn.keep.add("welcome")
    await conn.ws.send_str(compact({"v": 1, "type": "hello", "token": token}))
    while not (conn.frames["welcome"] or conn.frames["error"]):
        await conn.expect_any()
    if conn.frames["error"]:
        raise RuntimeError(f"hello refused: {conn.frames['error'][0][1]}")
    conn.frames["welcome"].clear()
    conn.keep.discard("welcome")


async def bounded(n: int, coros: list[Any]) -> list[Any]:
    sem = asyncio.Semaphore(n)

    async def one(c: Any) -> Any:
        async with sem:
            return await c

    return await asyncio.gather(*(one(c) for c in coros))


@dataclass
class Operator:
    login: str
    conn: Conn | None = None
    contact_id: str | None = None


@dataclass
class Patient:
    phone: str
    conn: Conn | None = None
    contact_id: str | None = None


@dataclass
class Pair:
    a: Conn  # patient side
    a_frame: str
    b: Conn  # operator side
    b_frame: str
    a_to_b: Direction = field(default_factory=Direction)
    b_to_a: Direction = field(default_factory=Direction)


# ---------------------------------------------------------------------- seeding


async def seed_db(url: str, n_patients: int, n_staff: int) -> list[str]:
    """Insured people with ``n_patients`` distinct owner phones, and ``n_staff`` operators."""
    import db as migrations
    from console.admin import seed
    from console.admin.registry import import_rows
    from console.store import staff
    from console.store.database import Database

    today = datetime.now(UTC).date()
    people, phones = [], []
    for p in seed.generate(n_patients * 3 + 100, seed=11, today=today):
        people.append(p)
        if p.phone and p.representative_policy is None:
            phones.append(p.phone)
            if len(phones) >= n_patients:
                break
    database = Database(url)
    try:
        await migrations.upgrade(database.engine)
        now = datetime.now(UTC)
        await import_rows(database, people, now=now, source="bench", actor="bench")
        hashed = staff.hash_password(PASSWORD)
        async with database.transaction() as s:
            for i in range(1, n_staff + 1):
                await staff.add_staff(
                    s,
                    login=f"bop{i:03d}",
                    password="",
                    password_hash=hashed,
                    role=staff.Role.OPERATOR,
                    full_name=f"Оператор {i}",
                    now=now,
                )
    finally:
        await database.close()
    return phones


def read_codes(outbox: Path) -> dict[str, str]:
    """The newest login code sent to each phone: the 6-digit word of the SMS."""
    codes = {}
    for line in outbox.read_text(encoding="utf-8").splitlines():
        sms = json.loads(line)
        words = (w.strip(".:,") for w in sms["text"].split())
        codes[sms["to"]] = next(w for w in words if w.isdigit() and len(w) == 6)
    return codes


# ---------------------------------------------------------------------- hub phases


RETRIED: dict[str, int] = defaultdict(int)  # path -> requests answered 500 and sent again


async def post(session: aiohttp.ClientSession, url: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST, sent again (up to 5 times, counted) when the hub answers 500."""
    for _attempt in range(5):
        async with session.post(url, json=body) as r:
            if r.status == 500:
                RETRIED[url.split("/", 3)[-1]] += 1
                await asyncio.sleep(0.05)
                continue
            reply = await r.json()
            if r.status != 200:
                raise RuntimeError(f"{url}: {r.status} {reply}")
            return reply  # type: ignore[no-any-return]
    raise RuntimeError(f"{url}: 500 five times, see the hub's log")


async def staff_logins(
    session: aiohttp.ClientSession, base: str, ops: list[Operator], lines: list[str]
) -> None:
    times: list[float] = []

    async def login(op: Operator) -> None:
        t = time.perf_counter()
        body = await post(
            session, f"{base}/api/staff/login", {"login": op.login, "password": PASSWORD}
        )
        times.append(time.perf_counter() - t)
        op.conn = await open_ws(session, base.replace("http", "ws") + "/ws/staff", {"offer"})
        await hello(op.conn, body["token"])

    t = time.perf_counter()
    await bounded(1, [login(op) for op in ops])  # one at a time: argon2 runs on the hub's loop
    lines.append(
        f"staff login: {len(ops):,} operators signed in one after another and connected in "
        f"{time.perf_counter() - t:.1f} s; /api/staff/login {ms(times)}"
    )
    print(lines[-1], flush=True)


async def patient_logins(
    session: aiohttp.ClientSession,
    base: str,
    outbox: Path,
    patients: list[Patient],
    lines: list[str],
) -> None:
    t = time.perf_counter()
    await bounded(
        32, [post(session, f"{base}/api/patient/sms-code", {"phone": p.phone}) for p in patients]
    )
    t_codes = time.perf_counter() - t
    codes = read_codes(outbox)
    tokens = await bounded(
        32,
        [
            post(session, f"{base}/api/patient/login", {"phone": p.phone, "code": codes[p.phone]})
            for p in patients
        ],
    )
    t_login = time.perf_counter() - t - t_codes

    async def connect(p: Patient, token: str) -> None:
        p.conn = await open_ws(session, base.replace("http", "ws") + "/ws/patient", {"leg"})
        await hello(p.conn, token)

    t_ws = time.perf_counter()
    await bounded(64, [connect(p, tok["token"]) for p, tok in zip(patients, tokens, strict=True)])
    t_ws = time.perf_counter() - t_ws
    n = len(patients)
    lines.append(
        f"patient login: {n:,} sms-code in {t_codes:.1f} s ({n / t_codes:,.0f}/s), "
        f"login in {t_login:.1f} s ({n / t_login:,.0f}/s), "
        f"WebSocket + hello + welcome in {t_ws:.1f} s ({n / t_ws:,.0f}/s)"
    )
    print(lines[-1], flush=True)


async def start_contacts(patients: list[Patient], lines: list[str]) -> None:
    times: list[float] = []

    async def start(p: Patient) -> None:
        assert p.conn is not None
        t = time.perf_counter()
        reply = await p.conn.call({"type": "start", "channel": "chat"})
        times.append(time.perf_counter() - t)
        p.contact_id = reply["contact_id"]

    t = time.perf_counter()
    await bounded(50, [start(p) for p in patients])
    dt = time.perf_counter() - t
    lines.append(
        f"start: {len(patients):,} chat contacts queued in {dt:.1f} s "
        f"({len(patients) / dt:,.0f}/s, 50 in flight); reply {ms(times)}"
    )
    print(lines[-1], flush=True)


async def offer_rounds(ops: list[Operator], rounds: int, group: int) -> list[float]:
    """Each operator becomes available ``rounds`` times; the time to each offer."""
    latencies: list[float] = []

    async def cycle(op: Operator, first: bool) -> None:
        conn = op.conn
        assert conn is not None
        if first:
            cmd: dict[str, Any] = {"type": "set_state", "state": "available"}
        else:
            await conn.call({"type": "end", "contact_id": op.contact_id})
            cmd = {"type": "wrapup_done", "contact_id": op.contact_id}
        t0 = time.perf_counter()
        reply = await conn.send(cmd)
        offered = asyncio.ensure_future(conn.expect("offer"))
        await asyncio.wait({offered, reply}, return_when=asyncio.FIRST_COMPLETED)
        if reply.done() and reply.result()["type"] != "ack":
            offered.cancel()
            raise RuntimeError(f"{cmd['type']} refused: {reply.result()}")
        t_offer, offer = await offered
        latencies.append(t_offer - t0)
        if (r := await asyncio.wait_for(reply, 30))["type"] != "ack":
            raise RuntimeError(f"{cmd['type']} refused: {r}")
        op.contact_id = offer["contact"]["id"]
        await conn.call({"type": "accept", "contact_id": op.contact_id})

    for r in range(rounds):
        for i in range(0, len(ops), group):
            await asyncio.gather(*(cycle(op, r == 0) for op in ops[i : i + group]))
        print(f"  round {r + 1}/{rounds}: {len(latencies):,} offers", flush=True)
    return latencies


async def pairs_of(ops: list[Operator], patients: list[Patient]) -> list[Pair]:
    by_contact = {p.contact_id: p for p in patients}
    pairs = []
    for op in ops:
        p = by_contact[op.contact_id]
        assert p.conn is not None and op.conn is not None
        _t, leg = await p.conn.expect("leg")
        assert leg["contact_id"] == op.contact_id, leg
        signal_ = {"leg": leg["leg"], "kind": "ice", "candidate": CANDIDATE}
        pairs.append(
            Pair(
                p.conn,
                compact({"v": 1, "type": "signal", "signal": signal_}),
                op.conn,
                compact({"v": 1, "type": "signal", "contact_id": op.contact_id, "signal": signal_}),
            )
        )
    return pairs


# ---------------------------------------------------------------------- the relay run


async def relay(pairs: list[Pair], seconds: float, window: int) -> tuple[float, list[float], int]:
    """Frames arriving at the far end per second, their latencies, stalled directions."""
    running = True
    stalled = 0

    async def pump(conn: Conn, frame: str, d: Direction) -> None:
        nonlocal stalled
        while running:
            if len(d.sent_at) >= window:
                d.space.clear()
                try:
                    await asyncio.wait_for(d.space.wait(), 30)
                except TimeoutError:
                    stalled += 1
                    return
                continue
            d.sent_at.append(time.perf_counter())
            await conn.ws.send_str(frame)

    directions = []
    for p in pairs:
        p.b.incoming, p.a.incoming = p.a_to_b, p.b_to_a
        directions += [p.a_to_b, p.b_to_a]
    tasks = [asyncio.create_task(pump(p.a, p.a_frame, p.a_to_b)) for p in pairs]
    tasks += [asyncio.create_task(pump(p.b, p.b_frame, p.b_to_a)) for p in pairs]
    await asyncio.sleep(1.0)  # warm-up
    for d in directions:
        d.measuring = True
    n0, t0 = sum(d.arrived for d in directions), time.perf_counter()
    await asyncio.sleep(seconds)
    n1, t1 = sum(d.arrived for d in directions), time.perf_counter()
    for d in directions:
        d.measuring = False
    running = False
    for d in directions:
        d.space.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    # let what is in flight arrive, so nothing spills into what runs next
    end = time.monotonic() + 5
    for d in directions:
        while d.sent_at and time.monotonic() < end:
            d.space.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(d.space.wait(), max(0.01, end - time.monotonic()))
    for p in pairs:
        p.a.incoming = p.b.incoming = None
    return (n1 - n0) / (t1 - t0), [x for d in directions for x in d.latencies], stalled


async def run_bare(
    session: aiohttp.ClientSession,
    work: Path,
    hub_pairs: list[Pair],
    args: argparse.Namespace,
    phases: Phases,
) -> tuple[float, list[float], int, float]:
    port = free_port()
    log = work / "relay.log"
    proc = spawn([sys.executable, __file__, "--relay-port", str(port)], log)
    conns: list[Conn] = []
    try:
        await wait_ready(session, f"http://127.0.0.1:{port}/healthz", proc, log)
        phases.pid = proc.pid
        base = f"ws://127.0.0.1:{port}/ws"
        pairs = []
        for i, hp in enumerate(hub_pairs):
            a = await open_ws(session, f"{base}/{i}/a", set())
            b = await open_ws(session, f"{base}/{i}/b", set())
            conns += [a, b]
            pairs.append(Pair(a, hp.a_frame, b, hp.b_frame))
        with phases.phase(f"bare relay ({args.seconds:g} s + 1 s warm-up)"):
            rate, lat, stalled = await relay(pairs, args.seconds, args.window)
        return rate, lat, stalled, peak_rss_mib(proc.pid)
    finally:
        await asyncio.gather(*(c.close() for c in conns), return_exceptions=True)
        await stop_async(proc)


def hub_command(work: Path, port: int, profile: Path | None) -> list[str]:
    prefix = [sys.executable]
    if profile is not None:
        prefix += ["-m", "cProfile", "-o", str(profile)]
    return [
        *prefix,
        "-m",
        "console.cli",
        "hub",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--db",
        f"sqlite+aiosqlite:///{work / 'bench.sqlite3'}",
        "--data-dir",
        str(work),
        "--sms-outbox",
        str(work / "sms.jsonl"),
    ]


@dataclass
class HubResult:
    pairs: list[Pair]
    rate: float
    latencies: list[float]
    stalled: int
    errors: int
    cpu: float
    rss: float


async def run_hub(
    session: aiohttp.ClientSession,
    args: argparse.Namespace,
    work: Path,
    phases: Phases,
    lines: list[str],
) -> HubResult:
    n_staff = min(args.staff, args.patients)
    t = time.perf_counter()
    phones = await seed_db(f"sqlite+aiosqlite:///{work / 'bench.sqlite3'}", args.patients, n_staff)
    print(f"seeded {len(phones):,} phones, {n_staff} operators in {time.perf_counter() - t:.1f} s")
    ops = [Operator(f"bop{i:03d}") for i in range(1, n_staff + 1)]
    patients = [Patient(ph) for ph in phones]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDCONSOLE_")}
    proc = spawn(hub_command(work, port, args.profile), work / "hub.log", env)
    try:
        await wait_ready(session, f"{base}/healthz", proc, work / "hub.log")
        phases.pid = proc.pid
        cpu_start = cpu_seconds(proc.pid)
        with phases.phase("staff logins + WebSockets"):
            await staff_logins(session, base, ops, lines)
        with phases.phase("patient logins + WebSockets"):
            await patient_logins(session, base, work / "sms.jsonl", patients, lines)
        with phases.phase("patients start (contacts queue)"):
            await start_contacts(patients, lines)
        await asyncio.sleep(0.5)
        with phases.phase("offer rounds"):
            t = time.perf_counter()
            rounds = min(args.patients // n_staff, -(-args.offers // n_staff))
            lat = await offer_rounds(ops, rounds, args.group)
            dt = time.perf_counter() - t
        who = "one operator at a time" if args.group == 1 else f"{args.group} at a time"
        lines.append(
            f"offer: available -> offer frame, {who}, {len(patients):,} -> "
            f"{len(patients) - len(lat) + len(ops):,} contacts waiting, "
            f"{len(ops)} operators connected: {ms(lat)}; {len(lat) / dt:,.1f} "
            f"end+wrapup_done+offer+accept cycles/s "
            f"[target p99 < 50 ms: {'met' if pct(lat, 0.99) < 0.05 else 'MISSED'}]"
        )
        print(lines[-1], flush=True)

        pairs = await pairs_of(ops, patients)
        with phases.phase(f"hub relay ({args.seconds:g} s + 1 s warm-up)"):
            rate, relay_lat, stalled = await relay(pairs, args.seconds, args.window)
        errors = sum(c.counts["error"] for p in pairs for c in (p.a, p.b))
        return HubResult(
            pairs,
            rate,
            relay_lat,
            stalled,
            errors,
            cpu_seconds(proc.pid) - cpu_start,
            peak_rss_mib(proc.pid),
        )
    finally:
        await stop_async(proc)
        # the hub closed its sockets on the way out; drop ours
        for c in [*(o.conn for o in ops), *(p.conn for p in patients)]:
            if c is not None:
                c.reader.cancel()


async def run(args: argparse.Namespace, work: Path) -> list[str]:
    lines: list[str] = []
    phases = Phases()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        hub = await run_hub(session, args, work, phases, lines)
        phases.rows.append(f"  hub process total CPU {hub.cpu:.1f} s, peak RSS {hub.rss:.0f} MiB")
        bare_rate, bare_lat, bare_stalled, bare_rss = await run_bare(
            session, work, hub.pairs, args, phases
        )
    phases.rows.append(f"  bare relay process peak RSS {bare_rss:.0f} MiB")
    ratio = hub.rate / bare_rate
    trouble = ", ".join(
        x
        for x in (
            f"{hub.errors} error frames" if hub.errors else "",
            f"{hub.stalled} stalled directions" if hub.stalled else "",
        )
        if x
    )
    lines.append(
        f"relay: {len(hub.pairs)} pairs, ICE signal frames both ways, window {args.window} per "
        f"direction, {args.seconds:g} s: hub {hub.rate:,.0f} frames/s (latency {ms(hub.latencies)}"
        f"{'; ' + trouble if trouble else ''}) | bare aiohttp relay {bare_rate:,.0f} frames/s "
        f"(latency {ms(bare_lat)}{f'; {bare_stalled} stalled' if bare_stalled else ''}) | "
        f"ratio hub/bare {ratio:.2f} [target >= 0.5: {'met' if ratio >= 0.5 else 'MISSED'}]"
    )
    print(lines[-1], flush=True)
    if RETRIED:
        lines.append(
            "hub answered 500 (sent again): "
            + ", ".join(f"/{path} {n}x" for path, n in sorted(RETRIED.items()))
        )
    lines.append(
        "CPU by phase (server = the hub, or the bare relay in its phase; 100% = one core; "
        "other processes = the rest of the machine's load):"
    )
    lines += phases.rows
    return lines


HUB_CODE = ("console/hub", "console/queue", "console/store", "console/protocol", "db")


def git(*argv: str) -> str:
    done = subprocess.run(["git", *argv], check=False, cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--patients", type=int, default=1000)
    ap.add_argument("--staff", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=10.0, help="relay measurement per side")
    ap.add_argument("--offers", type=int, default=500, help="offers to time (at least)")
    ap.add_argument("--group", type=int, default=1, help="operators made available together")
    ap.add_argument("--window", type=int, default=4, help="unanswered frames per direction")
    ap.add_argument("--deadline", type=float, default=300.0, help="abort after this many s")
    ap.add_argument("--profile", type=Path, help="run the hub under cProfile, stats to this file")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (db, logs)")
    ap.add_argument("--relay-port", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.relay_port:
        serve_relay(args.relay_port)
        return
    if args.profile is not None:
        args.profile = args.profile.resolve()
    raise_open_files(2 * (args.patients + args.staff) + 256)

    work = Path(tempfile.mkdtemp(prefix="bench-hub-"))
    t = time.perf_counter()
    load_before = Path("/proc/loadavg").read_text().split()[:3]

    async def bounded_run() -> list[str]:
        return await asyncio.wait_for(run(args, work), args.deadline)

    lines = run_in(work, bounded_run(), keep=args.keep)
    commit = hub_commit()
    head = (
        f"{args.patients:,} patient + {min(args.staff, args.patients)} staff WebSockets on one hub "
        f"(own process, SQLite) at {commit}; {os.cpu_count()} cores, load average "
        f"{' '.join(load_before)} before; run took {time.perf_counter() - t:.0f} s"
    )
    print("\n".join(["", "summary:", head, *lines]))
    if args.profile is not None:
        import pstats

        # by own time: SQLAlchemy's greenlets make cProfile's cumulative times meaningless
        print(f"\nhub profile ({args.profile}), top 25 by own time:")
        pstats.Stats(str(args.profile)).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()

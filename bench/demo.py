"""How soon ``medconsole demo`` is usable, and how its console keeps up while the demo runs.

    .venv/bin/python bench/demo.py                 # start-up: fresh and existing data, 3 runs each
    .venv/bin/python bench/demo.py --runs 5 --lag 20

**Start-up.** The real command (``medconsole demo --media synthetic``, offscreen)
is started again and again; the figure is the time from starting it to the line
``console usable``, which the demo prints once the main window is shown and the
medconsultant's queue lists waiting patients. "Fresh" is an empty data folder
(migrations, the demo staff and the first 200 insured seeded before the hub
opens; the other 9,800 in a background process once the console is usable),
"existing" a folder a demo has
fully seeded before. The baseline, in the same run: the same command with the
hub and the patients in the console's own process (``--in-process``) instead
of a process of their own beside it. CPU is every process's (the console, the
hub's, the seeding) until the demo has ended.

**Lag** (``--lag SECONDS``): the console's event loop while the demo runs, both
ways. A 10 ms timer's lateness on the console's loop, and the console process's
CPU, for ``SECONDS`` with patients arriving (10 a minute) and ringing, then for
``SECONDS`` in a video call with a simulated patient (the first video caller is
accepted, the others rejected until one comes).

The machine is shared: the load average is printed beside each figure.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEDCONSOLE = Path(sys.executable).with_name("medconsole")
USABLE = re.compile(r"console usable ([\d.]+) s")
CPU = re.compile(r"CPU: this process ([\d.]+) s(?:, the hub's ([\d.]+) s)?")


def command(*args: str) -> list[str]:
    if MEDCONSOLE.exists():
        return [str(MEDCONSOLE), *args]
    return [sys.executable, "-m", "console.cli", *args]


def environment(data: Path) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MEDCONSOLE_DATA_DIR": str(data)}
    env.pop("MEDCONSOLE_PASSWORD", None)
    return env


def children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def start_once(data: Path, *extra: str) -> dict[str, float]:
    """One ``medconsole demo`` until its console is usable (then it closes after 1 s)."""
    cpu = children_cpu()
    load = os.getloadavg()[0]
    t0 = time.monotonic()
    proc = subprocess.Popen(
        command("demo", "--media", "synthetic", "--port", "0", "--run-for", "1", *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=environment(data),
        cwd=ROOT,
    )
    seen: float | None = None
    console_cpu = hub_cpu = float("nan")
    assert proc.stdout is not None
    for line in proc.stdout:
        if USABLE.search(line) and seen is None:
            seen = time.monotonic() - t0
            if found := CPU.search(line):
                console_cpu = float(found.group(1))
                hub_cpu = float(found.group(2)) if found.group(2) else float("nan")
    if proc.wait(timeout=300) != 0:
        raise SystemExit(f"the demo failed ({proc.returncode}) in {data}")
    return {
        "wall": float("nan") if seen is None else seen,
        "console_cpu": console_cpu,
        "hub_cpu": hub_cpu,
        "cpu": children_cpu() - cpu,
        "load": load,
    }


def seeded_folder(parent: Path) -> Path:
    """A data folder a demo has fully seeded (the headless demo until the registry is in)."""
    data = parent / "existing"
    proc = subprocess.Popen(
        command("demo", "--headless", "--port", "0", "--waiting", "0"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment(data),
        cwd=ROOT,
    )
    marker = data / "demo.json"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if json.loads(marker.read_text())["complete"]:
                break
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.5)
    else:
        raise SystemExit("the demo registry was not seeded in 10 minutes")
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    return data


def summary(rows: list[dict[str, float]], key: str) -> str:
    values = sorted(r[key] for r in rows if not math.isnan(r[key]))  # NaN: not measured
    if not values:
        return "-"
    return f"{statistics.median(values):5.2f} ({values[0]:.2f}-{values[-1]:.2f})"


def startup(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
        parent = Path(tmp)
        existing = seeded_folder(parent)
        results: dict[tuple[str, str], list[dict[str, float]]] = {}
        for n in range(runs):
            for how, extra in (("hub process", ()), ("in-process (baseline)", ("--in-process",))):
                fresh = parent / f"fresh-{how[:2]}-{n}"
                results.setdefault(("fresh", how), []).append(start_once(fresh, *extra))
                results.setdefault(("existing", how), []).append(start_once(existing, *extra))
    print(f"medconsole demo, offscreen, {runs} runs each: median (min-max), seconds")
    print("CPU: the console process's until usable, the hub process's until it listened,")
    print("every process's until the demo ended (1 s after usable)")
    print(f"{'data':9} {'how':22} {'command -> usable':19} {'CPU console':19} "
          f"{'CPU hub':19} {'CPU all':19} load avg")  # fmt: skip
    for (data, how), rows in results.items():
        cells = " ".join(f"{summary(rows, k):19}" for k in ("console_cpu", "hub_cpu", "cpu"))
        print(
            f"{data:9} {how:22} {summary(rows, 'wall'):19} {cells} "
            f"{statistics.mean(r['load'] for r in rows):.1f}"
        )


# ---------------------------------------------------------------- lag


def lag(seconds: float) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
        data = seeded_folder(Path(tmp))
        print(f"the console's loop, {seconds:g} s a phase: a 10 ms timer's lateness, ms")
        print(f"{'how':22} {'phase':16} {'p50':>6} {'p99':>7} {'max':>7} {'CPU %':>6} "
              f"{'video fps':>9} load avg")  # fmt: skip
        for how, extra in (("hub process", []), ("in-process", ["--in-process"])):
            out = subprocess.run(
                [sys.executable, __file__, "--lag-worker", str(seconds), *extra],
                env=environment(data),
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            found = [ln for ln in out.stdout.splitlines() if ln.startswith("LAG ")]
            if not found:
                print(f"{how}: no result\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
                continue
            for phase in json.loads(found[-1][4:]):
                print(
                    f"{how:22} {phase['phase']:16} {phase['p50']:6.1f} {phase['p99']:7.1f} "
                    f"{phase['max']:7.1f} {phase['cpu']:6.0f} {phase['fps']:9.1f} "
                    f"{phase['load']:.1f}"
                )


def lag_worker(seconds: float, extra: list[str]) -> int:
    """In a process of its own: the demo's console with a timer on its loop."""
    import asyncio

    # this folder's console.py (the console bench) is not the package
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    from PySide6.QtCore import QTimer

    from console import cli
    from console import demo as demo_cmd

    phases: list[dict[str, float | str]] = []
    opened = demo_cmd.console_opened

    async def measure(phase: str, window: object) -> None:
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        remote = window.call.remote  # type: ignore[attr-defined]
        frames, cpu, t0 = remote.frames_shown, time.process_time(), time.perf_counter()
        timer.start()
        await asyncio.sleep(seconds)
        timer.stop()
        wall = time.perf_counter() - t0
        late = sorted(max(0.0, (b - a) - 0.010) * 1000 for a, b in itertools.pairwise(ticks))
        phases.append(
            {
                "phase": phase,
                "p50": late[len(late) // 2],
                "p99": late[int(len(late) * 0.99)],
                "max": late[-1],
                "cpu": 100 * (time.process_time() - cpu) / wall,
                "fps": (remote.frames_shown - frames) / wall,
                "load": os.getloadavg()[0],
            }
        )

    async def drive(session: object) -> None:
        w = session.window  # type: ignore[attr-defined]
        controller = session.controller  # type: ignore[attr-defined]
        await asyncio.sleep(2.0)  # the start-up settles
        await measure("queue, ringing", w)
        while True:  # the first video caller is taken
            while not w.offer_panel.isVisible():  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            contact = w.offer_panel.offer.contact
            if contact.channel == "video":
                controller.accept(contact.id)
                break
            controller.reject(contact.id)
            await asyncio.sleep(0.5)
        while w.call.remote.frames_shown < 30:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        await measure("video call", w)
        print("LAG " + json.dumps(phases), flush=True)
        w.close()

    tasks: set[asyncio.Task[None]] = set()

    async def console_opened(session: object, watch: demo_cmd.Stopwatch) -> None:
        await opened(session, watch)
        tasks.add(asyncio.ensure_future(drive(session)))

    demo_cmd.console_opened = console_opened  # type: ignore[assignment]
    return cli.main(["demo", "--media", "synthetic", "--port", "0", "--rate", "10", *extra])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="start-ups of each kind")
    parser.add_argument("--lag", type=float, metavar="SECONDS", help="also the loop's lag")
    parser.add_argument("--no-startup", action="store_true", help="only the lag")
    parser.add_argument("--lag-worker", type=float, help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.lag_worker is not None:
        return lag_worker(args.lag_worker, rest)
    if not args.no_startup:
        startup(args.runs)
    if args.lag:
        lag(args.lag)
    return 0


if __name__ == "__main__":
    sys.exit(main())

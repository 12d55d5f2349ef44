"""``medconsole demo``: the data, the hub, the simulated patients and the console, offscreen.

In-process, the demo's parts on the test's qasync loop with the real console
window over them: the queue fills with simulated patients and an offer rings,
and the registry beyond its first people is seeded in the background. As a
command, in a process of its own: it reports the console usable with patients
waiting, on a fresh data folder and again on the same one, and without a screen
runs the hub and the patients alone. Nobody takes a call here: no media.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from datetime import date
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSettings

from console import cli
from console import demo as demo_cmd
from console.admin import seed
from console.calls.patient import phone_key
from console.settings import Settings
from tests.views.ui import until

if TYPE_CHECKING:
    from pathlib import Path

TIMEOUT = 120.0  # two busy cores


async def test_the_demo_fills_the_console_queue_and_an_offer_rings(
    qtbot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from console.calls.devices import LocalMedia
    from console.client import StaffClient
    from console.views import app

    data = tmp_path / "data"
    settings = Settings(data_dir=data, port=0, media="synthetic", ice_host=["127.0.0.1"], lang="en")
    demo = demo_cmd.Demo(settings, insured=400, seed=2, rate=60, patients=8, waiting=2, abandon=0.0)
    await demo.start()
    try:
        # the staff and the first people are there before the hub opens; the rest follow
        # once the console is usable
        assert demo._seeder is None
        first = len(demo.simulator.phones)
        assert 0 < first < 400 and demo_cmd.DEMO_FIRST < 400
        client = StaffClient(demo.hub_url, backoff=(0.05, 0.1, 0.2))
        await client.login("op1", cli.DEMO_PASSWORD)
        app.install_translations(app.application(), "en")
        session = await app.open_console(
            settings.model_copy(update={"hub_url": demo.hub_url}),
            client,
            media=LocalMedia("synthetic"),
            qsettings=QSettings(str(tmp_path / "op1.ini"), QSettings.Format.IniFormat),
        )
        try:
            await demo_cmd.console_opened(session, demo.watch)
            w = session.window
            await until(lambda: w.queue_model.rowCount() >= 2, TIMEOUT, "patients in the queue")
            await until(w.offer_panel.isVisible, TIMEOUT, "an offer to ring")
            assert w.offer_panel.offer.contact.channel in ("video", "audio", "chat")
            await until(lambda: "ready" in demo.watch.marks, TIMEOUT, "the readiness line")
            assert "console usable" in capsys.readouterr().out
            assert demo.simulator.stats.signed_in >= 2 and demo.simulator.stats.failed == 0

            await until(lambda: demo._seeder is not None, TIMEOUT, "the seeding to start")
            marker = data / demo_cmd.DEMO_MARKER
            await until(
                lambda: json.loads(marker.read_text())["complete"], TIMEOUT, "the whole registry"
            )
            await until(lambda: len(demo.simulator.phones) > first, TIMEOUT, "its phones")
        finally:
            await session.close()
    finally:
        await demo.stop()

    # again on the same folder: nothing seeded, the staff can sign in at once
    again = demo_cmd.Demo(settings, insured=400, seed=2, rate=60, patients=1, waiting=0)
    await again.start()
    try:
        assert again._seeder is None
        client = StaffClient(again.hub_url)
        await client.login("sup1", cli.DEMO_PASSWORD)
        await client.close()
    finally:
        await again.stop()


# ---------------------------------------------------------------- the command


def demo_command(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MEDCONSOLE_DATA_DIR": str(data)}
    env.pop("MEDCONSOLE_PASSWORD", None)
    argv = ["demo", "--port", "0", "--insured", "150", "--media", "synthetic", "--lang", "en"]
    return subprocess.run(
        [sys.executable, "-m", "console.cli", *argv, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def assert_no_phones(text: str, today: date) -> None:
    for phone in demo_cmd.demo_phones(150, 1, today):
        assert phone not in text and phone_key(phone) not in text, "a phone in the output"


@pytest.mark.slow
def test_the_demo_command_opens_a_usable_console_on_a_fresh_and_an_existing_folder(
    tmp_path: Path,
) -> None:
    for run in ("fresh", "existing"):
        done = demo_command(tmp_path, "--run-for", "4")
        assert done.returncode == 0, (run, done.stdout, done.stderr)
        usable = re.search(r"console usable ([\d.]+) s .*; (\d+) waiting in its queue", done.stdout)
        assert usable, (run, done.stdout)
        assert int(usable.group(2)) >= 1
        assert "op1 signed in at http://127.0.0.1:" in done.stdout
        marker = json.loads((tmp_path / demo_cmd.DEMO_MARKER).read_text())
        assert marker["complete"] and marker["insured"] == 150
        assert_no_phones(done.stdout + done.stderr, date.fromisoformat(marker["today"]))
        # the booking dialog has doctors to offer: their hours and duty shifts were seeded
        # (after the console was usable, not before)
        with sqlite3.connect(tmp_path / "medconsole.sqlite3") as db:
            hours = db.execute("SELECT count(DISTINCT doctor_id) FROM working_hours").fetchone()
            shifts = db.execute("SELECT count(*) FROM duty_shifts").fetchone()
        assert hours[0] == len(seed.DEMO_HOURS) and shifts[0] >= 2, (run, hours, shifts)


@pytest.mark.slow
def test_without_a_screen_the_demo_runs_the_hub_and_the_patients(tmp_path: Path) -> None:
    done = demo_command(tmp_path, "--headless", "--run-for", "4", "--rate", "30")
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert "the hub listens at http://127.0.0.1:" in done.stdout
    status = re.search(r"patients: (\d+) arrived, (\d+) waiting", done.stdout)
    assert status and int(status.group(1)) >= 1, done.stdout
    today = date.fromisoformat(json.loads((tmp_path / demo_cmd.DEMO_MARKER).read_text())["today"])
    assert_no_phones(done.stdout + done.stderr, today)


def test_the_demo_staff_password_hash_is_the_demo_password() -> None:
    from console.store import staff

    assert staff.check_password(demo_cmd.DEMO_PASSWORD_HASH, cli.DEMO_PASSWORD)


def test_console_as_a_role_signs_in_with_its_demo_login(monkeypatch) -> None:
    parse = cli.build_parser().parse_args
    monkeypatch.delenv("MEDCONSOLE_PASSWORD", raising=False)
    as_sup = demo_cmd.console_login(parse(["console", "--as", "supervisor"]))
    assert as_sup == {"login": "sup1", "password": cli.DEMO_PASSWORD}
    assert demo_cmd.console_login(parse(["console", "--as", "doctor"]))["login"] == "therapist1"
    monkeypatch.setenv("MEDCONSOLE_PASSWORD", "s3cret")
    as_ped = demo_cmd.console_login(parse(["console", "--as", "pediatrician"]))
    assert as_ped == {"login": "pediatrician1", "password": "s3cret"}
    assert demo_cmd.console_login(parse(["console", "--login", "op2"])) == {"login": "op2"}

"""The hub killed and restarted under a running console, and the console as a command.

The hub runs as its own process here so it can be killed with SIGKILL; the
console shows the lost connection, comes back by itself and shows the same
contact, chat and all.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import aiohttp
import pytest
from PySide6.QtCore import QSettings, Qt

from console.calls.devices import LocalMedia
from console.client import StaffClient
from console.settings import Settings
from console.views import app
from tests.client.conftest import PASSWORD, owner_phones
from tests.hub.clients import WsClient, patient_login
from tests.hub.conftest import seed_db
from tests.hub.test_restart import free_port, start_hub
from tests.views.ui import press, type_text, until

pytestmark = pytest.mark.slow


async def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        await asyncio.to_thread(proc.wait, 10)


async def test_the_console_rides_out_a_hub_restart_and_shows_the_same_contact(
    qtbot, tmp_path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.sqlite3'}"
    people = await seed_db(url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = await start_hub(tmp_path, url, port)
    app.install_translations(app.application(), "en")
    client = StaffClient(base, backoff=(0.1, 0.2, 0.4))
    session = None
    try:
        async with aiohttp.ClientSession() as http:
            await client.login("op1", PASSWORD)
            conf = Settings(data_dir=tmp_path, hub_url=base, media="synthetic")
            qsettings = QSettings(str(tmp_path / "op1.ini"), QSettings.Format.IniFormat)
            session = await app.open_console(
                conf, client, media=LocalMedia("synthetic"), qsettings=qsettings
            )
            w = session.window
            await client.set_state("available")
            pat = WsClient(base, http, "/ws/patient")
            phone = owner_phones(people, 1)[0]
            await pat.connect(await patient_login(http, base, phone, tmp_path / "sms.jsonl"))
            await pat.call({"type": "start", "channel": "chat"})
            await until(w.offer_panel.isVisible, what="the offer")
            await press(w, Qt.Key.Key_F5)
            await until(lambda: w.contact is not None, what="the contact")
            cid = w.contact.id
            await type_text(w.chat.input, "Здравствуйте!", enter=True)
            await until(lambda: w.chat.model.rowCount() == 1, what="our message")
            assert w.hub_status.text() == "Hub: connected"

            os.killpg(proc.pid, signal.SIGKILL)
            await asyncio.to_thread(proc.wait, 10)
            await until(
                lambda: "reconnecting" in w.hub_status.text(), 5, "the console to show the loss"
            )
            assert w.contact is not None and w.contact.id == cid  # the work stays on screen
            await pat.close()

            proc = await start_hub(tmp_path, url, port)
            await until(lambda: w.hub_status.text() == "Hub: connected", 10, "the reconnection")
            assert w.contact is not None and w.contact.id == cid
            assert w.stack.currentWidget() is w.work_split
            assert [w.chat.model.message(i).text for i in range(w.chat.model.rowCount())] == [
                "Здравствуйте!"
            ]
            assert w.staff_state == "busy"
            await type_text(w.chat.input, "Связь восстановлена", enter=True)  # it works
            await until(lambda: w.chat.model.rowCount() == 2, what="the chat on the new hub")
    finally:
        if session is not None:
            await session.close()
        else:
            await client.close()
        await _kill(proc)


def _console(base: str, *args: str, password: str, tmp) -> subprocess.Popen:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "MEDCONSOLE_PASSWORD": password,
        "MEDCONSOLE_DATA_DIR": str(tmp),
        "XDG_CONFIG_HOME": str(tmp / "config"),  # QSettings of this run only
    }
    argv = [sys.executable, "-m", "console.cli", "console", "--hub", base, *args]
    return subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


async def test_the_console_command_logs_straight_in_and_ends_cleanly_on_sigterm(tmp_path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.sqlite3'}"
    await seed_db(url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    hub = await start_hub(tmp_path, url, port)
    try:
        con = _console(
            base, "--login", "op1", "--media", "synthetic", password=PASSWORD, tmp=tmp_path
        )
        lines: list[str] = []

        def read_until_online() -> None:
            assert con.stderr is not None
            for line in con.stderr:
                lines.append(line)
                if "-> online" in line:
                    return

        await asyncio.wait_for(asyncio.to_thread(read_until_online), 30)
        assert con.poll() is None, "".join(lines)
        con.send_signal(signal.SIGTERM)
        out, err = await asyncio.to_thread(con.communicate, timeout=20)
        assert con.returncode == 0, err
        assert PASSWORD not in "".join(lines) + out + err

        wrong = _console(base, "--login", "op1", password="not-the-password", tmp=tmp_path)
        out, err = await asyncio.to_thread(wrong.communicate, timeout=30)
        assert wrong.returncode != 0
        assert "medconsole:" in err and "not-the-password" not in err + out
    finally:
        await _kill(hub)

"""Transport rules: TLS when given a certificate, no plain HTTP off loopback, expiry,
and a silent connection noticed within 10 s."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from console.clock import FakeClock
from tests.hub.clients import WsClient, staff_login
from tests.hub.test_restart import free_port

pytestmark = pytest.mark.slow


def make_cert(tmp) -> tuple[str, str]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl CLI missing")
async def test_https_and_wss_with_a_certificate(tmp_path) -> None:
    from tests.hub.conftest import seed_db

    url = f"sqlite+aiosqlite:///{tmp_path / 'tls.sqlite3'}"
    await seed_db(url, n=10)
    cert, key = await asyncio.to_thread(make_cert, tmp_path)
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "console.cli",
        "hub",
        "--port",
        str(port),
        "--db",
        url,
        "--data-dir",
        str(tmp_path),
        "--cert",
        cert,
        "--key",
        key,
    ]
    proc = await asyncio.to_thread(
        subprocess.Popen,
        argv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    ctx = ssl.create_default_context(cafile=cert)
    ctx.check_hostname = False
    try:
        async with aiohttp.ClientSession() as s:
            base = f"https://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    async with s.get(f"{base}/healthz", ssl=ctx) as r:
                        if r.status == 200:
                            break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.05)
            async with s.post(
                f"{base}/api/staff/login", ssl=ctx, json={"login": "op1", "password": "medconsole"}
            ) as r:
                token = (await r.json())["token"]
            ws = await s.ws_connect(f"wss://127.0.0.1:{port}/ws/staff", ssl=ctx)
            await ws.send_json({"v": 1, "type": "hello", "token": token})
            assert (await ws.receive_json(timeout=10))["type"] == "welcome"
            await ws.close()
            with pytest.raises(aiohttp.ClientError):  # no plain HTTP on the TLS port
                async with s.get(f"http://127.0.0.1:{port}/healthz") as r:
                    await r.read()
    finally:
        proc.kill()
        await asyncio.to_thread(proc.wait)


async def test_plain_http_off_loopback_is_refused(tmp_path) -> None:
    argv = [
        sys.executable,
        "-m",
        "console.cli",
        "hub",
        "--host",
        "0.0.0.0",
        "--port",
        str(free_port()),
        "--db",
        f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}",
    ]
    done = await asyncio.to_thread(subprocess.run, argv, capture_output=True, text=True, timeout=30)
    assert done.returncode != 0
    assert "refusing plain HTTP" in done.stderr and "--cert" in done.stderr


@pytest.fixture
def hub_clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))


async def test_idle_and_absolute_expiry(hub_server, hub_clock) -> None:
    h = hub_server
    token = await staff_login(h.session, h.base, "op1")
    hub_clock.advance(timedelta(minutes=59))
    c = WsClient(h.base, h.session, "/ws/staff")
    assert (await c.connect(token))["type"] == "welcome"  # used within the idle hour
    await c.close()
    hub_clock.advance(timedelta(minutes=61))
    c = WsClient(h.base, h.session, "/ws/staff")
    assert (await c.connect(token))["code"] == "unauthorized"  # idle too long
    await c.close()
    token = await staff_login(h.session, h.base, "op1")
    for _ in range(13):  # in use every 55 minutes: fine for 11 h 55 min ...
        hub_clock.advance(timedelta(minutes=55))
        c = WsClient(h.base, h.session, "/ws/staff")
        assert (await c.connect(token))["type"] == "welcome"
        await c.close()
    hub_clock.advance(timedelta(minutes=10))  # ... but never past the 12-hour shift
    c = WsClient(h.base, h.session, "/ws/staff")
    assert (await c.connect(token))["code"] == "unauthorized"
    await c.close()


async def test_a_silent_connection_is_noticed_within_ten_seconds(hub_server) -> None:
    h = hub_server
    token = await staff_login(h.session, h.base, "op2")
    ws = await h.session.ws_connect(h.base.replace("http", "ws") + "/ws/staff", autoping=False)
    await ws.send_json({"v": 1, "type": "hello", "token": token})
    assert (await ws.receive_json(timeout=10))["type"] == "welcome"
    sid = next(iter(h.hub.staff_conns))
    t0 = time.monotonic()
    # this client never answers the hub's pings (a cable pulled, a frozen machine)
    while True:
        msg = await ws.receive(timeout=15)
        if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            break
    await asyncio.sleep(0.1)  # the hub's handler finishes after the close
    assert sid not in h.hub.staff_conns
    assert time.monotonic() - t0 < 10
    await ws.close()

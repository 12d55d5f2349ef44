"""A small Chrome DevTools Protocol client for driving Debian's headless Chromium in tests.

Nothing is downloaded: the browser is the system's ``/usr/lib/chromium/chromium``
(``apt-get install chromium``), started in its own session with a fresh profile
and ``--remote-debugging-port=0``; the port is read from
``<profile>/DevToolsActivePort``. One WebSocket (aiohttp) talks to the browser
target; the page is attached as a flat session.

    async with Browser() as browser:
        await browser.navigate("http://127.0.0.1:8080/")
        await browser.type("[data-testid=phone]", "+7 916 123-45-67")
        await browser.click("[data-testid=send-code]")
        await browser.wait_for("document.querySelector('[data-testid=code]').offsetParent")
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from types import TracebackType

CHROMIUM = Path("/usr/lib/chromium/chromium")

FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
)


class CDPError(RuntimeError):
    """The browser answered a command with an error, or went away."""


class JSError(CDPError):
    """A script evaluated in the page threw."""


def browser_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


class Browser:
    """One headless Chromium with one page; an async context manager."""

    def __init__(
        self,
        *,
        executable: Path | str | None = None,
        width: int = 1280,
        height: int = 800,
        extra_args: tuple[str, ...] = (),
        start_timeout: float = 20.0,
        command_timeout: float = 30.0,
    ) -> None:
        self.executable = Path(executable) if executable else CHROMIUM
        self.width = width
        self.height = height
        self.extra_args = extra_args
        self.start_timeout = start_timeout
        self.command_timeout = command_timeout
        # What the page wrote to its console and the exceptions it did not catch.
        self.console: list[str] = []
        self.page_errors: list[str] = []

        self._root: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._http: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._waiters: list[tuple[str, asyncio.Future[dict[str, Any]]]] = []
        self._session: str | None = None
        self._closed = False

    # ------------------------------------------------------------ life cycle

    async def __aenter__(self) -> Browser:
        try:
            await self.start()
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        if not self.executable.is_file():
            raise FileNotFoundError(
                f"{self.executable} is missing: apt-get install chromium (Debian's package)"
            )
        self._root = Path(tempfile.mkdtemp(prefix="medconsole-chromium-"))
        profile = self._root / "profile"
        profile.mkdir()
        log = (self._root / "chromium.log").open("wb")
        try:
            self._proc = subprocess.Popen(  # noqa: ASYNC220 - started once, never waited on here
                [
                    str(self.executable),
                    *FLAGS,
                    *self.extra_args,
                    f"--user-data-dir={profile}",
                    "--remote-debugging-port=0",
                    "--remote-debugging-address=127.0.0.1",
                    f"--window-size={self.width},{self.height}",
                    "about:blank",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        port, path = await self._read_devtools_port(profile / "DevToolsActivePort")
        self._http = aiohttp.ClientSession()
        self._ws = await self._http.ws_connect(
            f"ws://127.0.0.1:{port}{path}", max_msg_size=0, autoping=True
        )
        self._reader = asyncio.create_task(self._read_loop(), name="cdp-reader")
        await self._attach_page()

    async def _read_devtools_port(self, file: Path) -> tuple[int, str]:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                raise CDPError(f"chromium exited with {self._proc.returncode}:\n{self._log_tail()}")
            found = _read_port_file(file)
            if found is not None:
                return found
            await asyncio.sleep(0.05)
        raise CDPError(f"chromium did not open its DevTools port:\n{self._log_tail()}")

    def _log_tail(self, chars: int = 3000) -> str:
        if self._root is None:
            return ""
        try:
            return (self._root / "chromium.log").read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    async def _attach_page(self) -> None:
        targets = (await self.send("Target.getTargets"))["targetInfos"]
        pages = [t for t in targets if t["type"] == "page"]
        if pages:
            target_id = pages[0]["targetId"]
        else:
            target_id = (await self.send("Target.createTarget", {"url": "about:blank"}))["targetId"]
        attached = await self.send(
            "Target.attachToTarget", {"targetId": target_id, "flatten": True}
        )
        self._session = attached["sessionId"]
        await self.page("Page.enable")
        await self.page("Runtime.enable")
        await self.page(
            "Emulation.setDeviceMetricsOverride",
            {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False},
        )

    async def close(self) -> None:
        """Close the browser, wait for it, kill its process group, remove the profile."""
        if self._closed:
            return
        self._closed = True
        if self._ws is not None and not self._ws.closed:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.send("Browser.close"), 5)
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._http is not None:
            await self._http.close()
        for fut in self._pending.values():
            if not fut.done():
                fut.set_exception(CDPError("browser closed"))
        self._pending.clear()
        proc = self._proc
        if proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                await asyncio.to_thread(proc.wait, 5)
            # Helpers (zygote, GPU, network service) outlive the main process.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    await asyncio.to_thread(proc.wait, 5)
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)

    # ------------------------------------------------------------ protocol

    async def _read_loop(self) -> None:
        assert self._ws is not None
        try:
            async for frame in self._ws:
                if frame.type != aiohttp.WSMsgType.TEXT:
                    continue
                msg = json.loads(frame.data)
                if "id" in msg:
                    fut = self._pending.pop(msg["id"], None)
                    if fut is not None and not fut.done():
                        if "error" in msg:
                            fut.set_exception(CDPError(f"{msg['error'].get('message')}: {msg}"))
                        else:
                            fut.set_result(msg.get("result", {}))
                else:
                    self._on_event(msg)
        finally:
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(CDPError("the DevTools connection closed"))

    def _on_event(self, msg: dict[str, Any]) -> None:
        method = msg.get("method", "")
        params = msg.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = " ".join(_remote_to_str(a) for a in params.get("args", []))
            self.console.append(f"{params.get('type')}: {text}")
        elif method == "Runtime.exceptionThrown":
            self.page_errors.append(_exception_text(params.get("exceptionDetails", {})))
        for entry in list(self._waiters):
            name, fut = entry
            if name == method and not fut.done():
                fut.set_result(params)
                self._waiters.remove(entry)

    async def send(
        self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None
    ) -> dict[str, Any]:
        """Send one command (to the browser, or to ``session``) and return its result."""
        if self._ws is None or self._ws.closed:
            raise CDPError("not connected")
        msg_id = next(self._ids)
        msg: dict[str, Any] = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = fut
        await self._ws.send_str(json.dumps(msg))
        try:
            return await asyncio.wait_for(fut, self.command_timeout)
        finally:
            self._pending.pop(msg_id, None)

    async def page(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send a command to the attached page."""
        return await self.send(method, params, session=self._session)

    def _expect(self, method: str) -> asyncio.Future[dict[str, Any]]:
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiters.append((method, fut))
        return fut

    # ------------------------------------------------------------ page helpers

    async def navigate(self, url: str, *, timeout: float = 15.0) -> None:
        """Open ``url`` and wait for its load event."""
        loaded = self._expect("Page.loadEventFired")
        result = await self.page("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise CDPError(f"navigation to {url} failed: {result['errorText']}")
        await asyncio.wait_for(loaded, timeout)

    async def reload(self, *, timeout: float = 15.0) -> None:
        loaded = self._expect("Page.loadEventFired")
        await self.page("Page.reload", {"ignoreCache": True})
        await asyncio.wait_for(loaded, timeout)

    async def evaluate(self, js: str, *, await_promise: bool = True) -> Any:
        """Evaluate an expression in the page; return its JSON value, raise on exceptions."""
        reply = await self.page(
            "Runtime.evaluate",
            {
                "expression": js,
                "returnByValue": True,
                "awaitPromise": await_promise,
                "userGesture": True,
            },
        )
        if "exceptionDetails" in reply:
            raise JSError(f"{_exception_text(reply['exceptionDetails'])}\n  in: {js}")
        return reply.get("result", {}).get("value")

    async def wait_for(
        self, js_predicate: str, timeout: float = 10.0, interval: float = 0.05
    ) -> Any:
        """Wait until ``js_predicate`` is truthy in the page; return its value.

        Exceptions while waiting count as "not yet" (the page may be loading); the
        last one is reported on timeout.
        """
        deadline = time.monotonic() + timeout
        last_error = ""
        while True:
            try:
                value = await self.evaluate(js_predicate)
                if value:
                    return value
            except JSError as exc:
                last_error = str(exc)
            if time.monotonic() >= deadline:
                detail = f"; last error: {last_error}" if last_error else ""
                errors = f"; page errors: {self.page_errors}" if self.page_errors else ""
                raise TimeoutError(
                    f"timed out after {timeout}s waiting for: {js_predicate}{detail}{errors}"
                )
            await asyncio.sleep(interval)

    async def _box(self, selector: str) -> dict[str, float]:
        """Scroll an element into view; its centre, if it is visible and not covered."""
        sel = json.dumps(selector)
        box = await self.evaluate(
            f"""(() => {{
              const el = document.querySelector({sel});
              if (!el) return {{error: "no element matches"}};
              el.scrollIntoView({{block: "center", inline: "center"}});
              const r = el.getBoundingClientRect();
              if (r.width === 0 || r.height === 0) return {{error: "element is not visible"}};
              const x = r.left + r.width / 2, y = r.top + r.height / 2;
              const top = document.elementFromPoint(x, y);
              if (top && top !== el && !el.contains(top) && !(el.labels &&
                  [...el.labels].some((l) => l.contains(top)))) {{
                return {{error: "element is covered by " + top.outerHTML.slice(0, 120)}};
              }}
              return {{x, y, disabled: !!el.disabled}};
            }})()"""
        )
        if "error" in box:
            raise CDPError(f"{selector}: {box['error']}")
        return box

    async def click(self, selector: str, *, timeout: float = 5.0) -> None:
        """Click the element's centre with real mouse events.

        Waits up to ``timeout`` for the element to exist, be visible, enabled and not
        covered by another element; then raises :class:`CDPError` saying which.
        """
        deadline = time.monotonic() + timeout
        while True:
            try:
                box = await self._box(selector)
                if box.get("disabled"):
                    raise CDPError(f"{selector}: element is disabled")
                break
            except CDPError:
                if time.monotonic() >= deadline:
                    raise
                await asyncio.sleep(0.05)
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            params: dict[str, Any] = {"type": kind, "x": box["x"], "y": box["y"]}
            if kind != "mouseMoved":
                params |= {"button": "left", "clickCount": 1}
            await self.page("Input.dispatchMouseEvent", params)

    async def type(self, selector: str, text: str) -> None:
        """Focus the element, set its value, and dispatch ``input`` and ``change`` events."""
        sel = json.dumps(selector)
        await self.evaluate(
            f"""(() => {{
              const el = document.querySelector({sel});
              if (!el) throw new Error("no element matches " + {sel});
              el.focus();
              const proto = Object.getPrototypeOf(el);
              const setter = Object.getOwnPropertyDescriptor(proto, "value").set;
              setter.call(el, {json.dumps(text)});
              el.dispatchEvent(new Event("input", {{bubbles: true}}));
              el.dispatchEvent(new Event("change", {{bubbles: true}}));
            }})()"""
        )

    async def press(self, key: str = "Enter") -> None:
        """Press a key in the focused element (``Enter``, ``Tab``, ``Escape``)."""
        codes = {"Enter": (13, "\r"), "Tab": (9, ""), "Escape": (27, "")}
        vk, text = codes[key]
        base = {"key": key, "code": key, "windowsVirtualKeyCode": vk}
        await self.page("Input.dispatchKeyEvent", {"type": "keyDown", **base, "text": text})
        await self.page("Input.dispatchKeyEvent", {"type": "keyUp", **base})

    async def set_file(self, selector: str, path: str | os.PathLike[str]) -> None:
        """Put a file into an ``<input type=file>`` (fires its ``input``/``change`` events)."""
        doc = await self.page("DOM.getDocument", {"depth": 0})
        node = await self.page(
            "DOM.querySelector", {"nodeId": doc["root"]["nodeId"], "selector": selector}
        )
        if not node.get("nodeId"):
            raise CDPError(f"{selector}: no element matches")
        await self.page(
            "DOM.setFileInputFiles",
            {"files": [_absolute(path)], "nodeId": node["nodeId"]},
        )

    async def set_viewport(self, width: int, height: int, *, mobile: bool = False) -> None:
        await self.page(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )

    async def screenshot(self, path: str | os.PathLike[str], *, full_page: bool = False) -> Path:
        """Save a PNG of the viewport (or of the whole page)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            metrics = await self.page("Page.getLayoutMetrics")
            size = metrics["cssContentSize"]
            params |= {
                "captureBeyondViewport": True,
                "clip": {
                    "x": 0,
                    "y": 0,
                    "width": size["width"],
                    "height": size["height"],
                    "scale": 1,
                },
            }
        shot = await self.page("Page.captureScreenshot", params)
        return _write_file(Path(path), base64.b64decode(shot["data"]))


def _read_port_file(file: Path) -> tuple[int, str] | None:
    """``DevToolsActivePort``: the port, then the browser target's path (once both are written)."""
    try:
        lines = file.read_text().split("\n")
    except FileNotFoundError:
        return None
    if len(lines) >= 2 and lines[0].strip() and lines[1].strip():
        return int(lines[0]), lines[1].strip()
    return None


def _absolute(path: str | os.PathLike[str]) -> str:
    return str(Path(path).resolve())


def _write_file(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _remote_to_str(obj: dict[str, Any]) -> str:
    if "value" in obj:
        return str(obj["value"])
    return str(obj.get("description") or obj.get("type"))


def _exception_text(details: dict[str, Any]) -> str:
    exc = details.get("exception") or {}
    text = exc.get("description") or details.get("text") or "exception"
    return f"{text} (line {details.get('lineNumber')}, column {details.get('columnNumber')})"

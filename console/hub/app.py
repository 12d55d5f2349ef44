"""The hub's aiohttp application: the patient page, logins, uploads, two WebSockets.

Every WebSocket frame is parsed with ``console.protocol``; a frame that does
not parse is answered with an ``error`` naming the field and the connection
stays up. aiohttp's heartbeat pings every 5 s, so a dead connection is noticed
within 10 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import ssl
from ipaddress import ip_address
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from aiohttp import WSMsgType, web
from pydantic import BaseModel, ValidationError

from console.hub.service import HubError
from console.identity import sms as sms_rules
from console.identity.phones import PhoneError, normalize_phone
from console.protocol import messages as m
from console.store import consents, hubstore, registry
from console.store import staff as staff_repo
from console.store.models import AttachmentRow

if TYPE_CHECKING:
    from console.hub.service import Hub, HubConfig, PatientConn, StaffConn
    from console.hub.sms import SmsBackend
    from console.settings import Settings

log = logging.getLogger(__name__)

HUB_KEY = web.AppKey("hub", object)
HEARTBEAT_S = 5.0
RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "web"

# Allowed upload types, recognised by their first bytes (never by the file name).
_SIGNATURES: list[tuple[int, bytes, str]] = [
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"PK\x05\x06", "application/zip"),
    (128, b"DICM", "application/dicom"),
]


def sniff(head: bytes) -> str | None:
    """The MIME type of an allowed file from its first bytes, or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for offset, magic, mime in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return mime
    return None


def _safe_name(raw: str) -> str:
    """The file's own name: percent-decoded (RFC 5987), no folders, no control characters."""
    name = unquote(raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip(". ")
    return name[:200] or "file"


def _error(status: int, code: str, message: str, **extra: Any) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message, **extra}}, status=status)


class WsPeer:
    """A WebSocket as the service's ``Peer``: sends never raise into the hub."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws

    async def send(self, msg: BaseModel) -> None:
        if self.ws.closed:
            return
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self.ws.send_str(m.dump(msg))

    async def send_text(self, text: str) -> None:
        if self.ws.closed:
            return
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self.ws.send_str(text)

    async def close(self, reason: str = "") -> None:
        if not self.ws.closed:
            await self.ws.close(message=reason.encode()[:120])


class HubApp:
    def __init__(self, settings: Settings, hub: Hub, sms: SmsBackend) -> None:
        self.settings = settings
        self.hub = hub
        self.sms = sms
        hub.booking.sms = sms  # booking SMS and reminders go out the same way
        self.attachments = settings.attachments_dir()
        self.max_upload = int(settings.max_upload_mb * 1024 * 1024)

    # ------------------------------------------------------------------ wiring

    def build(self) -> web.Application:
        app = web.Application(client_max_size=self.max_upload + 64 * 1024)
        app[HUB_KEY] = self.hub
        app.router.add_get("/healthz", self.healthz)
        app.router.add_post("/api/patient/sms-code", self.sms_code)
        app.router.add_post("/api/patient/login", self.patient_login)
        app.router.add_post("/api/staff/login", self.staff_login)
        app.router.add_post("/api/upload", self.upload)
        app.router.add_get("/api/attachments/{id}", self.attachment)
        app.router.add_get(r"/api/conclusions/{id:\d{1,9}}.pdf", self.conclusion)
        app.router.add_get("/ws/staff", self.ws_staff)
        app.router.add_get("/ws/patient", self.ws_patient)
        if RESOURCES.is_dir():
            app.router.add_get("/", self.index)
            app.router.add_static("/static", RESOURCES)
        app.on_startup.append(self._startup)
        app.on_shutdown.append(self._shutdown)
        return app

    async def _startup(self, _app: web.Application) -> None:
        await self.hub.start()

    async def _shutdown(self, _app: web.Application) -> None:
        await self.hub.stop()

    async def index(self, _request: web.Request) -> web.StreamResponse:
        return web.FileResponse(RESOURCES / "index.html")

    async def healthz(self, _request: web.Request) -> web.Response:
        return web.json_response(
            {
                "ok": True,
                "contacts": len(self.hub.engine.contacts()),
                "stats": "ready" if self.hub.stats_loaded.is_set() else "loading",
            }
        )

    async def _body(self, request: web.Request, model: type[BaseModel]) -> Any:
        try:
            return model.model_validate_json(await request.read())
        except ValidationError as exc:
            err = exc.errors(include_url=False, include_input=False)[0]
            field = ".".join(str(p) for p in err["loc"]) or None
            raise web.HTTPBadRequest(
                text=json.dumps(
                    {
                        "error": {
                            "code": "bad_request",
                            "field": field,
                            "message": f"{field}: {err['msg']}",
                        }
                    }
                ),
                content_type="application/json",
            ) from None

    # ------------------------------------------------------------------ logins

    @staticmethod
    def _phone(raw: str) -> str:
        try:
            return normalize_phone(raw)
        except PhoneError as exc:
            raise web.HTTPBadRequest(
                text=json.dumps(
                    {"error": {"code": "bad_phone", "message": str(exc), "field": "phone"}}
                ),
                content_type="application/json",
            ) from None

    async def sms_code(self, request: web.Request) -> web.Response:
        body = await self._body(request, m.SmsCodeRequest)
        phone = self._phone(body.phone)
        now = self.hub.clock.now()
        async with self.hub.db.transaction() as s:
            owners, _represented = await registry.find_by_phone(s, phone)
            if not owners:
                return _error(
                    404, "unknown_phone", "This number is not registered; call the call center."
                )
            last = await consents.last_sms_code(s, phone)
            try:
                code, record = sms_rules.issue_code(
                    phone, now, self.hub.sms_secret, last[1] if last else None
                )
            except sms_rules.SmsTooSoon as exc:
                return _error(
                    429,
                    "too_soon",
                    "A new code can be sent in a minute.",
                    retry_after_s=exc.retry_after_seconds,
                )
            await consents.add_sms_code(s, record)
        await self.sms.send(
            phone, f"Код для входа в телемедицину: {code}. Никому его не сообщайте.", now
        )
        log.info("login code issued")
        return web.json_response({"sent": True, "retry_after_s": 60})

    async def patient_login(self, request: web.Request) -> web.Response:
        body = await self._body(request, m.PatientLogin)
        phone = self._phone(body.phone)
        now = self.hub.clock.now()
        async with self.hub.db.transaction() as s:
            last = await consents.last_sms_code(s, phone)
            if last is None:
                return _error(401, "no_code", "Request a code first.")
            row_id, record = last
            check = sms_rules.check_code(record, body.code.strip(), now, self.hub.sms_secret)
            await consents.update_sms_code(s, row_id, check.record)
            if not check.ok:
                return _error(
                    401,
                    check.reason.value if check.reason else "wrong_code",
                    check.message,
                    attempts_left=check.attempts_left,
                )
            token = secrets.token_urlsafe(32)
            expires = now + self.hub.config.patient_absolute
            await hubstore.add_session(
                s, token, kind="patient", now=now, expires_at=expires, phone=phone
            )
        log.info("patient signed in")
        return web.json_response({"token": token, "expires_at": expires.isoformat()})

    async def staff_login(self, request: web.Request) -> web.Response:
        body = await self._body(request, m.StaffLogin)
        async with self.hub.db.transaction() as s:
            found = await staff_repo.credentials(s, body.login)
        # argon2 takes ~0.1 s of CPU: off the event loop, and outside any transaction
        ok = await asyncio.to_thread(
            staff_repo.check_password, found[1] if found else None, body.password
        )
        if not ok or found is None:
            return _error(401, "bad_credentials", "Wrong login or password.")
        member = found[0]
        now = self.hub.clock.now()
        token = secrets.token_urlsafe(32)
        expires = now + self.hub.config.staff_absolute
        async with self.hub.db.transaction() as s:
            await hubstore.add_session(
                s, token, kind="staff", now=now, expires_at=expires, staff_id=member.id
            )
        log.info("staff %s signed in", member.id)
        return web.json_response(
            {
                "token": token,
                "expires_at": expires.isoformat(),
                "staff": {"id": str(member.id), "role": member.role.value},
            }
        )

    async def _owner(self, request: web.Request) -> str:
        """``staff:<id>`` or ``patient:<E.164>`` for the request's bearer token."""
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip() or request.query.get("token", "")
        if not token:
            raise web.HTTPUnauthorized(
                text='{"error":{"code":"unauthorized"}}', content_type="application/json"
            )
        async with self.hub.db.transaction() as s:
            sess = await hubstore.get_session(s, token)
        if sess is None or self.hub.clock.now() >= sess.expires_at:
            raise web.HTTPUnauthorized(
                text='{"error":{"code":"unauthorized"}}', content_type="application/json"
            )
        return f"staff:{sess.staff_id}" if sess.kind == "staff" else f"patient:{sess.phone}"

    # ------------------------------------------------------------------ files

    async def upload(self, request: web.Request) -> web.Response:
        owner = await self._owner(request)
        if request.content_length is not None and request.content_length > self.max_upload + 65536:
            return _error(413, "too_large", f"Files up to {self.settings.max_upload_mb:g} MB.")
        try:
            reader = await request.multipart()
        except (AssertionError, ValueError, KeyError):
            return _error(400, "bad_request", "expected multipart/form-data with a 'file' field")
        part = await reader.next()
        while part is not None and getattr(part, "name", None) != "file":
            part = await reader.next()
        if part is None or not hasattr(part, "read_chunk"):
            return _error(400, "bad_request", "no 'file' field", field="file")
        att_id = secrets.token_hex(12)
        self.attachments.mkdir(parents=True, exist_ok=True)
        path = self.attachments / att_id
        size, head = 0, b""
        import hashlib

        digest = hashlib.sha256()
        with path.open("wb") as f:
            while chunk := await part.read_chunk(256 * 1024):
                size += len(chunk)
                if size > self.max_upload:
                    f.close()
                    path.unlink(missing_ok=True)
                    return _error(
                        413, "too_large", f"Files up to {self.settings.max_upload_mb:g} MB."
                    )
                if len(head) < 512:
                    head += chunk[: 512 - len(head)]
                digest.update(chunk)
                f.write(chunk)
        mime = sniff(head)
        if mime is None or size == 0:
            path.unlink(missing_ok=True)
            return _error(
                415, "type_not_allowed", "Allowed: photos (JPEG, PNG, GIF, WebP), PDF, ZIP, DICOM."
            )
        name = _safe_name(getattr(part, "filename", None) or "file")
        async with self.hub.db.transaction() as s:
            await hubstore.add_attachment(
                s,
                AttachmentRow(
                    id=att_id,
                    owner=owner,
                    name=name,
                    mime=mime,
                    size=size,
                    sha256=digest.hexdigest(),
                    at=self.hub.clock.now(),
                ),
            )
        return web.json_response(
            {
                "id": att_id,
                "name": name,
                "mime": mime,
                "size": size,
                "url": f"/api/attachments/{att_id}",
            }
        )

    async def attachment(self, request: web.Request) -> web.StreamResponse:
        owner = await self._owner(request)
        att_id = request.match_info["id"]
        async with self.hub.db.transaction() as s:
            att = await hubstore.get_attachment(s, att_id)
        if att is None or not (
            owner.startswith("staff:")
            or att.owner == owner
            or await self._in_patients_chat(owner, att_id)
        ):
            return _error(404, "not_found", "no such file")
        resp = web.FileResponse(self.attachments / att.id)
        resp.content_type = att.mime
        resp.headers["Content-Disposition"] = "inline"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        return resp

    async def conclusion(self, request: web.Request) -> web.StreamResponse:
        """A signed conclusion's PDF: for the patient whose phone made its contact, and staff."""
        owner = await self._owner(request)
        number = int(request.match_info["id"])
        pdf = await self.hub.conclusion_pdf(owner, number)
        if pdf is None:
            return _error(404, "not_found", "no such conclusion")
        return web.Response(
            body=pdf,
            content_type="application/pdf",
            headers={
                "Content-Disposition": f'inline; filename="conclusion-{number}.pdf"',
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
            },
        )

    async def _in_patients_chat(self, owner: str, att_id: str) -> bool:
        """A patient may open a file that staff sent into one of their contacts' chat."""
        async with self.hub.db.transaction() as s:
            return await hubstore.attachment_in_phone_chat(
                s, att_id, owner.removeprefix("patient:")
            )

    # ------------------------------------------------------------------ WebSockets

    def _origin_ok(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:  # not a browser: the console, the simulator, tests
            return True
        if origin in self.settings.allowed_origins:
            return True
        return urlsplit(origin).netloc == request.host

    async def ws_staff(self, request: web.Request) -> web.WebSocketResponse:
        return await self._ws(request, staff=True)

    async def ws_patient(self, request: web.Request) -> web.WebSocketResponse:
        return await self._ws(request, staff=False)

    async def _ws(self, request: web.Request, *, staff: bool) -> web.WebSocketResponse:
        if not self._origin_ok(request):
            raise web.HTTPForbidden(text="origin not allowed")
        ws = web.WebSocketResponse(heartbeat=HEARTBEAT_S, max_msg_size=m.MAX_FRAME)
        await ws.prepare(request)
        peer = WsPeer(ws)
        conn: StaffConn | PatientConn | None = None
        parse = m.parse_staff if staff else m.parse_patient
        try:
            async for frame in ws:
                if frame.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    continue
                try:
                    cmd = parse(frame.data)
                except m.ProtocolError as exc:
                    await peer.send(exc.to_error())
                    continue
                try:
                    if conn is None:
                        if cmd.type != "hello":
                            await peer.send(
                                m.Error(
                                    ref=cmd.ref,
                                    code="unauthorized",
                                    message="send hello with your token first",
                                )
                            )
                            continue
                        if staff:
                            conn = await self.hub.staff_hello(peer, cmd.token)
                        else:
                            conn = await self.hub.patient_hello(peer, cmd.token)
                        continue
                    if staff:
                        reply = await self.hub.staff_command(conn, cmd)  # type: ignore[arg-type]
                    else:
                        reply = await self.hub.patient_command(conn, cmd)  # type: ignore[arg-type]
                    if reply is not None:
                        await peer.send(reply)
                except HubError as exc:
                    await peer.send(
                        m.Error(ref=cmd.ref, code=exc.code, message=exc.message, field=exc.field)
                    )
                except Exception:
                    log.exception("command %s failed", cmd.type)
                    await peer.send(
                        m.Error(
                            ref=cmd.ref,
                            code="internal",
                            message="the hub could not do that; try again",
                        )
                    )
        finally:
            if conn is not None:
                # aiohttp may cancel this handler once the peer is gone; the hub's
                # bookkeeping (grace timers, patient lost) must finish regardless.
                if staff:
                    await asyncio.shield(self.hub.staff_gone(conn))  # type: ignore[arg-type]
                else:
                    await asyncio.shield(self.hub.patient_gone(conn))  # type: ignore[arg-type]
        return ws


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def ssl_context(cert: Path, key: Path) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def hub_config(settings: Settings, config: HubConfig | None = None) -> HubConfig:
    """``config`` (default: ``HubConfig()``) with the service-level target and goal the
    settings give; what they leave unset keeps the config's (or StatsConfig's) value."""
    from dataclasses import replace
    from datetime import timedelta

    from console.hub.service import HubConfig
    from console.stats import StatsConfig

    config = config or HubConfig()
    given: dict[str, Any] = {}
    if settings.service_level_target_s is not None:
        given["target"] = timedelta(seconds=settings.service_level_target_s)
    if settings.service_level_goal is not None:
        given["goal"] = settings.service_level_goal
    if not given:
        return config
    stats = config.stats or StatsConfig.from_queue_config(config.queue)
    return replace(config, stats=replace(stats, **given))


async def build(
    settings: Settings, *, clock: Any = None, config: HubConfig | None = None
) -> tuple[web.Application, Hub]:
    """The migrated database, the hub service and the app, ready to run.

    ``config`` (tests, benchmarks) is taken with the settings' service level on top.
    """
    import db as migrations
    from console.clock import SystemClock
    from console.hub.service import Hub
    from console.hub.sms import make_backend
    from console.store.database import Database

    database = Database(settings.resolved_database_url())
    await migrations.upgrade(database.engine)
    hub = Hub(
        database,
        clock or SystemClock(),
        settings.tz,
        hub_config(settings, config),
        sms_secret=settings.sms_secret.get_secret_value().encode(),
    )
    sms = make_backend(settings.sms_backend, settings.outbox_path())
    app = HubApp(settings, hub, sms).build()

    async def close_db(_app: web.Application) -> None:
        await database.close()

    app.on_cleanup.append(close_db)
    return app, hub


async def serve(settings: Settings) -> None:
    """Run the hub until cancelled (``medconsole hub``)."""
    if settings.cert is None and not settings.insecure and not is_loopback(settings.host):
        raise SystemExit(
            f"refusing plain HTTP on {settings.host}: browsers give camera and microphone only "
            "to secure pages. Give --cert and --key, or --insecure to insist."
        )
    app, _hub = await build(settings)
    runner = web.AppRunner(app, handle_signals=True)
    await runner.setup()
    ctx = ssl_context(settings.cert, settings.key) if settings.cert and settings.key else None
    site = web.TCPSite(runner, settings.host, settings.port, ssl_context=ctx)
    await site.start()
    scheme = "https" if ctx else "http"
    log.info("hub listening on %s://%s:%d", scheme, settings.host, settings.port)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()

"""Settings: command-line flags over ``MEDCONSOLE_*`` environment over ``.env``."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "medconsole"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


class Settings(BaseSettings):
    """Everything the hub, the console and the admin commands can be told."""

    model_config = SettingsConfigDict(
        env_prefix="MEDCONSOLE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str = ""
    timezone: str = "Europe/Moscow"
    # Key for the HMAC that SMS codes are stored under. Demo default; set it in production.
    sms_secret: SecretStr = SecretStr("medconsole-demo-secret")
    log_level: str = "INFO"

    # the hub
    host: str = "127.0.0.1"
    port: int = 8780
    cert: Path | None = None
    key: Path | None = None
    insecure: bool = False  # allow plain HTTP on a non-loopback address
    sms_backend: str = "file"
    sms_outbox: Path | None = None  # default: <data_dir>/sms-outbox.jsonl
    max_upload_mb: float = 20.0
    allowed_origins: list[str] = []

    # the console
    hub_url: str = "http://127.0.0.1:8780"
    lang: str = "ru"  # the console's language: "ru" or "en"
    media: str = (
        "auto"  # camera and microphone: "auto", "devices" or "synthetic" (test picture, tone)
    )
    camera: str | None = None  # e.g. /dev/video0 (default: the first one)
    microphone: str | None = None  # e.g. "default"
    ice_servers: list[str] = []  # STUN/TURN URLs, e.g. ["turn:turn.example:3478"]
    ice_username: str | None = None
    ice_credential: SecretStr | None = None
    ice_host: list[str] = []  # host addresses to offer instead of every interface's
    hub_ca_file: Path | None = None  # a CA bundle that trusts the hub's certificate

    # The call center's numbers, computed by the hub: the service level is the share
    # answered within the target, aimed at the goal (a share: 0.8 is 80%). Unset: the
    # defaults of console.stats.StatsConfig (20 s, 0.8), their one home.
    service_level_target_s: float | None = Field(default=None, ge=0)
    service_level_goal: float | None = Field(default=None, ge=0, le=1)
    # The wallboard's colours, in the console: a cell turns amber, then red, past these
    # (seconds; shares, 0.05 is 5%; service level: this far below the hub's goal).
    # Unset: the defaults of console.views.boardmodels.Thresholds, their one home.
    wallboard_longest_wait_amber_s: float | None = Field(default=None, ge=0)
    wallboard_longest_wait_red_s: float | None = Field(default=None, ge=0)
    wallboard_service_level_amber_below: float | None = Field(default=None, ge=0, le=1)
    wallboard_service_level_red_below: float | None = Field(default=None, ge=0, le=1)
    wallboard_abandoned_amber: float | None = Field(default=None, ge=0, le=1)
    wallboard_abandoned_red: float | None = Field(default=None, ge=0, le=1)

    def outbox_path(self) -> Path:
        return self.sms_outbox or self.data_dir / "sms-outbox.jsonl"

    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    def wallboard_thresholds(self) -> dict[str, float]:
        """The wallboard thresholds given, by ``Thresholds`` field name (the rest: defaults)."""
        prefix = "wallboard_"
        return {
            name.removeprefix(prefix): value
            for name in type(self).model_fields
            if name.startswith(prefix) and (value := getattr(self, name)) is not None
        }

    @model_validator(mode="after")
    def _amber_before_red(self) -> Settings:
        for amber, red in (
            ("wallboard_longest_wait_amber_s", "wallboard_longest_wait_red_s"),
            ("wallboard_service_level_amber_below", "wallboard_service_level_red_below"),
            ("wallboard_abandoned_amber", "wallboard_abandoned_red"),
        ):
            a, r = getattr(self, amber), getattr(self, red)
            if a is not None and r is not None and a > r:
                raise ValueError(f"{amber} ({a:g}) must not be past {red} ({r:g})")
        return self

    @field_validator("media")
    @classmethod
    def _known_media(cls, value: str) -> str:
        if value not in ("auto", "devices", "synthetic"):
            raise ValueError(f"media must be auto, devices or synthetic, not {value!r}")
        return value

    @field_validator("lang")
    @classmethod
    def _known_lang(cls, value: str) -> str:
        if value not in ("ru", "en"):
            raise ValueError(f"lang must be ru or en, not {value!r}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Europe/Moscow)") from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return sqlite_url(self.data_dir / "medconsole.sqlite3")

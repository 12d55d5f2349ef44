"""Settings: flags over MEDCONSOLE_* environment over .env; the data folder default."""

from __future__ import annotations

from datetime import date

import pytest

from console.admin import seed
from console.cli import _settings, build_parser
from console.settings import Settings


def test_flag_over_environment_over_dotenv(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "MEDCONSOLE_TIMEZONE=Asia/Vladivostok\nMEDCONSOLE_PORT=9001\nMEDCONSOLE_LOG_LEVEL=DEBUG\n"
    )
    monkeypatch.setenv("MEDCONSOLE_TIMEZONE", "Europe/Samara")
    monkeypatch.setenv("MEDCONSOLE_PORT", "9002")
    args = build_parser().parse_args(["hub", "--port", "9003"])
    s = _settings(args)
    assert s.port == 9003  # the flag wins
    assert s.timezone == "Europe/Samara"  # the environment beats .env
    assert s.log_level == "DEBUG"  # .env fills what nothing else gave


def test_defaults(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for key in ("MEDCONSOLE_DATABASE_URL", "MEDCONSOLE_DATA_DIR", "MEDCONSOLE_TIMEZONE"):
        monkeypatch.delenv(key, raising=False)
    s = Settings()
    assert s.timezone == "Europe/Moscow"
    assert s.resolved_database_url() == f"sqlite+aiosqlite:///{s.data_dir / 'medconsole.sqlite3'}"
    assert "medconsole" in str(s.data_dir)


def test_unknown_time_zone_is_refused(monkeypatch) -> None:
    monkeypatch.setenv("MEDCONSOLE_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValueError, match="Mars/Olympus"):
        Settings()


def test_seed_is_deterministic() -> None:
    today = date(2026, 11, 22)
    a = list(seed.generate(500, seed=9, today=today))
    assert a == list(seed.generate(500, seed=9, today=today))
    assert a != list(seed.generate(500, seed=10, today=today))
    ages = [(today - p.birth_date).days // 365 for p in a]
    assert min(ages) == 0 and max(ages) >= 90  # newborns to the very old
    assert any(p.phone is None for p in a)  # some have no phone
    assert any(p.policy.valid_to < today for p in a)  # some policies expired
    assert any(p.representative_policy for p in a)  # children with a representative

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


def test_the_service_level_and_the_wallboard_colours_have_one_set_of_defaults(
    tmp_path, monkeypatch
) -> None:
    from console.clock import SystemClock
    from console.hub.app import hub_config
    from console.hub.service import Hub, HubConfig
    from console.stats import StatsConfig
    from console.views.boardmodels import Thresholds

    monkeypatch.chdir(tmp_path)
    s = _settings(build_parser().parse_args(["hub"]))
    assert s.service_level_target_s is None and s.wallboard_thresholds() == {}
    config = hub_config(s)
    assert config == HubConfig()  # nothing set: the hub's own definitions
    hub = Hub(None, SystemClock(), s.tz, config)  # type: ignore[arg-type]
    assert (hub.stats_config.target, hub.stats_config.goal) == (
        StatsConfig().target,
        StatsConfig().goal,
    )
    assert Thresholds.from_settings(s) == Thresholds()


def test_the_hub_takes_its_service_level_target_and_goal_from_flags_and_environment(
    tmp_path, monkeypatch
) -> None:
    from datetime import timedelta

    from console.clock import SystemClock
    from console.hub.app import hub_config
    from console.hub.service import Hub, HubConfig

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MEDCONSOLE_SERVICE_LEVEL_TARGET_S", "30")
    monkeypatch.setenv("MEDCONSOLE_SERVICE_LEVEL_GOAL", "0.7")
    s = _settings(build_parser().parse_args(["hub", "--service-level-goal", "0.9"]))
    assert (s.service_level_target_s, s.service_level_goal) == (30.0, 0.9)  # the flag wins
    hub = Hub(None, SystemClock(), s.tz, hub_config(s))  # type: ignore[arg-type]
    assert (hub.stats_config.target, hub.stats_config.goal) == (timedelta(seconds=30), 0.9)
    assert hub.stats_config.short_abandon == HubConfig().queue.short_abandon  # the rest stays
    # a test's or a benchmark's config keeps its timings, with the settings on top
    mine = HubConfig(wallboard_every=0.05)
    assert hub_config(s, mine).wallboard_every == 0.05
    assert hub_config(s, mine).stats.goal == 0.9  # type: ignore[union-attr]

    for bad in (["--service-level-goal", "1.5"], ["--service-level-target", "-1"]):
        with pytest.raises(ValueError, match="service_level"):
            _settings(build_parser().parse_args(["hub", *bad]))


def test_the_console_takes_the_wallboard_thresholds_from_flags_and_environment(
    tmp_path, monkeypatch, capsys
) -> None:
    from console.cli import EXIT_USAGE, main
    from console.views.boardmodels import Level, Thresholds

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MEDCONSOLE_WALLBOARD_ABANDONED_AMBER", "0.02")
    args = ["console", "--wallboard-longest-wait-amber", "30", "--wallboard-longest-wait-red", "45"]
    t = Thresholds.from_settings(_settings(build_parser().parse_args(args)))
    assert t == Thresholds(longest_wait_amber_s=30, longest_wait_red_s=45, abandoned_amber=0.02)
    assert t.longest_wait(50) is Level.RED and Thresholds().longest_wait(50) is Level.OK

    # amber past red is refused before the console opens, naming the settings
    with pytest.raises(ValueError, match="wallboard_abandoned_amber"):
        _settings(build_parser().parse_args(["console", "--wallboard-abandoned-red", "0.01"]))
    monkeypatch.delenv("MEDCONSOLE_WALLBOARD_ABANDONED_AMBER")
    assert main(["console", "--wallboard-longest-wait-red", "30"]) == EXIT_USAGE  # amber: 60
    assert "longest_wait_amber_s is 60, longest_wait_red_s is 30" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        build_parser().parse_args(["hub", "--wallboard-longest-wait-red", "30"])  # a console's

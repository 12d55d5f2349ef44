"""The in-process hub of tests/hub for the drills."""

from tests.hub.conftest import hub_backend, hub_clock, hub_config, hub_server  # noqa: F401

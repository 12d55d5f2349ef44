#!/usr/bin/env bash
# Set up a virtual environment with the development tools and run every test.
#
# Tests that carry real WebRTC media (marker `netns`) run a second time inside a
# network namespace that has only the loopback interface, so that peers can only
# ever reach 127.0.0.1 (see ../shared/TESTING.md). That needs root and unshare;
# elsewhere they are skipped with a message saying so.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'

status=0
.venv/bin/python -m pytest -m "not netns" "$@" || status=$?
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null; then
    rc=0
    unshare -n sh -c 'ip link set lo up && exec .venv/bin/python -m pytest -m netns "$@"' sh "$@" \
        || rc=$?
    [ $rc = 5 ] && { echo "no netns tests collected"; rc=0; }  # pytest: nothing selected
    [ $rc = 0 ] || status=$rc
else
    echo "netns tests not run: they need root, unshare and ip (a loopback-only namespace)"
    [ "${MEDCONSOLE_REQUIRE_NETNS:-0}" = 1 ] && status=1
fi
exit $status

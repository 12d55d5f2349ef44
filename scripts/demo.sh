#!/usr/bin/env bash
# Set up a virtual environment and run the call center on this machine: `medconsole demo`
# migrates and, the first time, seeds a SQLite database in the user data folder
# (MEDCONSOLE_DATA_DIR puts it elsewhere) with 10,000 insured and the demo staff, runs the
# hub at http://127.0.0.1:8780/ with a stream of simulated patients, and opens the
# medconsultant's console signed in as op1. Without a screen the hub and the patients run
# alone until Ctrl-C. Arguments go to `medconsole demo` (e.g. --as supervisor, --rate 6).
# Other roles, in another terminal: .venv/bin/medconsole console --as doctor|supervisor
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
exec .venv/bin/medconsole demo "$@"

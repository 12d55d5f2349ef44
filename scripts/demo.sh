#!/usr/bin/env bash
# Set up a virtual environment, seed a demo registry and staff on SQLite,
# identify a caller the way a medconsultant's console does, then run the hub:
# the patient's page at http://127.0.0.1:8780/ (login codes land in the SMS
# outbox file printed below) and, where there is a screen, the medconsultant's
# console signed in as op1. Ctrl-C (or closing the console) stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
export MEDCONSOLE_DATA_DIR="${MEDCONSOLE_DATA_DIR:-$PWD/.demo}"
.venv/bin/medconsole db seed --insured 10000 --seed 1
# A parent whose phone also reaches the children they represent:
phone=$(.venv/bin/python - <<'PY'
from datetime import date
from console.admin.seed import generate
people = list(generate(10000, seed=1, today=date.today()))
parents = {p.representative_policy for p in people if p.representative_policy}
print(next(p.phone for p in people if p.policy.number in parents))
PY
)
echo
echo "Who is calling from ${phone}?"
.venv/bin/medconsole insured find --phone "$phone"

echo
echo "The hub: open http://127.0.0.1:8780/ and log in with ${phone}."
echo "Login codes are written to ${MEDCONSOLE_DATA_DIR}/sms-outbox.jsonl; staff log in as op1..op3,"
echo "therapist1, pediatrician1, sup1 for the wallboard (password: medconsole)."
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "No screen here: the hub runs alone. On a desk, the console opens as op1."
    exec .venv/bin/medconsole hub
fi
# On a desk: the hub in the background, the medconsultant's console in front.
.venv/bin/medconsole hub &
hub=$!
trap 'kill $hub 2>/dev/null; wait $hub 2>/dev/null' EXIT
for _ in $(seq 100); do
    .venv/bin/python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8780/healthz')" \
        2>/dev/null && break
    sleep 0.1
done
MEDCONSOLE_PASSWORD=medconsole .venv/bin/medconsole console --hub http://127.0.0.1:8780 --login op1

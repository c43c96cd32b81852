#!/usr/bin/env bash
# Tab state expiry (issue 10, docs/benchmarks.md "Event path"): server RSS and Reflex's state files
# while tabs come and go. Start the portal first with a short expiry, from the repository root:
#   PORTAL_TAB_STATE_MINUTES=1 PORTAL_DATA_DIR=/tmp/load-data PORTAL_LOGIN_ADDRESS_LIMIT=1000000 make run
# then: benchmarks/tab_expiry.sh [URL] [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
URL=${1:-http://localhost:3000}
DATA=${2:-/tmp/load-data}
PORT=${URL##*:}
LOAD=(.venv/bin/python benchmarks/load.py --url "$URL" --data-dir "$DATA" --mode open --only list)
PID=$(ss -ltnp | grep ":$PORT " | grep -o "pid=[0-9]*" | head -1 | cut -d= -f2)
rss() { ps -o rss= -p "$PID" | awk '{printf "%.1f", $1/1024}'; }
files() { find .states -type f 2>/dev/null | wc -l; }

echo "started: rss $(rss) MB, state files $(files)"
"${LOAD[@]}" --users 50 --duration 5 --grace 5 >/dev/null
echo "50 tabs: rss $(rss) MB, state files $(files)"
for round in 1 2 3 4 5; do
  "${LOAD[@]}" --users 200 --duration 3 --grace 5 >/dev/null
  echo "round $round (+200 tabs): rss $(rss) MB, state files $(files)"
done
sleep 150
echo "150 s idle: rss $(rss) MB, state files $(files)"
"${LOAD[@]}" --users 50 --duration 5 --grace 5 >/dev/null
echo "50 new tabs: rss $(rss) MB, state files $(files)"

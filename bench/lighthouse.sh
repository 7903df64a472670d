#!/usr/bin/env bash
# Lighthouse 12.8 with its mobile defaults, three runs per URL; prints the median score of
# each category and the audits that cost points. Run by bench/budgets.py --lighthouse.
#
#   bench/lighthouse.sh http://127.0.0.1:8000/ http://127.0.0.1:8000/guide/warm-up/
#
# Budgets: performance >= 0.95, accessibility 1.0, best practices >= 0.95. Exits 1 when
# a median misses one.
set -euo pipefail

RUNS=${RUNS:-3}
LIGHTHOUSE=${LIGHTHOUSE:-lighthouse@12.8.2}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
FLAGS="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
PYTHON=${PYTHON:-$(dirname "$0")/../.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0

for url in "$@"; do
    for run in $(seq 1 "$RUNS"); do
        # A run sometimes loses its trace (NO_NAVSTART with newer Chromium): try it again.
        for attempt in 1 2 3; do
            if npx -y "$LIGHTHOUSE" "$url" --quiet --output=json \
                --output-path="$out/run-$run.json" \
                --only-categories=performance,accessibility,best-practices \
                --chrome-flags="$FLAGS" >"$out/log.txt" 2>&1; then
                break
            fi
            if [ "$attempt" = 3 ]; then
                echo "Lighthouse failed on $url:"
                tail -3 "$out/log.txt"
                exit 1
            fi
        done
    done
    "$PYTHON" - "$url" "$out"/run-*.json <<'PY' || status=1
import json
import statistics
import sys

BUDGETS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 0.95}
url, *paths = sys.argv[1:]
reports = [json.load(open(path)) for path in paths]
print(f"{url}  ({reports[0]['lighthouseVersion']}, {len(reports)} runs)")
missed = False
for category, budget in BUDGETS.items():
    scores = [report["categories"][category]["score"] for report in reports]
    median = statistics.median(scores)
    verdict = "ok" if median >= budget else f"UNDER {budget}"
    missed |= median < budget
    runs = " ".join(f"{score:.2f}" for score in scores)
    print(f"  {category:15} {median:.2f}  (runs: {runs})  {verdict}")
metrics = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index", "total-byte-weight"]
for metric in metrics:
    values = [report["audits"][metric]["numericValue"] for report in reports]
    shown = reports[0]["audits"][metric]["displayValue"]
    print(f"  {metric:26} median {statistics.median(values):10.1f}  (first run: {shown})")
lost = set()
for report in reports:
    for category in BUDGETS:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lost.add(f"{category}: {audit['id']} ({audit['title']})")
for line in sorted(lost):
    print(f"  - {line}")
sys.exit(1 if missed else 0)
PY
    rm -f "$out"/run-*.json
done
exit $status

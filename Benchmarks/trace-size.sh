#!/usr/bin/env bash
# Trace size and the time to read one back, for the conformance scenarios at rmm-full
# (Docs/reading-traces.md, "Maps are sparse"). Measures the release cca-verify end to end:
#   run --trace   the scenario's ITF file size (bytes) and the text rendering's
#   show          seconds to load the trace (build the model, parse, read) and render it as text
#   replay        seconds to re-execute it, and that it replays exactly
# It also checks each file is JSON with one state per step (states = calls + 1).
#
# Usage, from the repository root:
#   swift build -c release --product cca-verify
#   Benchmarks/trace-size.sh [SCENARIO ...]     # default: every Tests/Conformance scenario at rmm-full
set -euo pipefail
bin=.build/release/cca-verify
[ -x "$bin" ] || { echo "build first: swift build -c release --product cca-verify" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if [ $# -eq 0 ]; then set -- $(grep -l '^config rmm-full' Tests/Conformance/*.scenario); fi
echo "date $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %6s %12s %12s %8s %8s %s\n' scenario calls itf-bytes txt-bytes show-s replay-s replay
for scenario in "$@"; do
  stem=$(basename "$scenario" .scenario)
  "$bin" run "$scenario" --trace "$out" > "$out/$stem.run" || { echo "$scenario: run failed" >&2; exit 1; }
  itf="$out/$stem.itf.json"
  calls=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); s=d['states']; assert all(x['#meta']['index']==i for i,x in enumerate(s)); print(len(s)-1)" "$itf")
  start=$(date +%s.%N); "$bin" show "$itf" > /dev/null; end=$(date +%s.%N)
  show=$(echo "$end - $start" | bc)
  start=$(date +%s.%N); verdict=$("$bin" replay "$itf" | tail -1); end=$(date +%s.%N)
  replay=$(echo "$end - $start" | bc)
  printf '%-22s %6s %12s %12s %8.2f %8.2f %s\n' "$stem" "$calls" "$(stat -c %s "$itf")" "$(stat -c %s "$out/$stem.txt")" \
    "$show" "$replay" "$verdict"
done
echo "load average at end $(cut -d' ' -f1-3 /proc/loadavg)"

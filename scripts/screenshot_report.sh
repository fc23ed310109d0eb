#!/usr/bin/env bash
# Render a `seospam score --html` report with headless Chromium and save a PNG, to look at the report by eye.
#
#   scripts/screenshot_report.sh TARGET [OUT.png] [WIDTHxHEIGHT]
#
# TARGET is anything `seospam score` takes (URL, .txt/.html file, -) or an existing report (.html whose first bytes
# are seospam's own). Needs Debian's `chromium` (apt-get install -y chromium); not a CI test.
set -euo pipefail

target=${1:?usage: $0 TARGET [OUT.png] [WIDTHxHEIGHT]}
out=${2:-report.png}
size=${3:-1280x2000}
here=$(cd "$(dirname "$0")/.." && pwd)
seospam=${SEOSPAM:-$here/.venv/bin/seospam}
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[[ -n $chromium ]] || { echo "chromium not found: apt-get install -y chromium" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ $target == *.html ]] && grep -q '<title>seospam:' "$target" 2>/dev/null; then
  report=$(realpath "$target")
else
  report=$work/report.html
  # Exit 1 would only mean spam with --fail-on-spam, which is not passed; anything else is a real failure.
  "$seospam" score "$target" --html "$report" >/dev/null
fi

# No network, no profile, no GPU: the report is self-contained, so nothing should be fetched at all.
"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$work/profile" \
  --screenshot="$(realpath -m "$out")" --window-size="${size/x/,}" "file://$report" 2>"$work/chromium.log" \
  || { cat "$work/chromium.log" >&2; exit 1; }
echo "wrote $out"

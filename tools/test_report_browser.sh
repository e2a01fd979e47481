#!/bin/sh
# CTest `ReportInBrowser`: a NUTS run with divergences, `ebmc report`, then the page opened in
# headless Chromium (Debian's chromium): every plot must rasterize to a non-blank image, the page
# must log no errors and fetch nothing (self-contained), and a screenshot must be taken.
# Usage: tools/test_report_browser.sh EBMC SOURCE_DIR [SCREENSHOT.png]
set -eu
ebmc=$1
source=$2
shot=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then echo "chromium is not installed (make deps installs it)"; exit 1; fi
"$ebmc" sample --target funnel:d=3 --chains 4 --warmup 300 --draws 300 --seed 2 --no-progress \
  --out "$work/run" --report > "$work/sample.log" 2>&1 || { cat "$work/sample.log"; exit 1; }
test -s "$work/run/report.html"
# The check script goes into a copy, before </body>.
sed "s#</body>#<script>$(sed 's/[#&]/\\&/g' "$source/tools/report_check.js" | tr '\n' ' ')</script></body>#" \
  "$work/run/report.html" > "$work/checked.html"
flags="--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars --user-data-dir=$work/profile"
# shellcheck disable=SC2086
timeout 120 "$browser" $flags --virtual-time-budget=20000 --dump-dom "file://$work/checked.html" \
  > "$work/dom.html" 2> "$work/chromium.log" || { tail -20 "$work/chromium.log"; exit 1; }
verdict=$(grep -o '<title>REPORT-CHECK [^<]*' "$work/dom.html" | sed 's/&quot;/"/g' || true)
echo "$verdict"
case "$verdict" in
  *'"plots":14,"blank":0,'*'"errors":[],"fetched":[]}'*) ;;
  *) echo "report check failed"; tail -5 "$work/chromium.log"; exit 1 ;;
esac
# shellcheck disable=SC2086
timeout 120 "$browser" $flags --window-size=1280,2400 --screenshot="$work/report.png" \
  "file://$work/run/report.html" > /dev/null 2>&1
test -s "$work/report.png"
if [ -n "$shot" ]; then cp "$work/report.png" "$shot"; fi
echo "report rendered in chromium: all plots drawn, no errors"

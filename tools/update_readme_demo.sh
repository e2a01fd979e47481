#!/usr/bin/env bash
# Rewrites the README's demo output (between <!-- demo:ising --> and <!-- /demo -->) with what
# `make demo`'s Ising run prints (the Makefile's DEMO_ISING); ReadmeDemoTest checks it.
#   tools/update_readme_demo.sh [path/to/ebmc]
set -euo pipefail
cd "$(dirname "$0")/.."
ebmc=${1:-build/ebmc}
args=$(sed -n 's/^DEMO_ISING := //p' Makefile)
out=$(mktemp -d)
# shellcheck disable=SC2086
"$ebmc" $args --out "$out/ising" > "$out/stdout.txt"
python3 - README.md "$out/stdout.txt" <<'PY'
import re, sys
readme_path, output_path = sys.argv[1], sys.argv[2]
readme = open(readme_path).read()
block = "<!-- demo:ising -->\n```\n" + open(output_path).read().rstrip("\n") + "\n```\n<!-- /demo -->"
updated, count = re.subn(r"<!-- demo:ising -->\n.*?<!-- /demo -->", lambda m: block, readme, flags=re.S)
if count != 1:
    sys.exit("README.md: no <!-- demo:ising --> block")
open(readme_path, "w").write(updated)
PY
rm -rf "$out"

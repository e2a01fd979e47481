#!/usr/bin/env bash
# Rewrites the README's component tables (between <!-- registry:KIND --> and
# <!-- /registry -->) with what `ebmc list --markdown` prints from the registry.
#   tools/update_readme_tables.sh [path/to/ebmc]
set -euo pipefail
cd "$(dirname "$0")/.."
ebmc=${1:-build/ebmc}
"$ebmc" list --markdown > /tmp/ebmc_tables.md
python3 - README.md /tmp/ebmc_tables.md <<'PY'
import re, sys
readme_path, tables_path = sys.argv[1], sys.argv[2]
readme = open(readme_path).read()
tables = dict(re.findall(r"<!-- registry:(\w+) -->\n(.*?)<!-- /registry -->", open(tables_path).read(), re.S))
def replace(match):
    return "<!-- registry:%s -->\n%s<!-- /registry -->" % (match.group(1), tables[match.group(1)])
open(readme_path, "w").write(re.sub(r"<!-- registry:(\w+) -->\n(.*?)<!-- /registry -->", replace, readme, flags=re.S))
PY

#!/bin/sh
# Trains a learned kernel with `ebmc train-sampler`'s defaults on seeds FIRST..LAST and prints,
# per seed, whether training succeeded (exit code), how many attempts it took and the
# post-training check (max R-hat, ESJD trained vs untrained). The README's robustness tables.
#
#   tools/sweep_train_sampler.sh build/ebmc scg l2hmc:leapfrog=10,hidden=10 1 16 [extra args]
set -eu
if [ $# -lt 5 ]; then
  echo "usage: $0 EBMC TARGET SAMPLER FIRST LAST [train-sampler args...]" >&2
  exit 2
fi
ebmc=$1 target=$2 sampler=$3 first=$4 last=$5
shift 5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-5s %-3s %-8s %-10s %-12s %-12s %s\n' seed rc attempts max_rhat esjd untrained seconds
seed=$first
while [ "$seed" -le "$last" ]; do
  start=$(date +%s)
  rc=0
  "$ebmc" train-sampler --target "$target" --sampler "$sampler" --seed "$seed" \
    --out "$work/model.pt" --no-progress "$@" >"$work/out" 2>"$work/err" || rc=$?
  seconds=$(($(date +%s) - start))
  attempts=$(($(grep -c 'training attempt .* failed' "$work/err" || true) + 1))
  check=$(grep '^check:' "$work/out" || true)
  rhat=$(echo "$check" | sed -n 's/.*max R-hat \([^,]*\),.*/\1/p')
  esjd=$(echo "$check" | sed -n 's/.*esjd \([^ ]*\) (untrained.*/\1/p')
  untrained=$(echo "$check" | sed -n 's/.*(untrained \([^)]*\)).*/\1/p')
  if [ "$rc" -ne 0 ]; then
    rhat="-" esjd="-" untrained="-"
    attempts="$attempts ($(tail -n 1 "$work/err" | cut -c 1-100))"
  fi
  printf '%-5s %-3s %-8s %-10s %-12s %-12s %s\n' "$seed" "$rc" "$attempts" "$rhat" "$esjd" \
    "$untrained" "$seconds"
  rm -f "$work/model.pt"*
  seed=$((seed + 1))
done

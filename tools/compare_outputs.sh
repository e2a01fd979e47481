#!/usr/bin/env bash
# Checks that two ebmc binaries give byte-identical results for the same seeds: the parameter
# columns of draws.csv (the columns the older binary wrote, in its order) and every
# non-timing number of summary.json, for the sampler/target pairs used in the README, the tests
# and `ebmc bench ... --quick`. Learned kernels are trained by each binary (short runs) and
# their printed training results compared too.
#
#   tools/compare_outputs.sh OLD_EBMC NEW_EBMC [WORK_DIR]
#
# Exit status 0 when everything matches; the mismatches are listed otherwise.
set -euo pipefail
old=$1
new=$2
work=${3:-$(mktemp -d)}
mkdir -p "$work"
fail=0

compare_run() {  # name, then ebmc sample arguments
  local name=$1
  shift
  "$old" sample "$@" --out "$work/old-$name" --no-progress >"$work/old-$name.txt" 2>&1 || true
  "$new" sample "$@" --out "$work/new-$name" --no-progress >"$work/new-$name.txt" 2>&1 || true
  if python3 - "$work/old-$name" "$work/new-$name" <<'PY'
import csv, json, sys
old, new = sys.argv[1], sys.argv[2]
def columns(path, keep=None):
    with open(path + "/draws.csv") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    keep = keep or header
    index = [header.index(k) for k in keep]
    return keep, [[r[i] for i in index] for r in rows[1:]]
keep, a = columns(old)
_, b = columns(new, keep)
if a != b:
    sys.exit("draws.csv parameter columns differ")
timing = ("seconds", "per_second", "efficiency")
def strip(run):
    return {k: v for k, v in run.items() if not any(t in k for t in timing)}
ja, jb = (json.load(open(p + "/summary.json")) for p in (old, new))
if ja["parameters"] != jb["parameters"]:
    sys.exit("summary.json parameters differ")
ra, rb = strip(ja["run"]), strip(jb["run"])
for key, value in ra.items():
    if rb.get(key) != value:
        sys.exit("summary.json run." + key + " differs: %r vs %r" % (value, rb.get(key)))
PY
  then
    echo "same      $name"
  else
    echo "DIFFERENT $name ($*)"
    fail=1
  fi
}

short="--chains 4 --warmup 300 --draws 300 --seed 3"
compare_run demo --target gaussian:d=2 --sampler rwm:step_size=1.7 --chains 4 --warmup 500 --draws 2000 --seed 1
compare_run rwm-gauss5 --target gaussian:d=5 --sampler rwm $short
compare_run ula --target gaussian:d=10 --sampler ula:step_size=1.0 $short
for target in icg scg funnel3 blr:data=german; do
  compare_run "mala-$target" --target "$target" --sampler mala $short
  compare_run "nuts-$target" --target "$target" --sampler nuts $short
  compare_run "hmc-$target" --target "$target" --sampler hmc:num_steps=10,jitter=0.2,target_accept=0.65 $short
  compare_run "hmc-unit-$target" --target "$target" --sampler hmc:num_steps=5,jitter=0.2,target_accept=0.9,metric=unit $short
done
compare_run nuts-funnel-neck --target funnel:d=10,sigma=1 --sampler nuts:target_accept=0.95 $short
compare_run hmc-fixed-funnel --target funnel3 --sampler hmc:step_size=1.0,num_steps=10,jitter=0,adapt=0 --chains 8 --warmup 0 --draws 200 --seed 4
compare_run nuts-thin --target rotated_icg:d=10 --sampler nuts --chains 2 --warmup 200 --draws 100 --thin 3 --seed 5
for target in mog ring rough_well banana blr:data=pima blr:data=sonar blr:data=ionosphere funnel1; do
  compare_run "nuts-$target" --target "$target" --sampler nuts --chains 2 --warmup 150 --draws 150 --seed 6
done
for sampler in gibbs gibbs:block=2 gibbs:sweep=1 gwg gwg:flips=3 lb hb:block=10,radius=1; do
  compare_run "ising-$sampler" --target ising:n=10,theta=0.25 --sampler "$sampler" --chains 16 --warmup 100 --draws 300 --seed 1
done
compare_run ising-er-gwg --target ising_er:n=50 --sampler gwg --chains 8 --warmup 50 --draws 200 --seed 2
compare_run potts-gibbs --target potts:n=4,k=3 --sampler gibbs --chains 8 --warmup 50 --draws 200 --seed 2
compare_run potts-gwg --target potts:n=4,k=3 --sampler gwg --chains 8 --warmup 50 --draws 200 --seed 2
for sampler in rbm_gibbs gwg:flips=5 hb:block=10,radius=1; do
  compare_run "rbm-$sampler" --target rbm:visible=100,hidden=25 --sampler "$sampler" --chains 10 --warmup 0 --draws 200 --seed 1
done
compare_run fhmm-hb --target fhmm:length=50,factors=5 --sampler hb:block=5,radius=1,aligned=1 --chains 4 --warmup 0 --draws 100 --seed 1
compare_run fhmm-gwg --target fhmm:length=50,factors=5 --sampler gwg --chains 4 --warmup 0 --draws 100 --seed 1

# Learned kernels: each binary trains its own model (same seed), then samples with it.
for kernel in l2hmc:leapfrog=5 entropy:width=16; do
  name=${kernel%%:*}
  "$old" train-sampler --target mog --sampler "$kernel" --steps 30 --batch 32 --seed 2 \
    --out "$work/old-$name.pt" --no-progress >"$work/old-train-$name.txt"
  "$new" train-sampler --target mog --sampler "$kernel" --steps 30 --batch 32 --seed 2 \
    --out "$work/new-$name.pt" --no-progress >"$work/new-train-$name.txt"
  if diff <(sed 's/[0-9.]* s;/ s;/; /^model:/d' "$work/old-train-$name.txt") \
          <(sed 's/[0-9.]* s;/ s;/; /^model:/d' "$work/new-train-$name.txt") >/dev/null; then
    echo "same      train-$name"
  else
    echo "DIFFERENT train-$name"
    fail=1
  fi
  cp "$work/old-$name.pt" "$work/model-old-$name.pt"
  "$old" sample --target mog --sampler "$name:model=$work/old-$name.pt" --chains 4 --warmup 50 --draws 100 --seed 3 --out "$work/old-sample-$name" --no-progress >/dev/null
  "$new" sample --target mog --sampler "$name:model=$work/new-$name.pt" --chains 4 --warmup 50 --draws 100 --seed 3 --out "$work/new-sample-$name" --no-progress >/dev/null
  if python3 -c "
import csv,sys
a=list(csv.reader(open('$work/old-sample-$name/draws.csv')));b=list(csv.reader(open('$work/new-sample-$name/draws.csv')))
n=len(a[0]); sys.exit(0 if [r[:n] for r in a]==[r[:n] for r in b] else 1)"; then
    echo "same      sample-$name"
  else
    echo "DIFFERENT sample-$name"
    fail=1
  fi
done
exit $fail

#!/usr/bin/env bash
# Whole-process wall times of tsml's tree families against scikit-learn / xgboost on the same 2 cores.
# Usage: npm run build && bench/trees-bench.sh [rf gbdt et dtab]   (needs python3-sklearn, python3-xgboost)
# On a shared, busy machine xgboost's OpenMP threads spin-wait and its time balloons; OMP_WAIT_POLICY=PASSIVE
# (passed through from the environment) gives it a fair figure there.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${TMPDIR:-/tmp}/tsml-trees-bench"
/usr/bin/python3 bench/trees-make-data.py "$prefix"
cores="0,1"
TIMEFORMAT="    whole process %R s"
models=("$@")
[ ${#models[@]} -eq 0 ] && models=(rf gbdt et dtab)
for model in "${models[@]}"; do
  for run in 1 2 3; do
    echo "== $model run $run"
    echo "  tsml:"
    time taskset -c "$cores" node bench/trees-bench.js "$model" "$prefix" | sed 's/^/    /'
    echo "  python anchor:"
    time taskset -c "$cores" /usr/bin/python3 bench/trees-anchor.py "$model" "$prefix" | sed 's/^/    /'
  done
done

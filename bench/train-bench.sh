#!/usr/bin/env bash
# Whole-process wall times for `ols` (50,000 x 20, vs scikit-learn LogisticRegression) and seed 000's rf grid
# (`tsml train --tune`, vs GridSearchCV(n_jobs=2)), both pinned to the same 2 cores.
# Usage: npm run build && bench/train-bench.sh   (needs Debian's python3-sklearn and python3-pandas)
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${TMPDIR:-/tmp}/tsml-trees-bench"
/usr/bin/python3 bench/trees-make-data.py "$prefix"
cores="0,1"
TIMEFORMAT="    whole process %R s"
sp500=node_modules/vega-datasets/data/sp500-2000.csv
ws="$(mktemp -d)"
node bin/tsml.js --workspace "$ws" --quiet ingest csv "$sp500" --ticker SPX
node bin/tsml.js --workspace "$ws" --quiet features --ticker SPX --set seed000
for run in 1 2 3; do
  echo "== ols run $run"
  echo "  tsml:"; time taskset -c "$cores" node bench/ols-bench.js "$prefix" | sed 's/^/    /'
  echo "  scikit-learn:"; time taskset -c "$cores" /usr/bin/python3 bench/ols-anchor.py "$prefix" | sed 's/^/    /'
done
for run in 1 2 3; do
  echo "== rf grid (18 combinations x TimeSeriesSplit(5)) run $run"
  echo "  tsml train --tune --jobs 2 --purge 0:"
  time taskset -c "$cores" node bin/tsml.js --workspace "$ws" --quiet --json train --ticker SPX --model rf --tune \
    --split-date 2016-01-01 --purge 0 --jobs 2 --repeats 1 \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s).models[0];console.log(`    cv accuracy ${m.cvScore.toFixed(4)} ${JSON.stringify(m.params)}`)})'
  echo "  GridSearchCV(n_jobs=2):"; time PYTHONWARNINGS=ignore taskset -c "$cores" /usr/bin/python3 bench/grid-anchor.py "$sp500" | sed 's/^/    /'
done
rm -rf "$ws"

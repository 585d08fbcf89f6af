#!/usr/bin/env bash
# Whole-process wall time of `tsml train` with its default flags (5-fold CV, refit, train/test metrics,
# permutation importance, TreeSHAP, the model JSON) against a Python fit of the same model, interleaved, on the
# 50,000 x 20 synthetic table of bench/trees-make-data.py (fit on the first 75%, the rest is the test window).
# Usage: npm run build && bench/train-default-bench.sh [gbdt rf mlp ols] (runs: RUNS=3; TSML=path/to/bin/tsml.js
# times another build, e.g. one made from `git archive` of an earlier commit, against the same anchors)
# Anchors: xgboost 1.7 hist (Debian python3-xgboost; HistGradientBoostingClassifier when it is not installed),
# scikit-learn RandomForestClassifier(n_jobs=2), MLPClassifier, LogisticRegression. xgboost's OpenMP threads
# spin-wait on a busy machine, so it runs with OMP_WAIT_POLICY=PASSIVE (its fair figure there).
set -euo pipefail
cd "$(dirname "$0")/.."
py=/usr/bin/python3
runs="${RUNS:-3}"
tsml="${TSML:-bin/tsml.js}"
prefix="${TMPDIR:-/tmp}/tsml-train-default-bench"
$py bench/trees-make-data.py "$prefix"
split="$(node bench/train-default-data.mjs "$prefix")"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cores="0,1"
if $py -c "import xgboost" 2>/dev/null; then gbdt_anchor=(bench/trees-anchor.py gbdt); gbdt_name="xgboost hist"
else gbdt_anchor=(bench/train-default-anchor.py hgb); gbdt_name="HistGradientBoosting (no xgboost)"; fi
models=("$@")
[ ${#models[@]} -eq 0 ] && models=(gbdt rf mlp ols)

# Seconds a command takes, its output to $out/log.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >"$out/log" 2>&1 || { cat "$out/log" >&2; return 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

summary=()
for model in "${models[@]}"; do
  case $model in
    gbdt) params=(--param n_estimators=200); anchor=("${gbdt_anchor[@]}"); name=$gbdt_name ;;
    rf) params=(--param max_depth=8 --param max_features=0.3); anchor=(bench/trees-anchor.py rf); name="RandomForest n_jobs=2" ;;
    mlp) params=(--param "hidden_layer_sizes=[100]" --param max_iter=50); anchor=(bench/train-default-anchor.py mlp); name="MLPClassifier" ;;
    ols) params=(); anchor=(bench/ols-anchor.py); name="LogisticRegression" ;;
    *) echo "unknown model $model (gbdt, rf, mlp, ols)" >&2; exit 2 ;;
  esac
  ts=(); as=(); ratios=()
  for run in $(seq "$runs"); do
    t=$(seconds taskset -c "$cores" node "$tsml" --quiet train -i "$prefix.parquet" --target y --model "$model" \
      "${params[@]}" --split-date "$split" -o "$out/$model.json")
    a=$(seconds env OMP_WAIT_POLICY=PASSIVE taskset -c "$cores" $py "${anchor[@]}" "$prefix")
    anchor_line=$(tail -1 "$out/log")
    r=$(echo "scale=3; $t / $a" | bc)
    ts+=("$t"); as+=("$a"); ratios+=("$r")
    printf '%-5s run %d: tsml train %6.2f s | %s %6.2f s (%s) | ratio %.2fx\n' "$model" "$run" "$t" "$name" "$a" "$anchor_line" "$r"
  done
  size=$(stat -c %s "$out/$model.json")
  sample=$(node -e 'const m=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));const s=m.importanceSample;
    const acc=(m.metrics.test.accuracy ?? m.metrics.test.Accuracy ?? NaN).toFixed(4);
    console.log(s ? `test accuracy ${acc}, importance on ${s.permutationRows} of ${s.available} rows, SHAP on ${s.shapRows ?? "-"}` : `test accuracy ${acc}`)' "$out/$model.json")
  summary+=("$(printf '%-5s tsml %.2f s, %s %.2f s (medians); median ratio %.2fx; model JSON %d bytes; %s' \
    "$model" "$(median "${ts[@]}")" "$name" "$(median "${as[@]}")" "$(median "${ratios[@]}")" "$size" "$sample")")
done
echo "== median of $runs interleaved runs"
printf '%s\n' "${summary[@]}"

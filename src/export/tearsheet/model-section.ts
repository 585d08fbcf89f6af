// One model of the report's lineage: what it was trained on, the parameters chosen, the CV table (chosen row
// highlighted, parameters as text), its metrics, ONE importance chart (the first kind the model carries, in
// the order permutation, mean |SHAP|, gain), the confusion matrix and the calibration curve of its predictions.

import { barChart } from "../bar-chart.js";
import { calibrationChart } from "../calibration-chart.js";
import { confusionChart } from "../confusion-chart.js";
import { factsTable, metricsTables, recordsTable } from "../html-tables.js";
import type { ImportanceEntry, ModelView } from "../model-view.js";
import type { TickerReport } from "../report-data.js";
import { escapeXml as esc } from "../svg-scale.js";
import { calibrationCurve } from "./calibration.js";
import { humanLabel, paramsText } from "./format.js";

const IMPORTANCE_ORDER = ["permutation", "shap", "mean_shap", "gain"];
const IMPORTANCE_NAMES: Record<string, string> = {
  permutation: "permutation",
  shap: "mean |SHAP|",
  mean_shap: "mean SHAP",
  gain: "gain",
};

/** The kind shown and the kinds left in the artifact. */
export function chosenImportance(
  v: ModelView,
): { kind: string; entries: ImportanceEntry[]; others: string[] } | null {
  const kinds = IMPORTANCE_ORDER.filter((k) => (v.importance[k]?.length ?? 0) > 0);
  const extra = Object.keys(v.importance).filter(
    (k) => !IMPORTANCE_ORDER.includes(k) && v.importance[k].length > 0,
  );
  const all = [...kinds, ...extra];
  if (all.length === 0) return null;
  return { kind: all[0], entries: v.importance[all[0]], others: all.slice(1) };
}

/** The headline importance chart of a model (also `tsml export chart importance`). */
export function importanceChart(ticker: string, v: ModelView): string {
  const chosen = chosenImportance(v);
  if (!chosen) return "";
  const { kind, entries } = chosen;
  return barChart({
    title: `${IMPORTANCE_NAMES[kind] ?? kind} feature importance (${v.model}, ${ticker})`,
    labels: entries.map((e) => e.feature),
    values: entries.map((e) => e.value),
    errors: entries.some((e) => e.std !== undefined) ? entries.map((e) => e.std ?? 0) : undefined,
  });
}

function cvTable(v: ModelView): string {
  if (v.cvResults.length === 0) return "";
  const chosen = paramsText(v.params);
  // Per-split arrays stay in the artifact; the table shows the summary columns, parameters as text.
  const chosenRows = new Set<Record<string, unknown>>();
  // The file's own mark (bestIndex) wins; older files without one match the chosen parameters.
  const flagged = v.cvResults.some((r) => r.chosen === true || r.best === true);
  const rows = v.cvResults.map((r) => {
    const out: Record<string, unknown> = { params: paramsText(r.params) };
    for (const [k, x] of Object.entries(r))
      if (k !== "params" && k !== "chosen" && !Array.isArray(x)) out[k] = x;
    if (flagged ? r.chosen === true || r.best === true : out.params === chosen) chosenRows.add(out);
    return out;
  });
  return `<h4>Cross-validation (${rows.length} parameter set${rows.length === 1 ? "" : "s"}; chosen row highlighted)</h4>${recordsTable(
    rows,
    { highlight: (r) => chosenRows.has(r), labels: { params: "Parameters" } },
  )}`;
}

function confusion(v: ModelView): string {
  const keys = ["true_negatives", "false_positives", "false_negatives", "true_positives"];
  const pick = (m: Record<string, number>, split: string) =>
    keys.every((k) => k in m)
      ? confusionChart({
          title: `Confusion matrix, ${split} (${v.model})`,
          matrix: [
            [m.true_negatives, m.false_positives],
            [m.false_negatives, m.true_positives],
          ],
          labels: ["0 (down)", "1 (up)"],
        })
      : "";
  return pick(v.testMetrics, "test") || pick(v.trainMetrics, "train, in-sample");
}

/** Calibration of the predictions this model made, over its test period (else every row, in-sample). */
function calibration(t: TickerReport, v: ModelView): string {
  const p = t.predictions;
  if (!p?.has("proba") || !v.target || !p.has(v.target)) return "";
  const proba = p.get("proba");
  const label = p.get(v.target);
  const split = t.splitTime;
  const test = split !== null && p.time.some((x) => x >= split);
  const keep = (arr: Float64Array) => (test ? arr.filter((_, i) => p.time[i] >= (split as number)) : arr);
  const bins = calibrationCurve(keep(proba), keep(label), 10);
  if (bins.length === 0) return "";
  return calibrationChart(`Calibration, ${test ? "test" : "all rows, in-sample"} (${v.model})`, bins);
}

export function modelSection(t: TickerReport, m: { path: string; view: ModelView }): string {
  const v = m.view;
  let html = `<h3>Model ${esc(v.model)}</h3><p class="muted path">${esc(m.path)}</p>`;
  html += factsTable({
    target: v.target,
    horizon: v.horizon,
    "training window": v.trainWindow,
    "split date": v.splitDate ?? "none (every row trained on)",
    features: v.features.length > 0 ? `${v.features.length}: ${v.features.join(", ")}` : undefined,
    "chosen parameters": paramsText(v.params),
  });
  html += cvTable(v);
  const metricCols: Record<string, Record<string, number>> = {};
  if (Object.keys(v.trainMetrics).length > 0) metricCols["train (in-sample)"] = v.trainMetrics;
  if (Object.keys(v.testMetrics).length > 0) metricCols.test = v.testMetrics;
  if (Object.keys(metricCols).length > 0) html += `<h4>Model metrics</h4>${metricsTables(metricCols)}`;
  const chosen = chosenImportance(v);
  html += `<div class="charts-row">${importanceChart(t.ticker, v)}${confusion(v)}${calibration(t, v)}</div>`;
  if (chosen && chosen.others.length > 0)
    html += `<p class="note">Also in the model file: ${esc(chosen.others.map((k) => IMPORTANCE_NAMES[k] ?? humanLabel(k)).join(", "))} importance.</p>`;
  return html;
}

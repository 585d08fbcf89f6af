// A tolerant read-only view of a model artifact (models/<T>/<model>.json): the facts export, the report, the
// registry and the server need, whichever of the documented spellings the train stage used.

import type { JsonArtifact } from "../artifacts/json-artifact.js";
import { modelSplitFacts } from "../artifacts/kinds/model-artifact.js";
import type { ModelState } from "../models/model.js";

export interface ImportanceEntry {
  feature: string;
  value: number;
  std?: number;
}

export interface ModelView {
  ticker: string;
  model: string;
  features: string[];
  target: string;
  horizon: number | null;
  trainWindow: unknown;
  splitDate: string | null;
  params: Record<string, unknown>;
  /** snake_case metric names whatever the file spells; NaN where the file holds null (undefined). */
  trainMetrics: Record<string, number>;
  testMetrics: Record<string, number>;
  /** Importance kinds present: permutation, gain, shap. */
  importance: Record<string, ImportanceEntry[]>;
  cvResults: Record<string, unknown>[];
  state: ModelState | null;
}

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);
const first = (...values: unknown[]) => values.find((v) => v !== undefined && v !== null);

/** Numeric members of an object, ignoring anything else (nested confusion matrices stay out). */
export function numericRecord(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === "number") out[k] = v;
  return out;
}

/** Accepts {name: v}, [{feature, importance|mean|value, std}], or {features: [], mean|values: [], std: []}. */
export function normalizeImportance(value: unknown, featureNames: readonly string[] = []): ImportanceEntry[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => {
      if (typeof item === "number") return [{ feature: featureNames[i] ?? `f${i}`, value: item }];
      if (!isObject(item)) return [];
      const v = first(item.importance, item.mean, item.value, item.gain, item.shap);
      const feature = String(first(item.feature, item.name, featureNames[i], `f${i}`));
      const std = typeof item.std === "number" ? item.std : undefined;
      return typeof v === "number" ? [{ feature, value: v, std }] : [];
    });
  }
  if (!isObject(value)) return [];
  const names = Array.isArray(value.features) ? (value.features as string[]) : null;
  const values = first(value.mean, value.values, value.importance);
  if (names && Array.isArray(values)) {
    const std = Array.isArray(value.std) ? (value.std as number[]) : [];
    return names.map((feature, i) => ({ feature, value: Number(values[i]), std: std[i] }));
  }
  return Object.entries(value)
    .filter(([, v]) => typeof v === "number" || (isObject(v) && typeof (v.mean ?? v.value) === "number"))
    .map(([feature, v]) =>
      typeof v === "number"
        ? { feature, value: v }
        : {
            feature,
            value: Number((v as Loose).mean ?? (v as Loose).value),
            std: (v as Loose).std as number,
          },
    );
}

/** Reads the documented fields with their alternative spellings. */
export function modelView(artifact: JsonArtifact | Loose): ModelView {
  const a = artifact as Loose;
  // The split and the metrics have one reader: the model artifact's (artifacts/kinds/model-artifact.ts).
  const split = modelSplitFacts(a);
  const state = (
    isObject(a.state) && "model" in a.state ? a.state : isObject(a.model) ? a.model : null
  ) as ModelState | null;
  const features = (first(a.features, a.featureNames, a.feature_names) as string[] | undefined) ?? [];
  const rawImportance = first(a.featureImportance, a.importance, a.feature_importance);
  const importance: Record<string, ImportanceEntry[]> = {};
  if (Array.isArray(rawImportance) && rawImportance.some((r) => isObject(r) && "permutation" in r)) {
    // The train stage's rows: {feature, permutation, permutationStd, gain, meanAbsShap, meanShap}.
    const rows = rawImportance.filter(isObject);
    const kind = (key: string, std?: string) =>
      rows
        .filter((r) => typeof r[key] === "number")
        .map((r) => ({
          feature: String(r.feature),
          value: r[key] as number,
          std: std ? (r[std] as number) : undefined,
        }));
    for (const [name, entries] of [
      ["permutation", kind("permutation", "permutationStd")],
      ["gain", kind("gain")],
      ["shap", kind("meanAbsShap")],
      ["mean_shap", kind("meanShap")],
    ] as const)
      if (entries.length > 0) importance[name] = entries;
  } else if (isObject(rawImportance) && ["permutation", "gain", "shap"].some((k) => k in rawImportance)) {
    for (const kind of ["permutation", "gain", "shap"]) {
      const entries = normalizeImportance(rawImportance[kind], features);
      if (entries.length > 0) importance[kind] = entries;
    }
  } else if (rawImportance !== undefined) {
    importance.permutation = normalizeImportance(rawImportance, features);
  }
  const cv = first(a.cvResults, a.cv, a.cv_results);
  const cvRows = Array.isArray(cv) ? cv : isObject(cv) && Array.isArray(cv.results) ? cv.results : [];
  const bestIndex = isObject(cv) && typeof cv.bestIndex === "number" ? cv.bestIndex : -1;
  const modelName = String(
    first(typeof a.model === "string" ? a.model : undefined, a.name, state?.model, "model"),
  );
  return {
    ticker: String(first(a.ticker, a.symbol, "")),
    model: modelName,
    features,
    target: String(first(a.target, a.label, "")),
    horizon: typeof a.horizon === "number" ? a.horizon : null,
    // Tabular models keep {start, end, rows} under `training`; sequence models keep their loss log there and
    // the split under `split`.
    trainWindow: first(
      a.trainWindow,
      a.train_window,
      isObject(a.training) && "start" in a.training ? a.training : undefined,
      isObject(a.split) ? { rows: a.split.trainRows } : undefined,
      null,
    ),
    splitDate: split.splitDate,
    params: (first(a.params, state?.params, {}) as Record<string, unknown>) ?? {},
    trainMetrics: split.trainMetrics,
    testMetrics: split.testMetrics,
    importance,
    cvResults: cvRows.filter(isObject).map((row, i) => (i === bestIndex ? { ...row, chosen: true } : row)),
    state,
  };
}

/** The importance kind to show first: permutation, then shap, then gain. */
export function headlineImportance(view: ModelView): ImportanceEntry[] {
  // Seed 001 tags a registered model with the signed mean SHAP value per feature; other models fall back.
  return (
    view.importance.mean_shap ??
    view.importance.permutation ??
    view.importance.shap ??
    view.importance.gain ??
    []
  );
}

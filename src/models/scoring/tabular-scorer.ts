// Loads a tabular model artifact (models/<T>/<model>.json, or the copy a registry entry holds) into a scorer:
// feature order, scaler and classifier checked once, then one predict that scales and picks P(class 1).

import { DataError, TsmlError } from "../../core/errors.js";
import { positiveClassProbabilities } from "../common/positive-class.js";
import type { ScalerState } from "../common/standard-scaler.js";
import { StateReader } from "../common/state-reader.js";
import type { FeatureMatrix } from "../model.js";
import { loadClassifier } from "../registry.js";
import type { Predictions, TabularScorer } from "./model-scorer.js";

/** Feature names: a non-empty list of distinct strings. */
export function readFeatureNames(read: StateReader, value: unknown): string[] {
  const names = read.array(value, "features");
  if (names.length === 0)
    read.fail("features", "is empty, expected the feature names the model was fitted on");
  names.forEach((name, j) => {
    if (typeof name !== "string" || name === "")
      read.fail(`features[${j}]`, `is ${JSON.stringify(name)}, expected a name`);
  });
  if (new Set(names).size !== names.length) read.fail("features", "names a feature twice");
  return names as string[];
}

/** The standard scaler (or null): one finite mean and one positive finite scale per feature. */
export function readScalerState(read: StateReader, value: unknown, features: number): ScalerState | null {
  if (value === null || value === undefined) return null;
  const scaler = read.object(value, "scaler");
  return {
    mean: Array.from(read.numbers(scaler.mean, "scaler.mean", { length: features })),
    scale: Array.from(
      read.numbers(scaler.scale, "scaler.scale", { length: features, min: Number.MIN_VALUE }),
    ),
  };
}

/** Scaled copy of column-major features (the columns themselves without a scaler). */
function scaled(scaler: ScalerState | null, columns: readonly Float64Array[], rows: number): FeatureMatrix {
  if (!scaler) return { rows, columns };
  const { mean, scale } = scaler;
  return {
    rows,
    columns: columns.map((c, j) => {
      const out = new Float64Array(rows);
      for (let i = 0; i < rows; i++) out[i] = (c[i] - mean[j]) / scale[j];
      return out;
    }),
  };
}

/** A DataError from `check` (any TsmlError) gets `source` in front, so the user learns which file is wrong. */
function inSource<T>(source: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof TsmlError) throw new DataError(`${source}: ${error.message}`, error.hint);
    throw error;
  }
}

/** Scores one row of zeros: a state that cannot score, or scores outside [0, 1], is refused before any use. */
function probe(source: string, predict: TabularScorer["predict"], features: number): void {
  const hint = "the fitted state does not match its features; train it again with: tsml train";
  let out: Predictions;
  try {
    out = predict(
      Array.from({ length: features }, () => new Float64Array(1)),
      1,
    );
  } catch (error) {
    throw new DataError(
      `${source}: scoring one row failed (${(error as Error)?.message ?? String(error)})`,
      error instanceof TsmlError && error.hint ? error.hint : hint,
    );
  }
  const [pred, proba] = [out.pred[0], out.proba[0]];
  if (!Number.isFinite(pred) || !Number.isFinite(proba) || proba < 0 || proba > 1)
    throw new DataError(`${source}: scoring one row gave prediction ${pred} and probability ${proba}`, hint);
}

/**
 * A tabular model artifact's classifier, feature names and scaler, all checked, and one row scored (every
 * feature at its training mean when scaled): any malformed field, a state whose arrays do not match the
 * feature count, or probabilities outside [0, 1] is a DataError (exit 3) naming `source` and the field.
 * @example const scorer = tabularScorer(readJsonArtifact(path, ["model"]), path);
 */
export function tabularScorer(artifact: Record<string, unknown>, source: string): TabularScorer {
  const family = typeof artifact.model === "string" ? artifact.model : undefined;
  const state = artifact.state;
  if (typeof state !== "object" || state === null || Array.isArray(state))
    throw new DataError(
      `${source}: the model artifact has no fitted state`,
      "train it again with: tsml train",
    );
  const read = new StateReader(family ?? "model");
  const { features, scaler } = inSource(source, () => {
    const names = readFeatureNames(read, artifact.features);
    const stateModel = (state as { model?: unknown }).model;
    if (family !== undefined && stateModel !== undefined && stateModel !== family)
      read.fail(
        "state.model",
        `is ${JSON.stringify(stateModel)} but the artifact says ${JSON.stringify(family)}`,
      );
    return { features: names, scaler: readScalerState(read, artifact.scaler, names.length) };
  });
  const classifier = loadClassifier(state, source, family);
  const predict = (columns: readonly Float64Array[], rows: number): Predictions => {
    const X = scaled(scaler, columns, rows);
    const proba = positiveClassProbabilities(classifier, classifier.predictProba(X), rows);
    return { pred: classifier.predict(X), proba };
  };
  probe(source, predict, features.length);
  return { kind: "tabular", model: classifier.name, features, predict };
}

// `-m model.json` for backtest and evaluate: score a features frame with a trained tabular model in memory
// (the same arithmetic as `tsml predict`), giving pred/proba columns next to the frame's own.

import { readJsonArtifact } from "../artifacts/json-artifact.js";
import { sha256File } from "../core/fingerprint.js";
import type { Frame } from "../frame/frame.js";
import "../models/all-models.js";
import { loadModel, type ModelArtifactBody, scaleForModel } from "../models/training/model-artifact.js";

export interface ModelSignals {
  frame: Frame;
  modelId: string;
  body: ModelArtifactBody;
}

/** Reads a model artifact (kind "model"). */
export function readModelArtifact(path: string): ModelArtifactBody {
  return readJsonArtifact(path, ["model"]) as unknown as ModelArtifactBody;
}

/**
 * Adds `pred` and `proba` (P(class 1)) to a one-ticker features frame; rows with a missing feature get NaN
 * (no signal: flat in a backtest, skipped by evaluate).
 * @example const { frame } = await applyModel("models/SPX/rf.json", features);
 */
export async function applyModel(modelPath: string, features: Frame): Promise<ModelSignals> {
  const body = readModelArtifact(modelPath);
  const loaded = loadModel(body, modelPath);
  const columns = loaded.features.map((f) => features.get(f));
  const keep: number[] = [];
  for (let i = 0; i < features.length; i++) if (columns.every((c) => Number.isFinite(c[i]))) keep.push(i);
  const X = scaleForModel(
    loaded,
    columns.map((c) => Float64Array.from(keep, (i) => c[i])),
    keep.length,
  );
  const proba = loaded.classifier.predictProba(X);
  const predicted = loaded.classifier.predict(X);
  const pred = new Float64Array(features.length).fill(Number.NaN);
  const p1 = new Float64Array(features.length).fill(Number.NaN);
  keep.forEach((row, k) => {
    pred[row] = predicted[k];
    p1[row] = proba[2 * k + 1];
  });
  const modelId = `${body.ticker}/${body.model}@${(await sha256File(modelPath)).slice(0, 12)}`;
  return { frame: features.with("pred", pred).with("proba", p1), modelId, body };
}

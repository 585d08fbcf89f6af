// `-m model.json` for backtest and evaluate: score a features frame with a trained tabular model in memory
// (the same arithmetic as `tsml predict`), giving pred/proba columns next to the frame's own.

import { readJsonArtifact } from "../../artifacts/json-artifact.js";
import { DataError } from "../../core/errors.js";
import { sha256File } from "../../core/fingerprint.js";
import type { Frame } from "../../frame/frame.js";
import type { ModelArtifactBody } from "../training/model-artifact.js";
import { loadModelFile } from "./load-model.js";

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
  const { scorer, artifact } = await loadModelFile(modelPath);
  if (scorer.kind !== "tabular")
    throw new DataError(
      `-m ${modelPath}: a ${scorer.model} model forecasts prices, it gives no pred/proba per features row`,
    );
  const body = artifact as unknown as ModelArtifactBody;
  const loaded = scorer;
  const columns = loaded.features.map((f) => features.get(f));
  const keep: number[] = [];
  for (let i = 0; i < features.length; i++) if (columns.every((c) => Number.isFinite(c[i]))) keep.push(i);
  const scored = loaded.predict(
    columns.map((c) => Float64Array.from(keep, (i) => c[i])),
    keep.length,
  );
  const pred = new Float64Array(features.length).fill(Number.NaN);
  const p1 = new Float64Array(features.length).fill(Number.NaN);
  keep.forEach((row, k) => {
    pred[row] = scored.pred[k];
    p1[row] = scored.proba[k];
  });
  const modelId = `${body.ticker}/${body.model}@${(await sha256File(modelPath)).slice(0, 12)}`;
  return { frame: features.with("pred", pred).with("proba", p1), modelId, body };
}

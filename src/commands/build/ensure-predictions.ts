// Predictions a stage needs: the ticker's latest model scored on its features when the predictions are
// missing, were made by another model, or no longer match the model or features they were made from.

import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { changedInputs } from "../../artifacts/freshness.js";
import type { Provenance } from "../../artifacts/provenance.js";
import { readTableMeta } from "../../artifacts/table-io.js";
import { tickerTablePath } from "../../artifacts/workspace.js";
import type { RunContext } from "../support/run-context.js";
import { announceBuilt, helperContext, shownPath } from "./build-context.js";
import { ensureFeatures } from "./ensure-features.js";
import { latestModel } from "./latest-model.js";

/**
 * Scores the latest model when the ticker's predictions are absent or stale (building on); true when the
 * predictions are there afterwards. A ticker without a model is left alone (the stage's own error follows).
 * @example await ensurePredictions("AAPL", ctx) // "predictions AAPL: built from models/AAPL/rf.json ..."
 */
export async function ensurePredictions(ticker: string, ctx: RunContext): Promise<boolean> {
  const path = tickerTablePath(ctx.workspace, "predictions", ticker);
  if (!ctx.autoBuild) return existsSync(path);
  const model = latestModel(ctx.workspace, ticker);
  if (model === null) return existsSync(path);
  const features = tickerTablePath(ctx.workspace, "features", ticker);
  // Stale features are recomputed first: the predictions made from them are then stale too.
  if (existsSync(features)) await ensureFeatures(ticker, ctx);
  let reason = "";
  let scored = model;
  if (existsSync(path)) {
    const meta = await readTableMeta(path);
    // Predictions tsml did not write, or written from a file other than a model, are the user's: kept.
    if (meta?.kind !== "predictions") return true;
    const recordedModel = meta.provenance.inputs[0]?.path;
    // A model trained after the predictions were made replaces them; predictions made after the latest
    // training (another model named with -m) are what the user chose.
    const newerModel =
      (recordedModel === undefined || resolve(recordedModel) !== resolve(model)) &&
      statSync(model).mtimeMs > statSync(path).mtimeMs;
    const changed = await changedInputs(meta.provenance);
    if (!newerModel && changed.length === 0) return true;
    // Stale inputs: the model they were made with scores again, while it is there.
    if (!newerModel && recordedModel !== undefined && existsSync(recordedModel)) scored = recordedModel;
    reason = newerModel
      ? ` (they were made by ${recordedModel ? shownPath(ctx, recordedModel) : "another model"})`
      : ` (${changed.map((p) => shownPath(ctx, p)).join(", ")} changed)`;
  }
  if (!existsSync(features)) {
    // Missing features are built only for a model trained on the workspace's own (not on a file given with -i).
    if (!trainedOn(model, features)) return existsSync(path);
    await ensureFeatures(ticker, ctx);
    if (!existsSync(features)) return existsSync(path);
  }
  const { predict } = await import("../predict.js");
  const { trackedRun } = await import("../support/tracked-run.js");
  // A predict run of its own, promoted before the asking stage reads the latest predictions.
  await trackedRun(helperContext(ctx), "predict", { model: scored, ticker }, (c) =>
    predict({ model: scored, ticker }, c),
  );
  announceBuilt(
    ctx,
    `predictions ${ticker}: ${reason ? "rebuilt" : "built"} from ${shownPath(ctx, scored)}${scored === model ? " (latest model)" : ""} and ` +
      `${shownPath(ctx, features)}${reason} -> ${shownPath(ctx, path)}`,
  );
  return true;
}

/** Whether the model's provenance records `features` as what it was trained on. */
function trainedOn(model: string, features: string): boolean {
  try {
    const { provenance } = JSON.parse(readFileSync(model, "utf8")) as { provenance?: Provenance };
    return (provenance?.inputs ?? []).some((input) => resolve(input.path) === resolve(features));
  } catch {
    return false;
  }
}

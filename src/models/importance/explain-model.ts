// Everything `train` measures about the final model after fitting it: train/test predictions, permutation
// importance and mean TreeSHAP values, as tasks spread over worker threads (or run inline).

import type { Classifier } from "../model.js";
import { ExplainContext, type ExplainData, type ExplainOutput, type ExplainTask } from "./explain-task.js";
import type { ModelWorkers } from "./model-workers.js";
import { type PermutationImportance, summariseDrops } from "./permutation-importance.js";
import { SHAP_CHUNK_ROWS } from "./shap-summary.js";

/** Rows per prediction task (train/test metrics). */
const PREDICT_CHUNK_ROWS = 8192;

export interface Explanation {
  train: { pred: Float64Array; proba: Float64Array };
  test: { pred: Float64Array; proba: Float64Array };
  permutation: PermutationImportance;
  /** Mean |SHAP| and mean SHAP per feature over data.shap's rows; null when there are none. */
  shap: { meanAbs: Float64Array; mean: Float64Array } | null;
}

function chunks(rows: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let from = 0; from < rows; from += size) out.push([from, Math.min(rows, from + size)]);
  return out;
}

/**
 * Runs the tasks on `pool`'s workers (which must hold the fitted state) and on the main thread with `model`, or
 * all inline without a pool.
 * Task boundaries do not depend on the worker count and partial sums are added in task order, so every
 * figure is identical for any --jobs.
 */
export async function explainModel(
  model: Classifier,
  data: ExplainData,
  pool: ModelWorkers | null,
): Promise<Explanation> {
  const trainRows = data.trainY.length;
  const testRows = data.test[0]?.length ?? 0;
  const shapRows = data.shap[0]?.length ?? 0;
  const tasks: ExplainTask[] = [
    ...chunks(trainRows, PREDICT_CHUNK_ROWS).map(([from, to]) => ({
      kind: "predict" as const,
      set: "train" as const,
      from,
      to,
    })),
    ...chunks(testRows, PREDICT_CHUNK_ROWS).map(([from, to]) => ({
      kind: "predict" as const,
      set: "test" as const,
      from,
      to,
    })),
    ...data.permutation.map((_, feature) => ({ kind: "permutation" as const, feature })),
    ...chunks(shapRows, SHAP_CHUNK_ROWS).map(([from, to]) => ({ kind: "shap" as const, from, to })),
  ];
  const context = new ExplainContext(model, data);
  const outputs: ExplainOutput[] = pool
    ? await pool.run(tasks, context)
    : tasks.map((task) => context.run(task));
  const sets = {
    train: { pred: new Float64Array(trainRows), proba: new Float64Array(trainRows) },
    test: { pred: new Float64Array(testRows), proba: new Float64Array(testRows) },
  };
  const d = data.permutation.length;
  const drops: Float64Array[] = new Array(d);
  let baseline = Number.NaN;
  const abs = new Float64Array(d);
  const signed = new Float64Array(d);
  tasks.forEach((task, i) => {
    const out = outputs[i];
    if (task.kind === "predict" && out.kind === "predict") {
      sets[task.set].pred.set(out.pred, task.from);
      sets[task.set].proba.set(out.proba, task.from);
    } else if (task.kind === "permutation" && out.kind === "permutation") {
      drops[task.feature] = out.drops;
      baseline = out.baseline;
    } else if (task.kind === "shap" && out.kind === "shap") {
      for (let j = 0; j < d; j++) {
        abs[j] += out.abs[j];
        signed[j] += out.signed[j];
      }
    }
  });
  return {
    ...sets,
    permutation: summariseDrops(drops, baseline),
    shap:
      shapRows > 0 ? { meanAbs: abs.map((v) => v / shapRows), mean: signed.map((v) => v / shapRows) } : null,
  };
}

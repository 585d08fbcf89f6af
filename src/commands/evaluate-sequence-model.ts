// `tsml evaluate -m <sequence model folder>`: the model's forecasts for every window of its ticker's series,
// scored in memory by the same rules as `tsml predict` then `tsml evaluate` (from the model's split date).

import { splitTimeOf } from "../artifacts/kinds/details-fields.js";
import { modelSplitFacts } from "../artifacts/kinds/model-artifact.js";
import { predictionsDetails } from "../artifacts/kinds/predictions-artifact.js";
import { sha256File } from "../core/fingerprint.js";
import { evaluateSequencePredictions, type TableEvaluation } from "../evaluate/evaluate-table.js";
import { loadModelFile } from "../models/scoring/load-model.js";
import { sequencePredictions } from "../models/scoring/sequence-predictions.js";
import { readSequenceInput, sequenceInputPath } from "../models/sequence/sequence-input.js";

export interface SequenceModelEvaluation {
  ticker: string;
  modelId: string;
  sources: { kind: string; path: string; fingerprint: string; evaluation: TableEvaluation }[];
  metrics: TableEvaluation["metrics"];
}

/**
 * @example const [result] = await evaluateSequenceModel("models/SPX/lstm", undefined, [], workspace, undefined);
 */
export async function evaluateSequenceModel(
  model: string,
  input: string | undefined,
  wanted: readonly string[],
  workspace: string,
  last: number | undefined,
): Promise<SequenceModelEvaluation[]> {
  const opened = await loadModelFile(model);
  const { scorer, sequence } = opened;
  if (scorer.kind !== "sequence" || !sequence) throw new Error(`${model}: expected a sequence model`);
  const meta = sequence.loaded.meta;
  const ticker = wanted[0] ?? meta.ticker;
  const path = sequenceInputPath(workspace, input, ticker);
  const series = await readSequenceInput(path, ticker, meta.target, workspace);
  const modelId = `${meta.ticker}/${meta.model}@${(await sha256File(opened.path)).slice(0, 12)}`;
  const { frame, columns } = sequencePredictions(scorer, meta, series, modelId);
  const details = predictionsDetails({
    modelId,
    model: meta.model,
    ticker: series.ticker,
    task: scorer.task,
    target: meta.target,
    horizon: meta.horizon,
    label: scorer.task === "regression" ? undefined : meta.label,
    splitDate: modelSplitFacts(meta).splitDate,
    recursive: 0,
    columns,
  });
  // Without --last, the model's test window only (forecasts from its split date), never its training rows.
  const split = splitTimeOf(details.splitDate);
  const window = { last, from: last === undefined ? (split ?? undefined) : undefined };
  const evaluation = evaluateSequencePredictions(frame, details, `${path} (${series.ticker})`, window, null);
  const fingerprint = await sha256File(series.path === "-" ? path : series.path).catch(() => "");
  return [
    {
      ticker: series.ticker,
      modelId,
      sources: [{ kind: "model", path: series.path, fingerprint, evaluation }],
      metrics: evaluation.metrics,
    },
  ];
}

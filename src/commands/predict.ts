// `tsml predict -m model.json`: score a features table with a trained model -> predictions artifact
// (pred, proba = P(class 1), the label and price/close/delta_tm when present, model_id).

import { readArtifactTable } from "../artifacts/kinds/artifact-table.js";
import { modelSplitFacts } from "../artifacts/kinds/model-artifact.js";
import { predictionsMeta } from "../artifacts/kinds/predictions-artifact.js";
import { makeProvenance } from "../artifacts/provenance.js";
import { writeTable } from "../artifacts/table-io.js";
import { tickerTablePath } from "../artifacts/workspace.js";
import { UsageError } from "../core/errors.js";
import { sha256File } from "../core/fingerprint.js";
import { isStdio } from "../core/stdio.js";
import { Frame } from "../frame/frame.js";
import { loadModelFile } from "../models/scoring/load-model.js";
import type { TabularScorer } from "../models/scoring/model-scorer.js";
import type { ModelArtifactBody } from "../models/training/model-artifact.js";
import type { RunContext } from "./support/run-context.js";
import { runOutput } from "./support/run-output.js";
import { emptyShard, ownsShardTicker } from "./support/shard-tickers.js";

export interface PredictOptions {
  model: string;
  input?: string;
  ticker?: string;
  output?: string;
}

/** Columns carried next to the predictions for the backtest (prices and the next-day move). */
const CARRIED = ["price", "close", "delta_tm"];

export async function predict(options: PredictOptions, ctx: RunContext): Promise<unknown> {
  if (!options.model) throw new UsageError("predict needs -m MODEL.json (from tsml train)");
  const { scorer, artifact } = await loadModelFile(options.model);
  if (scorer.kind !== "tabular") throw new UsageError(`-m ${options.model}: not a tabular model file`);
  const loaded: TabularScorer = scorer;
  const body = artifact as unknown as ModelArtifactBody;
  const ticker = options.ticker ?? body.ticker;
  if (!ownsShardTicker(ctx, ticker)) return emptyShard(ctx, `predict ${ticker}`);
  const input = options.input ?? tickerTablePath(ctx.workspace, "features", ticker);
  const { frame: full, path } = await readArtifactTable(input);
  const names = full.tickers();
  let frame = full;
  if (names.length > 1) {
    const code = full.tickerNames.indexOf(ticker);
    if (code < 0)
      throw new UsageError(`${input}: no rows for ticker ${ticker} (tickers: ${names.join(", ")})`);
    const idx: number[] = [];
    for (let i = 0; i < full.length; i++) if (full.tickerCodes[i] === code) idx.push(i);
    frame = full.take(idx);
  }
  const featureColumns = loaded.features.map((f) => frame.get(f));
  const keep: number[] = [];
  for (let i = 0; i < frame.length; i++) if (featureColumns.every((c) => Number.isFinite(c[i]))) keep.push(i);
  if (keep.length < frame.length)
    ctx.log.info(`${ticker}: ${frame.length - keep.length} rows with missing features not scored`);
  const rows = frame.take(keep);
  const { pred, proba: p1 } = loaded.predict(
    loaded.features.map((f) => rows.get(f)),
    rows.length,
  );
  const modelSha = await sha256File(options.model);
  const modelId = `${body.ticker}/${body.model}@${modelSha.slice(0, 12)}`;
  const columns = new Map<string, Float64Array>([
    ["pred", pred],
    ["proba", p1],
  ]);
  if (rows.has(body.target)) columns.set(body.target, Float64Array.from(rows.get(body.target)));
  for (const name of CARRIED)
    if (rows.has(name) && !columns.has(name)) columns.set(name, Float64Array.from(rows.get(name)));
  const out = new Frame({
    time: rows.time,
    tickerCodes: rows.tickerCodes,
    tickerNames: rows.tickerNames,
    columns,
    text: new Map([["model_id", new Array(rows.length).fill(modelId)]]),
  });
  const output = options.output ?? runOutput(ctx, tickerTablePath(ctx.workspace, "predictions", ticker));
  const provenance = await makeProvenance({
    command: ctx.commandLine,
    options: { ...options },
    seed: ctx.seed,
    inputs: [options.model, ...(path === "-" ? [] : [path])],
  });
  if (isStdio(output)) ctx.claimStdout();
  await writeTable(
    output,
    out,
    predictionsMeta(provenance, {
      modelId,
      model: body.model,
      ticker,
      target: body.target,
      horizon: body.horizon,
      splitDate: modelSplitFacts(artifact).splitDate,
      features: body.features,
    }),
  );
  let positives = 0;
  for (let i = 0; i < pred.length; i++) positives += pred[i];
  ctx.print(`${ticker}: ${rows.length} rows scored by ${modelId}, ${positives} predicted 1 -> ${output}`);
  return { ticker, modelId, rows: rows.length, predictedPositive: positives, output };
}

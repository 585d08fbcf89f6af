// `tsml predict -m <sequence model>`: one-step (or k-step) forecasts on the original price scale for every row
// with a full window, --recursive N forecasts fed back on themselves, or --stream scoring of stdin lines.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { modelSplitFacts } from "../artifacts/kinds/model-artifact.js";
import { predictionsMeta } from "../artifacts/kinds/predictions-artifact.js";
import { makeProvenance } from "../artifacts/provenance.js";
import { writeTable } from "../artifacts/table-io.js";
import { tickerFileName, tickerTablePath, WORKSPACE_DIRS } from "../artifacts/workspace.js";
import { DataError, UsageError } from "../core/errors.js";
import { sha256File } from "../core/fingerprint.js";
import { integerFlag } from "../core/flags.js";
import { parseIsoDate } from "../core/iso-date.js";
import { isStdio } from "../core/stdio.js";
import { Frame } from "../frame/frame.js";
import { loadModelFile } from "../models/scoring/load-model.js";
import type { SequenceScorer } from "../models/scoring/model-scorer.js";
import { sequencePredictions } from "../models/scoring/sequence-predictions.js";
import { loadBackend, parseBackend } from "../models/sequence/backend.js";
import { jsEngine, lstmEngine } from "../models/sequence/matmul-engine.js";
import {
  isSequenceModel,
  META_FILE,
  type SequenceArtifact,
  sequenceFolder,
} from "../models/sequence/sequence-artifact.js";
import { readSequenceInput, sequenceInputPath } from "../models/sequence/sequence-input.js";
import { applySeriesTransform, invertSeriesTransform } from "../models/sequence/series-transform.js";
import { windowOutputs } from "../models/sequence/window-forecasts.js";
import type { RunContext } from "./support/run-context.js";
import { runOutput } from "./support/run-output.js";
import { emptyShard, ownsShardTicker } from "./support/shard-tickers.js";

export interface PredictSequenceOptions {
  /** Model folder, its tsml.json, or a sequence model name (with --ticker) in the workspace. */
  model: string;
  input?: string;
  ticker?: string;
  output?: string;
  recursive?: string | number;
  stream?: boolean;
  backend?: string;
}

/** True when `-m` names a sequence model (so `tsml predict` can route here). */
export function isSequenceModelRef(workspace: string, model: string, ticker?: string): boolean {
  if (sequenceFolder(model)) return true;
  return (
    isSequenceModel(model) &&
    ticker !== undefined &&
    existsSync(join(modelFolder(workspace, model, ticker), "tsml.json"))
  );
}

function modelFolder(workspace: string, model: string, ticker: string): string {
  return join(workspace, WORKSPACE_DIRS.models, tickerFileName(ticker), model);
}

async function openModel(options: PredictSequenceOptions, ctx: RunContext) {
  const folder =
    sequenceFolder(options.model) ??
    (options.ticker && isSequenceModel(options.model)
      ? modelFolder(ctx.workspace, options.model, options.ticker)
      : null);
  if (!folder)
    throw new UsageError(
      `-m ${options.model}: not a sequence model folder`,
      "pass models/<T>/lstm or --ticker T",
    );
  const needsTf = !options.stream || options.backend !== undefined;
  const backend = needsTf ? await loadBackend(parseBackend(options.backend)) : null;
  // Streaming scores one window at a time: plain JS beats a tensor round trip at batch 1 on tfjs backends.
  const engine = backend && backend.name !== "wasm" && options.stream ? jsEngine : lstmEngine(backend);
  const opened = await loadModelFile(folder, { backend: backend?.name, engine });
  const sequence = opened.sequence as NonNullable<typeof opened.sequence>;
  return { scorer: opened.scorer as SequenceScorer, ...sequence, folder };
}

/**
 * Scores a sequence model.
 * @example
 * await predictSequence({ model: "tsml-workspace/models/SPX/lstm", recursive: 10 }, ctx);
 */
export async function predictSequence(options: PredictSequenceOptions, ctx: RunContext) {
  const { scorer, loaded, tf, engine, folder } = await openModel(options, ctx);
  if (options.stream) return streamScores(scorer, loaded.meta, ctx);
  const { meta } = loaded;
  if (!ownsShardTicker(ctx, options.ticker ?? meta.ticker)) return emptyShard(ctx, `predict ${meta.ticker}`);
  const modelSha = await sha256File(join(folder, META_FILE));
  const modelId = `${meta.ticker}/${meta.model}@${modelSha.slice(0, 12)}`;
  const inputPath = sequenceInputPath(ctx.workspace, options.input, options.ticker ?? meta.ticker);
  const input = await readSequenceInput(inputPath, options.ticker, meta.target, ctx.workspace);
  const { time, values } = input;
  if (values.length < meta.steps)
    throw new DataError(`${inputPath}: ${values.length} rows, the model needs windows of ${meta.steps}`);
  const series = meta.transform ? applySeriesTransform(meta.transform, time, values) : values;
  const recursive = integerFlag(
    options.recursive === undefined ? undefined : String(options.recursive),
    "--recursive",
    { min: 0, fallback: 0 },
  );
  let frame: Frame;
  let names = ["prediction"];
  if (recursive > 0) {
    if (scorer.task !== "regression") throw new UsageError("--recursive needs a regression model (lstm)");
    // Feed each forecast back as the newest input (the first step of a k-step head).
    const z = Float32Array.from({ length: meta.steps + recursive }, (_, i) =>
      i < meta.steps ? series[values.length - meta.steps + i] : 0,
    );
    const outTime = new Float64Array(recursive);
    const outValue = new Float64Array(recursive);
    const last = time[time.length - 1];
    for (let k = 0; k < recursive; k++) {
      const out = windowOutputs(loaded, tf, engine, z, [meta.steps - 1 + k]);
      z[meta.steps + k] = out[0];
      outTime[k] = last + (k + 1) * meta.stepMs;
      outValue[k] = invertSeriesTransform(
        meta.transform as NonNullable<typeof meta.transform>,
        outTime[k],
        out[0],
      );
    }
    frame = Frame.fromColumns(input.ticker, outTime, {
      prediction: outValue,
      step: Float64Array.from(outValue, (_, k) => k + 1),
    });
  } else {
    ({ frame, columns: names } = sequencePredictions(scorer, meta, input, modelId));
  }
  // Inside a tracked run: the run's own copy, promoted to predictions/<T>.parquet on success (as predict.ts).
  const output =
    options.output ?? runOutput(ctx, tickerTablePath(ctx.workspace, "predictions", input.ticker));
  const provenance = await makeProvenance({
    command: ctx.commandLine,
    options: { ...options },
    seed: ctx.seed,
    inputs: [join(folder, "tsml.json"), ...(input.path === "-" ? [] : [input.path])],
  });
  if (isStdio(output)) ctx.claimStdout();
  await writeTable(
    output,
    frame,
    predictionsMeta(provenance, {
      modelId,
      model: meta.model,
      modelFolder: folder,
      ticker: input.ticker,
      task: scorer.task,
      // What the predictions forecast: evaluate scores prediction_h against `target` h bars later.
      target: meta.target,
      horizon: meta.horizon,
      label: scorer.task === "regression" ? undefined : meta.label,
      splitDate: modelSplitFacts(meta).splitDate,
      recursive,
      columns: names,
    }),
  );
  ctx.print(
    `${meta.model} ${input.ticker}: ${frame.length} ${recursive > 0 ? "recursive forecasts" : "predictions"} -> ${output}`,
  );
  return { model: meta.model, modelId, ticker: input.ticker, rows: frame.length, output };
}

/** Seed 004's deployment: one price per stdin line ("price" or "date,price"), one prediction per line out. */
async function streamScores(scorer: SequenceScorer, meta: SequenceArtifact, ctx: RunContext) {
  ctx.claimStdout();
  const window: number[] = [];
  const times: number[] = [];
  let received = 0;
  let written = 0;
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  // One value per line: the forecast(s) of a forecaster, P(class 1) of lstm-clf, the class of dense-window.
  const shown = scorer.task === "regression" ? null : scorer.columns[1] === "proba" ? 1 : 0;
  for await (const raw of lines) {
    const line = raw.trim();
    if (line === "") continue;
    received++;
    const fields = line.split(/[,\s]+/);
    const price = Number(fields[fields.length - 1]);
    if (!Number.isFinite(price))
      throw new DataError(`stdin line ${received}: "${line}" is not a price`, "send one number per line");
    // A dated line is read strictly, in UTC when it has no offset (Date.parse would use the local zone for a
    // time and roll 2019-02-30 over to March); an undated line steps on from the model's last bar.
    const stamp = fields.length > 1 ? parseIsoDate(fields[0]) : meta.lastTime + received * meta.stepMs;
    if (stamp === null)
      throw new DataError(
        `stdin line ${received}: "${fields[0]}" is not a date`,
        "send DATE,PRICE with an ISO date (YYYY-MM-DD[THH:MM[:SS]]) or one price per line",
      );
    times.push(stamp);
    window.push(price);
    if (window.length > meta.steps) {
      window.shift();
      times.shift();
    }
    if (window.length < meta.steps) continue;
    const row = scorer.forecast(window, times)[0];
    process.stdout.write(`${shown === null ? row.join(",") : String(row[shown])}\n`);
    written++;
  }
  return { model: meta.model, received, written };
}

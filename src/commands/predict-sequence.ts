// `tsml predict -m <sequence model>`: one-step (or k-step) forecasts on the original price scale for every row
// with a full window, --recursive N forecasts fed back on themselves, or --stream scoring of stdin lines.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { makeProvenance } from "../artifacts/provenance.js";
import { tableMeta, writeTable } from "../artifacts/table-io.js";
import { tickerFileName, tickerTablePath, WORKSPACE_DIRS } from "../artifacts/workspace.js";
import { DataError, UsageError } from "../core/errors.js";
import { sha256File } from "../core/fingerprint.js";
import { isStdio } from "../core/stdio.js";
import { isoDateOrTime, parseIsoDate } from "../frame/dates.js";
import { Frame } from "../frame/frame.js";
import { loadBackend, parseBackend, type Tf } from "../models/sequence/backend.js";
import { predictDenseWindow } from "../models/sequence/dense-window.js";
import { predictWindows } from "../models/sequence/lstm-trainer.js";
import { jsEngine, lstmEngine, type MatMulEngine } from "../models/sequence/matmul-engine.js";
import {
  isSequenceModel,
  type LoadedSequenceModel,
  loadSequenceModel,
  META_FILE,
  sequenceFolder,
} from "../models/sequence/sequence-artifact.js";
import { applySeriesTransform, invertSeriesTransform } from "../models/sequence/series-transform.js";
import { everyWindowOutputs, priceForecasts } from "../models/sequence/window-forecasts.js";
import type { RunContext } from "./run-context.js";
import { readSequenceInput, sequenceInputPath } from "./sequence-input.js";

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

/** Forecasts, in model order: the next value(s) of one window per start. */
function forecast(
  loaded: LoadedSequenceModel,
  tf: Tf | null,
  engine: MatMulEngine,
  series: Float32Array | Float64Array,
  ends: number[],
): Float32Array {
  const { meta } = loaded;
  if (loaded.lstm) {
    const starts = ends.map((e) => e - meta.steps + 1);
    return predictWindows(loaded.lstm, series as Float32Array, starts, meta.steps, engine);
  }
  return predictDenseWindow(
    tf as Tf,
    loaded.layers as NonNullable<typeof loaded.layers>,
    series,
    ends,
    meta.steps,
  );
}

/** Turns raw network outputs for one window into output columns (original price scale / probabilities). */
function decode(
  loaded: LoadedSequenceModel,
  out: Float32Array,
  i: number,
  times: (k: number) => number,
): number[] {
  const { meta } = loaded;
  if (meta.model === "lstm") {
    const transform = meta.transform as NonNullable<typeof meta.transform>;
    return Array.from({ length: meta.horizon }, (_, k) =>
      invertSeriesTransform(transform, times(k), out[i * meta.horizon + k]),
    );
  }
  if (meta.model === "lstm-clf") {
    const p = 1 / (1 + Math.exp(-out[i]));
    return [p >= 0.5 ? 1 : 0, p];
  }
  const c = meta.classes.length;
  let best = 0;
  for (let k = 1; k < c; k++) if (out[i * c + k] > out[i * c + best]) best = k;
  return [meta.classes[best], ...Array.from({ length: c }, (_, k) => out[i * c + k])];
}

function columnNames(loaded: LoadedSequenceModel): string[] {
  const { meta } = loaded;
  if (meta.model === "lstm")
    return meta.horizon === 1
      ? ["prediction"]
      : Array.from({ length: meta.horizon }, (_, k) => `prediction_${k + 1}`);
  // pred / proba as `tsml predict` writes for classifiers, so the classifier backtest reads them unchanged.
  if (meta.model === "lstm-clf") return ["pred", "proba"];
  return ["pred", ...meta.classes.map((c) => `proba_${c}`)];
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
  let loaded = await loadSequenceModel(folder, backend?.tf ?? null);
  let tf = backend?.tf ?? null;
  if (!loaded.lstm && !tf) {
    tf = (await loadBackend(parseBackend(options.backend))).tf;
    loaded = await loadSequenceModel(folder, tf);
  }
  // Streaming scores one window at a time: plain JS beats a tensor round trip at batch 1 on tfjs backends.
  const engine = backend && backend.name !== "wasm" && options.stream ? jsEngine : lstmEngine(backend);
  return { loaded, tf, engine, folder };
}

/**
 * Scores a sequence model.
 * @example
 * await predictSequence({ model: "tsml-workspace/models/SPX/lstm", recursive: 10 }, ctx);
 */
export async function predictSequence(options: PredictSequenceOptions, ctx: RunContext) {
  const { loaded, tf, engine, folder } = await openModel(options, ctx);
  if (options.stream) return streamScores(loaded, tf, engine, ctx);
  const { meta } = loaded;
  const modelSha = await sha256File(join(folder, META_FILE));
  const modelId = `${meta.ticker}/${meta.model}@${modelSha.slice(0, 12)}`;
  const inputPath = sequenceInputPath(ctx.workspace, options.input, options.ticker ?? meta.ticker);
  const input = await readSequenceInput(inputPath, options.ticker, meta.target, ctx.workspace);
  const { time, values } = input;
  if (values.length < meta.steps)
    throw new DataError(`${inputPath}: ${values.length} rows, the model needs windows of ${meta.steps}`);
  const series = meta.transform ? applySeriesTransform(meta.transform, time, values) : values;
  const names = columnNames(loaded);
  const recursive = options.recursive === undefined ? 0 : Number(options.recursive);
  if (!Number.isInteger(recursive) || recursive < 0)
    throw new UsageError(`--recursive ${options.recursive}: expected a count`);
  let frame: Frame;
  if (recursive > 0) {
    if (meta.model !== "lstm") throw new UsageError("--recursive needs a regression model (lstm)");
    // Feed each forecast back as the newest input (the first step of a k-step head).
    const z = Float32Array.from({ length: meta.steps + recursive }, (_, i) =>
      i < meta.steps ? series[values.length - meta.steps + i] : 0,
    );
    const outTime = new Float64Array(recursive);
    const outValue = new Float64Array(recursive);
    const last = time[time.length - 1];
    for (let k = 0; k < recursive; k++) {
      const out = forecast(loaded, tf, engine, z, [meta.steps - 1 + k]);
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
    const ends = Array.from({ length: values.length - meta.steps + 1 }, (_, i) => i + meta.steps - 1);
    let columns: Float64Array[];
    if (loaded.lstm && meta.model === "lstm") {
      // The trainer's own test metrics come from this same routine (see window-forecasts.ts).
      const out = everyWindowOutputs(loaded.lstm, series as Float32Array, meta.steps, engine);
      const transform = meta.transform as NonNullable<typeof meta.transform>;
      columns = priceForecasts(out, transform, time, meta.steps, meta.horizon, meta.stepMs);
    } else {
      const out = forecast(loaded, tf, engine, series, ends);
      columns = names.map(() => new Float64Array(ends.length));
      ends.forEach((e, i) => {
        const row = decode(loaded, out, i, (k) =>
          e + 1 + k < time.length ? time[e + 1 + k] : time[e] + (k + 1) * meta.stepMs,
        );
        for (let c = 0; c < columns.length; c++) columns[c][i] = row[c];
      });
    }
    const rowTime = Float64Array.from(ends, (e) => time[e]);
    const outColumns = new Map(names.map((n, c) => [n, columns[c]]));
    const positive = outColumns.get(`proba_${meta.classes[1]}`);
    if (meta.model === "dense-window" && meta.classes.length === 2 && positive)
      outColumns.set("proba", positive);
    // The price the forecast is made after (backtests need it next to the signal; evaluate reads the value h
    // rows later as the realised target, the rows being consecutive bars of the model's series).
    outColumns.set(
      meta.target,
      Float64Array.from(ends, (e) => values[e]),
    );
    // A classifier's label column travels with its predictions, as tsml predict does for the other models.
    if (meta.label && meta.label !== meta.target && input.frame.has(meta.label)) {
      const labels = input.frame.get(meta.label);
      outColumns.set(
        meta.label,
        Float64Array.from(ends, (e) => labels[e]),
      );
    }
    frame = new Frame({
      time: rowTime,
      tickerCodes: new Uint32Array(rowTime.length),
      tickerNames: [input.ticker],
      columns: outColumns,
      text: new Map([["model_id", new Array<string>(rowTime.length).fill(modelId)]]),
    });
  }
  const output = options.output ?? tickerTablePath(ctx.workspace, "predictions", input.ticker);
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
    tableMeta("predictions", provenance, {
      modelId,
      model: meta.model,
      modelFolder: folder,
      ticker: input.ticker,
      task: meta.model === "lstm" ? "regression" : "classification",
      // What the predictions forecast: evaluate scores prediction_h against `target` h bars later.
      target: meta.target,
      horizon: meta.horizon,
      label: meta.model === "lstm" ? undefined : meta.label,
      splitDate: isoSplitDate(meta.split.splitDate),
      recursive,
      columns: names,
    }),
  );
  ctx.print(
    `${meta.model} ${input.ticker}: ${frame.length} ${recursive > 0 ? "recursive forecasts" : "predictions"} -> ${output}`,
  );
  return { model: meta.model, modelId, ticker: input.ticker, rows: frame.length, output };
}

/** The model's split date as YYYY-MM-DD (or a full ISO time for an intraday split); undefined when not recorded. */
function isoSplitDate(value: string | null | undefined): string | undefined {
  const ms = value ? parseIsoDate(value) : null;
  return ms === null ? undefined : isoDateOrTime(ms);
}

/** Seed 004's deployment: one price per stdin line ("price" or "date,price"), one prediction per line out. */
async function streamScores(
  loaded: LoadedSequenceModel,
  tf: Tf | null,
  engine: MatMulEngine,
  ctx: RunContext,
) {
  ctx.claimStdout();
  const { meta } = loaded;
  const window: number[] = [];
  const times: number[] = [];
  let received = 0;
  let written = 0;
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const raw of lines) {
    const line = raw.trim();
    if (line === "") continue;
    received++;
    const fields = line.split(/[,\s]+/);
    const price = Number(fields[fields.length - 1]);
    if (!Number.isFinite(price))
      throw new DataError(`stdin line ${received}: "${line}" is not a price`, "send one number per line");
    const stamp =
      fields.length > 1
        ? Date.parse(`${fields[0]}${fields[0].length === 10 ? "T00:00:00Z" : ""}`)
        : Number.NaN;
    times.push(Number.isNaN(stamp) ? meta.lastTime + received * meta.stepMs : stamp);
    window.push(price);
    if (window.length > meta.steps) {
      window.shift();
      times.shift();
    }
    if (window.length < meta.steps) continue;
    const t = Float64Array.from(times);
    const series = meta.transform
      ? applySeriesTransform(meta.transform, t, window)
      : Float64Array.from(window);
    const out = forecast(loaded, tf, engine, series, [meta.steps - 1]);
    const row = decode(loaded, out, 0, (k) => t[t.length - 1] + (k + 1) * meta.stepMs);
    const text =
      meta.model === "lstm" ? row.join(",") : meta.model === "lstm-clf" ? String(row[1]) : String(row[0]);
    process.stdout.write(`${text}\n`);
    written++;
  }
  return { model: meta.model, received, written };
}

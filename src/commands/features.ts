// `tsml features`: read bars artifacts, compute a feature set / indicators / labels per ticker, write features.

import { existsSync, readFileSync } from "node:fs";
import { readBars } from "../artifacts/kinds/bars-artifact.js";
import { featuresMeta } from "../artifacts/kinds/features-artifact.js";
import { writeTableFast } from "../artifacts/parquet-fast-writer.js";
import { makeProvenance } from "../artifacts/provenance.js";
import { tickersWith, tickerTablePath } from "../artifacts/workspace.js";
import { DataError, UsageError } from "../core/errors.js";
import { isStdio } from "../core/stdio.js";
import {
  computeFeatures,
  DEFAULT_FEATURE_SET,
  FEATURE_SETS,
  type FeatureOptions,
  type FeatureSetName,
} from "../features/compute-features.js";
import { parseIndicatorSpec } from "../features/indicator-spec.js";
import { parseLabelSpec } from "../features/labels/label-spec.js";
import { noRowsError } from "../features/no-rows.js";
import { parseIndexCsv } from "../features/normalise/deflate.js";
import { streamFeatures } from "../features/stream-features.js";
import { parseDateFlag } from "../frame/dates.js";
import type { RunContext } from "./support/run-context.js";
import { emptyShard, ownsShardTicker, shardTickers } from "./support/shard-tickers.js";

export interface FeaturesOptions {
  input?: string;
  /** `--queue URL`: one job per ticker on the queue (cli/queued-batch.ts), never seen here. */
  queue?: string;
  output?: string;
  ticker?: string;
  set?: string;
  indicators?: string;
  labels?: string;
  spec?: string;
  keepIncomplete?: boolean;
  deflate?: string;
  detrend?: string;
  fitUntil?: string;
}

/** The --spec JSON file: the same settings as the flags (flags win). */
interface SpecFile {
  set?: string;
  indicators?: string | string[];
  labels?: string | string[];
  keepIncomplete?: boolean;
  deflate?: string;
  detrend?: string;
  fitUntil?: string;
}

export async function runFeatures(options: FeaturesOptions, ctx: RunContext) {
  const merged = { ...readSpec(options.spec), ...definedOnly(options) };
  const featureOptions = toFeatureOptions(merged);
  const jobs = planJobs(options, ctx);
  if (jobs.length === 0) return emptyShard(ctx, "features");
  const outputs: { ticker: string; path: string; rows: number; rowsIn: number }[] = [];
  let summary: { features: string[]; labels: unknown[] } = { features: [], labels: [] };
  for (const job of jobs) {
    const label = job.input === "-" ? "<stdin>" : job.input;
    // Large panels stream a batch of tickers at a time and are written as they go; small ones are read whole.
    const streamed = await streamFeatures(job.input, job.output, featureOptions, label, job);
    const { frame: bars, path } = streamed ?? (await readBars(job.input, { ticker: job.namedFor }));
    const selected = job.ticker && bars.tickerNames.length > 1 ? bars.forTicker(job.ticker) : bars;
    const result = streamed?.result ?? computeFeatures(selected, featureOptions, label);
    // Zero rows is an error, not an empty artifact: nothing downstream can use it, and the cause is fixable.
    const what = featureOptions.set ?? "--indicators/--labels";
    if (result.rows === 0) {
      if (result.empty.length === 0)
        throw new DataError(
          `features: ${label} has no bars`,
          "ingest some bars first, or pick another -i file",
        );
      throw noRowsError(label, what, result.empty[0]);
    }
    for (const e of result.empty) ctx.log.warn(noRowsError(label, what, e).message);
    const details = {
      set: featureOptions.set ?? null,
      labels: result.labels,
      features: result.features,
      keepIncomplete: featureOptions.keepIncomplete ?? false,
      tickers: streamed?.tickers ?? result.parts.filter((p) => p.length > 0).map((p) => p.ticker(0)),
    };
    const provenance = await makeProvenance({
      command: ctx.commandLine,
      options: { ...merged },
      seed: ctx.seed,
      inputs: isStdio(job.input) ? [] : [path],
    });
    if (isStdio(job.output)) ctx.claimStdout();
    const meta = featuresMeta(provenance, details);
    await (streamed ? streamed.commit(meta) : writeTableFast(job.output, result.parts, meta));
    const tickers = details.tickers;
    outputs.push({
      ticker: tickers.length === 1 ? tickers[0] : `${tickers.length} tickers`,
      path: job.output,
      rows: result.rows,
      rowsIn: result.rowsIn,
    });
    summary = { features: result.features, labels: result.labels };
    ctx.print(
      `features ${outputs[outputs.length - 1].ticker || "(all)"}: ${result.rowsIn} bars -> ${result.rows} rows, ` +
        `${result.features.length} features, labels ${result.labels.map((l) => l.name).join(", ") || "none"} -> ${job.output}`,
    );
  }
  return { outputs, ...summary };
}

interface Job {
  input: string;
  output: string;
  ticker?: string;
  /** Workspace inputs: the ticker the file is named for, checked against the tickers it holds. */
  namedFor?: string;
}

function planJobs(options: FeaturesOptions, ctx: RunContext): Job[] {
  if (options.input) {
    const output =
      options.output ??
      (options.ticker ? tickerTablePath(ctx.workspace, "features", options.ticker) : undefined);
    if (!output)
      throw new UsageError("features: with -i, give -o FILE or --ticker T (to write features/<T>.parquet)");
    // With --shard, -o is refused (cli/shard-options.ts), so a sharded -i run names its --ticker.
    if (options.ticker && !ownsShardTicker(ctx, options.ticker)) return [];
    return [{ input: options.input, output, ticker: options.ticker }];
  }
  const tickers = options.ticker ? [options.ticker] : tickersWith(ctx.workspace, "bars");
  if (tickers.length === 0)
    throw new DataError(
      `features: no bars in ${ctx.workspace}/bars`,
      "run tsml ingest first, or pass -i FILE",
    );
  if (options.output && tickers.length > 1)
    throw new UsageError("features: -o needs a single input; pass --ticker T or -i FILE");
  return shardTickers(ctx, tickers, "features").map((ticker) => {
    const input = tickerTablePath(ctx.workspace, "bars", ticker);
    if (!existsSync(input))
      throw new DataError(`features: ${input} not found`, `run tsml ingest ... --ticker ${ticker} first`);
    return {
      input,
      output: options.output ?? tickerTablePath(ctx.workspace, "features", ticker),
      ticker,
      namedFor: ticker,
    };
  });
}

function readSpec(path: string | undefined): Partial<FeaturesOptions> {
  if (!path) return {};
  if (!existsSync(path)) throw new UsageError(`--spec: ${path} not found`);
  let spec: SpecFile;
  try {
    spec = JSON.parse(readFileSync(path, "utf8")) as SpecFile;
  } catch (error) {
    throw new UsageError(`--spec: ${path} is not valid JSON (${(error as Error).message})`);
  }
  const join = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(",") : v);
  return definedOnly({
    set: spec.set,
    indicators: join(spec.indicators),
    labels: join(spec.labels),
    keepIncomplete: spec.keepIncomplete,
    deflate: spec.deflate,
    detrend: spec.detrend,
    fitUntil: spec.fitUntil,
  });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function toFeatureOptions(o: Partial<FeaturesOptions>): FeatureOptions {
  if (o.set !== undefined && !(FEATURE_SETS as readonly string[]).includes(o.set))
    throw new UsageError(`--set: unknown feature set "${o.set}"`, `known: ${FEATURE_SETS.join(", ")}`);
  const set = (o.set ?? (o.indicators || o.labels ? undefined : DEFAULT_FEATURE_SET)) as
    | FeatureSetName
    | undefined;
  const indicators = o.indicators ? parseIndicatorSpec(o.indicators) : undefined;
  // Without a set, indicators need a target to be trainable: tomorrow's direction, unless --labels says otherwise.
  const labels = o.labels ? parseLabelSpec(o.labels) : set ? undefined : parseLabelSpec("up_down_tm");
  const out: FeatureOptions = { set, indicators, labels, keepIncomplete: Boolean(o.keepIncomplete) };
  if (o.deflate) out.deflateBy = parseIndexCsv(readIndexFile(o.deflate), o.deflate);
  if (o.detrend !== undefined) {
    if (o.detrend !== "linear")
      throw new UsageError(`--detrend: "${o.detrend}" is not supported`, "use --detrend linear");
    if (!o.fitUntil)
      throw new UsageError("--detrend linear needs --fit-until DATE (the end of the training window)");
    out.detrendUntil = parseDateFlag(o.fitUntil, "--fit-until");
  } else if (o.fitUntil) throw new UsageError("--fit-until only applies with --detrend linear");
  return out;
}

function readIndexFile(path: string): string {
  if (!existsSync(path))
    throw new UsageError(
      `--deflate: ${path} not found`,
      "give a CSV of date,value rows (e.g. FRED CPIAUCSL)",
    );
  return readFileSync(path, "utf8");
}

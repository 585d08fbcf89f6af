// `tsml backtest -i PANEL -o OUT` on panels larger than memory: the panel is read a batch of whole tickers at
// a time, each ticker is backtested exactly as the in-memory path does (runBacktest), and its artifact rows go
// straight to a Parquet stream. What the summary still needs afterwards is kept per ticker: the dates, the
// price and the profit (24 bytes a row, where the artifact holds 96), so the combined line and the metrics are
// the in-memory path's own. Small inputs, single tickers and inputs this path does not cover are read whole.

import { ParquetStreamWriter } from "../artifacts/parquet-stream-writer.js";
import { openTickerBatches, type TickerBatchSource } from "../artifacts/parquet-ticker-batches.js";
import { MissingColumnError, type TableMeta } from "../artifacts/table-io.js";
import { DataError } from "../core/errors.js";
import { isStdio } from "../core/stdio.js";
import { isoDateOrTime, requireSplitInside } from "../frame/dates.js";
import { Frame } from "../frame/frame.js";
import { type BacktestOptions, type BacktestResult, runBacktest } from "./run-backtest.js";

/** Inputs with more rows than this stream (TSML_STREAM_ROWS overrides; 0 streams everything). */
const DEFAULT_STREAM_ROWS = 2_000_000;
/** Rows per batch (whole tickers; TSML_STREAM_BATCH_ROWS overrides). */
const DEFAULT_BATCH_ROWS = 262_144;

/** Columns the backtest reads when present (commands/backtest's NEEDED). */
const NEEDED = ["price", "close", "open", "delta_tm", "pred", "prediction"];

export interface StreamBacktestRequest {
  input?: string;
  output?: string;
  model?: string;
  signal?: string;
  /** --ticker, split on commas; empty = every ticker. */
  tickers: readonly string[];
  /** True when --split-date was given (base.splitTime is then the split). */
  splitDateGiven: boolean;
}

/** One ticker as the command's summary reads it: its dates only (the values went to the artifact). */
export interface StreamedInput {
  ticker: string;
  frame: Frame;
  path: string;
  splitDate: string | null;
  modelId: string | null;
}

export interface StreamedBacktest {
  inputs: StreamedInput[];
  /** runBacktest's results with only `price` and `profit` left in `columns`. */
  results: { input: StreamedInput; result: BacktestResult; splitTime: number }[];
  commit(meta: TableMeta): Promise<void>;
}

function setting(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new DataError(`${name}: "${raw}" is not a whole number >= ${min}`);
  return value;
}

/**
 * Backtests a large panel batch by batch when it qualifies; null when the caller should read it whole.
 * Warnings (cash below zero) go to `warn` as the in-memory loop words them.
 */
export async function streamBacktest(
  request: StreamBacktestRequest,
  base: BacktestOptions,
  warn: (message: string) => void,
): Promise<StreamedBacktest | null> {
  const { input, output, signal } = request;
  if (!input || !output || request.model || isStdio(input) || isStdio(output)) return null;
  const streamRows = setting("TSML_STREAM_ROWS", DEFAULT_STREAM_ROWS, 0);
  const batchRows = setting("TSML_STREAM_BATCH_ROWS", DEFAULT_BATCH_ROWS, 1);
  let source: TickerBatchSource | null;
  try {
    source = await openTickerBatches(input, input, {
      kinds: ["predictions", "features", "bars"],
      columns: signal ? [signal] : [],
      optionalColumns: NEEDED,
      minRows: streamRows,
    });
  } catch (error) {
    if (error instanceof MissingColumnError && error.column === signal)
      throw new DataError(
        `${input}: no signal column "${signal}" (columns: ${error.available.join(", ")})`,
        "pass --signal with a 0/1 column of this table, e.g. macd_binary",
      );
    throw error;
  }
  if (!source || source.totalRows <= streamRows) return null;
  const columns = source.columns;
  const signalName = signal ?? "pred";
  const selected = source.runs.filter(
    (r) => request.tickers.length === 0 || request.tickers.includes(r.ticker),
  );
  // What the in-memory path words or decides differently is left to it: a recorded split (predictions), the
  // `prediction` default, next-open without opens (read from the workspace), no price, a missing ticker.
  if (
    selected.length < 2 ||
    (source.meta?.kind === "predictions" && !request.splitDateGiven) ||
    (!signal && source.meta?.kind !== "predictions") ||
    !columns.includes(signalName) ||
    (base.execution === "next-open" && !columns.includes("open")) ||
    !(columns.includes("price") || columns.includes("close"))
  )
    return null;
  // A predictions table's recorded split and model, as the in-memory path records them.
  const recorded = source.meta?.kind === "predictions" ? source.meta.details : {};
  const text = (v: unknown) => (typeof v === "string" ? v : null);
  const only = selected.length < source.runs.length ? new Set(selected.map((r) => r.ticker)) : undefined;

  // Pass 1, dates only: each ticker's split is checked before anything is written.
  const times = await readDates(source, batchRows, only);
  if (!times) return null;
  for (const run of selected)
    if (request.splitDateGiven)
      requireSplitInside(times.get(run.ticker)!, base.splitTime, "--split-date", run.ticker, false);

  // Pass 2: the values, a batch at a time, backtested and written.
  const writer = ParquetStreamWriter.open(output);
  try {
    const inputs: StreamedInput[] = [];
    const results: StreamedBacktest["results"] = [];
    for await (const batch of source.batches(batchRows, only)) {
      for (const group of batch.groups()) {
        if (only && !only.has(group.ticker)) continue;
        const time = times.get(group.ticker)!;
        const column = (name: string) =>
          columns.includes(name) ? batch.get(name).subarray(group.start, group.end) : null;
        const price = (column("price") ?? column("close"))!;
        const result = runBacktest(
          {
            time,
            price,
            open: base.execution === "next-open" ? column("open") : null,
            signal: column(signalName)!,
            deltaTm: column("delta_tm"),
          },
          // Annualised by the ticker's own bars (--periods-per-year when given), as the in-memory path does.
          base,
        );
        await writer.append([
          new Frame({
            time,
            tickerCodes: new Uint32Array(time.length),
            tickerNames: [group.ticker],
            columns: result.columns,
          }),
        ]);
        if (result.minCash < -1e-9 * Math.max(1, Math.abs(result.capital)))
          warn(
            `${group.ticker}: cash goes negative (lowest ${result.minCash.toFixed(2)} on ` +
              `${isoDateOrTime(time[result.minCashRow])}): the positions are levered beyond the ` +
              `capital of ${result.capital.toFixed(2)}; raise --capital or size with --sizing percent-equity`,
          );
        // Copies, so the batch's buffers are not kept alive by a view.
        const kept = new Map([
          ["price", price.slice()],
          ["profit", result.columns.get("profit")!],
        ]);
        const streamed: StreamedInput = {
          ticker: group.ticker,
          frame: Frame.fromColumns(group.ticker, time, new Map()),
          path: input,
          splitDate: text(recorded.splitDate),
          modelId: text(recorded.modelId),
        };
        inputs.push(streamed);
        results.push({ input: streamed, result: { ...result, columns: kept }, splitTime: base.splitTime });
      }
    }
    return { inputs, results, commit: (meta) => writer.commit(meta) };
  } catch (error) {
    await writer.discard();
    throw error;
  }
}

/** Each selected ticker's dates (views of one array), or null when some ticker's dates are not increasing. */
async function readDates(
  source: TickerBatchSource,
  batchRows: number,
  only: ReadonlySet<string> | undefined,
): Promise<Map<string, Float64Array> | null> {
  const out = new Map<string, Float64Array>();
  for await (const batch of source.batches(batchRows * 8, only, [])) {
    for (const group of batch.groups()) {
      if (only && !only.has(group.ticker)) continue;
      const time = batch.time.slice(group.start, group.end);
      for (let i = 1; i < time.length; i++) if (!(time[i] >= time[i - 1])) return null;
      out.set(group.ticker, time);
    }
  }
  return out;
}

// The metrics history: one DuckDB file in the workspace (metrics/history.duckdb), one row per metric per run,
// so `tsml evaluate --history` can show how sMAPE or ROC AUC moved over time (seed 003 keeps the same trail).

import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { WORKSPACE_DIRS } from "../artifacts/workspace.js";
import { duckdbApi } from "../core/duckdb-api.js";
import { SourceError } from "../core/errors.js";
import { redact } from "../core/redact.js";

export const HISTORY_TABLE = "metrics_history";

/** Where a workspace keeps its metrics history. */
export function historyFile(workspace: string): string {
  return join(workspace, WORKSPACE_DIRS.metrics, "history.duckdb");
}

/** One evaluation run's metrics for one ticker. */
export interface HistoryEntry {
  /** Epoch ms of the run. */
  time: number;
  ticker: string;
  modelId: string | null;
  /** What was evaluated: predictions, backtest, or a file path. */
  source: string;
  /** sha256 of the evaluated input. */
  fingerprint: string;
  metrics: Readonly<Record<string, number>>;
}

export interface HistoryRow {
  time: number;
  ticker: string;
  modelId: string | null;
  metric: string;
  value: number;
}

const CREATE = `CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (
  run_time TIMESTAMP, ticker VARCHAR, model_id VARCHAR, source VARCHAR, fingerprint VARCHAR,
  metric VARCHAR, value DOUBLE)`;

/** How long an open waits for another process (a shard evaluating beside this one) to let the file go. */
const LOCK_WAIT_MS = 60_000;

/** DuckDB lets one process at a time open a file for writing: shards of `evaluate` take turns, briefly. */
async function createInstance(path: string) {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    try {
      return await duckdbApi().DuckDBInstance.create(path);
    } catch (error) {
      const held = /lock/i.test(String((error as Error)?.message));
      if (!held || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
    }
  }
}

async function open(path: string) {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const instance = await createInstance(path);
    const connection = await instance.connect();
    await connection.run(CREATE);
    return {
      connection,
      close: () => {
        connection.closeSync();
        instance.closeSync();
      },
    };
  } catch (error) {
    throw new SourceError(
      `${path}: cannot open the metrics history (${String((error as Error).message).split("\n")[0]})`,
      "another tsml process may hold it open; retry, or pass --no-record",
    );
  }
}

/** Appends entries (long format: one row per metric; NaN stored as NULL). */
export async function appendHistory(path: string, entries: readonly HistoryEntry[]): Promise<number> {
  const db = await open(path);
  let rows = 0;
  try {
    const appender = await db.connection.createAppender(HISTORY_TABLE);
    const { DuckDBTimestampValue } = duckdbApi();
    for (const e of entries) {
      for (const [metric, value] of Object.entries(e.metrics)) {
        appender.appendTimestamp(new DuckDBTimestampValue(BigInt(Math.round(e.time)) * 1000n));
        appender.appendVarchar(e.ticker);
        if (e.modelId === null) appender.appendNull();
        else appender.appendVarchar(e.modelId);
        // A source may be a path or URL typed by the user: never store a secret in the history.
        appender.appendVarchar(redact(e.source));
        appender.appendVarchar(e.fingerprint);
        appender.appendVarchar(metric);
        if (Number.isFinite(value)) appender.appendDouble(value);
        else appender.appendNull();
        appender.endRow();
        rows++;
      }
    }
    appender.flushSync();
    appender.closeSync();
  } finally {
    db.close();
  }
  return rows;
}

/** Reads the history in time order, optionally for one ticker and some metrics. */
export async function readHistory(
  path: string,
  filter: { ticker?: string; metrics?: readonly string[] } = {},
): Promise<HistoryRow[]> {
  const db = await open(path);
  try {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.ticker) {
      where.push(`ticker = $${params.length + 1}`);
      params.push(filter.ticker);
    }
    if (filter.metrics && filter.metrics.length > 0) {
      where.push(`metric IN (${filter.metrics.map((_, i) => `$${params.length + i + 1}`).join(", ")})`);
      params.push(...filter.metrics);
    }
    const sql = `SELECT epoch_ms(run_time) AS t, ticker, model_id, metric, value FROM ${HISTORY_TABLE}
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY run_time, ticker, metric`;
    const reader = await db.connection.runAndReadAll(sql, params);
    return reader.getRows().map(([t, ticker, model, metric, value]) => ({
      time: Number(t),
      ticker: String(ticker),
      modelId: model === null ? null : String(model),
      metric: String(metric),
      value: value === null ? Number.NaN : Number(value),
    }));
  } finally {
    db.close();
  }
}

/** The model a history row belongs to, across retrains: `SPX/rf@17316d584b72` -> `SPX/rf` (the hash changes). */
export function modelOf(modelId: string | null): string | null {
  return modelId === null ? null : modelId.replace(/@[^@]*$/, "");
}

/**
 * The latest recorded run's metrics for a ticker and model (matched without the model's hash, so a retrained
 * model compares with its predecessor): what a gate's `previous` reads. Null when there is no such run.
 */
export async function previousMetrics(
  path: string,
  ticker: string,
  modelId: string | null,
): Promise<Record<string, number> | null> {
  if (!existsSync(path)) return null;
  const model = modelOf(modelId);
  const rows = (await readHistory(path, { ticker })).filter((r) => modelOf(r.modelId) === model);
  if (rows.length === 0) return null;
  const latest = rows[rows.length - 1].time;
  return Object.fromEntries(rows.filter((r) => r.time === latest).map((r) => [r.metric, r.value]));
}

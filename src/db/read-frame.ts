// Reads a table or query into a Frame, streaming batches into growable typed arrays (memory grows with the
// result's numbers, not with row objects). Date/time column -> time, ticker/symbol -> ticker, numbers kept.

import { existsSync } from "node:fs";
import { DataError, SourceError, TsmlError } from "../core/errors.js";
import { Frame } from "../frame/frame.js";
import { type DbCell, dbError, withDb } from "./db-client.js";
import { type DbUrl, parseDbUrl, scrubSecrets } from "./db-url.js";
import { quoteTable } from "./identifier.js";
import { checkReadOnlyQuery, refuseWrite } from "./read-only-query.js";

export interface ReadFrameOptions {
  table?: string;
  query?: string;
  /** Rows per fetched batch (default 5000). */
  batchRows?: number;
  /** Ticker for rows when the result has no ticker/symbol column. */
  defaultTicker?: string;
  /** Column names (case-insensitive) to use as time and ticker, overriding the defaults. */
  timeColumn?: string;
  tickerColumn?: string;
}

export interface ReadFrameResult {
  /** Unsorted, as returned; numeric columns under their database names. */
  frame: Frame;
  columns: string[];
  /** Columns left out because they are neither numeric nor the time/ticker column. */
  ignored: string[];
}

const TIME_NAMES = ["date", "time", "timestamp", "datetime", "day"];
const TICKER_NAMES = ["ticker", "symbol"];

/** "2020-01-02", "2020-01-02 10:00:00", "2020-01-02T10:00:00.5+02", "2020-01-02 10:00:00+00" -> epoch ms. */
export function parseDbTime(value: DbCell): number {
  if (value === null) return Number.NaN;
  if (typeof value === "number" || typeof value === "bigint") return Number.NaN;
  const m =
    /^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/.exec(
      String(value),
    );
  if (!m) return Number.NaN;
  let ms = Date.UTC(+m[1], +m[2] - 1, +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0);
  // Date.UTC reads years 0-99 as 1900-1999: 0001-01-01 must not become 1901-01-01.
  if (+m[1] < 100) ms = new Date(ms).setUTCFullYear(+m[1]);
  if (m[7]) ms += Math.round(Number(m[7]) * 1000);
  const zone = m[8];
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
  }
  return ms;
}

/**
 * PostgreSQL and MySQL refuse writes in a read-only transaction with SQLSTATE 25006 (MySQL error 1792);
 * PostgreSQL refuses `WITH d AS (DELETE ...) SELECT` in the read cursor before that.
 */
function isReadOnlyViolation(error: unknown): boolean {
  const e = error as { code?: unknown; sqlState?: unknown; errno?: unknown } | null;
  if (e?.code === "25006" || e?.sqlState === "25006" || e?.errno === 1792) return true;
  return /data-modifying statements/i.test(errorText(error));
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

function numeric(value: DbCell): number {
  if (value === null) return Number.NaN;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  const t = value.trim();
  return t === "" ? Number.NaN : Number(t);
}

class Column {
  data = new Float64Array(4096);
  push(i: number, value: number) {
    if (i >= this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = value;
  }
}

/**
 * @example
 * const { frame } = await readFrame("duckdb:prices.duckdb", { table: "bars" });
 */
export async function readFrame(url: DbUrl | string, options: ReadFrameOptions): Promise<ReadFrameResult> {
  const parsed = typeof url === "string" ? parseDbUrl(url) : url;
  if (!options.table === !options.query) throw new DataError("readFrame: give exactly one of table or query");
  // Checked before connecting: every engine refuses a write or a stacked statement with the same line.
  const query = options.query === undefined ? undefined : checkReadOnlyQuery(options.query, parsed.dialect);
  // Reading must not create an empty DuckDB file as a side effect of a typo.
  if (parsed.dialect === "duckdb" && parsed.path !== ":memory:" && !existsSync(parsed.path!)) {
    throw new SourceError(`database ${parsed.display}: no such file`, "check the path after duckdb:");
  }
  return withDb(parsed, async (db) => {
    const quoted = options.table ? quoteTable(parsed.dialect, options.table) : "";
    const sql = options.table ? `SELECT * FROM ${quoted}` : query!;
    const source = options.table ? `table ${options.table}` : "query";
    let roles: {
      time: number;
      ticker: number;
      numeric: number[];
      names: string[];
      ignored: string[];
    } | null = null;
    const time = new Column();
    const codes = new Column();
    const tickerNames: string[] = [];
    const codeOf = new Map<string, number>();
    let numericColumns: Column[] = [];
    let n = 0;
    const defaultTicker = options.defaultTicker ?? "";
    try {
      await db.stream(sql, options.batchRows ?? 5000, (columns, rows) => {
        if (!roles) {
          roles = assignRoles(columns, rows, options, source);
          numericColumns = roles.numeric.map(() => new Column());
        }
        const r = roles;
        for (const row of rows) {
          const t = parseDbTime(row[r.time]);
          if (Number.isNaN(t)) {
            throw new DataError(
              `${parsed.display} ${source}: row ${n + 1}, column "${r.names[r.time]}": "${row[r.time]}" is not a date`,
            );
          }
          time.push(n, t);
          const ticker = r.ticker >= 0 && row[r.ticker] !== null ? String(row[r.ticker]) : defaultTicker;
          let code = codeOf.get(ticker);
          if (code === undefined) {
            code = tickerNames.length;
            tickerNames.push(ticker);
            codeOf.set(ticker, code);
          }
          codes.push(n, code);
          for (let c = 0; c < r.numeric.length; c++) numericColumns[c].push(n, numeric(row[r.numeric[c]]));
          n++;
        }
      });
    } catch (error) {
      if (error instanceof TsmlError) throw error;
      if (isReadOnlyViolation(error)) throw refuseWrite(scrubSecrets(errorText(error), parsed));
      throw dbError(parsed, error, `reading ${source}`);
    }
    const r = roles as { numeric: number[]; names: string[]; ignored: string[] } | null;
    if (!r) throw new DataError(`${parsed.display} ${source}: the result has no columns`);
    if (tickerNames.length === 0) tickerNames.push(defaultTicker);
    const frame = new Frame({
      time: time.data.slice(0, n),
      tickerCodes: Uint32Array.from(codes.data.subarray(0, n)),
      tickerNames,
      columns: new Map(r.numeric.map((c, k) => [r.names[c], numericColumns[k].data.slice(0, n)])),
    });
    return { frame, columns: r.names, ignored: r.ignored };
  });
}

function assignRoles(columns: string[], rows: DbCell[][], options: ReadFrameOptions, source: string) {
  const lower = columns.map((c) => c.toLowerCase());
  const firstValue = (c: number) => rows.find((row) => row[c] !== null)?.[c] ?? null;
  let time = options.timeColumn
    ? lower.indexOf(options.timeColumn.toLowerCase())
    : lower.findIndex((c) => TIME_NAMES.includes(c));
  if (time < 0 && !options.timeColumn)
    time = columns.findIndex((_, c) => !Number.isNaN(parseDbTime(firstValue(c))));
  if (time < 0) {
    throw new DataError(
      `${source}: no date/time column (columns: ${columns.join(", ")})`,
      "name it date or time, or map it with --map COLUMN=date",
    );
  }
  const ticker = options.tickerColumn
    ? lower.indexOf(options.tickerColumn.toLowerCase())
    : lower.findIndex((c) => TICKER_NAMES.includes(c));
  const numericIdx: number[] = [];
  const ignored: string[] = [];
  columns.forEach((name, c) => {
    if (c === time || c === ticker) return;
    const v = firstValue(c);
    if (
      v === null ||
      typeof v === "number" ||
      typeof v === "bigint" ||
      typeof v === "boolean" ||
      !Number.isNaN(Number(v))
    )
      numericIdx.push(c);
    else ignored.push(name);
  });
  return { time, ticker, numeric: numericIdx, names: columns, ignored };
}

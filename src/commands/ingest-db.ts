// `tsml ingest db --url URL (--table T | --query SQL)`: reads a database table into canonical bars, mapping
// columns like CSV ingest (seed 000's `time, price, high, low, volume` works as is) and validating like it.

import { DataError, UsageError } from "../core/errors.js";
import { parseDbUrl } from "../db/db-url.js";
import { validateTableName } from "../db/identifier.js";
import { readFrame } from "../db/read-frame.js";
import {
  assembleBars,
  PRICE_FIELDS,
  type PriceField,
  parseDedupe,
  REQUIRED_PRICE_FIELDS,
} from "../ingest/bars-schema.js";
import { type BarField, parseColumnMap, resolveColumns } from "../ingest/csv/header-aliases.js";
import { publishBars } from "./support/publish-bars.js";
import type { RunContext } from "./support/run-context.js";
import { toDbTarget } from "./support/to-db-target.js";

export interface IngestDbOptions {
  url: string;
  table?: string;
  query?: string;
  ticker?: string;
  map?: string[];
  dedupe?: string;
  output?: string;
  toDb?: string;
  toTable?: string;
}

export async function ingestDb(options: IngestDbOptions, ctx: RunContext): Promise<unknown> {
  const url = parseDbUrl(options.url, "--url");
  if (Boolean(options.table) === Boolean(options.query)) {
    throw new UsageError(
      "give exactly one of --table T or --query SQL",
      "e.g. tsml ingest db --url duckdb:prices.duckdb --table bars",
    );
  }
  if (options.table) validateTableName(options.table);
  const columnMap = parseColumnMap(options.map ?? []);
  const dedupe = parseDedupe(options.dedupe);
  const toDb = toDbTarget(options as unknown as Record<string, unknown>, "toTable");
  const mappedTo = (field: BarField) => [...columnMap].find(([, f]) => f === field)?.[0];
  const read = await readFrame(url, {
    table: options.table,
    query: options.query,
    defaultTicker: options.ticker ?? options.table ?? "query",
    timeColumn: mappedTo("date"),
    tickerColumn: mappedTo("ticker"),
  });
  const source = `${url.display} ${options.table ? `table ${options.table}` : "query"}`;
  const raw = read.frame;
  const names = raw.columnNames;
  const roles = resolveColumns(names, columnMap);
  const columns = new Map<PriceField, Float64Array>();
  for (const field of PRICE_FIELDS) if (roles[field] >= 0) columns.set(field, raw.get(names[roles[field]]));
  if (!columns.has("close")) {
    throw new DataError(
      `${source}: no close/price column (columns: ${read.columns.join(", ")})`,
      "map one with --map COLUMN=close",
    );
  }
  const derived: PriceField[] = [];
  for (const field of REQUIRED_PRICE_FIELDS) {
    if (!columns.has(field)) {
      columns.set(field, columns.get("close")!);
      derived.push(field);
    }
  }
  const ordered = new Map(PRICE_FIELDS.filter((f) => columns.has(f)).map((f) => [f, columns.get(f)!]));
  const assembled = assembleBars(
    [
      {
        file: source,
        time: raw.time,
        tickerCodes: raw.tickerCodes,
        tickerNames: [...raw.tickerNames],
        line: Uint32Array.from({ length: raw.length }, (_, i) => i + 1),
        columns: ordered,
        derivedFromClose: derived,
        skippedNull: new Map(),
        openMissing: new Map(),
      },
    ],
    dedupe,
  );
  if (assembled.frame.length === 0) throw new DataError(`${source}: no rows`);
  if (read.ignored.length > 0) ctx.log.info(`ignored non-numeric column(s): ${read.ignored.join(", ")}`);
  return publishBars(
    assembled.frame,
    assembled,
    {
      source: "db",
      output: options.output,
      options: { ...options },
      inputs: [url.display],
      details: { url: url.display },
      toDb,
    },
    ctx,
  );
}

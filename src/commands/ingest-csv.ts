// `tsml ingest csv FILE...`: parse CSV files into canonical bars, check them, and publish them.

import type { InputFingerprint } from "../artifacts/provenance.js";
import { isStdio, spoolStdin } from "../core/stdio.js";
import { adjustBars } from "../ingest/adjust.js";
import { assembleBars, parseDedupe, type RawBars } from "../ingest/bars-schema.js";
import { parseColumnMap } from "../ingest/csv/header-aliases.js";
import { readCsvBars } from "../ingest/csv/read-csv-bars.js";
import { publishBars } from "./support/publish-bars.js";
import type { RunContext } from "./support/run-context.js";

export interface IngestCsvOptions {
  ticker?: string;
  map?: string[];
  adjust?: boolean;
  dedupe?: string;
  output?: string;
  /** --to-db URL and its --table: the bars are also upserted there. */
  toDb?: string;
  table?: string;
}

/**
 * Reads every file (stdin for `-`), stacks and checks them, optionally back-adjusts, and publishes the bars.
 * @example
 * await ingestCsv(["spx.csv"], { ticker: "SPX" }, ctx); // -> <workspace>/bars/SPX.parquet
 */
export async function ingestCsv(
  files: string[],
  options: IngestCsvOptions,
  ctx: RunContext,
): Promise<unknown> {
  const columnMap = parseColumnMap(options.map ?? []);
  const dedupe = parseDedupe(options.dedupe);
  const parts: RawBars[] = [];
  const inputs: (string | InputFingerprint)[] = [];
  for (const file of files) {
    if (isStdio(file)) {
      const spooled = await spoolStdin("stdin.csv");
      try {
        const raw = await readCsvBars(spooled.path, {
          label: "<stdin>",
          ticker: options.ticker ?? "stdin",
          columnMap,
        });
        parts.push(raw);
        inputs.push({ path: "-", sha256: raw.sha256 });
      } finally {
        await spooled.cleanup();
      }
    } else {
      const raw = await readCsvBars(file, { ticker: options.ticker, columnMap });
      parts.push(raw);
      inputs.push({ path: file, sha256: raw.sha256 });
    }
  }
  const assembled = assembleBars(parts, dedupe);
  const frame = options.adjust ? adjustBars(assembled.frame, files.join(", ")) : assembled.frame;
  return publishBars(
    frame,
    assembled,
    {
      source: "csv",
      output: options.output,
      options: { ...options },
      inputs,
      details: { adjusted: Boolean(options.adjust) },
    },
    ctx,
  );
}

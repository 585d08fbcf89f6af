// The one entry to the DuckDB package. Loaded on first use, through require: Node's ESM loader lexes every file
// of this CommonJS package for named exports (about 100 ms), require about 45 ms, and `tsml --help` or a
// command that never touches Parquet or a database pays nothing. Import only its types elsewhere.

import { createRequire } from "node:module";
import type * as DuckDBApi from "@duckdb/node-api";

let api: typeof DuckDBApi | undefined;

/** The `@duckdb/node-api` module, required on the first call. */
export function duckdbApi(): typeof DuckDBApi {
  api ??= createRequire(import.meta.url)("@duckdb/node-api") as typeof DuckDBApi;
  return api;
}

// `--to-db URL --table T` (every ingest): checked before any work, so a hostile table name or a bad URL
// fails with exit 2 before anything is fetched or written.

import { UsageError } from "../../core/errors.js";
import { parseDbUrl } from "../../db/db-url.js";
import { validateTableName } from "../../db/identifier.js";

export interface ToDbTarget {
  url: string;
  table: string;
}

/**
 * Reads `toDb` and the table option (`table`, or `toTable` for `ingest db`, whose --table is the source).
 * @example
 * toDbTarget({ toDb: "duckdb:bars.duckdb", table: "daily_bars" }) // { url, table }
 */
export function toDbTarget(options: Record<string, unknown>, tableKey = "table"): ToDbTarget | undefined {
  const url = options.toDb;
  const table = options[tableKey];
  const tableFlag = tableKey === "toTable" ? "--to-table" : "--table";
  if (url === undefined || url === null || url === false) {
    if (typeof table === "string" && tableKey !== "table")
      throw new UsageError(`${tableFlag} needs --to-db URL`);
    if (typeof table === "string")
      throw new UsageError("--table needs --to-db URL", "e.g. --to-db duckdb:bars.duckdb --table daily_bars");
    return undefined;
  }
  if (typeof url !== "string") throw new UsageError("--to-db needs a database URL");
  if (typeof table !== "string" || table === "") {
    throw new UsageError(
      `--to-db needs ${tableFlag} T`,
      `e.g. --to-db ${parseDbUrl(url, "--to-db").display} ${tableFlag} daily_bars`,
    );
  }
  parseDbUrl(url, "--to-db");
  validateTableName(table, tableFlag);
  return { url, table };
}

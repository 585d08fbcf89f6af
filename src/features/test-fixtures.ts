// Test support: the checked-in reference CSVs under test/fixtures/features and a float comparison helper.

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Frame } from "../frame/frame.js";

export const FIXTURES = resolve(import.meta.dirname, "..", "..", "test", "fixtures", "features");

export interface CsvTable {
  dates: string[];
  columns: Map<string, Float64Array>;
}

/** Reads a fixture CSV whose first column is a date and the rest numbers (empty = NaN). */
export function readFixtureCsv(name: string): CsvTable {
  return readCsvTable(join(FIXTURES, name));
}

/** Reads any CSV whose first column is a date and the rest numbers (empty = NaN, text = NaN). */
export function readCsvTable(path: string): CsvTable {
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const header = lines[0].split(",");
  const rows = lines.slice(1).map((l) => l.split(","));
  const columns = new Map<string, Float64Array>();
  header.slice(1).forEach((h, c) => {
    columns.set(
      h,
      Float64Array.from(rows, (r) => (r[c + 1] === "" ? Number.NaN : Number(r[c + 1]))),
    );
  });
  return { dates: rows.map((r) => r[0]), columns };
}

/** A date,open,high,low,close,volume table as a one-ticker Frame (dates at UTC midnight). */
export function barsFrame(table: CsvTable, ticker = "SPX"): Frame {
  return Frame.fromColumns(
    ticker,
    Float64Array.from(table.dates, (d) => Date.parse(`${d}T00:00:00Z`)),
    table.columns,
  );
}

/** The fixture bars (first 300 rows of vega-datasets' S&P 500) as a one-ticker Frame. */
export function fixtureBars(ticker = "SPX"): Frame {
  return barsFrame(readFixtureCsv("bars.csv"), ticker);
}

/** |a-b| <= rel max(|a|,|b|) + 1e-12 (the floor only matters for values at zero); NaN equals NaN. */
export function close(a: number, b: number, rel = 1e-9): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + 1e-12;
}

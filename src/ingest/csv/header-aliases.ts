// Header spellings seen in real exports (Yahoo, Alpha Vantage, TWSE, FRED, Excel) mapped to bars fields.

import { UsageError } from "../../core/errors.js";

export const BAR_FIELDS = ["ticker", "date", "open", "high", "low", "close", "adj_close", "volume"] as const;
export type BarField = (typeof BAR_FIELDS)[number];

/** Column index of each bars field in a file (-1 when absent). */
export type ColumnRoles = Record<BarField, number>;

// Keys are normalised header names (see `normaliseHeader`): lower case, no spaces, underscores, dots or dashes.
const ALIASES: Record<string, BarField> = {
  ticker: "ticker",
  symbol: "ticker",
  code: "ticker",
  stockno: "ticker",
  證券代號: "ticker",
  股票代號: "ticker",
  date: "date",
  day: "date",
  time: "date",
  timestamp: "date",
  datetime: "date",
  tradedate: "date",
  tradingdate: "date",
  observationdate: "date",
  日期: "date",
  交易日期: "date",
  open: "open",
  openprice: "open",
  開盤價: "open",
  開盤指數: "open",
  开盘价: "open",
  high: "high",
  highprice: "high",
  最高價: "high",
  最高指數: "high",
  最高价: "high",
  low: "low",
  lowprice: "low",
  最低價: "low",
  最低指數: "low",
  最低价: "low",
  close: "close",
  closeprice: "close",
  price: "close",
  last: "close",
  收盤價: "close",
  收盤指數: "close",
  收盘价: "close",
  adjclose: "adj_close",
  adjustedclose: "adj_close",
  adjclosed: "adj_close",
  volume: "volume",
  vol: "volume",
  成交股數: "volume",
  成交量: "volume",
};

/** "Adj Close" -> "adjclose", " 收盤指數 " -> "收盤指數". */
export function normaliseHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s_.\-"']+/g, "");
}

/** The bars field a header names, or undefined for extra columns (kept out of the bars table). */
export function fieldForHeader(name: string): BarField | undefined {
  return ALIASES[normaliseHeader(name)];
}

/** Parses `--map column=field` pairs; the field must be a bars field. */
export function parseColumnMap(pairs: readonly string[]): Map<string, BarField> {
  const map = new Map<string, BarField>();
  for (const pair of pairs) {
    const at = pair.lastIndexOf("=");
    const column = pair.slice(0, at).trim();
    const field = pair.slice(at + 1).trim() as BarField;
    if (at <= 0 || !BAR_FIELDS.includes(field)) {
      throw new UsageError(
        `--map "${pair}": expected column=field with field one of ${BAR_FIELDS.join(", ")}`,
        'e.g. --map "Kurs=close"',
      );
    }
    map.set(normaliseHeader(column), field);
  }
  return map;
}

/**
 * Assigns header columns to bars fields: `--map` entries first, then the alias table. The first column that
 * claims a field wins, so `Close` beats a later `Price`. Returns -1 for fields with no column.
 * @example
 * resolveColumns(["Date", "Open", "Close"], new Map()).close // 2
 */
export function resolveColumns(header: readonly string[], map: ReadonlyMap<string, BarField>): ColumnRoles {
  const roles = Object.fromEntries(BAR_FIELDS.map((f) => [f, -1])) as ColumnRoles;
  const claim = (field: BarField | undefined, index: number) => {
    if (field !== undefined && roles[field] < 0) roles[field] = index;
  };
  header.forEach((name, i) => {
    claim(map.get(normaliseHeader(name)), i);
  });
  header.forEach((name, i) => {
    if (!map.has(normaliseHeader(name))) claim(fieldForHeader(name), i);
  });
  return roles;
}

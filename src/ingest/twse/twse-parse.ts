// Parsers for TWSE month bodies: MI_5MINS_HIST (index) and STOCK_DAY (stock). ROC dates (" 89/01/04",
// "112/10/02"), numbers with thousands separators, "--" for no trade, fields located by name (9 or 10).

import { DataError } from "../../core/errors.js";
import type { Frame } from "../../frame/frame.js";
import { BAR_COLUMNS, type SeriesBuilder } from "../source-frame.js";

/** ROC (Minguo) date "112/10/02" -> epoch ms UTC of 2023-10-02; NaN when malformed. */
export function parseRocDate(text: string): number {
  const m = /^\s*(\d{2,3})\/(\d{1,2})\/(\d{1,2})\s*$/.exec(text);
  if (!m) return Number.NaN;
  const year = Number(m[1]) + 1911;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return Number.NaN;
  return Date.UTC(year, month - 1, day);
}

/** "16,382.96" -> 16382.96; "--", "", "X0.00"-style markers -> NaN. */
export function parseTwseNumber(text: unknown): number {
  if (typeof text === "number") return text;
  if (typeof text !== "string") return Number.NaN;
  const t = text.trim().replaceAll(",", "");
  if (t === "" || /^-+$/.test(t)) return Number.NaN;
  const value = Number(t);
  return Number.isNaN(value) ? Number.NaN : value;
}

/** Source field name -> bars column, for both endpoints. */
const FIELD_MAP: Record<string, string> = {
  開盤指數: "open",
  最高指數: "high",
  最低指數: "low",
  收盤指數: "close",
  開盤價: "open",
  最高價: "high",
  最低價: "low",
  收盤價: "close",
  成交股數: "volume",
  成交金額: "turnover",
  成交筆數: "trades",
};

export type TwseMonth =
  | { ok: true; rows: number; noTrade: number; builder: SeriesBuilder }
  | { ok: false; stat: string };

/**
 * Parses one month body into `builder` (shared across months); a `stat` other than "OK" (the wording varies:
 * with or without "!", 無相關資料) or `{}` is reported as `{ok: false}` so the caller can warn and go on.
 * Days without a trade ("--" prices) are skipped and counted.
 */
export function parseTwseMonth(body: string, label: string, builder: SeriesBuilder): TwseMonth {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new DataError(`TWSE ${label}: response is not valid JSON (${(error as Error).message})`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new DataError(`TWSE ${label}: response is not a JSON object`);
  }
  const root = json as { stat?: unknown; fields?: unknown; data?: unknown };
  const stat = typeof root.stat === "string" ? root.stat : "";
  if (stat !== "OK") return { ok: false, stat: stat || "(no stat: empty answer)" };
  if (!Array.isArray(root.data) || root.data.length === 0) return { ok: false, stat: "OK but no rows" };
  if (!Array.isArray(root.fields)) throw new DataError(`TWSE ${label}: "fields" missing from an OK answer`);
  const fields = (root.fields as string[]).map((f) => String(f).trim());
  const dateIndex = fields.indexOf("日期");
  if (dateIndex < 0) throw new DataError(`TWSE ${label}: no 日期 field (fields: ${fields.join(", ")})`);
  const mapped = fields.map((f) => FIELD_MAP[f] ?? null);
  if (!mapped.includes("close"))
    throw new DataError(`TWSE ${label}: no closing price field (fields: ${fields.join(", ")})`);
  let rows = 0;
  let noTrade = 0;
  (root.data as unknown[][]).forEach((cells, r) => {
    const time = parseRocDate(String(cells[dateIndex] ?? ""));
    if (Number.isNaN(time)) {
      throw new DataError(
        `TWSE ${label}: row ${r + 1}: bad ROC date "${cells[dateIndex]}" (expected YYY/MM/DD)`,
      );
    }
    const row: Record<string, number> = {};
    for (let c = 0; c < mapped.length; c++) {
      const column = mapped[c];
      if (column) row[column] = parseTwseNumber(cells[c]);
    }
    if (Number.isNaN(row.close)) {
      noTrade++;
      return;
    }
    builder.push(time, row);
    rows++;
  });
  return { ok: true, rows, noTrade, builder };
}

/** The finished frame in canonical column order (turnover and trades kept after volume). */
export function twseFrame(builder: SeriesBuilder, ticker: string): Frame {
  return builder.toFrame(ticker, [...BAR_COLUMNS, "turnover", "trades"]);
}

// Cell-level parsers as tables: dates, numbers, delimiters, header aliases, content guard.

import { describe, expect, it } from "vitest";
import { checkCsvHead } from "./content-guard.js";
import { parseColumnMap, resolveColumns } from "./header-aliases.js";
import { parseDateCell, utcDay } from "./parse-date.js";
import { isMissingCell, parseNumberCell } from "./parse-number.js";
import { sniffDelimiter } from "./sniff-delimiter.js";

describe("parseDateCell", () => {
  const cases: [string, number][] = [
    ["2000-01-03", Date.UTC(2000, 0, 3)],
    ["1927-12-30", Date.UTC(1927, 11, 30)],
    ["2000-1-3", Date.UTC(2000, 0, 3)],
    ["20000103", Date.UTC(2000, 0, 3)],
    ["1/3/2000", Date.UTC(2000, 0, 3)],
    ["12/31/1999", Date.UTC(1999, 11, 31)],
    ["2000/01/03", Date.UTC(2000, 0, 3)],
    ["Jan 3 2000", Date.UTC(2000, 0, 3)],
    ["January 3, 2000", Date.UTC(2000, 0, 3)],
    ["3-Jan-2000", Date.UTC(2000, 0, 3)],
    ["946857600", Date.UTC(2000, 0, 3)],
    ["946857600000", Date.UTC(2000, 0, 3)],
    ["112/10/02", Date.UTC(2023, 9, 2)],
    [" 89/01/04", Date.UTC(2000, 0, 4)],
    ["2020-05-08 14:07:03", Date.UTC(2020, 4, 8, 14, 7, 3)],
    ["2017-12-07 13:00", Date.UTC(2017, 11, 7, 13)],
    ["2020-05-08T14:07:03+08:00", Date.UTC(2020, 4, 8, 6, 7, 3)],
    ["2020-02-29", Date.UTC(2020, 1, 29)],
    // Years below 100 as written: Date.UTC(1, 0, 1) would give 1901 (the reference is ISO parsing, which does not).
    ["0001-01-01", Date.parse("0001-01-01T00:00:00Z")],
    ["0099-06-01", Date.parse("0099-06-01T00:00:00Z")],
    ["0004-02-29", Date.parse("0004-02-29T00:00:00Z")],
    ["00990601", Date.parse("0099-06-01T00:00:00Z")],
    ["0099/06/01", Date.parse("0099-06-01T00:00:00Z")],
    ["0099-06-01 12:30", Date.parse("0099-06-01T12:30:00Z")],
  ];
  for (const [text, expected] of cases)
    it(`reads "${text}"`, () => expect(parseDateCell(text)).toBe(expected));
  for (const bad of [
    "",
    "null",
    "2021-02-29",
    "2020-13-01",
    "13/45/2020",
    "yesterday",
    "Foo 1 2000",
    "2020-01-02 25:00",
    "0003-02-29",
    "0100-02-29",
  ]) {
    it(`rejects "${bad}"`, () => expect(parseDateCell(bad)).toBeNaN());
  }
});

describe("utcDay", () => {
  // The reference: JavaScript's own calendar, with setUTCFullYear so that years 0-99 are not read as 19xx.
  const reference = (year: number, month: number, day: number) =>
    new Date(0).setUTCFullYear(year, month - 1, day);
  // Day 0 of the next month is the last day of this one.
  const daysIn = (year: number, month: number) =>
    new Date(new Date(0).setUTCFullYear(year, month, 0)).getUTCDate();

  it("agrees with the Date calendar on every day of 1899-2101 and of years 1-3", () => {
    const mismatches: string[] = [];
    let days = 0;
    for (const [from, to] of [
      [1, 3],
      [1899, 2101],
    ]) {
      for (let year = from; year <= to; year++)
        for (let month = 1; month <= 12; month++)
          for (let day = 1; day <= daysIn(year, month); day++, days++)
            if (utcDay(year, month, day) !== reference(year, month, day))
              mismatches.push(`${year}-${month}-${day}: ${utcDay(year, month, day)}`);
    }
    expect(mismatches).toEqual([]);
    expect(days).toBe(3 * 365 + 203 * 365 + 49);
  });

  it("agrees around every leap day of years 1-9999 and rejects days that do not exist", () => {
    for (let year = 1; year <= 9999; year++) {
      const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
      expect(utcDay(year, 2, 28)).toBe(reference(year, 2, 28));
      expect(utcDay(year, 3, 1)).toBe(reference(year, 3, 1));
      expect(utcDay(year, 12, 31)).toBe(reference(year, 12, 31));
      if (leap) expect(utcDay(year, 2, 29)).toBe(reference(year, 2, 29));
      else expect(utcDay(year, 2, 29)).toBeNaN();
    }
    expect(utcDay(2021, 4, 31)).toBeNaN();
    expect(utcDay(2021, 13, 1)).toBeNaN();
    expect(utcDay(2021, 0, 1)).toBeNaN();
  });
});

describe("parseNumberCell", () => {
  const cases: [string, number][] = [
    ["17.65999984741211", 17.65999984741211],
    ["0.088542", 0.088542],
    ["200662336736", 200662336736],
    ["16,460.89", 16460.89],
    ["57,404,594", 57404594],
    [" 0.00", 0],
    ["+35.00", 35],
    ["-20.00", -20],
    ["1e3", 1000],
    ["inf", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
  ];
  for (const [text, expected] of cases)
    it(`reads "${text}"`, () => expect(parseNumberCell(text)).toBe(expected));
  for (const bad of ["", " ", "null", "abc", "1,23", "0x10", "X0.00", "12.3.4"]) {
    it(`gives NaN for "${bad}"`, () => expect(parseNumberCell(bad)).toBeNaN());
  }
  it("tells missing from garbage", () => {
    expect(["", "null", "NaN", " ", "#N/A"].every(isMissingCell)).toBe(true);
    expect(["abc", "0x10", "1,23"].some(isMissingCell)).toBe(false);
  });
});

describe("sniffDelimiter", () => {
  const cases: [string, string][] = [
    ["Date,Open,Close", ","],
    ["Date;Open;Close", ";"],
    ["Date\tOpen\tClose", "\t"],
    ["Date|Open|Close", "|"],
    ['"Date;x",Open,Close', ","],
    ["Close", ","],
  ];
  for (const [line, expected] of cases)
    it(JSON.stringify(line), () => expect(sniffDelimiter(line)).toBe(expected));
});

describe("header aliases", () => {
  it("maps real spellings", () => {
    const roles = resolveColumns(
      ["日期", "開盤價", "最高價", "最低價", "收盤價", "成交股數", "Adj. Close", "Symbol"],
      new Map(),
    );
    expect(roles).toEqual({
      date: 0,
      open: 1,
      high: 2,
      low: 3,
      close: 4,
      volume: 5,
      adj_close: 6,
      ticker: 7,
    });
    expect(resolveColumns(["timestamp", "price", "vol"], new Map())).toMatchObject({
      date: 0,
      close: 1,
      volume: 2,
    });
  });
  it("lets --map win over aliases, and rejects unknown fields", () => {
    expect(resolveColumns(["Date", "Close", "Last"], parseColumnMap(["Last=close"])).close).toBe(2);
    expect(() => parseColumnMap(["Last=closing"])).toThrow(/expected column=field/);
  });
});

describe("checkCsvHead", () => {
  it("accepts text with UTF-8 headers", () => {
    expect(() => checkCsvHead("x.csv", Buffer.from("日期,收盤指數\n112/10/02,1\n"))).not.toThrow();
  });
  it("rejects NUL bytes", () =>
    expect(() => checkCsvHead("x.csv", Uint8Array.of(80, 75, 3, 4, 0))).toThrow(/binary/));
});

// The strict date parser: real dates and timestamps are read, impossible ones are refused (nothing rolls over);
// the split-inside-the-data check names the flag and the data's range.

import { describe, expect, it } from "vitest";
import { ExitCode, UsageError } from "../core/errors.js";
import {
  checkIsoDate,
  daysInMonth,
  isoDateOrTime,
  parseDateFlag,
  parseIsoDate,
  requireSplitInside,
} from "./dates.js";

// Expected values written as Date.UTC arguments or ISO strings with a Z (what the ECMAScript spec defines), not
// through the parser under test.
const VALID: [string, number][] = [
  ["2016-01-04", Date.UTC(2016, 0, 4)],
  [" 2016-01-04 ", Date.UTC(2016, 0, 4)],
  ["2016-01", Date.UTC(2016, 0, 1)],
  ["2016-02-29", Date.UTC(2016, 1, 29)],
  ["2000-02-29", Date.UTC(2000, 1, 29)],
  ["2019-12-31", Date.UTC(2019, 11, 31)],
  ["1980-12-12", Date.UTC(1980, 11, 12)],
  ["0050-06-15", Date.parse("0050-06-15T00:00:00Z")],
  ["2020-05-08T14:07:03", Date.UTC(2020, 4, 8, 14, 7, 3)],
  ["2020-05-08 14:07:03", Date.UTC(2020, 4, 8, 14, 7, 3)],
  ["2020-05-08T14:07", Date.UTC(2020, 4, 8, 14, 7)],
  ["2020-05-08T14:07:03Z", Date.UTC(2020, 4, 8, 14, 7, 3)],
  ["2020-05-08T14:07:03.5Z", Date.UTC(2020, 4, 8, 14, 7, 3, 500)],
  ["2020-05-08T14:07:03.123456Z", Date.UTC(2020, 4, 8, 14, 7, 3, 123)],
  ["2020-05-08T14:07:03+08:00", Date.UTC(2020, 4, 8, 6, 7, 3)],
  ["2020-05-08T00:30:00-0130", Date.UTC(2020, 4, 8, 2, 0)],
  ["2020-01-01T23:59:59Z", Date.UTC(2020, 0, 1, 23, 59, 59)],
];

const INVALID: [string, RegExp][] = [
  ["2016-13-45", /month 13 does not exist/],
  ["2016-00-10", /month 00 does not exist/],
  ["2016-13", /month 13 does not exist/],
  ["2019-02-30", /2019-02 has days 01 to 28, not 30/],
  ["2019-02-29", /2019-02 has days 01 to 28, not 29/],
  ["1900-02-29", /1900-02 has days 01 to 28/],
  ["2016-02-30", /2016-02 has days 01 to 29, not 30/],
  ["2016-04-31", /2016-04 has days 01 to 30, not 31/],
  ["2016-01-00", /not 00/],
  ["2016-01-32", /not 32/],
  ["2020-05-08T24:00", /not a time of day/],
  ["2020-05-08T12:60", /not a time of day/],
  ["2020-05-08T12:00:60", /not a time of day/],
  ["2020-05-08T12:00+25:00", /not a UTC offset/],
  ["", /not a date/],
  ["yesterday", /not a date/],
  ["2016/01/04", /not a date/],
  ["01/04/2016", /not a date/],
  ["20160104", /not a date/],
  ["2016-1-4", /not a date/],
  ["16-01-04", /not a date/],
  ["2016-01-04x", /not a date/],
  ["2016-01-04T", /not a date/],
  ["1451865600000", /not a date/],
  ["Jan 4 2016", /not a date/],
];

describe("checkIsoDate / parseDateFlag", () => {
  it.each(VALID)("reads %j", (text, ms) => {
    expect(checkIsoDate(text)).toBe(ms);
    expect(parseIsoDate(text)).toBe(ms);
    expect(parseDateFlag(text, "--split-date")).toBe(ms);
  });

  it.each(INVALID)("refuses %j (%s)", (text, reason) => {
    expect(checkIsoDate(text)).toMatch(reason);
    expect(parseIsoDate(text)).toBeNull();
    let error: unknown;
    try {
      parseDateFlag(text, "--fit-until");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(ExitCode.usage);
    expect((error as UsageError).message).toContain("--fit-until");
    expect((error as UsageError).message).toContain(`"${text}"`);
    expect((error as UsageError).hint).toMatch(/YYYY-MM-DD/);
  });

  it("daysInMonth follows the Gregorian leap rule (a closed form: 365/366 days a year)", () => {
    for (const year of [1900, 1999, 2000, 2016, 2019, 2100, 2400]) {
      let total = 0;
      for (let m = 1; m <= 12; m++) total += daysInMonth(year, m);
      const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
      expect(total, String(year)).toBe(leap ? 366 : 365);
    }
    // Every day of 2016 and 2019 round-trips through the Date API's own calendar.
    for (const year of [2016, 2019]) {
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
        const iso = new Date(t).toISOString().slice(0, 10);
        expect(parseIsoDate(iso)).toBe(t);
      }
    }
  });
});

describe("isoDateOrTime", () => {
  it("writes a date at midnight and a timestamp otherwise", () => {
    expect(isoDateOrTime(Date.UTC(2016, 0, 4))).toBe("2016-01-04");
    expect(isoDateOrTime(Date.UTC(1969, 11, 31))).toBe("1969-12-31");
    expect(isoDateOrTime(Date.UTC(2020, 4, 8, 14, 7, 3))).toBe("2020-05-08T14:07:03Z");
    expect(isoDateOrTime(Date.UTC(2020, 4, 8, 14, 7, 3, 250))).toBe("2020-05-08T14:07:03.250Z");
    for (const text of ["2016-01-04", "2020-05-08T14:07:03Z"])
      expect(isoDateOrTime(parseDateFlag(text, "x"))).toBe(text);
  });
});

describe("requireSplitInside", () => {
  const time = Float64Array.of(Date.UTC(2000, 0, 3), Date.UTC(2000, 0, 4), Date.UTC(2000, 0, 5));
  const errorOf = (split: number) => {
    try {
      requireSplitInside(time, split, "--split-date", "SPX");
    } catch (e) {
      return e as UsageError;
    }
    return null;
  };

  it("accepts a split with rows on both sides", () => {
    expect(errorOf(Date.UTC(2000, 0, 4))).toBeNull();
    expect(errorOf(Date.UTC(2000, 0, 5))).toBeNull();
    expect(errorOf(Date.UTC(2000, 0, 3, 12))).toBeNull();
  });

  it("refuses a split at or before the first row, or after the last, naming the flag and the range", () => {
    for (const [split, side] of [
      [Date.UTC(2000, 0, 3), "no rows before it"],
      [Date.UTC(1999, 0, 1), "no rows before it"],
      [Date.UTC(2000, 0, 5, 1), "no rows on or after it"],
      [Date.UTC(2030, 0, 1), "no rows on or after it"],
    ] as const) {
      const e = errorOf(split);
      expect(e).toBeInstanceOf(UsageError);
      expect(e?.exitCode).toBe(ExitCode.usage);
      expect(e?.message).toContain("--split-date");
      expect(e?.message).toContain(side);
      expect(e?.message).toContain("SPX runs 2000-01-03 to 2000-01-05");
    }
  });

  it("needBefore=false only requires rows on or after the split (a backtest of test-window predictions)", () => {
    expect(() => requireSplitInside(time, Date.UTC(1999, 0, 1), "--split-date", "SPX", false)).not.toThrow();
    expect(() => requireSplitInside(time, Date.UTC(2001, 0, 1), "--split-date", "SPX", false)).toThrow(
      /no rows on or after it \(SPX runs 2000-01-03 to 2000-01-05\)/,
    );
  });

  it("says nothing about empty data (other checks report it)", () => {
    expect(() => requireSplitInside(new Float64Array(0), 0, "--split-date", "SPX")).not.toThrow();
  });
});

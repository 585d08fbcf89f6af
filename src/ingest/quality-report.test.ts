import { describe, expect, it } from "vitest";
import { Frame } from "../frame/frame.js";
import { adjustBars } from "./adjust.js";
import { businessDaysBetween, qualityReport } from "./quality-report.js";

const d = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

function bars(dates: string[], close: number[], extra: Partial<Record<string, number[]>> = {}): Frame {
  const col = (v: number[] | undefined) => Float64Array.from(v ?? close);
  return Frame.fromColumns("T", Float64Array.from(dates.map(d)), {
    open: col(extra.open),
    high: col(extra.high),
    low: col(extra.low),
    close: Float64Array.from(close),
    ...(extra.volume ? { volume: col(extra.volume) } : {}),
    ...(extra.adj_close ? { adj_close: col(extra.adj_close) } : {}),
  });
}

describe("businessDaysBetween", () => {
  it("counts weekdays strictly between two dates, before and after 1970", () => {
    expect(businessDaysBetween(d("2020-01-03"), d("2020-01-06"))).toBe(0); // Fri -> Mon
    expect(businessDaysBetween(d("2001-09-10"), d("2001-09-17"))).toBe(4);
    expect(businessDaysBetween(d("1933-03-03"), d("1933-03-15"))).toBe(7);
    expect(businessDaysBetween(d("2020-01-01"), d("2020-01-02"))).toBe(0);
  });
});

describe("qualityReport", () => {
  it("names the dates of gaps, jumps, zero volume and closes outside the range", () => {
    const frame = bars(
      ["2020-01-01", "2020-01-02", "2020-01-13", "2020-01-14", "2020-01-15"],
      [10, 10.5, 14, 14.2, 14.1],
      { high: [11, 11, 15, 14, 15], low: [9, 10, 13, 13, 13], volume: [5, 0, 5, 5, 0] },
    );
    const report = qualityReport(frame, { skippedNull: new Map([["T", [d("2020-01-06")]]]) });
    const t = report.tickers[0];
    expect(t).toMatchObject({ ticker: "T", rows: 5, first: "2020-01-01", last: "2020-01-15" });
    expect(t.gaps).toEqual({ count: 1, dates: ["2020-01-02..2020-01-13"] });
    expect(t.jumps).toEqual({ count: 1, dates: ["2020-01-13"] });
    expect(t.zeroVolume).toEqual({ count: 2, dates: ["2020-01-02", "2020-01-15"] });
    expect(t.closeOutsideRange).toEqual({ count: 1, dates: ["2020-01-14"] });
    expect(t.nullRowsSkipped).toEqual({ count: 1, dates: ["2020-01-06"] });
  });
  it("reports nothing for clean bars", () => {
    const t = qualityReport(bars(["2020-01-02", "2020-01-03"], [10, 10.1])).tickers[0];
    expect([t.gaps.count, t.jumps.count, t.zeroVolume.count, t.closeOutsideRange.count]).toEqual([
      0, 0, 0, 0,
    ]);
  });
});

describe("adjustBars", () => {
  it("scales OHLC by adj_close/close and keeps volume", () => {
    const frame = bars(["2020-01-02", "2020-01-03"], [100, 50], {
      open: [98, 52],
      high: [102, 55],
      low: [96, 49],
      adj_close: [50, 50],
      volume: [10, 20],
    });
    const out = adjustBars(frame);
    expect(Array.from(out.get("close"))).toEqual([50, 50]);
    expect(Array.from(out.get("open"))).toEqual([49, 52]);
    expect(Array.from(out.get("high"))).toEqual([51, 55]);
    expect(Array.from(out.get("volume"))).toEqual([10, 20]);
  });
  it("needs adj_close", () => {
    expect(() => adjustBars(bars(["2020-01-02"], [1]))).toThrow(/--adjust needs an adj_close column/);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { UsageError } from "../../core/errors.js";
import { planSource } from "./ensure-bars.js";

const key = process.env.ALPHAVANTAGE_API_KEY;
afterEach(() => {
  if (key === undefined) delete process.env.ALPHAVANTAGE_API_KEY;
  else process.env.ALPHAVANTAGE_API_KEY = key;
});

describe("where missing bars come from", () => {
  it("bundled tickers first, then TWSE for a stock number, then Alpha Vantage with a key", () => {
    process.env.ALPHAVANTAGE_API_KEY = "demo";
    expect(planSource("SPX", undefined).label).toBe("the bundled data (vega-datasets sp500-2000.csv)");
    expect(planSource("AAPL", undefined).label).toBe("the bundled data (vega-datasets stocks.csv)");
    expect(planSource("2330", undefined).label).toBe("TWSE (the last 12 months)");
    expect(planSource("TSLA", undefined).label).toBe("Alpha Vantage (daily, compact)");
  });

  it("without a key, a ticker that is not bundled has no source: a usage error saying how to give one", () => {
    delete process.env.ALPHAVANTAGE_API_KEY;
    expect(() => planSource("TSLA", undefined)).toThrow(UsageError);
    expect(() => planSource("TSLA", undefined)).toThrow(/no bars for TSLA in the workspace/);
  });

  it("a named source wins over the defaults", () => {
    expect(planSource("AAPL", "alphavantage").label).toBe("Alpha Vantage (daily, compact)");
    expect(planSource("AAPL", "twse").label).toBe("TWSE (the last 12 months)");
    expect(planSource("AAPL", "prices/aapl.csv").label).toBe("prices/aapl.csv");
    expect(planSource("AAPL", "csv:aapl.csv").label).toBe("aapl.csv");
    expect(planSource("AAPL", "duckdb:prices.duckdb", "daily_bars").label).toBe("table daily_bars");
  });

  it("refuses a bundled source for a ticker that is not bundled, and a database without a table", () => {
    expect(() => planSource("TSLA", "bundled")).toThrow(/TSLA is not in the bundled data/);
    expect(() => planSource("AAPL", "postgres://u:secret@h/db")).toThrow(UsageError);
    expect(() => planSource("AAPL", "postgres://u:secret@h/db")).toThrow(/needs a table/);
    expect(() => planSource("AAPL", "postgres://u:secret@h/db")).not.toThrow(/secret/);
  });
});

// --indicators parsing and column naming.

import { describe, expect, it } from "vitest";
import { barSeries } from "./bar-series.js";
import { computeIndicators, parseIndicatorSpec } from "./indicator-spec.js";
import { fixtureBars } from "./test-fixtures.js";

describe("--indicators spec", () => {
  it("fills TA-Lib defaults and names columns <name>[_<output>]_<params>", () => {
    const bars = barSeries(fixtureBars());
    const cols = computeIndicators(
      bars,
      parseIndicatorSpec("rsi:14,sma:20,macd,bbands:20:2,stoch:14,aroon,obv,ad"),
    );
    expect([...cols.keys()]).toEqual([
      "rsi_14",
      "sma_20",
      "macd_12_26_9",
      "macd_signal_12_26_9",
      "macd_hist_12_26_9",
      "bbands_upper_20_2",
      "bbands_middle_20_2",
      "bbands_lower_20_2",
      "stoch_k_14_3_3",
      "stoch_d_14_3_3",
      "aroon_up_14",
      "aroon_down_14",
      "obv",
      "ad",
    ]);
  });

  it("is case-insensitive and tolerates spaces", () => {
    expect(parseIndicatorSpec(" RSI:7 , Ema ").map((r) => [r.definition.name, r.params])).toEqual([
      ["rsi", [7]],
      ["ema", [30]],
    ]);
  });

  it("refuses unknown names, extra parameters and bad numbers with a hint", () => {
    expect(() => parseIndicatorSpec("rsx:14")).toThrow(/unknown indicator "rsx"/);
    expect(() => parseIndicatorSpec("rsi:14:3")).toThrow(/rsi takes 1/);
    expect(() => parseIndicatorSpec("sma:-3")).toThrow(/positive/);
    expect(() => parseIndicatorSpec("")).toThrow(/empty/);
    const bars = barSeries(fixtureBars());
    expect(() => computeIndicators(bars, parseIndicatorSpec("sma:2.5"))).toThrow(/integer/);
  });
});

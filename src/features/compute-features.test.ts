// The panel driver: per-ticker computation (nothing crosses tickers), label metadata, row dropping.

import { describe, expect, it } from "vitest";
import { Frame } from "../frame/frame.js";
import { computeFeatures } from "./compute-features.js";
import { parseIndicatorSpec } from "./indicator-spec.js";
import { parseLabelSpec } from "./labels/label-spec.js";
import { fixtureBars } from "./test-fixtures.js";

describe("computeFeatures", () => {
  it("computes a panel ticker by ticker, exactly as each ticker alone", () => {
    const a = fixtureBars("AAA");
    const scaled = new Map([...a.columns].map(([k, v]) => [k, v.map((x) => x * 2)]));
    const b = Frame.fromColumns("BBB", a.time, scaled).slice(50);
    const panel = Frame.concat([b, a]); // unsorted on purpose: BBB first
    const opts = { set: "seed001" as const, indicators: parseIndicatorSpec("rsi:14,ema:10") };
    const together = computeFeatures(panel, opts);
    const alone = computeFeatures(b, opts);
    const bbb = together.frame.forTicker("BBB");
    expect(bbb.length).toBe(alone.frame.length);
    for (const name of alone.frame.columnNames)
      expect(Array.from(bbb.get(name))).toEqual(Array.from(alone.frame.get(name)));
    expect(new Set(together.frame.tickers())).toEqual(new Set(["AAA", "BBB"]));
  });

  it("records labels with horizons and lists the other columns as features", () => {
    const r = computeFeatures(fixtureBars(), {
      indicators: parseIndicatorSpec("sma:5"),
      labels: parseLabelSpec("up_down:3,fwd_ret:2"),
    });
    expect(r.features).toEqual(["sma_5"]);
    expect(r.labels).toEqual([
      { name: "up_down_3d", horizon: 3, kind: "classification" },
      { name: "fwd_ret_2d", horizon: 2, kind: "regression" },
    ]);
    // warm-up rows (sma_5: 4) and label tail (3) are dropped
    expect(r.frame.length).toBe(300 - 4 - 3);
    const kept = computeFeatures(fixtureBars(), {
      indicators: parseIndicatorSpec("sma:5"),
      labels: parseLabelSpec("up_down:3,fwd_ret:2"),
      keepIncomplete: true,
    });
    expect(kept.frame.length).toBe(300 - 4);
  });

  it("turns infinities into missing values and drops those rows", () => {
    const bars = fixtureBars();
    const close = bars.get("close").slice();
    close[100] = 0; // rt = delta / price_prev = +-inf on the next row
    const r = computeFeatures(bars.with("close", close), { set: "seed000" });
    const rt = r.frame.get("rt");
    expect(rt.every(Number.isFinite)).toBe(true);
    expect(r.frame.length).toBeLessThan(288);
  });
});

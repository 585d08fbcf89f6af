import { describe, expect, it } from "vitest";
import { Frame } from "./frame.js";

const day = (d: number) => Date.UTC(2020, 0, d);

function panel(): Frame {
  // Deliberately unsorted: B before A, and A's dates out of order.
  return new Frame({
    time: Float64Array.from([day(2), day(1), day(3), day(1)]),
    tickerCodes: Uint32Array.from([1, 1, 0, 0]),
    tickerNames: ["A", "B"],
    columns: new Map([["close", Float64Array.from([20, 10, 3, 1])]]),
  });
}

describe("Frame", () => {
  it("sorts a panel by ticker then time and reports ticker ranges", () => {
    const sorted = panel().sortByTickerTime();
    expect([...sorted.get("close")]).toEqual([1, 3, 10, 20]);
    expect(sorted.groups()).toEqual([
      { ticker: "A", start: 0, end: 2 },
      { ticker: "B", start: 2, end: 4 },
    ]);
    expect(sorted.isSorted()).toBe(true);
    expect(panel().isSorted()).toBe(false);
  });

  it("slices as views, takes and filters as copies", () => {
    const f = panel().sortByTickerTime();
    const view = f.slice(1, 3);
    expect(view.get("close").buffer).toBe(f.get("close").buffer);
    expect([...f.filter(Uint8Array.from([1, 0, 0, 1])).get("close")]).toEqual([1, 20]);
    expect(f.forTicker("B").length).toBe(2);
  });

  it("names the missing column and the available ones", () => {
    expect(() => panel().get("open")).toThrow(/column "open" not found \(columns: close\)/);
  });

  it("rejects columns of the wrong length", () => {
    expect(
      () =>
        new Frame({
          time: new Float64Array(2),
          tickerCodes: new Uint32Array(2),
          tickerNames: ["X"],
          columns: new Map([["a", new Float64Array(3)]]),
        }),
    ).toThrow(/3 rows, time has 2/);
  });

  it("concatenates frames and merges ticker dictionaries", () => {
    const a = Frame.fromColumns("A", Float64Array.from([day(1)]), { x: Float64Array.from([1]) });
    const b = Frame.fromColumns("B", Float64Array.from([day(1)]), { x: Float64Array.from([2]) });
    const both = Frame.concat([a, b]);
    expect(both.tickers()).toEqual(["A", "B"]);
    expect([...both.get("x")]).toEqual([1, 2]);
  });
});

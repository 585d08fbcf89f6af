import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandGrid, readGridFile } from "./param-grid.js";

describe("parameter grids", () => {
  it("expands in scikit-learn ParameterGrid order (sorted keys, last key fastest)", () => {
    expect(expandGrid({ n_estimators: [100, 200], max_depth: [2, 4] })).toEqual([
      { max_depth: 2, n_estimators: 100 },
      { max_depth: 2, n_estimators: 200 },
      { max_depth: 4, n_estimators: 100 },
      { max_depth: 4, n_estimators: 200 },
    ]);
    expect(expandGrid({})).toEqual([{}]);
  });

  it("reads seed 000's [{model__param: [...]}] form and plain objects", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsml-grid-"));
    const a = join(dir, "a.json");
    writeFileSync(a, JSON.stringify([{ rf__max_depth: [2, 4], rf__n_estimators: [10] }]));
    expect(readGridFile(a, "rf")).toEqual({ max_depth: [2, 4], n_estimators: [10] });
    const b = join(dir, "b.json");
    writeFileSync(b, JSON.stringify({ C: 1 }));
    expect(() => readGridFile(b, "ols")).toThrow(/must be a list/);
  });
});

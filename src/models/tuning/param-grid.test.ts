import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../core/errors.js";
import "../all-models.js";
import { normalizeParams } from "../param-schema.js";
import { getModelFactory, listModels } from "../registry.js";
import { expandGrid, readGridFile } from "./param-grid.js";

const rf = getModelFactory("rf");
const ols = getModelFactory("ols");
const knn = getModelFactory("knn");
const gbdt = getModelFactory("gbdt");

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
    expect(readGridFile(a, "rf", rf.schema)).toEqual({ max_depth: [2, 4], n_estimators: [10] });
    const b = join(dir, "b.json");
    writeFileSync(b, JSON.stringify({ C: 1 }));
    expect(() => readGridFile(b, "ols", ols.schema)).toThrow(/must be a list/);
  });

  it("checks every grid value against the family's schema, naming the file, the parameter and the range", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsml-grid-"));
    const write = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const range = write("range.json", JSON.stringify({ C: [1, -1] }));
    const error = (() => {
      try {
        readGridFile(range, "ols", ols.schema);
      } catch (e) {
        return e as UsageError;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error?.message).toContain(range);
    expect(error?.message).toMatch(/C=-1 is out of range; C must be a number in \(0, 1e12\]/);
    expect(() => readGridFile(write("u.json", '{"n_neighbours": [3]}'), "knn", knn.schema)).toThrow(
      /unknown parameter "n_neighbours" \(did you mean n_neighbors\?\)/,
    );
    expect(() => readGridFile(write("p.json", '{"__proto__": [1]}'), "knn", knn.schema)).toThrow(UsageError);
    expect(() => readGridFile(write("t.json", '{"n_neighbors": ["many"]}'), "knn", knn.schema)).toThrow(
      /n_neighbors=many is not valid/,
    );
    // An alias in a grid searches the canonical parameter; two names of one parameter are refused.
    expect(readGridFile(write("a.json", '{"max_iter": [10, "20"]}'), "gbdt", gbdt.schema)).toEqual({
      n_estimators: [10, 20],
    });
    expect(() =>
      readGridFile(write("d.json", '{"max_iter": [10], "n_estimators": [5]}'), "gbdt", gbdt.schema),
    ).toThrow(/same parameter \(n_estimators\)/);
  });

  it("every family's built-in grid passes its own schema unchanged", () => {
    for (const factory of listModels())
      for (const [name, values] of Object.entries(factory.grid))
        for (const value of values)
          expect(normalizeParams(factory.name, factory.schema, { [name]: value })).toEqual({ [name]: value });
  });
});

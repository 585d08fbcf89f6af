// The contract every tabular model family passes (src/models/contract.test.ts runs it over the registry): fit/predict shapes,
// save -> load -> identical predictions, same seed -> same model, clear errors on bad training input, and
// corrupt saved states refused on load (wrong types, shapes, non-finite values, parameters out of range).

import { describe, expect, it } from "vitest";
import { DataError } from "../../src/core/errors.js";
import { Random } from "../../src/core/random.js";
import type { FeatureMatrix, ModelFactory, ModelState } from "../../src/models/model.js";
import type { ParamSpec } from "../../src/models/param-schema.js";
import { getModelFactory } from "../../src/models/registry.js";
import "../../src/models/all-models.js";

/** A learnable synthetic problem: y = 1 when x0 + 0.5·x1 + noise > 0. */
export function syntheticProblem(
  rows: number,
  features: number,
  seed: number,
): { X: FeatureMatrix; y: Float64Array } {
  const rng = new Random(seed);
  const columns = Array.from({ length: features }, () => new Float64Array(rows));
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < features; j++) columns[j][i] = rng.normal();
    y[i] = columns[0][i] + 0.5 * (features > 1 ? columns[1][i] : 0) + 0.3 * rng.normal() > 0 ? 1 : 0;
  }
  return { X: { rows, columns }, y };
}

/** Registers the contract tests for `factoryName` with `params` (small settings keep it fast). */
export function runModelContract(
  factoryName: string,
  params: Record<string, unknown> = {},
  options: { rows?: number; minTrainAccuracy?: number } = {},
): void {
  const rows = options.rows ?? 160;
  const { X, y } = syntheticProblem(rows, 4, 11);
  const test = syntheticProblem(60, 4, 12);
  const factory = () => getModelFactory(factoryName);

  describe(`model contract: ${factoryName}`, () => {
    it("fits and predicts classes and probabilities of the right shape", async () => {
      const model = factory().create(params);
      await model.fit(X, y, { seed: 1 });
      expect([...model.classes()]).toEqual([0, 1]);
      const proba = model.predictProba(test.X);
      expect(proba.length).toBe(2 * test.X.rows);
      for (let i = 0; i < test.X.rows; i++) {
        expect(proba[2 * i] + proba[2 * i + 1]).toBeCloseTo(1, 9);
        expect(proba[2 * i + 1]).toBeGreaterThanOrEqual(0);
        expect(proba[2 * i + 1]).toBeLessThanOrEqual(1);
      }
      const pred = model.predict(test.X);
      let hits = 0;
      for (let i = 0; i < pred.length; i++) {
        expect(pred[i] === 0 || pred[i] === 1).toBe(true);
        if (pred[i] === test.y[i]) hits++;
      }
      expect(hits / pred.length).toBeGreaterThan(options.minTrainAccuracy ?? 0.7);
    });

    it("save -> load gives identical predictions", async () => {
      const model = factory().create(params);
      await model.fit(X, y, { seed: 3 });
      const json = JSON.parse(JSON.stringify(model.toState()));
      expect(json.model).toBe(factoryName);
      const loaded = factory().load(json);
      expect([...loaded.predictProba(test.X)]).toEqual([...model.predictProba(test.X)]);
      expect([...loaded.predict(test.X)]).toEqual([...model.predict(test.X)]);
    });

    it("the same seed gives the same model", async () => {
      const a = factory().create(params);
      const b = factory().create(params);
      await a.fit(X, y, { seed: 5 });
      await b.fit(X, y, { seed: 5 });
      expect(JSON.stringify(a.toState())).toBe(JSON.stringify(b.toState()));
    });

    it("accepts sample weights", async () => {
      const model = factory().create(params);
      const weights = new Float64Array(rows).map((_, i) => (y[i] === 1 ? 2 : 1));
      await model.fit(X, y, { seed: 1, sampleWeight: weights });
      expect(model.predict(test.X).length).toBe(test.X.rows);
    });

    it("refuses a single-class training fold with a clear error", async () => {
      const model = factory().create(params);
      await expect(model.fit(X, new Float64Array(rows), { seed: 1 })).rejects.toThrow(/single class/);
    });

    it("refuses NaN inputs naming the row and column", async () => {
      const columns = X.columns.map((c) => c.slice());
      columns[2][7] = Number.NaN;
      const model = factory().create(params);
      const error = await model.fit({ rows, columns }, y, { seed: 1 }).catch((e) => e);
      expect(error).toBeInstanceOf(DataError);
      expect(String(error.message)).toMatch(/column 3.*row 8/);
    });

    it("handles constant columns with finite predictions", async () => {
      const columns = [...X.columns.map((c) => c.slice()), new Float64Array(rows).fill(3)];
      const model = factory().create(params);
      await model.fit({ rows, columns }, y, { seed: 1 });
      const testColumns = [...test.X.columns, new Float64Array(test.X.rows).fill(3)];
      const proba = model.predictProba({ rows: test.X.rows, columns: testColumns });
      expect(proba.every((p) => Number.isFinite(p))).toBe(true);
    });

    it("refuses too few rows", async () => {
      const model = factory().create(params);
      const one = { rows: 1, columns: X.columns.map((c) => c.slice(0, 1)) };
      await expect(model.fit(one, y.slice(0, 1), { seed: 1 })).rejects.toThrow(/too few rows/);
    });

    it("refuses prediction input with the wrong number of features", async () => {
      const model = factory().create(params);
      await model.fit(X, y, { seed: 1 });
      expect(() => model.predict({ rows: 2, columns: X.columns.slice(0, 2) })).toThrow(DataError);
    });

    it("refuses corrupt saved states on load with a DataError naming the field", async () => {
      const model = factory().create(params);
      await model.fit(X, y, { seed: 1 });
      const good = JSON.parse(JSON.stringify(model.toState())) as ModelState;
      expect(() => factory().load(clone(good))).not.toThrow();
      // Every field of the learned state: a string, null or NaN in place of a number, a wrong string.
      expect(representativePaths(good.state, "number").length).toBeGreaterThan(0);
      for (const path of representativePaths(good.state, "number"))
        for (const bad of ["abc", null, Number.NaN]) {
          const error = loadError(factory().load, withValue(good, ["state", ...path], bad));
          expect(error, `${fieldName(path)} = ${bad}`).toBeInstanceOf(DataError);
          expect(error?.message).toContain(fieldName(path));
        }
      for (const path of representativePaths(good.state, "string"))
        expect(loadError(factory().load, withValue(good, ["state", ...path], "bogus"))).toBeInstanceOf(
          DataError,
        );
      // The envelope: no state, bad classes, parameters out of the schema.
      for (const bad of [withValue(good, ["state"], null), withValue(good, ["classes"], ["a", "b"])])
        expect(loadError(factory().load, bad)).toBeInstanceOf(DataError);
      expect(
        loadError(factory().load, withValue(good, ["classes"], [...good.classes].reverse())),
      ).toBeInstanceOf(DataError);
      const schema = factory().schema;
      for (const [name, spec] of Object.entries(schema)) {
        const error = loadError(factory().load, withValue(good, ["params", name], invalidValue(spec)));
        expect(error, `params.${name}`).toBeInstanceOf(DataError);
        expect(error?.message).toContain(name);
      }
      const unknown = withValue(good, ["params", "not_a_parameter"], 1);
      expect(loadError(factory().load, unknown)?.message).toMatch(/unknown parameter "not_a_parameter"/);
      const prototype = clone(good);
      prototype.params = { ...prototype.params, ...JSON.parse('{"__proto__": {"polluted": 1}}') };
      expect(loadError(factory().load, prototype)).toBeInstanceOf(DataError);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it("a wrong shape or a 1e308 in any field never scores silently", async () => {
      const model = factory().create(params);
      await model.fit(X, y, { seed: 1 });
      const good = JSON.parse(JSON.stringify(model.toState())) as ModelState;
      const corruptions: ModelState[] = [];
      for (const path of representativePaths(good.state, "number"))
        corruptions.push(withValue(good, ["state", ...path], 1e308));
      for (const path of representativePaths(good.state, "array")) {
        const list = valueAt(good, ["state", ...path]) as unknown[];
        if (list.length >= 2) corruptions.push(withValue(good, ["state", ...path], list.slice(0, -1)));
      }
      for (const bad of corruptions) {
        // Refused on load, refused when scoring, or scored as proper probabilities: never NaN or 3e306.
        const outcome = (() => {
          try {
            return factory().load(bad).predictProba(test.X);
          } catch (error) {
            return error;
          }
        })();
        if (outcome instanceof Float64Array)
          for (const p of outcome) expect(p >= 0 && p <= 1, `probability ${p}`).toBe(true);
        else expect(outcome).toBeInstanceOf(DataError);
      }
    });
  });
}

type Path = (string | number)[];

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function valueAt(root: unknown, path: Path): unknown {
  let node = root as Record<string | number, unknown>;
  for (const key of path) node = node?.[key] as Record<string | number, unknown>;
  return node;
}

/** A deep copy of `state` with the value at `path` replaced (NaN survives: no JSON round trip after the copy). */
function withValue(state: ModelState, path: Path, value: unknown): ModelState {
  const copy = clone(state);
  const parent = valueAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]] = value;
  return copy;
}

/** `trees[0].value[3]` for ["trees", 0, "value", 3]. */
function fieldName(path: Path): string {
  return path.map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? key : `.${key}`)).join("");
}

/**
 * One path per field shape (indices collapsed): the first number of `coef`, of `trees[*].value`, each scalar;
 * or the first of each string leaf, or of each array of numbers.
 */
function representativePaths(root: unknown, kind: "number" | "string" | "array"): Path[] {
  const seen = new Map<string, Path>();
  const walk = (node: unknown, path: Path) => {
    const pattern = path.map((key) => (typeof key === "number" ? "*" : key)).join(".");
    if (Array.isArray(node)) {
      if (
        kind === "array" &&
        node.length > 0 &&
        node.every((v) => typeof v === "number") &&
        !seen.has(pattern)
      )
        seen.set(pattern, path);
      for (let i = 0; i < node.length; i++) walk(node[i], [...path, i]);
    } else if (typeof node === "object" && node !== null) {
      for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
    } else if (typeof node === kind && !seen.has(pattern)) seen.set(pattern, path);
  };
  walk(root, []);
  return [...seen.values()];
}

/** A value outside the parameter's declared type or range. */
function invalidValue(spec: ParamSpec): unknown {
  switch (spec.type) {
    case "boolean":
      return "maybe";
    case "choice":
      return "bogus";
    case "integer-list":
      return [0];
    default:
      return spec.max !== undefined ? spec.max * 10 + 1 : "abc";
  }
}

function loadError(load: ModelFactory["load"], state: ModelState): Error | undefined {
  try {
    load(state);
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

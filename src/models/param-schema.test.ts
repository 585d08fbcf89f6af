import { describe, expect, it } from "vitest";
import { DataError, UsageError } from "../core/errors.js";
import "./all-models.js";
import {
  describeRange,
  normalizeParams,
  type ParamSchema,
  type ParamSpec,
  parseParamPairs,
  schemaDefaults,
  validateParams,
} from "./param-schema.js";
import { listModels } from "./registry.js";
import { SEQUENCE_MODELS } from "./sequence/sequence-names.js";
import {
  resolveSequenceParams,
  savedSequenceParams,
  sequenceParamSchema,
} from "./sequence/sequence-params.js";

/** Every family, tabular and sequence, with its declared schema. */
const families: [string, ParamSchema][] = [
  ...listModels().map((f): [string, ParamSchema] => [f.name, f.schema]),
  ...SEQUENCE_MODELS.map((m): [string, ParamSchema] => [m, sequenceParamSchema(m)]),
];

function thrown(run: () => unknown): Error | undefined {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

/** Just outside the declared range on each side that has a bound. */
function outOfRange(spec: ParamSpec): number[] {
  const step = spec.type === "integer" || spec.type === "integer-list" ? 1 : 0.5;
  const out: number[] = [];
  if (spec.min !== undefined) out.push(spec.minExclusive ? spec.min : spec.min - step);
  if (spec.max !== undefined) out.push(spec.max + Math.max(step, Math.abs(spec.max)));
  return out;
}

describe("parameter schemas", () => {
  it("covers the ten tabular families and the three sequence models", () => {
    expect(families.map(([name]) => name).sort()).toEqual(
      [
        "dense-window",
        "dtab",
        "et",
        "gbdt",
        "knn",
        "lstm",
        "lstm-clf",
        "mlp",
        "nn",
        "ols",
        "rf",
        "ridge",
        "sv",
      ].sort(),
    );
  });

  for (const [model, schema] of families) {
    describe(model, () => {
      it("declares type, range, default and description; the defaults pass their own schema", () => {
        for (const [name, spec] of Object.entries(schema)) {
          expect(spec.description.length, name).toBeGreaterThan(5);
          if (spec.type === "number" || spec.type === "integer" || spec.type === "integer-list") {
            expect(spec.min, `${name} min`).toBeDefined();
            expect(spec.max, `${name} max`).toBeDefined();
          }
        }
        expect(validateParams(model, schema, {})).toEqual(schemaDefaults(schema));
        expect(validateParams(model, schema, schemaDefaults(schema))).toEqual(schemaDefaults(schema));
      });

      it("refuses an unknown parameter, naming it and listing the valid ones", () => {
        const error = thrown(() => normalizeParams(model, schema, { no_such_param: 1 })) as UsageError;
        expect(error).toBeInstanceOf(UsageError);
        expect(error.message).toBe(`${model}: unknown parameter "no_such_param"`);
        for (const name of Object.keys(schema)) expect(error.hint).toContain(name);
      });

      it("refuses prototype keys without touching Object.prototype", () => {
        for (const key of ["__proto__", "constructor", "prototype"]) {
          const params = JSON.parse(`{"${key}": {"polluted": true}}`);
          const error = thrown(() => validateParams(model, schema, params));
          expect(error, key).toBeInstanceOf(UsageError);
          expect(error?.message).toContain(`"${key}" is not allowed`);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });

      it("refuses values out of range and of the wrong type, naming the parameter and the range", () => {
        for (const [name, spec] of Object.entries(schema)) {
          for (const value of outOfRange(spec)) {
            const raw = spec.type === "integer-list" ? [value] : value;
            const error = thrown(() => normalizeParams(model, schema, { [name]: raw }));
            expect(error, `${name}=${value}`).toBeInstanceOf(UsageError);
            expect(error?.message).toContain(`parameter ${name}=`);
            expect(error?.message).toContain("out of range");
            expect(error?.message).toContain(describeRange(spec));
          }
          const wrongType = spec.type === "choice" ? 7 : spec.type === "boolean" ? "maybe" : "abc";
          const error = thrown(() => normalizeParams(model, schema, { [name]: wrongType }));
          expect(error, `${name}=${wrongType}`).toBeInstanceOf(UsageError);
          expect(error?.message).toContain(`${name} must be ${describeRange(spec)}`);
          // Saved files get the same check as bad data.
          expect(thrown(() => normalizeParams(model, schema, { [name]: wrongType }, "data"))).toBeInstanceOf(
            DataError,
          );
        }
      });

      it("reads numbers and booleans given as text (--param k=v, flags) as the same values", () => {
        for (const [name, spec] of Object.entries(schema)) {
          const value = spec.default;
          if (typeof value !== "number" && typeof value !== "boolean") continue;
          expect(normalizeParams(model, schema, { [name]: String(value) }), name).toEqual({ [name]: value });
        }
      });

      it("treats an alias as its parameter and refuses two names with different values", () => {
        for (const [name, spec] of Object.entries(schema))
          for (const alias of spec.aliases ?? []) {
            const value =
              spec.type === "integer" ? (spec.min ?? 0) + 1 : ((spec.min ?? 0) + (spec.max ?? 1)) / 2;
            expect(normalizeParams(model, schema, { [alias]: value })).toEqual({ [name]: value });
            expect(normalizeParams(model, schema, { [alias]: value, [name]: value })).toEqual({
              [name]: value,
            });
            expect(() => normalizeParams(model, schema, { [alias]: value, [name]: spec.max })).toThrow(
              `same parameter (${name})`,
            );
          }
      });
    });
  }
});

describe("parameter values", () => {
  const [, mlp] = families.find(([name]) => name === "mlp") as [string, ParamSchema];
  const [, rf] = families.find(([name]) => name === "rf") as [string, ParamSchema];
  const [, gbdt] = families.find(([name]) => name === "gbdt") as [string, ParamSchema];

  it("describes ranges in interval notation", () => {
    expect(
      describeRange({ type: "number", default: 1, description: "", min: 0, minExclusive: true, max: 1e12 }),
    ).toBe("a number in (0, 1e12]");
    expect(describeRange(rf.max_depth)).toBe("an integer in [1, 1000], or null");
    expect(describeRange(rf.max_features)).toBe(
      "a number in (0, 100000] or one of sqrt, log2, auto, or null",
    );
  });

  it("reads integer lists as JSON lists, comma text or one number", () => {
    for (const raw of [[64, 32], "64,32", "64 32"])
      expect(normalizeParams("mlp", mlp, { hidden_layer_sizes: raw })).toEqual({
        hidden_layer_sizes: [64, 32],
      });
    expect(normalizeParams("mlp", mlp, { hidden_layer_sizes: 8 })).toEqual({ hidden_layer_sizes: [8] });
    expect(() => normalizeParams("mlp", mlp, { hidden_layer_sizes: [] })).toThrow(UsageError);
    expect(() => normalizeParams("mlp", mlp, { hidden_layer_sizes: [1.5] })).toThrow(/not valid/);
    expect(() => normalizeParams("mlp", mlp, { hidden_layer_sizes: Array(11).fill(2) })).toThrow(/1 to 10/);
  });

  it("maps null, none and None to null only where null is a value", () => {
    for (const raw of [null, "null", "none", "None"])
      expect(normalizeParams("rf", rf, { max_depth: raw })).toEqual({ max_depth: null });
    expect(() => normalizeParams("rf", rf, { n_estimators: null })).toThrow(/n_estimators=null is not valid/);
    expect(normalizeParams("rf", rf, { max_features: "log2" })).toEqual({ max_features: "log2" });
  });

  it("suggests the intended name for a misspelt one", () => {
    expect(() => normalizeParams("rf", rf, { n_estimator: 5 })).toThrow(
      'rf: unknown parameter "n_estimator" (did you mean n_estimators?)',
    );
  });

  it("ignores a null alias next to its parameter (saved gbdt states carry max_iter: null)", () => {
    expect(normalizeParams("gbdt", gbdt, { n_estimators: 30, max_iter: null })).toEqual({ n_estimators: 30 });
    // Older files merged the canonical default next to a user's alias; loading keeps the canonical value.
    expect(normalizeParams("gbdt", gbdt, { n_estimators: 100, max_iter: 20 }, "data")).toEqual({
      n_estimators: 100,
    });
  });

  it("parses --param pairs as JSON where it can and refuses prototype keys and contradictions", () => {
    expect(parseParamPairs(["C=0.5", "kernel=rbf", "sizes=[1,2]", "flag=false"])).toEqual({
      C: 0.5,
      kernel: "rbf",
      sizes: [1, 2],
      flag: false,
    });
    expect(parseParamPairs(["C=1", "C=1"])).toEqual({ C: 1 });
    expect(() => parseParamPairs(["C=1", "C=2"])).toThrow(/given twice/);
    expect(() => parseParamPairs(["=1"])).toThrow(/expected key=value/);
    for (const key of ["__proto__", "constructor", "prototype"])
      expect(() => parseParamPairs([`${key}={"polluted":1}`])).toThrow(UsageError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("sequence flags and --param", () => {
  it("--iterations 20 and --param iterations=20 give the same parameters", () => {
    const byFlag = resolveSequenceParams("lstm", { iterations: "20", lr: "0.01" }, []);
    const byParam = resolveSequenceParams("lstm", {}, ["iterations=20", "learning_rate=0.01"]);
    expect(byFlag).toEqual(byParam);
    expect(byFlag.iterations).toBe(20);
    expect(resolveSequenceParams("lstm", { iterations: "20" }, ["iterations=20"]).iterations).toBe(20);
    expect(resolveSequenceParams("lstm", {}, []).iterations).toBe(1500);
  });

  it("refuses a flag and a --param that disagree, and flags a model does not have", () => {
    expect(() => resolveSequenceParams("lstm", { iterations: "20" }, ["iterations=30"])).toThrow(
      "lstm: --iterations 20 and --param iterations=30 disagree",
    );
    expect(() => resolveSequenceParams("dense-window", { layers: "2" }, [])).toThrow(
      "--layers does not apply to dense-window",
    );
    expect(() => resolveSequenceParams("dense-window", {}, ["iterations=5"])).toThrow(
      'dense-window: unknown parameter "iterations"',
    );
    expect(() => resolveSequenceParams("lstm", { iterations: "5", epochs: "2" }, [])).toThrow(
      /exclude each other/,
    );
    expect(() => resolveSequenceParams("lstm-clf", { horizon: "3" }, [])).toThrow(
      /horizon must be an integer in \[1, 1\]/,
    );
  });

  it("refuses the values that used to save NaN models (layers 0, batch 0)", () => {
    expect(() => resolveSequenceParams("lstm", { layers: "0" }, [])).toThrow(
      "lstm: parameter layers=0 is out of range; layers must be an integer in [1, 10]",
    );
    expect(() => resolveSequenceParams("lstm", { batch: "0" }, [])).toThrow(
      /batch must be an integer in \[1, 100000\]/,
    );
    expect(() => resolveSequenceParams("dense-window", {}, ["dropout=1"])).toThrow(
      /dropout must be a number in \[0, 0.95\]/,
    );
  });

  it("checks saved parameters as data, with the run's seed set aside", () => {
    const saved = { ...resolveSequenceParams("lstm", {}, []), seed: 3 };
    expect(savedSequenceParams("lstm", saved)).toEqual(resolveSequenceParams("lstm", {}, []));
    expect(thrown(() => savedSequenceParams("lstm", { ...saved, units: "many" }))).toBeInstanceOf(DataError);
  });
});

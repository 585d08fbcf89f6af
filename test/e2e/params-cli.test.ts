// Model parameters and model files through the built CLI: every family's parameters are checked against its
// declared schema (exit 2 naming the parameter and the range), sequence flags and --param are one parameter,
// and a damaged model file is refused on load (exit 3 naming the file and the field) instead of scoring NULLs.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTsml } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-params-"));
const ws = join(dir, "ws");
const sp500 = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--seed", "3", "--no-color", ...args]);
const train = (...args: string[]) => tsml("train", "--ticker", "SPX", ...args);
/** Small, fast tabular runs: two folds, one importance shuffle, one thread. */
const quick = ["--splits", "2", "--repeats", "1", "--jobs", "1", "--split-date", "2018-01-01", "--quiet"];
/** A few-second LSTM. */
const tinyLstm = [
  "--steps",
  "5",
  "--layers",
  "1",
  "--units",
  "4",
  "--patience",
  "0",
  "--split-date",
  "2019-06-01",
];

beforeAll(() => {
  if (!existsSync(join(root, "dist", "cli", "main.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
  for (const args of [
    ["ingest", "csv", sp500, "--ticker", "SPX"],
    ["features", "--ticker", "SPX", "--set", "seed000"],
  ]) {
    const run = tsml(...args, "--quiet");
    expect(run.code, run.stderr).toBe(0);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The parts of a model artifact the damage cases edit. */
interface ModelJson {
  scaler: { scale: unknown[] };
  state: {
    params: Record<string, unknown>;
    state: { coef: unknown[]; trees: { outputs: number; left: number[]; value: unknown[] }[] };
  };
}

/** Exit 2 with one error line that contains every fragment. */
function expectUsage(run: ReturnType<typeof tsml>, ...fragments: string[]) {
  expect(run.code, run.stderr).toBe(2);
  for (const fragment of fragments) expect(run.stderr).toContain(fragment);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe("tsml train --param", () => {
  it("refuses an unknown parameter for every family, listing the valid ones", () => {
    const families = ["ols", "ridge", "sv", "knn", "mlp", "nn", "rf", "et", "gbdt", "dtab"];
    for (const model of families)
      expectUsage(
        train("--model", model, "--param", "bogus=1"),
        `${model}: unknown parameter "bogus"`,
        "parameters:",
      );
    expectUsage(
      train("--model", "rf", "--param", "n_estimator=5"),
      'unknown parameter "n_estimator" (did you mean n_estimators?)',
      "rf parameters: n_estimators, max_depth, max_features",
    );
    for (const model of ["lstm", "lstm-clf", "dense-window"])
      expectUsage(
        train("--model", model, "--param", "iteratons=20"),
        `${model}: unknown parameter "iteratons"`,
      );
  });

  it("refuses values out of range, naming the parameter and the range (issue 17's cases)", () => {
    const cases: [string, string, string][] = [
      ["ols", "C=-1", "ols: parameter C=-1 is out of range; C must be a number in (0, 1e12]"],
      [
        "knn",
        "n_neighbors=0",
        "knn: parameter n_neighbors=0 is out of range; n_neighbors must be an integer in [1, 10000]",
      ],
      ["knn", "n_neighbors=-3", "n_neighbors must be an integer in [1, 10000]"],
      [
        "mlp",
        "hidden_layer_sizes=[1e9]",
        "hidden_layer_sizes must be a list of 1 to 10 integers in [1, 4096]",
      ],
      ["gbdt", "subsample=0", "subsample must be a number in (0, 1]"],
      [
        "rf",
        "max_depth=2.5",
        "rf: parameter max_depth=2.5 is not valid; max_depth must be an integer in [1, 1000], or null",
      ],
      ["sv", "kernel=poly", "kernel must be one of rbf, linear"],
    ];
    for (const [model, pair, message] of cases)
      expectUsage(train("--model", model, "--param", pair), message);
  });

  it("refuses prototype keys and a parameter given twice with different values", () => {
    expectUsage(
      train("--model", "ols", "--param", 'constructor={"x":1}'),
      '"constructor" is not a parameter name',
    );
    expectUsage(train("--model", "ols", "--param", "__proto__=1"), '"__proto__" is not a parameter name');
    expectUsage(train("--model", "ols", "--param", "C=1", "--param", "C=2"), "--param C is given twice");
    expectUsage(
      train("--model", "gbdt", "--param", "max_iter=5", "--param", "n_estimators=7"),
      "max_iter and n_estimators name the same parameter (n_estimators)",
    );
  });

  it("refuses flags that do not apply to the model instead of ignoring them", () => {
    expectUsage(train("--model", "rf", "--iterations", "20"), "--iterations applies to the sequence models");
    expectUsage(train("--model", "lstm", "--tune"), "--tune applies to tabular models, not lstm");
    expectUsage(train("--model", "dense-window", "--layers", "2"), "--layers does not apply to dense-window");
  });

  it("an alias trains the same model as its parameter (gbdt max_iter = n_estimators)", () => {
    const a = join(dir, "gbdt-alias.json");
    const b = join(dir, "gbdt-canonical.json");
    const common = ["--model", "gbdt", ...quick, "--param", "max_depth=2"];
    expect(train(...common, "--param", "max_iter=4", "-o", a).code).toBe(0);
    expect(train(...common, "--param", "n_estimators=4", "-o", b).code).toBe(0);
    const [ma, mb] = [a, b].map((p) => JSON.parse(readFileSync(p, "utf8")));
    expect(ma.state.params.n_estimators).toBe(4);
    expect(ma.state.params).not.toHaveProperty("max_iter");
    expect((ma.state.state.trees as unknown[]).length).toBe(4);
    expect(JSON.stringify(ma.state)).toBe(JSON.stringify(mb.state));
  });

  it("checks a --grid file the same way, naming the file", () => {
    const grid = join(dir, "grid.json");
    writeFileSync(grid, JSON.stringify({ n_neighbors: [5, 0] }));
    expectUsage(
      train("--model", "knn", "--tune", "--grid", grid),
      grid,
      "n_neighbors=0 is out of range; n_neighbors must be an integer in [1, 10000]",
    );
    writeFileSync(grid, '{"__proto__": [1]}');
    expectUsage(train("--model", "knn", "--tune", "--grid", grid), '"__proto__" is not allowed');
  });
});

describe("sequence parameters: flags and --param are one parameter", () => {
  it("--param iterations=3 is honoured (it used to run 1,500 iterations)", () => {
    const out = join(dir, "lstm-param");
    const run = train("--model", "lstm", ...tinyLstm, "--param", "iterations=3", "-o", out, "--quiet");
    expect(run.code, run.stderr).toBe(0);
    const meta = JSON.parse(readFileSync(join(out, "tsml.json"), "utf8"));
    expect(meta.params.iterations).toBe(3);
    expect(meta.training.iterations).toBe(3);
    const flag = join(dir, "lstm-flag");
    expect(train("--model", "lstm", ...tinyLstm, "--iterations", "3", "-o", flag, "--quiet").code).toBe(0);
    // Same seed, same parameters: the same weights whichever way they were given.
    expect(readFileSync(join(flag, "weights.bin")).equals(readFileSync(join(out, "weights.bin")))).toBe(true);
  });

  it("refuses a flag and a --param that disagree, and the values that saved NaN models", () => {
    expectUsage(
      train("--model", "lstm", "--iterations", "3", "--param", "iterations=4"),
      "lstm: --iterations 3 and --param iterations=4 disagree",
    );
    for (const [flag, range] of [
      ["--layers", "layers must be an integer in [1, 10]"],
      ["--batch", "batch must be an integer in [1, 100000]"],
    ]) {
      const out = join(dir, `lstm-zero${flag}`);
      expectUsage(
        train("--model", "lstm", ...tinyLstm, flag, "0", "-o", out),
        `${flag.slice(2)}=0 is out of range`,
        range,
      );
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe("damaged model files are refused on load", () => {
  let ols: string;
  let rf: string;
  beforeAll(() => {
    ols = join(dir, "ols.json");
    rf = join(dir, "rf.json");
    expect(train("--model", "ols", ...quick, "-o", ols).code).toBe(0);
    expect(
      train("--model", "rf", ...quick, "--param", "n_estimators=3", "--param", "max_depth=3", "-o", rf).code,
    ).toBe(0);
  });

  /** A copy of `path` with `change` applied to its JSON. */
  function damaged(path: string, name: string, change: (model: ModelJson) => void): string {
    const model = JSON.parse(readFileSync(path, "utf8"));
    change(model);
    const out = join(dir, name);
    writeFileSync(out, JSON.stringify(model));
    return out;
  }

  it("predict exits 3 naming the file and the field, and writes nothing", () => {
    const cases: [string, (m: ModelJson) => void, string][] = [
      [
        "string-coef.json",
        (m) => (m.state.state.coef[1] = "abc"),
        'field coef[1] is "abc", expected a finite number',
      ],
      ["null-coef.json", (m) => (m.state.state.coef[0] = null), "field coef[0] is null"],
      ["short-coef.json", (m) => m.state.state.coef.pop(), "fitted on"],
      ["bad-param.json", (m) => (m.state.params.C = -1), "parameter C=-1 is out of range in the saved model"],
      ["bad-scaler.json", (m) => (m.scaler.scale[0] = "x"), 'field scaler.scale[0] is "x"'],
    ];
    for (const [name, change, message] of cases) {
      const file = damaged(ols, name, change);
      const out = join(dir, `${name}.parquet`);
      const run = tsml("predict", "-m", file, "-o", out);
      expect(run.code, `${name}: ${run.stderr}`).toBe(3);
      expect(run.stderr).toContain(file);
      expect(run.stderr).toContain(message);
      expect(existsSync(out)).toBe(false);
    }
  });

  it("a 1e308 leaf is refused (it gave probabilities of 3.3e306)", () => {
    const file = damaged(rf, "huge-leaf.json", (m) => {
      const tree = m.state.state.trees[0];
      const leaf = tree.left.indexOf(-1);
      tree.value[leaf * tree.outputs + 1] = 1e308;
    });
    const run = tsml("predict", "-m", file, "-o", join(dir, "huge.parquet"));
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/trees\[0\]\.value\[\d+\] is 1e\+308, expected a number in \[0, 1\]/);
    // backtest and evaluate load models the same way.
    expect(tsml("backtest", "-m", file, "--ticker", "SPX").code).toBe(3);
  });

  it("the undamaged files still predict", () => {
    for (const file of [ols, rf]) {
      const run = tsml("predict", "-m", file, "-o", join(dir, "ok.parquet"), "--quiet");
      expect(run.code, run.stderr).toBe(0);
    }
  });
});

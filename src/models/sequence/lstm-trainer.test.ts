import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataError } from "../../core/errors.js";
import { Random } from "../../core/random.js";
import { loadBackend } from "./backend.js";
import { buildDenseWindowModel, predictDenseWindow, trainDenseWindow } from "./dense-window.js";
import { FusedLstm } from "./fused-lstm.js";
import { type LstmTrainParams, predictWindows, trainLstm } from "./lstm-trainer.js";
import { jsEngine, tfEngine } from "./matmul-engine.js";
import { loadSequenceModel, type SequenceModelMeta, saveSequenceModel } from "./sequence-artifact.js";

const dir = mkdtempSync(join(tmpdir(), "tsml-seq-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sine = Float32Array.from({ length: 400 }, (_, i) => Math.sin(i / 6) + 0.3 * Math.sin(i / 17));
const params: LstmTrainParams = {
  steps: 12,
  layers: 2,
  units: 12,
  lr: 0.01,
  batch: 32,
  iterations: 80,
  epochs: null,
  horizon: 1,
  validation: 0,
  patience: 0,
  seed: 5,
};
const task = { kind: "regression" as const, series: sine, trainRows: 320 };

const provenance = { tsmlVersion: "0", command: "test", options: {}, seed: 5, inputs: [], createdAt: "" };
function meta(model: SequenceModelMeta["model"], extra: Partial<SequenceModelMeta>): SequenceModelMeta {
  return {
    model,
    format: "tsml-fused-lstm",
    backend: "wasm",
    ticker: "T",
    target: "close",
    label: null,
    params: {},
    steps: 12,
    horizon: 1,
    transform: null,
    shape: null,
    classes: [],
    lastTime: 0,
    stepMs: 86_400_000,
    splitDate: null,
    split: { trainRows: 320, testRows: 80 },
    metrics: { test: {} },
    training: {},
    ...extra,
  };
}

/** The metadata `tsml train` writes for the test's lstm. */
function lstmMeta(shape: SequenceModelMeta["shape"]): SequenceModelMeta {
  return meta("lstm", {
    shape,
    params: { ...params, detrend: "none" },
    transform: { trend: null, mean: 0, std: 1 },
  });
}

describe("trainLstm", () => {
  it("lowers the loss on a sine wave", () => {
    const { report } = trainLstm(task, params, jsEngine);
    expect(report.losses[report.losses.length - 1].loss).toBeLessThan(report.losses[0].loss * 0.5);
  });

  it("predicts k values at once with --horizon (seed 003's 60 in, 5 out, shortened)", () => {
    const { net, report } = trainLstm(task, { ...params, horizon: 3, iterations: 120 }, jsEngine);
    expect(net.shape).toMatchObject({ head: "last", outputSize: 3 });
    expect(report.losses[report.losses.length - 1].loss).toBeLessThan(report.losses[0].loss * 0.5);
    const out = predictWindows(net, sine, [300, 301], params.steps, jsEngine);
    expect(out).toHaveLength(6);
  });

  it("repeats exactly with the same seed and differs with another", () => {
    const a = trainLstm(task, { ...params, iterations: 10 }, jsEngine).net;
    const b = trainLstm(task, { ...params, iterations: 10 }, jsEngine).net;
    const c = trainLstm(task, { ...params, iterations: 10, seed: 6 }, jsEngine).net;
    expect(b.params).toEqual(a.params);
    expect(c.params[0]).not.toEqual(a.params[0]);
  });

  it("stops early on a validation tail and learns up/down labels", () => {
    const labels = Float64Array.from(sine, (v, i) =>
      i + 1 < sine.length ? (sine[i + 1] > v ? 1 : 0) : Number.NaN,
    );
    const { net, report } = trainLstm(
      { kind: "classification", series: sine, trainRows: 320, labels },
      { ...params, iterations: 200, validation: 0.2, patience: 2 },
      jsEngine,
    );
    expect(report.bestValidationLoss).not.toBeNull();
    const ends = Array.from({ length: 60 }, (_, i) => 330 + i);
    const out = predictWindows(
      net,
      sine,
      ends.map((e) => e - params.steps + 1),
      params.steps,
      jsEngine,
    );
    const hits = ends.filter((e, i) => (out[i] > 0 ? 1 : 0) === labels[e]).length;
    expect(hits / ends.length).toBeGreaterThan(0.8);
  });

  it("saves and loads a model with identical predictions", async () => {
    const engine = tfEngine(await loadBackend("wasm"));
    const { net } = trainLstm(task, { ...params, iterations: 5 }, engine);
    const folder = join(dir, "lstm");
    await saveSequenceModel(folder, provenance, lstmMeta(net.shape), { lstm: net });
    const loaded = await loadSequenceModel(folder, null);
    const starts = Array.from({ length: 50 }, (_, i) => 300 + i);
    expect(predictWindows(loaded.lstm!, sine, starts, 12, engine)).toEqual(
      predictWindows(net, sine, starts, 12, engine),
    );
  });

  it("refuses a damaged folder on load, naming the file and the field", async () => {
    const engine = tfEngine(await loadBackend("wasm"));
    const { net } = trainLstm(task, { ...params, iterations: 2 }, engine);
    const good = lstmMeta(net.shape);
    const cases: [string, Partial<SequenceModelMeta>, RegExp][] = [
      ["layers", { params: { ...good.params, layers: 0 } }, /layers=0 is out of range.*\[1, 10\]/],
      ["unknown", { params: { ...good.params, iteratons: 5 } }, /unknown parameter "iteratons"/],
      ["std", { transform: { trend: null, mean: 0, std: "1" as never } }, /transform\.std is "1"/],
      ["mean", { transform: { trend: null, mean: null as never, std: 1 } }, /transform\.mean is null/],
      ["shape", { shape: { ...net.shape, units: 13 } }, /shape\.units is 13, expected 12/],
      ["steps", { steps: 11 }, /steps is 11 but params\.steps is 12/],
    ];
    for (const [name, change, pattern] of cases) {
      const folder = join(dir, `bad-${name}`);
      await saveSequenceModel(folder, provenance, { ...good, ...change }, { lstm: net });
      const error = await loadSequenceModel(folder, null).catch((e) => e);
      expect(error, name).toBeInstanceOf(DataError);
      expect(error.message, name).toContain(join(folder, "tsml.json"));
      expect(error.message, name).toMatch(pattern);
    }
    // NaN weights: refused when saving, and when a weights.bin with NaN is loaded.
    const diverged = FusedLstm.create(net.shape, new Random(1));
    diverged.params[1][3] = Number.NaN;
    await expect(saveSequenceModel(join(dir, "nan"), provenance, good, { lstm: diverged })).rejects.toThrow(
      /training weight 3 of tensor 1 is NaN/,
    );
    const folder = join(dir, "nan-on-disk");
    await saveSequenceModel(folder, provenance, good, { lstm: net });
    const bytes = readFileSync(join(folder, "weights.bin"));
    new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)[7] = Number.NaN;
    writeFileSync(join(folder, "weights.bin"), bytes);
    await expect(loadSequenceModel(folder, null)).rejects.toThrow(
      /weights\.bin: lstm: saved weight 7 of tensor 0 is NaN/,
    );
  });
});

describe("dense-window", () => {
  it("trains, and saves as tfjs model.json with identical predictions after loading", async () => {
    const { tf } = await loadBackend("wasm");
    const p = { steps: 12, units: 16, dropout: 0.2, lr: 0.01, batch: 32, epochs: 4, seed: 1 };
    const ends = Uint32Array.from({ length: 300 }, (_, i) => i + 11);
    const targets = Float32Array.from(ends, (e) => (sine[e + 1] > sine[e] ? 1 : 0));
    const model = buildDenseWindowModel(tf, p, 2);
    const losses = await trainDenseWindow(tf, model, sine, ends, targets, p);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    const folder = join(dir, "dense");
    await saveSequenceModel(
      folder,
      provenance,
      meta("dense-window", {
        format: "tfjs-layers",
        classes: [0, 1],
        params: p,
        transform: null,
      }),
      {
        layers: model,
        tf,
      },
    );
    const loaded = await loadSequenceModel(folder, tf);
    const test = [320, 330, 340, 350];
    expect(predictDenseWindow(tf, loaded.layers!, sine, test, 12)).toEqual(
      predictDenseWindow(tf, model, sine, test, 12),
    );
  });
});

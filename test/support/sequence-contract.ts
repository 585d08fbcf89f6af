// The contract every sequence model family passes (src/models/contract.test.ts runs it over the registry's
// family list): its declared schema, its own `fit` on a synthetic series, save -> the one loader -> forecasts equal to
// the in-memory network's decoded by hand, the registry's embedded copy scoring the same, same seed -> same
// model, and damaged weights refused on load.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataError } from "../../src/core/errors.js";
import { schemaDefaults, validateParams } from "../../src/models/param-schema.js";
import { loadModel, loadModelFile } from "../../src/models/scoring/load-model.js";
import { loadBackend, type Tf } from "../../src/models/sequence/backend.js";
import { predictDenseWindow } from "../../src/models/sequence/dense-window.js";
import type { FusedLstm } from "../../src/models/sequence/fused-lstm.js";
import { predictWindows } from "../../src/models/sequence/lstm-trainer.js";
import { lstmEngine } from "../../src/models/sequence/matmul-engine.js";
import {
  embedSequenceModel,
  readSequenceModelFiles,
  type SequenceModelMeta,
  saveSequenceModel,
} from "../../src/models/sequence/sequence-artifact.js";
import { sequenceFamily } from "../../src/models/sequence/sequence-family.js";

const DAY = 86_400_000;
const provenance = { tsmlVersion: "0", command: "test", options: {}, seed: 3, inputs: [], createdAt: "" };

/** A price-like series: a slow wave around 100, one bar per day. */
function series(rows: number) {
  const values = Float64Array.from(
    { length: rows },
    (_, i) => 100 + 5 * Math.sin(i / 6) + 2 * Math.sin(i / 17),
  );
  const time = Float64Array.from({ length: rows }, (_, i) => Date.UTC(2020, 0, 1) + i * DAY);
  return { values, time };
}

interface Fitted {
  meta: SequenceModelMeta;
  weights: {
    lstm?: FusedLstm;
    layers?: import("@tensorflow/tfjs").LayersModel;
    tf?: Tf;
  };
  /** The in-memory network's raw outputs for the windows ending at `ends` of a price array. */
  outputs(prices: Float64Array, ends: number[]): Float32Array;
}

/** Registers the contract tests for the sequence family `name` with small `params`. */
export function runSequenceContract(name: string, params: Record<string, unknown>): void {
  const family = sequenceFamily(name);
  const dir = mkdtempSync(join(tmpdir(), `tsml-contract-${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { values, time } = series(240);
  const trainRows = 200;

  /** Fits through the family's own `fit`, as `tsml train` does. */
  async function fitModel(seed: number): Promise<Fitted> {
    if (!family) throw new Error(`${name} is not a sequence family`);
    const p = { ...schemaDefaults(family.schema), ...validateParams(name, family.schema, params) };
    const steps = p.steps as number;
    const horizon = family.horizon(p);
    const up = Float64Array.from(values, (v, i) =>
      i + 1 < values.length ? (values[i + 1] > v ? 1 : 0) : Number.NaN,
    );
    const testEnds = Array.from(
      { length: family.lastScoredEnd(values.length, horizon) - trainRows + 2 },
      (_, i) => trainRows - 1 + i,
    );
    const fit = await family.fit({
      time,
      values,
      trainRows,
      testEnds,
      column: (column) => (column === "optimal_position" ? up : null),
      source: "synthetic series",
      params: p,
      seed,
      backend: await loadBackend("wasm"),
      jobs: 1,
      progress: () => ({ tick() {}, done() {} }),
    });
    const meta: SequenceModelMeta = {
      model: family.name,
      format: family.format,
      backend: "wasm",
      ticker: "T",
      target: "close",
      label: fit.label,
      params: fit.params,
      steps,
      horizon,
      transform: fit.transform,
      shape: fit.shape,
      classes: fit.classes,
      lastTime: time[time.length - 1],
      stepMs: DAY,
      splitDate: null,
      split: { trainRows, testRows: values.length - trainRows },
      metrics: { test: {} },
      training: fit.training,
    };
    const { lstm, layers, tf } = fit.weights;
    if (lstm) {
      const transform = fit.transform!;
      expect(transform.trend, "the contract's params fit no trend").toBeNull();
      expect(fit.outputs.kind).toBe(family.task === "regression" ? "forecast" : "up-down");
      return {
        meta,
        weights: fit.weights,
        outputs: (prices, ends) =>
          predictWindows(
            lstm,
            Float32Array.from(prices, (v) => (v - transform.mean) / transform.std),
            ends.map((e) => e - steps + 1),
            steps,
            lstmEngine(null),
          ),
      };
    }
    expect(fit.outputs.kind).toBe("classes");
    if (!layers || !tf) throw new Error(`${name}: fit returned neither LSTM weights nor a Layers model`);
    return {
      meta,
      weights: fit.weights,
      outputs: (prices, e) => predictDenseWindow(tf, layers, prices, e, steps),
    };
  }

  describe(`sequence model contract: ${name}`, () => {
    it("is a sequence family with a declared schema whose defaults validate", () => {
      expect(family, `${name} has no family in models/sequence/sequence-family.ts`).not.toBeNull();
      const schema = family!.schema;
      expect(Object.keys(schema).length).toBeGreaterThan(0);
      expect(validateParams(name, schema, schemaDefaults(schema))).toEqual(schemaDefaults(schema));
    });

    it("saves, loads through the one loader, and forecasts what the fitted network gives", async () => {
      const fitted = await fitModel(3);
      const folder = join(dir, "model");
      await saveSequenceModel(folder, provenance, fitted.meta, fitted.weights);
      const { scorer } = await loadModelFile(folder);
      expect(scorer.kind).toBe("sequence");
      if (scorer.kind !== "sequence") return;
      expect(scorer.task).toBe(family!.task);
      const steps = fitted.meta.steps;
      const prices = values.subarray(values.length - steps - 4);
      const rows = scorer.forecast(
        Array.from(prices),
        Array.from(time.subarray(time.length - prices.length)),
      );
      expect(rows).toHaveLength(5);
      const ends = [steps - 1, steps, steps + 1, steps + 2, steps + 3];
      const out = fitted.outputs(prices, ends);
      const width = out.length / ends.length;
      rows.forEach((row, i) => {
        expect(row).toHaveLength(scorer.columns.length);
        for (const v of row) expect(Number.isFinite(v)).toBe(true);
        if (family!.task === "regression") {
          // Undo the z-score by hand: forecast = output * std + mean.
          const { mean, std } = fitted.meta.transform!;
          for (let k = 0; k < width; k++) expect(row[k]).toBeCloseTo(out[i * width + k] * std + mean, 9);
        } else if (width === 1) {
          const p = 1 / (1 + Math.exp(-out[i]));
          expect(row).toEqual([p >= 0.5 ? 1 : 0, p]);
        } else {
          expect(row.slice(1)).toEqual(Array.from(out.subarray(i * width, (i + 1) * width)));
          expect(row[0]).toBe(out[i * width + 1] > out[i * width] ? 1 : 0);
        }
      });
      // The registry keeps an embedded copy; it scores the same.
      const copy = await loadModel(embedSequenceModel(readSequenceModelFiles(folder)), "registry T@1");
      expect(copy.kind === "sequence" && copy.forecast(Array.from(prices))).toEqual(
        scorer.forecast(Array.from(prices)),
      );
    });

    it("fits the same model for the same seed", async () => {
      const a = await fitModel(7);
      const b = await fitModel(7);
      const ends = [60, 61, 62];
      expect(b.outputs(values, ends)).toEqual(a.outputs(values, ends));
    });

    it("refuses damaged weights on load, naming the file", async () => {
      const fitted = await fitModel(3);
      const folder = join(dir, "damaged");
      await saveSequenceModel(folder, provenance, fitted.meta, fitted.weights);
      const path = join(folder, "weights.bin");
      writeFileSync(path, readFileSync(path).subarray(0, 6));
      const error = await loadModelFile(folder).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataError);
      expect((error as Error).message).toContain(folder);
    });
  });
}

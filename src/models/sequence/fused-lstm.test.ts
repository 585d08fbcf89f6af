import { describe, expect, it } from "vitest";
import { Random } from "../../core/random.js";
import { loadBackend } from "./backend.js";
import { FusedLstm, type LstmShape } from "./fused-lstm.js";
import { jsEngine, simdEngine, tfEngine } from "./matmul-engine.js";
import { SHARD_ROWS, shardRanges } from "./simd-lstm.js";

function mseLoss(net: FusedLstm, x: Float32Array, y: Float32Array, steps: number, batch: number) {
  const { output, cache } = net.forward(x, steps, batch, jsEngine);
  let loss = 0;
  const d = new Float32Array(output.length);
  for (let i = 0; i < output.length; i++) {
    const e = output[i] - y[i];
    loss += e * e;
    d[i] = (2 * e) / output.length;
  }
  return { loss: loss / output.length, d, cache, output };
}

describe.each(["sequence", "last"] as const)("FusedLstm (%s head)", (head) => {
  it("analytic gradients match central differences", () => {
    const shape: LstmShape = { inputSize: 2, units: 3, layers: 2, outputSize: 2, head };
    const rng = new Random(7);
    const net = FusedLstm.create(shape, rng);
    const steps = 4;
    const batch = 3;
    const x = Float32Array.from({ length: steps * batch * 2 }, () => rng.normal());
    const rowsOut = head === "sequence" ? steps * batch : batch;
    const y = Float32Array.from({ length: rowsOut * 2 }, () => rng.normal());
    const { d, cache } = mseLoss(net, x, y, steps, batch);
    const grads = net.backward(cache, d, jsEngine);
    const eps = 1e-2;
    let checked = 0;
    for (let k = 0; k < net.params.length; k++) {
      const p = net.params[k];
      for (let i = 0; i < p.length; i += 3) {
        const saved = p[i];
        p[i] = saved + eps;
        const up = mseLoss(net, x, y, steps, batch).loss;
        p[i] = saved - eps;
        const down = mseLoss(net, x, y, steps, batch).loss;
        p[i] = saved;
        const numeric = (up - down) / (2 * eps);
        expect(Math.abs(numeric - grads[k][i])).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });
});

describe("FusedLstm on the wasm engine", () => {
  it("matches the plain-JS engine", async () => {
    const backend = await loadBackend("wasm");
    const engine = tfEngine(backend);
    const shape: LstmShape = { inputSize: 1, units: 24, layers: 2, outputSize: 1, head: "sequence" };
    const rng = new Random(3);
    const net = FusedLstm.create(shape, rng);
    const steps = 5;
    const batch = 30; // 30 * 96 gates > 2048 values: exercises the tfjs sigmoid path
    const x = Float32Array.from({ length: steps * batch }, () => rng.normal());
    const a = Float32Array.from(net.forward(x, steps, batch, jsEngine).output);
    const b = net.forward(x, steps, batch, engine).output;
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 4);
    const d = Float32Array.from(a, (v) => v * 0.1);
    const ga = net.backward(net.forward(x, steps, batch, jsEngine).cache, d, jsEngine);
    const gb = net.backward(net.forward(x, steps, batch, engine).cache, d, engine);
    for (let k = 0; k < ga.length; k++)
      for (let i = 0; i < ga[k].length; i += 7) expect(gb[k][i]).toBeCloseTo(ga[k][i], 3);
  });
});

describe("FusedLstm on the SIMD kernels", () => {
  const engine = simdEngine(1);

  function lossOn(net: FusedLstm, x: Float32Array, y: Float32Array, steps: number, batch: number) {
    const { output, cache } = net.forward(x, steps, batch, engine);
    let loss = 0;
    const d = new Float32Array(output.length);
    for (let i = 0; i < output.length; i++) {
      const e = output[i] - y[i];
      loss += e * e;
      d[i] = (2 * e) / output.length;
    }
    return { loss: loss / output.length, d, cache };
  }

  it.each([
    ["sequence", 3, 2],
    ["last", 5, 1],
  ] as const)("analytic gradients match central differences (%s head, %i units)", (head, units, layers) => {
    // 3 and 5 units: not multiples of 4, so the kernels' one-lane tails run; 70 windows: two shards.
    const shape: LstmShape = { inputSize: 2, units, layers, outputSize: 2, head };
    const rng = new Random(11);
    const net = FusedLstm.create(shape, rng);
    const steps = 3;
    const batch = 70;
    const x = Float32Array.from({ length: steps * batch * 2 }, () => rng.normal());
    const y = Float32Array.from({ length: (head === "sequence" ? steps * batch : batch) * 2 }, () =>
      rng.normal(),
    );
    const { d, cache } = lossOn(net, x, y, steps, batch);
    const grads = net.backward(cache, d, engine);
    const eps = 1e-2;
    let checked = 0;
    for (let k = 0; k < net.params.length; k++) {
      const p = net.params[k];
      for (let i = 0; i < p.length; i += 5) {
        const saved = p[i];
        p[i] = saved + eps;
        const up = lossOn(net, x, y, steps, batch).loss;
        p[i] = saved - eps;
        const down = lossOn(net, x, y, steps, batch).loss;
        p[i] = saved;
        const numeric = (up - down) / (2 * eps);
        expect(Math.abs(numeric - grads[k][i])).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("matches the plain-JS engine (100 units, 3 layers, 130 windows in three shards)", () => {
    const shape: LstmShape = { inputSize: 1, units: 100, layers: 3, outputSize: 1, head: "sequence" };
    const rng = new Random(5);
    const net = FusedLstm.create(shape, rng);
    const steps = 6;
    const batch = 130;
    const x = Float32Array.from({ length: steps * batch }, () => rng.normal());
    const a = net.forward(x, steps, batch, jsEngine);
    const b = net.forward(x, steps, batch, engine);
    for (let i = 0; i < a.output.length; i++) expect(b.output[i]).toBeCloseTo(a.output[i], 5);
    const d = Float32Array.from(a.output, (v, i) => (v - x[i]) * 0.01);
    const ga = net.backward(a.cache, d, jsEngine);
    const gb = net.backward(b.cache, d, engine);
    for (let k = 0; k < ga.length; k++) {
      let scale = 0;
      for (const v of ga[k]) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < ga[k].length; i++)
        expect(Math.abs(gb[k][i] - ga[k][i])).toBeLessThan(1e-4 * scale + 1e-7);
    }
  });

  it("gives each window the same output whatever else is in its batch", () => {
    const shape: LstmShape = { inputSize: 1, units: 8, layers: 2, outputSize: 1, head: "last" };
    const rng = new Random(9);
    const net = FusedLstm.create(shape, rng);
    const steps = 4;
    const batch = 150;
    const x = Float32Array.from({ length: steps * batch }, () => rng.normal());
    const all = net.forward(x, steps, batch, engine).output;
    const alone = net.forward(
      Float32Array.from({ length: steps }, (_, t) => x[t * batch + 101]),
      steps,
      1,
      engine,
    );
    expect(alone.output[0]).toBe(all[101]);
  });

  it("refuses a backward pass whose forward was overwritten", () => {
    const net = FusedLstm.create(
      { inputSize: 1, units: 4, layers: 1, outputSize: 1, head: "last" },
      new Random(1),
    );
    const x = new Float32Array(6).fill(0.5);
    const first = net.forward(x, 3, 2, engine);
    net.forward(x, 3, 2, engine);
    expect(() => net.backward(first.cache, new Float32Array(2), engine)).toThrow(/latest forward/);
  });
});

describe("shardRanges", () => {
  it("covers the batch with consecutive shards of at most SHARD_ROWS windows, multiples of 4 but the last", () => {
    for (let batch = 1; batch <= 700; batch++) {
      const ranges = shardRanges(batch);
      expect(ranges.length).toBe(Math.ceil(batch / SHARD_ROWS));
      let at = 0;
      ranges.forEach(({ from, to }, i) => {
        expect(from).toBe(at);
        expect(to - from).toBeGreaterThan(0);
        expect(to - from).toBeLessThanOrEqual(SHARD_ROWS);
        if (i + 1 < ranges.length) expect((to - from) % 4).toBe(0);
        at = to;
      });
      expect(at).toBe(batch);
    }
    expect(shardRanges(100)).toEqual([
      { from: 0, to: 52 },
      { from: 52, to: 100 },
    ]);
  });
});

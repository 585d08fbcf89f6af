import { describe, expect, it } from "vitest";
import { Random } from "../../core/random.js";
import { loadBackend } from "./backend.js";
import { FusedLstm, type LstmShape } from "./fused-lstm.js";
import { jsEngine, tfEngine } from "./matmul-engine.js";

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

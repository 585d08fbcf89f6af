// Times one training step (forward + BPTT + Adam) of tsml's fused LSTM alone, seed 004's shape, with CPU time.
// Usage: npm run build && node bench/lstm-bench/fused-step.mjs [iterations=30] [simd|wasm|cpu] [threads]
// (simd: tsml's own WebAssembly SIMD kernels over `threads` threads; wasm/cpu: products on that tfjs backend)
import { Random } from "../../dist/core/random.js";
import { Adam } from "../../dist/models/sequence/adam.js";
import { loadBackend } from "../../dist/models/sequence/backend.js";
import { FusedLstm } from "../../dist/models/sequence/fused-lstm.js";
import { simdEngine, tfEngine } from "../../dist/models/sequence/matmul-engine.js";

const n = Number(process.argv[2] ?? 30);
const kind = process.argv[3] ?? "simd";
const engine = kind === "simd" ? simdEngine(Number(process.argv[4] ?? 2)) : tfEngine(await loadBackend(kind));
const rng = new Random(1);
const net = FusedLstm.create({ inputSize: 1, units: 100, layers: 3, outputSize: 1, head: "sequence" }, rng);
const adam = new Adam(net.params);
const x = Float32Array.from({ length: 3000 }, () => rng.normal());
const step = () => {
  const { output, cache } = net.forward(x, 30, 100, engine);
  const d = Float32Array.from(output, (v, i) => (2 * (v - x[i])) / output.length);
  adam.update(net.backward(cache, d, engine));
};
for (let i = 0; i < 3; i++) step();
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < n; i++) step();
const cpu = process.cpuUsage(c0);
console.log(
  `${engine.name}${kind === "simd" ? ` x ${engine.passes.threads} threads` : ""}: fused LSTM ${((performance.now() - t0) / n).toFixed(1)} ms wall, ` +
    `${((cpu.user + cpu.system) / 1000 / n).toFixed(1)} ms cpu per training step`,
);

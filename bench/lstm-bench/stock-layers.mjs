// Baseline for bench/lstm-bench: the same network (3 x LSTM(100), seq-to-seq dense head, batch 100, 30 steps)
// with tfjs-layers' stock LSTM layer, timed per training step on the wasm (or cpu) backend.
// Usage: node bench/lstm-bench/stock-layers.mjs [steps-to-time=5] [wasm|cpu]
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

const reps = Number(process.argv[2] ?? 5);
await tf.setBackend(process.argv[3] ?? "wasm");
await tf.ready();
const model = tf.sequential();
model.add(tf.layers.lstm({ units: 100, returnSequences: true, inputShape: [30, 1] }));
model.add(tf.layers.lstm({ units: 100, returnSequences: true }));
model.add(tf.layers.lstm({ units: 100, returnSequences: true }));
model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 1 }) }));
model.compile({ optimizer: tf.train.adam(0.001), loss: "meanSquaredError" });
const x = tf.randomNormal([100, 30, 1]);
const y = tf.randomNormal([100, 30, 1]);
await model.trainOnBatch(x, y); // warm-up
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < reps; i++) await model.trainOnBatch(x, y);
const cpu = process.cpuUsage(c0);
console.log(
  `${tf.getBackend()}: stock tfjs-layers LSTM ${((performance.now() - t0) / reps).toFixed(1)} ms wall, ` +
    `${((cpu.user + cpu.system) / 1000 / reps).toFixed(1)} ms cpu per training step`,
);

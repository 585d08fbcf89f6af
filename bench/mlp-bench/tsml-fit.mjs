// tsml's `mlp` (hidden [100], relu, Adam, batch 200, 50 epochs, no early stop) on the synthetic 50,000 x 20
// table of bench/trees-make-data.py: fit on the first 75%, test accuracy. Prints one JSON line.
// Usage: node bench/mlp-bench/tsml-fit.mjs PREFIX [epochs=50]   (needs `npm run build`)
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const { MlpClassifier } = await import(join(root, "dist", "models", "mlp", "mlp-classifier.js"));
const prefix = process.argv[2];
const epochs = Number(process.argv[3] ?? 50);
const Xall = new Float64Array(readFileSync(`${prefix}.X.f64`).buffer.slice(0));
const y = new Float64Array(readFileSync(`${prefix}.y.f64`).buffer.slice(0));
const n = y.length;
const p = Xall.length / n;
const cut = Math.floor(n * 0.75);
const columns = Array.from({ length: p }, (_, j) => Xall.subarray(j * n, (j + 1) * n));
const train = { rows: cut, columns: columns.map((c) => c.subarray(0, cut)) };
const test = { rows: n - cut, columns: columns.map((c) => c.subarray(cut)) };
const started = performance.now();
const model = new MlpClassifier({ hidden_layer_sizes: [100], max_iter: epochs, n_iter_no_change: 0 });
await model.fit(train, y.subarray(0, cut), { seed: 0 });
const fit = (performance.now() - started) / 1000;
const pred = model.predict(test);
let hits = 0;
for (let i = 0; i < pred.length; i++) if (pred[i] === y[cut + i]) hits++;
console.log(JSON.stringify({ fit_seconds: fit, test_accuracy: hits / pred.length }));

#!/usr/bin/env node
// tsml's `ols` on the synthetic 50,000 x 20 table (bench/trees-make-data.py): fit on the first 75%, test accuracy.
// Usage: node bench/ols-bench.js PREFIX   (needs `npm run build`); bench/train-bench.sh times the whole process.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { LogisticRegression } = await import(
  join(root, "dist", "models", "logistic", "logistic-regression.js")
);
const prefix = process.argv[2];
const Xall = new Float64Array(readFileSync(`${prefix}.X.f64`).buffer.slice(0));
const y = new Float64Array(readFileSync(`${prefix}.y.f64`).buffer.slice(0));
const n = y.length;
const p = Xall.length / n;
const cut = Math.floor(n * 0.75);
const columns = Array.from({ length: p }, (_, j) => Xall.subarray(j * n, (j + 1) * n));
const train = { rows: cut, columns: columns.map((c) => c.subarray(0, cut)) };
const test = { rows: n - cut, columns: columns.map((c) => c.subarray(cut)) };
const started = performance.now();
const model = new LogisticRegression({});
await model.fit(train, y.subarray(0, cut), { seed: 0 });
const fitSeconds = (performance.now() - started) / 1000;
const pred = model.predict(test);
let hits = 0;
for (let i = 0; i < pred.length; i++) if (pred[i] === y[cut + i]) hits++;
console.log(`ols fit ${fitSeconds.toFixed(3)} s, test accuracy ${(hits / pred.length).toFixed(4)}`);

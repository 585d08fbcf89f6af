#!/usr/bin/env node
// The non-tree families against bench/zoo-anchor.py (same rows, same split): test accuracy and fit seconds.
// Usage: /usr/bin/python3 bench/trees-make-data.py /tmp/tsml-trees-bench && node bench/zoo-compare.mjs

import { readFileSync } from "node:fs";

const root = new URL("../dist/models/", import.meta.url).href;
await import(root + "all-models.js");
const { getModelFactory } = await import(root + "registry.js");
const prefix = "/tmp/tsml-trees-bench";
const Xall = new Float64Array(readFileSync(prefix + ".X.f64").buffer.slice(0));
const yall = new Float64Array(readFileSync(prefix + ".y.f64").buffer.slice(0));
const N = yall.length,
  p = Xall.length / N,
  n = 4000,
  cut = 3000;
const cols = Array.from({ length: p }, (_, j) => Xall.subarray(j * N, j * N + n));
const tr = { rows: cut, columns: cols.map((c) => c.subarray(0, cut)) },
  te = { rows: n - cut, columns: cols.map((c) => c.subarray(cut)) };
for (const [name, model, params] of [
  ["ols", "ols", {}],
  ["ridge", "ridge", { alpha: 0 }],
  ["sv", "sv", {}],
  ["svlin", "sv", { kernel: "linear" }],
  ["knn", "knn", { n_neighbors: 12, weights: "distance", p: 1 }],
  ["mlp", "mlp", {}],
  ["nn", "nn", {}],
]) {
  const m = getModelFactory(model).create(params);
  const t = performance.now();
  await m.fit(tr, yall.subarray(0, cut), { seed: 0 });
  const pr = m.predict(te);
  let h = 0;
  for (let i = 0; i < pr.length; i++) if (pr[i] === yall[cut + i]) h++;
  console.log(name, (h / pr.length).toFixed(4), ((performance.now() - t) / 1000).toFixed(2));
}

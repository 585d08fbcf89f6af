// Benchmarks tsml's tree families on the synthetic table written by bench/trees-make-data.py.
// Usage: npm run build && node bench/trees-bench.js rf|et|gbdt|dtab PREFIX [key=value ...]
// (bench/trees-bench.sh times the whole process of this and of the Python anchors.)
import { readFileSync } from "node:fs";
import { getModelFactory } from "../dist/models/registry.js";
// The tree factories only, so the timing does not include loading TensorFlow.js for the neural models.
import "../dist/models/dtab/dtab-factory.js";
import "../dist/models/et/et-factory.js";
import "../dist/models/gbdt/gbdt-factory.js";
import "../dist/models/rf/rf-factory.js";

const t0 = performance.now();
const [model, prefix, ...pairs] = process.argv.slice(2);
const readF64 = (path) => {
  const bytes = readFileSync(path);
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8).slice();
};
const y = readF64(`${prefix}.y.f64`);
const all = readF64(`${prefix}.X.f64`);
const n = y.length;
const p = all.length / n;
const cut = Math.floor(0.75 * n);
const columns = Array.from({ length: p }, (_, j) => all.subarray(j * n, (j + 1) * n));
const train = { rows: cut, columns: columns.map((c) => c.subarray(0, cut)) };
const test = { rows: n - cut, columns: columns.map((c) => c.subarray(cut)) };
const presets = {
  rf: { n_estimators: 100, max_depth: 8, max_features: 0.3 },
  et: { n_estimators: 100, max_depth: 8, max_features: 0.3 },
  gbdt: { n_estimators: 200, max_depth: 6, learning_rate: 0.1 },
  dtab: { n_estimators: 50, learning_rate: 1.0 },
};
const params = { ...presets[model] };
for (const pair of pairs) {
  const [key, value] = pair.split("=");
  params[key] = Number.isNaN(Number(value)) ? value : Number(value);
}
const classifier = getModelFactory(model).create(params);
const t1 = performance.now();
const cpu = process.cpuUsage();
await classifier.fit(train, y.subarray(0, cut), { seed: 0 });
const t2 = performance.now();
const fitCpu = process.cpuUsage(cpu);
const predicted = classifier.predict(test);
let correct = 0;
for (let i = 0; i < test.rows; i++) if (predicted[i] === y[cut + i]) correct++;
const t3 = performance.now();
console.log(
  `${model} fit ${((t2 - t1) / 1000).toFixed(3)}s (cpu ${((fitCpu.user + fitCpu.system) / 1e6).toFixed(3)}s) predict ${((t3 - t2) / 1000).toFixed(3)}s accuracy ${(correct / test.rows).toFixed(4)} (load ${((t1 - t0) / 1000).toFixed(3)}s)`,
);

// mlp benchmark (issue 18): tsml's `mlp` against scikit-learn's MLPClassifier, hidden [100], 50 epochs, on the
// synthetic 50,000 x 20 table (bench/trees-make-data.py, fit on the first 37,500 rows), whole processes timed
// back to back and interleaved, `runs` times.
// Usage: npm run build && node bench/mlp-bench/run.mjs [runs=3] [epochs=50]   (needs Debian's python3-sklearn)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const runs = Number(process.argv[2] ?? 3);
const epochs = process.argv[3] ?? "50";
const dir = mkdtempSync(join(tmpdir(), "tsml-mlp-bench-"));
const prefix = join(dir, "data");

// Wall seconds of a whole child process (bash's `time`) and its last stdout line as JSON.
function timed(command) {
  const run = spawnSync("bash", ["-c", `TIMEFORMAT='%R'; time (${command})`], {
    cwd: root,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`${command}\n${run.stderr}`);
  const wall = Number(run.stderr.trim().split("\n").pop());
  return { wall, result: JSON.parse(run.stdout.trim().split("\n").pop()) };
}

spawnSync("/usr/bin/python3", ["bench/trees-make-data.py", prefix], { cwd: root, stdio: "inherit" });
console.log(`machine: ${cpus().length} x ${cpus()[0].model}`);
const ratios = [];
for (let r = 1; r <= runs; r++) {
  const load = loadavg()[0].toFixed(2);
  const ours = timed(`node bench/mlp-bench/tsml-fit.mjs ${prefix} ${epochs}`);
  const theirs = timed(`/usr/bin/python3 bench/mlp-bench/sklearn_anchor.py ${prefix} ${epochs}`);
  ratios.push(ours.wall / theirs.wall);
  console.log(
    `run ${r} (load ${load}): tsml ${ours.wall.toFixed(2)} s (fit ${ours.result.fit_seconds.toFixed(2)} s, ` +
      `accuracy ${ours.result.test_accuracy.toFixed(4)}) | scikit-learn ${theirs.result.sklearn} ` +
      `${theirs.wall.toFixed(2)} s (fit ${theirs.result.fit_seconds.toFixed(2)} s, accuracy ` +
      `${theirs.result.test_accuracy.toFixed(4)}) | ratio ${(ours.wall / theirs.wall).toFixed(2)}x`,
  );
}
console.log(
  `whole-process ratios tsml / scikit-learn: ${ratios.map((x) => x.toFixed(2)).join(", ")} (target <= 1.5)`,
);
rmSync(dir, { recursive: true, force: true });

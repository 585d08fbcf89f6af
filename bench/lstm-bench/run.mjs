// LSTM benchmark (issues 6, 18): seed 004's set-up (3 x LSTM(100), 30 steps, batch 100, Adam 0.001, MSE,
// random sorted batches per iteration) for 200 iterations on the S&P 500 closes, the whole `tsml train` process
// against PyTorch's training loop with 1 thread (bench/lstm-bench/pytorch_anchor.py), `runs` times interleaved.
// Usage: npm run build && node bench/lstm-bench/run.mjs [iterations=200] [backend=wasm] [runs=1] [jobs]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const iterations = process.argv[2] ?? "200";
const backend = process.argv[3] ?? "wasm";
const runs = Number(process.argv[4] ?? 1);
const jobs = process.argv[5] ? ` --jobs ${process.argv[5]}` : "";
const csv = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
const split = "2015-01-01";
const ws = mkdtempSync(join(tmpdir(), "tsml-lstm-bench-"));

// Wall and CPU seconds of a whole child process, measured by bash's `time`.
function timed(command) {
  const run = spawnSync("bash", ["-c", `TIMEFORMAT='%R %U %S'; time (${command})`], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC" },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`${command}\n${run.stderr}`);
  const [wall, user, sys] = run.stderr.trim().split("\n").pop().split(" ").map(Number);
  return { stdout: run.stdout, wall, cpu: user + sys };
}

const tsml = `node bin/tsml.js --workspace ${ws}`;
timed(`${tsml} --quiet ingest csv ${csv} --ticker SPX`);
console.log(`machine: ${cpus().length} x ${cpus()[0].model}`);
for (let run = 1; run <= runs; run++) {
  const load = loadavg()[0].toFixed(2);
  const train = timed(
    `${tsml} --json --quiet --seed 2017 train --model lstm --ticker SPX --split-date ${split} --detrend linear ` +
      `--steps 30 --layers 3 --units 100 --batch 100 --lr 0.001 --iterations ${iterations} --patience 0 ` +
      `--backend ${backend}${jobs}`,
  );
  const ours = JSON.parse(train.stdout);
  const anchor = timed(`/usr/bin/python3 bench/lstm-bench/pytorch_anchor.py ${csv} ${iterations} ${split}`);
  const torch = JSON.parse(anchor.stdout.trim().split("\n").pop());
  console.log(`run ${run} (load average ${load} before it, ${loadavg()[0].toFixed(2)} after)`);
  const rows = [
    ["", "tsml train (whole process)", `PyTorch ${torch.torch} loop, 1 thread`],
    ["wall s", train.wall.toFixed(2), torch.train_seconds.toFixed(2)],
    ["process cpu s", train.cpu.toFixed(2), `${anchor.cpu.toFixed(2)} (whole python process)`],
    ["ms / iteration (loop)", ours.training.msPerIteration.toFixed(1), torch.ms_per_iteration.toFixed(1)],
    ["final batch MSE (z)", ours.training.finalLoss.toFixed(4), torch.final_train_mse.toFixed(4)],
    ["test MSE (price)", ours.metrics.mse.toFixed(0), torch.test_mse.toFixed(0)],
    ["test sMAPE %", ours.metrics.smape.toFixed(2), ""],
  ];
  for (const r of rows) console.log(r[0].padEnd(24), String(r[1]).padEnd(28), r[2]);
  console.log(
    `ratio wall (tsml process / torch loop): ${(train.wall / torch.train_seconds).toFixed(2)}x (target <= 1.0); ` +
      `test MSE ratio ${(ours.metrics.mse / torch.test_mse).toFixed(2)}x (target <= 2)`,
  );
}
rmSync(ws, { recursive: true, force: true });

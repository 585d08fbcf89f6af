// bench/backtest-bench: the whole `tsml backtest` process (read, compute, write) on a 1M-row, 200-ticker
// features table with --signal macd_binary, against seed 000's pandas backtest per ticker (compute only).
// Usage: npm run build && node bench/backtest-bench/run.mjs [runs] [--narrow]   (needs /usr/bin/python3 + pandas)

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const runs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 5);
const narrow = process.argv.includes("--narrow");
// TSML_BIN points at another build of the CLI (e.g. a private copy while dist/ is being rebuilt).
const bin = process.env.TSML_BIN ?? join(root, "bin", "tsml.js");
const dir = mkdtempSync(join(tmpdir(), "tsml-backtest-bench-"));
try {
  execFileSync(process.execPath, [join(here, "make-data.mjs"), dir, ...(narrow ? ["--narrow"] : [])], {
    stdio: "inherit",
  });
  const tsmlTimes = [];
  for (let r = 0; r < runs; r++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(
      process.execPath,
      [
        bin,
        "--quiet",
        "--workspace",
        join(dir, "ws"),
        "backtest",
        "-i",
        join(dir, "features.parquet"),
        "--signal",
        "macd_binary",
        "--split-date",
        "2010-01-01",
        "--no-chart",
        "-o",
        join(dir, "backtest.parquet"),
      ],
      { stdio: "inherit" },
    );
    if (run.status !== 0) throw new Error(`tsml backtest failed with ${run.status}`);
    tsmlTimes.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  const anchorTimes = [];
  if (existsSync("/usr/bin/python3")) {
    for (let r = 0; r < Math.min(runs, 3); r++) {
      const out = execFileSync(
        "/usr/bin/python3",
        [join(here, "seed-backtest.py"), join(dir, "features.csv"), "2010-01-01"],
        {
          encoding: "utf8",
        },
      );
      anchorTimes.push(Number(/ANCHOR_SECONDS=([\d.]+)/.exec(out)[1]));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const tsml = median(tsmlTimes);
  console.log(
    `tsml backtest whole process (read+compute+write), median of ${runs}: ${tsml.toFixed(3)} s  [${tsmlTimes.map((t) => t.toFixed(3)).join(", ")}]`,
  );
  if (anchorTimes.length) {
    const anchor = median(anchorTimes);
    console.log(
      `pandas seed backtest per ticker, compute only, median of ${anchorTimes.length}: ${anchor.toFixed(3)} s`,
    );
    console.log(`ratio tsml / pandas: ${(tsml / anchor).toFixed(2)}x (target <= 0.5x)`);
  } else console.log("no /usr/bin/python3: anchor skipped");
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Synthetic 200-ticker x 5,000-bar features table (1M rows) with seed 000's price, delta_tm and macd_binary,
// plus (unless --narrow) 22 more columns standing in for the rest of seed 000's feature set, so both sides
// work on a features-table-wide frame. Written as a tsml features Parquet (for tsml) and a CSV (for the pandas
// anchor). Deterministic (seeded).
// Usage: node bench/backtest-bench/make-data.mjs OUT_DIR [tickers] [bars] [--narrow]

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeProvenance } from "../../dist/artifacts/provenance.js";
import { tableMeta, writeTable } from "../../dist/artifacts/table-io.js";
import { Random } from "../../dist/core/random.js";
import { Frame } from "../../dist/frame/frame.js";

const args = process.argv.slice(2).filter((a) => a !== "--narrow");
const narrow = process.argv.includes("--narrow");
const out = args[0] ?? "bench-data";
const tickers = Number(args[1] ?? 200);
const bars = Number(args[2] ?? 5000);
// The rest of seed 000's feature columns (values are noise: the backtest never reads them).
const EXTRA = narrow
  ? []
  : [
      "high",
      "low",
      "volume",
      "price_prev",
      "delta",
      "rt",
      "rt1",
      "rt2",
      "rt3",
      "rt4",
      "rt5",
      "rt_tm",
      "up_down_tm",
      "price_1wk",
      "up_down_1wk",
      "macd",
      "macd_signal",
      "macd_delta",
      "macd_change_dod",
      "RSI",
      "CCI",
      "EMV",
    ];
mkdirSync(out, { recursive: true });
const n = tickers * bars;
const time = new Float64Array(n);
const codes = new Uint32Array(n);
const price = new Float64Array(n);
const deltaTm = new Float64Array(n);
const macdBinary = new Float64Array(n);
const random = new Random(7);
const ewm = (x, span) => {
  const a = 2 / (span + 1);
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = i === 0 ? x[0] : (1 - a) * y[i - 1] + a * x[i];
  return y;
};
const extra = EXTRA.map(() => new Float64Array(n));
const csv = [["ticker,date,price,delta_tm,macd_binary", ...EXTRA].join(",")];
for (let t = 0; t < tickers; t++) {
  const p = new Float64Array(bars);
  let value = 100;
  for (let i = 0; i < bars; i++) {
    value *= 1 + 0.01 * (random.next() * 2 - 1) + 0.0002;
    p[i] = Math.round(value * 100) / 100;
  }
  const macd = ewm(p, 12);
  const e26 = ewm(p, 26);
  for (let i = 0; i < bars; i++) macd[i] -= e26[i];
  const signalLine = ewm(macd, 9);
  for (let i = 0; i < bars; i++) {
    const row = t * bars + i;
    time[row] = Date.UTC(2000, 0, 3) + i * 86_400_000;
    codes[row] = t;
    price[row] = p[i];
    deltaTm[row] = i < bars - 1 ? p[i + 1] - p[i] : Number.NaN;
    macdBinary[row] = macd[i] > signalLine[i] ? 1 : 0;
    csv.push(
      `T${t},${new Date(time[row]).toISOString().slice(0, 10)},${p[i]},${Number.isNaN(deltaTm[row]) ? "" : deltaTm[row]},${macdBinary[row]}`,
    );
  }
}
const frame = new Frame({
  time,
  tickerCodes: codes,
  tickerNames: Array.from({ length: tickers }, (_, t) => `T${t}`),
  columns: new Map([
    ["price", price],
    ["delta_tm", deltaTm],
    ["macd_binary", macdBinary],
    ...EXTRA.map((name, c) => [name, extra[c]]),
  ]),
});
const provenance = await makeProvenance({ command: "bench make-data", options: { tickers, bars }, seed: 7 });
await writeTable(join(out, "features.parquet"), frame, tableMeta("features", provenance, {}));
writeFileSync(join(out, "features.csv"), `${csv.join("\n")}\n`);
console.log(`wrote ${n} rows (${tickers} tickers x ${bars} bars, ${5 + EXTRA.length} columns) to ${out}`);

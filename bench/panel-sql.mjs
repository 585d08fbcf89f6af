// The synthetic price panel the scale-out benches share, as DuckDB SQL: row i is ticker i / days, day i % days,
// a smooth per-ticker path times hashed (deterministic) noise, so every run measures the same data.

/** SELECT of `tickers` x `days` daily bars (ticker, date, open, high, low, close, volume). */
export function panelSql(tickers, days) {
  const u = (salt) => `((hash(i * 7 + ${salt}) % 1000003) / 1000003.0)`;
  return `
    SELECT 'T' || lpad(CAST(i // ${days} AS VARCHAR), 5, '0') AS ticker,
           DATE '2000-01-03' + CAST(i % ${days} AS INTEGER) AS date,
           p * (1 + 0.01 * (${u(1)} - 0.5)) AS open, p * (1.005 + 0.01 * ${u(2)}) AS high,
           p * (0.995 - 0.01 * ${u(3)}) AS low, p AS close, floor(1e5 + 1e7 * ${u(4)}) AS volume
    FROM (SELECT i, 50 + 20 * sin((i % ${days}) / (40.0 + i // ${days} % 17) + i // ${days}) + 5 * ${u(0)} AS p
          FROM range(${tickers * days}) r(i))`;
}

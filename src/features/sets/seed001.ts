// Feature set `seed001`: seed 001's Alpha Vantage indicator set (TA-Lib definitions), derived columns and trend targets.

import type { BarSeries } from "../bar-series.js";
import type { FeatureBlock } from "../feature-block.js";
import { ad } from "../indicators/accumulation-distribution.js";
import { aroon } from "../indicators/aroon.js";
import { bbands } from "../indicators/bbands.js";
import { directionalMovement } from "../indicators/directional-movement.js";
import { macd } from "../indicators/macd.js";
import { mfi } from "../indicators/mfi.js";
import { obv } from "../indicators/obv.js";
import { ppo } from "../indicators/ppo.js";
import { rsi } from "../indicators/rsi.js";
import { sma } from "../indicators/sma.js";
import { stoch } from "../indicators/stochastic.js";
import { trix } from "../indicators/trix.js";
import { trendLabels } from "../labels/trend.js";

/** The seed's `settings.time_period` for RSI, ADX, DX, MFI, AROON, TRIX and BBANDS. */
export const SEED001_PERIOD = 7;

/**
 * Columns (the seed's names): 7_day_ADX, AroonDown, AroonUp, MACD, MACD_Signal, MACD_Hist, 7_day_RSI, SlowK,
 * SlowD, 7_day_MFI, 7_day_DX, 7_day_TRIX (x100 again, as the seed's _transform_data does), PPO,
 * OBV_pct_change, AD_pct_change, BBANDS_distance_pct and the SMA 2/10, 2/20, 10/20 percent differences; the
 * raw OBV, A/D, bands and SMAs are dropped as in the seed. Labels trend_up / trend_down: the 10-day SMA
 * 10 rows ahead is >= +5% / <= -5% from today's.
 */
export function seed001(bars: BarSeries, trend = { window: 10, horizon: 10, pct: 0.05 }): FeatureBlock {
  const { high, low, close, volume } = bars;
  const n = close.length;
  const p = SEED001_PERIOD;
  const sma2 = sma(close, 2);
  const sma10 = sma(close, 10);
  const sma20 = sma(close, 20);
  const dm = directionalMovement(high, low, close, p);
  const ar = aroon(high, low, p);
  const m = macd(close, 12, 26, 9);
  const st = stoch(high, low, close, 5, 3, 3);
  const tr = trix(close, p);
  for (let i = 0; i < n; i++) tr[i] *= 100;
  const bb = bbands(close, p, 2, 2);
  const rsi7 = rsi(close, p);
  const mfi7 = mfi(high, low, close, volume, p);
  const ppoValues = ppo(close, 12, 26);
  const rawColumns = [
    sma2,
    sma10,
    sma20,
    dm.adx,
    dm.dx,
    ar.up,
    m.macd,
    m.signal,
    st.k,
    st.d,
    rsi7,
    mfi7,
    tr,
    bb.upper,
    ppoValues,
  ];
  // Alpha Vantage returns each indicator only where defined and the seed inner-joins them on date, so the
  // seed's pct_change() starts at the first row where every indicator exists: that row has no previous one.
  let firstComplete = 0;
  while (firstComplete < n && rawColumns.some((c) => Number.isNaN(c[firstComplete]))) firstComplete++;
  const pctChange = (x: Float64Array) => {
    const out = new Float64Array(n).fill(Number.NaN);
    for (let i = firstComplete + 1; i < n; i++) out[i] = (x[i] / x[i - 1] - 1) * 100;
    return out;
  };
  const pctDiff = (a: Float64Array, b: Float64Array) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = ((a[i] - b[i]) / b[i]) * 100;
    return out;
  };
  const labels = trendLabels(close, trend.window, trend.horizon, trend.pct);
  const columns = new Map<string, Float64Array>([
    [`${p}_day_ADX`, dm.adx],
    ["AroonDown", ar.down],
    ["AroonUp", ar.up],
    ["MACD", m.macd],
    ["MACD_Signal", m.signal],
    ["MACD_Hist", m.hist],
    [`${p}_day_RSI`, rsi7],
    ["SlowK", st.k],
    ["SlowD", st.d],
    [`${p}_day_MFI`, mfi7],
    [`${p}_day_DX`, dm.dx],
    [`${p}_day_TRIX`, tr],
    ["PPO", ppoValues],
    ["OBV_pct_change", pctChange(obv(close, volume))],
    ["AD_pct_change", pctChange(ad(high, low, close, volume))],
    ["BBANDS_distance_pct", pctDiff(bb.upper, bb.lower)],
    ["2_day_SMA_10_day_SMA_pct_diff", pctDiff(sma2, sma10)],
    ["2_day_SMA_20_day_SMA_pct_diff", pctDiff(sma2, sma20)],
    ["10_day_SMA_20_day_SMA_pct_diff", pctDiff(sma10, sma20)],
    ...labels.columns,
  ]);
  return { columns, labels: labels.labels };
}

// Feature set `seed000`: seed 000's feature_engineering() with its exact column names and arithmetic.

import type { BarSeries } from "../bar-series.js";
import type { FeatureBlock, LabelInfo } from "../feature-block.js";
import { pandasEwmMean, rollingMeanMinOne, rollingStdMinOne, shift } from "./pandas-like.js";

/** Seed 000's forward-looking columns: tomorrow's delta/return/direction and the price a week (7 rows) ahead. */
export const SEED000_LABELS: readonly LabelInfo[] = [
  { name: "delta_tm", horizon: 1, kind: "regression" },
  { name: "rt_tm", horizon: 1, kind: "regression" },
  { name: "up_down_tm", horizon: 1, kind: "classification" },
  { name: "price_1wk", horizon: 7, kind: "regression" },
  { name: "up_down_1wk", horizon: 7, kind: "classification" },
];

/**
 * Columns in the seed's order: price, high, low, volume (the seed's own columns), then price_prev, delta,
 * delta_tm, rt, rt1..rt5, rt_tm, up_down_tm, price_1wk, up_down_1wk, macd, macd_signal, macd_delta,
 * macd_change_dod, macd_binary, RSI, CCI, EMV, FI. The 0/1 labels are NaN where the seed's np.where would
 * compare against a missing value (those rows are dropped unless --keep-incomplete).
 */
export function seed000(bars: BarSeries): FeatureBlock {
  const { close: price, high, low, volume } = bars;
  const n = price.length;
  const priceShift = shift(price, 1);
  if (n > 0) priceShift[0] = price[0]; // shift(1).bfill(): only row 0 is missing, filled from row 1 = price[0]
  const pricePrev = priceShift;
  const delta = new Float64Array(n);
  const rt = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    delta[i] = price[i] - pricePrev[i];
    rt[i] = delta[i] / pricePrev[i];
  }
  const deltaTm = shift(delta, -1);
  const rtTm = shift(rt, -1);
  const upDownTm = new Float64Array(n);
  const price1wk = shift(price, -7);
  const upDown1wk = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    upDownTm[i] = Number.isNaN(rtTm[i]) ? Number.NaN : rtTm[i] > 0 ? 1 : 0;
    upDown1wk[i] = Number.isNaN(price1wk[i]) ? Number.NaN : price1wk[i] > price[i] ? 1 : 0;
  }
  const ema12 = pandasEwmMean(price, 12);
  const ema26 = pandasEwmMean(price, 26);
  const macd = new Float64Array(n);
  for (let i = 0; i < n; i++) macd[i] = ema12[i] - ema26[i];
  const macdSignal = pandasEwmMean(macd, 9);
  const macdDelta = new Float64Array(n);
  const macdBinary = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    macdDelta[i] = macd[i] - macdSignal[i];
    macdBinary[i] = macd[i] > macdSignal[i] ? 1 : 0;
  }
  const macdChange = new Float64Array(n).fill(Number.NaN);
  for (let i = 1; i < n; i++) macdChange[i] = macdDelta[i] - macdDelta[i - 1];

  // RSI as the seed computes it: simple 14-row rolling means of up/down moves (min_periods=1), not Wilder.
  const up = new Float64Array(n);
  const down = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // biome-ignore lint/complexity/useMathMinMax: np.where semantics (NaN -> 0), which Math.max/min do not have
    up[i] = delta[i] > 0 ? delta[i] : 0;
    // biome-ignore lint/complexity/useMathMinMax: as above
    down[i] = Math.abs(delta[i] < 0 ? delta[i] : 0);
  }
  const rollUp = rollingMeanMinOne(up, 14);
  const rollDown = rollingMeanMinOne(down, 14);
  const rsi = new Float64Array(n);
  for (let i = 0; i < n; i++) rsi[i] = 100.0 - 100.0 / (1.0 + rollUp[i] / rollDown[i]);

  const mean3 = rollingMeanMinOne(price, 3);
  const std3 = rollingStdMinOne(price, 3);
  const cci = new Float64Array(n);
  for (let i = 0; i < n; i++) cci[i] = (price[i] - mean3[i]) / (0.015 * std3[i]);

  const emv = new Float64Array(n);
  const fi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = i === 0 ? 0 : i - 1; // shift(1).bfill()
    const distance = (high[i] + low[i]) / 2 - (high[j] + low[j]) / 2;
    const boxRatio = volume[i] / 100_000_000 / (high[i] - low[i]);
    emv[i] = distance / boxRatio;
    fi[i] = delta[i] * volume[i];
  }

  const columns = new Map<string, Float64Array>([
    ["price", price],
    ["high", high],
    ["low", low],
    ["volume", volume],
    ["price_prev", pricePrev],
    ["delta", delta],
    ["delta_tm", deltaTm],
    ["rt", rt],
    ["rt1", shift(rt, 1)],
    ["rt2", shift(rt, 2)],
    ["rt3", shift(rt, 3)],
    ["rt4", shift(rt, 4)],
    ["rt5", shift(rt, 5)],
    ["rt_tm", rtTm],
    ["up_down_tm", upDownTm],
    ["price_1wk", price1wk],
    ["up_down_1wk", upDown1wk],
    ["macd", macd],
    ["macd_signal", macdSignal],
    ["macd_delta", macdDelta],
    ["macd_change_dod", macdChange],
    ["macd_binary", macdBinary],
    ["RSI", rsi],
    ["CCI", cci],
    ["EMV", emv],
    ["FI", fi],
  ]);
  return { columns, labels: [...SEED000_LABELS] };
}

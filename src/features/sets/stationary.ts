// Feature set `stationary` (the default): quantities whose distribution does not drift with the price level,
// so a model trained on one decade can score the next: returns over several horizons, RSI, price relative to
// its moving averages, realised volatility, and a volume z-score when the bars carry volume. Close-only and
// monthly bars work (the longest look-back is 20 bars); raw prices and volumes are never features.

import type { BarSeries } from "../bar-series.js";
import type { FeatureBlock } from "../feature-block.js";
import { rsi } from "../indicators/rsi.js";
import { sma } from "../indicators/sma.js";
import { upDownLabel } from "../labels/up-down.js";

/** Return horizons in bars (ret_K = close[t] / close[t-K] - 1). */
export const STATIONARY_RETURN_HORIZONS = [1, 5, 10, 20] as const;
/** Moving averages the close is compared with (close_sma_N = close / SMA(N) - 1). */
export const STATIONARY_SMA_WINDOWS = [10, 20] as const;
/** Window of the realised volatility (sample std of 1-bar returns) and of the volume z-score. */
export const STATIONARY_WINDOW = 20;
export const STATIONARY_RSI_PERIOD = 14;

/** close[t] / close[t-k] - 1 (pandas pct_change(k)); NaN for the first k rows. */
function pctChange(close: Float64Array, k: number): Float64Array {
  const out = new Float64Array(close.length).fill(Number.NaN);
  for (let i = k; i < close.length; i++) out[i] = close[i] / close[i - k] - 1;
  return out;
}

/** Mean and sample std (ddof 1) of the last w values, each window summed afresh (no drift); NaN until w values. */
function rollingMeanStd(x: Float64Array, w: number): { mean: Float64Array; std: Float64Array } {
  const n = x.length;
  const mean = new Float64Array(n).fill(Number.NaN);
  const std = new Float64Array(n).fill(Number.NaN);
  for (let i = w - 1; i < n; i++) {
    let sum = 0;
    for (let j = i - w + 1; j <= i; j++) sum += x[j];
    const m = sum / w;
    let ss = 0;
    for (let j = i - w + 1; j <= i; j++) ss += (x[j] - m) * (x[j] - m);
    mean[i] = m;
    std[i] = Math.sqrt(ss / (w - 1));
  }
  return { mean, std };
}

/** Volume counts as present when some bar has a positive volume (a column of zeros or NaN carries nothing). */
export function hasVolume(volume: Float64Array): boolean {
  for (let i = 0; i < volume.length; i++) if (volume[i] > 0) return true;
  return false;
}

/**
 * Columns: ret_1, ret_5, ret_10, ret_20, rsi_14 (Wilder, TA-Lib), close_sma_10, close_sma_20, volatility_20,
 * and volume_z_20 only when the bars carry volume. Label: up_down_tm (next bar's close above this one's).
 * A flat volume window (std 0) gives a z-score of 0: that bar's volume is exactly its mean.
 * @example stationary(barSeries(frame)).columns.get("ret_5")
 */
export function stationary(bars: BarSeries): FeatureBlock {
  const { close, volume } = bars;
  const n = close.length;
  const columns = new Map<string, Float64Array>();
  for (const k of STATIONARY_RETURN_HORIZONS) columns.set(`ret_${k}`, pctChange(close, k));
  columns.set(`rsi_${STATIONARY_RSI_PERIOD}`, rsi(close, STATIONARY_RSI_PERIOD));
  for (const w of STATIONARY_SMA_WINDOWS) {
    const average = sma(close, w);
    const ratio = new Float64Array(n);
    for (let i = 0; i < n; i++) ratio[i] = close[i] / average[i] - 1;
    columns.set(`close_sma_${w}`, ratio);
  }
  // The first return exists at row 1, so the volatility's window of returns ends at row STATIONARY_WINDOW.
  const oneBar = pctChange(close, 1);
  const volatility = new Float64Array(n).fill(Number.NaN);
  const returns = rollingMeanStd(oneBar.subarray(1), STATIONARY_WINDOW).std;
  volatility.set(returns, 1);
  columns.set(`volatility_${STATIONARY_WINDOW}`, volatility);
  if (hasVolume(volume)) {
    const { mean, std } = rollingMeanStd(volume, STATIONARY_WINDOW);
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = std[i] === 0 ? 0 : (volume[i] - mean[i]) / std[i];
    columns.set(`volume_z_${STATIONARY_WINDOW}`, z);
  }
  const label = upDownLabel(close, 1);
  for (const [name, values] of label.columns) columns.set(name, values);
  return { columns, labels: label.labels };
}

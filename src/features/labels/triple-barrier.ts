// Forward-looking triple-barrier label (Lopez de Prado, AFML ch. 3): which barrier the price touches first.

import type { FeatureBlock } from "../feature-block.js";
import { volatility } from "../indicators/returns-stats.js";

export interface TripleBarrierOptions {
  /** Profit-take barrier in multiples of rolling volatility. */
  profitTake: number;
  /** Stop-loss barrier in multiples of rolling volatility. */
  stopLoss: number;
  /** Vertical barrier: rows ahead. */
  horizon: number;
  /** Window of the rolling log-return volatility that scales the barriers (known at t). */
  volWindow: number;
}

/**
 * With sigma = rolling std of log returns at t: upper = close[t] (1 + pt sigma), lower = close[t] (1 - sl sigma).
 * Scanning t+1..t+horizon, `tb_{h}d` is +1 if close reaches upper first, -1 if lower first, 0 at the vertical
 * barrier; `tb_touch_{h}d` is the number of rows until that event. NaN while sigma is undefined, and at the end
 * where no barrier was touched before the data ran out.
 * @example tripleBarrierLabel(close, { profitTake: 2, stopLoss: 2, horizon: 10, volWindow: 20 })
 */
export function tripleBarrierLabel(close: Float64Array, o: TripleBarrierOptions): FeatureBlock {
  const n = close.length;
  const sigma = volatility(close, o.volWindow);
  const label = new Float64Array(n).fill(Number.NaN);
  const touch = new Float64Array(n).fill(Number.NaN);
  for (let t = 0; t < n; t++) {
    if (Number.isNaN(sigma[t])) continue;
    const upper = close[t] * (1 + o.profitTake * sigma[t]);
    const lower = close[t] * (1 - o.stopLoss * sigma[t]);
    for (let j = 1; j <= o.horizon && t + j < n; j++) {
      const c = close[t + j];
      if (c >= upper || c <= lower) {
        label[t] = c >= upper ? 1 : -1;
        touch[t] = j;
        break;
      }
      if (j === o.horizon) {
        label[t] = 0;
        touch[t] = j;
      }
    }
  }
  const name = `tb_${o.horizon}d`;
  const touchName = `tb_touch_${o.horizon}d`;
  return {
    columns: new Map([
      [name, label],
      [touchName, touch],
    ]),
    labels: [
      { name, horizon: o.horizon, kind: "classification" },
      { name: touchName, horizon: o.horizon, kind: "regression" },
    ],
  };
}

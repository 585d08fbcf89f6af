// Percentage price oscillator (TA-Lib PPO, default SMA moving averages).

import { checkPeriod, nanArray } from "./series.js";
import { sma } from "./sma.js";

/**
 * PPO = 100 (SMA(x, fast) - SMA(x, slow)) / SMA(x, slow), 0 when the slow average is 0; TA-Lib's default
 * MA type for PPO is SMA (Alpha Vantage's matype=0). The first slow-1 rows are NaN. Source: TA-Lib ta_PPO.c.
 * @example ppo(close, 12, 26)
 */
export function ppo(x: Float64Array, fast = 12, slow = 26): Float64Array {
  checkPeriod("ppo fast period", fast);
  checkPeriod("ppo slow period", slow);
  if (slow < fast) [fast, slow] = [slow, fast];
  const f = sma(x, fast);
  const s = sma(x, slow);
  const out = nanArray(x.length);
  for (let t = 0; t < x.length; t++) {
    if (!Number.isNaN(s[t])) out[t] = s[t] === 0 ? 0 : (100 * (f[t] - s[t])) / s[t];
  }
  return out;
}

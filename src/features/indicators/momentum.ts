// Momentum and rate of change (TA-Lib MOM, ROC): change over n bars, absolute or in percent.

import { checkPeriod, nanArray } from "./series.js";

/** MOM[t] = x[t] - x[t-n]; the first n rows are NaN. Source: TA-Lib ta_MOM.c. */
export function mom(x: Float64Array, n = 10): Float64Array {
  checkPeriod("mom period", n);
  const out = nanArray(x.length);
  for (let t = n; t < x.length; t++) out[t] = x[t] - x[t - n];
  return out;
}

/** ROC[t] = 100 (x[t] / x[t-n] - 1), 0 when x[t-n] is 0; the first n rows are NaN. Source: TA-Lib ta_ROC.c. */
export function roc(x: Float64Array, n = 10): Float64Array {
  checkPeriod("roc period", n);
  const out = nanArray(x.length);
  for (let t = n; t < x.length; t++) out[t] = x[t - n] === 0 ? 0 : (x[t] / x[t - n] - 1) * 100;
  return out;
}

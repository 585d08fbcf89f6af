// Regression and forecast metrics over typed arrays: MSE, RMSE, MAE, MAPE, sMAPE (seed 003), R², directional
// accuracy. Every metric over zero rows is NaN (undefined), never 0.

function checkLengths(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length)
    throw new RangeError(`metric inputs differ in length: ${a.length} vs ${b.length}`);
}

/** Mean squared error. */
export function meanSquaredError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths(actual, predicted);
  let total = 0;
  for (let i = 0; i < actual.length; i++) total += (actual[i] - predicted[i]) ** 2;
  return actual.length === 0 ? Number.NaN : total / actual.length;
}

/** Root mean squared error. */
export function rootMeanSquaredError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  return Math.sqrt(meanSquaredError(actual, predicted));
}

/** Mean absolute error. */
export function meanAbsoluteError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths(actual, predicted);
  let total = 0;
  for (let i = 0; i < actual.length; i++) total += Math.abs(actual[i] - predicted[i]);
  return actual.length === 0 ? Number.NaN : total / actual.length;
}

/** Mean absolute percentage error in percent: 100/n * sum |a - p| / |a| (infinite when an actual is 0). */
export function meanAbsolutePercentageError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths(actual, predicted);
  let total = 0;
  for (let i = 0; i < actual.length; i++) total += Math.abs(actual[i] - predicted[i]) / Math.abs(actual[i]);
  return actual.length === 0 ? Number.NaN : (100 * total) / actual.length;
}

/**
 * Symmetric MAPE in percent, exactly as seed 003 writes it:
 * `1/len(outputs) * sum(2 * |outputs - targets| / (|targets| + |outputs|)) * 100` (range 0..200).
 * A row where both are 0 contributes 0/0 = NaN, as numpy would.
 * @example symmetricMape([100], [110]) // 200 * 10 / 210 = 9.5238...
 */
export function symmetricMape(targets: ArrayLike<number>, outputs: ArrayLike<number>): number {
  checkLengths(targets, outputs);
  let total = 0;
  for (let i = 0; i < targets.length; i++) {
    total += (2 * Math.abs(outputs[i] - targets[i])) / (Math.abs(targets[i]) + Math.abs(outputs[i]));
  }
  return targets.length === 0 ? Number.NaN : (total / targets.length) * 100;
}

/**
 * Coefficient of determination, 1 - SS_res / SS_tot (scikit-learn's `r2_score`). NaN when the actuals do not
 * vary (SS_tot = 0, including one row): there is no variance to explain. scikit-learn's default prints 1.0 or
 * 0.0 there (`force_finite=True`); tsml reports it as undefined, like `force_finite=False`.
 * @example rSquared([1, 2, 3], [1, 2, 4]) // 1 - 1 / 2 = 0.5
 */
export function rSquared(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths(actual, predicted);
  const n = actual.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i];
  mean /= n;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    residual += (actual[i] - predicted[i]) ** 2;
    total += (actual[i] - mean) ** 2;
  }
  return n === 0 || total === 0 ? Number.NaN : 1 - residual / total;
}

/**
 * Share of steps where the predicted move has the actual move's sign, both measured from the previous actual:
 * sign(p[i] - a[i-1]) === sign(a[i] - a[i-1]) for i >= 1.
 */
export function directionalAccuracy(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths(actual, predicted);
  if (actual.length < 2) return Number.NaN;
  let hit = 0;
  for (let i = 1; i < actual.length; i++) {
    if (Math.sign(predicted[i] - actual[i - 1]) === Math.sign(actual[i] - actual[i - 1])) hit++;
  }
  return hit / (actual.length - 1);
}

export interface RegressionReport {
  mse: number;
  rmse: number;
  mae: number;
  mape: number;
  smape: number;
  r2: number;
  directionalAccuracy: number;
  rows: number;
}

/** The snake_case spelling every tsml output uses. */
export interface RegressionMetricSet {
  rows: number;
  mse: number;
  rmse: number;
  mae: number;
  mape: number;
  smape: number;
  r2: number;
  directional_accuracy: number;
}

/** All regression metrics at once. */
export function regressionReport(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionReport {
  const mse = meanSquaredError(actual, predicted);
  return {
    mse,
    rmse: Math.sqrt(mse),
    mae: meanAbsoluteError(actual, predicted),
    r2: rSquared(actual, predicted),
    mape: meanAbsolutePercentageError(actual, predicted),
    smape: symmetricMape(actual, predicted),
    directionalAccuracy: directionalAccuracy(actual, predicted),
    rows: actual.length,
  };
}

/**
 * A report in the snake_case names every output uses (NaN stays NaN: JSON writes it as null).
 * @example regressionMetricSet(regressionReport(actual, predicted)).directional_accuracy
 */
export function regressionMetricSet(r: RegressionReport): RegressionMetricSet {
  return {
    rows: r.rows,
    mse: r.mse,
    rmse: r.rmse,
    mae: r.mae,
    mape: r.mape,
    smape: r.smape,
    r2: r.r2,
    directional_accuracy: r.directionalAccuracy,
  };
}

// Binary classification metrics over typed arrays (labels 0/1): the numbers train, evaluate and backtest report.

/** 2x2 confusion matrix counts for labels 0 (negative) and 1 (positive). */
export interface ConfusionMatrix {
  trueNegatives: number;
  falsePositives: number;
  falseNegatives: number;
  truePositives: number;
}

/** Every classification metric tsml reports, as in seed 001's `get_metrics`. */
export interface ClassificationReport extends ConfusionMatrix {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  positiveAccuracy: number;
  negativeAccuracy: number;
  rocAuc: number;
  logLoss: number;
  overallScore: number;
  rows: number;
}

function checkLengths(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length)
    throw new RangeError(`metric inputs differ in length: ${a.length} vs ${b.length}`);
}

/** Counts of (true, predicted) pairs; any label other than 1 counts as negative. */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): ConfusionMatrix {
  checkLengths(yTrue, yPred);
  let tn = 0;
  let fp = 0;
  let fn = 0;
  let tp = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] === 1;
    const p = yPred[i] === 1;
    if (t && p) tp++;
    else if (t) fn++;
    else if (p) fp++;
    else tn++;
  }
  return { trueNegatives: tn, falsePositives: fp, falseNegatives: fn, truePositives: tp };
}

/** 0/0 is reported as 0, as scikit-learn does with `zero_division=0`. */
function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

/**
 * Share of rows predicted correctly.
 * @example accuracy([1, 0, 1], [1, 1, 1]) // 2/3
 */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkLengths(yTrue, yPred);
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return ratio(hit, yTrue.length);
}

/** TP / (TP + FP). */
export function precision(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const m = confusionMatrix(yTrue, yPred);
  return ratio(m.truePositives, m.truePositives + m.falsePositives);
}

/** TP / (TP + FN), also seed 001's "positive accuracy". */
export function recall(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const m = confusionMatrix(yTrue, yPred);
  return ratio(m.truePositives, m.truePositives + m.falseNegatives);
}

/** Harmonic mean of precision and recall. */
export function f1Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const m = confusionMatrix(yTrue, yPred);
  return ratio(2 * m.truePositives, 2 * m.truePositives + m.falsePositives + m.falseNegatives);
}

/** Seed 001: cm[1][1] / (cm[1][0] + cm[1][1]) — recall of the positive class. */
export function positiveAccuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return recall(yTrue, yPred);
}

/** Seed 001: cm[0][0] / (cm[0][0] + cm[0][1]) — recall of the negative class (specificity). */
export function negativeAccuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const m = confusionMatrix(yTrue, yPred);
  return ratio(m.trueNegatives, m.trueNegatives + m.falsePositives);
}

/** Seed 001's `get_overall_score`: 0.1 accuracy + 0.4 precision + 0.2 negative accuracy + 0.3 positive accuracy. */
export function overallScore(
  accuracyValue: number,
  precisionValue: number,
  negativeAccuracyValue: number,
  positiveAccuracyValue: number,
): number {
  return (
    0.1 * accuracyValue + 0.4 * precisionValue + 0.2 * negativeAccuracyValue + 0.3 * positiveAccuracyValue
  );
}

/**
 * Area under the ROC curve via the rank-sum (Mann-Whitney U) formula; tied scores get their average rank,
 * which equals scikit-learn's trapezoidal `roc_auc_score`. NaN when only one class is present.
 * @example rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) // 0.75
 */
export function rocAuc(yTrue: ArrayLike<number>, score: ArrayLike<number>): number {
  checkLengths(yTrue, score);
  const n = yTrue.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => score[a] - score[b]);
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]] === score[order[i]]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (yTrue[order[k]] === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean binary cross-entropy, probabilities clipped to [1e-15, 1 - 1e-15] as scikit-learn does. */
export function logLoss(yTrue: ArrayLike<number>, probabilityOfOne: ArrayLike<number>): number {
  checkLengths(yTrue, probabilityOfOne);
  const eps = 1e-15;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probabilityOfOne[i]));
    total -= yTrue[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return ratio(total, yTrue.length);
}

/** All metrics at once; `probabilityOfOne` feeds ROC AUC and log loss (NaN without it). */
export function classificationReport(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  probabilityOfOne?: ArrayLike<number>,
): ClassificationReport {
  const m = confusionMatrix(yTrue, yPred);
  const acc = accuracy(yTrue, yPred);
  const prec = ratio(m.truePositives, m.truePositives + m.falsePositives);
  const rec = ratio(m.truePositives, m.truePositives + m.falseNegatives);
  const neg = ratio(m.trueNegatives, m.trueNegatives + m.falsePositives);
  return {
    ...m,
    rows: yTrue.length,
    accuracy: acc,
    precision: prec,
    recall: rec,
    f1: ratio(2 * m.truePositives, 2 * m.truePositives + m.falsePositives + m.falseNegatives),
    positiveAccuracy: rec,
    negativeAccuracy: neg,
    rocAuc: probabilityOfOne ? rocAuc(yTrue, probabilityOfOne) : Number.NaN,
    logLoss: probabilityOfOne ? logLoss(yTrue, probabilityOfOne) : Number.NaN,
    overallScore: overallScore(acc, prec, neg, rec),
  };
}

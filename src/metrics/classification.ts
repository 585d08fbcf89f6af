// Binary classification metrics over typed arrays (labels 0/1): the numbers train, evaluate and backtest report.

/** 2x2 confusion matrix counts for labels 0 (negative) and 1 (positive). */
export interface ConfusionMatrix {
  trueNegatives: number;
  falsePositives: number;
  falseNegatives: number;
  truePositives: number;
}

/**
 * Every classification metric tsml reports, as in seed 001's `get_metrics` (in memory; outputs spell them in
 * snake_case through `classificationMetricSet`). Over zero rows every rate is NaN (undefined), never 0.
 */
export interface ClassificationReport extends ConfusionMatrix {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  positiveAccuracy: number;
  negativeAccuracy: number;
  rocAuc: number;
  /** Seed 003's ROC AUC of the hard 0/1 predictions (`roc_auc_score(y, classifier.predict(x))`). */
  rocAucHard: number;
  logLoss: number;
  overallScore: number;
  rows: number;
}

/** The snake_case spelling every tsml output (tables, JSON, model files, history, registry) uses. */
export interface ClassificationMetricSet {
  rows: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  positive_accuracy: number;
  negative_accuracy: number;
  roc_auc: number;
  roc_auc_hard: number;
  log_loss: number;
  overall_score: number;
  true_negatives: number;
  false_positives: number;
  false_negatives: number;
  true_positives: number;
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

/**
 * A rate over `rows` rows: NaN when there are no rows at all (undefined), else 0/0 is 0 as scikit-learn's
 * `zero_division=0` reports precision without positive predictions.
 */
function rate(num: number, den: number, rows: number): number {
  if (rows === 0) return Number.NaN;
  return den === 0 ? 0 : num / den;
}

/** Seed 001's numpy division: 0/0 is NaN (the class is absent, so its accuracy is undefined). */
function classShare(num: number, den: number): number {
  return den === 0 ? Number.NaN : num / den;
}

/**
 * Share of rows predicted correctly; NaN over zero rows.
 * @example accuracy([1, 0, 1], [1, 1, 1]) // 2/3
 */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkLengths(yTrue, yPred);
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return rate(hit, yTrue.length, yTrue.length);
}

/** TP / (TP + FP); 0 without positive predictions (scikit-learn's zero_division=0), NaN over zero rows. */
export function precision(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const m = confusionMatrix(yTrue, yPred);
  return rate(m.truePositives, m.truePositives + m.falsePositives, yTrue.length);
}

/** TP / (TP + FN); 0 without positive rows (scikit-learn's zero_division=0), NaN over zero rows. */
export function recall(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const m = confusionMatrix(yTrue, yPred);
  return rate(m.truePositives, m.truePositives + m.falseNegatives, yTrue.length);
}

/** Harmonic mean of precision and recall: 2TP / (2TP + FP + FN). */
export function f1Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const m = confusionMatrix(yTrue, yPred);
  return rate(2 * m.truePositives, 2 * m.truePositives + m.falsePositives + m.falseNegatives, yTrue.length);
}

/** Seed 001: cm[1][1] / (cm[1][0] + cm[1][1]), the positive class's recall; NaN without positive rows. */
export function positiveAccuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const m = confusionMatrix(yTrue, yPred);
  return classShare(m.truePositives, m.truePositives + m.falseNegatives);
}

/** Seed 001: cm[0][0] / (cm[0][0] + cm[0][1]), the negative class's recall; NaN without negative rows. */
export function negativeAccuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const m = confusionMatrix(yTrue, yPred);
  return classShare(m.trueNegatives, m.trueNegatives + m.falsePositives);
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
 * which equals scikit-learn's trapezoidal `roc_auc_score`. NaN when only one class is present (scikit-learn
 * raises there).
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

/**
 * Seed 003's monitoring AUC: `roc_auc_score(y, classifier.predict(x))` on hard 0/1 predictions, which is
 * (recall + specificity) / 2. Offered beside the probability-based `rocAuc`, which ranks by confidence.
 * @example rocAucHard([0, 0, 1, 1], [0, 1, 1, 1]) // (1 + 0.5) / 2 = 0.75
 */
export function rocAucHard(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return rocAuc(yTrue, yPred);
}

/**
 * Probabilities are clipped as scikit-learn 1.2 does (`eps="auto"`): to [eps, 1 - eps] with eps the float64
 * machine epsilon (2.22e-16), so a confident miss (probability exactly 0 or 1) costs -ln(eps) = 36.04 rather
 * than the -ln(1e-15) = 34.54 of older versions.
 */
export const LOG_LOSS_EPS = Number.EPSILON;

/**
 * Mean binary cross-entropy exactly as scikit-learn 1.2's `log_loss(y, p, labels=[0, 1])`: clip p to
 * [eps, 1 - eps], form the rows [1 - p, p], renormalise each row by its sum, average -ln of the true class's
 * entry. NaN over zero rows; defined for a single class.
 * @example logLoss([1, 0], [0.8, 0.4]) // -(ln 0.8 + ln 0.6) / 2
 */
export function logLoss(yTrue: ArrayLike<number>, probabilityOfOne: ArrayLike<number>): number {
  checkLengths(yTrue, probabilityOfOne);
  if (yTrue.length === 0) return Number.NaN;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const p = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, probabilityOfOne[i]));
    const q = 1 - p;
    // The renormalisation is a no-op in exact arithmetic; kept so the rounding matches scikit-learn's.
    const sum = q + p;
    total -= Math.log(yTrue[i] === 1 ? p / sum : q / sum);
  }
  return total / yTrue.length;
}

/** All metrics at once; `probabilityOfOne` feeds ROC AUC and log loss (NaN without it). */
export function classificationReport(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  probabilityOfOne?: ArrayLike<number>,
): ClassificationReport {
  const m = confusionMatrix(yTrue, yPred);
  const n = yTrue.length;
  const acc = accuracy(yTrue, yPred);
  const prec = rate(m.truePositives, m.truePositives + m.falsePositives, n);
  const rec = rate(m.truePositives, m.truePositives + m.falseNegatives, n);
  const pos = classShare(m.truePositives, m.truePositives + m.falseNegatives);
  const neg = classShare(m.trueNegatives, m.trueNegatives + m.falsePositives);
  return {
    ...m,
    rows: n,
    accuracy: acc,
    precision: prec,
    recall: rec,
    f1: rate(2 * m.truePositives, 2 * m.truePositives + m.falsePositives + m.falseNegatives, n),
    positiveAccuracy: pos,
    negativeAccuracy: neg,
    rocAuc: probabilityOfOne ? rocAuc(yTrue, probabilityOfOne) : Number.NaN,
    rocAucHard: rocAucHard(yTrue, yPred),
    logLoss: probabilityOfOne ? logLoss(yTrue, probabilityOfOne) : Number.NaN,
    overallScore: overallScore(acc, prec, neg, pos),
  };
}

/**
 * A report in the snake_case names every output uses (NaN stays NaN: JSON writes it as null).
 * @example classificationMetricSet(classificationReport(y, pred, proba)).roc_auc
 */
export function classificationMetricSet(r: ClassificationReport): ClassificationMetricSet {
  return {
    rows: r.rows,
    accuracy: r.accuracy,
    precision: r.precision,
    recall: r.recall,
    f1: r.f1,
    positive_accuracy: r.positiveAccuracy,
    negative_accuracy: r.negativeAccuracy,
    roc_auc: r.rocAuc,
    roc_auc_hard: r.rocAucHard,
    log_loss: r.logLoss,
    overall_score: r.overallScore,
    true_negatives: r.trueNegatives,
    false_positives: r.falsePositives,
    false_negatives: r.falseNegatives,
    true_positives: r.truePositives,
  };
}

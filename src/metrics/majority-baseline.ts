// The majority-class baseline: the accuracy of always predicting the training window's more frequent class,
// the number any classifier's accuracy has to beat before it means anything.

export interface MajorityBaseline {
  /** The class predicted: the more frequent one in the training rows (0 on a tie, as scikit-learn's DummyClassifier). */
  majority: 0 | 1;
  /** Accuracy of that constant prediction on the training rows and on the test rows (NaN without test rows). */
  train: number;
  test: number;
}

/**
 * Rows [0, trainRows) of `y` train, the rest test; labels are 0/1.
 * @example majorityBaseline(Float64Array.of(1, 1, 0, 0, 0), 3) // { majority: 1, train: 2/3, test: 0 }
 */
export function majorityBaseline(y: ArrayLike<number>, trainRows: number): MajorityBaseline {
  let ones = 0;
  for (let i = 0; i < trainRows; i++) if (y[i] === 1) ones++;
  const majority: 0 | 1 = ones > trainRows - ones ? 1 : 0;
  const share = (from: number, to: number) => {
    if (to <= from) return Number.NaN;
    let hit = 0;
    for (let i = from; i < to; i++) if ((y[i] === 1 ? 1 : 0) === majority) hit++;
    return hit / (to - from);
  };
  return { majority, train: share(0, trainRows), test: share(trainRows, y.length) };
}

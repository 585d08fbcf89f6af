// Binary classifier outputs in the shape the Classifier contract asks for, from the probability of class 1.

/** Row-major [P(class 0), P(class 1)] per row, from P(class 1). */
export function binaryProba(p1: ArrayLike<number>): Float64Array {
  const out = new Float64Array(2 * p1.length);
  for (let i = 0; i < p1.length; i++) {
    out[2 * i] = 1 - p1[i];
    out[2 * i + 1] = p1[i];
  }
  return out;
}

/** Class 1 where P(class 1) > 0.5 (scikit-learn's predict for binary probabilistic classifiers). */
export function predictFromBinaryProba(proba: Float64Array, rows: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = proba[2 * i + 1] > 0.5 ? 1 : 0;
  return out;
}

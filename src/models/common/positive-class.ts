// The probability of the positive class, read from any classifier's row-major probability matrix in one place,
// so no caller assumes two columns or that class 1 sits in the second one.

import type { Classifier } from "../model.js";

/** The column of `predictProba` holding class 1 (the last class when no class is labelled 1). */
export function positiveClassIndex(classifier: Classifier): number {
  const classes = classifier.classes();
  const index = classes.indexOf(1);
  return index >= 0 ? index : classes.length - 1;
}

/** P(positive class) per row from `classifier.predictProba`'s output for `rows` rows. */
export function positiveClassProbabilities(
  classifier: Classifier,
  probabilities: Float64Array,
  rows: number,
): Float64Array {
  const k = classifier.classes().length;
  const positive = positiveClassIndex(classifier);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = probabilities[i * k + positive];
  return out;
}

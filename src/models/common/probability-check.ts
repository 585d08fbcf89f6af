// The last guard before probabilities leave a model: each must be a finite number in [0, 1]. Load-time checks
// refuse malformed states; this catches states whose fields are each plausible but whose arithmetic is not
// (coefficients near 1e308 whose products overflow to NaN).

import { DataError } from "../../core/errors.js";

/** Float sums of values in [0, 1] may pass 1 by a few ulps. */
const SLACK = 1e-9;

/**
 * Returns `proba` unchanged, or throws a DataError naming the first row whose probability is not in [0, 1].
 * @example return checkedProbabilities("rf", out, 2);
 */
export function checkedProbabilities(model: string, proba: Float64Array, classes: number): Float64Array {
  for (let i = 0; i < proba.length; i++) {
    const p = proba[i];
    if (!(p >= -SLACK && p <= 1 + SLACK))
      throw new DataError(
        `${model}: the model gives probability ${p} for class ${i % classes} of row ${Math.floor(i / classes) + 1} ` +
          "(a diverged fit, or a damaged model file)",
        "train it again (tsml train), with a smaller learning rate if the fit diverged",
      );
  }
  return proba;
}

import { describe, expect, it } from "vitest";
import type { Classifier } from "../model.js";
import { positiveClassIndex, positiveClassProbabilities } from "./positive-class.js";

function withClasses(labels: number[]): Classifier {
  return { classes: () => Float64Array.from(labels) } as unknown as Classifier;
}

describe("positive class", () => {
  it("reads the column labelled 1, wherever it sits", () => {
    // Three classes, class 1 in the middle: row i's P(1) is at i * 3 + 1.
    const proba = Float64Array.from([0.2, 0.5, 0.3, 0.6, 0.1, 0.3]);
    expect(positiveClassIndex(withClasses([0, 1, 2]))).toBe(1);
    expect(Array.from(positiveClassProbabilities(withClasses([0, 1, 2]), proba, 2))).toEqual([0.5, 0.1]);
  });

  it("takes the last class when none is labelled 1", () => {
    const proba = Float64Array.from([0.7, 0.3, 0.4, 0.6]);
    expect(Array.from(positiveClassProbabilities(withClasses([-1, 2]), proba, 2))).toEqual([0.3, 0.6]);
  });
});

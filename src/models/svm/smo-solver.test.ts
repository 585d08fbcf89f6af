import { describe, expect, it } from "vitest";
import { SupportVectorClassifier } from "./support-vector-classifier.js";

describe("SVC (SMO)", () => {
  it("separates two separable clusters with a linear kernel and puts the boundary in the middle", async () => {
    const x0 = Float64Array.of(-3, -2.5, -2, -3.5, 2, 2.5, 3, 3.5);
    const x1 = Float64Array.of(0.1, -0.2, 0.3, 0, 0.2, -0.1, 0, 0.1);
    const y = Float64Array.of(0, 0, 0, 0, 1, 1, 1, 1);
    const model = new SupportVectorClassifier({ kernel: "linear", C: 100 });
    await model.fit({ rows: 8, columns: [x0, x1] }, y, { seed: 0 });
    expect([...model.predict({ rows: 8, columns: [x0, x1] })]).toEqual([...y]);
    // Support vectors at x0 = -2 and 2: the hard-margin boundary is x0 = 0 with margin ±1 there.
    const d = model.decisionFunction({
      rows: 3,
      columns: [Float64Array.of(0, 2, -2), Float64Array.of(0, 0.2, 0.3)],
    });
    expect(Math.abs(d[0])).toBeLessThan(0.1);
    expect(d[1]).toBeCloseTo(1, 1);
    expect(d[2]).toBeCloseTo(-1, 1);
  });

  it("rbf learns an XOR-like pattern a linear kernel cannot", async () => {
    const n = 200;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = Math.sin(i * 1.7) * 2;
      b[i] = Math.cos(i * 2.3) * 2;
      y[i] = a[i] * b[i] > 0 ? 1 : 0;
    }
    const X = { rows: n, columns: [a, b] };
    const rbf = new SupportVectorClassifier({ C: 10 });
    await rbf.fit(X, y, { seed: 0 });
    const pred = rbf.predict(X);
    let hits = 0;
    for (let i = 0; i < n; i++) if (pred[i] === y[i]) hits++;
    expect(hits / n).toBeGreaterThan(0.9);
  });
});

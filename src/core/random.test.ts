import { describe, expect, it } from "vitest";
import { Random } from "./random.js";

describe("Random", () => {
  it("repeats a sequence for the same seed and differs across seeds", () => {
    const a = new Random(7);
    const b = new Random(7);
    const c = new Random(8);
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
  });

  it("draws uniforms in [0,1) with the right mean and normals with unit variance", () => {
    const rng = new Random(1);
    let sum = 0;
    let sq = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
      const z = rng.normal();
      sq += z * z;
    }
    expect(sum / n).toBeCloseTo(0.5, 1);
    expect(sq / n).toBeCloseTo(1, 1);
  });

  it("samples distinct indices and shuffles to a permutation", () => {
    const rng = new Random(3);
    const s = rng.sample(50, 20);
    expect(new Set(s).size).toBe(20);
    expect(Math.max(...s)).toBeLessThan(50);
    const perm = rng.shuffle(Float64Array.from({ length: 10 }, (_, i) => i));
    expect([...perm].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

import { describe, expect, it } from "vitest";
import { BodyBudget } from "./body-budget.js";

const settled = async (p: Promise<void>) => {
  let done = false;
  p.then(() => {
    done = true;
  });
  await new Promise((r) => setTimeout(r, 0));
  return done;
};

describe("BodyBudget", () => {
  it("admits at once what fits, queues the rest first come first served, and never over-admits", async () => {
    const budget = new BodyBudget(100, 10);
    const a = budget.acquire(60);
    expect(await settled(a.admitted)).toBe(true);
    const b = budget.acquire(50); // 110 > 100: waits
    const c = budget.acquire(30); // would fit (90) but b is ahead of it
    expect(await settled(b.admitted)).toBe(false);
    expect(await settled(c.admitted)).toBe(false);
    expect(budget.held).toBe(60);
    budget.release(60);
    expect(await settled(b.admitted)).toBe(true);
    expect(await settled(c.admitted)).toBe(true);
    expect(budget.held).toBe(80);
    expect(budget.acquire(0).cancel).toBeTypeOf("function");
  });

  it("drops a cancelled waiter and lets the next one in; admits an oversized body when alone", async () => {
    const budget = new BodyBudget(100, 0);
    budget.acquire(90);
    const big = budget.acquire(500);
    const small = budget.acquire(5);
    expect(await settled(small.admitted)).toBe(false);
    big.cancel();
    expect(await settled(small.admitted)).toBe(true);
    expect(budget.held).toBe(95);
    budget.release(95);
    expect(await settled(budget.acquire(500).admitted)).toBe(true);
    expect(budget.held).toBe(500);
  });
});

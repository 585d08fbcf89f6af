import { describe, expect, it } from "vitest";
import { joinTrainTest } from "./terminal-report.js";

describe("joinTrainTest", () => {
  it("joins the train and test cumulative columns", () => {
    const nan = Number.NaN;
    expect([...joinTrainTest([1, 2, nan, nan], [nan, nan, 5, 6])]).toEqual([1, 2, 5, 6]);
  });
});

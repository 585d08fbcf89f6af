import { describe, expect, it } from "vitest";
import { MAX_JOB_BYTES } from "./queue-names.js";
import { checkPayload } from "./submit-tasks.js";

describe("job payloads", () => {
  it("accept a few parameters and a path, refuse data above MAX_JOB_BYTES", () => {
    const small = {
      dataset: ".queue/ab/cv-0123.bin",
      sha256: "f".repeat(64),
      params: { C: 1 },
      combo: 3,
      fold: 2,
    };
    expect(() => checkPayload({ id: "c3-f2", kind: "fold", data: small, label: "SPX sv" })).not.toThrow();
    const big = { ...small, columns: Array.from({ length: MAX_JOB_BYTES }, (_, i) => i) };
    expect(() => checkPayload({ id: "c3-f2", kind: "fold", data: big, label: "SPX sv" })).toThrow(
      /payload of \d+ bytes exceeds 4096/,
    );
  });
});

// Backend selection: the cpu backend starts without tfjs's console banner (tsml controls its own output).

import { afterEach, describe, expect, it, vi } from "vitest";
import { loadBackend, parseBackend } from "./backend.js";

describe("loadBackend", () => {
  afterEach(() => vi.restoreAllMocks());

  it("runs tensors on the cpu backend without printing tfjs's banner", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const { tf, name } = await loadBackend("cpu");
    expect(name).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    const sum = tf.tensor1d([1, 2, 3]).sum().dataSync()[0];
    expect(sum).toBe(6);
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });

  it("refuses an unknown backend name with a usage error", () => {
    expect(() => parseBackend("gpu")).toThrow(/unknown backend/);
    expect(parseBackend(undefined)).toBeUndefined();
  });
});

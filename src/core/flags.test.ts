import { describe, expect, it } from "vitest";
import { ExitCode, UsageError } from "./errors.js";
import {
  countOrAllFlag,
  dateFlag,
  durationFlag,
  integerFlag,
  numberFlag,
  oneOfFlag,
  splitDateFlag,
  tickerListFlag,
} from "./flags.js";

/** The thrown usage error, so each case can check its exit code and that it names the flag. */
function refusal(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error("expected a usage error, got a value");
}

describe("numberFlag", () => {
  it.each([
    ["12.5", 12.5],
    ["1e3", 1000],
    ["-0.25", -0.25],
    [".5", 0.5],
    ["5.", 5],
    ["+3", 3],
    ["2.5E-2", 0.025],
  ])("reads %j as %d", (text, value) => {
    expect(numberFlag(text, "--x")).toBe(value);
  });

  it.each([
    "",
    " ",
    "0x10",
    "0b11",
    "0o7",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "5abc",
    "1,5",
    " 5",
    "5 ",
    "--5",
    "1e",
    ".",
  ])("refuses %j with a usage error naming the flag", (text) => {
    const error = refusal(() => numberFlag(text, "--cost-bps"));
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toMatch(/^--cost-bps .*: expected a number$/);
  });

  it("checks bounds inclusively and names them", () => {
    expect(numberFlag("0", "--capital", { min: 0 })).toBe(0);
    expect(refusal(() => numberFlag("-1", "--capital", { min: 0 })).message).toBe(
      "--capital -1: expected a number >= 0",
    );
    expect(refusal(() => numberFlag("101", "--percent", { min: 0, max: 100 })).message).toBe(
      "--percent 101: expected a number from 0 to 100",
    );
    expect(numberFlag("0.5", "--rate", { above: 0 })).toBe(0.5);
    expect(refusal(() => numberFlag("0", "--rate", { above: 0 })).message).toBe(
      "--rate 0: expected a number > 0",
    );
  });

  it("returns the fallback (or undefined) only when the flag is absent", () => {
    expect(numberFlag(undefined, "--x", { fallback: 7 })).toBe(7);
    expect(numberFlag(undefined, "--x")).toBeUndefined();
    expect(() => numberFlag("", "--x", { fallback: 7 })).toThrow(UsageError);
  });

  it("quotes an empty value so the message shows it", () => {
    expect(refusal(() => numberFlag("", "--shares")).message).toBe('--shares "": expected a number');
  });
});

describe("integerFlag", () => {
  it.each([
    ["0", 0],
    ["42", 42],
    ["-3", -3],
    ["007", 7],
  ])("reads %j as %d", (text, value) => {
    expect(integerFlag(text, "--n")).toBe(value);
  });

  it.each(["1e3", "1.5", "2.0", "", "0x10", "NaN", "Infinity", "3abc", "9007199254740993"])(
    "refuses %j",
    (text) => {
      const error = refusal(() => integerFlag(text, "--splits"));
      expect(error.exitCode).toBe(ExitCode.usage);
      expect(error.message.startsWith("--splits ")).toBe(true);
    },
  );

  it("describes the usual ranges in words", () => {
    expect(refusal(() => integerFlag("0", "--jobs", { min: 1 })).message).toBe(
      "--jobs 0: expected a positive integer",
    );
    expect(refusal(() => integerFlag("-1", "--embargo", { min: 0 })).message).toBe(
      "--embargo -1: expected a non-negative integer",
    );
    expect(refusal(() => integerFlag("1", "--splits", { min: 2 })).message).toBe(
      "--splits 1: expected an integer >= 2",
    );
    expect(refusal(() => integerFlag("65536", "--port", { min: 0, max: 65535 })).message).toBe(
      "--port 65536: expected an integer from 0 to 65535",
    );
  });

  it("returns the fallback when absent", () => {
    expect(integerFlag(undefined, "--splits", { min: 2, fallback: 5 })).toBe(5);
  });
});

describe("countOrAllFlag", () => {
  it("reads a positive count or all", () => {
    expect(countOrAllFlag("500", "--shap-rows")).toBe(500);
    expect(countOrAllFlag("all", "--shap-rows")).toBe(Number.POSITIVE_INFINITY);
    expect(countOrAllFlag(undefined, "--shap-rows")).toBeUndefined();
  });

  it.each(["0", "-5", "1.5", "some", "ALL", "1e3", ""])("refuses %j", (text) => {
    expect(refusal(() => countOrAllFlag(text, "--importance-rows")).message).toBe(
      `--importance-rows ${text === "" ? '""' : text}: expected a positive integer or "all"`,
    );
  });
});

describe("oneOfFlag", () => {
  const modes = ["close", "next-open"] as const;

  it("accepts an exact spelling and falls back when absent", () => {
    expect(oneOfFlag("next-open", "--execution", modes)).toBe("next-open");
    expect(oneOfFlag(undefined, "--execution", modes, "close")).toBe("close");
  });

  it.each(["Close", "", "next_open", " close"])("refuses %j, listing the choices", (text) => {
    const error = refusal(() => oneOfFlag(text, "--execution", modes));
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toBe(`--execution: ${JSON.stringify(text)} is not close or next-open`);
  });

  it("lists three or more choices with commas", () => {
    expect(refusal(() => oneOfFlag("x", "--cv", ["tss", "purged-kfold", "walk-forward"])).message).toBe(
      '--cv: "x" is not tss, purged-kfold or walk-forward',
    );
  });
});

describe("splitDateFlag", () => {
  it("reads a date, none (fit every row) or nothing (the default split)", () => {
    expect(splitDateFlag("2016-01-04", "--split-date")).toBe(Date.UTC(2016, 0, 4));
    expect(splitDateFlag("none", "--split-date")).toBe("none");
    expect(splitDateFlag(" None ", "--split-date")).toBe("none");
    expect(splitDateFlag(undefined, "--split-date")).toBeUndefined();
    expect(() => splitDateFlag("nothing", "--split-date")).toThrow(UsageError);
    expect(() => splitDateFlag("2016-02-30", "--split-date")).toThrow(/--split-date/);
  });
});

describe("dateFlag", () => {
  it("reads ISO dates strictly as epoch ms UTC", () => {
    expect(dateFlag("2016-01-04", "--split-date")).toBe(Date.UTC(2016, 0, 4));
    expect(dateFlag("2016-02", "--split-date")).toBe(Date.UTC(2016, 1, 1));
    expect(dateFlag(undefined, "--split-date")).toBeUndefined();
  });

  it.each(["2019-02-29", "2016-13-01", "", "yesterday", "1e3", "2016-01-04junk"])("refuses %j", (text) => {
    const error = refusal(() => dateFlag(text, "--fit-until"));
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toContain(`--fit-until: ${JSON.stringify(text)} is not a real date`);
  });
});

describe("tickerListFlag", () => {
  it("splits repeated, comma-separated values, trims, drops empties and duplicates in order", () => {
    expect(tickerListFlag(["SPX, MSFT", "IBM,,SPX", ""], "--ticker")).toEqual(["SPX", "MSFT", "IBM"]);
    expect(tickerListFlag("BTC", "--symbol")).toEqual(["BTC"]);
    expect(tickerListFlag(undefined, "--ticker")).toEqual([]);
    expect(tickerListFlag([], "--ticker")).toEqual([]);
  });

  it("keeps punctuation tickers use (^GSPC, BRK.B, 2330.TW)", () => {
    expect(tickerListFlag("^GSPC,BRK.B,2330.TW", "--ticker")).toEqual(["^GSPC", "BRK.B", "2330.TW"]);
  });

  it("refuses control characters", () => {
    const error = refusal(() => tickerListFlag("SPX,A\nB", "--ticker"));
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toBe('--ticker: "A\\nB" is not a ticker');
  });
});

describe("durationFlag", () => {
  it("reads a bare number in the flag's unit and a suffix in its own", () => {
    expect(durationFlag("30", "--timeout", { unit: "s" })).toBe(30_000);
    expect(durationFlag("1.5", "--timeout", { unit: "s" })).toBe(1500);
    expect(durationFlag("250ms", "--timeout", { unit: "s" })).toBe(250);
    expect(durationFlag("2m", "--retry-delay", { unit: "ms" })).toBe(120_000);
    expect(durationFlag("1h", "--retry-delay", { unit: "ms" })).toBe(3_600_000);
    expect(durationFlag("0", "--delay", { unit: "s" })).toBe(0);
    expect(durationFlag(undefined, "--delay", { unit: "s", fallback: 2000 })).toBe(2000);
  });

  it.each(["", "-1", "NaN", "Infinity", "0x10", "5 s", "5sec", "ms", "1e999"])("refuses %j", (text) => {
    const error = refusal(() => durationFlag(text, "--timeout", { unit: "s" }));
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message.startsWith("--timeout ")).toBe(true);
    expect(error.message).toContain("expected a duration");
  });

  it("enforces a minimum in milliseconds", () => {
    expect(durationFlag("100", "--request-timeout", { unit: "ms", min: 100 })).toBe(100);
    expect(refusal(() => durationFlag("99", "--request-timeout", { unit: "ms", min: 100 })).message).toBe(
      "--request-timeout 99: expected a duration of at least 100 ms (e.g. 30ms, 500ms, 2m)",
    );
  });
});

// The flag/option agreement is checked by the compiler: the @ts-expect-error lines below fail `tsc --noEmit`
// (npm run typecheck) if a mismatch ever stops being an error. The runtime part checks commander hands the
// handler the values under the attribute names the types promise.

import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { runAction } from "./run-action.js";
import { typed } from "./typed-command.js";

interface ExampleOptions {
  costBps?: string;
  ticker: string[];
  chart?: boolean;
  model: string;
}

function example() {
  const program = new Command("tsml").exitOverride();
  return typed(program.command("example"))
    .requiredOption("-m, --model <name>", "model")
    .option("--cost-bps <bps>", "cost")
    .option("--ticker <t>", "tickers", (v: string, p: string[]) => [...p, v], [] as string[])
    .option("--no-chart", "no chart");
}

describe("typed commands", () => {
  it("accepts a handler whose options match the declared flags", async () => {
    let seen: ExampleOptions | undefined;
    const program = new Command("tsml").exitOverride();
    typed(program.command("example"))
      .requiredOption("-m, --model <name>", "model")
      .option("--cost-bps <bps>", "cost")
      .option("--ticker <t>", "tickers", (v: string, p: string[]) => [...p, v], [] as string[])
      .option("--no-chart", "no chart")
      .action(
        runAction(async (_args, options: ExampleOptions) => {
          seen = options;
        }),
      );
    await program.parseAsync(
      ["example", "-m", "rf", "--cost-bps", "5", "--ticker", "A", "--ticker", "B", "--no-chart"],
      {
        from: "user",
      },
    );
    expect(seen).toEqual({ model: "rf", costBps: "5", ticker: ["A", "B"], chart: false });
  });

  // Checked by tsc (npm run typecheck), not by running it: each line must stay a type error.
  it("refuses, at compile time, flags and options that disagree", () => {
    const misspelt = (_args: string[], _options: Omit<ExampleOptions, "costBps"> & { costBp?: string }) =>
      Promise.resolve();
    // @ts-expect-error --cost-bps is declared but the handler reads costBp
    example().action(runAction(misspelt));
    // @ts-expect-error the handler reads costBps, chart, ticker and model but no flag sets --extra
    example().action(runAction(async (_args, _options: ExampleOptions & { extra?: string }) => undefined));
    const optionalModel = typed(new Command("x")).option("-m, --model <name>", "model");
    const needsModel = runAction(async (_a, _o: { model: string }) => undefined);
    // @ts-expect-error --model is optional here but the handler needs it
    optionalModel.action(needsModel);
    const tune = typed(new Command("x")).option("--tune", "tune");
    const tuneAsText = runAction(async (_a, _o: { tune?: string }) => undefined);
    // @ts-expect-error a switch is a boolean, not a string
    tune.action(tuneAsText);
  });
});

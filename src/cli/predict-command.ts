// `tsml predict`: flags only; the work is in commands/predict.ts.

import type { Command } from "commander";
import type { PredictOptions } from "../commands/predict.js";
import type { PredictRegistryOptions } from "../commands/predict-registry.js";
import type { PredictSequenceOptions } from "../commands/predict-sequence.js";
import { UsageError } from "../core/errors.js";
import { trackedAction } from "./tracked-action.js";
import { typed } from "./typed-command.js";

/** The flags of `tsml predict`: one model (tabular or sequence; -m checked below), or --registry for the batch. */
type PredictFlags = Partial<PredictOptions & PredictSequenceOptions> &
  PredictRegistryOptions & { registry?: boolean };

export function registerPredict(program: Command): void {
  typed(program.command("predict"))
    .description(
      "score a features table with a trained model -> predictions artifact (pred, proba, model_id)",
    )
    .option("-m, --model <file>", "model artifact from tsml train (required unless --registry)")
    .option("-i, --input <file>", "features table, - for stdin (default: workspace features/<T>.parquet)")
    .option("--ticker <ticker>", "ticker to score (default: the model's ticker)")
    .option(
      "-o, --output <file>",
      "output Parquet, - for stdout (default: workspace predictions/<T>.parquet)",
    )
    .option("--recursive <n>", "lstm: feed forecasts back to predict n steps past the last row")
    .option("--stream", "sequence: read one price per stdin line, write one prediction per line")
    .option("--backend <name>", "sequence: wasm | cpu | node")
    .option("--registry", "batch: every current registry model on its ticker's latest features")
    .option("--filter <k=v,...>", "with --registry: ticker=..., trend=up|down, model=..., name=...")
    .option("--to-db <url>", "with --registry: also store the predictions in this database")
    .option("--table <table>", "with --to-db: target table (e.g. predictions)")
    .addHelpText("after", "\nExample:\n  tsml predict -m tsml-workspace/models/SPX/rf.json\n")
    .action(
      trackedAction("predict", async (_args, options: PredictFlags, ctx) => {
        if (options.registry)
          return (await import("../commands/predict-registry.js")).predictRegistry(options, ctx);
        const { model } = options;
        if (!model) throw new UsageError("-m/--model is required", "or use --registry for batch predictions");
        const one = { ...options, model };
        const sequence = await import("../commands/predict-sequence.js");
        return sequence.isSequenceModelRef(ctx.workspace, model, options.ticker)
          ? sequence.predictSequence(one, ctx)
          : (await import("../commands/predict.js")).predict(one, ctx);
      }),
    );
}

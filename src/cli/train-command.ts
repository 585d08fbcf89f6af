// `tsml train`: flags only; the work is in commands/train.ts.

import type { Command } from "commander";
import type { TrainBuildFlags } from "../commands/build/stage-inputs.js";
import type { TrainOptions } from "../commands/train.js";
import type { TrainSequenceOptions } from "../commands/train-sequence.js";
import { UsageError } from "../core/errors.js";
import { isSequenceModel } from "../models/sequence/sequence-names.js";
import { collect } from "./run-action.js";
import { trackedAction } from "./tracked-action.js";
import { typed } from "./typed-command.js";

export function registerTrain(program: Command): void {
  typed(program.command("train"))
    .description(
      "cross-validate (optionally grid-search) and fit a model on a features table -> model artifact",
    )
    .requiredOption(
      "--model <name>",
      "model family: ols, ridge, sv, knn, mlp, nn, rf, et, gbdt, dtab; sequence: lstm, lstm-clf, dense-window; " +
        "a pool: a comma list (rf,gbdt,ols) or pool (seed 001's rf,gbdt,ols,knn,sv,mlp,nn), ranked by cv --scoring",
    )
    .option(
      "-i, --input <file>",
      "features artifact or any Parquet table, - for stdin (default: workspace features/<T>.parquet)",
    )
    .option("--ticker <ticker>", "ticker to train (default: every ticker with features in the workspace)")
    .option("--features <list>", "comma-separated feature columns (default: the artifact's features)")
    .option("--target <column>", "0/1 label column (default: the artifact's label, up_down_1wk for seed000)")
    .option(
      "--param <key=value>",
      "model parameter (repeatable), e.g. --param C=0.5; names and ranges are checked (README: model parameters); " +
        "the sequence flags below set the same parameters",
      collect,
      [],
    )
    .option(
      "--split-date <date|none>",
      "train on rows before this date, report test metrics on the rest (default: tsml.json, else the last 20% of the rows are the test window; none = fit every row)",
    )
    .option("--tune", "grid search over the model's grid (seed 000's grids)")
    .option("--grid <file>", "JSON grid {param: [values]} overriding the built-in one (with --tune)")
    .option("--cv <method>", "tss | purged-kfold | walk-forward (default tss)")
    .option("--splits <n>", "number of CV folds (default 5)")
    .option(
      "--purge <n|auto>",
      "rows dropped before each validation fold; auto = the label horizon (default auto)",
    )
    .option("--embargo <n>", "purged-kfold: rows after each validation fold kept out of training (default 0)")
    .option("--window <n>", "walk-forward: rows in the rolling training window (default: first fold's size)")
    .option(
      "--scoring <name>",
      "accuracy | roc_auc | f1 | precision | overall (default accuracy; overall for a pool)",
    )
    .option(
      "--register-if <condition>",
      'pool: register the best model when its test metrics pass (default "positive_accuracy>0.5 && negative_accuracy>0.5 && overall_score>0.6")',
    )
    .option("--class-weight <mode>", "balanced: weigh classes n / (2 * count)")
    .option(
      "--jobs <n>",
      "worker threads for CV (default: the core count; 1 for ols and ridge, whose fits are quicker than starting a thread)",
    )
    .option(
      "--queue <url>",
      "`tsml worker`s on this Redis job queue (redis://HOST:6379) do the work: one --ticker sends its CV / grid-search tasks, several tickers one job each",
    )
    .option("--repeats <n>", "permutation-importance shuffles per feature (default 5)")
    .option(
      "--importance-rows <n|all>",
      "permutation importance on a seeded sample of this many test rows (default 1000; all = every row)",
    )
    .option(
      "--shap-rows <n|all>",
      "trees: TreeSHAP on a seeded sample of this many rows (default 500; 100 for unlimited depth)",
    )
    .option(
      "-o, --output <file>",
      "model JSON path, - for stdout (default: workspace models/<T>/<model>.json)",
    )
    // Sequence models (lstm, lstm-clf, dense-window): README "sequence"; --target is then the price column.
    .option("--steps <n>", "sequence: window length (default 30; dense-window 50)")
    .option("--layers <n>", "lstm: stacked LSTM layers (default 3)")
    .option("--units <n>", "sequence: units per layer (default 100; dense-window 1024)")
    .option("--lr <x>", "sequence: Adam learning rate (default 0.001)")
    .option("--batch <n>", "sequence: batch size (default 100)")
    .option("--iterations <n>", "lstm: random-batch iterations (default 1500)")
    .option("--epochs <n>", "sequence: shuffled epochs instead of iterations (dense-window default 10)")
    .option("--horizon <n>", "lstm: predict the next n values at once (default 1)")
    .option("--detrend <mode>", "lstm: none | linear, fitted before --split-date (default none)")
    .option(
      "--label <column>",
      "lstm-clf / dense-window label column (default up/down of the target / optimal_position)",
    )
    .option("--validation <f>", "lstm: training tail held out for early stopping (default 0.1)")
    .option(
      "--patience <n>",
      "lstm: validation checks without improvement before stopping, 0 = off (default 5)",
    )
    .option("--backend <name>", "sequence: wasm | cpu | node (default: node if installed, else wasm)")
    .option(
      "--source <src>",
      "where to ingest a ticker with no bars: bundled | alphavantage | twse | FILE.csv | database URL (default: tsml.json, else bundled/TWSE/Alpha Vantage by ticker)",
    )
    .option(
      "--set <name>",
      "feature set computed when the ticker has no features (default: tsml.json, else the default set)",
    )
    .addHelpText("after", "\nExample:\n  tsml train --ticker SPX --model rf --tune --split-date 2016-01-01\n")
    .action(
      trackedAction(
        "train",
        async (_args, options: TrainOptions & TrainSequenceOptions & TrainBuildFlags, ctx) => {
          const sequence = isSequenceModel(options.model);
          if (sequence && options.queue !== undefined)
            throw new UsageError(
              `--queue sends cross-validation tasks of the tabular models, not ${options.model}'s training`,
              "drop --queue, or use it with rf, gbdt, sv, ...",
            );
          // Missing bars and features are built first (unless --no-build); tsml.json fills the split date.
          // Every flag is checked before that (exit 2, nothing built), by the stage's own parser.
          const { prepareTrain } = await import("../commands/build/stage-inputs.js");
          const tabular = sequence ? null : await import("../commands/train.js");
          const recurrent = sequence ? await import("../commands/train-sequence.js") : null;
          const check = (settled: typeof options) =>
            recurrent ? recurrent.sequenceTrainSettings(settled) : tabular?.trainSettings(settled);
          const { source: _source, set: _set, ...ready } = await prepareTrain(options, ctx, sequence, check);
          return recurrent
            ? recurrent.trainSequence(ready, ctx)
            : (tabular as NonNullable<typeof tabular>).train(ready, ctx);
        },
      ),
    );
}

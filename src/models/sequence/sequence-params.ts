// The parameter schemas of the sequence models (lstm, lstm-clf, dense-window) and how their train flags
// (--steps, --layers, ...) map onto them: `--iterations 20` and `--param iterations=20` are the same parameter.
// Kept free of TensorFlow.js so the CLI can check parameters before loading a backend.

import { DataError, UsageError } from "../../core/errors.js";
import {
  normalizeParams,
  type ParamSchema,
  type ParamSpec,
  parseParamPairs,
  schemaDefaults,
} from "../param-schema.js";
import type { SequenceModelName } from "./sequence-names.js";

const positive = { min: 0, minExclusive: true } as const;

const lr: ParamSpec = {
  type: "number",
  default: 0.001,
  ...positive,
  max: 10,
  aliases: ["learning_rate"],
  description: "Adam learning rate (--lr)",
};
const batch: ParamSpec = {
  type: "integer",
  default: 100,
  min: 1,
  max: 100_000,
  aliases: ["batch_size"],
  description: "windows per training batch (--batch)",
};

/** The stacked LSTM's parameters; lstm and lstm-clf differ in the window defaults and the horizon. */
function lstmSchema(horizon: ParamSpec): ParamSchema {
  return {
    steps: { type: "integer", default: 30, min: 1, max: 10_000, description: "window length (--steps)" },
    horizon,
    layers: { type: "integer", default: 3, min: 1, max: 10, description: "stacked LSTM layers (--layers)" },
    units: {
      type: "integer",
      default: 100,
      min: 1,
      max: 2048,
      description: "units per LSTM layer (--units)",
    },
    lr,
    batch,
    iterations: {
      type: "integer",
      default: 1500,
      min: 1,
      max: 10_000_000,
      description: "random-batch iterations, seed 004's loop (--iterations)",
    },
    epochs: {
      type: "integer",
      default: null,
      nullable: true,
      min: 1,
      max: 100_000,
      description: "shuffled passes over every window instead of iterations (--epochs)",
    },
    validation: {
      type: "number",
      default: 0.1,
      min: 0,
      max: 0.5,
      description: "training tail held out for early stopping, 0 = none (--validation)",
    },
    patience: {
      type: "integer",
      default: 5,
      min: 0,
      max: 10_000,
      description: "validation checks without improvement before stopping, 0 = off (--patience)",
    },
    detrend: {
      type: "choice",
      default: "none",
      choices: ["none", "linear"],
      description: "subtract a least-squares line fitted before the split (--detrend)",
    },
  };
}

const SCHEMAS: Readonly<Record<SequenceModelName, ParamSchema>> = {
  lstm: lstmSchema({
    type: "integer",
    default: 1,
    min: 1,
    max: 1000,
    description: "values predicted at once (--horizon)",
  }),
  // lstm-clf labels the next step only; older model files record horizon 1.
  "lstm-clf": lstmSchema({
    type: "integer",
    default: 1,
    min: 1,
    max: 1,
    description: "lstm-clf predicts the next step's direction only",
  }),
  "dense-window": {
    steps: { type: "integer", default: 50, min: 1, max: 10_000, description: "lookback window (--steps)" },
    units: {
      type: "integer",
      default: 1024,
      min: 1,
      max: 4096,
      description: "units per Dense layer (--units)",
    },
    dropout: {
      type: "number",
      default: 0.2,
      min: 0,
      max: 0.95,
      description: "dropout rate after the Dense layers",
    },
    lr,
    batch,
    epochs: { type: "integer", default: 10, min: 1, max: 100_000, description: "shuffled epochs (--epochs)" },
  },
};

/** The train flags that are sequence parameters (commander's option names). */
export const SEQUENCE_PARAM_FLAGS = [
  "steps",
  "layers",
  "units",
  "lr",
  "batch",
  "iterations",
  "epochs",
  "horizon",
  "validation",
  "patience",
  "detrend",
] as const;

export function sequenceParamSchema(model: SequenceModelName): ParamSchema {
  return SCHEMAS[model];
}

/**
 * Every parameter of a sequence model from its train flags and `--param k=v` pairs, checked against the schema:
 * a flag the model does not have, a value out of range, or a flag and a --param for one parameter with different
 * values are usage errors.
 * @example resolveSequenceParams("lstm", { iterations: "20" }, ["units=8"]).iterations // 20
 */
export function resolveSequenceParams(
  model: SequenceModelName,
  flags: Readonly<Record<string, unknown>>,
  pairs: readonly string[],
): Record<string, unknown> {
  const schema = SCHEMAS[model];
  const names = Object.keys(schema);
  const fromFlags: Record<string, unknown> = {};
  for (const flag of SEQUENCE_PARAM_FLAGS) {
    if (flags[flag] === undefined) continue;
    if (!(flag in schema))
      throw new UsageError(
        `--${flag} does not apply to ${model}`,
        `${model} parameters: ${names.join(", ")}`,
      );
    fromFlags[flag] = flags[flag];
  }
  const byFlag = normalizeParams(model, schema, fromFlags);
  const byParam = normalizeParams(model, schema, parseParamPairs(pairs));
  for (const [name, value] of Object.entries(byParam))
    if (name in byFlag && JSON.stringify(byFlag[name]) !== JSON.stringify(value))
      throw new UsageError(
        `${model}: --${name} ${String(flags[name])} and --param ${name}=${JSON.stringify(value)} disagree`,
        "give the parameter once",
      );
  const given = { ...byFlag, ...byParam };
  if ("iterations" in given && given.epochs !== undefined && given.epochs !== null)
    throw new UsageError(
      `${model}: iterations and epochs exclude each other`,
      "give --iterations N (random batches) or --epochs N (shuffled passes)",
    );
  return { ...schemaDefaults(schema), ...given };
}

/**
 * A saved model's parameters checked against the schema as bad data (exit 3); the run's seed is stored next to
 * them and is not a parameter.
 */
export function savedSequenceParams(model: SequenceModelName, params: unknown): Record<string, unknown> {
  if (typeof params !== "object" || params === null || Array.isArray(params))
    throw new DataError(`${model}: parameters must be an object of name: value pairs`, "retrain the model");
  const rest: Record<string, unknown> = { ...params };
  delete rest.seed;
  return { ...schemaDefaults(SCHEMAS[model]), ...normalizeParams(model, SCHEMAS[model], rest, "data") };
}

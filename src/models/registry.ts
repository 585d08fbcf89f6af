// Model registry by name: every tabular family registers its factory here, and listModelFamilies() adds the
// sequence families (models/sequence/sequence-family.ts), so one list names everything tsml can train. Loading goes through one envelope
// check (family, parameters against the schema, class labels) before the family reads its own state.

import { DataError, TsmlError, UsageError } from "../core/errors.js";
import { StateReader } from "./common/state-reader.js";
import type { Classifier, ModelFactory, ModelState } from "./model.js";
import { normalizeParams, type ParamSchema, validateParams } from "./param-schema.js";
import { sequenceFamilies } from "./sequence/sequence-family.js";

const factories = new Map<string, ModelFactory>();

/** The parts every saved state shares, checked and with the parameters in canonical form. */
function checkEnvelope(factory: ModelFactory, raw: unknown): ModelState {
  const read = new StateReader(factory.name);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new DataError(
      `${factory.name}: the saved model state is ${JSON.stringify(raw)}, expected an object`,
    );
  const state = raw as Record<string, unknown>;
  if (state.model !== undefined && state.model !== factory.name)
    read.fail("model", `is ${JSON.stringify(state.model)}, expected "${factory.name}"`);
  const params = validateParams(
    factory.name,
    factory.schema,
    normalizeParams(factory.name, factory.schema, read.object(state.params ?? {}, "params"), "data"),
    "data",
  );
  const classes = read.numbers(state.classes, "classes");
  if (classes.length < 2 || classes.length > 255)
    read.fail("classes", `has ${classes.length} labels, expected 2 to 255`);
  for (let k = 1; k < classes.length; k++)
    if (!(classes[k] > classes[k - 1])) read.fail("classes", "is not strictly ascending");
  return { model: factory.name, params, classes: Array.from(classes), state: state.state };
}

/**
 * Registers a family; its `load` is wrapped so that every state passes the envelope check first.
 * @example registerModel(rfFactory);
 */
export function registerModel(factory: ModelFactory): void {
  factories.set(factory.name, {
    ...factory,
    load: (state) => factory.load(checkEnvelope(factory, state)),
  });
}

export function getModelFactory(name: string): ModelFactory {
  const factory = factories.get(name);
  if (!factory) {
    throw new UsageError(
      `unknown model "${name}"`,
      `choose one of: ${[...factories.keys()].sort().join(", ")}`,
    );
  }
  return factory;
}

export function listModels(): ModelFactory[] {
  return [...factories.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** One trainable family: a tabular classifier over feature rows, or a sequence model over a price series. */
export interface ModelFamilyEntry {
  name: string;
  kind: "tabular" | "sequence";
  task: "classification" | "regression";
  description: string;
  /** The declared parameters `--param` is checked against (sequence flags such as --steps are aliases). */
  schema: ParamSchema;
}

/** Every family, tabular and sequence, by name. */
export function listModelFamilies(): ModelFamilyEntry[] {
  const tabular = listModels().map(
    (f): ModelFamilyEntry => ({
      name: f.name,
      kind: "tabular",
      task: "classification",
      description: f.description,
      schema: f.schema,
    }),
  );
  const sequence = sequenceFamilies().map(
    (f): ModelFamilyEntry => ({
      name: f.name,
      kind: "sequence",
      task: f.task,
      description: f.description,
      schema: f.schema,
    }),
  );
  return [...tabular, ...sequence].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A fitted classifier from a saved state; any problem is a DataError (exit 3) that starts with `source` (the
 * file or registry entry), so the user learns which file and which field are wrong.
 * @example const classifier = loadClassifier(body.state, "models/SPX/rf.json");
 */
export function loadClassifier(state: unknown, source: string, family?: string): Classifier {
  try {
    const name = (state as { model?: unknown } | null)?.model ?? family;
    const factory = typeof name === "string" ? factories.get(name) : undefined;
    if (!factory)
      throw new DataError(
        `unknown model family ${JSON.stringify(name)}`,
        `tsml knows: ${[...factories.keys()].sort().join(", ")}`,
      );
    return factory.load(state as ModelState);
  } catch (error) {
    // A parameter a family refuses in a saved file is bad data there, not a bad flag.
    if (error instanceof TsmlError) throw new DataError(`${source}: ${error.message}`, error.hint);
    throw error;
  }
}

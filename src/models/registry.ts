// Model registry by name: every tabular family registers its factory here.

import { UsageError } from "../core/errors.js";
import type { ModelFactory } from "./model.js";

const factories = new Map<string, ModelFactory>();

export function registerModel(factory: ModelFactory): void {
  factories.set(factory.name, factory);
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

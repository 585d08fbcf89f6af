// Parses `--indicators rsi:14,sma:20,macd:12:26:9` into catalog entries with their full parameter lists.

import { UsageError } from "../core/errors.js";
import type { BarSeries } from "./bar-series.js";
import {
  findIndicator,
  type IndicatorDefinition,
  indicatorColumn,
  indicatorDefinitions,
} from "./indicator-catalog.js";

export interface IndicatorRequest {
  definition: IndicatorDefinition;
  params: number[];
}

/**
 * Splits a spec on commas; each item is `name[:p1[:p2...]]`, missing parameters take TA-Lib's defaults.
 * @example parseIndicatorSpec("rsi:14,macd") // rsi(14), macd(12, 26, 9)
 */
export function parseIndicatorSpec(spec: string): IndicatorRequest[] {
  const items = spec
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (items.length === 0)
    throw new UsageError("--indicators: empty spec", "example: --indicators rsi:14,sma:20");
  return items.map((item) => {
    const [rawName, ...rawParams] = item.split(":");
    const name = rawName.toLowerCase();
    const definition = findIndicator(name);
    if (!definition)
      throw new UsageError(
        `--indicators: unknown indicator "${rawName}"`,
        `known: ${indicatorDefinitions()
          .map((d) => d.name)
          .join(", ")}`,
      );
    if (rawParams.length > definition.defaults.length)
      throw new UsageError(
        `--indicators: "${item}" has ${rawParams.length} parameters, ${name} takes ${definition.defaults.length}`,
        definition.defaults.length
          ? `default: ${name}:${definition.defaults.join(":")}`
          : `write just "${name}"`,
      );
    const params = definition.defaults.map((d, i) => {
      if (i >= rawParams.length) return d;
      const v = Number(rawParams[i]);
      if (!Number.isFinite(v) || v <= 0)
        throw new UsageError(`--indicators: "${item}": parameter ${i + 1} must be a positive number`);
      return v;
    });
    return { definition, params };
  });
}

/** Computes the requested indicators on one ticker's bars, as named columns in request order. */
export function computeIndicators(
  bars: BarSeries,
  requests: readonly IndicatorRequest[],
): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const { definition, params } of requests) {
    try {
      for (const [output, values] of definition.compute(bars, params))
        out.set(indicatorColumn(definition.name, output, params), values);
    } catch (error) {
      if (error instanceof RangeError)
        throw new UsageError(`--indicators ${definition.name}: ${error.message}`);
      throw error;
    }
  }
  return out;
}

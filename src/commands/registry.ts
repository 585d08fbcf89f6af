// `tsml registry register|ls|show|rm`: a local model registry with immutable versions and seed 001's tags.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { type JsonArtifact, readJsonArtifact } from "../artifacts/json-artifact.js";
import { makeProvenance } from "../artifacts/provenance.js";
import { DataError, GateError, UsageError } from "../core/errors.js";
import { sha256, sha256File } from "../core/fingerprint.js";
import { numberFlag, oneOfFlag } from "../core/flags.js";
import { terminalTable } from "../core/terminal-table.js";
import { historyFile, previousMetrics } from "../evaluate/metrics-history.js";
import { evaluateCondition } from "../export/condition.js";
import { headlineImportance, type ModelView, modelView } from "../export/model-view.js";
import { checkPredictor } from "../export/predictor-check.js";
import {
  addVersion,
  parseRef,
  type RegistryEntry,
  readEntry,
  registryNames,
  removeEntries,
  scanRegistry,
  versionsOf,
} from "../export/registry-store.js";
import { normalizeTrend, trendOfTarget } from "../export/trend.js";
import { loadModel } from "../models/scoring/load-model.js";
import {
  embedSequenceModel,
  META_FILE,
  readSequenceModelFiles,
  sequenceFolder,
} from "../models/sequence/sequence-artifact.js";
import { sequenceFamily } from "../models/sequence/sequence-family.js";
import type { RunContext } from "./support/run-context.js";

export interface RegisterOptions {
  model?: string;
  name?: string;
  if?: string;
  trend?: string;
  targetPct?: string;
  /** Which metrics `--if` reads: "test" (default) or "train". */
  on?: string;
}

/** Data fingerprint: a hash over the fingerprints of the model's own inputs (features, bars). */
function dataFingerprint(artifact: JsonArtifact): string {
  const inputs = artifact.provenance?.inputs ?? [];
  if (inputs.length === 0) return "";
  return sha256(inputs.map((i) => `${i.path}:${i.sha256}`).join("\n"));
}

/**
 * A sequence model keeps its weights beside tsml.json; the registry copies both (the weights embedded), after
 * saying which file is missing when they are not there.
 */
function sequenceCopy(path: string, folder: string, view: ModelView): Record<string, unknown> {
  const model = view.model;
  const retrain = `retrain it with: tsml train --model ${model}${view.ticker ? ` --ticker ${view.ticker}` : ""}`;
  const weights = join(folder, "weights.bin");
  if (!existsSync(weights))
    throw new DataError(`${path}: sequence model "${model}" has no weights (${weights} is missing)`, retrain);
  if (sequenceFamily(model)?.format === "tfjs-layers" && !existsSync(join(folder, "model.json")))
    throw new DataError(`${path}: sequence model "${model}" has no ${join(folder, "model.json")}`, retrain);
  return embedSequenceModel(readSequenceModelFiles(folder));
}

/** Loads the model and scores one input, so nothing is registered that `serve` would have to exclude. */
async function validateModel(artifact: Record<string, unknown>, path: string): Promise<void> {
  try {
    checkPredictor(await loadModel(artifact, path), path);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(
      `${path}: the model cannot be loaded (${(error as Error)?.message ?? String(error)})`,
      "train it again with: tsml train",
    );
  }
}

/** The metrics `--if` gates on and the tags keep: test metrics, or training metrics only when asked. */
function gateMetrics(
  view: ModelView,
  options: RegisterOptions,
): { split: "test" | "train"; metrics: Record<string, number> } {
  const on = options.on ?? "test";
  const hasTest = Object.keys(view.testMetrics).length > 0;
  if (on === "train") {
    if (Object.keys(view.trainMetrics).length === 0)
      throw new UsageError(
        `--on train: ${options.model} has no training metrics`,
        "leave out --on to gate on test metrics",
      );
    return { split: "train", metrics: view.trainMetrics };
  }
  if (hasTest) return { split: "test", metrics: view.testMetrics };
  if (options.if)
    throw new UsageError(
      `--if: ${options.model} has no test metrics (it was trained without a test window), so the gate has nothing to read`,
      "retrain with a test window (tsml train --split-date YYYY-MM-DD), or gate on training metrics explicitly with --on train",
    );
  // Without a gate the tags still record what there is, and say which window it came from.
  return { split: "train", metrics: view.trainMetrics };
}

export async function registerModelCommand(options: RegisterOptions, ctx: RunContext) {
  if (!options.model)
    throw new UsageError("-m/--model is required", "e.g. tsml registry register -m models/SPX/rf.json");
  const trendFlag = options.trend === undefined ? null : normalizeTrend(options.trend);
  if (options.trend !== undefined && !trendFlag)
    throw new UsageError(`--trend: "${options.trend}" must be up or down`);
  const targetPct = numberFlag(options.targetPct, "--target-pct") ?? null;
  // Checked before the model is read, so a misspelt --on is named even when the model is unusable too.
  oneOfFlag(options.on, "--on", ["test", "train"]);
  // `-m` may name a sequence model's folder; its tsml.json is the artifact then.
  const folder = sequenceFolder(options.model)?.replace(/(.)\/+$/, "$1") ?? null;
  const file = folder ? join(folder, META_FILE) : options.model;
  const artifact = readJsonArtifact(file, ["model"]);
  const view = modelView(artifact);
  const sequence = sequenceFamily(view.model) !== null;
  // What the registry keeps: the artifact itself, or a sequence model's tsml.json with its weights embedded.
  const stored = sequence
    ? sequenceCopy(file, folder ?? dirname(file), view)
    : (artifact as Record<string, unknown>);
  await validateModel(stored, file);
  const trend = trendFlag ?? trendOfTarget(view.target);
  const { split, metrics } = gateMetrics(view, options);
  const ticker = view.ticker || String((artifact as Record<string, unknown>).ticker ?? "");
  if (options.if) {
    // `previous` reads the metrics history's latest run of this ticker and model (skipped when there is none).
    const previous = /previous/i.test(options.if)
      ? await previousMetrics(historyFile(ctx.workspace), ticker, `${ticker}/${view.model}`)
      : null;
    const result = evaluateCondition(options.if, metrics, previous);
    if (!result.passed) {
      const failed = result.checks
        .filter((c) => !c.passed)
        .map((c) => `${c.text} (value ${Number(c.value.toPrecision(4))})`);
      throw new GateError(
        `registry: ${options.model} not registered: condition "${options.if}" is false: ${failed.join(", ")}`,
        `these are the model's ${split === "test" ? "test" : "training"} metrics; improve the model or relax --if`,
      );
    }
  }
  // A sequence model is named after its family by default, so it does not take the classifiers' <T>_<trend>.
  const name = options.name ?? `${ticker || "model"}_${sequence ? view.model : trend}`;
  const provenance = await makeProvenance({
    command: ctx.commandLine,
    options: { ...options },
    seed: ctx.seed,
    inputs: [file],
  });
  const importance = Object.fromEntries(headlineImportance(view).map((e) => [e.feature, e.value]));
  const entry = await addVersion(ctx.workspace, name, provenance, {
    source: { path: file, sha256: await sha256File(file) },
    tags: {
      ticker,
      trend,
      classifier: view.model,
      target: view.target,
      horizon: view.horizon,
      predictionWindowDays: view.horizon,
      targetPct,
      metrics,
      metricsSplit: split,
      featureImportance: importance,
      trainWindow: view.trainWindow,
      dataFingerprint: dataFingerprint(artifact),
    },
    model: stored,
  });
  ctx.print(`registered ${entry.name}@${entry.version} (${view.model} on ${ticker}, trend ${trend})`);
  return { name: entry.name, version: entry.version, tags: entry.tags };
}

const HEADLINE = ["accuracy", "precision", "positive_accuracy", "negative_accuracy", "overall_score"];

/** The headline metrics in snake_case; entries registered before the one spelling keep camelCase tags. */
function headlineMetrics(m: Record<string, number | null>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const key of HEADLINE) {
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const v = m[key] ?? m[camel];
    if (typeof v === "number" || v === null) out[key] = v;
  }
  return out;
}

function topFeatures(entry: RegistryEntry, n = 3): string[] {
  return Object.entries(entry.tags.featureImportance)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, n)
    .map(([f]) => f);
}

export async function listRegistry(ctx: RunContext) {
  const { entries, broken } = await scanRegistry(ctx.workspace);
  const rows = [];
  for (const e of entries) {
    rows.push({
      name: e.name,
      version: e.version,
      versions: (await versionsOf(ctx.workspace, e.name)).length,
      ticker: e.tags.ticker,
      trend: e.tags.trend,
      model: e.tags.classifier,
      metrics: headlineMetrics(e.tags.metrics),
      topFeatures: topFeatures(e),
      registeredAt: e.registeredAt,
    });
  }
  if (rows.length === 0 && broken.length === 0)
    ctx.print(`registry of ${ctx.workspace} is empty (add one: tsml registry register -m MODEL.json)`);
  else if (rows.length > 0) {
    const table = terminalTable(
      ["name", "version", "ticker", "trend", "model", "accuracy", "overall", "top features"],
      { color: ctx.color },
    );
    const fmt = (v: number | null | undefined) =>
      v === undefined ? "-" : v === null || Number.isNaN(v) ? "n/a" : v.toFixed(3);
    for (const r of rows)
      table.push([
        r.name,
        r.version,
        r.ticker,
        r.trend,
        r.model,
        fmt(r.metrics.accuracy),
        fmt(r.metrics.overall_score),
        r.topFeatures.join(", "),
      ]);
    ctx.print(table.toString());
  }
  // A broken current version is listed, not fatal: the other models stay visible.
  for (const b of broken) ctx.log.warn(`${b.name}@${b.version} is broken: ${b.error}`);
  return {
    models: rows,
    broken: broken.map(({ name, version, path, error }) => ({ name, version, path, error })),
  };
}

export async function showRegistry(ref: string, ctx: RunContext) {
  const { name, version } = parseRef(ref);
  const entry = await readEntry(ctx.workspace, name, version);
  const versions = await versionsOf(ctx.workspace, name);
  const { model: _model, ...summary } = entry;
  ctx.print(
    [
      `${entry.name}@${entry.version}${entry.version === versions[versions.length - 1] ? " (current)" : ""}  registered ${entry.registeredAt}`,
      `source: ${entry.source.path} (sha256 ${entry.source.sha256.slice(0, 12)})`,
      `tags: ${JSON.stringify(entry.tags, null, 2)}`,
      `versions: ${versions.join(", ")}`,
    ].join("\n"),
  );
  return { ...summary, versions };
}

export async function removeRegistry(ref: string, ctx: RunContext) {
  const { name, version } = parseRef(ref);
  const removed = await removeEntries(ctx.workspace, name, version);
  ctx.print(`removed ${name} version${removed.length === 1 ? "" : "s"} ${removed.join(", ")}`);
  return {
    name,
    removed,
    remaining: (await registryNames(ctx.workspace)).includes(name)
      ? await versionsOf(ctx.workspace, name)
      : [],
  };
}

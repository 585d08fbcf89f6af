// `tsml registry register|ls|show|rm`: a local model registry with immutable versions and seed 001's tags.

import Table from "cli-table3";
import { type JsonArtifact, readJsonArtifact } from "../artifacts/json-artifact.js";
import { makeProvenance } from "../artifacts/provenance.js";
import { GateError, UsageError } from "../core/errors.js";
import { sha256, sha256File } from "../core/fingerprint.js";
import { evaluateCondition } from "../export/condition.js";
import { headlineImportance, modelView } from "../export/model-view.js";
import {
  addVersion,
  currentEntries,
  parseRef,
  type RegistryEntry,
  readEntry,
  registryNames,
  removeEntries,
  versionsOf,
} from "../export/registry-store.js";
import { normalizeTrend, trendOfTarget } from "../export/trend.js";
import type { RunContext } from "./run-context.js";

export interface RegisterOptions {
  model?: string;
  name?: string;
  if?: string;
  trend?: string;
  targetPct?: string;
}

/** Data fingerprint: a hash over the fingerprints of the model's own inputs (features, bars). */
function dataFingerprint(artifact: JsonArtifact): string {
  const inputs = artifact.provenance?.inputs ?? [];
  if (inputs.length === 0) return "";
  return sha256(inputs.map((i) => `${i.path}:${i.sha256}`).join("\n"));
}

export async function registerModelCommand(options: RegisterOptions, ctx: RunContext) {
  if (!options.model)
    throw new UsageError("-m/--model is required", "e.g. tsml registry register -m models/SPX/rf.json");
  const artifact = readJsonArtifact(options.model, ["model"]);
  const view = modelView(artifact);
  const trend = options.trend ? normalizeTrend(options.trend) : trendOfTarget(view.target);
  if (!trend) throw new UsageError(`--trend: "${options.trend}" must be up or down`);
  const targetPct = options.targetPct === undefined ? null : Number(options.targetPct);
  if (targetPct !== null && !Number.isFinite(targetPct))
    throw new UsageError(`--target-pct: "${options.targetPct}" is not a number`);
  // The gate reads the test metrics; a model trained without a test window only has training metrics.
  const split = Object.keys(view.testMetrics).length > 0 ? "test" : "training";
  const metrics = split === "test" ? view.testMetrics : view.trainMetrics;
  if (options.if) {
    const result = evaluateCondition(options.if, metrics);
    if (!result.passed) {
      const failed = result.checks
        .filter((c) => !c.passed)
        .map((c) => `${c.text} (value ${Number(c.value.toPrecision(4))})`);
      throw new GateError(
        `registry: ${options.model} not registered: condition "${options.if}" is false: ${failed.join(", ")}`,
        `these are the model's ${split} metrics; improve the model or relax --if`,
      );
    }
  }
  const ticker = view.ticker || String((artifact as Record<string, unknown>).ticker ?? "");
  const name = options.name ?? `${ticker || "model"}_${trend}`;
  const provenance = await makeProvenance({
    command: ctx.commandLine,
    options: { ...options },
    seed: ctx.seed,
    inputs: [options.model],
  });
  const importance = Object.fromEntries(headlineImportance(view).map((e) => [e.feature, e.value]));
  const entry = await addVersion(ctx.workspace, name, provenance, {
    source: { path: options.model, sha256: await sha256File(options.model) },
    tags: {
      ticker,
      trend,
      classifier: view.model,
      target: view.target,
      horizon: view.horizon,
      predictionWindowDays: view.horizon,
      targetPct,
      metrics,
      featureImportance: importance,
      trainWindow: view.trainWindow,
      dataFingerprint: dataFingerprint(artifact),
    },
    model: artifact as Record<string, unknown>,
  });
  ctx.print(`registered ${entry.name}@${entry.version} (${view.model} on ${ticker}, trend ${trend})`);
  return { name: entry.name, version: entry.version, tags: entry.tags };
}

const HEADLINE = ["accuracy", "precision", "positiveAccuracy", "negativeAccuracy", "overallScore"];

function headlineMetrics(m: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of HEADLINE) {
    const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const v = m[key] ?? m[snake];
    if (typeof v === "number") out[key] = v;
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
  const entries = await currentEntries(ctx.workspace);
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
  if (rows.length === 0)
    ctx.print(`registry of ${ctx.workspace} is empty (add one: tsml registry register -m MODEL.json)`);
  else {
    const table = new Table({
      head: ["name", "version", "ticker", "trend", "model", "accuracy", "overall", "top features"],
      style: { head: ctx.color ? ["cyan"] : [] },
    });
    const fmt = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(3));
    for (const r of rows)
      table.push([
        r.name,
        r.version,
        r.ticker,
        r.trend,
        r.model,
        fmt(r.metrics.accuracy),
        fmt(r.metrics.overallScore),
        r.topFeatures.join(", "),
      ]);
    ctx.print(table.toString());
  }
  return { models: rows };
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

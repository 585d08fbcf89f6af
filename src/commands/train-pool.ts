// Seed 001's model pool after training: rank the families by their cross-validated score (--scoring, default
// the overall score), and register the best one only when its test metrics pass the gate (--register-if,
// default seed 001's thresholds). Ranking uses the training window only, so the test window the gate reads has
// not also chosen the model.

import { terminalTable } from "../core/terminal-table.js";
import { CLASSIFICATION_METRICS } from "../evaluate/metric-sets.js";
import { historyFile, previousMetrics } from "../evaluate/metrics-history.js";
import { evaluateCondition } from "../export/condition.js";
import { formatMetric } from "../metrics/format-metric.js";
import { parseGateExpression } from "../metrics/gate-expression.js";
import type { TrainMetricSet } from "../models/training/model-artifact.js";
import { registerModelCommand } from "./registry.js";
import type { RunContext } from "./support/run-context.js";

/** One trained family, as the pool sees it. */
export interface PoolMember {
  ticker: string;
  model: string;
  path: string;
  cvScore: number;
  test: TrainMetricSet | null;
}

export interface PoolOutcome {
  ticker: string;
  scoring: string;
  /** Families best first, with the CV score that ranked them. */
  ranking: { model: string; cvScore: number; test: TrainMetricSet | null }[];
  best: string;
  condition: string;
  passed: boolean;
  /** Why it was not registered (a false condition, no test window); null when registered. */
  refused: string | null;
  registered: { name: string; version: number } | null;
}

/** Metric names a --register-if condition may use: train's test metric set. */
const TRAIN_METRIC_NAMES = new Set<string>(["rows", ...CLASSIFICATION_METRICS, "baseline_accuracy"]);

/** Refuses a misspelt --register-if before any training (exit 2). */
export function checkRegisterIf(condition: string): void {
  parseGateExpression(condition, TRAIN_METRIC_NAMES, "--register-if");
}

/** Best first; an undefined (NaN) score ranks last; ties keep the order the families were given. */
export function rankPool<T extends { cvScore: number }>(members: readonly T[]): T[] {
  return members
    .map((m, i) => ({ m, i }))
    .sort((a, b) => {
      const x = Number.isNaN(a.m.cvScore) ? Number.NEGATIVE_INFINITY : a.m.cvScore;
      const y = Number.isNaN(b.m.cvScore) ? Number.NEGATIVE_INFINITY : b.m.cvScore;
      return y - x || a.i - b.i;
    })
    .map(({ m }) => m);
}

export async function choosePoolModel(
  ticker: string,
  members: readonly PoolMember[],
  settings: { registerIf: string; scoring: string },
  ctx: RunContext,
): Promise<PoolOutcome> {
  const ranking = rankPool(members);
  const best = ranking[0];
  const table = terminalTable(
    [
      "rank",
      "model",
      `cv ${settings.scoring}`,
      "test accuracy",
      "baseline",
      "positive_acc",
      "negative_acc",
      "precision",
      "overall_score",
    ],
    { color: ctx.color },
  );
  const show = (name: string, m: TrainMetricSet | null) =>
    m ? formatMetric(name, m[name as keyof TrainMetricSet] ?? Number.NaN) : "-";
  for (const [k, m] of ranking.entries())
    table.push([
      String(k + 1),
      m.model,
      formatMetric("score", m.cvScore),
      show("accuracy", m.test),
      show("baseline_accuracy", m.test),
      show("positive_accuracy", m.test),
      show("negative_accuracy", m.test),
      show("precision", m.test),
      show("overall_score", m.test),
    ]);
  if (!ctx.quiet)
    ctx.print(
      `pool ${ticker}: ${ranking.length} model(s) ranked by cv ${settings.scoring}\n${table.toString()}`,
    );
  const outcome: PoolOutcome = {
    ticker,
    scoring: settings.scoring,
    ranking: ranking.map((m) => ({ model: m.model, cvScore: m.cvScore, test: m.test })),
    best: best.model,
    condition: settings.registerIf,
    passed: false,
    refused: null,
    registered: null,
  };
  if (!best.test) {
    outcome.refused = "no test window, so the gate has no held-out metrics (pass --split-date)";
    ctx.print(`pool ${ticker}: best ${best.model}, not registered: ${outcome.refused}`);
    return outcome;
  }
  const previous = /previous/i.test(settings.registerIf)
    ? await previousMetrics(historyFile(ctx.workspace), ticker, `${ticker}/${best.model}`)
    : null;
  const result = evaluateCondition(
    settings.registerIf,
    best.test as unknown as Record<string, number>,
    previous,
    "--register-if",
    `${ticker} ${best.model}`,
  );
  outcome.passed = result.passed;
  if (!result.passed) {
    const failed = result.checks.filter((c) => !c.passed).map((c) => `${c.text} (${c.reason})`);
    outcome.refused = `"${settings.registerIf}" is false on its test metrics: ${failed.join(", ")}`;
    ctx.print(`pool ${ticker}: best ${best.model}, not registered: ${outcome.refused}`);
    return outcome;
  }
  const entry = await registerModelCommand({ model: best.path }, ctx);
  outcome.registered = { name: entry.name, version: entry.version };
  ctx.print(`pool ${ticker}: best ${best.model} passed "${settings.registerIf}"`);
  return outcome;
}

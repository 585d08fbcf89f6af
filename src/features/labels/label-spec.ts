// Parses `--labels up_down_tm,fwd_ret:5,trend:10:10:0.05,...` and computes the requested forward-looking labels.

import { UsageError } from "../../core/errors.js";
import type { FeatureBlock } from "../feature-block.js";
import { aboveMaLabel } from "./above-ma.js";
import { forwardReturnLabel } from "./forward-return.js";
import { optimalPositionLabel } from "./optimal-position.js";
import { trendLabels } from "./trend.js";
import { tripleBarrierLabel } from "./triple-barrier.js";
import { upDownLabel } from "./up-down.js";

export interface LabelRequest {
  name: string;
  params: number[];
}

interface LabelDefinition {
  defaults: number[];
  usage: string;
  compute(close: Float64Array, p: readonly number[]): FeatureBlock;
}

const INTEGER = (v: number) => Number.isInteger(v) && v >= 1;

const LABELS: Record<string, LabelDefinition> = {
  up_down_tm: { defaults: [], usage: "up_down_tm", compute: (c) => upDownLabel(c, 1) },
  up_down: { defaults: [1], usage: "up_down:K (rows ahead)", compute: (c, p) => upDownLabel(c, p[0]) },
  fwd_ret: { defaults: [1], usage: "fwd_ret:K", compute: (c, p) => forwardReturnLabel(c, p[0]) },
  trend: {
    defaults: [10, 10, 0.05],
    usage: "trend:WINDOW:HORIZON:PCT (fraction)",
    compute: (c, p) => trendLabels(c, p[0], p[1], p[2]),
  },
  above_ma20_tm: { defaults: [], usage: "above_ma20_tm", compute: (c) => aboveMaLabel(c, 20) },
  above_ma: { defaults: [20], usage: "above_ma:WINDOW", compute: (c, p) => aboveMaLabel(c, p[0]) },
  triple_barrier: {
    defaults: [2, 2, 10, 20],
    usage: "triple_barrier:PT:SL:HORIZON:VOL_WINDOW",
    compute: (c, p) =>
      tripleBarrierLabel(c, { profitTake: p[0], stopLoss: p[1], horizon: p[2], volWindow: p[3] }),
  },
  optimal_position: {
    defaults: [0.001],
    usage: "optimal_position:COST (fraction per unit change)",
    compute: (c, p) => optimalPositionLabel(c, p[0]),
  },
};

/** Which parameters must be whole row counts, per label. */
const INTEGER_PARAMS: Record<string, number[]> = {
  up_down: [0],
  fwd_ret: [0],
  trend: [0, 1],
  above_ma: [0],
  triple_barrier: [2, 3],
};

/**
 * `up_down_5d` and `fwd_ret_5d` are accepted as spellings of `up_down:5` and `fwd_ret:5`.
 * @example parseLabelSpec("up_down_tm,fwd_ret:5")
 */
export function parseLabelSpec(spec: string): LabelRequest[] {
  return spec
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((item) => {
      const alias = /^(up_down|fwd_ret)_(\d+)d$/.exec(item);
      const [rawName, ...raw] = alias ? [alias[1], alias[2]] : item.split(":");
      const name = rawName.toLowerCase();
      const def = LABELS[name];
      if (!def)
        throw new UsageError(
          `--labels: unknown label "${rawName}"`,
          `known: ${Object.keys(LABELS).join(", ")}`,
        );
      if (raw.length > def.defaults.length)
        throw new UsageError(`--labels: "${item}": expected ${def.usage}`);
      const params = def.defaults.map((d, i) => (i < raw.length ? Number(raw[i]) : d));
      params.forEach((v, i) => {
        const mustBeInteger = (INTEGER_PARAMS[name] ?? []).includes(i);
        if (!Number.isFinite(v) || v < 0 || (mustBeInteger && !INTEGER(v)))
          throw new UsageError(`--labels: "${item}": parameter ${i + 1} is invalid`, `expected ${def.usage}`);
      });
      return { name, params };
    });
}

/** Computes the labels on one ticker's closes. */
export function computeLabels(close: Float64Array, requests: readonly LabelRequest[]): FeatureBlock {
  const block: FeatureBlock = { columns: new Map(), labels: [] };
  for (const r of requests) {
    const part = LABELS[r.name].compute(close, r.params);
    for (const [k, v] of part.columns) block.columns.set(k, v);
    block.labels.push(...part.labels.filter((l) => !block.labels.some((b) => b.name === l.name)));
  }
  return block;
}

// `--shard i/N`: which tickers one of N processes owns. A ticker belongs to shard
//   int(sha256(UTF-8 ticker).hexdigest()[:8], 16) mod N
// (the first 32 bits of its SHA-256, big-endian), a function of the ticker's own name only, so N processes
// started anywhere (a Kubernetes Indexed Job, a Slurm array, Airflow mapped tasks) cover the universe exactly
// once without talking to each other, a ticker stays in its shard when others are added or removed, and a
// one-line script in any language can say where a ticker goes. Indexes are 0-based, as orchestrators count.

import { createHash } from "node:crypto";
import { UsageError } from "./errors.js";

export interface Shard {
  /** 0 <= index < count. */
  readonly index: number;
  readonly count: number;
  /** "1/3", as typed on the command line (and recorded in provenance). */
  readonly label: string;
}

/**
 * The first 32 bits of the SHA-256 of the ticker's UTF-8 bytes. A cryptographic hash rather than FNV: FNV's low
 * bits are poorly mixed (FNV-1a's lowest bit is the parity of the bytes' lowest bits), which would split
 * tickers unevenly over 2, 4 or 8 shards.
 */
export function tickerHash(ticker: string): number {
  return createHash("sha256").update(ticker, "utf8").digest().readUInt32BE(0);
}

/** The shard (0-based) a ticker belongs to out of `count`. */
export function shardOf(ticker: string, count: number): number {
  return tickerHash(ticker) % count;
}

/** Whether the shard owns the ticker; every ticker is owned when there is no shard. */
export function ownsTicker(shard: Shard | null | undefined, ticker: string): boolean {
  return !shard || shardOf(ticker, shard.count) === shard.index;
}

/** At most this many shards: a typo like 1/30000000 is refused rather than leaving every process idle. */
export const MAX_SHARDS = 100_000;

const WHOLE = /^\d+$/;

function shardFrom(index: string, count: string, source: string, hint: string): Shard {
  const n = WHOLE.test(count) ? Number(count) : Number.NaN;
  if (!(Number.isSafeInteger(n) && n >= 1 && n <= MAX_SHARDS))
    throw new UsageError(
      `${source}: the shard count "${count}" is not an integer from 1 to ${MAX_SHARDS}`,
      hint,
    );
  const i = WHOLE.test(index) ? Number(index) : Number.NaN;
  if (!(Number.isSafeInteger(i) && i < n))
    throw new UsageError(
      `${source}: the shard index "${index}" is not an integer from 0 to ${n - 1} (indexes are 0-based)`,
      hint,
    );
  return { index: i, count: n, label: `${i}/${n}` };
}

const SPEC_HINT = "e.g. --shard 0/4 ... --shard 3/4 for four processes, or --shard auto";

/** The environment variables `--shard auto` reads, in the order it tries them (README "Beyond one machine"). */
export const AUTO_HINT =
  "--shard auto reads TSML_SHARD_INDEX + TSML_SHARDS (Airflow, anything), JOB_COMPLETION_INDEX + TSML_SHARDS " +
  "(Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID + SLURM_ARRAY_TASK_COUNT (Slurm array)";

/**
 * `--shard i/N` or `--shard auto` (from `env`); null when the flag is absent. Any other text, an index outside
 * 0..N-1 or an environment without a shard is a usage error naming the flag (exit 2).
 * @example parseShard("1/3", {}) // { index: 1, count: 3, label: "1/3" }
 * @example parseShard("auto", { SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_MIN: "4", SLURM_ARRAY_TASK_COUNT: "3" }) // 1/3
 */
export function parseShard(value: string | undefined, env: NodeJS.ProcessEnv): Shard | null {
  if (value === undefined) return null;
  if (value === "auto") return shardFromEnvironment(env);
  const m = /^([^/]*)\/([^/]*)$/.exec(value);
  if (!m) throw new UsageError(`--shard ${JSON.stringify(value)}: expected INDEX/COUNT or auto`, SPEC_HINT);
  return shardFrom(m[1].trim(), m[2].trim(), `--shard ${value}`, SPEC_HINT);
}

/**
 * The shard an orchestrator gave this process. Explicit TSML_SHARD_INDEX wins (Airflow: set it from the mapped
 * task's map_index); then a Kubernetes Indexed Job's JOB_COMPLETION_INDEX (its completions count is not in the
 * pod's environment, so TSML_SHARDS says it); then a Slurm array, whose task ids run from
 * SLURM_ARRAY_TASK_MIN in steps of SLURM_ARRAY_TASK_STEP (`--array=1-8` is shards 0..7 of 8).
 */
export function shardFromEnvironment(env: NodeJS.ProcessEnv): Shard {
  const set = (name: string) => env[name] !== undefined && env[name] !== "";
  if (set("TSML_SHARD_INDEX") || set("JOB_COMPLETION_INDEX")) {
    const indexVar = set("TSML_SHARD_INDEX") ? "TSML_SHARD_INDEX" : "JOB_COMPLETION_INDEX";
    if (!set("TSML_SHARDS"))
      throw new UsageError(
        `--shard auto: ${indexVar} is set but TSML_SHARDS (the number of shards) is not`,
        indexVar === "JOB_COMPLETION_INDEX"
          ? "set TSML_SHARDS in the Job's pod template to its spec.completions"
          : "set TSML_SHARDS to the number of mapped tasks",
      );
    return shardFrom(
      String(env[indexVar]),
      String(env.TSML_SHARDS),
      `--shard auto (${indexVar}=${env[indexVar]}, TSML_SHARDS=${env.TSML_SHARDS})`,
      AUTO_HINT,
    );
  }
  if (set("SLURM_ARRAY_TASK_ID")) {
    const source = `--shard auto (SLURM_ARRAY_TASK_ID=${env.SLURM_ARRAY_TASK_ID})`;
    if (!set("SLURM_ARRAY_TASK_COUNT"))
      throw new UsageError(`${source}: SLURM_ARRAY_TASK_COUNT is not set`, "run under sbatch --array");
    const whole = (name: string, fallback: number) => {
      const text = env[name];
      if (text === undefined || text === "") return fallback;
      if (!WHOLE.test(text))
        throw new UsageError(`${source}: ${name}="${text}" is not an integer`, AUTO_HINT);
      return Number(text);
    };
    const id = whole("SLURM_ARRAY_TASK_ID", 0);
    const min = whole("SLURM_ARRAY_TASK_MIN", 0);
    const step = whole("SLURM_ARRAY_TASK_STEP", 1);
    if (step < 1 || id < min || (id - min) % step !== 0)
      throw new UsageError(
        `${source}: not on the array's range (SLURM_ARRAY_TASK_MIN=${min}, SLURM_ARRAY_TASK_STEP=${step})`,
        "use a contiguous array such as --array=0-7",
      );
    return shardFrom(String((id - min) / step), String(env.SLURM_ARRAY_TASK_COUNT), source, AUTO_HINT);
  }
  throw new UsageError("--shard auto: no shard in the environment", AUTO_HINT);
}

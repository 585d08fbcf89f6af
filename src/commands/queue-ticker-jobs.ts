// Batch commands on the job queue (`tsml features|train|backtest|evaluate --queue URL` over several tickers): one
// job per ticker, each the same command for that ticker alone, run by a `tsml worker` in one of its job runners
// against the shared workspace (so it writes exactly what a local run for that ticker writes, tracked runs
// included). The submitter goes on past a failed ticker and ends with the per-ticker summary.

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isS3Workspace, parseS3Workspace } from "../artifacts/remote-workspace/s3-url.js";
import {
  tickerFromFileName,
  tickersWith,
  WORKSPACE_DIRS,
  type WorkspaceDir,
} from "../artifacts/workspace.js";
import { TsmlError, UsageError } from "../core/errors.js";
import { tickerListFlag } from "../core/flags.js";
import { redact } from "../core/redact.js";
import { parseQueueUrl } from "../queue/queue-url.js";
import { type QueueTask, submitTasks } from "../queue/submit-tasks.js";
import { latestModel } from "./build/latest-model.js";
import { queuedTickerSources, tickerFlagOf } from "./queue-batch-commands.js";
import { queueSpace } from "./queue-space.js";
import { failureSummary, type NamedFailure } from "./support/failure-summary.js";
import type { RunContext } from "./support/run-context.js";
import { shardTickers } from "./support/shard-tickers.js";

/** What the worker runs for one ticker: `tsml [globals] <command> [flags] --ticker T`. */
export interface TickerJob {
  command: string;
  argv: string[];
}

export interface TickerJobsPlan {
  command: string;
  /** The run's global flags and the command's own, as flags again (without --queue, --ticker, --workspace). */
  globals: string[];
  flags: string[];
  /**
   * `--ticker` (`--symbol` for ingest alphavantage) as given, one or several, else undefined: every ticker with
   * the command's input.
   */
  ticker: string | string[] | undefined;
  queue: string;
}

/**
 * Every ticker with the command's input (see QUEUED_BATCH_INPUTS): a folder workspace's files, or an S3
 * workspace's keys (listed, not downloaded: the workers fetch what their ticker needs).
 */
async function workspaceTickers(
  workspace: string,
  command: string,
  flags: readonly string[],
): Promise<string[]> {
  const found = await tickersByFolder(workspace);
  for (const dirs of queuedTickerSources(command, flags)) {
    const tickers = [...new Set(dirs.flatMap((d) => [...(found.get(d) ?? [])]))].sort();
    if (tickers.length > 0) return tickers;
  }
  return [];
}

/** The tickers each per-ticker folder holds: `bars/T.parquet`, ..., and `models/T/<model>.json`. */
async function tickersByFolder(workspace: string): Promise<Map<WorkspaceDir, Set<string>>> {
  const found = new Map<WorkspaceDir, Set<string>>();
  const add = (dir: WorkspaceDir, ticker: string | null) => {
    if (ticker === null) return;
    if (!found.has(dir)) found.set(dir, new Set());
    found.get(dir)?.add(ticker);
  };
  const tableDirs = ["bars", "features", "predictions", "backtests"] as const;
  if (!isS3Workspace(workspace)) {
    for (const dir of tableDirs) for (const t of tickersWith(workspace, dir)) add(dir, t);
    const models = join(workspace, WORKSPACE_DIRS.models);
    if (existsSync(models))
      for (const name of readdirSync(models)) {
        const ticker = tickerFromFileName(name);
        if (ticker !== null && latestModel(workspace, ticker) !== null) add("models", ticker);
      }
    return found;
  }
  const { S3Bucket } = await import("../artifacts/remote-workspace/s3-bucket.js");
  const { s3SettingsFrom } = await import("../artifacts/remote-workspace/s3-settings.js");
  const objects = await new S3Bucket(parseS3Workspace(workspace), s3SettingsFrom(process.env)).list();
  for (const { path } of objects) {
    const [dir, name, file, ...rest] = path.split("/");
    if (rest.length > 0 || name === undefined || name.startsWith(".")) continue;
    if (dir === WORKSPACE_DIRS.models && file?.endsWith(".json") && !file.startsWith("."))
      add("models", tickerFromFileName(name));
    const table = tableDirs.find((d) => WORKSPACE_DIRS[d] === dir);
    if (table && file === undefined && name.endsWith(".parquet"))
      add(table, tickerFromFileName(name.slice(0, -".parquet".length)));
  }
  return found;
}

/**
 * Runs one job per ticker on the queue and prints each ticker's outcome; throws the per-ticker failure summary
 * when any failed (exit code of the failures).
 * @example await runTickerJobs({ command: "features", globals: [], flags: [], ticker: undefined, queue }, ctx)
 */
export async function runTickerJobs(plan: TickerJobsPlan, ctx: RunContext) {
  const url = parseQueueUrl(plan.queue);
  const line = [...plan.globals, plan.command, ...plan.flags].join(" ");
  // Job payloads are Redis rows: a secret on the command line would land there. Workers take secrets from their
  // own environment (ALPHAVANTAGE_API_KEY, PGPASSWORD, ...), as every other tsml process does.
  if (redact(line) !== line)
    throw new UsageError(
      `--queue: the command line holds a secret, which a job on the queue would carry into Redis`,
      "give the workers the secret in their environment (e.g. ALPHAVANTAGE_API_KEY) and drop it from the flags",
    );
  const given =
    plan.ticker === undefined ? [] : (tickerListFlag(plan.ticker, tickerFlagOf(plan.command)) ?? []);
  const all = given.length > 0 ? given : await workspaceTickers(ctx.workspace, plan.command, plan.flags);
  const tickers = shardTickers(ctx, all, plan.command);
  if (tickers.length === 0)
    throw new UsageError(
      `${plan.command} --queue: no tickers (none given with --ticker and none in ${ctx.workspace})`,
    );
  const tasks: QueueTask[] = tickers.map((ticker, i) => ({
    id: `t${i}`,
    kind: "ticker",
    label: `${plan.command} ${ticker}`,
    data: {
      command: plan.command,
      argv: [...plan.globals, ...plan.command.split(" "), ...plan.flags, tickerFlagOf(plan.command), ticker],
    } satisfies TickerJob as unknown as Record<string, unknown>,
  }));
  const bar = ctx.progress(tasks.length, `${plan.command} on ${url.display}`);
  const failures = new Map<string, TsmlError>();
  const results = await submitTasks(tasks, {
    url,
    what: `${plan.command} tickers`,
    space: await queueSpace(ctx.workspace),
    log: ctx.log,
    onDone: (label) => bar.tick(label),
    failures,
    workerHint: `tsml worker --queue ${url.display} --workspace ${ctx.workspace}`,
  });
  bar.done();
  const outcome: Record<string, { worker: string | null; error: string | null }> = {};
  for (const [i, ticker] of tickers.entries()) {
    const result = results.get(`t${i}`);
    const failure = failures.get(`t${i}`);
    outcome[ticker] = { worker: result?.worker ?? null, error: failure?.message ?? null };
    if (result) ctx.print(`${plan.command} ${ticker}: done on ${result.worker}`);
  }
  // decodeFailure put the task's label ("features TINY") in front of the worker's message: the summary names the
  // ticker itself.
  const failed: NamedFailure[] = [...failures.entries()].map(([id, error]) => {
    const label = `${plan.command} ${tickers[Number(id.slice(1))]}: `;
    const message = error.message.startsWith(label) ? error.message.slice(label.length) : error.message;
    return { what: tickers[Number(id.slice(1))], error: new TsmlError(message, error.exitCode, error.hint) };
  });
  if (failed.length > 0) throw failureSummary(`${plan.command} --queue`, failed, results.size);
  return { queue: url.display, tickers: outcome };
}

// Grid search over parameter combinations x CV folds, in worker threads (--jobs), with scikit-learn
// cv_results_-like output: per-fold scores and fit times, mean, std and rank per combination.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { DataError, TsmlError } from "../../core/errors.js";
import { stopWorkers } from "../../core/stop-workers.js";
import { type CvDataset, type FoldResult, runFoldTask } from "./fold-task.js";

export interface CvResultRow {
  params: Record<string, unknown>;
  splitTestScores: number[];
  splitTrainScores: number[];
  fitSeconds: number[];
  meanTestScore: number;
  stdTestScore: number;
  meanTrainScore: number;
  meanFitSeconds: number;
  rank: number;
  errors: string[];
}

export interface GridSearchResult {
  rows: CvResultRow[];
  bestIndex: number;
  bestParams: Record<string, unknown>;
  jobs: number;
  seconds: number;
}

function mean(values: number[]): number {
  const ok = values.filter((v) => !Number.isNaN(v));
  return ok.length === values.length && ok.length > 0
    ? ok.reduce((a, b) => a + b, 0) / ok.length
    : Number.NaN;
}

function std(values: number[]): number {
  const m = mean(values);
  if (Number.isNaN(m)) return Number.NaN;
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
}

/** One (combination, fold) task of a grid search. */
export interface FoldTaskSpec {
  params: Record<string, unknown>;
  combo: number;
  fold: number;
}

/**
 * Runs the tasks somewhere other than this process's threads (the job queue, commands/queue-fold-runner.ts):
 * results in task order, and how many workers took part.
 */
export type FoldRunner = (
  data: CvDataset,
  tasks: FoldTaskSpec[],
  onTick: (label: string) => void,
) => Promise<{ results: FoldResult[]; workers: number }>;

/** The compiled worker next to this module (absent when running from TypeScript sources in tests). */
function workerUrl(): URL | null {
  const url = new URL("./grid-worker.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/**
 * Runs every (combination, fold) task; `jobs` workers share the queue. Each task is a pure function of its
 * inputs, so the scores are identical for any --jobs (only fit times differ).
 */
export async function gridSearch(
  data: CvDataset,
  combos: Record<string, unknown>[],
  jobs: number,
  onTick: (label: string) => void = () => {},
  runner?: FoldRunner,
): Promise<GridSearchResult> {
  const started = performance.now();
  const tasks: FoldTaskSpec[] = [];
  combos.forEach((params, combo) => {
    for (let fold = 0; fold < data.folds.length; fold++) tasks.push({ params, combo, fold });
  });
  let results: FoldResult[] = new Array(tasks.length);
  const url = workerUrl();
  let workers = Math.max(1, Math.min(jobs, tasks.length));
  if (runner) {
    const remote = await runner(data, tasks, onTick);
    results = remote.results;
    workers = remote.workers;
  } else if (workers <= 1 || !url) {
    for (let t = 0; t < tasks.length; t++) {
      const task = tasks[t];
      results[t] = await runFoldTask(data, task.params, task.combo, task.fold);
      onTick(`combination ${task.combo + 1} fold ${task.fold + 1}`);
    }
  } else {
    await runInWorkers(url, data, tasks, workers, results, onTick);
  }
  const rows = combos.map((params, combo) => {
    const mine = results.filter((r) => r.combo === combo).sort((a, b) => a.fold - b.fold);
    const test = mine.map((r) => r.testScore);
    const train = mine.map((r) => r.trainScore);
    const fit = mine.map((r) => r.fitSeconds);
    return {
      params,
      splitTestScores: test,
      splitTrainScores: train,
      fitSeconds: fit,
      meanTestScore: mean(test),
      stdTestScore: std(test),
      meanTrainScore: mean(train),
      meanFitSeconds: fit.reduce((a, b) => a + b, 0) / Math.max(1, fit.length),
      rank: 0,
      errors: mine.flatMap((r) => (r.error ? [`fold ${r.fold + 1}: ${r.error}`] : [])),
    };
  });
  // Rank like scikit-learn: 1 = best mean test score, ties share the lowest rank, NaN ranks last.
  const key = (r: CvResultRow) =>
    Number.isNaN(r.meanTestScore) ? Number.NEGATIVE_INFINITY : r.meanTestScore;
  for (const r of rows) r.rank = 1 + rows.filter((o) => key(o) > key(r)).length;
  let bestIndex = 0;
  rows.forEach((r, i) => {
    if (key(r) > key(rows[bestIndex])) bestIndex = i;
  });
  if (Number.isNaN(rows[bestIndex].meanTestScore) && rows.every((r) => r.errors.length > 0))
    throw new DataError(
      `every parameter combination failed in cross-validation (${rows[0].errors[0] ?? "no score"})`,
      "use fewer --splits or a longer training window",
    );
  return {
    rows,
    bestIndex,
    bestParams: combos[bestIndex],
    jobs: workers,
    seconds: (performance.now() - started) / 1000,
  };
}

async function runInWorkers(
  url: URL,
  data: CvDataset,
  tasks: FoldTaskSpec[],
  count: number,
  results: FoldResult[],
  onTick: (label: string) => void,
): Promise<void> {
  let next = 0;
  const pool = Array.from({ length: count }, () => new Worker(url, { workerData: data }));
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= tasks.length) {
                resolve();
                return;
              }
              const id = next++;
              worker.postMessage({ id, ...tasks[id] });
            };
            worker.on(
              "message",
              (msg: {
                id: number;
                result?: FoldResult;
                failure?: { message: string; exitCode: number; hint?: string };
              }) => {
                if (msg.failure) {
                  reject(new TsmlError(msg.failure.message, msg.failure.exitCode as 1, msg.failure.hint));
                  return;
                }
                results[msg.id] = msg.result as FoldResult;
                onTick(`combination ${tasks[msg.id].combo + 1} fold ${tasks[msg.id].fold + 1}`);
                send();
              },
            );
            worker.on("error", reject);
            send();
          }),
      ),
    );
  } finally {
    await stopWorkers(pool);
  }
}

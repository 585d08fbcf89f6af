// `train --queue URL`: the grid search's (combination x fold) tasks go to the job queue's workers. The training
// window is written once into the shared workspace; each job names it, its parameters and its fold, and a worker
// runs the very function a local thread runs (models/tuning/fold-task.ts), so the scores are bit-identical to a
// local run with the same --seed.

import { encodeCvDataset } from "../models/tuning/cv-dataset-bytes.js";
import type { FoldRunner } from "../models/tuning/grid-search.js";
import type { QueueUrl } from "../queue/queue-url.js";
import { decodeFoldResult } from "./queue-fold-job.js";
import type { RunContext } from "./support/run-context.js";

/**
 * A FoldRunner over the queue at `url`; `what` names the ticker and model in labels ("SPX rf").
 * @example trainModel({ ...input, foldRunner: queueFoldRunner(ctx, parseQueueUrl(url), "SPX rf") })
 */
export function queueFoldRunner(ctx: RunContext, url: QueueUrl, what: string): FoldRunner {
  return async (data, tasks, onTick) => {
    // Loaded here, not at the top: a local train would otherwise load the queue client (~0.1 s) for nothing.
    const { submitWithInput } = await import("./queue-submit.js");
    const { jobs, results, workers } = await submitWithInput(
      ctx,
      url,
      `tune ${what}`,
      encodeCvDataset(data),
      (dataset, sha256) =>
        tasks.map((t) => ({
          id: `c${t.combo}-f${t.fold}`,
          kind: "fold",
          data: { dataset, sha256, params: t.params, combo: t.combo, fold: t.fold },
          label: `${what} combination ${t.combo + 1} fold ${t.fold + 1}`,
        })),
      onTick,
    );
    return { results: jobs.map((job) => decodeFoldResult(results.get(job.id)?.value)), workers };
  };
}

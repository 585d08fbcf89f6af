// `backtest --walk-forward --queue URL`: every refit goes to the job queue's workers. The bars' features and
// labels and the schedule are written once into the shared workspace; each job names them and its refit's index,
// and a worker runs the function a local thread runs (models/training/refit-task.ts), so the out-of-sample
// probabilities are bit-identical to a local run with the same --seed.

import { encodeRefitData } from "../models/training/refit-data-bytes.js";
import type { RefitRunner } from "../models/training/walk-forward-refits.js";
import type { QueueUrl } from "../queue/queue-url.js";
import { decodeRefitOutcome } from "./queue-refit-job.js";
import { submitWithInput } from "./queue-submit.js";
import type { RunContext } from "./support/run-context.js";

/**
 * A RefitRunner over the queue at `url`; `what` names the ticker and model in labels ("SPX rf").
 * @example runWalkForward(data, jobs, tick, queueRefitRunner(ctx, parseQueueUrl(url), "SPX rf"))
 */
export function queueRefitRunner(ctx: RunContext, url: QueueUrl, what: string): RefitRunner {
  return async (data, onRefit) => {
    const { jobs, results, workers } = await submitWithInput(
      ctx,
      url,
      `walk-forward ${what}`,
      encodeRefitData(data),
      (input, sha256) =>
        data.refits.map((_, index) => ({
          id: `r${index}`,
          kind: "refit",
          data: { input, sha256, index },
          label: `${what} refit ${index + 1}`,
        })),
      (_label, id) => onRefit(Number(id.slice(1))),
    );
    return { outcomes: jobs.map((job) => decodeRefitOutcome(results.get(job.id)?.value)), workers };
  };
}

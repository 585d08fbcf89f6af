// A command's way onto the job queue: write the run's input once into the workspace's `.queue/` folder (its
// sha256 is the fingerprint workers check), submit jobs that name it, gather their results, remove the input.

import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../core/atomic-file.js";
import { sha256 } from "../core/fingerprint.js";
import type { QueueUrl } from "../queue/queue-url.js";
import { type QueueTask, submitTasks, type TaskResult } from "../queue/submit-tasks.js";
import { queueSpace } from "./queue-space.js";
import { QUEUE_FOLDER } from "./queue-workspace.js";
import type { RunContext } from "./support/run-context.js";

/**
 * Writes `bytes`, submits `tasks(path, fingerprint)` and returns each task's result by id.
 * @example await submitWithInput(ctx, url, "tune SPX rf", bytes, (path, sha) => [...], bar.tick)
 */
export async function submitWithInput(
  ctx: RunContext,
  url: QueueUrl,
  what: string,
  bytes: Uint8Array,
  tasks: (path: string, fingerprint: string) => QueueTask[],
  onDone: (label: string, id: string) => void,
): Promise<{ jobs: QueueTask[]; results: Map<string, TaskResult>; workers: number }> {
  const fingerprint = sha256(bytes);
  // A folder per submission: a concurrent run with the same data never loses its file to our clean-up.
  const folder = join(QUEUE_FOLDER, randomBytes(6).toString("hex"));
  const relative = join(folder, `input-${fingerprint.slice(0, 16)}.bin`);
  await writeFileAtomic(join(ctx.workspace, relative), bytes);
  try {
    const jobs = tasks(relative, fingerprint);
    const results = await submitTasks(jobs, {
      url,
      what,
      space: await queueSpace(ctx.workspace),
      log: ctx.log,
      onDone,
      workerHint: `tsml worker --queue ${url.display} --workspace ${ctx.workspace}`,
    });
    return { jobs, results, workers: new Set([...results.values()].map((r) => r.worker)).size };
  } finally {
    await rm(join(ctx.workspace, folder), { recursive: true, force: true });
  }
}

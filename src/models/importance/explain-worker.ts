// Worker thread behind ModelWorkers: fits the final model on request, loads a fitted state, runs explain tasks.

import { parentPort, workerData } from "node:worker_threads";
import "../all-models.js";
import { balancedWeights } from "../common/standard-scaler.js";
import type { ModelState } from "../model.js";
import { getModelFactory } from "../registry.js";
import { ExplainContext, type ExplainData, type ExplainTask } from "./explain-task.js";

type Request =
  | { id: number; type: "fit"; model: string; params: Record<string, unknown>; balanced: boolean }
  | { id: number; type: "load"; state: ModelState; shap: Float64Array[] }
  | { id: number; type: "task"; task: ExplainTask };

const data = workerData as ExplainData;
let context: ExplainContext | null = null;

async function handle(request: Request): Promise<unknown> {
  switch (request.type) {
    case "fit": {
      const classifier = getModelFactory(request.model).create(request.params);
      await classifier.fit({ rows: data.trainY.length, columns: data.train }, data.trainY, {
        seed: data.seed,
        sampleWeight: request.balanced ? balancedWeights(data.trainY) : undefined,
      });
      return classifier.toState();
    }
    case "load":
      context = new ExplainContext(getModelFactory(request.state.model).load(request.state), {
        ...data,
        shap: request.shap,
      });
      return null;
    case "task":
      if (!context) throw new Error("explain task before the model was loaded");
      return context.run(request.task);
  }
}

// Requests arrive one at a time per worker (the pool waits for each answer), so a fit never overlaps a task.
parentPort?.on("message", async (request: Request) => {
  try {
    parentPort?.postMessage({ id: request.id, result: await handle(request) });
  } catch (error) {
    const e = error as Error & { exitCode?: number; hint?: string };
    parentPort?.postMessage({
      id: request.id,
      failure: { message: e.message, exitCode: e.exitCode ?? 1, hint: e.hint },
    });
  }
});

// A model file without what depends on where and how fast its CV ran (provenance, timings, the number of
// threads or workers): what a queued run and a local run with the same seed must share exactly.

import { readFileSync } from "node:fs";

export function comparableModel(path: string): unknown {
  const model = JSON.parse(readFileSync(path, "utf8"));
  delete model.provenance;
  delete model.cv.seconds;
  delete model.cv.jobs;
  for (const row of model.cv.results) {
    delete row.fitSeconds;
    delete row.meanFitSeconds;
  }
  return model;
}

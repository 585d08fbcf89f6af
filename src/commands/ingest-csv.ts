// `tsml ingest csv`: placeholder until the CSV reader lands.

import { InternalError } from "../core/errors.js";
import type { RunContext } from "./run-context.js";

export async function ingestCsv(
  _files: string[],
  _options: Record<string, unknown>,
  _ctx: RunContext,
): Promise<unknown> {
  throw new InternalError("ingest csv is not implemented yet");
}

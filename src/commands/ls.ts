// `tsml ls`: every artifact in the workspace with its size and time.

import { listWorkspace } from "../artifacts/workspace.js";
import { terminalTable } from "../core/terminal-table.js";
import type { RunContext } from "./support/run-context.js";

export async function listArtifacts(ctx: RunContext) {
  const entries = listWorkspace(ctx.workspace);
  if (entries.length === 0) {
    ctx.print(`workspace ${ctx.workspace} is empty (start with: tsml ingest csv FILE --ticker T)`);
  } else {
    const table = terminalTable(["artifact", "bytes", "modified"], { color: ctx.color });
    for (const e of entries) table.push([e.path, e.bytes, e.modified.replace("T", " ").slice(0, 19)]);
    ctx.print(table.toString());
  }
  return { workspace: ctx.workspace, artifacts: entries };
}

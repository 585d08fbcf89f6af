// `tsml status`: every artifact in the workspace, what it was built from, and whether it is stale (an input
// it recorded has changed since), so a user sees what the next stage would rebuild.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type CheckedInput, checkInputs, memoHasher } from "../artifacts/freshness.js";
import type { Provenance } from "../artifacts/provenance.js";
import { readTableMeta } from "../artifacts/table-io.js";
import { listWorkspace } from "../artifacts/workspace.js";
import { terminalTable } from "../core/terminal-table.js";
import { shownPath } from "./build/build-context.js";
import type { RunContext } from "./support/run-context.js";

export type ArtifactState = "fresh" | "stale" | "input missing" | "untracked";

export interface ArtifactStatus {
  path: string;
  kind: string | null;
  ticker: string | null;
  /** The command that built it, as recorded. */
  command: string | null;
  createdAt: string | null;
  inputs: CheckedInput[];
  state: ArtifactState;
}

export async function workspaceStatus(ctx: RunContext) {
  const artifacts: ArtifactStatus[] = [];
  // Each distinct input is hashed once: 200 bars ingested from one 66 MB CSV all record that CSV.
  const hash = memoHasher();
  for (const entry of listWorkspace(ctx.workspace)) {
    const full = join(ctx.workspace, entry.path);
    const recorded = await recordedFacts(full);
    const inputs = recorded?.provenance ? await checkInputs(recorded.provenance, hash) : [];
    artifacts.push({
      path: entry.path,
      kind: recorded?.kind ?? null,
      ticker: entry.ticker,
      command: recorded?.provenance?.command ?? null,
      createdAt: recorded?.provenance?.createdAt ?? null,
      inputs: inputs.map((i) => ({ ...i, path: shownPath(ctx, i.path) })),
      state: stateOf(recorded?.provenance ?? null, inputs),
    });
  }
  if (artifacts.length === 0)
    ctx.print(`workspace ${ctx.workspace} is empty (start with: tsml train --ticker AAPL --model rf)`);
  else ctx.print(statusTable(artifacts, ctx.color));
  const stale = artifacts.filter((a) => a.state === "stale").length;
  if (stale > 0)
    ctx.print(`${stale} stale artifact(s): the next stage that reads one rebuilds it (unless --no-build)`);
  return { workspace: ctx.workspace, artifacts };
}

function stateOf(provenance: Provenance | null, inputs: readonly CheckedInput[]): ArtifactState {
  if (provenance === null) return "untracked";
  if (inputs.some((i) => i.state === "changed")) return "stale";
  if (inputs.some((i) => i.state === "missing")) return "input missing";
  return "fresh";
}

/** Kind and provenance of a tsml table or JSON artifact; null for any other file. */
async function recordedFacts(path: string): Promise<{ kind: string; provenance: Provenance | null } | null> {
  try {
    if (path.endsWith(".parquet")) {
      const meta = await readTableMeta(path);
      return meta ? { kind: meta.kind, provenance: meta.provenance ?? null } : null;
    }
    if (path.endsWith(".json")) {
      const parsed = JSON.parse(readFileSync(path, "utf8")) as { kind?: unknown; provenance?: Provenance };
      if (typeof parsed?.kind !== "string") return null;
      return { kind: parsed.kind, provenance: parsed.provenance ?? null };
    }
  } catch {
    // An unreadable file is listed as untracked: status describes the workspace, it does not validate it.
  }
  return null;
}

function statusTable(artifacts: readonly ArtifactStatus[], color: boolean): string {
  const table = terminalTable(["artifact", "kind", "built from", "state"], { color: color });
  for (const a of artifacts) {
    const from = a.inputs.map((i) =>
      i.state === "same" || i.state === "not a file" ? i.path : `${i.path} (${i.state})`,
    );
    table.push([a.path, a.kind ?? "-", from.join("\n") || "-", a.state]);
  }
  return table.toString();
}

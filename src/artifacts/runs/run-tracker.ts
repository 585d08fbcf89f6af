// Tracking one run: the stage writes into the run's own folder (runs/<id>/models/AAPL/rf.json, ...), and only
// when the run succeeds are its files copied over the workspace's latest paths (models/AAPL/rf.json) and the
// latest pointers moved, all under one lock. A failed run leaves the latest files and pointers where they were,
// and no run ever overwrites another's files. A sequence model is a folder (models/AAPL/lstm/): it is kept and
// promoted whole, and fingerprinted by its record file, as predict names it.

import { constants, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { copyFile, link, mkdir, readdir, rename, rm } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { commitTemp, discardTemp, tempPathFor, writeFileAtomic } from "../../core/atomic-file.js";
import { sha256File } from "../../core/fingerprint.js";
import { fromOsError } from "../../core/os-error.js";
import { redact, redactValue } from "../../core/redact.js";
import { redactOptions, tsmlVersion } from "../provenance.js";
import { tickerFromFileName, WORKSPACE_DIRS } from "../workspace.js";
import { readLatestPointer, writeLatestPointer } from "./latest-pointer.js";
import { newRunId } from "./run-id.js";
import {
  modelOfId,
  type RunArtifact,
  type RunRecord,
  type RunResult,
  type RunStage,
  type RunStatus,
} from "./run-record.js";
import { withRunsLock } from "./runs-lock.js";

export const RUN_FILE = "run.json";

/**
 * The record file of a model folder (a sequence model's tsml.json, models/sequence/sequence-artifact.ts): its
 * fingerprint is the folder's, the one its predictions name in their model id.
 */
export const FOLDER_RECORD_FILE = "tsml.json";

/** `<workspace>/runs`. */
export function runsDir(workspace: string): string {
  return join(workspace, WORKSPACE_DIRS.runs);
}

/** `<workspace>/runs/<id>`. */
export function runFolder(workspace: string, id: string): string {
  return join(runsDir(workspace), id);
}

export interface StartRunOptions {
  stage: RunStage;
  /** The command line as typed, already redacted (RunContext.commandLine). */
  command: string;
  options: Record<string, unknown>;
  seed: number | null;
  tags?: Record<string, string>;
  /** Injectable for tests: the clock and the random part of the id. */
  now?: () => Date;
  random?: () => string;
}

/**
 * Starts a run. Its folder (and so its id) is claimed now when the workspace exists, else on the first output,
 * so a command that fails before writing anything leaves no workspace behind.
 */
export function startRun(workspace: string, options: StartRunOptions): RunTracker {
  const tracker = new RunTracker(workspace, options);
  if (isFolder(workspace)) {
    try {
      tracker.claim();
    } catch {
      // A read-only or full workspace: the stage's own write reports it with the right exit code.
    }
  }
  return tracker;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** What a path in the workspace holds: `models/AAPL/rf.json` -> model of AAPL. */
function describe(rel: string): { kind: string; ticker: string | null; model: string | null } {
  const parts = rel.split("/");
  const dir = parts[0];
  if (dir === WORKSPACE_DIRS.models && parts.length === 3)
    return { kind: "model", ticker: tickerFromFileName(parts[1]), model: parts[2].replace(/\.json$/, "") };
  const file = parts[parts.length - 1];
  const summary = file.endsWith(".metrics.json");
  const name = file.replace(/\.metrics\.json$|\.[^.]*$/, "");
  const kind =
    dir === WORKSPACE_DIRS.backtests
      ? summary
        ? "backtest-summary"
        : "backtest"
      : dir === WORKSPACE_DIRS.metrics
        ? "metrics"
        : dir;
  return { kind, ticker: parts.length === 2 ? tickerFromFileName(name) : null, model: null };
}

/** A model folder the stage finished writing (its record file is there), as opposed to a file. */
function isModelFolder(path: string): boolean {
  return isFolder(path) && existsSync(join(path, FOLDER_RECORD_FILE));
}

/** Copies a folder's files (and subfolders) to `to`, cloned where the file system can. */
async function copyFolder(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const [source, target] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory()) await copyFolder(source, target);
    else if (entry.isFile()) await copyFile(source, target, constants.COPYFILE_FICLONE);
  }
}

/** The error a rename gives when a file and a folder trade places (a folder where a latest file goes). */
function kindMismatch(target: string, folder: boolean): Error {
  const code = folder ? "ENOTDIR" : "EISDIR";
  const what = folder ? "not a directory" : "illegal operation on a directory";
  return Object.assign(new Error(`${code}: ${what}, rename '${target}'`), {
    code,
    syscall: "rename",
    path: target,
  });
}

/**
 * Renames every temp onto its target, or none: each target's old file is kept (a hard link, else a copy) until
 * all renames succeeded, and put back if one fails. Readers always see a whole file, old or new. An old model
 * folder is moved aside (a folder cannot be renamed over) and put back the same way; a reader may find no
 * folder between the two renames, never a half-copied one.
 */
async function replaceAll(
  staged: readonly { temp: string; target: string; folder: boolean }[],
): Promise<void> {
  const done: { target: string; backup: string | null; folder: boolean }[] = [];
  try {
    for (const { temp, target, folder } of staged) {
      let backup: string | null = null;
      if (existsSync(target)) {
        if (statSync(target).isDirectory() !== folder) throw kindMismatch(target, folder);
        backup = tempPathFor(target);
        if (folder) await rename(target, backup);
        else await link(target, backup).catch(() => copyFile(target, backup as string));
      }
      done.push({ target, backup, folder });
      await commitTemp(temp, target);
    }
  } catch (error) {
    for (const { target, backup, folder } of done.reverse()) {
      if (backup && folder) await rm(target, { force: true, recursive: true }).catch(() => {});
      if (backup) await rename(backup, target).catch(() => {});
      else await rm(target, { force: true, recursive: true });
    }
    throw error;
  } finally {
    for (const { backup } of done) if (backup) await discardTemp(backup);
  }
}

/** The model id an evaluation JSON records (a run that tripped a gate has no results to take it from). */
function recordedModelId(path: string): string | null {
  try {
    const body = JSON.parse(readFileSync(path, "utf8")) as { modelId?: unknown };
    return typeof body.modelId === "string" ? body.modelId : null;
  } catch {
    return null;
  }
}

export class RunTracker {
  private readonly record: RunRecord;
  private claimed = false;
  /** Absolute latest path -> the run's own copy. */
  private readonly outputs = new Map<string, string>();
  private readonly random: (() => string) | undefined;
  private readonly now: () => Date;

  constructor(
    readonly workspace: string,
    options: StartRunOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.random = options.random;
    const started = this.now();
    this.record = {
      kind: "run",
      version: 1,
      id: newRunId(started, this.random),
      stage: options.stage,
      status: "running",
      startedAt: started.toISOString(),
      endedAt: null,
      tsmlVersion: tsmlVersion(),
      command: redact(options.command),
      options: redactOptions(options.options),
      seed: options.seed,
      tags: redactValue({ ...(options.tags ?? {}) }),
      results: [],
      artifacts: [],
      error: null,
    };
  }

  get id(): string {
    return this.record.id;
  }

  get folder(): string {
    return runFolder(this.workspace, this.record.id);
  }

  /** A copy of the record as it stands. */
  snapshot(): RunRecord {
    return structuredClone(this.record);
  }

  /** Creates the run's folder; an id another run already holds is replaced by a fresh one. */
  claim(): void {
    if (this.claimed) return;
    const root = runsDir(this.workspace);
    try {
      mkdirSync(root, { recursive: true });
      for (let attempt = 0; ; attempt++) {
        try {
          mkdirSync(this.folder);
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 100) throw error;
          this.record.id = newRunId(new Date(this.record.startedAt), this.random);
        }
      }
    } catch (error) {
      throw fromOsError(error, { path: root, writing: true }) ?? error;
    }
    this.claimed = true;
    this.writeRecordSync();
  }

  /**
   * Where the stage writes an artifact whose latest copy lives at `latest` (a workspace path): the same path
   * inside the run's folder. Paths outside the workspace (an explicit -o) are written as given.
   */
  output(latest: string): string {
    const rel = relative(this.workspace, resolve(latest));
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel) || rel.startsWith(`${WORKSPACE_DIRS.runs}/`))
      return latest;
    this.claim();
    const own = join(this.folder, rel);
    this.outputs.set(resolve(latest), own);
    return own;
  }

  /** The results the run reports (per ticker and model); the model ids of its artifacts come from them. */
  setResults(results: readonly RunResult[]): void {
    this.record.results = redactValue(results.map((r) => ({ ...r })));
  }

  /**
   * Copies the run's files over their latest paths (all of them, or those named in `only`, by latest path or by
   * the run's own path) and moves the latest pointers, under the workspace lock. Each copy goes to a temp file
   * first: a reader sees the old or the new file.
   */
  async commit(only?: readonly string[]): Promise<RunArtifact[]> {
    const wanted = only ? new Set(only.map((p) => resolve(p))) : null;
    const staged: { temp: string; target: string; folder: boolean; artifact: RunArtifact }[] = [];
    try {
      for (const [target, own] of this.outputs) {
        if (wanted && !wanted.has(target) && !wanted.has(resolve(own))) continue;
        const folder = isModelFolder(own);
        if (!existsSync(own) || (statSync(own).isDirectory() && !folder)) continue;
        if (this.record.artifacts.some((a) => a.promoted && resolve(this.workspace, a.current) === target))
          continue;
        const artifact = await this.describeArtifact(target, own);
        await mkdir(dirname(target), { recursive: true });
        const temp = tempPathFor(target);
        // A clone where the file system can (no extra space), else a plain copy.
        if (folder) await copyFolder(own, temp);
        else await copyFile(own, temp, constants.COPYFILE_FICLONE);
        staged.push({ temp, target, folder, artifact });
      }
      await withRunsLock(runsDir(this.workspace), async () => {
        await replaceAll(staged);
        for (const s of staged) s.artifact.promoted = true;
        const at = this.now().toISOString();
        const keys = new Map<string, { ticker: string; model: string | null; modelId: string | null }>();
        for (const { artifact } of staged) {
          if (artifact.ticker === null) continue;
          const model = modelOfId(artifact.modelId);
          keys.set(`${artifact.ticker}\u0000${model}`, {
            ticker: artifact.ticker,
            model,
            modelId: artifact.modelId,
          });
        }
        for (const key of keys.values()) {
          const pointer = readLatestPointer(this.workspace, key.ticker, key.model);
          pointer.stages[this.record.stage] = { run: this.record.id, modelId: key.modelId, at };
          await writeLatestPointer(this.workspace, pointer);
        }
      });
    } catch (error) {
      for (const s of staged) if (!s.artifact.promoted) await discardTemp(s.temp);
      throw fromOsError(error, { writing: true }) ?? error;
    }
    for (const s of staged) this.upsertArtifact(s.artifact);
    await this.writeRecord();
    return staged.map((s) => s.artifact);
  }

  /**
   * Ends the run: a finished run is promoted (commit) and recorded; a failed one is recorded with its error and
   * its files stay in its folder only. Returns the record, or null when there was no workspace to keep it in.
   */
  async finish(status: Exclude<RunStatus, "running">, error?: string): Promise<RunRecord | null> {
    if (status === "finished") await this.commit();
    for (const [target, own] of this.outputs) {
      if (!existsSync(own) || (statSync(own).isDirectory() && !isModelFolder(own))) continue;
      if (this.record.artifacts.some((a) => resolve(this.workspace, a.current) === target)) continue;
      this.upsertArtifact(await this.describeArtifact(target, own));
    }
    // A trained model's id is its file's fingerprint, known only now.
    for (const result of this.record.results) {
      if (result.modelId !== null || result.model === null) continue;
      const made = this.record.artifacts.find(
        (a) => a.kind === "model" && a.ticker === result.ticker && modelOfId(a.modelId) === result.model,
      );
      if (made) result.modelId = made.modelId;
    }
    this.record.status = status;
    this.record.endedAt = this.now().toISOString();
    this.record.error = error === undefined ? null : redact(error);
    if (!this.claimed) {
      if (!isFolder(this.workspace)) return null;
      this.claim();
    }
    await this.writeRecord();
    return this.snapshot();
  }

  private async describeArtifact(target: string, own: string): Promise<RunArtifact> {
    const current = relative(this.workspace, target);
    const { kind, ticker, model } = describe(current);
    const sha = await sha256File(isModelFolder(own) ? join(own, FOLDER_RECORD_FILE) : own);
    const modelId =
      kind === "model" && ticker !== null && model !== null
        ? `${ticker}/${model}@${sha.slice(0, 12)}`
        : (this.record.results.find((r) => r.ticker === ticker && r.modelId)?.modelId ??
          (kind === "metrics" ? recordedModelId(own) : null));
    return {
      kind,
      ticker,
      modelId,
      path: relative(this.workspace, own),
      current,
      sha256: sha,
      promoted: false,
    };
  }

  private upsertArtifact(artifact: RunArtifact): void {
    const at = this.record.artifacts.findIndex((a) => a.path === artifact.path);
    if (at >= 0) this.record.artifacts[at] = artifact;
    else this.record.artifacts.push(artifact);
  }

  private recordText(): string {
    // The whole text once more through redact: a secret quoted in an error or a param never lands on disk.
    return redact(`${JSON.stringify(this.record, null, 2)}\n`);
  }

  private writeRecordSync(): void {
    const target = join(this.folder, RUN_FILE);
    const temp = tempPathFor(target);
    writeFileSync(temp, this.recordText());
    renameSync(temp, target);
    void discardTemp(temp);
  }

  private async writeRecord(): Promise<void> {
    await writeFileAtomic(join(this.folder, RUN_FILE), this.recordText());
  }
}

// The worker's side of a batch command's ticker job: run `tsml <command> ... --ticker T` against the worker's
// workspace in one of its job runners (cli/job-runner.ts: a child process that runs job after job in-process,
// so each ticker pays for the command's work, not for starting Node and loading tsml), and turn a non-zero exit
// into the job's one failure with the command's last error line and exit code. A runner that dies mid-job
// (out of memory, a crash) fails that job alone; the next job gets a fresh runner.

import { type ChildProcess, fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DataError, ExitCode, type ExitCodeValue, TsmlError } from "../core/errors.js";
import { QUEUED_BATCH_INPUTS } from "./queue-batch-commands.js";

const JOB_RUNNER = join(dirname(fileURLToPath(import.meta.url)), "..", "cli", "job-runner.js");
/** A runner is replaced after this many jobs, so whatever one job left behind in memory never piles up. */
const JOBS_PER_RUNNER = 200;

/** Checks the payload names a queued batch command (nothing else runs from the queue) and returns its argv. */
function jobArgv(data: Record<string, unknown>): string[] {
  const { command, argv } = data;
  if (
    typeof command !== "string" ||
    !(command in QUEUED_BATCH_INPUTS) ||
    !Array.isArray(argv) ||
    !argv.every((a) => typeof a === "string") ||
    !command.split(" ").every((word) => argv.includes(word)) ||
    argv.some((a) => a === "--workspace" || a.startsWith("--workspace="))
  )
    throw new DataError(`queue job: not a tsml batch command (${JSON.stringify(command)})`);
  return argv as string[];
}

interface JobReply {
  id: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** One forked job runner: one job at a time. */
class JobRunner {
  private readonly child: ChildProcess;
  private pending: { id: number; resolve: (r: JobReply) => void; reject: (e: Error) => void } | null = null;
  private rawStderr = "";
  private nextId = 0;
  jobs = 0;
  alive = true;

  constructor() {
    this.child = fork(JOB_RUNNER, [], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    // What reaches the descriptor itself (not the job's captured writes): a crash's own report.
    this.child.stderr?.on("data", (d) => {
      this.rawStderr = (this.rawStderr + d).slice(-4_000);
    });
    this.child.on("message", (reply: JobReply) => {
      if (this.pending?.id !== reply.id) return;
      const { resolve } = this.pending;
      this.pending = null;
      resolve(reply);
    });
    this.child.on("exit", (code, signal) => {
      this.alive = false;
      const last = this.rawStderr.trim().split("\n").filter(Boolean).at(-1);
      this.pending?.reject(
        new TsmlError(
          `the job's runner process ended mid-job (${signal ?? `exit code ${code}`})${last ? `: ${last}` : ""}`,
          ExitCode.internal,
        ),
      );
      this.pending = null;
    });
    this.child.on("error", (error) => {
      this.alive = false;
      this.pending?.reject(error);
      this.pending = null;
    });
  }

  run(argv: string[]): Promise<JobReply> {
    this.jobs++;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject };
      this.child.send({ id, argv });
    });
  }

  close(): void {
    this.alive = false;
    if (this.child.connected) this.child.disconnect();
  }
}

const idle: JobRunner[] = [];

/** Ends every idle runner (the worker is stopping; runners with a job in hand end when it is done). */
export function closeJobRunners(): void {
  for (const runner of idle.splice(0)) runner.close();
}

/**
 * @example await runTickerJob("/shared/ws", { command: "features", argv: ["features", "--ticker", "SPX"] })
 */
export async function runTickerJob(
  workspace: string,
  data: Record<string, unknown>,
): Promise<{ stdout: string }> {
  const argv = jobArgv(data);
  const runner = idle.pop() ?? new JobRunner();
  let reply: JobReply;
  try {
    reply = await runner.run(["--workspace", workspace, ...argv]);
  } finally {
    if (runner.alive && runner.jobs < JOBS_PER_RUNNER) idle.push(runner);
    else runner.close();
  }
  if (reply.code === 0) return { stdout: reply.stdout.slice(-1_000) };
  // The command's error is its last `tsml: ` line, with the `hint: ` line after it (cli/main.ts prints both).
  const lines = reply.stderr.trim().split("\n");
  const error = lines
    .filter((l) => l.startsWith("tsml: "))
    .at(-1)
    ?.slice(6);
  const hint = lines
    .filter((l) => l.startsWith("hint: "))
    .at(-1)
    ?.slice(6);
  const message = error ?? lines.filter(Boolean).at(-1) ?? `exited with ${reply.code}`;
  throw new TsmlError(message, reply.code as ExitCodeValue, hint);
}

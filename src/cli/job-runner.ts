// A worker's ticker-job runner: a long-lived child process, forked by commands/queue-ticker-job.ts, that runs
// the tsml commands of ticker jobs one after another in-process (main(), exactly as bin/tsml.js runs one), so
// a job pays for Node's start and tsml's imports once per runner instead of once per ticker. Each job's output
// is captured and sent back to the worker with its exit code.

import { main } from "./main.js";

/** What the worker sends: one command line (global flags, command, flags), without `tsml`. */
interface JobRequest {
  id: number;
  argv: string[];
}

/** What is kept of a job's output: its last lines hold the error and hint the worker reports. */
const TAIL = 4_000;

type Write = typeof process.stdout.write;

/** Sends the stream's writes to `keep` instead of the file descriptor until the returned function restores it. */
function capture(stream: NodeJS.WriteStream, keep: (text: string) => void): () => void {
  const write = stream.write;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
    const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    done?.();
    return true;
  }) as Write;
  return () => {
    stream.write = write;
  };
}

// Ctrl-C in the worker's terminal reaches the whole process group: the worker decides what happens to the job in
// hand (it finishes, then disconnects), not the runner.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => {});
// The worker is gone (stopped, or killed with -9): there is nobody left to report to.
process.on("disconnect", () => process.exit(0));

let queue: Promise<void> = Promise.resolve();
process.on("message", (request: JobRequest) => {
  // One job at a time per runner (the worker never sends a second before the first's reply; this keeps it so).
  queue = queue.then(async () => {
    let stdout = "";
    let stderr = "";
    const restoreOut = capture(process.stdout, (t) => {
      stdout = (stdout + t).slice(-TAIL);
    });
    const restoreErr = capture(process.stderr, (t) => {
      stderr = (stderr + t).slice(-TAIL);
    });
    let code: number;
    try {
      code = await main([process.execPath, "tsml", ...request.argv]);
    } finally {
      restoreOut();
      restoreErr();
    }
    process.send?.({ id: request.id, code, stdout, stderr });
  });
});

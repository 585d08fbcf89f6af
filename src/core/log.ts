// Logging to stderr, shaped by --quiet / --verbose; stdout stays free for data and --json. Every line is
// redacted: a message that quotes a URL or a driver error never shows a key or a password.

import { redact } from "./redact.js";

export type LogLevel = "quiet" | "normal" | "verbose";

export interface Logger {
  readonly level: LogLevel;
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** A logger that writes lines to the given stream (stderr by default). */
export function createLogger(level: LogLevel, stream: NodeJS.WritableStream = process.stderr): Logger {
  return {
    level,
    info(message) {
      if (level !== "quiet") stream.write(`${redact(message)}\n`);
    },
    warn(message) {
      stream.write(`warning: ${redact(message)}\n`);
    },
    debug(message) {
      if (level === "verbose") stream.write(`debug: ${redact(message)}\n`);
    },
  };
}

/** A logger that records lines, for tests and for library use. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    level: "verbose",
    lines,
    info: (m) => lines.push(redact(m)),
    warn: (m) => lines.push(`warning: ${redact(m)}`),
    debug: (m) => lines.push(`debug: ${redact(m)}`),
  };
}

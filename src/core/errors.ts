// Typed errors with exit codes: only cli/ catches them and turns them into one line and an exit status.

/** Documented process exit codes (README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  data: 3,
  source: 4,
  gate: 5,
  environment: 6,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class: `message` says what and where; `hint` says how to fix it. */
export class TsmlError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Wrong flags, unknown names, hostile identifiers: exit 2. */
export class UsageError extends TsmlError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}

/** Bad input data (file, row, column, field named in the message): exit 3. */
export class DataError extends TsmlError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.data, hint);
  }
}

/** A source failed: network, HTTP, API error bodies, database connections: exit 4. */
export class SourceError extends TsmlError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.source, hint);
  }
}

/** A monitoring gate or registry condition was true/false as configured: exit 5. */
export class GateError extends TsmlError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.gate, hint);
  }
}

/**
 * The machine refused, not the data: disk full, read-only or forbidden folder, a file where a folder must be
 * (or the reverse), too many open files: exit 6. The message names the path; the hint says where to write.
 */
export class EnvironmentError extends TsmlError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.environment, hint);
  }
}

/** A bug in tsml: exit 1. */
export class InternalError extends TsmlError {
  constructor(message: string) {
    super(message, ExitCode.internal);
  }
}

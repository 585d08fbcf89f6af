// System errors (ENOSPC, EROFS, EACCES, ENOTDIR, EISDIR, ENOTFOUND...) as one documented line and exit code:
// the machine refused, so they are not tsml bugs (exit 1) but environment (6) or network (4) errors.

import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { EnvironmentError, SourceError, type TsmlError } from "./errors.js";

interface Refusal {
  /** What the system said, in words. */
  what: string;
  hint: string;
}

const WRITE_ELSEWHERE = "write somewhere else: -o FILE, or --workspace DIR on another disk";

/** File-system refusals: exit 6. */
const FILE_SYSTEM: Record<string, Refusal> = {
  ENOSPC: { what: "no space left on device", hint: `free space on that disk, or ${WRITE_ELSEWHERE}` },
  EDQUOT: { what: "disk quota exceeded", hint: `free space within your quota, or ${WRITE_ELSEWHERE}` },
  EROFS: { what: "read-only file system", hint: WRITE_ELSEWHERE },
  EACCES: { what: "permission denied", hint: `allow writing there (chmod/chown), or ${WRITE_ELSEWHERE}` },
  EPERM: {
    what: "operation not permitted",
    hint: `allow writing there (chmod/chown), or ${WRITE_ELSEWHERE}`,
  },
  ENOTDIR: { what: "a path component is a file, not a folder", hint: "name a folder path there" },
  EISDIR: {
    what: "it is a folder, not a file",
    hint: "name a file: an input file with -i, an output file with -o (e.g. -o DIR/out.csv)",
  },
  ENOENT: { what: "no such file or folder", hint: "check the path" },
  EMFILE: { what: "too many open files", hint: "raise the limit (ulimit -n) or run fewer tickers at once" },
  ENFILE: { what: "too many open files in the system", hint: "close other programs or raise the limit" },
  EIO: { what: "input/output error", hint: "the device failed: check the disk and retry" },
  ENAMETOOLONG: { what: "file name too long", hint: "use a shorter folder or ticker name" },
  ELOOP: { what: "too many levels of symbolic links", hint: "fix the symbolic link loop in that path" },
  EBUSY: { what: "resource busy or locked", hint: "close the program holding it and retry" },
};

/** Name lookups and connections: exit 4 (network), as for any source. */
const NETWORK: Record<string, Refusal> = {
  ENOTFOUND: {
    what: "host name not found",
    hint: "check the host name (--host, or the host in the URL); 127.0.0.1 is this machine",
  },
  EAI_AGAIN: {
    what: "host name lookup failed (DNS unavailable)",
    hint: "check the network and DNS, or give an IP address",
  },
  EADDRNOTAVAIL: {
    what: "address not available on this machine",
    hint: "use a local address, e.g. 127.0.0.1",
  },
  EADDRINUSE: { what: "address already in use", hint: "choose another --port, or stop the other server" },
};

/** DuckDB and other libraries report system errors in their message only (no `code`). */
const MESSAGE_CODES: [RegExp, string][] = [
  [/No space left on device/i, "ENOSPC"],
  [/Disk quota exceeded/i, "EDQUOT"],
  [/Read-only file system/i, "EROFS"],
  [/Permission denied/i, "EACCES"],
  [/Not a directory/i, "ENOTDIR"],
  [/Is a directory/i, "EISDIR"],
];

const VERBS: Record<string, string> = {
  open: "cannot open",
  write: "cannot write",
  read: "cannot read",
  mkdir: "cannot create folder",
  rename: "cannot write",
  copyfile: "cannot write",
  unlink: "cannot remove",
  rmdir: "cannot remove",
  rm: "cannot remove",
  scandir: "cannot list",
  opendir: "cannot list",
  stat: "cannot access",
  lstat: "cannot access",
  access: "cannot access",
  getaddrinfo: "cannot resolve",
  listen: "cannot listen on",
  bind: "cannot listen on",
  connect: "cannot connect to",
};

function errnoCode(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === "string" && (code in FILE_SYSTEM || code in NETWORK)) return code;
  if (code !== undefined) return null;
  for (const [pattern, mapped] of MESSAGE_CODES) if (pattern.test(error.message)) return mapped;
  return null;
}

/** The first existing component of `path` that is not a folder (what ENOTDIR is about). */
function fileInTheWay(path: string): string | null {
  let current = resolve(path);
  const chain: string[] = [];
  while (dirname(current) !== current) {
    chain.unshift(current);
    current = dirname(current);
  }
  for (const p of chain) {
    if (!existsSync(p)) return null;
    if (!statSync(p).isDirectory()) return p;
  }
  return null;
}

/**
 * Node reports a recursive mkdir on a read-only or forbidden disk as ENOENT: the nearest existing folder
 * says what really happened (EROFS, EACCES), or null when the path is simply missing.
 */
function refusalAbove(path: string): string | null {
  let current = dirname(resolve(path));
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  try {
    accessSync(current, constants.W_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return typeof code === "string" && code in FILE_SYSTEM ? code : null;
  }
}

/** Keeps the system error (and its stack, shown with --verbose) behind the documented one. */
function withCause(mapped: TsmlError, cause: unknown): TsmlError {
  mapped.cause = cause;
  return mapped;
}

/** What the caller knows that the error may not say. */
export interface OsErrorContext {
  /** The path being read or written (wins over the error's own, e.g. a target over its temp file). */
  path?: string;
  /** True when the operation was a write: "cannot write PATH" rather than "cannot open PATH". */
  writing?: boolean;
}

const WRITE_SYSCALLS = new Set(["open", "write", "rename", "copyfile", "close", "fsync", ""]);

/**
 * The documented error a system error stands for, or null when it is none (then it is a bug: exit 1).
 * @example
 * fromOsError(enospc, { path: "out.csv", writing: true })?.message
 * // "cannot write out.csv: no space left on device (ENOSPC)"
 */
export function fromOsError(error: unknown, context: OsErrorContext = {}): TsmlError | null {
  let code = errnoCode(error);
  if (code === null) return null;
  const e = error as NodeJS.ErrnoException & { hostname?: string; address?: string };
  const path = context.path;
  const where = path ?? e.path ?? e.hostname ?? e.address ?? "";
  if (code in NETWORK) {
    const refusal = NETWORK[code];
    const verb = VERBS[e.syscall ?? ""] ?? "cannot reach";
    return withCause(
      new SourceError(`${verb} ${where || "host"}: ${refusal.what} (${code})`, refusal.hint),
      error,
    );
  }
  if (code === "ENOENT" && e.syscall === "mkdir" && where) code = refusalAbove(where) ?? code;
  const refusal = FILE_SYSTEM[code];
  let what = refusal.what;
  let hint = refusal.hint;
  if (code === "ENOTDIR" && where) {
    const file = fileInTheWay(where);
    if (file) {
      what = `${file} is a file, not a folder`;
      hint = "point --workspace or -o at a folder, or move that file away";
    }
  }
  const verb =
    context.writing && WRITE_SYSCALLS.has(e.syscall ?? "")
      ? "cannot write"
      : (VERBS[e.syscall ?? ""] ?? "cannot access");
  return withCause(new EnvironmentError(`${verb} ${where || "a file"}: ${what} (${code})`, hint), error);
}

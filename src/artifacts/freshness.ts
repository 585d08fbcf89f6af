// Whether an artifact still matches what it was built from: each input fingerprint its provenance recorded,
// hashed again now. An input that changed makes the artifact stale; one that is gone cannot be compared.

import { existsSync, statSync } from "node:fs";
import { sha256File } from "../core/fingerprint.js";
import type { InputFingerprint, Provenance } from "./provenance.js";

export type InputState = "same" | "changed" | "missing" | "not a file";

export interface CheckedInput {
  path: string;
  state: InputState;
}

/** Hashes a file (the SHA-256 hex digest); `checkInputs` takes one so a caller can share hashes between calls. */
export type FileHasher = (path: string, stat: { size: number; mtimeMs: number }) => Promise<string>;

const hashEveryTime: FileHasher = (path) => sha256File(path);

/**
 * A hasher that hashes each distinct file once: keyed by path, size and modification time, so a file rewritten
 * in between is hashed again. For one invocation over many artifacts (`tsml status`: 200 bars artifacts ingested
 * from one CSV record that CSV 200 times).
 * @example const hash = memoHasher(); for (const p of provenances) await checkInputs(p, hash);
 */
export function memoHasher(inner: FileHasher = hashEveryTime): FileHasher {
  const seen = new Map<string, Promise<string>>();
  return (path, stat) => {
    const key = `${path}\u0000${stat.size}\u0000${stat.mtimeMs}`;
    let hash = seen.get(key);
    if (hash === undefined) {
      hash = inner(path, stat);
      seen.set(key, hash);
    }
    return hash;
  };
}

/** Each recorded input with its state now (stdin, URLs and inputs recorded without a hash are "not a file"). */
export async function checkInputs(
  provenance: Pick<Provenance, "inputs">,
  hash: FileHasher = hashEveryTime,
): Promise<CheckedInput[]> {
  const out: CheckedInput[] = [];
  for (const input of provenance.inputs ?? [])
    out.push({ path: input.path, state: await stateOf(input, hash) });
  return out;
}

async function stateOf(input: InputFingerprint, hash: FileHasher): Promise<InputState> {
  if (!input.sha256 || input.path === "-" || /^[a-z][a-z0-9+.-]*:\/\//i.test(input.path)) return "not a file";
  if (!existsSync(input.path)) return "missing";
  const stat = statSync(input.path);
  if (!stat.isFile()) return "not a file";
  return (await hash(input.path, stat)) === input.sha256 ? "same" : "changed";
}

/** The recorded inputs whose content changed since the artifact was built (empty: fresh). */
export async function changedInputs(provenance: Pick<Provenance, "inputs">): Promise<string[]> {
  return (await checkInputs(provenance)).filter((i) => i.state === "changed").map((i) => i.path);
}

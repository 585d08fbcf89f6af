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

/** Each recorded input with its state now (stdin, URLs and inputs recorded without a hash are "not a file"). */
export async function checkInputs(provenance: Pick<Provenance, "inputs">): Promise<CheckedInput[]> {
  const out: CheckedInput[] = [];
  for (const input of provenance.inputs ?? []) out.push({ path: input.path, state: await stateOf(input) });
  return out;
}

async function stateOf(input: InputFingerprint): Promise<InputState> {
  if (!input.sha256 || input.path === "-" || /^[a-z][a-z0-9+.-]*:\/\//i.test(input.path)) return "not a file";
  if (!existsSync(input.path)) return "missing";
  if (!statSync(input.path).isFile()) return "not a file";
  return (await sha256File(input.path)) === input.sha256 ? "same" : "changed";
}

/** The recorded inputs whose content changed since the artifact was built (empty: fresh). */
export async function changedInputs(provenance: Pick<Provenance, "inputs">): Promise<string[]> {
  return (await checkInputs(provenance)).filter((i) => i.state === "changed").map((i) => i.path);
}

// Provenance: what made an artifact (tsml version, command, options, seed, input fingerprints, time), with
// every secret in the command line, options and input URLs redacted.

import { readFileSync } from "node:fs";
import { sha256File } from "../core/fingerprint.js";
import { isSecretName, REDACTED, redact, redactValue } from "../core/redact.js";

export interface InputFingerprint {
  path: string;
  sha256: string;
}

export interface Provenance {
  tsmlVersion: string;
  command: string;
  options: Record<string, unknown>;
  seed: number | null;
  inputs: InputFingerprint[];
  createdAt: string;
}

let cachedVersion: string | null = null;

/** The version in package.json. */
export function tsmlVersion(): string {
  if (cachedVersion === null) {
    const url = new URL("../../package.json", import.meta.url);
    cachedVersion = (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
  }
  return cachedVersion;
}

/**
 * Options with secrets redacted: secret-named values (apiKey, token, password) become "[redacted]", and every
 * string is passed through `redact` (URL passwords, secret query parameters, registered secret values).
 * @example
 * redactOptions({ apiKey: "K", url: "postgres://u:pw@h/db" }) // { apiKey: "[redacted]", url: "postgres://u:***@h/db" }
 */
export function redactOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined || typeof v === "function") continue;
    out[k] = isSecretName(k) && v !== null && v !== false ? REDACTED : redactValue(v);
  }
  return out;
}

/** Builds provenance, hashing every input file (paths that are not files, such as URLs, are kept unhashed). */
export async function makeProvenance(args: {
  command: string;
  options: Record<string, unknown>;
  seed?: number | null;
  inputs?: readonly (string | InputFingerprint)[];
}): Promise<Provenance> {
  const inputs: InputFingerprint[] = [];
  for (const input of args.inputs ?? []) {
    if (typeof input !== "string") inputs.push({ ...input, path: redact(input.path) });
    else inputs.push({ path: redact(input), sha256: await sha256File(input).catch(() => "") });
  }
  return {
    tsmlVersion: tsmlVersion(),
    command: redact(args.command),
    options: redactOptions(args.options),
    seed: args.seed ?? null,
    inputs,
    createdAt: new Date().toISOString(),
  };
}

// Provenance: what made an artifact (tsml version, command, options, seed, input fingerprints, time).

import { readFileSync } from "node:fs";
import { sha256File } from "../core/fingerprint.js";

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

const SECRET_KEY = /(key|token|password|secret|apikey)/i;

/** Options with secrets redacted (API keys and passwords never reach an artifact). */
export function redactOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined || typeof v === "function") continue;
    if (SECRET_KEY.test(k) && v !== null && v !== false) out[k] = "[redacted]";
    else if (typeof v === "string" && /:\/\/[^/@\s]*:[^/@\s]*@/.test(v))
      out[k] = v.replace(/\/\/([^/@:\s]*):[^/@\s]*@/, "//$1:[redacted]@");
    else out[k] = v;
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
    if (typeof input !== "string") inputs.push(input);
    else inputs.push({ path: input, sha256: await sha256File(input).catch(() => "") });
  }
  return {
    tsmlVersion: tsmlVersion(),
    command: args.command,
    options: redactOptions(args.options),
    seed: args.seed ?? null,
    inputs,
    createdAt: new Date().toISOString(),
  };
}

// TensorFlow.js backend selection: tfjs-node when it resolves at run time, else wasm (bundled binary), or cpu.

import { UsageError } from "../../core/errors.js";

export type BackendName = "wasm" | "cpu" | "node";
export type Tf = typeof import("@tensorflow/tfjs");

export interface LoadedBackend {
  tf: Tf;
  /** The backend actually in use (recorded in the model artifact). */
  name: BackendName;
}

const BACKENDS: readonly BackendName[] = ["wasm", "cpu", "node"];
let loaded: LoadedBackend | null = null;

/** Checks a `--backend` value. */
export function parseBackend(value: string | undefined): BackendName | undefined {
  if (value === undefined) return undefined;
  if (!(BACKENDS as readonly string[]).includes(value))
    throw new UsageError(`--backend ${value}: unknown backend`, `use one of ${BACKENDS.join(", ")}`);
  return value as BackendName;
}

// The package names live in variables so bundlers and tsc do not try to resolve an optional dependency.
async function importOptional(name: string): Promise<unknown | null> {
  try {
    return await import(name);
  } catch {
    return null;
  }
}

/**
 * Loads tfjs and activates a backend: the requested one, or tfjs-node (found at run time) then wasm.
 * @example
 * const { tf, name } = await loadBackend("wasm");
 */
export async function loadBackend(requested?: BackendName): Promise<LoadedBackend> {
  if (loaded && (requested === undefined || loaded.name === requested)) return loaded;
  if (requested === undefined || requested === "node") {
    // tfjs-node re-exports the whole tfjs API with its native backend registered as "tensorflow".
    const nodeName = "@tensorflow/tfjs-node";
    const tfNode = (await importOptional(nodeName)) as Tf | null;
    if (tfNode) {
      await tfNode.setBackend("tensorflow");
      await tfNode.ready();
      loaded = { tf: tfNode, name: "node" };
      return loaded;
    }
    if (requested === "node")
      throw new UsageError(
        "--backend node: @tensorflow/tfjs-node is not installed",
        "run `npm install @tensorflow/tfjs-node`, or use --backend wasm",
      );
  }
  const tf = (await import("@tensorflow/tfjs")) as Tf;
  const name: BackendName = requested ?? "wasm";
  if (name === "wasm") await import("@tensorflow/tfjs-backend-wasm");
  // The cpu backend greets its first tensor with a "install tfjs-node" banner on stderr, which --quiet must not
  // show; PROD only silences tfjs's own log/warn calls.
  if (name === "cpu") tf.env().set("PROD", true);
  const ok = await tf.setBackend(name);
  if (!ok) throw new UsageError(`--backend ${name}: the backend failed to start`, "try --backend cpu");
  await tf.ready();
  loaded = { tf, name };
  return loaded;
}

// The on-disk sequence model: a folder `models/<T>/<model>/` with tsml.json (kind "model", provenance, backend,
// scaling, metrics) and the weights: weights.bin for the fused LSTM, tfjs model.json + weights.bin for dense-window.

import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  type JsonArtifact,
  jsonArtifact,
  readJsonArtifact,
  writeJsonArtifact,
} from "../../artifacts/json-artifact.js";
import type { Provenance } from "../../artifacts/provenance.js";
import { writeFileAtomic } from "../../core/atomic-file.js";
import { DataError } from "../../core/errors.js";
import type { BackendName, Tf } from "./backend.js";
import type { LayersModel } from "./dense-window.js";
import { FusedLstm, type LstmShape } from "./fused-lstm.js";
import { checkFiniteWeights, checkSequenceMeta } from "./sequence-checks.js";
import { isSequenceModel, SEQUENCE_MODELS, type SequenceModelName } from "./sequence-names.js";
import type { SeriesTransformState } from "./series-transform.js";

export { isSequenceModel, SEQUENCE_MODELS, type SequenceModelName };
export const META_FILE = "tsml.json";
const WEIGHTS_FILE = "weights.bin";
const TFJS_FILE = "model.json";

/** Everything but the weights; stored in tsml.json. */
export interface SequenceModelMeta {
  model: SequenceModelName;
  format: "tsml-fused-lstm" | "tfjs-layers";
  backend: BackendName;
  ticker: string;
  target: string;
  /** Label column (classifiers), or null for derived up/down labels. */
  label: string | null;
  params: Record<string, unknown>;
  steps: number;
  horizon: number;
  transform: SeriesTransformState | null;
  shape: LstmShape | null;
  /** Class values in output order (classifiers). */
  classes: number[];
  /** Last training-input timestamp and the series' step, for dating streamed and recursive forecasts. */
  lastTime: number;
  stepMs: number;
  /** The train/test boundary as an ISO date, as tabular model files spell it; null when none was given. */
  splitDate: string | null;
  split: { trainRows: number; testRows: number };
  /** Measured on the test windows, under `test` as in tabular model files (sequence models have no train metrics). */
  metrics: { test: Record<string, unknown> };
  training: Record<string, unknown>;
  weights?: { file: string; tensors: { index: number; length: number }[] };
}

export type SequenceArtifact = JsonArtifact & SequenceModelMeta;

export interface LoadedSequenceModel {
  meta: SequenceArtifact;
  folder: string;
  lstm: FusedLstm | null;
  layers: LayersModel | null;
}

/** The model folder for a path given as a folder or as its tsml.json. */
export function sequenceFolder(path: string): string | null {
  if (existsSync(path) && statSync(path).isDirectory())
    return existsSync(join(path, META_FILE)) ? path : null;
  if (path.endsWith(`/${META_FILE}`) || path === META_FILE) return path.slice(0, -META_FILE.length) || ".";
  return null;
}

/** Writes the weights first and tsml.json last, so a folder with tsml.json is always complete. */
export async function saveSequenceModel(
  folder: string,
  provenance: Provenance,
  meta: SequenceModelMeta,
  model: { lstm?: FusedLstm; layers?: LayersModel; tf?: Tf },
): Promise<string> {
  let body: SequenceModelMeta = meta;
  // A diverged fit is refused before anything is written (it would predict NaN for every row).
  if (model.lstm) checkFiniteWeights(meta.model, model.lstm.params, "training");
  if (model.layers)
    checkFiniteWeights(
      meta.model,
      model.layers.getWeights().map((w) => w.dataSync() as Float32Array),
      "training",
    );
  if (model.lstm) {
    const total = model.lstm.parameterCount();
    const all = new Float32Array(total);
    let offset = 0;
    const tensors = model.lstm.params.map((p, index) => {
      all.set(p, offset);
      offset += p.length;
      return { index, length: p.length };
    });
    await writeFileAtomic(join(folder, WEIGHTS_FILE), new Uint8Array(all.buffer));
    body = { ...meta, weights: { file: WEIGHTS_FILE, tensors } };
  } else if (model.layers && model.tf) {
    const tf = model.tf;
    await model.layers.save(
      tf.io.withSaveHandler(async (artifacts) => {
        // tfjs 4 may hand the weights over as one buffer or as a list of shards.
        const data = artifacts.weightData;
        const shards = data === undefined ? [] : Array.isArray(data) ? data : [data];
        const bytes = new Uint8Array(shards.reduce((n, b) => n + b.byteLength, 0));
        let at = 0;
        for (const shard of shards) {
          bytes.set(new Uint8Array(shard), at);
          at += shard.byteLength;
        }
        await writeFileAtomic(join(folder, WEIGHTS_FILE), bytes);
        const manifest = {
          format: artifacts.format,
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs }],
        };
        await writeFileAtomic(join(folder, TFJS_FILE), `${JSON.stringify(manifest)}\n`);
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
      }),
    );
  }
  const path = join(folder, META_FILE);
  await writeJsonArtifact(
    path,
    jsonArtifact("model", provenance, body as unknown as Record<string, unknown>),
  );
  return path;
}

/** A tfjs Layers manifest (model.json) as dense-window writes it. */
export interface TfjsManifest {
  modelTopology: object;
  weightsManifest: { weights: import("@tensorflow/tfjs").io.WeightsManifestEntry[] }[];
}

/** A sequence model's stored parts: tsml.json, weights.bin's bytes and (dense-window) model.json. */
export interface SequenceModelFiles {
  meta: SequenceArtifact;
  weights: Uint8Array;
  tfjs: TfjsManifest | null;
  /** What errors name: the folder and its files, or a registry entry. */
  where: { folder: string; meta: string; weights: string; tfjs: string };
}

/** Reads a sequence model folder's files (tsml.json checked; the weights are checked by openSequenceModel). */
export function readSequenceModelFiles(path: string): SequenceModelFiles {
  const folder = sequenceFolder(path);
  if (!folder)
    throw new DataError(
      `${path}: not a sequence model folder (no ${META_FILE})`,
      "run tsml train --model lstm first",
    );
  const metaPath = join(folder, META_FILE);
  const meta = readJsonArtifact<SequenceArtifact>(metaPath, ["model"]);
  if (!isSequenceModel(meta.model))
    throw new DataError(`${folder}/${META_FILE}: model "${meta.model}" is not a sequence model`);
  const weightsPath = join(folder, WEIGHTS_FILE);
  if (!existsSync(weightsPath)) throw new DataError(`${weightsPath}: file not found`, "retrain the model");
  const tfjsPath = join(folder, TFJS_FILE);
  if (meta.format === "tfjs-layers" && !existsSync(tfjsPath))
    throw new DataError(`${tfjsPath}: file not found`, "retrain the model");
  const tfjs =
    meta.format === "tfjs-layers" ? (JSON.parse(readFileSync(tfjsPath, "utf8")) as TfjsManifest) : null;
  return {
    meta,
    weights: readFileSync(weightsPath),
    tfjs,
    where: { folder, meta: metaPath, weights: weightsPath, tfjs: tfjsPath },
  };
}

/**
 * The registry's copy of a sequence model: tsml.json with the weights (base64) and the tfjs manifest embedded,
 * so a registered version cannot change when the folder is retrained.
 */
export function embedSequenceModel(files: SequenceModelFiles): Record<string, unknown> {
  return {
    ...files.meta,
    embedded: { weights: Buffer.from(files.weights).toString("base64"), tfjs: files.tfjs },
  };
}

/** The stored parts of a registry copy written by embedSequenceModel; `source` names the entry in errors. */
export function embeddedSequenceFiles(artifact: Record<string, unknown>, source: string): SequenceModelFiles {
  const embedded = artifact.embedded as { weights?: unknown; tfjs?: unknown } | undefined;
  if (typeof embedded !== "object" || embedded === null || typeof embedded.weights !== "string")
    throw new DataError(
      `${source}: the sequence model has no embedded weights`,
      "register the model folder again: tsml registry register -m models/<T>/<model>",
    );
  const { embedded: _embedded, ...meta } = artifact;
  return {
    meta: meta as unknown as SequenceArtifact,
    weights: Buffer.from(embedded.weights, "base64"),
    tfjs: (embedded.tfjs ?? null) as TfjsManifest | null,
    where: { folder: source, meta: source, weights: `${source} weights`, tfjs: `${source} tfjs model` },
  };
}

/** Loads a sequence model folder (tf is needed only for dense-window). */
export async function loadSequenceModel(path: string, tf: Tf | null): Promise<LoadedSequenceModel> {
  return openSequenceModel(readSequenceModelFiles(path), tf);
}

/** A checked, ready model from its stored parts (tf is needed only for dense-window). */
export async function openSequenceModel(
  files: SequenceModelFiles,
  tf: Tf | null,
): Promise<LoadedSequenceModel> {
  const { meta, weights: bytes, where } = files;
  const { folder } = where;
  if (!isSequenceModel(meta.model))
    throw new DataError(`${where.meta}: model ${JSON.stringify(meta.model)} is not a sequence model`);
  inFile(where.meta, () => checkSequenceMeta(meta));
  if (meta.format === "tsml-fused-lstm") {
    if (!meta.shape || !meta.weights) throw new DataError(`${where.meta}: missing shape or weights manifest`);
    if (bytes.byteLength % 4 !== 0)
      throw new DataError(
        `${where.weights}: ${bytes.byteLength} bytes is not a whole number of float32 weights`,
      );
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    let offset = 0;
    const params = meta.weights.tensors.map((t) => {
      const p = all.slice(offset, offset + t.length);
      offset += t.length;
      return p;
    });
    if (offset !== all.length)
      throw new DataError(`${where.weights}: ${all.length} weights, manifest says ${offset}`);
    inFile(where.weights, () => checkFiniteWeights(meta.model, params, "saved"));
    return { meta, folder, lstm: new FusedLstm(meta.shape, params), layers: null };
  }
  if (!tf) throw new DataError(`${folder}: dense-window models need TensorFlow.js`);
  const manifest = files.tfjs;
  if (!manifest?.weightsManifest?.[0]) throw new DataError(`${where.tfjs}: no tfjs weights manifest`);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  let layers: LayersModel;
  try {
    layers = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: manifest.modelTopology,
        weightSpecs: manifest.weightsManifest[0].weights,
        weightData,
      }),
    );
  } catch (error) {
    // A truncated weights.bin or a manifest that does not match it: tfjs throws a RangeError or its own Error.
    throw new DataError(
      `${where.weights}: the weights do not fit the network in ${TFJS_FILE} (${(error as Error)?.message ?? String(error)})`,
      "the model folder is damaged; train it again (tsml train)",
    );
  }
  const input = layers.inputs[0]?.shape[1];
  const output = layers.outputs[0]?.shape[1];
  if (input !== meta.steps || output !== meta.classes.length)
    throw new DataError(
      `${where.tfjs}: the network maps ${input} inputs to ${output} classes, but ${META_FILE} says ` +
        `${meta.steps} steps and ${meta.classes.length} classes`,
      "the model folder is damaged; train it again (tsml train)",
    );
  inFile(where.weights, () =>
    checkFiniteWeights(
      meta.model,
      layers.getWeights().map((w) => w.dataSync() as Float32Array),
      "saved",
    ),
  );
  return { meta, folder, lstm: null, layers };
}

/** Runs a check, prefixing its DataError with the file it is about. */
function inFile<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof DataError) throw new DataError(`${path}: ${error.message}`, error.hint);
    throw error;
  }
}

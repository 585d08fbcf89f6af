// The one model loader: a model file or folder, or the copy a registry entry holds, of any family (tabular or
// sequence), checked and ready to score. Every command that scores a trained model loads it here.

import "../all-models.js";
import { readJsonArtifact } from "../../artifacts/json-artifact.js";
import { DataError } from "../../core/errors.js";
import { type BackendName, loadBackend, type Tf } from "../sequence/backend.js";
import { lstmEngine, type MatMulEngine } from "../sequence/matmul-engine.js";
import {
  embeddedSequenceFiles,
  type LoadedSequenceModel,
  openSequenceModel,
  readSequenceModelFiles,
  type SequenceModelFiles,
  sequenceFolder,
} from "../sequence/sequence-artifact.js";
import { sequenceFamily } from "../sequence/sequence-family.js";
import type { ModelScorer } from "./model-scorer.js";
import { sequenceScorer } from "./sequence-scorer.js";
import { tabularScorer } from "./tabular-scorer.js";

export interface LoadModelOptions {
  /** TensorFlow.js backend for models that need it (dense-window); default: the best available. */
  backend?: BackendName;
  /** Matrix engine for the fused LSTM (default: tsml's SIMD kernels). */
  engine?: MatMulEngine;
}

/** A loaded model with what was read to load it (the artifact body; a sequence model's stored parts). */
export interface LoadedModelFile {
  scorer: ModelScorer;
  artifact: Record<string, unknown>;
  /** The path of the artifact that was read (a sequence model's tsml.json). */
  path: string;
  /** A sequence model's stored parts, network and TensorFlow.js (dense-window) for what the scorer leaves out. */
  sequence: {
    files: SequenceModelFiles;
    loaded: LoadedSequenceModel;
    tf: Tf | null;
    engine: MatMulEngine;
  } | null;
}

async function openSequence(files: SequenceModelFiles, options: LoadModelOptions) {
  const family = sequenceFamily(String(files.meta.model));
  let tf: Tf | null = null;
  if (family?.format === "tfjs-layers") tf = (await loadBackend(options.backend)).tf;
  const loaded = await openSequenceModel(files, tf);
  const engine = options.engine ?? lstmEngine(null);
  return { scorer: sequenceScorer(loaded, tf, engine), files, loaded, tf, engine };
}

/**
 * A model artifact already read (a tabular model file's body, or a registry entry's copy of any model);
 * anything malformed is a DataError (exit 3) naming `source`.
 * @example const scorer = await loadModel(entry.model, "registry SPX_up@3");
 */
export async function loadModel(
  artifact: Record<string, unknown>,
  source: string,
  options: LoadModelOptions = {},
): Promise<ModelScorer> {
  if (typeof artifact !== "object" || artifact === null || Array.isArray(artifact))
    throw new DataError(`${source}: the model artifact is not a JSON object`);
  if (sequenceFamily(String(artifact.model)))
    return (await openSequence(embeddedSequenceFiles(artifact, source), options)).scorer;
  return tabularScorer(artifact, source);
}

/**
 * A model from disk: a tabular model file (models/<T>/<model>.json) or a sequence model folder (or its
 * tsml.json).
 * @example const { scorer } = await loadModelFile("models/SPX/rf.json");
 */
export async function loadModelFile(path: string, options: LoadModelOptions = {}): Promise<LoadedModelFile> {
  if (sequenceFolder(path)) {
    const { scorer, ...sequence } = await openSequence(readSequenceModelFiles(path), options);
    return {
      scorer,
      artifact: sequence.files.meta as unknown as Record<string, unknown>,
      path: sequence.files.where.meta,
      sequence,
    };
  }
  const artifact = readJsonArtifact(path, ["model"]) as Record<string, unknown>;
  if (sequenceFamily(String(artifact.model)))
    throw new DataError(
      `${path}: a "${artifact.model}" model is a folder holding tsml.json and its weights`,
      "pass the model folder: -m models/<T>/<model>",
    );
  return { scorer: tabularScorer(artifact, path), artifact, path, sequence: null };
}

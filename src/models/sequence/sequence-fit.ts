// What every sequence family's `fit` takes and gives back: the training series and checked parameters in, the
// fitted network, its scaling and the raw outputs its test metrics are computed from out. The command saves the
// model and scores those outputs by the evaluate stage's test-window rule; the family knows nothing of either.

import type { Progress } from "../../core/progress.js";
import type { LoadedBackend, Tf } from "./backend.js";
import type { LayersModel } from "./dense-window.js";
import type { FusedLstm, LstmShape } from "./fused-lstm.js";
import type { SeriesTransformState } from "./series-transform.js";

export interface SequenceFitInput {
  /** One ticker's target series, finite rows only, and its timestamps. */
  time: Float64Array;
  values: Float64Array;
  /** Rows before the split: the only rows the network learns from. */
  trainRows: number;
  /** Window ends (rows) whose outcome is known from the split on: the test windows. */
  testEnds: readonly number[];
  /** Another column of the input (a label), or null when the input has none of that name. */
  column(name: string): Float64Array | null;
  /** `--label`, when given. */
  label?: string;
  /** The input's path, for errors. */
  source: string;
  /** Parameters already checked against the family's schema (sequence-params.ts). */
  params: Readonly<Record<string, unknown>>;
  seed: number;
  backend: LoadedBackend;
  /** Threads for the fused LSTM's batch shards (default: the core count). */
  jobs: number | undefined;
  progress(total: number): Progress;
}

/** The fused LSTM's last-step outputs for every window from row steps - 1 on (regression: scaled values). */
export interface ForecastOutputs {
  kind: "forecast";
  out: Float32Array;
}

/** lstm-clf: the logit of every window from row steps - 1 on, and the up/down label of every row. */
export interface UpDownOutputs {
  kind: "up-down";
  out: Float32Array;
  labels: Float64Array;
}

/** dense-window: class probabilities of the test windows that have a label, and their true class indices. */
export interface ClassOutputs {
  kind: "classes";
  ends: number[];
  proba: Float32Array;
  truth: number[];
}

export interface SequenceFit {
  /** The parameters as saved (canonical, with the seed). */
  params: Record<string, unknown>;
  training: Record<string, unknown>;
  transform: SeriesTransformState | null;
  shape: LstmShape | null;
  classes: number[];
  label: string | null;
  weights: { lstm?: FusedLstm; layers?: LayersModel; tf?: Tf };
  outputs: ForecastOutputs | UpDownOutputs | ClassOutputs;
}

// `mlp`: multi-layer perceptron (scikit-learn MLPClassifier defaults: 100 relu units, adam, alpha 1e-4).

import { UsageError } from "../../core/errors.js";
import { Random } from "../../core/random.js";
import { binaryProba, predictFromBinaryProba } from "../common/binary-output.js";
import { checkFitInput, checkPredictInput, weightsOrOnes } from "../common/fit-checks.js";
import { choiceParam, mergeParams, numberParam } from "../common/params.js";
import type { Classifier, FeatureMatrix, FitOptions, ModelFactory, ModelState } from "../model.js";
import { registerModel } from "../registry.js";
import {
  initNetwork,
  type NetworkWeights,
  networkFromJson,
  networkToJson,
  predictNetwork,
  rowMajor,
  trainNetwork,
} from "./dense-network.js";

const NAME = "mlp";
const DEFAULTS = {
  hidden_layer_sizes: [100],
  activation: "relu",
  solver: "adam",
  alpha: 0.0001,
  batch_size: 200,
  learning_rate_init: 0.001,
  max_iter: 200,
  tol: 1e-4,
  n_iter_no_change: 10,
} as const;

/** `[64, 32]`, `"64,32"` or `64` -> [64, 32] / [64]. */
export function parseLayerSizes(model: string, raw: unknown): number[] {
  const list = Array.isArray(raw)
    ? raw
    : String(raw)
        .split(/[,\s]+/)
        .filter(Boolean);
  const sizes = list.map(Number);
  if (sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s < 1))
    throw new UsageError(`${model}: hidden_layer_sizes=${String(raw)} must be positive integers, e.g. 64,32`);
  return sizes;
}

/**
 * Trains with minibatches (batch_size capped at the row count) for at most max_iter epochs, stopping when the
 * training loss has not improved by tol for n_iter_no_change epochs, like scikit-learn. Sample weights
 * (class weights) multiply each row's loss, which scikit-learn 1.2's MLP does not support.
 */
export class MlpClassifier implements Classifier {
  readonly name = NAME;
  readonly params: Readonly<Record<string, unknown>>;
  private net: NetworkWeights | null = null;

  constructor(params: Record<string, unknown> = {}) {
    this.params = mergeParams(NAME, DEFAULTS, params);
    choiceParam(NAME, this.params, "activation", ["relu", "tanh"]);
    choiceParam(NAME, this.params, "solver", ["adam", "sgd"]);
    parseLayerSizes(NAME, this.params.hidden_layer_sizes);
  }

  async fit(X: FeatureMatrix, y: Float64Array, options: FitOptions): Promise<void> {
    checkFitInput(NAME, X, y, options.sampleWeight);
    const p = this.params;
    const rng = new Random(options.seed);
    this.net = initNetwork(
      {
        inputs: X.columns.length,
        hidden: parseLayerSizes(NAME, p.hidden_layer_sizes),
        activation: p.activation as "relu" | "tanh",
      },
      rng,
    );
    trainNetwork(this.net, rowMajor(X.columns, X.rows), y, weightsOrOnes(options.sampleWeight, X.rows), {
      solver: p.solver as "adam" | "sgd",
      learningRate: numberParam(NAME, p, "learning_rate_init"),
      alpha: numberParam(NAME, p, "alpha"),
      batchSize: numberParam(NAME, p, "batch_size"),
      epochs: numberParam(NAME, p, "max_iter"),
      tol: numberParam(NAME, p, "tol"),
      patience: numberParam(NAME, p, "n_iter_no_change"),
      seed: options.seed,
    });
  }

  classes(): Float64Array {
    return Float64Array.of(0, 1);
  }

  predictProba(X: FeatureMatrix): Float64Array {
    if (!this.net) throw new UsageError(`${NAME}: model is not fitted`);
    checkPredictInput(NAME, X, this.net.sizes[0]);
    const p1 = predictNetwork(this.net, rowMajor(X.columns, X.rows), X.rows);
    return binaryProba(p1);
  }

  predict(X: FeatureMatrix): Float64Array {
    return predictFromBinaryProba(this.predictProba(X), X.rows);
  }

  toState(): ModelState {
    if (!this.net) throw new UsageError(`${NAME}: model is not fitted`);
    return { model: NAME, params: { ...this.params }, classes: [0, 1], state: networkToJson(this.net) };
  }

  static fromState(state: ModelState): MlpClassifier {
    const model = new MlpClassifier(state.params);
    model.net = networkFromJson(state.state as ReturnType<typeof networkToJson>);
    return model;
  }
}

export const mlpClassifierFactory: ModelFactory = {
  name: NAME,
  description: "multi-layer perceptron, relu/tanh, adam/sgd, L2 alpha (scikit-learn MLPClassifier)",
  defaults: DEFAULTS,
  grid: { activation: ["relu", "tanh"], solver: ["adam", "sgd"], alpha: [0.1, 1, 10] },
  scaled: true,
  create: (params) => new MlpClassifier(params),
  load: (state) => MlpClassifier.fromState(state),
};

registerModel(mlpClassifierFactory);

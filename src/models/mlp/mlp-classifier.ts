// `mlp`: multi-layer perceptron (scikit-learn MLPClassifier defaults: 100 relu units, adam, alpha 1e-4).

import { UsageError } from "../../core/errors.js";
import { Random } from "../../core/random.js";
import { binaryProba, predictFromBinaryProba } from "../common/binary-output.js";
import { checkFitInput, checkPredictInput, weightsOrOnes } from "../common/fit-checks.js";
import { numberParam } from "../common/params.js";
import { checkedProbabilities } from "../common/probability-check.js";
import { StateReader } from "../common/state-reader.js";
import type { Classifier, FeatureMatrix, FitOptions, ModelFactory, ModelState } from "../model.js";
import { type ParamSchema, schemaDefaults, validateParams } from "../param-schema.js";
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
const SCHEMA: ParamSchema = {
  hidden_layer_sizes: {
    type: "integer-list",
    default: [100],
    min: 1,
    max: 4096,
    maxItems: 10,
    description: "units per hidden layer, e.g. 64,32",
  },
  activation: {
    type: "choice",
    default: "relu",
    choices: ["relu", "tanh"],
    description: "hidden activation",
  },
  solver: { type: "choice", default: "adam", choices: ["adam", "sgd"], description: "Adam or Nesterov SGD" },
  alpha: { type: "number", default: 0.0001, min: 0, max: 1e6, description: "L2 penalty" },
  batch_size: {
    type: "integer",
    default: 200,
    min: 1,
    max: 1_000_000,
    description: "minibatch rows (capped at the row count)",
  },
  learning_rate_init: {
    type: "number",
    default: 0.001,
    min: 0,
    minExclusive: true,
    max: 10,
    description: "initial step size",
  },
  max_iter: { type: "integer", default: 200, min: 1, max: 100_000, description: "epochs at most" },
  tol: {
    type: "number",
    default: 1e-4,
    min: 0,
    max: 1,
    description: "loss improvement that counts as progress",
  },
  n_iter_no_change: {
    type: "integer",
    default: 10,
    min: 0,
    max: 100_000,
    description: "epochs without progress before stopping (0 = run every epoch)",
  },
};

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
    this.params = validateParams(NAME, SCHEMA, params);
  }

  async fit(X: FeatureMatrix, y: Float64Array, options: FitOptions): Promise<void> {
    checkFitInput(NAME, X, y, options.sampleWeight);
    const p = this.params;
    const rng = new Random(options.seed);
    this.net = initNetwork(
      {
        inputs: X.columns.length,
        hidden: p.hidden_layer_sizes as number[],
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
    return checkedProbabilities(NAME, binaryProba(p1), 2);
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
    const read = new StateReader(NAME);
    read.binaryClasses(state.classes);
    const net = networkFromJson(read, state.state, "state");
    const hidden = model.params.hidden_layer_sizes as number[];
    if (net.sizes.slice(1, -1).join(",") !== hidden.join(","))
      read.fail("state.sizes", `is [${net.sizes}], but hidden_layer_sizes is [${hidden}]`);
    if (net.activation !== model.params.activation)
      read.fail(
        "state.activation",
        `is ${net.activation}, but the activation parameter is ${model.params.activation}`,
      );
    model.net = net;
    return model;
  }
}

export const mlpClassifierFactory: ModelFactory = {
  name: NAME,
  description: "multi-layer perceptron, relu/tanh, adam/sgd, L2 alpha (scikit-learn MLPClassifier)",
  schema: SCHEMA,
  defaults: schemaDefaults(SCHEMA),
  grid: { activation: ["relu", "tanh"], solver: ["adam", "sgd"], alpha: [0.1, 1, 10] },
  scaled: true,
  create: (params) => new MlpClassifier(params),
  load: (state) => MlpClassifier.fromState(state),
};

registerModel(mlpClassifierFactory);

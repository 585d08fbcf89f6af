// `nn`: seed 001's NeuralNet — a normalisation layer, Dense(64, relu), Dense(64, relu), Dense(1, sigmoid),
// Adam (Keras defaults), batch 32, 100 epochs, class weights.

import { UsageError } from "../../core/errors.js";
import { Random } from "../../core/random.js";
import { binaryProba, predictFromBinaryProba } from "../common/binary-output.js";
import { checkFitInput, checkPredictInput } from "../common/fit-checks.js";
import { numberParam } from "../common/params.js";
import { checkedProbabilities } from "../common/probability-check.js";
import { StateReader } from "../common/state-reader.js";
import {
  initNetwork,
  type NetworkWeights,
  networkFromJson,
  networkToJson,
  predictNetwork,
  rowMajor,
  trainNetwork,
} from "../mlp/dense-network.js";
import type { Classifier, FeatureMatrix, FitOptions, ModelFactory, ModelState } from "../model.js";
import { type ParamSchema, schemaDefaults, validateParams } from "../param-schema.js";
import { registerModel } from "../registry.js";

const NAME = "nn";
const SCHEMA: ParamSchema = {
  epochs: {
    type: "integer",
    default: 100,
    min: 1,
    max: 100_000,
    description: "passes over the training rows",
  },
  batch_size: { type: "integer", default: 32, min: 1, max: 1_000_000, description: "minibatch rows" },
  learning_rate: {
    type: "number",
    default: 0.001,
    min: 0,
    minExclusive: true,
    max: 10,
    description: "Adam step size",
  },
  class_weight: {
    type: "choice",
    default: "balanced",
    choices: ["balanced", "none"],
    description: "weigh classes n / (2 · count) when no sample weights are given",
  },
};

interface NnState {
  mean: number[];
  scale: number[];
  net: ReturnType<typeof networkToJson>;
}

/**
 * Keras' Normalization layer adapted on the training rows: (x - mean) / sqrt(variance), population variance,
 * a zero variance mapped to scale 1. Without caller sample weights, `class_weight: balanced` weighs each class
 * n / (2 · count), as seed 001 passes `compute_class_weight("balanced")` to the network.
 */
export class NeuralNet implements Classifier {
  readonly name = NAME;
  readonly params: Readonly<Record<string, unknown>>;
  private model: { mean: Float64Array; scale: Float64Array; net: NetworkWeights } | null = null;

  constructor(params: Record<string, unknown> = {}) {
    this.params = validateParams(NAME, SCHEMA, params);
  }

  async fit(X: FeatureMatrix, y: Float64Array, options: FitOptions): Promise<void> {
    checkFitInput(NAME, X, y, options.sampleWeight);
    const d = X.columns.length;
    const n = X.rows;
    const mean = new Float64Array(d);
    const scale = new Float64Array(d);
    X.columns.forEach((col, j) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += col[i];
      mean[j] = s / n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (col[i] - mean[j]) ** 2;
      scale[j] = v > 0 ? Math.sqrt(v / n) : 1;
    });
    let weight = options.sampleWeight;
    if (!weight) {
      weight = new Float64Array(n).fill(1);
      if (this.params.class_weight === "balanced") {
        let ones = 0;
        for (let i = 0; i < n; i++) ones += y[i];
        for (let i = 0; i < n; i++) weight[i] = n / (2 * (y[i] === 1 ? ones : n - ones));
      }
    }
    const net = initNetwork({ inputs: d, hidden: [64, 64], activation: "relu" }, new Random(options.seed));
    trainNetwork(net, this.normalise(X, mean, scale), y, weight, {
      solver: "adam",
      learningRate: numberParam(NAME, this.params, "learning_rate"),
      alpha: 0,
      batchSize: numberParam(NAME, this.params, "batch_size"),
      epochs: numberParam(NAME, this.params, "epochs"),
      tol: 0,
      patience: 0,
      seed: options.seed,
    });
    this.model = { mean, scale, net };
  }

  private normalise(X: FeatureMatrix, mean: Float64Array, scale: Float64Array): Float64Array {
    const rows = rowMajor(X.columns, X.rows);
    const d = mean.length;
    for (let i = 0; i < rows.length; i++) rows[i] = (rows[i] - mean[i % d]) / scale[i % d];
    return rows;
  }

  classes(): Float64Array {
    return Float64Array.of(0, 1);
  }

  predictProba(X: FeatureMatrix): Float64Array {
    const m = this.model;
    if (!m) throw new UsageError(`${NAME}: model is not fitted`);
    checkPredictInput(NAME, X, m.mean.length);
    const p1 = predictNetwork(m.net, this.normalise(X, m.mean, m.scale), X.rows);
    return checkedProbabilities(NAME, binaryProba(p1), 2);
  }

  predict(X: FeatureMatrix): Float64Array {
    return predictFromBinaryProba(this.predictProba(X), X.rows);
  }

  toState(): ModelState {
    const m = this.model;
    if (!m) throw new UsageError(`${NAME}: model is not fitted`);
    const state: NnState = { mean: [...m.mean], scale: [...m.scale], net: networkToJson(m.net) };
    return { model: NAME, params: { ...this.params }, classes: [0, 1], state };
  }

  static fromState(state: ModelState): NeuralNet {
    const model = new NeuralNet(state.params);
    const read = new StateReader(NAME);
    read.binaryClasses(state.classes);
    const s = read.object(state.state, "state");
    const net = networkFromJson(read, s.net, "net");
    if (net.sizes.slice(1).join(",") !== "64,64,1" || net.activation !== "relu")
      read.fail("net.sizes", `is [${net.sizes}] ${net.activation}, expected [inputs,64,64,1] relu`);
    const inputs = net.sizes[0];
    model.model = {
      mean: read.numbers(s.mean, "mean", { length: inputs }),
      scale: read.numbers(s.scale, "scale", { length: inputs, min: Number.MIN_VALUE }),
      net,
    };
    return model;
  }
}

export const neuralNetFactory: ModelFactory = {
  name: NAME,
  description:
    "seed 001's NeuralNet: normalisation, 64-64-1 sigmoid, Adam, 100 epochs, balanced class weights",
  schema: SCHEMA,
  defaults: schemaDefaults(SCHEMA),
  grid: { epochs: [50, 100], learning_rate: [0.001, 0.01] },
  scaled: false,
  create: (params) => new NeuralNet(params),
  load: (state) => NeuralNet.fromState(state),
};

registerModel(neuralNetFactory);

import { runModelContract } from "../contract-suite.js";

runModelContract("mlp", { hidden_layer_sizes: [16], max_iter: 60 });

import { runModelContract } from "../contract-suite.js";

runModelContract("ridge", {});

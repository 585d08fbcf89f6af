import { runModelContract } from "../contract-suite.js";

runModelContract("nn", { epochs: 20 });

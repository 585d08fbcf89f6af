import { runModelContract } from "../contract-suite.js";

runModelContract("knn", {});

import { runModelContract } from "../contract-suite.js";

runModelContract("sv", {});

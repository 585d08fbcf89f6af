// Worker thread of the LSTM's shard pool: runs forward and backward shard passes on the shared kernel memory.

import { serveJobs } from "../kernels/sync-pool.js";
import { runShardJob } from "./lstm-shard.js";

serveJobs(runShardJob);

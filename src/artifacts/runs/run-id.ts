// Run ids: sortable by start time, with random bits so that runs started in the same second (other processes,
// other machines sharing the folder) differ; a run claims its id by creating its folder, which only one can do.

import { randomBytes } from "node:crypto";

/** `20261202-133308-3fa2c1d4`: UTC start time to the second, then 8 random hex digits. */
export const RUN_ID = /^\d{8}-\d{6}-[0-9a-f]{8}$/;

/** A fresh run id for a run started at `now` (`random` is injectable so tests can force a collision). */
export function newRunId(
  now: Date = new Date(),
  random: () => string = () => randomBytes(4).toString("hex"),
) {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${random()}`;
}

export function isRunId(text: string): boolean {
  return RUN_ID.test(text);
}

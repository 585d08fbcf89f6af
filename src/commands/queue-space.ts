// Which workspace a queue's jobs belong to. Workers on one Redis may serve different workspaces (two projects,
// two test runs); a worker must only take jobs whose inputs and outputs are in its own. A folder workspace
// carries a random id in `.tsml-workspace-id` (made once, by whichever of submitter and worker comes first;
// the same folder mounted at different paths on different machines keeps one id). An S3 workspace is named by
// its bucket and prefix, which every machine spells the same.

import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isS3Workspace, parseS3Workspace } from "../artifacts/remote-workspace/s3-url.js";
import { DataError } from "../core/errors.js";
import { sha256 } from "../core/fingerprint.js";

export const WORKSPACE_ID_FILE = ".tsml-workspace-id";
const ID = /^[0-9a-f]{16}$/;

/**
 * The workspace's queue id (16 hex digits).
 * @example await queueSpace("tsml-workspace") // "3f9a0c1d2b4e6f70"
 */
export async function queueSpace(workspace: string): Promise<string> {
  if (isS3Workspace(workspace)) {
    const { bucket, prefix } = parseS3Workspace(workspace);
    return sha256(`s3://${bucket}/${prefix}`).slice(0, 16);
  }
  const file = join(workspace, WORKSPACE_ID_FILE);
  await mkdir(workspace, { recursive: true });
  // Written whole under a temporary name, then linked into place (link never replaces a file): when submitter
  // and worker start together, one id wins, and nobody reads a half-written one.
  const id = randomBytes(8).toString("hex");
  const temp = `${file}.${id}.tmp`;
  await writeFile(temp, `${id}\n`);
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await rm(temp, { force: true });
  }
  const kept = (await readFile(file, "utf8")).trim();
  if (!ID.test(kept))
    throw new DataError(
      `${file} is not a tsml workspace id (16 hex digits)`,
      `remove it: the next tsml run with --queue makes a new one (restart this workspace's workers after)`,
    );
  return kept;
}

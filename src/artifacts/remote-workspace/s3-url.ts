// `--workspace s3://bucket/prefix`: which workspaces live on object storage, and where in the bucket.

import { UsageError } from "../../core/errors.js";

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing `/` ("" for the bucket's root). */
  prefix: string;
}

/** Bucket names as S3 allows them (3-63 lowercase letters, digits, dots and hyphens; dots for old buckets). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Whether a --workspace value names an S3 workspace rather than a folder. */
export function isS3Workspace(workspace: string): boolean {
  return /^s3:\/\//i.test(workspace);
}

/**
 * The bucket and key prefix of `s3://bucket/prefix`; a malformed one is a usage error naming --workspace.
 * Prefix segments must be plain names: no `.`/`..`, no empty segments, nothing hidden (leading `.`), since
 * each becomes a folder of the local cache.
 * @example
 * parseS3Workspace("s3://research/tsml/ws") // { bucket: "research", prefix: "tsml/ws" }
 */
export function parseS3Workspace(url: string): S3Location {
  const rest = url.replace(/^s3:\/\//i, "");
  const slash = rest.indexOf("/");
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = (slash < 0 ? "" : rest.slice(slash + 1)).replace(/\/+$/, "");
  const hint = "give --workspace s3://BUCKET/PREFIX, e.g. s3://research/tsml";
  if (!BUCKET.test(bucket)) {
    throw new UsageError(`--workspace ${url}: "${bucket}" is not an S3 bucket name`, hint);
  }
  if (prefix !== "" && !prefix.split("/").every(isPlainSegment)) {
    throw new UsageError(
      `--workspace ${url}: the key prefix "${prefix}" has an empty, hidden or dot segment`,
      hint,
    );
  }
  return { bucket, prefix };
}

/** A path segment that is safe as a folder or file name of the local cache. */
export function isPlainSegment(segment: string): boolean {
  return segment.length > 0 && !segment.startsWith(".") && !/[\\\0]/.test(segment);
}

/** `s3://bucket/prefix` back as text (for messages). */
export function s3Url(location: S3Location, key = ""): string {
  return `s3://${location.bucket}/${key || location.prefix}`;
}

// Where the S3 client connects and where the local cache lives, from the environment. Credentials are left to
// the SDK's default chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, profiles, instance
// roles): tsml never reads, stores or prints them.

import { homedir } from "node:os";
import { join } from "node:path";
import type { S3Location } from "./s3-url.js";

export interface S3Settings {
  /** An S3-compatible endpoint (MinIO, Ceph, R2, s3rver); undefined for AWS itself. */
  endpoint: string | undefined;
  region: string;
  /** `http://host/bucket/key` instead of `http://bucket.host/key`: what most S3-compatible stores expect. */
  forcePathStyle: boolean;
}

/**
 * Endpoint from TSML_S3_ENDPOINT, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (first set wins); path-style addressing
 * whenever an endpoint is given unless TSML_S3_PATH_STYLE=0 (TSML_S3_PATH_STYLE=1 forces it on AWS too); region
 * from AWS_REGION or AWS_DEFAULT_REGION, else us-east-1.
 */
export function s3SettingsFrom(env: NodeJS.ProcessEnv): S3Settings {
  const endpoint = env.TSML_S3_ENDPOINT || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  const pathStyle = env.TSML_S3_PATH_STYLE;
  return {
    endpoint,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1",
    forcePathStyle: pathStyle === undefined || pathStyle === "" ? endpoint !== undefined : pathStyle !== "0",
  };
}

/** tsml's cache root: TSML_CACHE_DIR, else $XDG_CACHE_HOME/tsml, else ~/.cache/tsml. */
export function cacheRoot(env: NodeJS.ProcessEnv): string {
  if (env.TSML_CACHE_DIR) return env.TSML_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "tsml");
}

/**
 * The local copy of an S3 workspace: `<cache root>/s3/<bucket>/<prefix>`. The same layout as any workspace, so
 * every command runs on it unchanged.
 * @example
 * mirrorFolder({ bucket: "research", prefix: "tsml" }, {}) // "~/.cache/tsml/s3/research/tsml"
 */
export function mirrorFolder(location: S3Location, env: NodeJS.ProcessEnv): string {
  return join(cacheRoot(env), "s3", location.bucket, ...location.prefix.split("/").filter(Boolean));
}

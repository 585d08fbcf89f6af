// An S3 failure as one line with its exit code. The SDK's own messages can quote request details (the string
// that was signed, the credential scope), so the line is built from the error's name and status only.

import { SourceError, type TsmlError, UsageError } from "../../core/errors.js";
import type { S3Location } from "./s3-url.js";

interface SdkError {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

const CREDENTIALS_HINT =
  "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys), or AWS_PROFILE";

/**
 * What went wrong with `operation` (e.g. "list", "download bars/SPX.parquet") as a TsmlError: a missing bucket
 * is a usage error (exit 2) naming it; refused credentials, server errors and unreachable endpoints exit 4.
 * The original error is kept as `cause` for --verbose.
 */
export function s3Failure(
  error: unknown,
  location: S3Location,
  operation: string,
  endpoint?: string,
): TsmlError {
  const e = (error ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? "Error";
  const where = `s3://${location.bucket}`;
  let failure: TsmlError;
  if (name === "NoSuchBucket") {
    failure = new UsageError(
      `S3 bucket "${location.bucket}" does not exist (${operation} ${where})`,
      "create it first (aws s3 mb s3://BUCKET), or fix the bucket in --workspace s3://BUCKET/PREFIX",
    );
  } else if (name === "CredentialsProviderError" || /credential/i.test(name)) {
    failure = new SourceError(`S3 ${operation} in ${where}: no AWS credentials found`, CREDENTIALS_HINT);
  } else if (
    status === 403 ||
    ["InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"].includes(name)
  ) {
    failure = new SourceError(
      `S3 ${operation} in ${where} was refused (${name}, HTTP ${status ?? 403})`,
      CREDENTIALS_HINT,
    );
  } else if (status !== undefined) {
    failure = new SourceError(
      `S3 ${operation} in ${where} failed (${name}, HTTP ${status})`,
      "retry later; check the endpoint (TSML_S3_ENDPOINT / AWS_ENDPOINT_URL) and region (AWS_REGION)",
    );
  } else {
    const code = e.code ?? name;
    failure = new SourceError(
      `S3 ${operation} in ${where}: cannot reach ${endpoint ?? "the S3 endpoint"} (${code})`,
      "check the network and the endpoint (TSML_S3_ENDPOINT / AWS_ENDPOINT_URL), then run again",
    );
  }
  (failure as { cause?: unknown }).cause = error;
  return failure;
}

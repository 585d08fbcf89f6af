import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode, TsmlError } from "../../core/errors.js";
import { s3Failure } from "./s3-errors.js";
import { cacheRoot, mirrorFolder, s3SettingsFrom } from "./s3-settings.js";
import { isS3Workspace, parseS3Workspace } from "./s3-url.js";

describe("--workspace s3://bucket/prefix", () => {
  it("splits bucket and prefix, trailing slashes dropped", () => {
    expect(parseS3Workspace("s3://research/tsml/ws/")).toEqual({ bucket: "research", prefix: "tsml/ws" });
    expect(parseS3Workspace("S3://my.bucket-1")).toEqual({ bucket: "my.bucket-1", prefix: "" });
    expect(isS3Workspace("s3://b")).toBe(true);
    expect(isS3Workspace("./s3/ws")).toBe(false);
  });

  it.each([
    "s3://",
    "s3://Upper/ws",
    "s3://ab/ws",
    "s3://bucket_name/ws",
    "s3://bucket/a//b",
    "s3://bucket/../etc",
    "s3://bucket/.hidden",
  ])("refuses %s as a usage error naming --workspace", (url) => {
    try {
      parseS3Workspace(url);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TsmlError);
      expect((error as TsmlError).exitCode).toBe(ExitCode.usage);
      expect((error as TsmlError).message).toContain("--workspace");
    }
  });

  it("mirrors under TSML_CACHE_DIR, else XDG_CACHE_HOME/tsml, else ~/.cache/tsml", () => {
    const location = { bucket: "research", prefix: "a/b" };
    expect(mirrorFolder(location, { TSML_CACHE_DIR: "/c" })).toBe(join("/c", "s3", "research", "a", "b"));
    expect(cacheRoot({ XDG_CACHE_HOME: "/x" })).toBe(join("/x", "tsml"));
    expect(mirrorFolder({ bucket: "research", prefix: "" }, { TSML_CACHE_DIR: "/c" })).toBe(
      join("/c", "s3", "research"),
    );
  });

  it("an endpoint override turns on path-style addressing unless TSML_S3_PATH_STYLE=0", () => {
    expect(s3SettingsFrom({})).toEqual({ endpoint: undefined, region: "us-east-1", forcePathStyle: false });
    expect(s3SettingsFrom({ AWS_ENDPOINT_URL: "http://minio:9000", AWS_REGION: "eu-west-1" })).toEqual({
      endpoint: "http://minio:9000",
      region: "eu-west-1",
      forcePathStyle: true,
    });
    const both = s3SettingsFrom({
      TSML_S3_ENDPOINT: "http://a",
      AWS_ENDPOINT_URL: "http://b",
      TSML_S3_PATH_STYLE: "0",
    });
    expect(both).toMatchObject({ endpoint: "http://a", forcePathStyle: false });
  });

  it("maps SDK failures to one line and an exit code, never quoting the SDK's own message", () => {
    const location = { bucket: "research", prefix: "ws" };
    const sdk = (name: string, status?: number, message = "StringToSign AKIAEXAMPLE") =>
      Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
    expect(s3Failure(sdk("NoSuchBucket", 404), location, "list").exitCode).toBe(ExitCode.usage);
    const refused = s3Failure(sdk("SignatureDoesNotMatch", 403), location, "list");
    expect(refused.exitCode).toBe(ExitCode.source);
    expect(refused.message).not.toContain("AKIAEXAMPLE");
    expect(s3Failure(sdk("InternalError", 500), location, "upload x").message).toContain("HTTP 500");
    const offline = s3Failure(
      Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
      location,
      "list",
      "http://h:1",
    );
    expect(offline.exitCode).toBe(ExitCode.source);
    expect(offline.message).toContain("cannot reach http://h:1 (ECONNREFUSED)");
  });
});

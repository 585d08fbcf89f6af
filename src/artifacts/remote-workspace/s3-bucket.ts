// The few S3 calls a workspace needs (list, download, upload, delete) under one key prefix, counted for the
// sync summary. Downloads land in a temp file that is renamed into place; uploads send one complete file per
// PutObject, so a reader never sees part of an object under its final key.

import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { EnvironmentError } from "../../core/errors.js";
import { fromOsError } from "../../core/os-error.js";
import { s3Failure } from "./s3-errors.js";
import type { S3Settings } from "./s3-settings.js";
import type { S3Location } from "./s3-url.js";

export interface RemoteObject {
  /** Path under the prefix, `/`-separated (`bars/SPX.parquet`). */
  path: string;
  etag: string;
  bytes: number;
}

export interface TransferCounts {
  lists: number;
  gets: number;
  puts: number;
  deletes: number;
  bytesDown: number;
  bytesUp: number;
}

export interface Downloaded {
  etag: string;
  sha256: string;
  bytes: number;
}

export class S3Bucket {
  readonly counts: TransferCounts = { lists: 0, gets: 0, puts: 0, deletes: 0, bytesDown: 0, bytesUp: 0 };
  private readonly client: S3Client;

  constructor(
    readonly location: S3Location,
    private readonly settings: S3Settings,
  ) {
    // The SDK warns on stderr, on every run, that its 2027 releases will need Node 22: noise in a CLI's
    // output (package.json's engines is where the Node version is decided). A user's own setting wins.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      // Checksums only where S3 requires them: the default streams uploads as `aws-chunked` with a checksum
      // trailer, which S3-compatible stores (s3rver, older MinIO and Ceph) store verbatim, frames and all.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      // An unreachable endpoint should fail in seconds, not hang a batch job.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
    });
  }

  /** Every object under the prefix (folder markers and keys outside the prefix skipped). */
  async list(): Promise<RemoteObject[]> {
    const base = this.keyPrefix();
    const out: RemoteObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.call("list", () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: base, ContinuationToken: token }),
        ),
      );
      this.counts.lists++;
      for (const item of page.Contents ?? []) {
        if (!item.Key?.startsWith(base) || item.Key.endsWith("/")) continue;
        out.push({ path: item.Key.slice(base.length), etag: item.ETag ?? "", bytes: item.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  /** Downloads one object to `target` through a temp file beside it; returns its ETag and content hash. */
  async download(path: string, target: string): Promise<Downloaded> {
    await mkdir(dirname(target), { recursive: true });
    const temp = join(
      dirname(target),
      `.s3-download-${process.pid}-${Math.random().toString(16).slice(2)}.tmp`,
    );
    try {
      const hash = createHash("sha256");
      let bytes = 0;
      const etag = await this.call(`download ${path}`, async () => {
        const response = await this.client.send(
          new GetObjectCommand({ Bucket: this.location.bucket, Key: this.keyPrefix() + path }),
        );
        this.counts.gets++;
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            bytes += chunk.length;
            done(null, chunk);
          },
        });
        await pipeline(response.Body as NodeJS.ReadableStream, counter, createWriteStream(temp));
        return response.ETag ?? "";
      });
      await rename(temp, target);
      this.counts.bytesDown += bytes;
      return { etag, sha256: hash.digest("hex"), bytes };
    } finally {
      await rm(temp, { force: true });
    }
  }

  /**
   * Uploads one complete local file as the object `path` (one PutObject); returns the new ETag. The body is the
   * file's bytes in memory, not a stream: the SDK retries a buffered request (a 500 or a dropped connection),
   * never a streamed one. Workspace artifacts are a few MB; PutObject takes up to 5 GB.
   */
  async upload(path: string, file: string): Promise<string> {
    const body = await readFile(file);
    const response = await this.call(`upload ${path}`, () =>
      this.client.send(
        new PutObjectCommand({ Bucket: this.location.bucket, Key: this.keyPrefix() + path, Body: body }),
      ),
    );
    this.counts.puts++;
    this.counts.bytesUp += body.length;
    return response.ETag ?? "";
  }

  async remove(path: string): Promise<void> {
    await this.call(`delete ${path}`, () =>
      this.client.send(
        new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.keyPrefix() + path }),
      ),
    );
    this.counts.deletes++;
  }

  close(): void {
    this.client.destroy();
  }

  private keyPrefix(): string {
    return this.location.prefix === "" ? "" : `${this.location.prefix}/`;
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      // The local disk refusing a download (full, read-only) is the environment's error, not the store's.
      const local = fromOsError(error);
      throw local instanceof EnvironmentError
        ? local
        : s3Failure(error, this.location, operation, this.settings.endpoint);
    }
  }
}

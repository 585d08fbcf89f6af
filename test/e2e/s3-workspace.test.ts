// End to end with the built CLI (`npx tsc -p tsconfig.build.json` first): `--workspace s3://bucket/prefix`
// against s3rver on loopback, behind a counting proxy (every request the CLI makes, by method and path; it can
// also answer 500 to chosen uploads). Each "machine" is its own TSML_CACHE_DIR. Checked: a backtest on machine
// B of what machine A trained equals the same commands on a plain folder; the bucket holds byte-for-byte the
// files A wrote; an unchanged workspace downloads nothing the second time; a command that fails uploads
// nothing; two shards at once leave the union; AWS credentials are nowhere (output, caches, bucket).

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TSML_BIN } from "../helpers/run-cli.js";

const root = resolve(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-s3-"));
const BUCKET = "tsml-e2e";
/** Credentials s3rver is told to accept (besides its default pair), distinctive enough to search for. */
const KEY_ID = "AKIATSMLE2EKEY0001";
const SECRET = "tsml/e2e+Secret/Value0001x";
const SHARDS = JSON.parse(
  readFileSync(join(root, "test", "fixtures", "shard", "shard-assignments.json"), "utf8"),
) as Record<string, Record<string, number>>;

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
const require = createRequire(import.meta.url);
const S3rver = require("s3rver") as new (options: Record<string, unknown>) => S3rverInstance;
const { DUMMY_ACCOUNT } = require("s3rver/lib/models/account") as {
  DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
};

let server: S3rverInstance;
let proxy: Server;
let endpoint = "";
/** Every request that reached the proxy: method and path with query. */
const requests: { method: string; url: string }[] = [];
/** Uploads (PUT) still to be answered with HTTP 500 instead of being passed on. */
let failingPuts = 0;
let client: S3Client;
/** Every line the CLI printed, for the secrets check. */
const printed: string[] = [];

/** The CLI as a child process (asynchronous: s3rver runs in this process and must keep answering). */
function tsml(args: string[], machine: string, extra: NodeJS.ProcessEnv = {}) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TZ: "UTC",
    HOME: join(dir, "home"),
    AWS_ACCESS_KEY_ID: KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_REGION: "us-east-1",
    TSML_S3_ENDPOINT: endpoint,
    TSML_CACHE_DIR: join(dir, `cache-${machine}`),
    ...extra,
  };
  for (const name of ["AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_SESSION_TOKEN"])
    if (!(name in extra)) delete env[name];
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [TSML_BIN, ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => {
      printed.push(stdout, stderr);
      done({ code, stdout, stderr });
    });
  });
}

const mirror = (machine: string, prefix: string) => join(dir, `cache-${machine}`, "s3", BUCKET, prefix);

/** Object GETs (downloads) since `from`; bucket listings are GETs too, with `list-type=2`. */
function downloadsSince(from: number): string[] {
  return requests
    .slice(from)
    .filter((r) => r.method === "GET" && !r.url.includes("list-type="))
    .map((r) => r.url);
}

async function listing(prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}/`, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) out.set((o.Key ?? "").slice(prefix.length + 1), o.ETag ?? "");
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

async function objectBytes(key: string): Promise<Buffer> {
  const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(
    await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

/** Files under a folder, relative, hidden names (temp files, the sync manifest, locks) left out. */
function filesUnder(folder: string, sub = ""): string[] {
  if (!existsSync(join(folder, sub))) return [];
  return readdirSync(join(folder, sub)).flatMap((name) => {
    if (name.startsWith(".")) return [];
    const path = sub ? `${sub}/${name}` : name;
    return statSync(join(folder, path)).isDirectory() ? filesUnder(folder, path) : [path];
  });
}

const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** A model id holds the model file's sha256, and the file its creation time: the one part that differs. */
function withoutFileHashes<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/@[0-9a-f]{12}\b/g, "@<model file sha256>")) as T;
}

async function parquetRows(path: string): Promise<{ rows: unknown[]; details: unknown }> {
  const connection = await (await DuckDBInstance.create(":memory:")).connect();
  const quoted = `'${path.replaceAll("'", "''")}'`;
  const rows = (await connection.runAndReadAll(`SELECT * FROM read_parquet(${quoted})`)).getRowObjectsJson();
  const kv = (
    await connection.runAndReadAll(
      `SELECT decode(value) AS v FROM parquet_kv_metadata(${quoted}) WHERE decode(key) = 'tsml'`,
    )
  ).getRowObjectsJson();
  connection.closeSync();
  const meta = JSON.parse(String(kv[0]?.v ?? "{}")) as { kind?: string; details?: unknown };
  return withoutFileHashes({ rows, details: { kind: meta.kind, details: meta.details } });
}

beforeAll(async () => {
  // The SDK's Node 22 notice would land in this test's output (the CLI silences it for itself).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  DUMMY_ACCOUNT.createKeyPair(KEY_ID, SECRET);
  server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: join(dir, "s3rver"),
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  // The proxy passes requests through unchanged (the Host header too, which the signature covers).
  proxy = createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "" });
    if (req.method === "PUT" && failingPuts > 0) {
      failingPuts--;
      req.resume();
      res.writeHead(500, { "content-type": "application/xml" });
      res.end('<?xml version="1.0"?><Error><Code>InternalError</Code><Message>injected</Message></Error>');
      return;
    }
    const upstream = request(
      { host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((done) => proxy.listen(0, "127.0.0.1", done));
  endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  client = new S3Client({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}, 60_000);

afterAll(async () => {
  client?.destroy();
  proxy?.closeAllConnections();
  await new Promise<void>((done) => (proxy ? proxy.close(() => done()) : done()));
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("--workspace s3://bucket/prefix", () => {
  const TRAIN = ["train", "--ticker", "SPX", "--model", "ridge", "--seed", "7"];
  const BACKTEST = ["backtest", "--no-chart", "--seed", "7"];
  let afterTrain = new Map<string, string>();

  it("machine B backtests what machine A trained: the same as on a plain folder, and the bucket holds A's bytes", async () => {
    const local = join(dir, "local");
    for (const args of [TRAIN, BACKTEST]) {
      const r = await tsml(["--workspace", local, "--quiet", ...args], "unused");
      expect(r.code, r.stderr).toBe(0);
    }
    const a = await tsml(["--workspace", `s3://${BUCKET}/ws`, ...TRAIN], "a");
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toMatch(/s3:\/\/tsml-e2e\/ws: pulled 0 of 0 objects .*pushed \d+/);
    afterTrain = await listing("ws");
    // Exactly what A's command wrote is in the bucket, each object byte for byte.
    expect([...afterTrain.keys()].sort()).toEqual(filesUnder(mirror("a", "ws")).sort());
    expect(afterTrain.has("models/SPX/ridge.json")).toBe(true);
    for (const path of afterTrain.keys()) {
      const bytes = await objectBytes(`ws/${path}`);
      expect(sha(bytes), path).toBe(sha(readFileSync(join(mirror("a", "ws"), path))));
    }

    const b = await tsml(["--workspace", `s3://${BUCKET}/ws`, ...BACKTEST], "b");
    expect(b.code, b.stderr).toBe(0);
    for (const kind of ["predictions", "backtests"]) {
      const [want, got] = await Promise.all([
        parquetRows(join(local, kind, "SPX.parquet")),
        parquetRows(join(mirror("b", "ws"), kind, "SPX.parquet")),
      ]);
      expect(got.rows.length, kind).toBeGreaterThan(0);
      expect(got, kind).toEqual(want);
    }
    // B's backtest is in the bucket too, as B wrote it.
    const backtest = await objectBytes("ws/backtests/SPX.parquet");
    expect(sha(backtest)).toBe(sha(readFileSync(join(mirror("b", "ws"), "backtests", "SPX.parquet"))));
  }, 120_000);

  it("downloads only new or changed objects (by ETag), and nothing when the workspace is unchanged", async () => {
    const now = await listing("ws");
    const changedSinceTrain = [...now]
      .filter(([path, etag]) => afterTrain.get(path) !== etag)
      .map(([p]) => p);
    expect(changedSinceTrain.length).toBeGreaterThan(0);

    let mark = requests.length;
    const again = await tsml(["--workspace", `s3://${BUCKET}/ws`, "ls"], "b");
    expect(again.code, again.stderr).toBe(0);
    expect(downloadsSince(mark)).toEqual([]);

    // Machine A last saw the workspace after its train: it fetches exactly what B's backtest added or changed.
    mark = requests.length;
    const a = await tsml(["--workspace", `s3://${BUCKET}/ws`, "ls"], "a");
    expect(a.code, a.stderr).toBe(0);
    expect(
      downloadsSince(mark)
        .map((url) => decodeURIComponent(url.split("?")[0].replace(`/${BUCKET}/ws/`, "")))
        .sort(),
    ).toEqual(changedSinceTrain.sort());
  }, 60_000);

  it("a command that fails mid-way uploads nothing, and its local leftovers are dropped by the next sync", async () => {
    const mark = requests.length;
    const failed = await tsml(
      [
        "--workspace",
        `s3://${BUCKET}/fails`,
        "train",
        "--ticker",
        "SPX",
        "--model",
        "ridge",
        "--split-date",
        "2100-01-01",
      ],
      "c",
    );
    expect(failed.code, failed.stderr).toBe(2);
    expect(failed.stderr).toMatch(/--split-date 2100-01-01 is outside the data/);
    // It had ingested bars and built features (in the local mirror) before it failed...
    expect(existsSync(join(mirror("c", "fails"), "features", "SPX.parquet"))).toBe(true);
    // ...and sent not one upload: nothing under the prefix, no partial object under any key.
    expect(requests.slice(mark).filter((r) => r.method === "PUT" || r.method === "POST")).toEqual([]);
    expect([...(await listing("fails")).keys()]).toEqual([]);
    const next = await tsml(["--workspace", `s3://${BUCKET}/fails`, "ls"], "c");
    expect(next.code, next.stderr).toBe(0);
    expect(filesUnder(mirror("c", "fails"))).toEqual([]);
  }, 60_000);

  it("two shards at once (one cache each) leave the union of their tickers, each written by its owner", async () => {
    const tickers = ["S000", "S001", "S002", "S003"];
    const lines = ["date,ticker,open,high,low,close,volume"];
    let state = 99;
    for (const ticker of tickers) {
      let close = 100;
      for (let day = 0; day < 320; day++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        const open = close;
        close = open * (1 + (state / 2 ** 32 - 0.49) * 0.03);
        const date = new Date(Date.UTC(2015, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
        lines.push(
          `${date},${ticker},${open.toFixed(4)},${(Math.max(open, close) * 1.01).toFixed(4)},${(Math.min(open, close) * 0.99).toFixed(4)},${close.toFixed(4)},1000000`,
        );
      }
    }
    const panel = join(dir, "panel.csv");
    writeFileSync(panel, `${lines.join("\n")}\n`);
    // The store fails the first two uploads with HTTP 500, then recovers: the SDK's retries carry the ingest.
    failingPuts = 2;
    const ingest = await tsml(
      ["--workspace", `s3://${BUCKET}/shards`, "--quiet", "ingest", "csv", panel],
      "d",
    );
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(failingPuts).toBe(0);
    const shards = await Promise.all(
      [0, 1].map((i) =>
        tsml(
          ["--workspace", `s3://${BUCKET}/shards`, "--quiet", "features", "--shard", `${i}/2`],
          `shard${i}`,
        ),
      ),
    );
    for (const r of shards) expect(r.code, r.stderr).toBe(0);
    const keys = [...(await listing("shards")).keys()];
    expect(keys.filter((k) => k.startsWith("features/")).sort()).toEqual(
      tickers.map((t) => `features/${t}.parquet`),
    );
    for (const t of tickers) {
      // Written by the shard that owns the ticker (Python's hashlib, test/fixtures/shard), not by the other.
      const owner = SHARDS[t]["2"];
      expect(existsSync(join(mirror(`shard${owner}`, "shards"), "features", `${t}.parquet`)), t).toBe(true);
      const bytes = await objectBytes(`shards/features/${t}.parquet`);
      expect(sha(bytes), t).toBe(
        sha(readFileSync(join(mirror(`shard${owner}`, "shards"), "features", `${t}.parquet`))),
      );
    }
    // The same features as one process on a plain folder.
    const local = join(dir, "local-shards");
    for (const args of [["ingest", "csv", panel], ["features"]])
      expect((await tsml(["--workspace", local, "--quiet", ...args], "unused")).code).toBe(0);
    for (const t of tickers) {
      const [want, got] = await Promise.all([
        parquetRows(join(local, "features", `${t}.parquet`)),
        parquetRows(join(mirror(`shard${SHARDS[t]["2"]}`, "shards"), "features", `${t}.parquet`)),
      ]);
      expect(got, t).toEqual(want);
    }
  }, 120_000);

  it("workers with no shared disk: features --queue on an S3 workspace, one job per ticker, each mirrored by its job", async () => {
    // The job queue's Redis (database 15, as test/e2e/queue-cli.test.ts); skipped with the reason without it.
    const redisUrl = process.env.TSML_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";
    const { redisClient } = await import("../../src/queue/queue-connection.js");
    const { parseQueueUrl } = await import("../../src/queue/queue-url.js");
    const probe = redisClient(parseQueueUrl(redisUrl));
    const reachable = await Promise.race([
      probe.connect().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((r) => setTimeout(() => r(false), 2_000)),
    ]);
    probe.disconnect();
    if (!reachable) {
      if (process.env.TSML_REQUIRE_DB === "1") throw new Error(`Redis at ${redisUrl} unreachable`);
      console.log(`skipping the S3 queue case: Redis at ${redisUrl} unreachable`);
      return;
    }
    const workspace = `s3://${BUCKET}/queued`;
    const ingest = await tsml(
      ["--workspace", workspace, "--quiet", "ingest", "csv", join(dir, "panel.csv")],
      "q",
    );
    expect(ingest.code, ingest.stderr).toBe(0);
    // The worker's machine: its own cache, no folder shared with the submitter.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TZ: "UTC",
      HOME: join(dir, "home"),
      AWS_ACCESS_KEY_ID: KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_REGION: "us-east-1",
      TSML_S3_ENDPOINT: endpoint,
      TSML_CACHE_DIR: join(dir, "cache-worker"),
    };
    const worker = spawn(
      process.execPath,
      [TSML_BIN, "--workspace", workspace, "worker", "--queue", redisUrl],
      {
        env,
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let workerLog = "";
    worker.stderr.on("data", (d) => {
      workerLog += d;
    });
    try {
      const queued = await tsml(["--workspace", workspace, "features", "--queue", redisUrl], "submitter");
      expect(queued.code, `${queued.stderr}\n${workerLog}`).toBe(0);
      for (const t of ["S000", "S001", "S002", "S003"])
        expect(queued.stdout).toContain(`features ${t}: done on `);
      // Then models, and backtests of tickers that have a model but no predictions yet: the submitter finds them
      // by the bucket's `models/<T>/<model>.json` keys, as a local backtest finds them in the folder.
      for (const stage of [
        ["train", "--model", "ols"],
        ["backtest", "--no-chart"],
      ]) {
        const run = await tsml(["--workspace", workspace, ...stage, "--queue", redisUrl], "submitter");
        expect(run.code, `${run.stderr}\n${workerLog}`).toBe(0);
        for (const t of ["S000", "S001", "S002", "S003"])
          expect(run.stdout).toContain(`${stage[0]} ${t}: done on `);
      }
    } finally {
      worker.kill("SIGTERM");
      await new Promise((done) => worker.once("close", done));
    }
    printed.push(workerLog);
    const keys = [...(await listing("queued")).keys()].filter((k) => k.startsWith("features/")).sort();
    expect(keys).toEqual(["S000", "S001", "S002", "S003"].map((t) => `features/${t}.parquet`));
    const backtests = [...(await listing("queued")).keys()]
      .filter((k) => /^backtests\/S\d+\.parquet$/.test(k))
      .sort();
    expect(backtests).toEqual(["S000", "S001", "S002", "S003"].map((t) => `backtests/${t}.parquet`));
    // Each job's features as one process on a plain folder computed them (the shards case above made those).
    for (const t of ["S000", "S001", "S002", "S003"]) {
      const copy = join(dir, `queued-${t}.parquet`);
      writeFileSync(copy, await objectBytes(`queued/features/${t}.parquet`));
      const [want, got] = await Promise.all([
        parquetRows(join(dir, "local-shards", "features", `${t}.parquet`)),
        parquetRows(copy),
      ]);
      expect(got.rows, t).toEqual(want.rows);
    }
  }, 120_000);

  it("missing bucket, refused key and unreachable endpoint: one line, exit 2 or 4, a stack only with --verbose", async () => {
    const missing = await tsml(["--workspace", "s3://no-such-bucket/ws", "ls"], "e");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^tsml: S3 bucket "no-such-bucket" does not exist/);
    const unreachable = await tsml(["--workspace", `s3://${BUCKET}/ws`, "ls"], "e", {
      TSML_S3_ENDPOINT: "http://127.0.0.1:9",
    });
    expect(unreachable.code).toBe(4);
    expect(unreachable.stderr).toMatch(
      /^tsml: S3 list in s3:\/\/tsml-e2e: cannot reach http:\/\/127\.0\.0\.1:9/,
    );
    for (const r of [missing, unreachable]) {
      expect(r.stderr.trim().split("\n")).toHaveLength(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    // An unknown key id, with --verbose: the stack is shown, the key id (a registered secret) is not.
    const refused = await tsml(["--workspace", `s3://${BUCKET}/ws`, "--verbose", "ls"], "e", {
      AWS_ACCESS_KEY_ID: "AKIAUNKNOWNKEY0002",
    });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(
      /^tsml: S3 list in s3:\/\/tsml-e2e was refused \(InvalidAccessKeyId, HTTP 403\)/m,
    );
    expect(refused.stderr).toMatch(/\n\s+at /);
    expect(refused.stderr).not.toContain("AKIAUNKNOWNKEY0002");
  }, 60_000);

  it("the credentials are nowhere: not in output, caches, run records, provenance or the bucket", () => {
    const haystack: string[] = [...printed];
    const scan = (folder: string) => {
      for (const path of filesUnder(folder))
        haystack.push(readFileSync(join(folder, path)).toString("latin1"));
    };
    for (const name of readdirSync(dir)) if (name.startsWith("cache-")) scan(join(dir, name));
    // s3rver keeps each object as a file beside its metadata (headers included).
    scan(join(dir, "s3rver"));
    expect(haystack.length).toBeGreaterThan(20);
    for (const secret of [KEY_ID, SECRET, encodeURIComponent(SECRET), "AKIAUNKNOWNKEY0002"]) {
      expect(haystack.filter((text) => text.includes(secret))).toEqual([]);
    }
  });
});

// What two runs of the same work must share exactly, whatever split it (one process, shards, queue workers):
// a Parquet artifact's rows and tsml details, a model's fitted state and measurements, a backtest's or an
// evaluation's metrics. Provenance (command line, paths, when) and timings may differ, and so may a model id's
// file hash (the model file holds its provenance).

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { expect } from "vitest";
import { TSML_BIN } from "./run-cli.js";

/** The CLI as a child process, asynchronously, so shards and workers run side by side. */
export function tsmlAsync(args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [TSML_BIN, ...args], {
      env: { ...process.env, TZ: "UTC", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

/**
 * Runs each stage in one process (`shards` 0) or as `shards` processes at once (`--shard i/N`) on one workspace,
 * stage after stage, and expects every process to exit 0.
 * @example await runStagesSharded(ws, [["features"], ["train", "--model", "rf"]], 2, ["--seed", "11"])
 */
export async function runStagesSharded(
  ws: string,
  stages: readonly string[][],
  shards: number,
  globals: readonly string[] = [],
): Promise<void> {
  for (const stage of stages) {
    const runs = await Promise.all(
      Array.from({ length: Math.max(shards, 1) }, (_, i) =>
        tsmlAsync([
          "--workspace",
          ws,
          "--quiet",
          ...globals,
          ...stage,
          ...(shards > 0 ? ["--shard", `${i}/${shards}`] : []),
        ]),
      ),
    );
    for (const r of runs)
      expect(r.code, `${stage.join(" ")} over ${shards} shards: ${r.stderr.slice(-2_000)}`).toBe(0);
  }
}

/**
 * A model id is `SPX/rf@<sha256 of the model file>`, and the file holds its provenance (when it was written):
 * the hash is the one part of a prediction that differs between two identical trainings.
 */
export function withoutFileHashes<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/@[0-9a-f]{12}\b/g, "@<model file sha256>")) as T;
}

let shared: Promise<DuckDBConnection> | null = null;

/** A Parquet artifact's rows (every value, as JSON) and its tsml details. */
export async function parquetFacts(path: string): Promise<{ rows: unknown[]; details: unknown }> {
  shared ??= DuckDBInstance.create(":memory:").then((instance) => instance.connect());
  const connection = await shared;
  const quoted = `'${path.replaceAll("'", "''")}'`;
  const rows = (await connection.runAndReadAll(`SELECT * FROM read_parquet(${quoted})`)).getRowObjectsJson();
  const kv = (
    await connection.runAndReadAll(
      `SELECT decode(value) AS v FROM parquet_kv_metadata(${quoted}) WHERE decode(key) = 'tsml'`,
    )
  ).getRowObjectsJson();
  const meta = JSON.parse(String(kv[0]?.v ?? "{}")) as { kind?: string; details?: unknown };
  return withoutFileHashes({ rows, details: { kind: meta.kind, details: meta.details } });
}

/** What must not depend on how the work was split: a model's fitted state and measurements. */
export function modelFacts(path: string) {
  const body = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const cv = body.cv as Record<string, unknown>;
  return {
    ...Object.fromEntries(
      [
        "model",
        "ticker",
        "params",
        "state",
        "features",
        "scaler",
        "target",
        "training",
        "test",
        "metrics",
        "importance",
      ].map((k) => [k, body[k]]),
    ),
    cvResults: (cv.results as Record<string, unknown>[]).map(({ meanTestScore, params }) => ({
      meanTestScore,
      params,
    })),
  };
}

/** A metrics JSON (backtests/T.metrics.json, metrics/T.json) without its provenance. */
export function metricsFacts(path: string) {
  const body = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  return withoutFileHashes({ metrics: body.metrics, ticker: body.ticker, modelId: body.modelId });
}

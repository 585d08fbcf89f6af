import { mkdtempSync, rmSync } from "node:fs";
import { request, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureProba, LOGISTIC, writeFixtureWorkspace } from "../../test/export-fixtures.js";
import { readJsonArtifact } from "../artifacts/json-artifact.js";
import { makeProvenance } from "../artifacts/provenance.js";
import { loadModel } from "../models/scoring/load-model.js";
import { createTsmlServer } from "./http-server.js";
import { addVersion } from "./registry-store.js";
import { createRegistryBackend } from "./serve-backend.js";

const TOKEN = "s3cret-token";
let dir: string;
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tsml-serve-"));
  const fx = await writeFixtureWorkspace(dir);
  const model = readJsonArtifact(fx.paths.model, ["model"]);
  const p = await makeProvenance({ command: "test", options: {} });
  await addVersion(dir, "SPX_up", p, {
    source: { path: fx.paths.model, sha256: "" },
    tags: {
      ticker: "SPX",
      trend: "up",
      classifier: LOGISTIC,
      target: "up_down_1wk",
      horizon: 5,
      predictionWindowDays: 5,
      targetPct: 5,
      metrics: {
        positiveAccuracy: 0.7,
        negativeAccuracy: 0.6,
        overallScore: 0.65,
        accuracy: 0.66,
        precision: 0.64,
      },
      featureImportance: { f1: 0.05, f2: 0.02 },
      trainWindow: null,
      dataFingerprint: "",
    },
    model,
  });
  const backend = createRegistryBackend(dir, loadModel);
  await backend.reload();
  const server = createTsmlServer(backend, { token: TOKEN, bodyLimit: 4096 });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((r) => server.close(() => r()));
});
afterAll(async () => {
  await close();
  rmSync(dir, { recursive: true, force: true });
});

interface Res {
  status: number;
  body: Record<string, unknown> & unknown[];
}

function call(
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method, headers: { authorization: `Bearer ${TOKEN}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
        });
      },
    );
    req.on("error", reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

describe("tsml serve HTTP API", () => {
  it("GET /healthz and GET /models with seed 001's schema", async () => {
    expect((await call("GET", "/healthz")).body).toMatchObject({ status: "ok", models: 1 });
    const models = await call("GET", "/models");
    expect(models.status).toBe(200);
    expect(models.body[0]).toMatchObject({
      symbol: "SPX",
      trend_type: "up",
      feature_importance: { f1: 0.05, f2: 0.02 },
      performance_metrics: {
        positive_accuracy: 0.7,
        negative_accuracy: 0.6,
        overall_score: 0.65,
        accuracy: 0.66,
        precision: 0.64,
      },
      target_pct: 5,
      prediction_window_days: 5,
    });
  });

  it("GET /prediction predicts on the latest features and 404s for unknown models", async () => {
    const ok = await call("GET", "/prediction?symbol=SPX&trend_type=uptrend");
    expect(ok.status).toBe(200);
    const n = 249;
    expect(ok.body.prediction_probabilities).toBeCloseTo(fixtureProba(Math.sin(n / 7), Math.cos(n / 11)), 10);
    expect(ok.body.date).toBe("2020-09-06");
    // seed 001's TrendType values, whichever spelling was asked for.
    expect(ok.body.trend_type).toBe("uptrend");
    expect((await call("GET", "/prediction?symbol=SPX&trend_type=up")).body.trend_type).toBe("uptrend");
    const missing = await call("GET", "/prediction?symbol=BTC&trend_type=up");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatch(/BTC/);
    expect((await call("GET", "/prediction?symbol=SPX")).body).toMatchObject({ field: "trend_type" });
    expect((await call("GET", "/prediction?symbol=SPX&trend_type=sideways")).status).toBe(400);
  });

  it("POST /predict returns the model's probabilities", async () => {
    const rows = [
      { f1: 0.5, f2: -1 },
      { f1: -2, f2: 3 },
    ];
    const res = await call("POST", "/predict", JSON.stringify({ model: "SPX_up", rows }));
    expect(res.status).toBe(200);
    const preds = res.body.predictions as { pred: number; proba: number }[];
    expect(preds[0].proba).toBeCloseTo(fixtureProba(0.5, -1), 12);
    expect(preds[1].proba).toBeCloseTo(fixtureProba(-2, 3), 12);
    expect(preds.map((p) => p.pred)).toEqual([1, 0]);
    const single = await call(
      "POST",
      "/predict",
      JSON.stringify({ symbol: "SPX", trend_type: "up", row: { f1: 0, f2: 0 } }),
    );
    expect((single.body.predictions as { proba: number }[])[0].proba).toBeCloseTo(fixtureProba(0, 0), 12);
  });

  it("answers 400 naming the bad field", async () => {
    const bad = async (body: string) => (await call("POST", "/predict", body)).body;
    expect(await bad("{not json")).toMatchObject({ field: "body" });
    expect(await bad("[1,2]")).toMatchObject({ field: "body" });
    expect(await bad(JSON.stringify({ model: 3, rows: [] }))).toMatchObject({ field: "model" });
    expect(await bad(JSON.stringify({ model: "SPX_up", rows: "x" }))).toMatchObject({ field: "rows" });
    expect(await bad(JSON.stringify({ model: "SPX_up", rows: [] }))).toMatchObject({ field: "rows" });
    expect(
      await bad(
        JSON.stringify({
          model: "SPX_up",
          rows: [
            { f1: 1, f2: 2 },
            { f1: "1", f2: 2 },
          ],
        }),
      ),
    ).toMatchObject({
      field: "rows[1].f1",
    });
    expect(await bad(JSON.stringify({ model: "SPX_up", rows: [{ f1: 1 }] }))).toMatchObject({
      field: "rows[0].f2",
    });
    expect(await bad(JSON.stringify({ model: "SPX_up", rows: [null] }))).toMatchObject({ field: "rows[0]" });
    expect((await call("POST", "/predict", JSON.stringify({ model: "nope", rows: [{}] }))).status).toBe(404);
  });

  it("refuses missing or wrong tokens, huge bodies, wrong methods and unknown routes", async () => {
    expect((await call("GET", "/models", undefined, { authorization: "" })).status).toBe(401);
    expect((await call("GET", "/models", undefined, { authorization: "Bearer wrong-token!" })).status).toBe(
      401,
    );
    expect((await call("GET", "/models", undefined, { authorization: "Basic abc" })).status).toBe(401);
    const huge = Buffer.alloc(64 * 1024, 32);
    expect((await call("POST", "/predict", huge)).status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${base}/predict`,
        { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "transfer-encoding": "chunked" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      for (let i = 0; i < 8; i++) req.write(Buffer.alloc(1024, 32));
      req.end();
    });
    expect(chunked).toBe(413);
    expect((await call("DELETE", "/models")).status).toBe(405);
    expect((await call("GET", "/nope")).status).toBe(404);
    expect((await call("GET", "/healthz")).status).toBe(200);
  });

  it("answers malformed HTTP with 400 on that socket and keeps serving", async () => {
    const port = Number(new URL(base).port);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => socket.write("GARBAGE \x01\x02 nonsense\r\n\r\n"));
      let text = "";
      socket.on("data", (d) => {
        text += d;
      });
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(reply).toMatch(/^HTTP\/1.1 400/);
    expect(reply).toContain('{"error":"malformed HTTP request"}');
    expect((await call("GET", "/healthz")).status).toBe(200);
  });
});

describe("tsml serve HTTP limits against hostile clients", () => {
  const TIMEOUT = 600;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    const backend = createRegistryBackend(dir, loadModel);
    await backend.reload();
    server = createTsmlServer(backend, {
      token: null,
      bodyLimit: 4096,
      requestTimeoutMs: TIMEOUT,
      keepAliveMs: 300,
      bodyBudget: 4096,
      bodyAllowance: 100,
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const connections = () =>
    new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))));

  /** A raw client that never half-closes its side: only the server can end the connection. */
  function rawClient() {
    const socket = connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    let text = "";
    socket.on("data", (d) => {
      text += d;
    });
    const ended = new Promise<number>((resolve) => {
      const t0 = performance.now();
      socket.on("end", () => resolve(performance.now() - t0));
      socket.on("error", () => resolve(performance.now() - t0));
    });
    return { socket, ended, text: () => text };
  }

  it("destroys a slowloris socket (headers dripped) with a 408 once the request timeout passes", async () => {
    const client = rawClient();
    client.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    const drip = setInterval(() => client.socket.writable && client.socket.write("X-a: b\r\n"), 100);
    const took = await client.ended;
    clearInterval(drip);
    expect(client.text()).toMatch(/^HTTP\/1.1 408 Request Timeout/);
    expect(took).toBeGreaterThan(TIMEOUT * 0.8);
    expect(took).toBeLessThan(TIMEOUT + 1_500);
    // Destroyed, not half-closed: the server holds nothing although the client never sent its FIN.
    await new Promise((r) => setTimeout(r, 50));
    expect(await connections()).toBe(0);
    client.socket.destroy();
  });

  it("destroys a client that sends headers and then only part of its body", async () => {
    const client = rawClient();
    client.socket.write('POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"model"');
    const took = await client.ended;
    expect(client.text()).toMatch(/^HTTP\/1.1 408/);
    expect(took).toBeLessThan(TIMEOUT + 1_500);
    await new Promise((r) => setTimeout(r, 50));
    expect(await connections()).toBe(0);
    client.socket.destroy();
  });

  it("closes an idle keep-alive connection after the keep-alive time", async () => {
    const client = rawClient();
    client.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    const took = await client.ended;
    expect(client.text()).toMatch(/^HTTP\/1.1 200/);
    expect(took).toBeLessThan(300 + 1_000 + 500);
    await new Promise((r) => setTimeout(r, 50));
    expect(await connections()).toBe(0);
    client.socket.destroy();
  });

  /** Milliseconds until the first reply bytes arrive on a raw client. */
  const firstData = (socket: ReturnType<typeof connect>) =>
    new Promise<number>((resolve) => {
      const t0 = performance.now();
      socket.once("data", () => resolve(performance.now() - t0));
    });

  it("refuses an oversized Content-Length with 413 before reading the body, then cuts a client that goes on", async () => {
    const client = rawClient();
    const replied = firstData(client.socket);
    client.socket.write("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\n\r\n");
    expect(await replied).toBeLessThan(200);
    expect(client.text()).toMatch(/^HTTP\/1.1 413/);
    expect(client.text()).toContain("10000000000 bytes is over the 4096-byte limit");
    // It keeps uploading: at most 64 KiB more are read and dropped before the socket is destroyed.
    const chunk = Buffer.alloc(16 * 1024, 32);
    const pump = setInterval(() => client.socket.writable && client.socket.write(chunk), 5);
    const took = await client.ended;
    clearInterval(pump);
    expect(took).toBeLessThan(1_500);
    await new Promise((r) => setTimeout(r, 50));
    expect(await connections()).toBe(0);
    client.socket.destroy();
  });

  it("answers Expect: 100-continue for an oversized body with 413 instead of 100", async () => {
    const client = rawClient();
    client.socket.write(
      "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n",
    );
    const took = await client.ended;
    expect(client.text()).toMatch(/^HTTP\/1.1 413/);
    expect(took).toBeLessThan(300);
    client.socket.destroy();
  });

  it("reads no more of a body nobody wants than the discard bound, and keeps a finished one's connection", async () => {
    const client = rawClient();
    client.socket.write("POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
    await new Promise((r) => setTimeout(r, 100));
    expect(client.text()).toMatch(/^HTTP\/1.1 404/);
    // The body was complete, so the connection is still good for the next request.
    client.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    await new Promise((r) => setTimeout(r, 100));
    expect(client.text()).toMatch(/HTTP\/1.1 200 OK/);
    client.socket.destroy();
  });

  it("pauses a body while the server-wide budget is spent, and finishes it once there is room", async () => {
    // The holder's 3,900 bytes (3,800 charged past the 100-byte allowance) fill most of the 4,096-byte budget.
    const holder = rawClient();
    holder.socket.write("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 4000\r\n\r\n");
    const row = JSON.stringify({ model: "SPX_up", row: { f1: 0, f2: 0 } });
    const padded = row.padEnd(4000, " ");
    holder.socket.write(padded.slice(0, 3900));
    await new Promise((r) => setTimeout(r, 100));
    const second = rawClient();
    const small = row.padEnd(500, " ");
    second.socket.write(
      `POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: ${small.length}\r\n\r\n${small}`,
    );
    await new Promise((r) => setTimeout(r, 150));
    expect(second.text()).toBe(""); // waiting for room, not refused
    holder.socket.write(padded.slice(3900));
    await new Promise((r) => setTimeout(r, 150));
    expect(holder.text()).toMatch(/^HTTP\/1.1 200/);
    expect(second.text()).toMatch(/^HTTP\/1.1 200/);
    holder.socket.destroy();
    second.socket.destroy();
    // A body under the allowance never waits, whatever the budget holds.
    const res = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port, method: "POST", path: "/predict", agent: false },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end(row);
    });
    expect(res).toBe(200);
  });
});

// `tsml serve`: the registry's current models over HTTP until SIGTERM/SIGINT, then a graceful shutdown.

import type { AddressInfo } from "node:net";
import { UsageError } from "../core/errors.js";
import { durationFlag, integerFlag } from "../core/flags.js";
import { createTsmlServer, DEFAULT_BODY_LIMIT, DEFAULT_REQUEST_TIMEOUT_MS } from "../export/http-server.js";
import { createRegistryBackend } from "../export/serve-backend.js";
import { loadModel } from "../models/scoring/load-model.js";
import { cachedLiveFeatures } from "./support/live-features.js";
import type { RunContext } from "./support/run-context.js";

export interface ServeOptions {
  host?: string;
  port?: string;
  token?: string;
  bodyLimit?: string;
  requestTimeout?: string;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
/** How long in-flight requests get to finish after SIGTERM before connections are cut. */
const GRACE_MS = 5_000;
/**
 * Pending-connection queue (the kernel caps it at net.core.somaxconn). Node's default of 511 drops SYNs when
 * ~1,000 clients connect at once, and each dropped SYN costs the client a 1 s, 3 s, ... retransmit.
 */
const BACKLOG = 4_096;

export async function serveCommand(options: ServeOptions, ctx: RunContext) {
  const host = options.host ?? "127.0.0.1";
  const port = integerFlag(options.port, "--port", { min: 0, max: 65535, fallback: 8000 });
  const bodyLimit = integerFlag(options.bodyLimit, "--body-limit", { min: 2, fallback: DEFAULT_BODY_LIMIT });
  const requestTimeoutMs = durationFlag(options.requestTimeout, "--request-timeout", {
    unit: "ms",
    min: 100,
    fallback: DEFAULT_REQUEST_TIMEOUT_MS,
  });
  const token = options.token ?? process.env.TSML_TOKEN ?? null;
  if (token !== null && token.length < 8) throw new UsageError("--token must be at least 8 characters");
  if (!LOOPBACK.has(host) && token === null)
    ctx.log.warn(`serving on ${host} without --token: anyone who can reach this address can use it`);
  // A broken registry entry is logged here once and excluded; it never stops the server from starting.
  const backend = createRegistryBackend(ctx.workspace, loadModel, {
    report: (line) => ctx.log.warn(line),
    // GET /prediction scores the newest bar's features, not the last row whose label is already known.
    liveFeatures: cachedLiveFeatures(ctx.workspace),
  });
  await backend.reload();
  const server = createTsmlServer(backend, {
    token,
    bodyLimit,
    requestTimeoutMs,
    onError: (error) => ctx.log.warn(`request failed: ${(error as Error)?.message ?? String(error)}`),
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new UsageError(
              `--port ${port}: address ${host}:${port} is already in use`,
              "choose another --port (0 picks a free one)",
            )
          : error,
      ),
    );
    server.listen({ port, host, backlog: BACKLOG }, resolve);
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const models = (await backend.models()).length;
  const excluded = backend.excluded().length;
  // The listening line goes to stdout even with --quiet: scripts and tests read the port from it.
  process.stdout.write(
    `tsml serve: listening on http://${shown}:${address.port} (${models} model${models === 1 ? "" : "s"}${excluded > 0 ? `, ${excluded} excluded` : ""})\n`,
  );
  const signal = await new Promise<string>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  ctx.log.info(`tsml serve: ${signal} received, finishing in-flight requests`);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), GRACE_MS);
  await closed;
  clearTimeout(force);
  ctx.log.info("tsml serve: stopped");
  return { host, port: address.port, stoppedBy: signal };
}

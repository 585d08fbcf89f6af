// `tsml serve`'s HTTP layer on node:http: routing, Bearer auth, body size limit and JSON errors. Every
// failure becomes a JSON response; nothing a client sends can throw out of a handler and stop the server.

import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** A response to send: status and a JSON-serialisable body. */
export interface Reply {
  status: number;
  body: unknown;
}

/** What the server asks of the model side (see serve-backend.ts). */
export interface ServeBackend {
  models(): Promise<unknown[]>;
  prediction(symbol: string, trend: string): Promise<Reply>;
  predict(body: unknown): Promise<Reply>;
  health(): Promise<Record<string, unknown>>;
}

export interface ServerOptions {
  /** Required Bearer token; null means no auth (loopback use). */
  token: string | null;
  /** Largest accepted request body in bytes. */
  bodyLimit: number;
  onError?: (error: unknown) => void;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Error body shape used everywhere: {"error": message, "field"?: name}. */
export function errorReply(status: number, error: string, field?: string): Reply {
  return { status, body: field ? { error, field } : { error } };
}

function send(res: ServerResponse, reply: Reply, close = false): void {
  if (res.headersSent) return;
  const text = JSON.stringify(reply.body);
  const headers: Record<string, string | number> = {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  };
  if (close) headers.connection = "close";
  if (reply.status === 401) headers["www-authenticate"] = 'Bearer realm="tsml"';
  res.writeHead(reply.status, headers);
  res.end(text);
}

function authorised(req: IncomingMessage, token: string | null): boolean {
  if (token === null) return true;
  const header = req.headers.authorization ?? "";
  const m = /^Bearer\s+(.+)$/i.exec(header);
  if (!m) return false;
  const given = Buffer.from(m[1].trim());
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** Reads the body up to `limit` bytes; resolves null (after replying 413) when it is larger. */
function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<string | null> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    send(res, errorReply(413, `request body of ${declared} bytes is over the ${limit}-byte limit`), true);
    req.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        send(res, errorReply(413, `request body is over the ${limit}-byte limit`), true);
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!refused) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  backend: ServeBackend,
  options: ServerOptions,
) {
  if (!authorised(req, options.token)) {
    req.resume();
    return send(res, errorReply(401, "missing or wrong bearer token (send Authorization: Bearer <token>)"));
  }
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = req.method ?? "GET";
  const allow = (methods: string) => {
    if (methods.split(",").includes(method)) return true;
    req.resume();
    send(res, errorReply(405, `${method} is not allowed on ${path} (use ${methods})`));
    return false;
  };
  if (path === "/healthz") {
    if (allow("GET,HEAD")) send(res, { status: 200, body: { status: "ok", ...(await backend.health()) } });
    return;
  }
  if (path === "/models") {
    if (allow("GET")) send(res, { status: 200, body: await backend.models() });
    return;
  }
  if (path === "/prediction") {
    if (!allow("GET")) return;
    const symbol = url.searchParams.get("symbol");
    const trend = url.searchParams.get("trend_type");
    if (!symbol) return send(res, errorReply(400, "query parameter symbol is required", "symbol"));
    if (!trend) return send(res, errorReply(400, "query parameter trend_type is required", "trend_type"));
    return send(res, await backend.prediction(symbol, trend));
  }
  if (path === "/predict") {
    if (!allow("POST")) return;
    const text = await readBody(req, res, options.bodyLimit);
    if (text === null) return;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      return send(res, errorReply(400, `body is not valid JSON (${(error as Error).message})`, "body"));
    }
    return send(res, await backend.predict(body));
  }
  req.resume();
  send(
    res,
    errorReply(
      404,
      `no route ${method} ${path} (routes: GET /models, GET /prediction, POST /predict, GET /healthz)`,
    ),
  );
}

/**
 * A server ready to `listen`. Handler failures answer 500 and are reported through `onError`.
 * @example
 * createTsmlServer(backend, { token: null, bodyLimit: DEFAULT_BODY_LIMIT }).listen(8000, "127.0.0.1");
 */
export function createTsmlServer(backend: ServeBackend, options: ServerOptions): Server {
  const server = createServer((req, res) => {
    route(req, res, backend, options).catch((error: unknown) => {
      options.onError?.(error);
      send(res, errorReply(500, `internal error: ${(error as Error)?.message ?? String(error)}`));
    });
  });
  // Unparseable HTTP (bad request lines, oversized headers) gets a 400 on that socket only.
  server.on("clientError", (_error, socket) => {
    const body = '{"error":"malformed HTTP request"}';
    if (socket.writable)
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
      );
    else socket.destroy();
  });
  server.keepAliveTimeout = 10_000;
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  return server;
}

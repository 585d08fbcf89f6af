// `tsml serve`'s HTTP layer on node:http: routing, Bearer auth, body limits, timeouts and JSON errors. Every
// failure becomes a JSON response; nothing a client sends can throw out of a handler and stop the server, and
// no client can hold a socket or request memory for longer or larger than the limits below.

import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { BodyBudget } from "./body-budget.js";

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
  /**
   * Milliseconds a client gets to send one whole request (headers and body); also how long a response may
   * sit unread. Past it the socket is destroyed (a 408 is sent first when nothing else was).
   */
  requestTimeoutMs?: number;
  /** Milliseconds an idle keep-alive connection is kept. */
  keepAliveMs?: number;
  /**
   * Body bytes admitted at once across all connections beyond each body's first `bodyAllowance` bytes; a body
   * that does not fit waits, unread, for its turn (see body-budget.ts).
   */
  bodyBudget?: number;
  /** Bytes of each body not charged to `bodyBudget`, so small requests never wait for big ones. */
  bodyAllowance?: number;
  onError?: (error: unknown) => void;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_KEEP_ALIVE_MS = 5_000;
/**
 * 16 MiB of bodies past their first 64 KiB. Without it, 300 connections that each sent all but the last byte of
 * a 1 MiB body held ~280 MiB of server memory (measured: RSS 125 -> 408 MiB); with it, 115 -> 151 MiB, the rest
 * waiting unread in kernel buffers.
 */
const DEFAULT_BODY_BUDGET = 16 * 1024 * 1024;
const DEFAULT_BODY_ALLOWANCE = 64 * 1024;

/** Error body shape used everywhere: {"error": message, "field"?: name}. */
export function errorReply(status: number, error: string, field?: string): Reply {
  return { status, body: field ? { error, field } : { error } };
}

/** Whether the request announced a body (Content-Length above 0, or chunked). */
function declaresBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return (length !== undefined && length !== "0") || req.headers["transfer-encoding"] !== undefined;
}

/**
 * How long, and how much, of an unwanted body is read and dropped after the reply. Closing at once resets the
 * connection, and a client still uploading then fails (EPIPE, ECONNRESET) before it reads the reply; draining
 * without a bound would let a client stream forever. Nothing read here is kept.
 */
const DISCARD_MS = 1_000;
const DISCARD_BYTES = 16 * 1024 * 1024;

/**
 * Drops the rest of a body nobody will read, then calls `done`; a client that goes past the bounds has its
 * socket destroyed instead.
 */
function discardRest(req: IncomingMessage, done: () => void): void {
  let seen = 0;
  const timer = setTimeout(() => req.socket.destroy(), DISCARD_MS);
  timer.unref();
  req.on("data", (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > DISCARD_BYTES) {
      clearTimeout(timer);
      req.socket.destroy();
    }
  });
  req.on("end", () => {
    clearTimeout(timer);
    done();
  });
  req.on("close", () => clearTimeout(timer));
  req.resume();
}

/**
 * Sends a JSON reply. When the request body was not (fully) read, the reply is written at once but ended only
 * once the rest of the body is discarded: node closes a `connection: close` socket as soon as the reply ends,
 * which would reset a client still uploading before it read the reply.
 */
function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) return;
  const text = writeHead(res, reply);
  const req = res.req;
  if (declaresBody(req) && !req.complete && !req.destroyed) {
    res.write(text);
    discardRest(req, () => res.end());
  } else res.end(text);
}

/** Writes status and headers for a JSON reply; returns the body text to send. */
function writeHead(res: ServerResponse, reply: Reply): string {
  const text = JSON.stringify(reply.body);
  const headers: Record<string, string | number> = {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  };
  if (reply.status === 401) headers["www-authenticate"] = 'Bearer realm="tsml"';
  res.writeHead(reply.status, headers);
  return text;
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

/**
 * Reads the body up to `limit` bytes; resolves null (after replying 413) when it is larger, or when the client
 * goes away. A declared Content-Length over the limit is refused before a byte is read; a chunked body is refused
 * the moment it passes the limit. Either way no more of it is kept (see discardRest for what is still read).
 * Memory grows with the bytes received, never with the length a client merely declares. A body larger than the
 * budget's allowance first waits, unread, until the server-wide budget admits it (bounded by the request timeout).
 */
async function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  budget: BodyBudget,
): Promise<string | null> {
  const header = req.headers["content-length"];
  const declared = header === undefined ? null : Number(header);
  if (declared !== null && declared > limit) {
    send(res, errorReply(413, `request body of ${declared} bytes is over the ${limit}-byte limit`));
    return null;
  }
  const charge = Math.max(0, (declared ?? limit) - budget.allowance);
  const ticket = budget.acquire(charge);
  const gone = new Promise<"gone">((resolve) => req.once("close", () => resolve("gone")));
  if ((await Promise.race([ticket.admitted, gone])) === "gone") {
    ticket.cancel();
    // Admitted in the same turn as the close: give the bytes straight back.
    ticket.admitted.then(() => budget.release(charge));
    return null;
  }
  try {
    return await new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (value: string | null) => {
        req.removeListener("data", onData);
        req.removeListener("end", onEnd);
        req.removeListener("close", onClose);
        resolve(value);
      };
      const onData = (chunk: Buffer) => {
        if (size + chunk.length > limit) {
          send(res, errorReply(413, `request body is over the ${limit}-byte limit`));
          return finish(null);
        }
        chunks.push(chunk);
        size += chunk.length;
      };
      const onEnd = () => finish(Buffer.concat(chunks, size).toString("utf8"));
      // The client went away (or the socket was destroyed by a timeout): nothing to answer.
      const onClose = () => finish(null);
      if (req.destroyed) return finish(null);
      req.on("data", onData);
      req.on("end", onEnd);
      req.on("close", onClose);
    });
  } finally {
    budget.release(charge);
  }
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  backend: ServeBackend,
  options: ServerOptions,
  budget: BodyBudget,
) {
  if (!authorised(req, options.token)) {
    return send(res, errorReply(401, "missing or wrong bearer token (send Authorization: Bearer <token>)"));
  }
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = req.method ?? "GET";
  const allow = (methods: string) => {
    if (methods.split(",").includes(method)) return true;
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
    const text = await readBody(req, res, options.bodyLimit, budget);
    if (text === null) return;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      return send(res, errorReply(400, `body is not valid JSON (${(error as Error).message})`, "body"));
    }
    return send(res, await backend.predict(body));
  }
  send(
    res,
    errorReply(
      404,
      `no route ${method} ${path} (routes: GET /models, GET /prediction, POST /predict, GET /healthz)`,
    ),
  );
}

/** The raw reply for a request that never became one (bad HTTP, timeout), then the socket is destroyed. */
function refuseSocket(error: NodeJS.ErrnoException, socket: Socket): void {
  // A response already under way cannot get a second status line; a reset peer cannot get anything.
  const busy = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (socket.writable && !busy && error.code !== "ECONNRESET") {
    const [status, text, message] =
      error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "request not received in time"]
        : error.code === "HPE_HEADER_OVERFLOW"
          ? [431, "Request Header Fields Too Large", "request headers too large"]
          : [400, "Bad Request", "malformed HTTP request"];
    const body = JSON.stringify({ error: message });
    socket.write(
      `HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  // destroy(), not end(): node:http sockets allow half-open connections, so end() would leave the socket
  // (and its file descriptor) waiting for the client's FIN for as long as the client likes.
  socket.destroy();
}

/**
 * A server ready to `listen`. Handler failures answer 500 and are reported through `onError`.
 * @example
 * createTsmlServer(backend, { token: null, bodyLimit: DEFAULT_BODY_LIMIT }).listen(8000, "127.0.0.1");
 */
export function createTsmlServer(backend: ServeBackend, options: ServerOptions): Server {
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const budget = new BodyBudget(
    Math.max(options.bodyBudget ?? DEFAULT_BODY_BUDGET, options.bodyLimit),
    options.bodyAllowance ?? DEFAULT_BODY_ALLOWANCE,
  );
  const checkEvery = Math.max(100, Math.min(1_000, Math.floor(requestTimeout / 4)));
  const server = createServer(
    {
      // Headers and the whole request must arrive within the timeout; node checks every
      // connectionsCheckingInterval (30 s by default, which would let a slow client stay 3x longer).
      headersTimeout: requestTimeout,
      requestTimeout,
      connectionsCheckingInterval: checkEvery,
      keepAliveTimeout: options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
    },
    (req, res) => {
      route(req, res, backend, options, budget).catch((error: unknown) => {
        options.onError?.(error);
        send(res, errorReply(500, `internal error: ${(error as Error)?.message ?? String(error)}`));
      });
    },
  );
  server.on("clientError", refuseSocket);
  // `Expect: 100-continue` (curl sends it for large bodies): an oversized body is refused before it is sent.
  server.on("checkContinue", (req, res) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > options.bodyLimit) {
      // The client waits for a 100 that never comes; close after the reply rather than wait for a body.
      res.shouldKeepAlive = false;
      const reply = errorReply(
        413,
        `request body of ${declared} bytes is over the ${options.bodyLimit}-byte limit`,
      );
      return void res.end(writeHead(res, reply));
    }
    res.writeContinue();
    server.emit("request", req, res);
  });
  // A client that stops reading its response is cut after as long: without a 'timeout' listener node destroys
  // the socket. It is set a little later than the request timeout, so that a client silent mid-request gets
  // the 408 from the request-timeout check first.
  server.setTimeout(requestTimeout + 2 * checkEvery);
  return server;
}

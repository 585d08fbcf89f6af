// On-disk cache of raw response bodies, keyed by the request URL without secrets (so the API key never
// appears in a file name or changes the key); bodies are redacted before they are saved (a server that echoes
// the key must not leave it on disk); files are written atomically.

import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../core/atomic-file.js";
import { sha256 } from "../../core/fingerprint.js";
import { redact } from "../../core/redact.js";
import { urlWithoutSecrets } from "./redact-url.js";

export interface CachedBody {
  body: string;
  path: string;
  savedAt: number;
}

/**
 * @example
 * const cache = new ResponseCache("ws/cache/alphavantage");
 * const hit = cache.get(url) ?? (await fetchAndPut());
 */
export class ResponseCache {
  constructor(readonly dir: string) {}

  /** The file for a URL: a readable prefix (function, symbol, date) plus a hash of the secret-free URL. */
  pathFor(url: string, label = ""): string {
    const key = urlWithoutSecrets(url);
    const safe = redact(label)
      .replace(/[^A-Za-z0-9._-]/g, "_")
      .slice(0, 80);
    return join(this.dir, `${safe ? `${safe}-` : ""}${sha256(key).slice(0, 16)}.body`);
  }

  /** The cached body, or null; `maxAgeMs` treats older entries as missing. */
  get(url: string, label = "", maxAgeMs = Number.POSITIVE_INFINITY): CachedBody | null {
    const path = this.pathFor(url, label);
    if (!existsSync(path)) return null;
    const savedAt = statSync(path).mtimeMs;
    if (Date.now() - savedAt > maxAgeMs) return null;
    return { body: readFileSync(path, "utf8"), path, savedAt };
  }

  async put(url: string, body: string, label = ""): Promise<string> {
    const path = this.pathFor(url, label);
    await writeFileAtomic(path, redact(body));
    return path;
  }
}

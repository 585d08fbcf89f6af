// Removes secrets (api keys, tokens, passwords) from URLs before they reach a message, a log or a cache key.

import { redact } from "../../core/redact.js";

const SECRET_PARAMS = /^(apikey|api_key|key|token|access_token|password|secret)$/i;

/** The URL with secret query parameters and userinfo passwords replaced by "***". */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    for (const name of [...parsed.searchParams.keys()]) {
      if (SECRET_PARAMS.test(name)) parsed.searchParams.set(name, "***");
    }
    return redact(parsed.toString().replaceAll("%2A%2A%2A", "***"));
  } catch {
    return redact(url);
  }
}

/** The URL without secret query parameters (sorted), for cache keys that must not depend on the key. */
export function urlWithoutSecrets(url: string): string {
  const parsed = new URL(url);
  const kept = [...parsed.searchParams.entries()].filter(([name]) => !SECRET_PARAMS.test(name));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  parsed.search = new URLSearchParams(kept).toString();
  parsed.username = "";
  parsed.password = "";
  return parsed.toString();
}

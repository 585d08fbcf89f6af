// Alpha Vantage reports errors as HTTP 200 bodies keyed "Note", "Information" or "Error Message" (or `{}`):
// each becomes a SourceError (exit 4) with its own message and fix.

import { SourceError } from "../../core/errors.js";

/** What was asked, for the message ("TIME_SERIES_DAILY for IBM"). */
export interface AvRequestLabel {
  function: string;
  symbol: string;
}

/** True when a body is an error/limit answer (such bodies are never cached). */
export function isAvErrorBody(body: string): boolean {
  const head = body.trimStart().slice(0, 400);
  if (!head.startsWith("{")) return false;
  return /^\{\s*"(Note|Information|Error Message)"\s*:/.test(head) || /^\{\s*\}\s*$/.test(body.trim());
}

/**
 * Throws the matching SourceError when `json` is an error body; otherwise returns.
 * @example
 * checkAvBody(JSON.parse(body), { function: "TIME_SERIES_DAILY", symbol: "IBM" });
 */
export function checkAvBody(json: unknown, request: AvRequestLabel): void {
  const what = `${request.function} for ${request.symbol}`;
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new SourceError(`Alpha Vantage: unexpected response to ${what} (not a JSON object)`);
  }
  const body = json as Record<string, unknown>;
  const note = body.Note;
  const information = body.Information;
  const errorMessage = body["Error Message"];
  if (typeof note === "string") {
    throw new SourceError(
      `Alpha Vantage rate limit reached at ${what}: "${shorten(note)}"`,
      /day/i.test(note)
        ? "the per-minute limit resets within 60 s and the daily limit at midnight US/Eastern; retry in a minute with a lower --rate, or tomorrow"
        : "retry in about 60 s, or lower --rate",
    );
  }
  if (typeof information === "string") {
    if (/premium/i.test(information) && !/rate limit|call volume|requests per/i.test(information)) {
      throw new SourceError(
        `Alpha Vantage: ${request.function} is a premium endpoint for this API key (asked for ${request.symbol})`,
        "use --function daily (free) instead of daily-adjusted, or a premium key",
      );
    }
    if (/demo/i.test(information) && /api key/i.test(information)) {
      throw new SourceError(
        `Alpha Vantage refused the demo API key for ${what}`,
        "get a free key at https://www.alphavantage.co/support/#api-key and pass --api-key or ALPHAVANTAGE_API_KEY",
      );
    }
    throw new SourceError(
      `Alpha Vantage request limit reached at ${what}: "${shorten(information)}"`,
      /per day|daily/i.test(information)
        ? "the daily limit resets at midnight US/Eastern: retry tomorrow (cached responses are reused, so finished symbols are not fetched again)"
        : "retry in about 60 s, or lower --rate",
    );
  }
  if (typeof errorMessage === "string") {
    if (/apikey|api key/i.test(errorMessage)) {
      throw new SourceError(
        `Alpha Vantage rejected the API key for ${what}`,
        "pass a valid key with --api-key or ALPHAVANTAGE_API_KEY",
      );
    }
    throw new SourceError(
      `Alpha Vantage: invalid API call ${what}: "${shorten(errorMessage)}"`,
      `check that "${request.symbol}" is a valid symbol for ${request.function} (and --market for crypto)`,
    );
  }
  if (Object.keys(body).length === 0) {
    throw new SourceError(
      `Alpha Vantage returned an empty object for ${what}`,
      `the symbol "${request.symbol}" may be unknown or delisted; check it on alphavantage.co`,
    );
  }
}

function shorten(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

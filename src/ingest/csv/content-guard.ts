// Refuses files that are not CSV text before parsing: empty, binary, an HTML error page or a JSON API error.

import { DataError } from "../../core/errors.js";

/** Bytes inspected at the start of a file. */
export const HEAD_BYTES = 64 * 1024;

/**
 * Throws a DataError naming the file when its first bytes show it is not a CSV table.
 * @example
 * checkCsvHead("x.csv", Buffer.from("<!DOCTYPE html>...")) // throws: looks like an HTML page
 */
export function checkCsvHead(file: string, head: Uint8Array): void {
  const text = Buffer.from(head)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  const start = text.trimStart();
  if (start.length === 0) throw new DataError(`${file}: empty file`, "expected a CSV header line and rows");
  if (looksBinary(head)) {
    throw new DataError(
      `${file}: binary data, not CSV text`,
      "is this a zip/xlsx/parquet file? export it as CSV",
    );
  }
  if (/^<(!doctype|html|head|body|\?xml|!--)/i.test(start)) {
    const title = /<title>([^<]{0,80})/i.exec(text)?.[1]?.trim();
    throw new DataError(
      `${file}: looks like an HTML page${title ? ` ("${title}")` : ""}, not CSV`,
      "the download probably failed; fetch the file again",
    );
  }
  if (start[0] === "{" || start[0] === "[") {
    const apiMessage = /"(Error Message|Note|Information|error|message|stat)"\s*:\s*"([^"]{0,120})/.exec(
      start,
    );
    throw new DataError(
      `${file}: looks like a JSON document${apiMessage ? ` (${apiMessage[1]}: ${apiMessage[2]})` : ""}, not CSV`,
      "an API error saved as .csv? fetch the data again, or use tsml ingest alphavantage|twse for JSON",
    );
  }
}

/** NUL bytes, or many control bytes / invalid UTF-8 sequences, mean binary content. */
function looksBinary(head: Uint8Array): boolean {
  let suspicious = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) suspicious++;
  }
  const text = Buffer.from(head).toString("utf8");
  let replacement = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) replacement++;
  // The last few bytes may cut a multi-byte character in half; allow a little slack.
  return suspicious + Math.max(0, replacement - 3) > Math.max(8, head.length / 100);
}

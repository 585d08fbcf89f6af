// Number cells as real exports write them: plain, quoted with thousands separators ("16,460.89"), or a null token.

/** Cell texts that mean "no value" (Yahoo writes `null` for holidays; pandas writes NaN; Excel #N/A). */
const MISSING_TOKENS = new Set([
  "",
  "null",
  "NULL",
  "Null",
  "nan",
  "NaN",
  "NA",
  "N/A",
  "n/a",
  "#N/A",
  "None",
  "-",
  "--",
]);

/** True when a cell holds no value (empty, whitespace or a null token such as `null`). */
export function isMissingCell(text: string): boolean {
  return MISSING_TOKENS.has(text) || MISSING_TOKENS.has(text.trim());
}

// "1,234", "-16,460.89", "57,404,594": groups of three digits; anything else with a comma is not a number.
const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;
const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a numeric cell; NaN when it is missing or not a number (tell the two apart with `isMissingCell`).
 * `inf`/`Infinity` parse to Infinity so that the caller can reject them by name.
 * @example
 * parseNumberCell('16,460.89') // 16460.89
 * parseNumberCell(' 0.00')     // 0
 */
export function parseNumberCell(text: string): number {
  // Fast path: most cells are plain decimals that `+text` reads exactly. Zero (which "" and " " also give),
  // NaN, and a letter in second place ("0x10", "1e5", "Infinity") take the careful path below.
  const value = +text;
  if (value !== 0 && text.charCodeAt(1) < 65 && !Number.isNaN(value)) return value;
  const trimmed = text.trim();
  if (trimmed.length === 0) return Number.NaN;
  if (PLAIN.test(trimmed)) return +trimmed;
  if (THOUSANDS.test(trimmed)) return +trimmed.replaceAll(",", "");
  const lower = trimmed.toLowerCase().replace(/^[+]/, "");
  if (lower === "inf" || lower === "infinity") return Number.POSITIVE_INFINITY;
  if (lower === "-inf" || lower === "-infinity") return Number.NEGATIVE_INFINITY;
  return Number.NaN;
}

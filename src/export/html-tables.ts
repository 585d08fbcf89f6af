// HTML tables for the report: human headers ("Total return", not total_return), percentages for fraction
// metrics, plain text for objects (never raw JSON), and every table inside a scrolling wrapper so a wide one
// scrolls within the page instead of running off its right edge.

import { escapeXml as esc } from "./svg-scale.js";
import { humanLabel, metricText, plainHtml } from "./tearsheet/format.js";

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A cell value: a number by its metric name (total_return 0.321 -> "32.10%", others to 4 significant digits),
 * an undefined metric (NaN, or null as JSON writes it) as "n/a", an absent one as "–", objects as plain text.
 * @example cell(0.321, "total_return") // "32.10%"
 */
export function cell(value: unknown, name = ""): string {
  if (typeof value === "number" || value === null) return esc(metricText(name, value as number | null));
  return plainHtml(value);
}

/** A table in its scrolling wrapper (the wrapper, not the page, scrolls when the table is wider). */
export function wrapTable(inner: string, className = ""): string {
  return `<div class="table-wrap"><table${className ? ` class="${className}"` : ""}>${inner}</table></div>`;
}

/** Rows of objects as a table with the union of their keys as columns (headers in words). */
export function recordsTable(
  rows: readonly Loose[],
  options: { highlight?: (row: Loose) => boolean; labels?: Record<string, string> } = {},
): string {
  if (rows.length === 0) return '<p class="muted">none</p>';
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const head = columns.map((c) => `<th>${esc(options.labels?.[c] ?? humanLabel(c))}</th>`).join("");
  const body = rows
    .map((r) => {
      const cls = options.highlight?.(r) ? ' class="chosen"' : "";
      return `<tr${cls}>${columns.map((c) => `<td>${cell(r[c], c)}</td>`).join("")}</tr>`;
    })
    .join("");
  return wrapTable(`<thead><tr>${head}</tr></thead><tbody>${body}</tbody>`);
}

/** A key/value table (keys in words). */
export function factsTable(facts: Loose): string {
  const rows = Object.entries(facts)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><th>${esc(humanLabel(k))}</th><td>${cell(v, k)}</td></tr>`)
    .join("");
  return wrapTable(`<tbody>${rows}</tbody>`, "facts");
}

/**
 * Any metrics object: members that are objects of scalars become one grid (a row per metric, a column per
 * member: train, test), scalar members a key/value table, deeper nesting a titled table per member.
 */
export function metricsTables(value: unknown, depth = 0): string {
  if (!isObject(value)) return `<p>${cell(value)}</p>`;
  const entries = Object.entries(value);
  const scalars = Object.fromEntries(entries.filter(([, v]) => !isObject(v) && !Array.isArray(v)));
  const nested = entries.filter(([, v]) => isObject(v));
  const gridColumns = nested.filter(([, v]) =>
    Object.values(v as Loose).every((x) => !isObject(x) && !Array.isArray(x)),
  );
  let html = Object.keys(scalars).length > 0 ? factsTable(scalars) : "";
  if (gridColumns.length > 0) html += metricGrid(gridColumns as [string, Loose][]);
  for (const [k, v] of nested) {
    if (gridColumns.some(([g]) => g === k)) continue;
    if (depth >= 3) {
      html += `<p><b>${esc(humanLabel(k))}</b>: ${cell(v)}</p>`;
      continue;
    }
    html += `<h4>${esc(humanLabel(k))}</h4>${metricsTables(v, depth + 1)}`;
  }
  return html;
}

/** Metrics as rows, windows as columns. */
function metricGrid(columns: readonly [string, Loose][]): string {
  const names = [...new Set(columns.flatMap(([, v]) => Object.keys(v)))];
  const head = `<th>Metric</th>${columns.map(([k]) => `<th>${esc(humanLabel(k))}</th>`).join("")}`;
  const body = names
    .map(
      (n) =>
        `<tr><th>${esc(humanLabel(n))}</th>${columns.map(([, v]) => `<td>${cell(v[n], n)}</td>`).join("")}</tr>`,
    )
    .join("");
  return wrapTable(`<thead><tr>${head}</tr></thead><tbody>${body}</tbody>`, "grid");
}

// HTML tables for the report: generic renderers for metric objects, CV results and key/value facts.

import { formatMetric } from "../metrics/format-metric.js";
import { escapeXml as esc } from "./svg-scale.js";

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A cell value: numbers to 4 significant digits, a percentage metric named by `name` (total_return 0.321) as
 * "32.10%", an undefined metric (NaN, or null as JSON writes it) as "n/a", an absent one as "–", objects as
 * compact JSON.
 * @example cell(0.321, "total_return") // "32.10%"
 */
export function cell(value: unknown, name = ""): string {
  if (typeof value === "number" || value === null)
    return formatMetric(name, value, (x) =>
      Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4))),
    );
  if (value === undefined) return "–";
  if (typeof value === "object") return `<code>${esc(JSON.stringify(value))}</code>`;
  return esc(String(value));
}

/** Rows of objects as a table with the union of their keys as columns. */
export function recordsTable(
  rows: readonly Loose[],
  options: { highlight?: (row: Loose) => boolean } = {},
): string {
  if (rows.length === 0) return '<p class="muted">none</p>';
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const head = columns.map((c) => `<th>${esc(c)}</th>`).join("");
  const body = rows
    .map((r) => {
      const cls = options.highlight?.(r) ? ' class="chosen"' : "";
      return `<tr${cls}>${columns.map((c) => `<td>${cell(r[c], c)}</td>`).join("")}</tr>`;
    })
    .join("");
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A key/value table. */
export function factsTable(facts: Loose): string {
  const rows = Object.entries(facts)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${cell(v, k)}</td></tr>`)
    .join("");
  return `<table class="facts"><tbody>${rows}</tbody></table>`;
}

/**
 * Any metrics object: an object of objects with numeric members becomes a grid (rows = outer keys), numeric
 * members a key/value table, and deeper nesting a titled table per member.
 */
export function metricsTables(value: unknown, depth = 0): string {
  if (!isObject(value)) return `<p>${cell(value)}</p>`;
  const entries = Object.entries(value);
  const scalars = Object.fromEntries(entries.filter(([, v]) => !isObject(v) && !Array.isArray(v)));
  const nested = entries.filter(([, v]) => isObject(v));
  const gridRows = nested.filter(([, v]) =>
    Object.values(v as Loose).every((x) => !isObject(x) && !Array.isArray(x)),
  );
  let html = Object.keys(scalars).length > 0 ? factsTable(scalars) : "";
  if (gridRows.length > 0) {
    html += recordsTable(gridRows.map(([k, v]) => ({ "": k, ...(v as Loose) })));
  }
  for (const [k, v] of nested) {
    if (gridRows.some(([g]) => g === k)) continue;
    if (depth >= 3) {
      html += `<p><b>${esc(k)}</b>: ${cell(v)}</p>`;
      continue;
    }
    html += `<h4>${esc(k)}</h4>${metricsTables(v, depth + 1)}`;
  }
  return html;
}

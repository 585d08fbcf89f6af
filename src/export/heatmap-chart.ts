// SVG heatmap: a grid of labelled cells coloured by value. Diverging (red below zero, green above, by the
// largest magnitude) for returns; per column from worst to best for tables of unlike metrics (a sweep), grey
// for a column that is neither better nor worse when higher (trade counts).

import { escapeXml, px } from "./svg-scale.js";

export interface HeatmapSpec {
  title: string;
  rows: readonly string[];
  columns: readonly string[];
  /** values[row][column]; NaN leaves an empty cell. */
  values: readonly (readonly number[])[];
  /** Cell text of a value (column index given for per-column formats). */
  format: (value: number, column: number) => string;
  /** "diverging": one scale around 0; "per-column": each column from its worst to its best value. */
  scale: "diverging" | "per-column";
  /** per-column: 1 where higher is better (default), -1 where lower is (drawdown), 0 for no judgement (grey). */
  direction?: readonly (1 | -1 | 0)[];
  cellWidth?: number;
}

const RED = [214, 39, 40];
const GREEN = [44, 160, 44];

/** White blended toward red (t < 0) or green (t > 0) by |t| in [0, 1]. */
function shade(t: number): string {
  const c = t < 0 ? RED : GREEN;
  const k = Math.min(1, Math.abs(t)) * 0.85;
  const mix = (i: number) => Math.round(255 + (c[i] - 255) * k);
  return `rgb(${mix(0)},${mix(1)},${mix(2)})`;
}

/**
 * @example heatmapChart({ title: "Monthly returns", rows: ["2019"], columns: ["Jan"], values: [[0.02]],
 *   format: (v) => `${(v * 100).toFixed(1)}`, scale: "diverging" })
 */
export function heatmapChart(spec: HeatmapSpec): string {
  const cw = spec.cellWidth ?? 58;
  const ch = 22;
  const left = Math.max(48, 12 + Math.max(...spec.rows.map((r) => r.length)) * 7);
  const top = 54;
  const width = left + spec.columns.length * cw + 12;
  const height = top + spec.rows.length * ch + 12;
  const finite = spec.values.flat().filter(Number.isFinite);
  const maxAbs = Math.max(1e-12, ...finite.map(Math.abs));
  const ranges = spec.columns.map((_, c) => {
    const col = spec.values.map((r) => r[c]).filter(Number.isFinite);
    return [Math.min(...col), Math.max(...col)];
  });
  const tone = (v: number, c: number) => {
    if (spec.scale === "diverging") return v / maxAbs;
    const [lo, hi] = ranges[c];
    if (!(hi > lo)) return 0;
    return (((v - lo) / (hi - lo)) * 2 - 1) * (spec.direction?.[c] ?? 1);
  };
  const parts = [
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="8" y="20" font-size="14" font-weight="600" fill="#222">${escapeXml(spec.title)}</text>`,
  ];
  spec.columns.forEach((label, c) => {
    parts.push(
      `<text x="${px(left + c * cw + cw / 2)}" y="${top - 8}" text-anchor="middle" font-size="11" fill="#333">${escapeXml(label)}</text>`,
    );
  });
  let points = 0;
  spec.rows.forEach((label, r) => {
    const y = top + r * ch;
    parts.push(
      `<text x="${left - 8}" y="${px(y + ch / 2)}" text-anchor="end" dominant-baseline="middle" font-size="11" fill="#333">${escapeXml(label)}</text>`,
    );
    spec.columns.forEach((_, c) => {
      const v = spec.values[r]?.[c];
      const x = left + c * cw;
      if (v === undefined || !Number.isFinite(v)) {
        parts.push(`<rect x="${x}" y="${y}" width="${cw - 2}" height="${ch - 2}" fill="#f7f7f7"/>`);
        return;
      }
      points++;
      const fill = spec.scale === "per-column" && spec.direction?.[c] === 0 ? "#f0f0f0" : shade(tone(v, c));
      parts.push(
        `<rect class="cell" x="${x}" y="${y}" width="${cw - 2}" height="${ch - 2}" fill="${fill}"/>`,
        `<text x="${px(x + cw / 2 - 1)}" y="${px(y + ch / 2)}" text-anchor="middle" dominant-baseline="middle" font-size="10.5" fill="#222">${escapeXml(spec.format(v, c))}</text>`,
      );
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="tsml-chart" data-points="${points}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(spec.title)}" font-family="system-ui, sans-serif">${parts.join("")}</svg>`;
}

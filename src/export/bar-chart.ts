// SVG horizontal bar chart (feature importance): one bar per label, longest first, negatives to the left.

import { escapeXml, formatTick, linearScale, px } from "./svg-scale.js";

export interface BarChartSpec {
  title: string;
  labels: readonly string[];
  values: readonly number[];
  /** Optional error bars (e.g. permutation importance std). */
  errors?: readonly number[];
  color?: string;
  width?: number;
  /** Keep the top N bars by absolute value (default 20). */
  top?: number;
}

/**
 * @example
 * barChart({ title: "Permutation importance", labels: ["rsi"], values: [0.03] });
 */
export function barChart(spec: BarChartSpec): string {
  const width = spec.width ?? 720;
  const order = spec.values
    .map((_, i) => i)
    .filter((i) => Number.isFinite(spec.values[i]))
    .sort((a, b) => Math.abs(spec.values[b]) - Math.abs(spec.values[a]))
    .slice(0, spec.top ?? 20);
  const row = 20;
  const top = 34;
  const labelWidth = Math.min(220, 16 + Math.max(4, ...order.map((i) => spec.labels[i].length)) * 6.5);
  const height = top + row * Math.max(1, order.length) + 26;
  const lo = Math.min(0, ...order.map((i) => spec.values[i] - (spec.errors?.[i] ?? 0)));
  const hi = Math.max(0, ...order.map((i) => spec.values[i] + (spec.errors?.[i] ?? 0)));
  const sx = linearScale(lo, hi === lo ? lo + 1 : hi, labelWidth, width - 60);
  const zero = sx(0);
  const parts = [
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="8" y="20" font-size="14" font-weight="600" fill="#222">${escapeXml(spec.title)}</text>`,
    `<line x1="${px(zero)}" x2="${px(zero)}" y1="${top - 4}" y2="${height - 22}" stroke="#888"/>`,
  ];
  order.forEach((i, k) => {
    const v = spec.values[i];
    const y = top + k * row;
    const x = Math.min(zero, sx(v));
    const w = Math.max(0.5, Math.abs(sx(v) - zero));
    parts.push(
      `<text x="${labelWidth - 6}" y="${y + row / 2}" text-anchor="end" dominant-baseline="middle" font-size="11" fill="#333">${escapeXml(spec.labels[i])}</text>`,
      `<rect class="bar" x="${px(x)}" y="${y + 3}" width="${px(w)}" height="${row - 6}" fill="${spec.color ?? "#4c78a8"}"/>`,
      `<text x="${px(Math.max(zero, sx(v)) + 4)}" y="${y + row / 2}" dominant-baseline="middle" font-size="10" fill="#555">${formatTick(v)}</text>`,
    );
    const e = spec.errors?.[i];
    if (e && Number.isFinite(e)) {
      parts.push(
        `<line x1="${px(sx(v - e))}" x2="${px(sx(v + e))}" y1="${y + row / 2}" y2="${y + row / 2}" stroke="#222"/>`,
      );
    }
  });
  if (order.length === 0)
    parts.push(`<text x="${labelWidth}" y="${top + 12}" font-size="11" fill="#777">no values</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="tsml-chart" data-points="${order.length}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(spec.title)}" font-family="system-ui, sans-serif">${parts.join("")}</svg>`;
}

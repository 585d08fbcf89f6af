// SVG vertical bar chart over categories (years, histogram bins): one or more series as side-by-side columns,
// bars from zero, negative values downward.

import { escapeXml, linearScale, niceTicks, px } from "./svg-scale.js";

export interface ColumnSeries {
  name: string;
  values: readonly number[];
  color: string;
}

export interface ColumnChartSpec {
  title: string;
  categories: readonly string[];
  series: readonly ColumnSeries[];
  yFormat: (value: number) => string;
  /** Show every k-th category label (histograms); default every one that fits. */
  labelEvery?: number;
  width?: number;
  height?: number;
  /** A small grey line under the title (how the bins were cut). */
  note?: string;
}

const M = { top: 36, right: 16, bottom: 34, left: 64 };

/**
 * @example columnChart({ title: "Yearly returns", categories: ["2019"], series: [{ name: "strategy",
 *   values: [0.12], color: "#1f77b4" }], yFormat: (v) => `${v * 100}%` })
 */
export function columnChart(spec: ColumnChartSpec): string {
  const width = spec.width ?? 960;
  const height = spec.height ?? 280;
  const n = spec.categories.length;
  const all = spec.series.flatMap((s) => s.values.filter(Number.isFinite));
  const lo = Math.min(0, ...all);
  const hi = Math.max(0, ...all, lo + 1e-12);
  const pad = (hi - lo) * 0.05;
  const sy = linearScale(lo - (lo < 0 ? pad : 0), hi + pad, height - M.bottom, M.top);
  const slot = (width - M.left - M.right) / Math.max(1, n);
  const barW = Math.max(1, (slot * 0.8) / Math.max(1, spec.series.length));
  const every = spec.labelEvery ?? Math.max(1, Math.ceil((n * 40) / (width - M.left - M.right)));
  const parts = [
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${M.left}" y="20" font-size="14" font-weight="600" fill="#222">${escapeXml(spec.title)}</text>`,
  ];
  for (const t of niceTicks(lo, hi + pad, 5)) {
    const y = px(sy(t));
    parts.push(
      `<line x1="${M.left}" x2="${width - M.right}" y1="${y}" y2="${y}" stroke="${t === 0 ? "#999" : "#e5e5e5"}"/>`,
      `<text x="${M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11" fill="#555">${escapeXml(spec.yFormat(t))}</text>`,
    );
  }
  let points = 0;
  const zero = sy(0);
  spec.categories.forEach((label, i) => {
    const x0 = M.left + i * slot + slot * 0.1;
    spec.series.forEach((s, k) => {
      const v = s.values[i];
      if (!Number.isFinite(v)) return;
      points++;
      const y = sy(v);
      parts.push(
        `<rect class="bar" x="${px(x0 + k * barW)}" y="${px(Math.min(y, zero))}" width="${px(Math.max(0.5, barW - 0.5))}" height="${px(Math.max(0.5, Math.abs(zero - y)))}" fill="${s.color}"><title>${escapeXml(`${s.name} ${label}: ${spec.yFormat(v)}`)}</title></rect>`,
      );
    });
    if (i % every === 0)
      parts.push(
        `<text x="${px(M.left + (i + 0.5) * slot)}" y="${height - M.bottom + 16}" text-anchor="middle" font-size="11" fill="#555">${escapeXml(label)}</text>`,
      );
  });
  if (spec.note)
    parts.push(`<text x="${M.left}" y="32" font-size="10.5" fill="#777">${escapeXml(spec.note)}</text>`);
  let lx = width - M.right;
  for (const s of [...spec.series].reverse()) {
    lx -= 22 + s.name.length * 6.5;
    parts.push(
      `<rect x="${px(lx)}" y="12" width="12" height="8" fill="${s.color}"/>`,
      `<text x="${px(lx + 16)}" y="20" font-size="11" fill="#333">${escapeXml(s.name)}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" class="tsml-chart" data-points="${points}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(spec.title)}" font-family="system-ui, sans-serif">${parts.join("")}</svg>`;
}

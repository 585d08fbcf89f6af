// SVG line chart: time on x, any number of series, optional buy/sell markers, a train/test boundary and a
// filled area (drawdown), and a log-scale y axis (growth over decades). Long series are decimated to min/max per
// pixel column so 20 years stay small.

import { escapeXml, extent, formatTick, linearScale, niceTicks, px, timeTicks } from "./svg-scale.js";

export interface ChartSeries {
  name: string;
  /** Epoch ms, ascending. */
  x: Float64Array;
  /** NaN leaves a gap. */
  y: Float64Array;
  color: string;
  /** Fill between the line and zero (drawdown). */
  area?: boolean;
  dashed?: boolean;
}

export interface ChartMarker {
  x: number;
  y: number;
  kind: "buy" | "sell";
}

export interface LineChartSpec {
  title: string;
  series: readonly ChartSeries[];
  markers?: readonly ChartMarker[];
  /** Epoch ms where the test period starts (seed 000's train/test date). */
  boundary?: number | null;
  yLabel?: string;
  width?: number;
  height?: number;
  /** Log-scale y axis (values <= 0 leave gaps). */
  logY?: boolean;
  /** Tick label of a y value (default: formatTick). */
  yFormat?: (value: number) => string;
  /** A horizontal reference line (e.g. 0 for returns, 1 for growth of 1). */
  referenceY?: number;
}

const MARGIN = { top: 36, right: 16, bottom: 34, left: 64 };

/** Builds the `d` of a path, decimating to at most two points per pixel column. */
export function linePath(
  x: Float64Array,
  y: Float64Array,
  sx: (v: number) => number,
  sy: (v: number) => number,
) {
  let d = "";
  let pen = false;
  let column = Number.NaN;
  let lo = 0;
  let hi = 0;
  let last = 0;
  const flush = () => {
    if (Number.isNaN(column)) return;
    d += `${pen ? "L" : "M"}${px(column)} ${px(sy(lo))}`;
    pen = true;
    if (hi !== lo) d += `L${px(column)} ${px(sy(hi))}`;
    if (last !== hi && last !== lo) d += `L${px(column)} ${px(sy(last))}`;
  };
  for (let i = 0; i < x.length; i++) {
    const v = y[i];
    if (Number.isNaN(v)) {
      flush();
      column = Number.NaN;
      pen = false;
      continue;
    }
    const c = Math.round(sx(x[i]));
    if (c !== column) {
      flush();
      column = c;
      lo = v;
      hi = v;
    } else {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    last = v;
  }
  flush();
  return d;
}

/**
 * The chart as a standalone `<svg>` element string.
 * @example
 * lineChart({ title: "SPX", series: [{ name: "price", x: time, y: close, color: "#1f77b4" }] });
 */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 960;
  const height = spec.height ?? 320;
  // A log axis draws log10 of every value on a linear scale and labels the ticks with the values themselves.
  const toAxis = spec.logY ? (v: number) => (v > 0 ? Math.log10(v) : Number.NaN) : (v: number) => v;
  const series = spec.logY
    ? spec.series.map((s) => ({ ...s, y: s.y.map(toAxis), area: false }))
    : spec.series;
  const format = spec.yFormat ?? formatTick;
  const [x0, x1] = extent(series.map((s) => s.x));
  let [y0, y1] = extent(series.map((s) => s.y));
  if (series.some((s) => s.area)) {
    y0 = Math.min(y0, 0);
    y1 = Math.max(y1, 0);
  }
  const pad = (y1 - y0) * 0.05;
  const sx = linearScale(x0, x1, MARGIN.left, width - MARGIN.right);
  const sy = linearScale(y0 - pad, y1 + pad, height - MARGIN.bottom, MARGIN.top);
  const parts: string[] = [];
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`);
  const ticks = spec.logY ? logTicks(y0 - pad, y1 + pad) : niceTicks(y0 - pad, y1 + pad, 5);
  for (const t of ticks) {
    const y = px(sy(t));
    parts.push(
      `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11" fill="#555">${escapeXml(format(spec.logY ? 10 ** t : t))}</text>`,
    );
  }
  if (spec.referenceY !== undefined) {
    const r = toAxis(spec.referenceY);
    if (r >= y0 - pad && r <= y1 + pad) {
      const y = px(sy(r));
      parts.push(
        `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y}" y2="${y}" stroke="#999"/>`,
      );
    }
  }
  for (const t of timeTicks(x0, x1, 8)) {
    const x = px(sx(t.value));
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${height - MARGIN.bottom}" y2="${height - MARGIN.bottom + 4}" stroke="#888"/>`,
      `<text x="${x}" y="${height - MARGIN.bottom + 16}" text-anchor="middle" font-size="11" fill="#555">${t.label}</text>`,
    );
  }
  if (spec.boundary != null && spec.boundary >= x0 && spec.boundary <= x1) {
    const x = px(sx(spec.boundary));
    parts.push(
      `<line class="boundary" x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${height - MARGIN.bottom}" stroke="#444" stroke-dasharray="4 3"/>`,
      `<text x="${x}" y="${MARGIN.top - 4}" text-anchor="middle" font-size="11" fill="#444">train | test</text>`,
    );
  }
  for (const s of series) {
    const d = linePath(s.x, s.y, sx, sy);
    if (!d) continue;
    if (s.area) {
      const zero = px(sy(0));
      const startX = d.slice(1, d.indexOf(" "));
      // Gaps are bridged in the fill (M -> L) so the area is one closed shape down to zero.
      parts.push(
        `<path d="M${startX} ${zero}${d.replaceAll("M", "L")}V${zero}Z" fill="${s.color}" fill-opacity="0.25" stroke="none"/>`,
      );
    }
    const dash = s.dashed ? ' stroke-dasharray="5 3"' : "";
    parts.push(
      `<path class="series" data-name="${escapeXml(s.name)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="1.3"${dash}/>`,
    );
  }
  for (const m of spec.markers ?? []) {
    const x = sx(m.x);
    const y = sy(toAxis(m.y));
    const up = m.kind === "buy";
    const tip = up ? y + 4 : y - 4;
    const base = up ? y + 13 : y - 13;
    parts.push(
      `<path class="${m.kind}" d="M${px(x)} ${px(tip)}L${px(x - 4.5)} ${px(base)}L${px(x + 4.5)} ${px(base)}Z" fill="${up ? "#2ca02c" : "#d62728"}"/>`,
    );
  }
  parts.push(legend(spec, width));
  if (spec.yLabel) {
    parts.push(
      `<text x="12" y="${height / 2}" transform="rotate(-90 12 ${height / 2})" text-anchor="middle" font-size="11" fill="#555">${escapeXml(spec.yLabel)}</text>`,
    );
  }
  const points = series.reduce((n, s) => n + finiteCount(s.y), 0);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="tsml-chart" data-points="${points}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(spec.title)}" font-family="system-ui, sans-serif">${parts.join("")}</svg>`;
}

function finiteCount(values: Float64Array): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
  return n;
}

/**
 * Ticks of a log10 axis spanning [lo, hi] (in log10 units): powers of ten, with 2 and 5 between them when the
 * axis spans fewer than three decades, and 1.25-step values when it spans less than one.
 */
export function logTicks(lo: number, hi: number): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [];
  if (span < 0.6)
    return niceTicks(10 ** lo, 10 ** hi, 5)
      .filter((v) => v > 0)
      .map(Math.log10);
  const steps = span < 3 ? [1, 2, 5] : [1];
  const every = Math.max(1, Math.ceil(span / 8));
  const out: number[] = [];
  for (let k = Math.floor(lo); k <= Math.ceil(hi); k += steps.length === 1 ? every : 1)
    for (const m of steps) {
      const t = k + Math.log10(m);
      if (t >= lo && t <= hi) out.push(t);
    }
  return out;
}

function legend(spec: LineChartSpec, width: number): string {
  const items: string[] = [
    `<text x="${MARGIN.left}" y="20" font-size="14" font-weight="600" fill="#222">${escapeXml(spec.title)}</text>`,
  ];
  let x = width - MARGIN.right;
  const entries = spec.series.filter((s) => s.name).map((s) => ({ label: s.name, color: s.color }));
  if (spec.markers?.some((m) => m.kind === "buy")) entries.push({ label: "buy", color: "#2ca02c" });
  if (spec.markers?.some((m) => m.kind === "sell")) entries.push({ label: "sell", color: "#d62728" });
  for (const e of entries.reverse()) {
    const w = 22 + e.label.length * 6.5;
    x -= w;
    items.push(
      `<rect x="${px(x)}" y="12" width="12" height="4" fill="${e.color}"/>`,
      `<text x="${px(x + 16)}" y="18" font-size="11" fill="#333">${escapeXml(e.label)}</text>`,
    );
  }
  return items.join("");
}

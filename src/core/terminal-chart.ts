// Every line chart tsml prints to a terminal (asciichart), made so that it never throws: series are bucketed to the terminal width, gaps
// (NaN, Infinity) are bridged, and flat, empty, all-NaN and one-row inputs render as a plain line or a note.

import { plot as asciiPlot } from "asciichart";

export interface ChartOptions {
  title: string;
  /** Plot columns (the series is bucketed to at most this many points). */
  width?: number;
  /** Plot rows. */
  height?: number;
  /** Row index where the test window starts; drawn as a `|` on the axis line below the chart. */
  boundary?: number | null;
  /** Rows with a buy or sell flag, drawn as `B`/`S` on a line below the chart. */
  buy?: ArrayLike<number>;
  sell?: ArrayLike<number>;
  /** Axis label formatter. */
  format?: (value: number) => string;
}

const LABEL_WIDTH = 12;

/** Compact axis labels: 1.23M, 45.6k, 0.0123. */
export function compactNumber(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (a >= 1 || a === 0) return x.toFixed(2);
  return x.toPrecision(3);
}

/** Bucket index of row i when n rows are drawn in `width` columns. */
function bucketOf(i: number, n: number, width: number): number {
  return n <= width ? i : Math.min(width - 1, Math.floor((i * width) / n));
}

/**
 * The value drawn in each column: the last finite value of its bucket, carried forward over gaps (leading
 * gaps take the first finite value). Null when the series has no finite value at all.
 */
export function bucketSeries(values: ArrayLike<number>, width: number): number[] | null {
  const n = values.length;
  if (n === 0) return null;
  const columns = Math.max(1, Math.min(width, n));
  const out = new Array<number>(columns).fill(Number.NaN);
  let firstFinite = Number.NaN;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (Number.isNaN(firstFinite)) firstFinite = v;
    out[bucketOf(i, n, columns)] = v;
  }
  if (Number.isNaN(firstFinite)) return null;
  let last = firstFinite;
  for (let j = 0; j < columns; j++) {
    if (Number.isNaN(out[j])) out[j] = last;
    else last = out[j];
  }
  return out;
}

/**
 * Buy/sell markers per column: the net of the bucket's buys and sells, so a compressed chart still reads
 * right: `B` entered long, `S` left long, `·` round trips inside one column.
 */
function markerLine(buy: ArrayLike<number>, sell: ArrayLike<number>, n: number, width: number): string[] {
  const net = new Int32Array(width);
  const any = new Uint8Array(width);
  for (let i = 0; i < n; i++) {
    const b = i < buy.length && buy[i] === 1 ? 1 : 0;
    const s = i < sell.length && sell[i] === 1 ? 1 : 0;
    if (b === 0 && s === 0) continue;
    const j = bucketOf(i, n, width);
    net[j] += b - s;
    any[j] = 1;
  }
  return Array.from(net, (v, j) => (v > 0 ? "B" : v < 0 ? "S" : any[j] ? "·" : " "));
}

/**
 * Renders one series as an asciichart plot with optional test boundary and buy/sell markers.
 * @example lineChart(new Float64Array([1, 2, 3]), { title: "price" })
 */
export function lineChart(values: ArrayLike<number>, options: ChartOptions): string {
  const width = Math.max(1, options.width ?? 72);
  const height = Math.max(1, options.height ?? 10);
  const points = bucketSeries(values, width);
  if (!points) return `${options.title}: (no data to chart)`;
  const n = values.length;
  const columns = points.length;
  const format = options.format ?? compactNumber;
  const plot = asciiPlot(points, {
    height,
    format: (x: number) =>
      format(x)
        .padStart(LABEL_WIDTH - 1)
        .slice(-(LABEL_WIDTH - 1)),
  });
  const lines = [options.title, plot];
  const pad = " ".repeat(LABEL_WIDTH + 1);
  if (options.buy || options.sell) {
    const marks = markerLine(options.buy ?? [], options.sell ?? [], n, columns);
    if (marks.some((c) => c !== " ")) lines.push(`${pad}${marks.join("")}`);
  }
  if (
    options.boundary !== null &&
    options.boundary !== undefined &&
    options.boundary > 0 &&
    options.boundary < n
  ) {
    const at = bucketOf(options.boundary, n, columns);
    const axis = new Array<string>(columns).fill("─");
    axis[at] = "|";
    lines.push(`${pad}${axis.join("")}`);
    const trainLabel = "train".padEnd(Math.max(at, 6));
    lines.push(`${pad}${trainLabel}test`);
  }
  return lines.join("\n");
}

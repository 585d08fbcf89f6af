// Scales, "nice" axis ticks and escaping for the SVG chart builders (pure functions, no DOM).

/** A linear map from a data domain to a pixel range. */
export interface LinearScale {
  (value: number): number;
  domain: [number, number];
}

export function linearScale(d0: number, d1: number, r0: number, r1: number): LinearScale {
  const span = d1 - d0 || 1;
  const k = (r1 - r0) / span;
  const scale = ((v: number) => r0 + (v - d0) * k) as LinearScale;
  scale.domain = [d0, d1];
  return scale;
}

/** Finite min and max over several arrays (NaN skipped); [0, 1] when there is nothing finite. */
export function extent(arrays: readonly ArrayLike<number>[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  return [lo, hi];
}

/** About `count` round tick values covering [lo, hi] (1, 2, 5 x 10^k steps). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const raw = (hi - lo) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return Number.isFinite(lo) ? [lo] : [];
  const power = 10 ** Math.floor(Math.log10(raw));
  // The 1-2-5 step whose tick count comes closest to `count`.
  const ticksWith = (s: number) => Math.floor(hi / s) - Math.ceil(lo / s) + 1;
  const step = [1, 2, 5, 10]
    .map((m) => m * power)
    .reduce((best, s) => (Math.abs(ticksWith(s) - count) < Math.abs(ticksWith(best) - count) ? s : best));
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Short tick label: 12,345 / 1.5k / 0.025. */
export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${(v / 1e3).toPrecision(3)}k`;
  if (a >= 100 || a === 0) return v.toFixed(0);
  return String(Number(v.toPrecision(3)));
}

/** Time ticks at year (or month, or day) boundaries, about `count` of them. */
export function timeTicks(lo: number, hi: number, count = 6): { value: number; label: string }[] {
  const days = (hi - lo) / 86_400_000;
  const out: { value: number; label: string }[] = [];
  const start = new Date(lo);
  if (days > 365 * 2) {
    const years = Math.max(1, Math.ceil(days / 365 / count));
    for (let y = start.getUTCFullYear() + 1; ; y += years) {
      const t = Date.UTC(y, 0, 1);
      if (t > hi) break;
      out.push({ value: t, label: String(y) });
    }
  } else if (days > 60) {
    const months = Math.max(1, Math.ceil(days / 30 / count));
    for (let m = start.getUTCMonth() + 1; ; m += months) {
      const t = Date.UTC(start.getUTCFullYear(), m, 1);
      if (t > hi) break;
      out.push({ value: t, label: new Date(t).toISOString().slice(0, 7) });
    }
  } else {
    const step = Math.max(1, Math.ceil(days / count)) * 86_400_000;
    for (let t = lo; t <= hi; t += step)
      out.push({ value: t, label: new Date(t).toISOString().slice(0, 10) });
  }
  return out;
}

/** Escapes text for SVG/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Rounds a pixel coordinate to 0.1 px (keeps SVG paths short). */
export function px(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

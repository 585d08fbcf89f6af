// SVG reliability diagram: mean predicted probability (x) against the observed share of class 1 (y) per bin,
// with the diagonal a perfectly calibrated model would follow; dot area grows with the bin's rows.

import { escapeXml, linearScale, px } from "./svg-scale.js";
import type { CalibrationBin } from "./tearsheet/calibration.js";

/**
 * @example calibrationChart("Calibration, test (rf)", calibrationCurve(proba, label))
 */
export function calibrationChart(title: string, bins: readonly CalibrationBin[]): string {
  const size = 300;
  const m = { top: 36, right: 16, bottom: 40, left: 52 };
  const width = size + m.left + m.right;
  const height = size + m.top + m.bottom;
  const sx = linearScale(0, 1, m.left, m.left + size);
  const sy = linearScale(0, 1, m.top + size, m.top);
  const maxRows = Math.max(1, ...bins.map((b) => b.rows));
  const parts = [
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="8" y="20" font-size="14" font-weight="600" fill="#222">${escapeXml(title)}</text>`,
  ];
  for (const t of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    parts.push(
      `<line x1="${px(sx(t))}" x2="${px(sx(t))}" y1="${m.top}" y2="${m.top + size}" stroke="#eee"/>`,
      `<line x1="${m.left}" x2="${m.left + size}" y1="${px(sy(t))}" y2="${px(sy(t))}" stroke="#eee"/>`,
      `<text x="${px(sx(t))}" y="${m.top + size + 14}" text-anchor="middle" font-size="10" fill="#555">${t}</text>`,
      `<text x="${m.left - 6}" y="${px(sy(t))}" text-anchor="end" dominant-baseline="middle" font-size="10" fill="#555">${t}</text>`,
    );
  }
  parts.push(
    `<line x1="${px(sx(0))}" y1="${px(sy(0))}" x2="${px(sx(1))}" y2="${px(sy(1))}" stroke="#999" stroke-dasharray="4 3"/>`,
    `<text x="${m.left + size / 2}" y="${height - 6}" text-anchor="middle" font-size="11" fill="#555">mean predicted probability</text>`,
    `<text x="12" y="${m.top + size / 2}" transform="rotate(-90 12 ${m.top + size / 2})" text-anchor="middle" font-size="11" fill="#555">observed share of class 1</text>`,
  );
  if (bins.length > 0)
    parts.push(
      `<path class="series" d="${bins.map((b, i) => `${i ? "L" : "M"}${px(sx(b.predicted))} ${px(sy(b.observed))}`).join("")}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`,
    );
  for (const b of bins)
    parts.push(
      `<circle cx="${px(sx(b.predicted))}" cy="${px(sy(b.observed))}" r="${px(2.5 + 4 * Math.sqrt(b.rows / maxRows))}" fill="#1f77b4" fill-opacity="0.7"><title>${escapeXml(`${b.rows} rows: predicted ${b.predicted.toFixed(3)}, observed ${b.observed.toFixed(3)}`)}</title></circle>`,
    );
  return `<svg xmlns="http://www.w3.org/2000/svg" class="tsml-chart" data-points="${bins.length}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}" font-family="system-ui, sans-serif">${parts.join("")}</svg>`;
}

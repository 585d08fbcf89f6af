// SVG confusion matrix: rows are observed classes, columns predicted, cells shaded by row share.

import { escapeXml } from "./svg-scale.js";

export interface ConfusionSpec {
  title: string;
  /** matrix[observed][predicted] counts. */
  matrix: readonly (readonly number[])[];
  labels: readonly string[];
}

/**
 * @example
 * confusionChart({ title: "Test", matrix: [[50, 10], [12, 40]], labels: ["down", "up"] });
 */
export function confusionChart(spec: ConfusionSpec): string {
  const n = spec.labels.length;
  const cell = 70;
  const left = 110;
  const top = 60;
  const width = left + n * cell + 20;
  const height = top + n * cell + 20;
  const parts = [
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="8" y="20" font-size="14" font-weight="600" fill="#222">${escapeXml(spec.title)}</text>`,
    `<text x="${left + (n * cell) / 2}" y="${top - 22}" text-anchor="middle" font-size="11" fill="#555">predicted</text>`,
  ];
  for (let r = 0; r < n; r++) {
    const rowTotal = spec.matrix[r]?.reduce((a, b) => a + b, 0) ?? 0;
    parts.push(
      `<text x="${left - 8}" y="${top + r * cell + cell / 2}" text-anchor="end" dominant-baseline="middle" font-size="11" fill="#333">observed ${escapeXml(spec.labels[r])}</text>`,
    );
    for (let c = 0; c < n; c++) {
      const count = spec.matrix[r]?.[c] ?? 0;
      const share = rowTotal > 0 ? count / rowTotal : 0;
      const shade = Math.round(245 - share * 170);
      const x = left + c * cell;
      const y = top + r * cell;
      parts.push(
        `<rect class="cell" x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}" fill="rgb(${shade},${Math.min(255, shade + 5)},255)"/>`,
        `<text x="${x + cell / 2}" y="${y + cell / 2}" text-anchor="middle" dominant-baseline="middle" font-size="13" fill="${share > 0.6 ? "#fff" : "#222"}">${count}</text>`,
      );
    }
  }
  for (let c = 0; c < n; c++) {
    parts.push(
      `<text x="${left + c * cell + cell / 2}" y="${top - 6}" text-anchor="middle" font-size="11" fill="#333">${escapeXml(spec.labels[c])}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" class="tsml-chart" data-points="${n * n}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(spec.title)}" font-family="system-ui, sans-serif">${parts.join("")}</svg>`;
}

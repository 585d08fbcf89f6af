// The ticker's runs side by side, as `tsml compare` computes them (commands/compare-runs.ts hands the columns
// over): parameters, CV score, train/test metrics and the linked backtest's; rows that differ are marked.

import { wrapTable } from "../html-tables.js";
import { escapeXml as esc } from "../svg-scale.js";
import { humanLabel, metricText, paramsText, plainValue } from "./format.js";

export interface ComparedColumn {
  run: string;
  stage: string;
  startedAt: string;
  model: string | null;
  modelId: string | null;
  tags?: Record<string, string>;
  params: Record<string, unknown>;
  metrics: Record<string, number | null>;
  backtestRun: string | null;
}

export interface RunComparison {
  columns: ComparedColumn[];
  /** Metric names in the order `tsml compare` prints them (its headline metrics). */
  metrics: string[];
  /** The run the report's lineage comes from, highlighted. */
  lineageRun?: string | null;
}

/** "backtest.test.total_return" -> "Backtest test total return". */
function metricLabel(name: string): string {
  return humanLabel(name.replaceAll(".", "_"));
}

export function comparisonSection(c: RunComparison | null | undefined): string {
  if (!c || c.columns.length === 0) return "";
  const cols = c.columns;
  const lines: [string, string[]][] = [
    ["Stage", cols.map((x) => x.stage)],
    ["Started", cols.map((x) => x.startedAt.replace("T", " ").slice(0, 19))],
    ["Model", cols.map((x) => x.model ?? "")],
    ["Tags", cols.map((x) => paramsText(x.tags ?? {}).replace(/^defaults$/, ""))],
    ["Parameters", cols.map((x) => paramsText(x.params))],
    ...c.metrics.map((m): [string, string[]] => [
      metricLabel(m),
      cols.map((x) => (m in x.metrics ? metricText(m.split(".").at(-1) ?? m, x.metrics[m]) : "")),
    ]),
    ["Backtest run", cols.map((x) => x.backtestRun ?? (x.stage === "backtest" ? x.run : ""))],
  ];
  const head = `<th></th>${cols.map((x) => `<th class="${x.run === c.lineageRun ? "lineage" : ""}">${esc(x.run)}</th>`).join("")}`;
  const body = lines
    .filter(([, values]) => values.some((v) => v !== ""))
    .map(([name, values]) => {
      const differs = cols.length > 1 && new Set(values).size > 1;
      return `<tr${differs ? ' class="differs"' : ""}><th>${differs ? "* " : ""}${esc(name)}</th>${values.map((v) => `<td>${esc(plainValue(v))}</td>`).join("")}</tr>`;
    })
    .join("");
  return `<h3>Runs compared</h3><p class="note">As <code>tsml compare</code> computes them: the ticker's newest training runs, each joined to the latest finished backtest of its model; * marks rows that differ.</p>${wrapTable(
    `<thead><tr>${head}</tr></thead><tbody>${body}</tbody>`,
    "grid compare",
  )}`;
}

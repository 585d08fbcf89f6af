// Walk-forward backtests: the schedule and every refit the backtest recorded (training window, rows, the
// bars it predicted, parameters, CV score), read from the backtest artifact's details.

import { wrapTable } from "../html-tables.js";
import { escapeXml as esc } from "../svg-scale.js";
import { num, paramsText, plainValue } from "./format.js";

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);

/** The walk-forward record of `ticker` in the backtest details, when it has refits. */
export function walkForwardOf(details: Loose | null, ticker: string): Loose | null {
  const wf = details?.walkForward;
  if (!isObject(wf)) return null;
  const own = isObject(wf[ticker]) ? wf[ticker] : wf;
  return Array.isArray(own.refits) ? own : null;
}

export function walkForwardSection(details: Loose | null, ticker: string): string {
  const wf = walkForwardOf(details, ticker);
  if (!wf) return "";
  const refits = (wf.refits as unknown[]).filter(isObject);
  const window = wf.window === "expanding" ? "expanding" : `${plainValue(wf.window)} rows`;
  const summary =
    `${refits.length} refits of ${esc(String(wf.model))} every ${esc(plainValue(wf.refitEvery))} bars, ` +
    `training window ${esc(window)}, purged ${esc(plainValue(wf.purge))} bar(s) before each refit (label ${esc(String(wf.target))}, horizon ${esc(plainValue(wf.horizon))})` +
    (wf.tuned ? `, tuned: ${esc(plainValue(wf.trialsPerRefit))} parameter sets per refit` : "") +
    (isObject(wf.warmUp) ? `; ${esc(plainValue(wf.warmUp))} is warm-up with no signal` : "") +
    `. Every signal after the warm-up is out of sample.`;
  const body = refits
    .map(
      (r, k) =>
        `<tr><td>${k + 1}</td><td>${esc(String(r.trainFrom))} to ${esc(String(r.trainTo))}</td><td>${num(r.trainRows as number)}</td><td>${esc(String(r.predictFrom))} to ${esc(String(r.predictTo))}</td><td class="text">${esc(paramsText(r.params))}</td><td>${r.cvScore === null || r.cvScore === undefined ? "–" : num(r.cvScore as number)}</td><td>${typeof r.seconds === "number" ? r.seconds.toFixed(2) : "–"}</td></tr>`,
    )
    .join("");
  return `<h3>Walk-forward refits</h3><p>${summary}</p><div class="scroll-y">${wrapTable(
    `<thead><tr><th>#</th><th>Trained on</th><th>Rows</th><th>Predicted</th><th>Parameters</th><th>CV score</th><th>Fit (s)</th></tr></thead><tbody>${body}</tbody>`,
    "dates",
  )}</div>`;
}

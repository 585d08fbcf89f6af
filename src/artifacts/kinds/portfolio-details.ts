// The typed details of a portfolio backtest (`tsml backtest --portfolio`), kept in the backtest artifact's
// footer under `portfolio`: the universe and the rules it traded by, so the table can be read without the
// command line that made it.

import { detailsObject, numberField, textField, textListField } from "./details-fields.js";

export interface PortfolioDetails {
  /** "curve" (one row per day: equity, cash, exposure, turnover, benchmark) or "positions" (ticker x day). */
  table: "curve" | "positions" | null;
  tickers: string[];
  /** The predictions column ranked (e.g. proba). */
  rank: string | null;
  topK: number | null;
  /** Holdings replaced per rebalance at most; null = freely (the top k). */
  nDrop: number | null;
  rebalanceEvery: number | null;
  weights: string | null;
  maxWeight: number | null;
  capital: number | null;
  costBps: number | null;
  commission: number | null;
  slippageBps: number | null;
  market: string | null;
  /** The first common close: the benchmark splits its cash equally there and buys at the next opens. */
  benchmarkStart: string | null;
  rebalances: number | null;
  trades: number | null;
  missedOrders: number | null;
  blockedOrders: number | null;
}

/** The `portfolio` field of a backtest footer, typed; null when absent (a single-ticker backtest). */
export function portfolioDetails(raw: unknown): PortfolioDetails | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const d = detailsObject(raw);
  return {
    table: d.table === "curve" || d.table === "positions" ? d.table : null,
    tickers: textListField(d.tickers) ?? [],
    rank: textField(d.rank),
    topK: numberField(d.topK),
    nDrop: numberField(d.nDrop),
    rebalanceEvery: numberField(d.rebalanceEvery),
    weights: textField(d.weights),
    maxWeight: numberField(d.maxWeight),
    capital: numberField(d.capital),
    costBps: numberField(d.costBps),
    commission: numberField(d.commission),
    slippageBps: numberField(d.slippageBps),
    market: textField(d.market),
    benchmarkStart: textField(d.benchmarkStart),
    rebalances: numberField(d.rebalances),
    trades: numberField(d.trades),
    missedOrders: numberField(d.missedOrders),
    blockedOrders: numberField(d.blockedOrders),
  };
}

// The flags of `tsml backtest --portfolio`, checked before anything is read: the universe, the ranking, the
// holdings rule, and a refusal of the single-ticker flags that mean nothing for one shared account.

import type { WeightScheme } from "../backtest/portfolio-weights.js";
import { UsageError } from "../core/errors.js";
import { dateFlag, integerFlag, numberFlag, oneOfFlag, tickerListFlag } from "../core/flags.js";

/** The portfolio flags as commander hands them over. */
export interface PortfolioFlags {
  portfolio?: boolean;
  /** Comma-separated tickers, or `all` (every ticker with predictions or a model in the workspace). */
  tickers?: string;
  rank?: string;
  topK?: string;
  nDrop?: string;
  rebalance?: string;
  weights?: string;
  maxWeight?: string;
}

export interface PortfolioChoices {
  /** The tickers named, in order; null for `all`. */
  tickers: string[] | null;
  rank: string;
  topK: number;
  nDrop: number;
  rebalanceEvery: number;
  weights: WeightScheme;
  maxWeight: number;
  /** --split-date: trade from this date on (epoch ms; the rows before are the models' training rows); null = all. */
  from: number | null;
}

/** Flags of the single-ticker backtest that a portfolio does not take, with why. */
const SINGLE_TICKER_FLAGS: [string, string][] = [
  ["model", "-m"],
  ["signal", "--signal"],
  ["shares", "--shares"],
  ["sizing", "--sizing"],
  ["walkForward", "--walk-forward"],
  ["sweep", "--sweep"],
];

/**
 * Parses and checks the portfolio flags; `other` holds the rest of the backtest flags (refused when they apply to
 * one ticker only). --execution may only be next-open, the one fill rule of the portfolio.
 * @example parsePortfolioFlags({ portfolio: true, tickers: "AAPL,MSFT", topK: "1" }, {}).topK // 1
 */
export function parsePortfolioFlags(o: PortfolioFlags, other: Record<string, unknown>): PortfolioChoices {
  for (const [key, flag] of SINGLE_TICKER_FLAGS)
    if (other[key] !== undefined && other[key] !== false)
      throw new UsageError(
        `${flag} does not apply to --portfolio`,
        "a portfolio ranks each ticker's predictions (--rank) and sizes by --weights",
      );
  // --strategy has a default (long-only), which is what a portfolio is.
  if (other.strategy !== undefined && other.strategy !== "long-only")
    throw new UsageError("--portfolio is long-only: drop --strategy");
  if (other.execution !== undefined && other.execution !== "next-open")
    throw new UsageError(
      "--portfolio fills at the next open only: drop --execution or pass --execution next-open",
    );
  const names = o.tickers === undefined ? [] : tickerListFlag(o.tickers, "--tickers");
  const wanted = [...names, ...tickerListFlag(other.ticker as string[] | undefined, "--ticker")];
  const all = names.length === 1 && names[0] === "all";
  if (!all && wanted.length === 0)
    throw new UsageError(
      "--portfolio needs --tickers A,B,... or --tickers all",
      "e.g. --tickers AAPL,MSFT,IBM",
    );
  const nDrop = integerFlag(o.nDrop, "--n-drop", { min: 0 });
  return {
    tickers: all ? null : [...new Set(wanted)],
    rank: o.rank ?? "proba",
    topK: integerFlag(o.topK, "--top-k", { min: 1, fallback: 10 }),
    nDrop: nDrop ?? Number.POSITIVE_INFINITY,
    rebalanceEvery: integerFlag(o.rebalance, "--rebalance", { min: 1, fallback: 5 }),
    weights: oneOfFlag<WeightScheme>(o.weights, "--weights", ["equal", "score"], "equal"),
    maxWeight: maxWeightFlag(o.maxWeight),
    from: dateFlag(other.splitDate as string | undefined, "--split-date") ?? null,
  };
}

/** A fraction of equity in (0, 1]; 1 (no cap) when absent. */
function maxWeightFlag(value: string | undefined): number {
  const x = numberFlag(value, "--max-weight", { fallback: 1 });
  if (!(x > 0 && x <= 1))
    throw new UsageError(`--max-weight ${value}: expected a fraction in (0, 1]`, "e.g. --max-weight 0.2");
  return x;
}

// A window of a written backtest artifact measured exactly as tsml backtest measured it: the starting-equity
// rule and the periods per year recorded in its details, applied to its profit, position and price columns.

import {
  type CapitalMode,
  defaultWindowCapital,
  type WindowMetrics,
  windowMetrics,
} from "./backtest-window.js";

/** What a backtest artifact records about its windows (details written by tsml backtest). */
export interface RecordedBacktest {
  capitalMode: CapitalMode;
  /** Units per position of fixed-shares sizing (the default capital's floor). */
  shares: number;
  /** Bars per year the backtest annualised with. */
  periodsPerYear: number;
}

/**
 * The window rules recorded in a backtest artifact's details for one of its tickers (its own periods per year
 * where recorded, else the file's); null for artifacts written before tsml recorded them (no `capitalMode`).
 */
export function recordedBacktest(details: Record<string, unknown>, ticker?: string): RecordedBacktest | null {
  const mode = details.capitalMode;
  if (mode !== "account" && mode !== "per-window") return null;
  const shares = typeof details.shares === "number" ? details.shares : 100;
  const windows = details.windows as Record<string, { periodsPerYear?: unknown } | undefined> | undefined;
  const own = ticker === undefined ? undefined : windows?.[ticker]?.periodsPerYear;
  const ppy = typeof own === "number" && own > 0 ? own : details.periodsPerYear;
  return {
    capitalMode: mode,
    shares,
    periodsPerYear: typeof ppy === "number" && ppy > 0 ? ppy : 252,
  };
}

export interface ArtifactColumns {
  profit: Float64Array;
  position: Float64Array;
  price: Float64Array;
  /** capital + cumulative profit (the artifact's `equity`). */
  equity: Float64Array;
}

/**
 * Rows [start, end) of one ticker's backtest table: an account run starts at the account's equity at the
 * window's first close (the `equity` column one row earlier), a per-window run at its default capital.
 * @example artifactWindow(columns, split, n, recordedBacktest(meta.details)!)?.strategy.sharpe
 */
export function artifactWindow(
  columns: ArtifactColumns,
  start: number,
  end: number,
  recorded: RecordedBacktest,
  periodsPerYear = recorded.periodsPerYear,
): WindowMetrics | null {
  if (end <= start) return null;
  const { profit, equity } = columns;
  let capital: number;
  if (recorded.capitalMode === "per-window")
    capital = defaultWindowCapital(columns, start, end, recorded.shares);
  else if (start > 0) capital = equity[start - 1];
  else capital = equity[0] - (Number.isFinite(profit[0]) ? profit[0] : 0);
  return windowMetrics(columns, start, end, capital, periodsPerYear);
}

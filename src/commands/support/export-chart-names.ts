// The single charts `tsml export chart` can draw (kept apart so the CLI lists them without loading the renderer).

export const CHART_NAMES = ["equity", "drawdown", "signals", "pnl", "importance"] as const;

// Market presets for realistic fills: fees, taxes, lot sizes and daily price limits per exchange.

import { UsageError } from "../core/errors.js";

/** Frictions a market imposes on every fill (all rates are fractions of traded notional). */
export interface MarketRules {
  /** Broker commission rate on both sides (e.g. 0.001425). */
  commissionRate: number;
  /** Minimum commission per fill in the quote currency (0 = none). */
  minCommission: number;
  /** Tax on the notional of sells only (e.g. 0.003). */
  sellTaxRate: number;
  /** Shares per board lot; orders are rounded down to whole lots (1 = single shares). */
  lotSize: number;
  /** Daily limit as a fraction of the previous close (0.1 = +-10%); null = no limit. */
  priceLimit: number | null;
}

export const NO_MARKET_RULES: MarketRules = {
  commissionRate: 0,
  minCommission: 0,
  sellTaxRate: 0,
  lotSize: 1,
  priceLimit: null,
};

/**
 * Taiwan Stock Exchange (TWSE) listed stocks. Sources: TWSE "Trading Mechanism" introduction
 * (https://www.twse.com.tw/en/page/products/trading/introduction.html): board lot 1,000 shares, daily price
 * limit +-10% of the previous close (since 2015-06-01); brokerage commission capped at 0.1425% of the traded
 * value per side, NT$20 minimum at most brokers; securities transaction tax 0.3% of the sell value
 * (Securities Transaction Tax Act art. 2; the 0.15% day-trading rate is not modelled).
 */
export const TWSE_RULES: MarketRules = {
  commissionRate: 0.001425,
  minCommission: 20,
  sellTaxRate: 0.003,
  lotSize: 1000,
  priceLimit: 0.1,
};

export const MARKETS: Record<string, MarketRules> = { tw: TWSE_RULES, none: NO_MARKET_RULES };

/** The rules for a `--market` name, or a usage error listing the known ones. */
export function marketRules(name: string): MarketRules {
  const rules = MARKETS[name.toLowerCase()];
  if (!rules)
    throw new UsageError(
      `--market: unknown market "${name}"`,
      `choose one of: ${Object.keys(MARKETS).join(", ")}`,
    );
  return rules;
}

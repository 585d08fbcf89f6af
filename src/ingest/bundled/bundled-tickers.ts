// Data that ships with tsml (through its vega-datasets dependency), available by ticker with no key and no
// network: the S&P 500 daily bars 2000-2020 as SPX, and the five monthly close-only series of `stocks.csv`.

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { EnvironmentError } from "../../core/errors.js";

/** One bundled series: the file in vega-datasets' `data/` folder and what it holds. */
export interface BundledSeries {
  ticker: string;
  file: string;
  /** The `symbol` value of the ticker's rows in a multi-ticker file; null when the file is one series. */
  symbol: string | null;
  description: string;
}

const STOCKS = "stocks.csv";
const STOCKS_NOTE = "monthly close, 2000-2010 (vega-datasets stocks.csv; no volume)";

/** Every bundled ticker, in the order the docs list them. */
export const BUNDLED_SERIES: readonly BundledSeries[] = [
  {
    ticker: "SPX",
    file: "sp500-2000.csv",
    symbol: null,
    description: "S&P 500 daily OHLCV, 2000-2020 (vega-datasets sp500-2000.csv)",
  },
  { ticker: "AAPL", file: STOCKS, symbol: "AAPL", description: `Apple ${STOCKS_NOTE}` },
  { ticker: "MSFT", file: STOCKS, symbol: "MSFT", description: `Microsoft ${STOCKS_NOTE}` },
  { ticker: "AMZN", file: STOCKS, symbol: "AMZN", description: `Amazon ${STOCKS_NOTE}` },
  { ticker: "GOOG", file: STOCKS, symbol: "GOOG", description: `Alphabet ${STOCKS_NOTE}` },
  { ticker: "IBM", file: STOCKS, symbol: "IBM", description: `IBM ${STOCKS_NOTE}` },
];

/** The bundled series for a ticker (exact spelling), or null. */
export function bundledSeries(ticker: string): BundledSeries | null {
  return BUNDLED_SERIES.find((s) => s.ticker === ticker) ?? null;
}

/**
 * The CSV file of a bundled series inside the installed vega-datasets package. The package exports only its
 * entry (build/index.js), not its data folder, which sits beside build/.
 */
export function bundledFilePath(series: BundledSeries): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve("vega-datasets");
  } catch {
    throw new EnvironmentError(
      "the bundled data (vega-datasets) is not installed",
      "reinstall tsml (npm install) or give a source: --source FILE.csv",
    );
  }
  const path = join(dirname(entry), "..", "data", series.file);
  if (!existsSync(path))
    throw new EnvironmentError(
      `the bundled data file ${series.file} is missing from ${dirname(dirname(entry))}`,
      "reinstall vega-datasets (npm install)",
    );
  return path;
}

// The catalog of standard indicators: name, default parameters, and how to compute each named output.

import type { BarSeries } from "./bar-series.js";
import { ad, adosc } from "./indicators/accumulation-distribution.js";
import { aroon } from "./indicators/aroon.js";
import { bbands } from "./indicators/bbands.js";
import { cci } from "./indicators/cci.js";
import { directionalMovement } from "./indicators/directional-movement.js";
import { ema } from "./indicators/ema.js";
import { macd } from "./indicators/macd.js";
import { mfi } from "./indicators/mfi.js";
import { mom, roc } from "./indicators/momentum.js";
import { obv } from "./indicators/obv.js";
import { ppo } from "./indicators/ppo.js";
import { logReturn, volatility, zscore } from "./indicators/returns-stats.js";
import { rsi } from "./indicators/rsi.js";
import { sma } from "./indicators/sma.js";
import { stoch, stochf } from "./indicators/stochastic.js";
import { trix } from "./indicators/trix.js";
import { atr, natr } from "./indicators/true-range.js";
import { willr } from "./indicators/williams-r.js";
import { wma } from "./indicators/wma.js";

/** Output suffix ("" for the main output) -> values. */
export type IndicatorOutputs = [output: string, values: Float64Array][];

export interface IndicatorDefinition {
  /** Lowercase name used in specs and column names. */
  name: string;
  /** TA-Lib's default parameters; a spec may override a prefix of them. */
  defaults: readonly number[];
  /** One-line formula and its source (shown by --help and the README). */
  summary: string;
  compute(bars: BarSeries, p: readonly number[]): IndicatorOutputs;
}

const one = (values: Float64Array): IndicatorOutputs => [["", values]];

const DEFINITIONS: IndicatorDefinition[] = [
  {
    name: "sma",
    defaults: [30],
    summary: "mean of the last n closes (TA-Lib SMA)",
    compute: (b, p) => one(sma(b.close, p[0])),
  },
  {
    name: "ema",
    defaults: [30],
    summary: "EMA k=2/(n+1), SMA-seeded (TA-Lib EMA)",
    compute: (b, p) => one(ema(b.close, p[0])),
  },
  {
    name: "wma",
    defaults: [30],
    summary: "linearly weighted mean (TA-Lib WMA)",
    compute: (b, p) => one(wma(b.close, p[0])),
  },
  {
    name: "macd",
    defaults: [12, 26, 9],
    summary: "EMA(fast)-EMA(slow), signal EMA, histogram (TA-Lib MACD)",
    compute: (b, p) => {
      const r = macd(b.close, p[0], p[1], p[2]);
      return [
        ["", r.macd],
        ["signal", r.signal],
        ["hist", r.hist],
      ];
    },
  },
  {
    name: "rsi",
    defaults: [14],
    summary: "Wilder RSI (TA-Lib RSI)",
    compute: (b, p) => one(rsi(b.close, p[0])),
  },
  {
    name: "stoch",
    defaults: [5, 3, 3],
    summary: "slow stochastic %K/%D with SMA smoothing (TA-Lib STOCH)",
    compute: (b, p) => {
      const r = stoch(b.high, b.low, b.close, p[0], p[1], p[2]);
      return [
        ["k", r.k],
        ["d", r.d],
      ];
    },
  },
  {
    name: "stochf",
    defaults: [5, 3],
    summary: "fast stochastic %K/%D (TA-Lib STOCHF)",
    compute: (b, p) => {
      const r = stochf(b.high, b.low, b.close, p[0], p[1]);
      return [
        ["k", r.k],
        ["d", r.d],
      ];
    },
  },
  {
    name: "adx",
    defaults: [14],
    summary: "Wilder average directional index (TA-Lib ADX)",
    compute: (b, p) => one(directionalMovement(b.high, b.low, b.close, p[0]).adx),
  },
  {
    name: "dx",
    defaults: [14],
    summary: "directional movement index (TA-Lib DX)",
    compute: (b, p) => one(directionalMovement(b.high, b.low, b.close, p[0]).dx),
  },
  {
    name: "plus_di",
    defaults: [14],
    summary: "+DI (TA-Lib PLUS_DI)",
    compute: (b, p) => one(directionalMovement(b.high, b.low, b.close, p[0]).plusDi),
  },
  {
    name: "minus_di",
    defaults: [14],
    summary: "-DI (TA-Lib MINUS_DI)",
    compute: (b, p) => one(directionalMovement(b.high, b.low, b.close, p[0]).minusDi),
  },
  {
    name: "aroon",
    defaults: [14],
    summary: "bars since n-bar high/low in percent (TA-Lib AROON)",
    compute: (b, p) => {
      const r = aroon(b.high, b.low, p[0]);
      return [
        ["up", r.up],
        ["down", r.down],
      ];
    },
  },
  {
    name: "mfi",
    defaults: [14],
    summary: "money flow index (TA-Lib MFI)",
    compute: (b, p) => one(mfi(b.high, b.low, b.close, b.volume, p[0])),
  },
  {
    name: "trix",
    defaults: [30],
    summary: "1-bar % change of triple EMA (TA-Lib TRIX)",
    compute: (b, p) => one(trix(b.close, p[0])),
  },
  {
    name: "bbands",
    defaults: [5, 2],
    summary: "SMA +- k population std (TA-Lib BBANDS, SMA)",
    compute: (b, p) => {
      const r = bbands(b.close, p[0], p[1], p[1]);
      return [
        ["upper", r.upper],
        ["middle", r.middle],
        ["lower", r.lower],
      ];
    },
  },
  {
    name: "ppo",
    defaults: [12, 26],
    summary: "100 (SMA fast - SMA slow)/SMA slow (TA-Lib PPO)",
    compute: (b, p) => one(ppo(b.close, p[0], p[1])),
  },
  {
    name: "obv",
    defaults: [],
    summary: "on-balance volume (TA-Lib OBV)",
    compute: (b) => one(obv(b.close, b.volume)),
  },
  {
    name: "ad",
    defaults: [],
    summary: "Chaikin A/D line (TA-Lib AD)",
    compute: (b) => one(ad(b.high, b.low, b.close, b.volume)),
  },
  {
    name: "adosc",
    defaults: [3, 10],
    summary: "EMA(AD, fast) - EMA(AD, slow) (TA-Lib ADOSC)",
    compute: (b, p) => one(adosc(b.high, b.low, b.close, b.volume, p[0], p[1])),
  },
  {
    name: "atr",
    defaults: [14],
    summary: "Wilder average true range (TA-Lib ATR)",
    compute: (b, p) => one(atr(b.high, b.low, b.close, p[0])),
  },
  {
    name: "natr",
    defaults: [14],
    summary: "100 ATR / close (TA-Lib NATR)",
    compute: (b, p) => one(natr(b.high, b.low, b.close, p[0])),
  },
  {
    name: "cci",
    defaults: [14],
    summary: "commodity channel index (TA-Lib CCI)",
    compute: (b, p) => one(cci(b.high, b.low, b.close, p[0])),
  },
  {
    name: "willr",
    defaults: [14],
    summary: "Williams %R (TA-Lib WILLR)",
    compute: (b, p) => one(willr(b.high, b.low, b.close, p[0])),
  },
  {
    name: "roc",
    defaults: [10],
    summary: "100 (x/x[t-n] - 1) (TA-Lib ROC)",
    compute: (b, p) => one(roc(b.close, p[0])),
  },
  {
    name: "mom",
    defaults: [10],
    summary: "x - x[t-n] (TA-Lib MOM)",
    compute: (b, p) => one(mom(b.close, p[0])),
  },
  {
    name: "logret",
    defaults: [1],
    summary: "ln(close/close[t-k])",
    compute: (b, p) => one(logReturn(b.close, p[0])),
  },
  {
    name: "volatility",
    defaults: [20],
    summary: "sample std of 1-bar log returns over n bars",
    compute: (b, p) => one(volatility(b.close, p[0])),
  },
  {
    name: "zscore",
    defaults: [20],
    summary: "(close - n-bar mean) / n-bar sample std",
    compute: (b, p) => one(zscore(b.close, p[0])),
  },
];

const BY_NAME = new Map(DEFINITIONS.map((d) => [d.name, d]));

/** Every indicator, in catalog order. */
export function indicatorDefinitions(): readonly IndicatorDefinition[] {
  return DEFINITIONS;
}

export function findIndicator(name: string): IndicatorDefinition | undefined {
  return BY_NAME.get(name);
}

/** Column name: `<name>[_<output>][_<params joined by _>]`, e.g. rsi_14, macd_signal_12_26_9, obv. */
export function indicatorColumn(name: string, output: string, params: readonly number[]): string {
  return [name, output, ...params.map(String)].filter((s) => s !== "").join("_");
}

// Bars per year for annualising, inferred from the bars' own dates: the median spacing says daily, weekly or
// monthly; for daily bars, trading on weekends (crypto) says 365 rather than 252.

const DAY = 86_400_000;

/** The inferred frequency and how it was read off the dates. */
export interface PeriodsPerYear {
  periodsPerYear: number;
  /** daily, daily with weekends, weekly, monthly, ... or "too few bars" when there is nothing to infer from. */
  frequency: string;
  /** Median spacing of consecutive bars, in days (NaN with fewer than two bars). */
  medianSpacingDays: number;
}

/** k-th smallest value (0-based) by quickselect: linear time, where sorting a million gaps is not. */
function select(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/** Median of the values (reordered in place); NaN when empty. */
function median(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const upper = select(values, n >> 1);
  return n % 2 === 1 ? upper : (select(values, (n >> 1) - 1) + upper) / 2;
}

/** Share of bars dated on a Saturday or Sunday (UTC), where stock exchanges are closed. */
function weekendShare(series: readonly ArrayLike<number>[]): number {
  let weekend = 0;
  let total = 0;
  for (const time of series) {
    for (let i = 0; i < time.length; i++) {
      if (!Number.isFinite(time[i])) continue;
      // Day 0 (1970-01-01) was a Thursday: (day + 4) mod 7 is 0 on Sundays, 6 on Saturdays.
      const weekday = (((Math.floor(time[i] / DAY) + 4) % 7) + 7) % 7;
      if (weekday === 0 || weekday === 6) weekend++;
      total++;
    }
  }
  return total > 0 ? weekend / total : 0;
}

/** Median number of bars per calendar day (UTC) that has any, for intraday bars. */
function barsPerDay(series: readonly ArrayLike<number>[]): number {
  const counts: number[] = [];
  for (const time of series) {
    let run = 0;
    let day = Number.NaN;
    for (let i = 0; i < time.length; i++) {
      const d = Math.floor(time[i] / DAY);
      if (d === day) run++;
      else {
        if (run > 0) counts.push(run);
        day = d;
        run = 1;
      }
    }
    if (run > 0) counts.push(run);
  }
  return median(Float64Array.from(counts));
}

/**
 * Periods per year from the median spacing of consecutive bars (each series in time order; several tickers
 * are pooled): under 0.9 days intraday (bars per day x 252 or 365), under 4 days daily (365 when at least 15%
 * of bars fall on weekends, else 252), under 10 weekly (52), under 20 fortnightly (26), under 45 monthly (12),
 * under 135 quarterly (4), under 270 half-yearly (2), else yearly (1). Fewer than two bars: 252, "too few bars".
 * @example inferPeriodsPerYear([monthlyTimes]).periodsPerYear // 12
 */
export function inferPeriodsPerYear(series: readonly ArrayLike<number>[]): PeriodsPerYear {
  const gaps = new Float64Array(series.reduce((sum, t) => sum + Math.max(0, t.length - 1), 0));
  let count = 0;
  for (const time of series)
    for (let i = 1; i < time.length; i++) {
      const gap = (time[i] - time[i - 1]) / DAY;
      if (Number.isFinite(gap) && gap > 0) gaps[count++] = gap;
    }
  const spacing = median(gaps.subarray(0, count));
  const result = (periodsPerYear: number, frequency: string): PeriodsPerYear => ({
    periodsPerYear,
    frequency,
    medianSpacingDays: spacing,
  });
  if (!Number.isFinite(spacing)) return result(252, "too few bars");
  const weekends = weekendShare(series) >= 0.15;
  if (spacing < 0.9) {
    const perDay = barsPerDay(series);
    return result(
      Math.round(perDay * (weekends ? 365 : 252)),
      weekends ? "intraday, 7 days a week" : "intraday",
    );
  }
  if (spacing < 4) return weekends ? result(365, "daily with weekends") : result(252, "daily");
  if (spacing < 10) return result(52, "weekly");
  if (spacing < 20) return result(26, "fortnightly");
  if (spacing < 45) return result(12, "monthly");
  if (spacing < 135) return result(4, "quarterly");
  if (spacing < 270) return result(2, "half-yearly");
  return result(1, "yearly");
}

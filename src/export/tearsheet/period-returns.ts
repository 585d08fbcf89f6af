// Calendar-period returns (months, years, in UTC) compounded from bar returns: each bar's return counts in the
// period of the close it was realised at, so a year's return is the growth from the last close before it.

export interface PeriodReturn {
  year: number;
  /** 1-12; 0 for a whole year. */
  month: number;
  value: number;
}

function byPeriod(time: ArrayLike<number>, returns: ArrayLike<number>, key: (d: Date) => [number, number]) {
  const out: PeriodReturn[] = [];
  let current: PeriodReturn | null = null;
  let growth = 1;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i];
    if (!Number.isFinite(r)) continue;
    const [year, month] = key(new Date(time[i]));
    if (!current || current.year !== year || current.month !== month) {
      if (current) current.value = growth - 1;
      current = { year, month, value: 0 };
      out.push(current);
      growth = 1;
    }
    growth *= 1 + r;
  }
  if (current) current.value = growth - 1;
  return out;
}

/** One compounded return per calendar month that holds at least one bar return. */
export function monthlyReturns(time: ArrayLike<number>, returns: ArrayLike<number>): PeriodReturn[] {
  return byPeriod(time, returns, (d) => [d.getUTCFullYear(), d.getUTCMonth() + 1]);
}

/** One compounded return per calendar year that holds at least one bar return. */
export function yearlyReturns(time: ArrayLike<number>, returns: ArrayLike<number>): PeriodReturn[] {
  return byPeriod(time, returns, (d) => [d.getUTCFullYear(), 0]);
}

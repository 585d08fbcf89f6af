// `--execution next-open` on a table without an open column: each row's open, taken from the ticker's bars by
// date (the predictions and features tables keep the close only).

/**
 * The open of the bar at each of `time`'s dates; NaN where the bars have no bar on that date (no fill there).
 * @example openPricesByDate(Float64Array.of(d1, d3), { time: Float64Array.of(d1, d2), open: Float64Array.of(10, 11) }) // [10, NaN]
 */
export function openPricesByDate(
  time: Float64Array,
  bars: { time: Float64Array; open: Float64Array },
): Float64Array {
  const openByTime = new Map<number, number>();
  for (let i = 0; i < bars.time.length; i++) openByTime.set(bars.time[i], bars.open[i]);
  return Float64Array.from(time, (t) => openByTime.get(t) ?? Number.NaN);
}

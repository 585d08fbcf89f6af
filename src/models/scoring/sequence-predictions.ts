// A sequence model's predictions table: one row per full window of the ticker's series (dated at the window's
// last bar), the scorer's output columns, the price each forecast was made after and the label column of a
// classifier. `tsml predict` writes it; `tsml evaluate -m` scores it in memory.

import { Frame } from "../../frame/frame.js";
import type { SequenceArtifact } from "../sequence/sequence-artifact.js";
import type { SequenceScorer } from "./model-scorer.js";

/** The series a sequence model reads: one ticker's target column, rows where it is finite. */
export interface SequenceSeries {
  frame: Frame;
  ticker: string;
  time: Float64Array;
  values: Float64Array;
}

/**
 * @example const { frame, columns } = sequencePredictions(scorer, meta, series, "SPX/lstm@0123abcd");
 */
export function sequencePredictions(
  scorer: SequenceScorer,
  meta: Pick<SequenceArtifact, "target" | "label" | "classes">,
  series: SequenceSeries,
  modelId: string,
): { frame: Frame; columns: string[] } {
  const { time, values } = series;
  const rows = scorer.forecast(Array.from(values), Array.from(time));
  const ends = Array.from({ length: rows.length }, (_, i) => i + scorer.steps - 1);
  const names = [...scorer.columns];
  const columns = new Map(names.map((n, c) => [n, Float64Array.from(rows, (row) => row[c])]));
  // A two-class window classifier also gets `proba` = P(class 1), the column the classifier backtest reads.
  const positive = columns.get(`proba_${meta.classes[1]}`);
  if (!columns.has("proba") && meta.classes.length === 2 && positive) columns.set("proba", positive);
  // The price the forecast is made after (backtests need it next to the signal; evaluate reads the value h
  // rows later as the realised target, the rows being consecutive bars of the model's series).
  columns.set(
    meta.target,
    Float64Array.from(ends, (e) => values[e]),
  );
  // A classifier's label column travels with its predictions, as tsml predict does for the other models.
  if (meta.label && meta.label !== meta.target && series.frame.has(meta.label)) {
    const labels = series.frame.get(meta.label);
    columns.set(
      meta.label,
      Float64Array.from(ends, (e) => labels[e]),
    );
  }
  const rowTime = Float64Array.from(ends, (e) => time[e]);
  const frame = new Frame({
    time: rowTime,
    tickerCodes: new Uint32Array(rowTime.length),
    tickerNames: [series.ticker],
    columns,
    text: new Map([["model_id", new Array<string>(rowTime.length).fill(modelId)]]),
  });
  return { frame, columns: names };
}

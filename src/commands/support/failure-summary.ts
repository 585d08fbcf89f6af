// The error a multi-ticker command ends with when some tickers failed and it went on with the others: it names
// every failure, and exits with their code (3 for data, 2 for usage...), or 3 when they differ.

import { ExitCode, TsmlError } from "../../core/errors.js";

export interface NamedFailure {
  /** What failed: a ticker, or "TICKER MODEL". */
  what: string;
  error: TsmlError;
}

/**
 * @example failureSummary([{ what: "AMZN", error }], 4).message
 * // "train: 1 failed (4 succeeded): AMZN: a CV fold holds one class only ..."
 */
export function failureSummary(
  command: string,
  failures: readonly NamedFailure[],
  succeeded: number,
): TsmlError {
  const codes = new Set(failures.map((f) => f.error.exitCode));
  const code = codes.size === 1 ? failures[0].error.exitCode : ExitCode.data;
  const list = failures.map((f) => `${f.what}: ${f.error.message}`).join("; ");
  return new TsmlError(
    `${command}: ${failures.length} failed (${succeeded} succeeded): ${list}`,
    code,
    failures.length === 1 && failures[0].error.hint
      ? failures[0].error.hint
      : "the others were written; fix or leave out the failed ones (--ticker T runs one)",
  );
}
